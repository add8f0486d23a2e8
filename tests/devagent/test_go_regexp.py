"""Go 1.22 regexp.Compile parity for devagent.admission.go_regexp (pure, fast).

Expected texts are Go's: the invalidRegexps/onlyPerl/onlyPOSIX tables of src/regexp/syntax/parse_test.go (Perl
mode), plus escapes, classes, flags, repeats and Unicode names checked against Go's parser.
"""

import pytest

from devagent.admission.go_regexp import (UNICODE_CATEGORIES, UNICODE_SCRIPTS, GoRegexpError,
                                          compile_error)

PREFIX = "error parsing regexp: "

VALID = [
    "a", "a.", "a.b", "ab", "a.b.c", "abc", "a|^", "a|b", "(a)", "(a)|b", "a*", "a+", "a?", "a{2}", "a{2,3}",
    "a{2,}", "a*?", "a+?", "a??", "a{2}?", "a{2,3}?", "a{2,}?", "", "|", "|x|", ".", "^", "$", r"\|", r"\(", r"\)",
    r"\*", r"\+", r"\?", "{", "}", r"\.", r"\^", r"\$", "\\\\", "[ace]", "[abc]", "[a-z]", "[a]", r"\-", "-",
    r"\_", "abc", "abc|def", "a(?:b)c|abd", "a(b)c", "a*{", r"[\d]", r"[\D]", r"[\s]", r"[\S]", r"[\w]", r"[\W]",
    r"\d", r"\D", r"\s", r"\S", r"\w", r"\W", "[[:alnum:]]", "[[:^alnum:]]", "[[:word:]]", "[[:^xdigit:]]",
    "[[:alpha:][:digit:]]", r"\pL", r"\p{L}", r"\PL", r"\p{^L}", r"\P{^L}", r"\pN", r"\p{Nd}", r"\p{Lu}",
    r"\p{Greek}", r"\P{Greek}", r"\p{^Greek}", r"[\p{Greek}]", r"[\P{Han}a-z]", r"\p{Han}", r"\p{Latin}",
    r"\p{Cyrillic}", r"\p{Any}", r"\p{Common}", r"\p{Inherited}", r"\p{SignWriting}", r"[\p{Lu}\p{Ll}]", r"\pZ",
    "[a-b-c]", r"\Qabc\E", r"\Q*+?{[\E", r"\Q\\E", r"\Q\\\E", r"\Q\\\\E", r"\Q\\\\\E", r"\Qab", r"\Q", r"a\Q\E*",
    "(?:a)", "(?P<name>a)", "(?P<name>a)(?P<name>b)", "(?P<n1>a)(?P<_x>b)", "(?P<9>a)", "(?i)abc", "(?i:abc)",
    "(?m)^a$", "(?s).", "(?U)a*", "(?i-s)a", "(?ims-U:a)", "(?i-i)a", "(?)", "(?-s)a", "a(?i)*", "(?i)(?m)",
    "(?:)", "()", "()*", "(?:)*", "(|a)*", "^*", "$+", r"\b*", r"\B?", r"\A{2}", r"\z", "(?:a*)*", "(?:a*)+",
    "(a*)*", "(a+)*", "(a?)?", "((a))", "(a|b)*c", r"\a\f\n\r\t\v", r"\0", r"\00", r"\000", r"\0000", r"\08",
    r"\12", r"\123", r"\1234", r"\x41", r"\xfF", r"\x{41}", r"\x{10FFFF}", r"\x{0}", r"\x{000000000041}",
    r"[\x00-\x{10FFFF}]", "[]a]", "[^]a]", "[]-a]", "[a-]", "[-a]", r"[\]]", r"[\[]", r"[\-]", r"[a\-z]",
    r"[\d-z]", r"[z\d-]", "[[:alpha:]-z]", "[[]", "[[:]", "[[:a]", r"[^\n]", r"[\n-\r]", r"[\x{2000}-\x{20ff}]",
    "[α-ε☺]", r"[^\x00-\x{10FFFF}]", "a{0}", "a{0,}", "a{0,0}", "a{1000}", "a{0,1000}", "a{1000,}", "a{,5}",
    "a{01}", "a{1,02}", "a{1", "a{1,", "a{x}", "a{ 1}", "a{1 }", "x{2}y{2}", "{,}", "a{1000}b{1000}c{1000}",
    "[a-b-a]", "((a{10}){10}){10}", "(a{2}){500}", "(?:(?:a){0}){1000}", "(a{1000}){0}", "(a{1000}){1}",
    "((a{1000}){1}){1}", "é", "中文", r"\.中文\.", "[é-ü]", r"\x{263a}", "^linux$", "^(linux|darwin)$",
    r"^[a-z0-9-]+\.example\.com$", r"^10\.0\.\d+\.\d+$", "(?i)^prod-.*", r"^v?\d+\.\d+(\.\d+)?$",
    "^.*-(east|west)-[0-9]{1,3}$", "[[:space:]]+", r"^\s*$", r"^(?P<region>[a-z]+)-\d$",
]

# (pattern, Go's error text after "error parsing regexp: ")
INVALID = [
    ("(", "missing closing ): `(`"),
    (")", "unexpected ): `)`"),
    ("(a", "missing closing ): `(a`"),
    ("a)", "unexpected ): `a)`"),
    ("(a))", "unexpected ): `(a))`"),
    ("(a|b|", "missing closing ): `(a|b|`"),
    ("a|b|)", "unexpected ): `a|b|)`"),
    ("(a|b|))", "unexpected ): `(a|b|))`"),
    ("(a|b", "missing closing ): `(a|b`"),
    ("a|b)", "unexpected ): `a|b)`"),
    ("(a|b))", "unexpected ): `(a|b))`"),
    ("[a-z", "missing closing ]: `[a-z`"),
    ("([a-z)", "missing closing ]: `[a-z)`"),
    ("[a-z)", "missing closing ]: `[a-z)`"),
    ("([a-z]))", "unexpected ): `([a-z]))`"),
    ("x{1001}", "invalid repeat count: `{1001}`"),
    ("x{9876543210}", "invalid repeat count: `{9876543210}`"),
    ("x{2,1}", "invalid repeat count: `{2,1}`"),
    ("x{1,9876543210}", "invalid repeat count: `{1,9876543210}`"),
    ("(?P<name>a", "missing closing ): `(?P<name>a`"),
    ("(?P<name>", "missing closing ): `(?P<name>`"),
    ("(?P<name", "invalid named capture: `(?P<name`"),
    ("(?P<x y>a)", "invalid named capture: `(?P<x y>`"),
    ("(?P<>a)", "invalid named capture: `(?P<>`"),
    ("[a-Z]", "invalid character class range: `a-Z`"),
    ("(?i)[a-Z]", "invalid character class range: `a-Z`"),
    (r"\Q\E*", "missing argument to repetition operator: `*`"),
    ("a{100000}", "invalid repeat count: `{100000}`"),
    ("a{100000,}", "invalid repeat count: `{100000,}`"),
    ("((((((((((x{2}){2}){2}){2}){2}){2}){2}){2}){2}){2})", "invalid repeat count: `{2}`"),
    (r"\c", r"invalid escape sequence: `\c`"),
    ("(?z)", "invalid or unsupported Perl syntax: `(?z`"),
    ("a++", "invalid nested repetition operator: `++`"),
    ("*", "missing argument to repetition operator: `*`"),
    ("+", "missing argument to repetition operator: `+`"),
    ("?", "missing argument to repetition operator: `?`"),
    ("{2}", "missing argument to repetition operator: `{2}`"),
    ("a**", "invalid nested repetition operator: `**`"),
    ("a?*", "invalid nested repetition operator: `?*`"),
    ("a+*", "invalid nested repetition operator: `+*`"),
    ("a{1}*", "invalid nested repetition operator: `{1}*`"),
    (".{1}{2}.{3}", "invalid nested repetition operator: `{1}{2}`"),
    ("a*?*", "invalid nested repetition operator: `*?*`"),
    ("a*??", "invalid nested repetition operator: `*??`"),
    ("a{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
    ("a{2}?{3}", "invalid nested repetition operator: `{2}?{3}`"),
    ("a{2}*", "invalid nested repetition operator: `{2}*`"),
    ("a*{2}", "invalid nested repetition operator: `*{2}`"),
    ("a*{2000}", "invalid repeat count: `{2000}`"),
    ("(a)*+", "invalid nested repetition operator: `*+`"),
    ("x{2}{3}{4}", "invalid nested repetition operator: `{2}{3}`"),
    ("**", "missing argument to repetition operator: `*`"),
    ("+a", "missing argument to repetition operator: `+`"),
    ("?a", "missing argument to repetition operator: `?`"),
    ("a|*", "missing argument to repetition operator: `*`"),
    ("(*)", "missing argument to repetition operator: `*`"),
    ("(?:*)", "missing argument to repetition operator: `*`"),
    ("(?i)*", "missing argument to repetition operator: `*`"),
    ("(?i)+a", "missing argument to repetition operator: `+`"),
    ("^**", "invalid nested repetition operator: `**`"),
    ("(ab", "missing closing ): `(ab`"),
    ("((a)", "missing closing ): `((a)`"),
    ("(?:ab", "missing closing ): `(?:ab`"),
    ("(?i:a", "missing closing ): `(?i:a`"),
    ("ab)", "unexpected ): `ab)`"),
    ("())", "unexpected ): `())`"),
    ("(a)b)", "unexpected ): `(a)b)`"),
    (")(", "unexpected ): `)(`"),
    ("a|b|c)", "unexpected ): `a|b|c)`"),
    ("(?P<name", "invalid named capture: `(?P<name`"),
    ("(?P<n-m>a)", "invalid named capture: `(?P<n-m>`"),
    ("(?P<é>a)", "invalid named capture: `(?P<é>`"),
    ("(?P<a(b)>c)", "invalid named capture: `(?P<a(b)>`"),
    ("(?P=name)", "invalid or unsupported Perl syntax: `(?P`"),
    ("(?P>a)", "invalid or unsupported Perl syntax: `(?P`"),
    ("(?P", "invalid or unsupported Perl syntax: `(?P`"),
    ("(?x)", "invalid or unsupported Perl syntax: `(?x`"),
    ("(?i-)", "invalid or unsupported Perl syntax: `(?i-)`"),
    ("(?-)", "invalid or unsupported Perl syntax: `(?-)`"),
    ("(?--i)", "invalid or unsupported Perl syntax: `(?--`"),
    ("(?i-m-s)", "invalid or unsupported Perl syntax: `(?i-m-`"),
    ("(?i", "invalid or unsupported Perl syntax: `(?i`"),
    ("(?i:", "missing closing ): `(?i:`"),
    ("(?", "invalid or unsupported Perl syntax: `(?`"),
    ("(?#comment)", "invalid or unsupported Perl syntax: `(?#`"),
    ("(?=a)", "invalid or unsupported Perl syntax: `(?=`"),
    ("(?!a)", "invalid or unsupported Perl syntax: `(?!`"),
    ("(?|a)", "invalid or unsupported Perl syntax: `(?|`"),
    ("(?'n'a)", "invalid or unsupported Perl syntax: `(?'`"),
    ("(?i)(?z:a)", "invalid or unsupported Perl syntax: `(?z`"),
    ("(?P<name>a)(?P<x y>b)", "invalid named capture: `(?P<x y>`"),
    ("(?imsUx)", "invalid or unsupported Perl syntax: `(?imsUx`"),
    ("\\", "trailing backslash at end of expression: ``"),
    ("a\\", "trailing backslash at end of expression: ``"),
    ("[\\", "trailing backslash at end of expression: ``"),
    (r"\1", r"invalid escape sequence: `\1`"),
    (r"\2a", r"invalid escape sequence: `\2`"),
    (r"\18", r"invalid escape sequence: `\1`"),
    (r"\8", r"invalid escape sequence: `\8`"),
    (r"\9", r"invalid escape sequence: `\9`"),
    (r"\C", r"invalid escape sequence: `\C`"),
    (r"\Z", r"invalid escape sequence: `\Z`"),
    (r"\G", r"invalid escape sequence: `\G`"),
    (r"\K", r"invalid escape sequence: `\K`"),
    (r"\R", r"invalid escape sequence: `\R`"),
    (r"\N", r"invalid escape sequence: `\N`"),
    (r"\e", r"invalid escape sequence: `\e`"),
    (r"\k<n>", r"invalid escape sequence: `\k`"),
    (r"\o{1}", r"invalid escape sequence: `\o`"),
    (r"\u0041", r"invalid escape sequence: `\u`"),
    (r"\U00000041", r"invalid escape sequence: `\U`"),
    (r"\X", r"invalid escape sequence: `\X`"),
    (r"\h", r"invalid escape sequence: `\h`"),
    (r"\l", r"invalid escape sequence: `\l`"),
    (r"\y", r"invalid escape sequence: `\y`"),
    (r"\é", r"invalid escape sequence: `\é`"),
    (r"\x", r"invalid escape sequence: `\x`"),
    (r"\x1", r"invalid escape sequence: `\x1`"),
    (r"\xg0", r"invalid escape sequence: `\xg0`"),
    (r"\x0g", r"invalid escape sequence: `\x0g`"),
    (r"\x{", r"invalid escape sequence: `\x{`"),
    (r"\x{41", r"invalid escape sequence: `\x{41`"),
    (r"\x{}", r"invalid escape sequence: `\x{}`"),
    (r"\x{g}", r"invalid escape sequence: `\x{g`"),
    (r"\x{110000}", r"invalid escape sequence: `\x{110000`"),
    (r"\x{FFFFFFFFF}", r"invalid escape sequence: `\x{FFFFFF`"),
    (r"[\b]", r"invalid escape sequence: `\b`"),
    (r"[\A]", r"invalid escape sequence: `\A`"),
    (r"[\Q]", r"invalid escape sequence: `\Q`"),
    (r"[\z]", r"invalid escape sequence: `\z`"),
    (r"[a-\d]", r"invalid escape sequence: `\d`"),
    (r"[a-\pL]", r"invalid escape sequence: `\p`"),
    (r"\p", r"invalid character class range: `\p`"),
    (r"\P", r"invalid character class range: `\P`"),
    (r"\p{", r"invalid character class range: `\p{`"),
    (r"\p{L", r"invalid character class range: `\p{L`"),
    (r"\p{Greek", r"invalid character class range: `\p{Greek`"),
    (r"\p{Foo}", r"invalid character class range: `\p{Foo}`"),
    (r"\pX", r"invalid character class range: `\pX`"),
    (r"\pl", r"invalid character class range: `\pl`"),
    (r"\p{greek}", r"invalid character class range: `\p{greek}`"),
    (r"\p{GREEK}", r"invalid character class range: `\p{GREEK}`"),
    (r"\p{Letter}", r"invalid character class range: `\p{Letter}`"),
    (r"\p{Cn}", r"invalid character class range: `\p{Cn}`"),
    (r"\p{LC}", r"invalid character class range: `\p{LC}`"),
    (r"\p{L&}", r"invalid character class range: `\p{L&}`"),
    (r"\p{Is_Greek}", r"invalid character class range: `\p{Is_Greek}`"),
    (r"\p{ASCII}", r"invalid character class range: `\p{ASCII}`"),
    (r"\p{Assigned}", r"invalid character class range: `\p{Assigned}`"),
    (r"\p{any}", r"invalid character class range: `\p{any}`"),
    (r"\p{}", r"invalid character class range: `\p{}`"),
    (r"\p{^}", r"invalid character class range: `\p{^}`"),
    (r"\p{ Greek}", r"invalid character class range: `\p{ Greek}`"),
    (r"\p{Greek}}\p{Foo}x", r"invalid character class range: `\p{Foo}`"),
    (r"[\p{Foo}]", r"invalid character class range: `\p{Foo}`"),
    (r"[\pX]", r"invalid character class range: `\pX`"),
    (r"\pé", r"invalid character class range: `\pé`"),
    (r"\p{Greek)}", r"invalid character class range: `\p{Greek)}`"),
    ("[a", "missing closing ]: `[a`"),
    ("[]", "missing closing ]: `[]`"),
    ("[^]", "missing closing ]: `[^]`"),
    ("[]a", "missing closing ]: `[]a`"),
    ("[^]a", "missing closing ]: `[^]a`"),
    ("[a-", "missing closing ]: `[a-`"),
    ("[a-z", "missing closing ]: `[a-z`"),
    ("x[ab", "missing closing ]: `[ab`"),
    ("[[:alpha:]", "missing closing ]: `[[:alpha:]`"),
    (r"[\]", r"missing closing ]: `[\]`"),
    (r"[a\]", r"missing closing ]: `[a\]`"),
    ("[[:foo:]]", "invalid character class range: `[:foo:]`"),
    ("[[:Alpha:]]", "invalid character class range: `[:Alpha:]`"),
    ("[[:^foo:]]", "invalid character class range: `[:^foo:]`"),
    ("[[:alpha]:]]", "invalid character class range: `[:alpha]:]`"),
    ("[[:a]b:]", "invalid character class range: `[:a]b:]`"),
    ("[z-a]", "invalid character class range: `z-a`"),
    ("[9-0]", "invalid character class range: `9-0`"),
    (r"[\x{20}-\x{10}]", r"invalid character class range: `\x{20}-\x{10}`"),
    ("[b-a-z]", "invalid character class range: `b-a`"),
    ("[β-α]", "invalid character class range: `β-α`"),
    (r"[\n-\a]", r"invalid character class range: `\n-\a`"),
    (r"[a-\x{10}]", r"invalid character class range: `a-\x{10}`"),
    (r"\7a", r"invalid escape sequence: `\7`"),
    (r"ab\E", r"invalid escape sequence: `\E`"),
    (r"\E", r"invalid escape sequence: `\E`"),
    ("(?:a{2}){600}", "invalid repeat count: `{600}`"),
    ("(a{10}){101}", "invalid repeat count: `{101}`"),
    ("((a{10}){10}){11}", "invalid repeat count: `{11}`"),
    ("(?:a{1000}){2}", "invalid repeat count: `{2}`"),
    ("a{1000}{2}", "invalid nested repetition operator: `{1000}{2}`"),
    ("(a{2,}){501}", "invalid repeat count: `{501}`"),
    ("((x{2}){2}){2}{2}", "invalid nested repetition operator: `{2}{2}`"),
    ("x{2}{2}", "invalid nested repetition operator: `{2}{2}`"),
    ("(?:x{2}){2}{2}", "invalid nested repetition operator: `{2}{2}`"),
]

# Go 1.22 only: (?<name>...) named groups (Go 1.22+), scripts added with Unicode 14 and 15 (Go 1.21+).
VALID_GO122 = [
    "(?<name>a)", "(?<bar>x+)", "(?<a_1>b)(?P<a_1>c)", "(?<n>(?<m>x)|y)*", "(?i)(?<x>A)", r"\p{Kawi}",
    r"\p{Nag_Mundari}", r"\p{Vithkuqi}", r"\P{Toto}", r"[\p{Tangsa}\p{Old_Uyghur}]", r"\p{^Cypro_Minoan}",
]

INVALID_GO122 = [
    ("(?<name>a", "missing closing ): `(?<name>a`"),
    ("(?<name>", "missing closing ): `(?<name>`"),
    ("(?<name", "invalid named capture: `(?<name`"),
    ("(?<x y>a)", "invalid named capture: `(?<x y>`"),
    ("(?<>a)", "invalid named capture: `(?<>`"),
    ("(?<", "invalid or unsupported Perl syntax: `(?<`"),
    # A lookbehind has no '>', so Go reports the whole rest of the pattern as a bad named capture.
    ("(?<=a)b", "invalid named capture: `(?<=a)b`"),
    ("x(?<!a)", "invalid named capture: `(?<!a)`"),
    ("(?<=>a)", "invalid named capture: `(?<=>`"),
    ("(?<n>*)", "missing argument to repetition operator: `*`"),
]

DEEP = "(" * 1000 + ")" * 1000
DEEP_STARS = "(?:" * 1000 + ")*" * 1000
LONG = "(" + "(xx?)" * 1000 + "){1000}"
LONG_REPEATS = "(xx?){1000}" * 1000

LIMITS = [
    (DEEP, f"expression nests too deeply: `{DEEP}`"),
    (DEEP_STARS, f"expression nests too deeply: `{DEEP_STARS}`"),
    ("(a" * 1001 + ")" * 1001, "expression nests too deeply: `" + "(a" * 1001 + ")" * 1001 + "`"),
    # The depth limit fires while the groups close, before the stray ')' is reached.
    (DEEP + ")", f"expression nests too deeply: `{DEEP})`"),
    (LONG, f"expression too large: `{LONG}`"),
    (LONG_REPEATS, f"expression too large: `{LONG_REPEATS}`"),
    ("a{1000}" * 3356, "expression too large: `" + "a{1000}" * 3356 + "`"),
    # Pushing the finished repeat again counts its 1000 twice, which starts the size measurement.
    ("(?:" + "a" * 3400 + "){1000}", "expression too large: `(?:" + "a" * 3400 + "){1000}`"),
]

WITHIN_LIMITS = [
    "(" * 999 + ")" * 999,
    "(?:" * 999 + ")*" * 999,
    "(?:" * 2000 + "a" + ")" * 2000,  # non-capturing groups add no depth
    "(xx?){1000}" * 10,
    "a{1000}" * 3354,
    # 3.4M instructions, but Go only starts measuring once nodes times repeats seen could exceed its budget.
    "(?:" + "a" * 3400 + "){1000}x",
    "a" * 100_000,
]


@pytest.mark.parametrize("pattern", VALID + VALID_GO122)
def test_valid(pattern):
    assert compile_error(pattern) is None


@pytest.mark.parametrize("pattern, expected", INVALID + INVALID_GO122)
def test_invalid(pattern, expected):
    assert compile_error(pattern) == PREFIX + expected


@pytest.mark.parametrize("pattern, expected", LIMITS, ids=range(len(LIMITS)))
def test_limits(pattern, expected):
    assert compile_error(pattern) == PREFIX + expected


@pytest.mark.parametrize("pattern", WITHIN_LIMITS, ids=range(len(WITHIN_LIMITS)))
def test_within_limits(pattern):
    assert compile_error(pattern) is None


@pytest.mark.parametrize("pattern, expected", [
    ("\ud800", "invalid UTF-8: `\ud800`"),
    ("ab\udfffcd", "invalid UTF-8: `\udfffcd`"),
    ("[a\ud800]", "invalid UTF-8: `\ud800]`"),
    ("\\\ud800", "invalid UTF-8: `\ud800`"),
    ("[\\\ud800]", "invalid UTF-8: `\ud800]`"),
    ("(?P<a\ud800b>x)", "invalid UTF-8: `\ud800b`"),
    ("(?i\ud800)", "invalid UTF-8: `\ud800)`"),
    ("\\Qa\ud800b\\Ec", "invalid UTF-8: `\ud800b`"),
    ("\\p{\ud800}", "invalid UTF-8: `\ud800`"),
    ("\\x\ud800", "invalid UTF-8: `\ud800`"),
    ("[[:\ud800:]]", "invalid character class range: `[:\ud800:]`"),
])
def test_lone_surrogates_are_invalid_utf8(pattern, expected):
    assert compile_error(pattern) == PREFIX + expected


@pytest.mark.parametrize("name", sorted(UNICODE_CATEGORIES | UNICODE_SCRIPTS))
def test_every_unicode_name(name):
    assert compile_error(rf"\p{{{name}}}") is None
    assert compile_error(rf"[^\P{{^{name}}}]") is None
    # Go 1.22 matches names exactly, and every name starts with a capital letter.
    lowered = rf"\p{{{name.lower()}}}"
    assert compile_error(lowered + "x") == PREFIX + f"invalid character class range: `{lowered}`"


def test_error_type_formats_like_go():
    error = GoRegexpError("missing closing )", "(ab")
    assert str(error) == "error parsing regexp: missing closing ): `(ab`"
    assert (error.code, error.expr) == ("missing closing )", "(ab")
