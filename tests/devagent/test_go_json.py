"""Go's json.Decoder.Decode on request bodies: the first value, and the scanner's error texts (pure)."""

import pytest

from devagent.go_json import GoJsonError, first_value


@pytest.mark.parametrize("text, value", [
    ('{"a": 1} trailing', {"a": 1}),  # Decode reads one value and leaves the rest
    (' [1, "x", null, true]', [1, "x", None, True]),
    ('"\\u00e9"', "é"),
])
def test_the_first_value_is_decoded(text, value):
    assert first_value(text) == value


@pytest.mark.parametrize("text, message", [
    ("", "EOF"), (" \t\r\n", "EOF"),
    ('{"Job": ', "unexpected EOF"), ("tru", "unexpected EOF"), ('"abc', "unexpected EOF"),
    ("{nope", "invalid character 'n' looking for beginning of object key string"),
    ('{"a" 1}', "invalid character '1' after object key"),
    ('{"a": 1 "b": 2}', "invalid character '\"' after object key:value pair"),
    ("[1 2]", "invalid character '2' after array element"),
    ("[1,]", "invalid character ']' looking for beginning of value"),
    ('{"a":1,}', "invalid character '}' looking for beginning of object key string"),
    ('"a\nb"', "invalid character '\\n' in string literal"),
    ('"a\x01"', "invalid character '\\x01' in string literal"),
    ('"\\x"', "invalid character 'x' in string escape code"),
    ('"\\u12G4"', "invalid character 'G' in \\u hexadecimal character escape"),
    ("[-a]", "invalid character 'a' in numeric literal"),
    ("[1.e]", "invalid character 'e' after decimal point in numeric literal"),
    ("[1e+]", "invalid character ']' in exponent of numeric literal"),
    ("trux", "invalid character 'x' in literal true (expecting 'e')"),
    ("NaN", "invalid character 'N' looking for beginning of value"),
    ("'a'", "invalid character '\\'' looking for beginning of value"),
])
def test_errors_are_gos_words(text, message):
    with pytest.raises(GoJsonError) as raised:
        first_value(text)
    assert str(raised.value) == message
