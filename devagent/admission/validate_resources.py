"""Task resources, devices and log config (structs.go Resources.Validate, RequestedDevice, LogConfig)."""

from __future__ import annotations

from .multierror import MultiError
from .go_text import quote
from .structs_fields import items, number, text
from .validate_placement import DISTINCT_HOSTS, DISTINCT_PROPERTY, validate_affinity, validate_constraint

_MIN_CPU, _MIN_MEMORY_MB = 1, 10
_MEMORY_NO_LIMIT = -1


def validate_resources(resources: dict) -> MultiError | None:
    """Resources.Validate (the minimums come back as a nested multi-error, as in Nomad)."""
    errors = MultiError()
    add = errors.errors.append
    cpu, cores, memory = number(resources, "CPU"), number(resources, "Cores"), number(resources, "MemoryMB")
    if cores > 0 and cpu > 0:
        add("Task can only ask for 'cpu' or 'cores' resource, not both.")
    minimums = MultiError()
    if cpu < _MIN_CPU and cores == 0:
        minimums.errors.append(f"minimum CPU value is {_MIN_CPU}; got {cpu}")
    if memory < _MIN_MEMORY_MB:
        minimums.errors.append(f"minimum MemoryMB value is {_MIN_MEMORY_MB}; got {memory}")
    if minimums.errors:
        add(minimums)
    if number(resources, "DiskMB") > 0:
        add("Task can't ask for disk resources, they have to be specified at the task group level.")
    for index, device in enumerate(items(resources, "Devices"), start=1):
        problem = validate_device(device) if device is not None else None
        if problem:
            add(f"device {index} failed validation: {problem}")
    memory_max = number(resources, "MemoryMaxMB")
    if memory_max not in (0, _MEMORY_NO_LIMIT) and memory_max < memory:
        add(f"MemoryMaxMB value ({memory_max}) should be larger than MemoryMB value ({memory})")
    secrets = number(resources, "SecretsMB")
    if secrets > memory:
        add(f"SecretsMB value ({secrets}) cannot be larger than MemoryMB value ({memory})")
    if secrets < 0:
        add(f"SecretsMB value ({secrets}) cannot be negative")
    return errors.error_or_none()


def validate_device(device: dict) -> MultiError | None:
    """RequestedDevice.Validate."""
    errors = MultiError()
    if text(device, "Name") == "":
        errors.errors.append("device name must be given as one of the following: type, vendor/type, or "
                             "vendor/type/name")
    for index, constraint in enumerate(items(device, "Constraints"), start=1):
        operand = text(constraint, "Operand")
        if operand in (DISTINCT_HOSTS, DISTINCT_PROPERTY):
            errors.errors.append(f"Constraint {index} validation failed: using unsupported operand {quote(operand)}")
            continue
        problem = validate_constraint(constraint)
        if problem:
            errors.errors.append(f"Constraint {index} validation failed: {problem}")
    for index, affinity in enumerate(items(device, "Affinities"), start=1):
        problem = validate_affinity(affinity)
        if problem:
            errors.errors.append(f"Affinity {index} validation failed: {problem}")
    return errors.error_or_none()


def validate_log_config(log_config: dict, disk) -> MultiError | None:
    """LogConfig.Validate: at least one file of at least 1 MB, all fitting in the group's ephemeral disk."""
    errors = MultiError()
    max_files, max_size = number(log_config, "MaxFiles"), number(log_config, "MaxFileSizeMB")
    if max_files < 1:
        errors.errors.append(f"minimum number of files is 1; got {max_files}")
    if max_size < 1:
        errors.errors.append(f"minimum file size is 1MB; got {max_size}")
    if disk is not None:
        usage, size = max_files * max_size, number(disk, "SizeMB")
        if size <= usage:
            errors.errors.append(f"log storage ({usage} MB) must be less than requested disk capacity ({size} MB)")
    return errors.error_or_none()
