"""Go's json.Decoder.Decode on a request body: the first JSON value, or the error text Go gives."""

from __future__ import annotations

import json
import re

_SPACE = " \t\r\n"
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class JsonNumber(float):
    """A JSON number with a fraction or exponent, keeping its text: Go's errors quote the literal ("number 1e2")."""

    literal: str

    def __new__(cls, text: str):
        number = super().__new__(cls, text)
        number.literal = text
        return number


def number_text(value) -> str:
    """How Go's decoder names a number in its errors: the literal as written."""
    return getattr(value, "literal", None) or str(value)


# NaN and Infinity are not JSON to Go
_DECODER = json.JSONDecoder(parse_constant=lambda name: _refuse(), parse_float=JsonNumber)


class GoJsonError(ValueError):
    """A body Go's decoder refuses; str() is Go's text ("EOF", "unexpected EOF", "invalid character ...")."""


def _refuse():
    raise ValueError("not JSON")


def first_value(text: str):
    """The first JSON value of text; what follows it is ignored, as Decoder.Decode ignores it."""
    start = 0
    while start < len(text) and text[start] in _SPACE:
        start += 1
    if start == len(text):
        raise GoJsonError("EOF")
    try:
        value = _DECODER.raw_decode(text, start)[0]
        return _without_lone_surrogates(value) if _SURROGATE_ESCAPE.search(text) else value
    except RecursionError:
        raise GoJsonError("exceeded max depth") from None
    except ValueError:
        raise GoJsonError(syntax_error(text, start)) from None


def _without_lone_surrogates(value):
    """The value with each lone UTF-16 surrogate (left by a \\ud800 escape) replaced by U+FFFD, as Go decodes it."""
    if isinstance(value, str):
        return "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in value)
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(key): _without_lone_surrogates(item) for key, item in value.items()}
    return value


_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
            "\\": "\\\\"}


def quote_char(char: str) -> str:
    """encoding/json's quoteChar: the character in single quotes, escaped as strconv.Quote escapes it."""
    if char == "'":
        return "'\\''"
    if char == '"':
        return "'\"'"
    if char in _ESCAPES:
        return f"'{_ESCAPES[char]}'"
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return f"'\\x{ord(char):02x}'"
    return f"'{char}'" if char.isprintable() else f"'\\u{ord(char):04x}'"


def syntax_error(text: str, start: int) -> str:
    """The message of Go's scanner for the first value of text from start ("unexpected EOF" when it ends early)."""
    try:
        _Scanner(text).value(start)
    except _Stop as stop:
        return stop.message
    return "unexpected EOF"  # the decoders disagree on a value both read whole: not expected


class _Stop(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _Scanner:
    """encoding/json's scanner states, enough to name the first error."""

    def __init__(self, text: str):
        self.text = text

    def at(self, index: int) -> str:
        if index >= len(self.text):
            raise _Stop("unexpected EOF")
        return self.text[index]

    def invalid(self, index: int, context: str):
        raise _Stop(f"invalid character {quote_char(self.text[index])} {context}")

    def space(self, index: int) -> int:
        while self.at(index) in _SPACE:
            index += 1
        return index

    def value(self, index: int) -> int:
        index = self.space(index)
        char = self.at(index)
        if char == "{":
            return self.object(index + 1)
        if char == "[":
            return self.array(index + 1)
        if char == '"':
            return self.string(index + 1)
        if char == "-" or char.isascii() and char.isdigit():
            return self.number(index)
        for word in ("true", "false", "null"):
            if char == word[0]:
                return self.literal(index, word)
        self.invalid(index, "looking for beginning of value")

    def object(self, index: int) -> int:
        index = self.space(index)
        if self.at(index) == "}":
            return index + 1
        while True:
            if self.at(index) != '"':
                self.invalid(index, "looking for beginning of object key string")
            index = self.space(self.string(index + 1))
            if self.at(index) != ":":
                self.invalid(index, "after object key")
            index = self.space(self.value(index + 1))
            if self.at(index) == "}":
                return index + 1
            if self.at(index) != ",":
                self.invalid(index, "after object key:value pair")
            index = self.space(index + 1)

    def array(self, index: int) -> int:
        index = self.space(index)
        if self.at(index) == "]":
            return index + 1
        while True:
            index = self.space(self.value(index))
            if self.at(index) == "]":
                return index + 1
            if self.at(index) != ",":
                self.invalid(index, "after array element")
            index += 1

    def string(self, index: int) -> int:
        while True:
            char = self.at(index)
            if char == '"':
                return index + 1
            if char == "\\":
                escape = self.at(index + 1)
                if escape == "u":
                    for offset in range(2, 6):
                        if self.at(index + offset) not in "0123456789abcdefABCDEF":
                            self.invalid(index + offset, "in \\u hexadecimal character escape")
                    index += 6
                    continue
                if escape not in '"\\/bfnrt':
                    self.invalid(index + 1, "in string escape code")
                index += 2
                continue
            if ord(char) < 0x20:
                self.invalid(index, "in string literal")
            index += 1

    def number(self, index: int) -> int:
        if self.text[index] == "-":
            index = self.digit(index + 1, "in numeric literal")
        if self.text[index] == "0":
            index += 1
        else:
            while self._digit(index):
                index += 1
        if index < len(self.text) and self.text[index] == ".":
            index = self.digits(self.digit(index + 1, "after decimal point in numeric literal"))
        if index < len(self.text) and self.text[index] in "eE":
            index += 1
            if index < len(self.text) and self.text[index] in "+-":
                index += 1
            index = self.digits(self.digit(index, "in exponent of numeric literal"))
        return index

    def digit(self, index: int, context: str) -> int:
        """Where a digit must come (the end of the body there is "unexpected EOF")."""
        if not self.at(index).isascii() or not self.at(index).isdigit():
            self.invalid(index, context)
        return index

    def digits(self, index: int) -> int:
        while self._digit(index):
            index += 1
        return index

    def _digit(self, index: int) -> bool:
        return index < len(self.text) and "0" <= self.text[index] <= "9"

    def literal(self, index: int, word: str) -> int:
        for offset in range(1, len(word)):
            if self.at(index + offset) != word[offset]:
                self.invalid(index + offset, f"in literal {word} (expecting {quote_char(word[offset])})")
        return index + len(word)
