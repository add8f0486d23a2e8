"""Go 1.22's regexp.Compile (regexp/syntax.Parse with the Perl flags) reimplemented to tell whether a pattern
compiles and, if not, to return Go's exact error text.

The parser walks the pattern the way Go's does, keeping a model of Go's parse stack: which entries are
expressions and which are the '(' and '|' markers, plus enough of each expression's tree (operators, literal
lengths, repeat counts) to apply Go's nesting-depth (1000) and compiled-size (~3.3M instructions) limits.

Not modelled: the contents of character classes (a class is one leaf), so Go's limit on the total runes held by
classes (some 26,000 \\pL) is not checked; and the factoring of common prefixes out of alternations, so for
patterns of several kilobytes with large repeats near the size limit this may report "expression too large"
where Go does not. Python strings cannot hold invalid UTF-8; a lone surrogate stands for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Error codes (regexp/syntax ErrorCode strings).
INVALID_CHAR_RANGE = "invalid character class range"
INVALID_ESCAPE = "invalid escape sequence"
INVALID_NAMED_CAPTURE = "invalid named capture"
INVALID_PERL_OP = "invalid or unsupported Perl syntax"
INVALID_REPEAT_OP = "invalid nested repetition operator"
INVALID_REPEAT_SIZE = "invalid repeat count"
INVALID_UTF8 = "invalid UTF-8"
MISSING_BRACKET = "missing closing ]"
MISSING_PAREN = "missing closing )"
MISSING_REPEAT_ARGUMENT = "missing argument to repetition operator"
TRAILING_BACKSLASH = "trailing backslash at end of expression"
UNEXPECTED_PAREN = "unexpected )"
NESTING_DEPTH = "expression nests too deeply"
LARGE = "expression too large"

MAX_REPEAT = 1000
MAX_HEIGHT = 1000
MAX_SIZE = (128 << 20) // 40  # compiled instructions Go allows (128 MB of 40-byte Insts)
MAX_RUNE = 0x10FFFF

PERL_CLASSES = frozenset({r"\d", r"\D", r"\s", r"\S", r"\w", r"\W"})
POSIX_CLASSES = frozenset(
    f"[:{neg}{name}:]"
    for name in ("alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
                 "space", "upper", "word", "xdigit")
    for neg in ("", "^"))

# unicode.Categories keys in Go 1.22 (Unicode 15.0.0); \p{...} names are matched case-sensitively.
UNICODE_CATEGORIES = frozenset({
    "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl",
    "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs",
})

# unicode.Scripts keys in Go 1.22 (Unicode 15.0.0).
UNICODE_SCRIPTS = frozenset({
    "Adlam", "Ahom", "Anatolian_Hieroglyphs", "Arabic", "Armenian", "Avestan", "Balinese", "Bamum",
    "Bassa_Vah", "Batak", "Bengali", "Bhaiksuki", "Bopomofo", "Brahmi", "Braille", "Buginese", "Buhid",
    "Canadian_Aboriginal", "Carian", "Caucasian_Albanian", "Chakma", "Cham", "Cherokee", "Chorasmian",
    "Common", "Coptic", "Cuneiform", "Cypriot", "Cypro_Minoan", "Cyrillic", "Deseret", "Devanagari",
    "Dives_Akuru", "Dogra", "Duployan", "Egyptian_Hieroglyphs", "Elbasan", "Elymaic", "Ethiopic", "Georgian",
    "Glagolitic", "Gothic", "Grantha", "Greek", "Gujarati", "Gunjala_Gondi", "Gurmukhi", "Han", "Hangul",
    "Hanifi_Rohingya", "Hanunoo", "Hatran", "Hebrew", "Hiragana", "Imperial_Aramaic", "Inherited",
    "Inscriptional_Pahlavi", "Inscriptional_Parthian", "Javanese", "Kaithi", "Kannada", "Katakana", "Kawi",
    "Kayah_Li", "Kharoshthi", "Khitan_Small_Script", "Khmer", "Khojki", "Khudawadi", "Lao", "Latin",
    "Lepcha", "Limbu", "Linear_A", "Linear_B", "Lisu", "Lycian", "Lydian", "Mahajani", "Makasar",
    "Malayalam", "Mandaic", "Manichaean", "Marchen", "Masaram_Gondi", "Medefaidrin", "Meetei_Mayek",
    "Mende_Kikakui", "Meroitic_Cursive", "Meroitic_Hieroglyphs", "Miao", "Modi", "Mongolian", "Mro",
    "Multani", "Myanmar", "Nabataean", "Nag_Mundari", "Nandinagari", "New_Tai_Lue", "Newa", "Nko", "Nushu",
    "Nyiakeng_Puachue_Hmong", "Ogham", "Ol_Chiki", "Old_Hungarian", "Old_Italic", "Old_North_Arabian",
    "Old_Permic", "Old_Persian", "Old_Sogdian", "Old_South_Arabian", "Old_Turkic", "Old_Uyghur", "Oriya",
    "Osage", "Osmanya", "Pahawh_Hmong", "Palmyrene", "Pau_Cin_Hau", "Phags_Pa", "Phoenician",
    "Psalter_Pahlavi", "Rejang", "Runic", "Samaritan", "Saurashtra", "Sharada", "Shavian", "Siddham",
    "SignWriting", "Sinhala", "Sogdian", "Sora_Sompeng", "Soyombo", "Sundanese", "Syloti_Nagri", "Syriac",
    "Tagalog", "Tagbanwa", "Tai_Le", "Tai_Tham", "Tai_Viet", "Takri", "Tamil", "Tangsa", "Tangut", "Telugu",
    "Thaana", "Thai", "Tibetan", "Tifinagh", "Tirhuta", "Toto", "Ugaritic", "Vai", "Vithkuqi", "Wancho",
    "Warang_Citi", "Yezidi", "Yi", "Zanabazar_Square",
})

# Node kinds of the parse-tree model. CLASS covers char classes and '.', LEAF the empty-width operators.
LITERAL, CLASS, LEAF, CAPTURE, STAR, PLUS, QUEST, REPEAT, CONCAT, ALTERNATE = range(10)
LEFT_PAREN, VERTICAL_BAR = 100, 101  # parse-stack markers, never inside a tree


class GoRegexpError(Exception):
    """A regexp/syntax *Error: its code and the offending part of the expression."""

    def __init__(self, code: str, expr: str):
        super().__init__(code, expr)
        self.code = code
        self.expr = expr

    def __str__(self) -> str:
        return f"error parsing regexp: {self.code}: `{self.expr}`"


class _TooBig(Exception):
    """Go's panic when a limit is hit; it becomes an error naming the whole pattern."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(eq=False)
class _Node:
    """One Regexp of the model: its kind, children, literal length and repeat bounds."""

    op: int
    subs: list[_Node] = field(default_factory=list)
    runes: int = 0
    fold: bool = False
    lo: int = 0
    hi: int = 0
    height: int = 1
    capture: bool = False  # for LEFT_PAREN: a capturing group
    outer_fold: bool = False  # for LEFT_PAREN: case folding to restore at its ')'


def compile_error(pattern: str) -> str | None:
    """Go's regexp.Compile(pattern) error text, or None when Go compiles the pattern."""
    try:
        _Parser(pattern).parse()
    except GoRegexpError as error:
        return str(error)
    return None


def _is_surrogate(char: str) -> bool:
    """A lone surrogate, which Go would see as bytes that are not UTF-8."""
    return 0xD800 <= ord(char) <= 0xDFFF


def _is_digit(char: str) -> bool:
    """An ASCII decimal digit."""
    return "0" <= char <= "9"


def _is_alnum(char: str) -> bool:
    """An ASCII letter or digit."""
    return _is_digit(char) or "A" <= char <= "Z" or "a" <= char <= "z"


def _is_octal(char: str) -> bool:
    """An ASCII octal digit."""
    return "0" <= char <= "7"


def _unhex(char: str) -> int:
    """The value of a hex digit, or -1."""
    return int(char, 16) if len(char) == 1 and char in "0123456789abcdefABCDEF" else -1


def _check_utf8(text: str) -> None:
    """Fail with Go's invalid UTF-8 error at the first lone surrogate of text."""
    for index, char in enumerate(text):
        if _is_surrogate(char):
            raise GoRegexpError(INVALID_UTF8, text[index:])


def _is_valid_capture_name(name: str) -> bool:
    """A capture name Go accepts: one or more ASCII letters, digits or underscores."""
    return bool(name) and all(char == "_" or _is_alnum(char) for char in name)


def _repeat_is_valid(root: _Node, budget: int) -> bool:
    """Whether nested counted repetitions stay within budget copies of the innermost expression."""
    pending = [(root, budget)]
    while pending:
        node, budget = pending.pop()
        if node.op == REPEAT:
            count = node.hi
            if count == 0:
                continue
            if count < 0:
                count = node.lo
            if count > budget:
                return False
            if count > 0:
                budget //= count
        pending.extend((sub, budget) for sub in node.subs)
    return True


class _Limits:
    """Go's nesting-depth and compiled-size checks, with its lazy start and per-node size cache."""

    def __init__(self) -> None:
        self.allocated = 0  # Regexp structures allocated (Go's numRegexp)
        self.free = 0  # structures waiting on Go's free list
        self.repeats = 1  # product of repeat counts seen before size tracking starts
        self.sizes: dict[_Node, int] | None = None

    def new(self, op: int, **fields) -> _Node:
        """Allocate a node, reusing a freed one when Go would."""
        if self.free:
            self.free -= 1
        else:
            self.allocated += 1
        return _Node(op, **fields)

    def reuse(self) -> None:
        """Give a node back to the free list."""
        self.free += 1

    def check(self, node: _Node, stack: list[_Node]) -> None:
        """Raise _TooBig when node makes the expression too large or too deep."""
        self._check_size(node, stack)
        if self.allocated >= MAX_HEIGHT and node.height > MAX_HEIGHT:
            raise _TooBig(NESTING_DEPTH)

    def _check_size(self, node: _Node, stack: list[_Node]) -> None:
        """Go's checkSize: track sizes only once nodes times repeats could exceed the budget."""
        if self.sizes is None:
            if node.op == REPEAT:
                count = node.hi if node.hi != -1 else node.lo
                count = max(count, 1)
                self.repeats = MAX_SIZE if count > MAX_SIZE // self.repeats else self.repeats * count
            if self.allocated < MAX_SIZE // self.repeats:
                return
            self.sizes = {}
            for entry in stack:
                self._check_size(entry, stack)
        if self._size(node) > MAX_SIZE:
            raise _TooBig(LARGE)

    def _size(self, root: _Node) -> int:
        """Compiled size of root, recomputed for root itself and cached for its children (iteratively)."""
        sizes = self.sizes
        pending = [(root, False)]
        while pending:
            node, ready = pending.pop()
            if not ready:
                pending.append((node, True))
                pending.extend((sub, False) for sub in node.subs if sub not in sizes)
                continue
            sizes[node] = max(1, _own_size(node, [sizes[sub] for sub in node.subs]))
        return sizes[root]


def _own_size(node: _Node, subs: list[int]) -> int:
    """Go's calcSize formula for one node given its children's sizes."""
    if node.op == LITERAL:
        return node.runes
    if node.op in (CAPTURE, STAR):
        return 2 + subs[0]
    if node.op in (PLUS, QUEST):
        return 1 + subs[0]
    if node.op == CONCAT:
        return sum(subs)
    if node.op == ALTERNATE:
        return sum(subs) + (len(subs) - 1 if len(subs) > 1 else 0)
    if node.op == REPEAT:
        if node.hi == -1:
            return 2 + subs[0] if node.lo == 0 else 1 + node.lo * subs[0]
        return node.hi * subs[0] + (node.hi - node.lo)
    return 0


class _Parser:
    """Go's regexp/syntax parser in Perl mode, reduced to what decides errors."""

    def __init__(self, pattern: str):
        self.s = pattern
        self.n = len(pattern)
        self.stack: list[_Node] = []
        self.limits = _Limits()
        self.fold = False  # the (?i) flag in force

    # Driving loop.

    def parse(self) -> None:
        """Parse the whole pattern, raising GoRegexpError on the first problem Go reports."""
        try:
            self._parse()
        except _TooBig as too_big:
            raise GoRegexpError(too_big.code, self.s) from None

    def _parse(self) -> None:
        """The main scanning loop."""
        s, i, last_repeat = self.s, 0, None
        while i < self.n:
            repeat_at = None
            char = s[i]
            if char == "(":
                i = self._open_paren(i)
            elif char == "|":
                self._vertical_bar()
                i += 1
            elif char == ")":
                self._right_paren()
                i += 1
            elif char in "^$":
                self._op(LEAF)
                i += 1
            elif char == ".":
                self._op(CLASS)
                i += 1
            elif char == "[":
                i = self._class(i)
            elif char in "*+?":
                repeat_at = i
                i = self._repeat({"*": STAR, "+": PLUS, "?": QUEST}[char], 0, 0, i, i + 1, last_repeat)
            elif char == "{":
                counted = self._counted_repeat(i)
                if counted is None:
                    self._literal()
                    i += 1
                else:
                    repeat_at = i
                    lo, hi, end = counted
                    i = self._repeat(REPEAT, lo, hi, i, end, last_repeat)
            elif char == "\\":
                i = self._backslash(i)
            else:
                self._next_rune(i)
                self._literal()
                i += 1
            last_repeat = repeat_at
        self._concat()
        if self._swap_vertical_bar():
            self.stack.pop()
        self._alternate()
        if len(self.stack) != 1:
            raise GoRegexpError(MISSING_PAREN, s)

    def _next_rune(self, i: int) -> None:
        """Fail like Go's nextRune when the character at i is not valid UTF-8."""
        if i < self.n and _is_surrogate(self.s[i]):
            raise GoRegexpError(INVALID_UTF8, self.s[i:])

    # Groups and flags.

    def _open_paren(self, i: int) -> int:
        """A '(' : a capture, or Perl flags / named capture / non-capturing group after '(?'."""
        if i + 1 < self.n and self.s[i + 1] == "?":
            return self._perl_flags(i)
        self._open_group(capture=True)
        return i + 1

    def _open_group(self, capture: bool) -> None:
        """Push a '(' marker remembering the flags to restore at its ')'."""
        self._push(self.limits.new(LEFT_PAREN, capture=capture, outer_fold=self.fold))

    def _perl_flags(self, i: int) -> int:
        """(?P<name>, (?<name>, (?flags), (?flags: ; returns the index after what was consumed."""
        s, rest = self.s, self.s[i:]
        if (len(rest) > 4 and rest[2] == "P" and rest[3] == "<") or (len(rest) > 3 and rest[2] == "<"):
            name_at = i + (4 if rest[2] == "P" else 3)
            end = s.find(">", i)
            if end < 0:
                _check_utf8(rest)
                raise GoRegexpError(INVALID_NAMED_CAPTURE, rest)
            name = s[name_at:end]
            _check_utf8(name)
            if not _is_valid_capture_name(name):
                raise GoRegexpError(INVALID_NAMED_CAPTURE, s[i:end + 1])
            self._open_group(capture=True)
            return end + 1
        j, negated, saw_flag, fold = i + 2, False, False, self.fold
        while j < self.n:
            self._next_rune(j)
            char = s[j]
            j += 1
            if char in "imsU":
                saw_flag = True
                if char == "i":
                    fold = not negated
            elif char == "-" and not negated:
                negated, saw_flag = True, False
            elif char in ":)" and (saw_flag or not negated):
                if char == ":":
                    self._open_group(capture=False)
                self.fold = fold
                return j
            else:
                break
        raise GoRegexpError(INVALID_PERL_OP, s[i:j])

    def _right_paren(self) -> None:
        """A ')' closes the innermost group, which must exist."""
        self._concat()
        if self._swap_vertical_bar():
            self.stack.pop()
        self._alternate()
        if len(self.stack) < 2 or self.stack[-2].op != LEFT_PAREN:
            raise GoRegexpError(UNEXPECTED_PAREN, self.s)
        body = self.stack.pop()
        paren = self.stack.pop()
        self.fold = paren.outer_fold
        if paren.capture:
            paren.op, paren.subs, paren.height = CAPTURE, [body], body.height + 1
            self._push(paren)
        else:
            self._push(body)

    # Alternation and concatenation.

    def _vertical_bar(self) -> None:
        """A '|' : finish the current branch and leave a '|' marker on top."""
        self._concat()
        if not self._swap_vertical_bar():
            self._push(self.limits.new(VERTICAL_BAR))

    def _swap_vertical_bar(self) -> bool:
        """Move a '|' marker above the branch just finished (merging single-character branches)."""
        stack = self.stack
        if (len(stack) >= 3 and stack[-2].op == VERTICAL_BAR and _is_char_class(stack[-1])
                and _is_char_class(stack[-3])):
            stack[-3] = _merged_class(stack[-3], stack[-1])
            stack.pop()
            self.limits.reuse()
            return True
        if len(stack) >= 2 and stack[-2].op == VERTICAL_BAR:
            stack[-2], stack[-1] = stack[-1], stack[-2]
            return True
        return False

    def _concat(self) -> None:
        """Replace the entries above the top marker with their concatenation."""
        self._maybe_concat()
        subs = self._pop_to_marker()
        if not subs:
            self._push(self.limits.new(LEAF))
        else:
            self._push(self._collapse(subs, CONCAT))

    def _alternate(self) -> None:
        """Replace the entries above the top '(' with their alternation."""
        subs = self._pop_to_marker()
        if not subs:
            self._push(self.limits.new(LEAF))
        else:
            self._push(self._collapse(subs, ALTERNATE))

    def _pop_to_marker(self) -> list[_Node]:
        """Pop and return the expressions above the topmost marker."""
        index = len(self.stack)
        while index > 0 and self.stack[index - 1].op < LEFT_PAREN:
            index -= 1
        subs = self.stack[index:]
        del self.stack[index:]
        return subs

    def _collapse(self, subs: list[_Node], op: int) -> _Node:
        """One node applying op to subs, flattening children that already use op."""
        if len(subs) == 1:
            return subs[0]
        node = self.limits.new(op)
        for sub in subs:
            if sub.op == op:
                node.subs.extend(sub.subs)
                self.limits.reuse()
            else:
                node.subs.append(sub)
        node.height = 1 + max(sub.height for sub in node.subs)
        return node

    # Stack operations.

    def _push(self, node: _Node) -> None:
        """Push a node after folding adjacent literals, then apply the limits."""
        self._maybe_concat()
        self.stack.append(node)
        self.limits.check(node, self.stack)

    def _maybe_concat(self) -> None:
        """Merge the top literal into the literal below it when their case folding matches."""
        stack = self.stack
        if len(stack) < 2:
            return
        top, below = stack[-1], stack[-2]
        if top.op != LITERAL or below.op != LITERAL or top.fold != below.fold:
            return
        below.runes += top.runes
        stack.pop()
        self.limits.reuse()

    def _literal(self) -> None:
        """Push a one-character literal."""
        self._push(self.limits.new(LITERAL, runes=1, fold=self.fold))

    def _op(self, op: int) -> None:
        """Push a leaf operator or class."""
        self._push(self.limits.new(op))

    # Repetition.

    def _repeat(self, op: int, lo: int, hi: int, before: int, after: int, last_repeat: int | None) -> int:
        """Apply a repetition operator to the top expression; returns the index after it."""
        s = self.s
        if after < self.n and s[after] == "?":
            after += 1
        if last_repeat is not None:
            raise GoRegexpError(INVALID_REPEAT_OP, s[last_repeat:after])
        if not self.stack or self.stack[-1].op >= LEFT_PAREN:
            raise GoRegexpError(MISSING_REPEAT_ARGUMENT, s[before:after])
        sub = self.stack[-1]
        node = self.limits.new(op, subs=[sub], lo=lo, hi=hi, height=sub.height + 1)
        self.stack[-1] = node
        self.limits.check(node, self.stack)
        if op == REPEAT and (lo >= 2 or hi >= 2) and not _repeat_is_valid(node, MAX_REPEAT):
            raise GoRegexpError(INVALID_REPEAT_SIZE, s[before:after])
        return after

    def _counted_repeat(self, i: int) -> tuple[int, int, int] | None:
        """{n}, {n,} or {n,m} at i as (min, max, end) with max -1 for no limit; None when '{' is literal."""
        s, n = self.s, self.n
        parsed = self._int(i + 1)
        if parsed is None:
            return None
        lo, j = parsed
        if j >= n:
            return None
        if s[j] != ",":
            hi = lo
        else:
            j += 1
            if j >= n:
                return None
            if s[j] == "}":
                hi = -1
            else:
                parsed = self._int(j)
                if parsed is None:
                    return None
                hi, j = parsed
                if hi < 0:
                    lo = -1
        if j >= n or s[j] != "}":
            return None
        if lo < 0 or lo > MAX_REPEAT or hi > MAX_REPEAT or 0 <= hi < lo:
            raise GoRegexpError(INVALID_REPEAT_SIZE, s[i:j + 1])
        return lo, hi, j + 1

    def _int(self, i: int) -> tuple[int, int] | None:
        """A decimal number at i without leading zeros as (value, end); value -1 when too big."""
        s, n = self.s, self.n
        if i >= n or not _is_digit(s[i]):
            return None
        if i + 1 < n and s[i] == "0" and _is_digit(s[i + 1]):
            return None
        j = i
        while j < n and _is_digit(s[j]):
            j += 1
        value = 0
        for digit in s[i:j]:
            if value >= 100_000_000:
                value = -1
                break
            value = value * 10 + int(digit)
        return value, j

    # Escapes.

    def _backslash(self, i: int) -> int:
        """A backslash outside a class: assertion, \\Q...\\E, class escape or single-character escape."""
        s = self.s
        if i + 1 < self.n:
            kind = s[i + 1]
            if kind in "AbBz":
                self._op(LEAF)
                return i + 2
            if kind == "C":
                raise GoRegexpError(INVALID_ESCAPE, s[i:i + 2])
            if kind == "Q":
                return self._quoted(i)
        node = self.limits.new(CLASS)  # Go allocates a class before knowing whether the escape is one
        if i + 1 < self.n and s[i + 1] in "pP":
            end = self._unicode_class(i)
            self._push(node)
            return end
        if s[i:i + 2] in PERL_CLASSES:
            self._push(node)
            return i + 2
        self.limits.reuse()
        _, end = self._escape(i)
        self._literal()
        return end

    def _quoted(self, i: int) -> int:
        """\\Q...\\E: everything up to \\E (or the end) is literal."""
        start = i + 2
        end = self.s.find(r"\E", start)
        stop, resume = (self.n, self.n) if end < 0 else (end, end + 2)
        for j in range(start, stop):
            if _is_surrogate(self.s[j]):
                raise GoRegexpError(INVALID_UTF8, self.s[j:stop])
            self._literal()
        return resume

    def _escape(self, i: int) -> tuple[int, int]:
        """A single-character escape at i as (code point, end)."""
        s, n = self.s, self.n
        j = i + 1
        if j >= n:
            raise GoRegexpError(TRAILING_BACKSLASH, "")
        self._next_rune(j)
        char = s[j]
        j += 1
        if ord(char) < 0x80 and not _is_alnum(char):
            return ord(char), j
        if char in "1234567" and j < n and _is_octal(s[j]) or char == "0":
            value = int(char)
            for _ in range(2):
                if j >= n or not _is_octal(s[j]):
                    break
                value = value * 8 + int(s[j])
                j += 1
            return value, j
        if char == "x" and j < n:
            return self._hex_escape(i, j)
        if char in "afnrtv":
            return ord({"a": "\a", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}[char]), j
        raise GoRegexpError(INVALID_ESCAPE, s[i:j])

    def _hex_escape(self, i: int, j: int) -> tuple[int, int]:
        """\\xHH or \\x{H...} whose digits start at j, as (code point, end)."""
        s, n = self.s, self.n
        self._next_rune(j)
        first = s[j]
        j += 1
        if first == "{":
            value, digits = 0, 0
            while True:
                if j >= n:
                    raise GoRegexpError(INVALID_ESCAPE, s[i:j])
                self._next_rune(j)
                char = s[j]
                j += 1
                if char == "}":
                    break
                digit = _unhex(char)
                value = value * 16 + digit
                if digit < 0 or value > MAX_RUNE:
                    raise GoRegexpError(INVALID_ESCAPE, s[i:j])
                digits += 1
            if not digits:
                raise GoRegexpError(INVALID_ESCAPE, s[i:j])
            return value, j
        second = ""
        if j < n:
            self._next_rune(j)
            second = s[j]
            j += 1
        high, low = _unhex(first), _unhex(second)
        if high < 0 or low < 0:
            raise GoRegexpError(INVALID_ESCAPE, s[i:j])
        return high * 16 + low, j

    def _unicode_class(self, i: int) -> int:
        """\\pX, \\p{Name}, \\PX, \\P{^Name} at i; returns the index after it."""
        s, n = self.s, self.n
        j = i + 2
        char = ""
        if j < n:
            self._next_rune(j)
            char = s[j]
            j += 1
        if char != "{":
            seq, name = s[i:j], s[i + 2:j]
        else:
            end = s.find("}", i)
            if end < 0:
                _check_utf8(s[i:])
                raise GoRegexpError(INVALID_CHAR_RANGE, s[i:])
            seq, name, j = s[i:end + 1], s[i + 3:end], end + 1
            _check_utf8(name)
        if name.startswith("^"):
            name = name[1:]
        if name != "Any" and name not in UNICODE_CATEGORIES and name not in UNICODE_SCRIPTS:
            raise GoRegexpError(INVALID_CHAR_RANGE, seq)
        return j

    # Character classes.

    def _class(self, i: int) -> int:
        """A bracketed class starting at i; returns the index after its ']'."""
        s, n = self.s, self.n
        node = self.limits.new(CLASS)
        j = i + 1
        if j < n and s[j] == "^":
            j += 1
        first = True
        while j >= n or s[j] != "]" or first:
            first = False
            if n - j > 2 and s[j] == "[" and s[j + 1] == ":":
                close = s.find(":]", j + 2)
                if close >= 0:
                    name = s[j:close + 2]
                    if name not in POSIX_CLASSES:
                        raise GoRegexpError(INVALID_CHAR_RANGE, name)
                    j = close + 2
                    continue
            if s[j:j + 2] in (r"\p", r"\P"):
                j = self._unicode_class(j)
                continue
            if s[j:j + 2] in PERL_CLASSES:
                j += 2
                continue
            start = j
            low, j = self._class_char(j, i)
            if n - j >= 2 and s[j] == "-" and s[j + 1] != "]":
                high, j = self._class_char(j + 1, i)
                if high < low:
                    raise GoRegexpError(INVALID_CHAR_RANGE, s[start:j])
        self._push(node)
        return j + 1

    def _class_char(self, j: int, class_start: int) -> tuple[int, int]:
        """One class member (plain or escaped) at j as (code point, end)."""
        if j >= self.n:
            raise GoRegexpError(MISSING_BRACKET, self.s[class_start:])
        if self.s[j] == "\\":
            return self._escape(j)
        self._next_rune(j)
        return ord(self.s[j]), j + 1


def _is_char_class(node: _Node) -> bool:
    """Whether Go can fold node into a character class: one-character literal, class or '.'."""
    return node.op == LITERAL and node.runes == 1 or node.op == CLASS


def _merged_class(left: _Node, right: _Node) -> _Node:
    """The single leaf Go keeps for left|right when both are one-character branches."""
    if left.op == CLASS:
        return left
    if right.op == CLASS:
        return right
    return left  # two one-character literals: a literal or a class, both one leaf of size 1
