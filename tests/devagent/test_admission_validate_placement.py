"""Constraint, Affinity and Spread validation, with cases carried over from Nomad's structs_test.go."""

import pytest

from devagent.admission.validate_placement import validate_affinity, validate_constraint, validate_spread


def entries(problem) -> list[str]:
    return [str(entry) for entry in (problem.errors if problem else [])]


@pytest.mark.parametrize("constraint, expected", [
    ({}, ["Missing constraint operand", 'Unknown constraint type ""',
          "No LTarget provided but is required by constraint"]),
    ({"LTarget": "$attr.kernel.name", "RTarget": "linux", "Operand": "="}, []),
    ({"LTarget": "$attr.kernel.name", "RTarget": "(foo", "Operand": "regexp"},
     ["Regular expression failed to compile: error parsing regexp: missing closing ): `(foo`"]),
    ({"LTarget": "$attr.kernel.name", "RTarget": "~> foo", "Operand": "version"},
     ["Version constraint is invalid: Malformed constraint: ~> foo"]),
    ({"LTarget": "$attr.kernel.name", "RTarget": "~> foo", "Operand": "semver"},
     ["Semver constraint is invalid: Malformed constraint: ~> foo"]),
    ({"LTarget": "$attr.kernel.name", "RTarget": "~> 1.2", "Operand": "semver"},
     ["Semver constraint is invalid: Malformed constraint: ~> 1.2"]),
    ({"LTarget": "$attr.kernel.name", "RTarget": "~> 1.2", "Operand": "version"}, []),
    ({"LTarget": "$attr.kernel.name", "RTarget": ">= 0.6.1", "Operand": "semver"}, []),
    ({"LTarget": "${attr.consul.version}", "RTarget": ">= 1.8.0", "Operand": "semver"}, []),
    ({"LTarget": "$attr.kernel.name", "RTarget": ">= 1.0, < 2.0", "Operand": "version"}, []),
    ({"LTarget": "${meta.rack}", "RTarget": "0", "Operand": "distinct_property"},
     ["Distinct Property must have an allowed count of 1 or greater: 0 < 1"]),
    ({"LTarget": "${meta.rack}", "RTarget": "-1", "Operand": "distinct_property"},
     ['Failed to convert RTarget "-1" to uint64: strconv.ParseUint: parsing "-1": invalid syntax']),
    ({"LTarget": "${meta.rack}", "RTarget": "2", "Operand": "distinct_property"}, []),
    ({"Operand": "distinct_hosts"}, []),
    ({"LTarget": "${meta.x}", "Operand": "set_contains"}, ["Set contains constraint requires an RTarget"]),
    ({"LTarget": "${meta.x}", "Operand": "set_contains_all"}, ["Set contains constraint requires an RTarget"]),
    ({"LTarget": "${meta.x}", "Operand": "set_contains_any"}, ["Set contains constraint requires an RTarget"]),
    ({"RTarget": "foo", "Operand": "regexp"}, ["No LTarget provided but is required by constraint"]),
    ({"LTarget": "${meta.x}", "RTarget": "foo", "Operand": "foo"}, ['Unknown constraint type "foo"']),
    ({"LTarget": "${meta.x}", "RTarget": "y", "Operand": "is_set"}, ['Operator "is_set" does not support an RTarget']),
    ({"LTarget": "${meta.x}", "Operand": "is_not_set"}, []),
    ({"LTarget": "${attr.consul.grpc}", "RTarget": "0", "Operand": ">"}, []),
])
def test_constraint_table(constraint, expected):
    assert entries(validate_constraint(constraint)) == expected


@pytest.mark.parametrize("affinity, expected", [
    ({}, ["Missing affinity operand", 'Unknown affinity operator ""', "No LTarget provided but is required",
          "Affinity weight cannot be zero"]),
    ({"Operand": "foo", "LTarget": "${meta.node_class}", "Weight": 10}, ['Unknown affinity operator "foo"']),
    ({"Operand": "=", "LTarget": "${meta.node_class}", "Weight": 10}, ['Operator "=" requires an RTarget']),
    ({"Operand": "=", "LTarget": "${meta.node_class}", "RTarget": "c4", "Weight": 0}, ["Affinity weight cannot be zero"]),
    ({"Operand": "=", "LTarget": "${meta.node_class}", "RTarget": "c4", "Weight": 110},
     ["Affinity weight must be within the range [-100,100]"]),
    ({"Operand": "version", "LTarget": "${meta.os}", "RTarget": ">>2.0", "Weight": 110},
     ["Version affinity is invalid: Malformed constraint: >>2.0", "Affinity weight must be within the range [-100,100]"]),
    ({"Operand": "regexp", "LTarget": "${meta.os}", "RTarget": "\\K2.0", "Weight": 100},
     ["Regular expression failed to compile: error parsing regexp: invalid escape sequence: `\\K`"]),
    ({"Operand": "set_contains_any", "LTarget": "${meta.os}", "Weight": 50},
     ["Set contains operators require an RTarget"]),
    ({"Operand": "semver", "LTarget": "${meta.os}", "RTarget": ">= 1.0.0", "Weight": -50}, []),
])
def test_affinity_table(affinity, expected):
    assert entries(validate_affinity(affinity)) == expected


@pytest.mark.parametrize("spread, expected", [
    ({}, ["Missing spread attribute", "Spread block must have a positive weight from 0 to 100"]),
    ({"Attribute": "${node.datacenter}", "Weight": -1}, ["Spread block must have a positive weight from 0 to 100"]),
    ({"Attribute": "${node.datacenter}", "Weight": 110}, ["Spread block must have a positive weight from 0 to 100"]),
    ({"Attribute": "${node.datacenter}", "Weight": 50,
      "SpreadTarget": [{"Value": "dc1", "Percent": 25}, {"Value": "dc2", "Percent": 150}]},
     ['Spread target percentage for value "dc2" must be between 0 and 100',
      "Sum of spread target percentages must not be greater than 100%; got 175%"]),
    ({"Attribute": "${node.datacenter}", "Weight": 50,
      "SpreadTarget": [{"Value": "dc1", "Percent": 75}, {"Value": "dc2", "Percent": 75}]},
     ["Sum of spread target percentages must not be greater than 100%; got 150%"]),
    ({"Attribute": "${node.datacenter}", "Weight": 50,
      "SpreadTarget": [{"Value": "dc1", "Percent": 25}, {"Value": "dc1", "Percent": 50}]},
     ['Spread target value "dc1" already defined']),
    ({"Attribute": "${node.datacenter}", "Weight": 50,
      "SpreadTarget": [{"Value": "dc1", "Percent": 25}, {"Value": "dc2", "Percent": 50}]}, []),
])
def test_spread_table(spread, expected):
    assert entries(validate_spread(spread)) == expected
