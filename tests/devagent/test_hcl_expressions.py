"""HCL2 expressions, templates, functions, variables and dynamic blocks as jobspec2 evaluates them (pure).

Cases from Nomad's jobspec2/parse_test.go tables, plus hclsyntax's operator and template rules.
"""

import pytest

from devagent.jobspec import JobspecError, parse_jobspec


def region_of(expression, prelude=""):
    """The job's region after evaluating `expression` (the region field takes any string)."""
    return parse_jobspec(f'{prelude}\njob "example" {{\n  region = {expression}\n}}\n', canonicalize=False)["Region"]


def meta_of(expression, prelude=""):
    job = parse_jobspec(f'{prelude}\njob "example" {{\n  meta = {{ v = {expression} }}\n}}\n', canonicalize=False)
    return job["Meta"]["v"]


@pytest.mark.parametrize("text", [
    "plain",
    "foo-${BAR}",
    "foo-${attr.network.dev-us-east1-relay-vpc.external-ip.0}",
    '${env["BLAH"]}',
    '${mixed-indexing.0[3]["FOO"].5}',
    'with spaces ${   root.  field[  "FOO"].5  }',
    "${NOMAD_META_owner}-${NOMAD_ALLOC_INDEX}",
])
def test_undefined_variables_stay_as_written(text):
    assert region_of('"' + text + '"') == text


def test_an_unquoted_undefined_variable_becomes_an_interpolation():
    assert region_of("meta.mytest") == "${meta.mytest}"


@pytest.mark.parametrize("expression, value", [
    ('"${1 + 2 * 3}"', "7"),
    ('"${(1 + 2) * 3}"', "9"),
    ('"${7 / 2}"', "3.5"),
    ('"${7 % 3}"', "1"),
    ('"${-7 % 3}"', "-1"),
    ('"${"5" + 1}"', "6"),
    ('"${1 == 1.0}"', "true"),
    ('"${1 == "1"}"', "false"),
    ('"${!true || 2 > 1 && 3 <= 3}"', "true"),
    ('2 > 1 ? "yes" : "no"', "yes"),
    ('"${false ? 1 : 2}"', "2"),
    ('[1, 2, 3][1]', "2"),
    ('{ a = { b = "deep" } }.a.b', "deep"),
    ('{ a = "x" }["a"]', "x"),
    ('"${[for s in ["a", "b"] : upper(s)][1]}"', "B"),
    ('join(",", [for s in ["a", "bb", "ccc"] : s if length(s) > 1])', "bb,ccc"),
    ('join(",", [for k, v in { b = 2, a = 1 } : "${k}=${v}"])', "a=1,b=2"),
    ('jsonencode({ for k, v in { x = 1, y = 2 } : v => k })', '{"1":"x","2":"y"}'),
    ('jsonencode({ for s in ["a", "b", "a"] : s => s... })', '{"a":["a","a"],"b":["b"]}'),
    ('join(",", [{ n = "a" }, { n = "b" }][*].n)', "a,b"),
    ('join(",", [{ n = "a" }, { n = "b" }].*.n)', "a,b"),
    ('"%{ if true }on%{ else }off%{ endif }"', "on"),
    ('"%{ for i, x in ["a", "b"] }${i}${x};%{ endfor }"', "0a;1b;"),
    ('"a  %{~ if true ~}  b  %{~ endif ~}  c"', "abc"),
    ('"$${literal} %%{ literal }"', "${literal} %{ literal }"),
    ('"tab\\there \\"quoted\\" \\u00e9"', 'tab\there "quoted" é'),
])
def test_expressions(expression, value):
    assert region_of(expression) == value


@pytest.mark.parametrize("expression, value", [
    ('upper("a")', "A"), ('lower("A")', "a"), ('title("hello world")', "Hello World"),
    ('format("%s-%03d-%.2f-%q-%t-%v", "x", 7, 1.5, "q", true, 3)', 'x-007-1.50-"q"-true-3'),
    ('format("id:%s", 1)', "id:1"),
    ('join("-", split(",", "a,b,c"))', "a-b-c"),
    ('replace("a.b.c", ".", "/")', "a/b/c"),
    ('regex_replace("abc123", "[0-9]+", "#")', "abc#"),
    ('trimspace("  x  ")', "x"), ('trim("--x--", "-")', "x"),
    ('trimprefix("prefix-x", "prefix-")', "x"), ('trimsuffix("x.txt", ".txt")', "x"),
    ('substr("hello", 1, 3)', "ell"), ('strrev("abc")', "cba"), ('reverse("abc")', "cba"),
    ('chomp("x\\n")', "x"), ('indent(2, "a\\nb")', "a\n  b"),
    ('"${length([1, 2, 3]) + length({ a = 1 }) + length("xy")}"', "6"),
    ('jsonencode(concat([1], [2, 3]))', "[1,2,3]"),
    ('jsonencode(range(3))', "[0,1,2]"), ('jsonencode(range(1, 7, 2))', "[1,3,5]"),
    ('lookup({ a = "x" }, "b", "dflt")', "dflt"),
    ('jsonencode(merge({ a = 1 }, { b = 2 }, { a = 3 }))', '{"a":3,"b":2}'),
    ('jsonencode(keys({ b = 1, a = 2 }))', '["a","b"]'), ('jsonencode(values({ b = 1, a = 2 }))', "[2,1]"),
    ('element(["a", "b"], 3)', "b"), ('"${contains(["a"], "a")}"', "true"),
    ('coalesce("", "x")', "x"), ('jsonencode(compact(["a", "", "b"]))', '["a","b"]'),
    ('jsonencode(distinct([1, 1, 2]))', "[1,2]"), ('jsonencode(flatten([[1], [2, [3]]]))', "[1,2,3]"),
    ('"${index(["a", "b"], "b")}"', "1"), ('jsonencode(slice([1, 2, 3], 1, 3))', "[2,3]"),
    ('jsonencode(sort(["b", "a"]))', '["a","b"]'), ('jsonencode(zipmap(["a"], [1]))', '{"a":1}'),
    ('jsonencode(chunklist([1, 2, 3], 2))', "[[1,2],[3]]"),
    ('jsondecode("{\\"a\\": [1, 2]}").a[1]', "2"),
    ('"${min(3, 1, 2)}-${max(3, 1, 2)}-${abs(-4)}-${ceil(1.2)}-${floor(1.8)}-${pow(2, 10)}-${signum(-3)}"',
     "1-3-4-2-1-1024--1"),
    ('"${parseint("ff", 16)}"', "255"), ('"${log(8, 2)}"', "3"),
    ('base64encode("hi")', "aGk="), ('base64decode("aGk=")', "hi"), ('urlencode("a b&c")', "a+b%26c"),
    ('md5("x")', "9dd4e461268c8034f5c8564e155c67a6"),
    ('sha256("x")', "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"),
    ('cidrhost("10.0.0.0/24", 5)', "10.0.0.5"), ('cidrsubnet("10.0.0.0/16", 8, 2)', "10.0.2.0/24"),
    ('cidrnetmask("10.0.0.0/12")', "255.240.0.0"),
    ('jsonencode(cidrsubnets("10.0.0.0/16", 8, 8))', '["10.0.0.0/24","10.0.1.0/24"]'),
    ('try(nosuchvar.attr.x.y, "fallback")', "${nosuchvar.attr.x.y}"),
    ('try({ a = 1 }.b, "fallback")', "fallback"), ('"${can({ a = 1 }.b)}"', "false"),
    ('jsonencode(setunion(["a"], ["b", "a"]))', '["a","b"]'),
    ('jsonencode(setintersection(["a", "b"], ["b"]))', '["b"]'),
    ('jsonencode(formatlist("%s=%d", ["a", "b"], [1, 2]))', '["a=1","b=2"]'),
    ('yamlencode({ a = 1 })', "a: 1\n"), ('yamldecode("a: [1, 2]").a[0]', "1"),
    ('jsonencode(csvdecode("a,b\\n1,2"))', '[{"a":"1","b":"2"}]'),
    ('join(",", concat(["x"], [["y"]]...))', "x,y"),
    ('jsonencode(convert([1, 2], list(string)))', '["1","2"]'),
    ('formatdate("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z")', "02 Jan 2018 23:12 UTC"),
    ('formatdate("EEEE, MMMM D, YYYY \'at\' H:mm AA ZZZZZ", "2018-01-02T23:12:01-08:00")',
     "Tuesday, January 2, 2018 at 11:12 PM -08:00"),
    ('timeadd("2017-11-22T00:00:00Z", "10m")', "2017-11-22T00:10:00Z"),
])
def test_functions_jobspec2_registers(expression, value):
    assert region_of(expression) == value


@pytest.mark.parametrize("expression, message", [
    ('tostring(1)', 'Call to unknown function; There is no function named "tostring".'),
    ('file("/etc/passwd")', 'Error in function call; Call to function "file" failed: filesystem function '
                            'disabled.'),
    ('"a" + 1', "Invalid operand; Unsuitable value for left operand: a number is required."),
    ('{ a = 1 }.b', 'Unsupported attribute; This object does not have an attribute named "b".'),
    ('[1][5]', "Invalid index; The given key does not identify an element in this collection value."),
    ('"x${[1]}"', "Invalid template interpolation value; Cannot include the given value in a string template: "
                 "string required."),
    ('"x${null}"', "Invalid template interpolation value; The expression result is null."),
    ('[1, 2]', "Unsuitable value type; Unsuitable value: string required"),
    ('lookup({}, "k")', 'Call to function "lookup" failed: lookup failed to find key "k".'),
    ('[for x in 1 : x]', "Iteration over non-iterable value"),
    ('null ? 1 : 2', "Null condition; The condition value is null. Conditions must either be true or false."),
    ('upper(null)', 'Invalid function argument; Invalid value for "str" parameter: argument must not be null.'),
    ('abs("x")', 'Invalid function argument; Invalid value for "num" parameter: a number is required.'),
])
def test_expression_errors_use_hcls_words(expression, message):
    with pytest.raises(JobspecError) as raised:
        region_of(expression)
    assert message in str(raised.value)
    assert str(raised.value).startswith("input.hcl:3,")


def test_variables_defaults_types_and_var_content():
    prelude = '''
variables {
  region_var = "default_region"
}
variable "dc_var" {
  default = "default_dc"
}
variable "count_var" {
  type    = number
  default = "3"
}
'''
    job = parse_jobspec(prelude + 'job "e" {\n datacenters = [var.dc_var]\n region = var.region_var\n'
                                  ' priority = var.count_var + 1\n}\n', canonicalize=False)
    assert (job["Datacenters"], job["Region"], job["Priority"]) == (["default_dc"], "default_region", 4)
    job = parse_jobspec(prelude + 'job "e" {\n region = var.region_var\n}\n', canonicalize=False,
                        variables='region_var = "set_region"\nundeclared = 1\n')
    assert job["Region"] == "set_region"


@pytest.mark.parametrize("prelude, message", [
    ('variable "region_var" {}', '<nil>: Unset variable "region_var"; A used variable must be set or have a '
                                 "default value; see https://developer.hashicorp.com/nomad/docs/job-specification/"
                                 "hcl2/variables for details."),
    ('variable "n" {\n type = number\n default = "x"\n}', "Invalid default value for variable; This default value "
                                                        "is not compatible with the variable's type constraint: "
                                                        "a number is required."),
    ('variable "n" {\n default = upper("x")\n}', "Function calls not allowed; Functions may not be called here."),
    ('variable "n" {\n default = 1\n colour = 2\n}', 'An argument named "colour" is not expected here.'),
    ('variable "n" {\n default = 1\n validation {\n condition = var.n > 5\n error_message = "Must be above 5."\n'
     ' }\n}', "Invalid value for default variable; Must be above 5."),
    ('locals {\n a = 1\n}\nlocals {\n a = 2\n}', "Duplicate value in locals; Duplicate a definition found."),
])
def test_variable_errors(prelude, message):
    with pytest.raises(JobspecError) as raised:
        parse_jobspec(prelude + '\njob "e" {}\n')
    assert message in str(raised.value)


def test_locals_may_use_each_other_in_any_order_and_variables():
    prelude = 'variables {\n region_var = "eu"\n}\nlocals {\n b = "${local.a}.example"\n a = var.region_var\n}'
    assert region_of("local.b", prelude) == "eu.example"


def test_lookup_table_with_locals_from_nomads_tests():
    prelude = '''
variable "env" {
  default = "staging"
}
locals {
  environments = {
    prod    = { count = 20, dcs = ["prod-dc1", "prod-dc2"] },
    staging = { count = 3, dcs = ["dc1"] },
  }
  env = lookup(local.environments, var.env, { count = 0, dcs = [] })
}
'''
    job = parse_jobspec(prelude + '''
job "job-webserver" {
  datacenters = local.env.dcs
  group "group-webserver" {
    count = local.env.count
    task "server" {
      driver = "docker"
      config {
        image = "hashicorp/http-echo"
        args  = ["-text", "Hello from ${var.env}"]
      }
    }
  }
}''', canonicalize=False)
    group = job["TaskGroups"][0]
    assert job["Datacenters"] == ["dc1"] and group["Count"] == 3
    assert group["Tasks"][0]["Config"] == {"image": "hashicorp/http-echo", "args": ["-text", "Hello from staging"]}


def test_dynamic_blocks_from_nomads_tests():
    job = parse_jobspec('''
job "example" {
  dynamic "group" {
    for_each = [
      { name = "groupA", idx = 1 },
      { name = "groupB", idx = 2 },
    ]
    labels = [group.value.name]
    content {
      count = group.value.idx
      service {
        port = group.value.name
      }
      task "simple" {
        driver = "raw_exec"
        config {
          command = group.value.name
        }
        meta {
          VERSION = group.value.idx
        }
        env {
          ID = format("id:%s", group.value.idx)
        }
        resources {
          cpu = group.value.idx
        }
      }
    }
  }
}''', canonicalize=False)
    first, second = job["TaskGroups"]
    assert (first["Name"], first["Count"], second["Name"]) == ("groupA", 1, "groupB")
    task = first["Tasks"][0]
    assert (task["Resources"]["CPU"], first["Services"][0]["PortLabel"]) == (1, "groupA")
    assert (task["Config"]["command"], task["Meta"]["VERSION"], task["Env"]["ID"]) == ("groupA", "1", "id:1")
    assert second["Tasks"][0]["Env"]["ID"] == "id:2"


@pytest.mark.parametrize("dynamic, message", [
    ('dynamic "nope" {\n for_each = [1]\n content {}\n}', 'Unsupported block type; Blocks of type "nope" are not '
                                                            "expected here."),
    ('dynamic "group" {\n for_each = 1\n labels = ["x"]\n content {}\n}',
     "Invalid dynamic for_each value; Cannot use a number value in for_each. An iterable collection is required."),
    ('dynamic "group" {\n for_each = [1]\n labels = ["a", "b"]\n content {}\n}',
     'Extraneous dynamic block label; Blocks of type "group" require 1 label(s).'),
    ('dynamic "group" {\n for_each = [1]\n labels = ["a"]\n}', "Missing dynamic content block"),
])
def test_dynamic_block_errors(dynamic, message):
    """hcl's dynblock texts; a dynamic block without `labels` is not an error (the group gets no name)."""
    with pytest.raises(JobspecError) as raised:
        parse_jobspec(f'job "e" {{\n{dynamic}\n}}\n')
    assert message in str(raised.value)


@pytest.mark.parametrize("snippet, env", [
    ("", None),
    ('env {\n key = "value"\n}', {"key": "value"}),
    ('env = {\n "key.dot" = "val1"\n key_unquoted_without_dot = "val2"\n}',
     {"key.dot": "val1", "key_unquoted_without_dot": "val2"}),
    ('env = {\n "key.dot" : "val1"\n key_unquoted_without_dot : "val2"\n}',
     {"key.dot": "val1", "key_unquoted_without_dot": "val2"}),
    ("env = {}", {}),
    ('env = {for k in ["a", "b"]: k => "val-${k}" }', {"a": "val-a", "b": "val-b"}),
])
def test_task_env_forms_from_nomads_tests(snippet, env):
    job = parse_jobspec('job "example" {\n group "group" {\n task "task" {\n driver = "docker"\n config {}\n'
                        f'{snippet}\n }}\n }}\n}}\n', canonicalize=False)
    assert job["TaskGroups"][0]["Tasks"][0]["Env"] == env


def test_meta_as_block_or_argument_is_the_same_job():
    hcl = ('job "example" {\n group "group" {\n task "task" {\n driver = "config"\n config {}\n'
           ' meta {\n source = "task"\n }\n }\n meta {\n source = "group"\n }\n }\n meta {\n source = "job"\n }\n}\n')
    as_block = parse_jobspec(hcl)
    as_attr = parse_jobspec(hcl.replace("meta {", "meta = {"))
    assert as_block == as_attr
    assert as_block["Meta"] == {"source": "job"}
    assert as_block["TaskGroups"][0]["Meta"] == {"source": "group"}
    assert as_block["TaskGroups"][0]["Tasks"][0]["Meta"] == {"source": "task"}


def test_constraint_operator_forms_are_equal():
    long_form = ('constraint {\n operator = "distinct_hosts"\n value = "false"\n}\n'
                 'constraint {\n operator = "distinct_property"\n attribute = "${meta.rack}"\n value = "2"\n}')
    short_form = ('constraint {\n distinct_hosts = false\n}\n'
                  'constraint {\n distinct_property = "${meta.rack}"\n value = "2"\n}')
    jobs = [parse_jobspec(f'job "e" {{\n group "g" {{\n{form}\n }}\n}}\n', canonicalize=False)
            for form in (long_form, short_form)]
    assert jobs[0] == jobs[1]
    assert jobs[0]["TaskGroups"][0]["Constraints"] == [
        {"LTarget": "", "RTarget": "false", "Operand": "distinct_hosts"},
        {"LTarget": "${meta.rack}", "RTarget": "2", "Operand": "distinct_property"}]


@pytest.mark.parametrize("group_scaling, task_scaling, message", [
    ('max = 40\n type = "horizontal"', 'scaling "cpu" {\n max = 20\n}\nscaling "mem" {\n max = 15\n}', None),
    ('type = "horizontal"', 'scaling "cpu" {\n max = 20\n}', 'argument "max" is required'),
    ('max = 40\n type = "invalid_type"', "", "task group scaling policy had invalid type"),
    ("max = 40", 'scaling "not_cpu" {\n max = 20\n}', 'scaling policy name must be "cpu" or "mem"'),
    ("max = 40", 'scaling "cpu" {\n max = 20\n}\nscaling "cpu" {\n max = 15\n}', 'Duplicate scaling "cpu" block'),
    ("max = 40", 'scaling "cpu" {\n max = 20\n type = "invalid"\n}', "Invalid scaling policy type"),
])
def test_scaling_blocks_from_nomads_tests(group_scaling, task_scaling, message):
    hcl = (f'job "example" {{\n group "g1" {{\n scaling {{\n {group_scaling}\n }}\n task "t1" {{\n'
           f' {task_scaling}\n }}\n }}\n}}\n')
    if message is None:
        job = parse_jobspec(hcl, canonicalize=False)
        task = job["TaskGroups"][0]["Tasks"][0]
        assert [p["Type"] for p in task["ScalingPolicies"]] == ["vertical_cpu", "vertical_mem"]
        return
    with pytest.raises(JobspecError, match=message):
        parse_jobspec(hcl)


def test_service_check_body_from_nomads_tests():
    job = parse_jobspec('job "group_service_check_script" {\n group "group" {\n service {\n name = "foo-service"\n'
                        ' port = "http"\n check {\n name = "check-name"\n type = "http"\n method = "POST"\n'
                        ' body = "{\\"check\\":\\"mem\\"}"\n }\n }\n }\n}\n', canonicalize=False)
    check = job["TaskGroups"][0]["Services"][0]["Checks"][0]
    assert (check["Name"], check["Type"], check["Method"], check["Body"]) == (
        "check-name", "http", "POST", '{"check":"mem"}')


@pytest.mark.parametrize("heredoc, value", [
    ("<<EOT\n  a\n    b\nEOT", "  a\n    b\n"),
    ("<<-EOT\n    a\n      b\n    EOT", "a\n  b\n"),
    ("<<-EOT\n    a\n\n      b\n    EOT", "a\n\n  b\n"),
    ("<<-EOT\n    a\n   \n      b\n    EOT", "a\n   \n  b\n"),  # a blank line is neither counted nor trimmed
    ("<<-EOT\n    a\n${\"x\"}\n    EOT", "    a\nx\n"),  # a line starting with ${ has no indentation
    ("<<-EOT\n    a ${1 + 1}\n      $${b}\n    EOT", "a 2\n  ${b}\n"),
    # strip markers act first: `{~` empties the endif line's indentation, a line start of width 0
    ("<<-EOT\n    %{ if true ~}\n    yes\n    %{~ endif }\n    EOT", "        yes\n\n"),
])
def test_heredocs_flush_as_hclsyntax_does(heredoc, value):
    assert region_of(heredoc) == value


def test_an_object_item_whose_value_is_an_operation_ends_at_its_newline():
    from devagent.jobspec import parse_jobspec
    job = parse_jobspec('job "j" {\n  meta = {\n    a = 1 + 1\n    b = 2 > 1\n    c = "x"\n  }\n'
                        '  group "g" {\n    task "t" {\n      driver = "raw_exec"\n    }\n  }\n}\n')
    assert job["Meta"] == {"a": "2", "b": "true", "c": "x"}


def test_split_on_an_empty_separator_and_log_of_zero_are_gos():
    from devagent.jobspec import parse_jobspec
    job = parse_jobspec('job "j" {\n  region = join(",", split("", "abc"))\n  namespace = log(0, 10)\n'
                        '  group "g" {\n    task "t" {\n      driver = "raw_exec"\n    }\n  }\n}\n')
    assert (job["Region"], job["Namespace"]) == ("a,b,c", "-Inf")


def test_a_failed_variable_validation_names_its_rule_after_a_blank_line():
    from devagent.jobspec import JobspecError, parse_jobspec
    text = ('variable "n" {\n  type    = number\n  default = 1\n  validation {\n    condition     = var.n > 5\n'
            '    error_message = "Must be above 5."\n  }\n}\njob "j" {\n  priority = var.n\n}\n')
    with pytest.raises(JobspecError) as raised:
        parse_jobspec(text)
    assert str(raised.value) == ("input.hcl:3,13-14: Invalid value for default variable; Must be above 5.\n\n"
                                 "This was checked by the validation rule at input.hcl:4,3-13.")


def test_an_unsuitable_value_from_a_lone_interpolation_points_at_the_whole_quoted_string():
    from devagent.jobspec import JobspecError, parse_jobspec
    text = 'variable "p" {\n  default = "high"\n}\njob "j" {\n  priority = "${var.p}"\n}\n'
    with pytest.raises(JobspecError, match=r"^input\.hcl:5,14-24: Unsuitable value type"):
        parse_jobspec(text)
    with pytest.raises(JobspecError, match=r"^input\.hcl:5,17-22: Unsuitable value type"):
        parse_jobspec(text.replace('"${var.p}"', '"${var.p}x"'))


@pytest.mark.parametrize("expression, expected", [
    ('formatdate("\'o\'\'clock\' hh", "2020-01-05T03:04:05Z")', "o'clock 03"),
    ('format("%#v", ["a", 1])', '["a",1]'),
    ('timeadd("2020-01-01T00:00:00Z", "90m")', "2020-01-01T01:30:00Z"),
])
def test_cty_functions_in_go_forms(expression, expected):
    from devagent.jobspec import parse_jobspec
    assert parse_jobspec(f'job "j" {{\n  meta = {{ x = {expression} }}\n}}\n', canonicalize=False)["Meta"] == {
        "x": expected}


@pytest.mark.parametrize("expression, text", [
    ('formatdate("YYYY-MM-DDThh", "2020-01-05T03:04:05Z")', 'invalid date format verb "T".'),
    ('formatdate("ZZ", "2020-01-05T03:04:05Z")', 'invalid date format verb "ZZ": timezone must be Z, ZZZZ, or ZZZZZ.'),
    ('timeadd("2020-01-01", "1h")', "not a valid RFC3339 timestamp: missing required time introducer 'T'."),
    ('format("%d", 1.5)', 'unsupported value for "%d" at 0: an integer is required.'),
    ('format("%s", [1])', 'unsupported value for "%s" at 0: string required.'),
    ("1 && true", "Unsuitable value for left operand: bool required."),
])
def test_cty_function_and_operator_errors_in_go_words(expression, text):
    from devagent.jobspec import JobspecError, parse_jobspec
    with pytest.raises(JobspecError) as raised:
        parse_jobspec(f'job "j" {{\n  meta = {{ x = {expression} }}\n}}\n', canonicalize=False)
    assert str(raised.value).endswith(text)
