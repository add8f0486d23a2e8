"""The Go behaviours Nomad's validation texts depend on: fmt quoting and durations, regexp, version, URL, DNS and cron
parsing."""

import pytest

from devagent.admission.go_text import duration, plain_list, quote, quote_list
from devagent.admission.validate_gosyntax import (parse_uint_error, regexp_error, semver_constraint_error, url_parse,
                                                  version_constraint_error)
from devagent.admission.validate_networks import is_domain_name
from devagent.admission.validate_periodic import cron_error


@pytest.mark.parametrize("text, ascii_only, expected", [
    ("api", False, '"api"'), ('say "hi"\\', False, '"say \\"hi\\"\\\\"'), ("tab\there", False, '"tab\\there"'),
    ("nul\0", False, '"nul\\x00"'), ("café", False, '"café"'), ("café", True, '"caf\\u00e9"'),
    ("\U0001F600", True, '"\\U0001f600"'), ("\u00a0", False, '"\\u00a0"'),
])
def test_go_quote(text, ascii_only, expected):
    assert quote(text, ascii_only) == expected


def test_go_lists():
    assert quote_list(["constant", "exponential"]) == '["constant" "exponential"]'
    assert plain_list(["db", "cache"]) == "[db cache]"
    assert plain_list([]) == "[]"


@pytest.mark.parametrize("ns, expected", [
    (0, "0s"), (None, "0s"), (500_000_000, "500ms"), (1_500_000_000, "1.5s"), (300_000_000_000, "5m0s"),
    (3_600_000_000_000, "1h0m0s"), (-10, "-10ns"), (2_100_000_000_000, "35m0s"), (1_000, "1µs"),
])
def test_go_durations(ns, expected):
    assert duration(ns) == expected


@pytest.mark.parametrize("pattern, expected", [
    ("^linux$", None), ("[a-z]+", None), (r"\pL+", None), ("(?i)abc", None), (r"\d{2,3}", None), (r"\Qa.b\E", None),
    ("(?P<name>x)", None),
    ("(foo", "error parsing regexp: missing closing ): `(foo`"),
    ("foo)", "error parsing regexp: unexpected ): `foo)`"),
    ("[a", "error parsing regexp: missing closing ]: `[a`"),
    ("*a", "error parsing regexp: missing argument to repetition operator: `*`"),
    ("a**", "error parsing regexp: invalid nested repetition operator: `**`"),
    (r"\K2.0", "error parsing regexp: invalid escape sequence: `\\K`"),
    (r"(a)\1", "error parsing regexp: invalid escape sequence: `\\1`"),
    ("a(?=b)", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
    ("a(?>b)", "error parsing regexp: invalid or unsupported Perl syntax: `(?>`"),
    ("a*+", "error parsing regexp: invalid nested repetition operator: `*+`"),
    ("a{2}+", "error parsing regexp: invalid nested repetition operator: `{2}+`"),
    ("a{1001}", "error parsing regexp: invalid repeat count: `{1001}`"),
    ("[*+]", None), (r"\*+", None), ("a+?", None), ("a{3,1000}", None),
    (r"end\z", None), (r"\x{263a}", None), (r"end\Z", "error parsing regexp: invalid escape sequence: `\\Z`"),
])
def test_go_regexp_errors(pattern, expected):
    assert regexp_error(pattern) == expected


@pytest.mark.parametrize("constraint, version_ok, semver_ok", [
    (">= 1.0", True, True), ("~> 1.2.3", True, False), (">= 1.0, < 2", True, True), ("1.2.3-beta", True, True),
    ("1.2.3beta", True, False), (">>2.0", False, False), ("~> foo", False, False), ("", False, False),
    ("= v1.0.0", True, True),
])
def test_version_and_semver_constraints(constraint, version_ok, semver_ok):
    assert (version_constraint_error(constraint) is None) is version_ok
    assert (semver_constraint_error(constraint) is None) is semver_ok


@pytest.mark.parametrize("text, bits, expected", [
    ("101", 16, None), ("65535", 16, None), ("65536", 16, "value out of range"), ("-1", 64, "invalid syntax"),
    ("", 16, "invalid syntax"), ("+1", 16, "invalid syntax"), ("1x", 16, "invalid syntax"),
])
def test_parse_uint(text, bits, expected):
    assert parse_uint_error(text, bits) == expected


@pytest.mark.parametrize("path, parses, absolute", [
    ("/health", True, False), ("health", True, False), ("/v1/status?full=1#top", True, False),
    ("http://www.example.com", True, True), ("mailto:x", True, True), (":x", False, False), ("a:b/c", True, True),
    ("/a%zz", False, False), ("/a%20b", True, False), ("//host:po/x", False, False), ("/ctl\x7f", False, False),
    ("#%zz", False, False),
])
def test_url_parse(path, parses, absolute):
    assert url_parse(path) == (parses, absolute)


@pytest.mark.parametrize("name, ok", [
    ("foobar", True), ("web.service.consul", True), ("web.", True), ("............", False), (".web", False),
    ("a..b", False), ("a" * 63, True), ("a" * 64, False), (".".join(["a" * 63] * 5), False),
])
def test_dns_names(name, ok):
    assert is_domain_name(name) is ok


@pytest.mark.parametrize("spec, expected", [
    ("*/15 * * * *", None), ("0 0 * * *", None), ("@daily", None), ("@hourly", None), ("0 0 1 * * 2030", None),
    ("0 30 9 * * mon-fri *", None), ("0 0 L * *", None), ("0 0 15W * *", None), ("0 0 * * 5L", None),
    ("0 0 * * 5#3", None), ("0 0 * jan,jul *", None),
    ("* * *", "missing field(s)"), ("foo", "missing field(s)"),
    ("61 * * * *", "syntax error in minute field: '61'"),
    ("0 24 * * *", "syntax error in hour field: '24'"),
    ("0 0 32 * *", "syntax error in day-of-month field: '32'"),
    ("0 0 * 13 *", "syntax error in month field: '13'"),
    ("0 0 * * 8", "syntax error in day-of-week field: '8'"),
    ("*/0 * * * *", "invalid interval */0"), ("*/60 * * * *", "invalid interval */60"),
])
def test_cron_specs(spec, expected):
    assert cron_error(spec) == expected
