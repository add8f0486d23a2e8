"""What a task renders or fetches: template, artifact, dispatch payload and vault blocks (structs.go)."""

from __future__ import annotations

import posixpath
import re

from .multierror import MultiError
from .go_text import duration, quote
from .structs_fields import block, flag, items, mapping, number, text

_ENV_VARIABLE = re.compile(r"\$\{[a-zA-Z0-9_\-.]+\}")
_CHECKSUM_SIZES = {"md5": 16, "sha1": 20, "sha256": 32, "sha512": 64}
_INVALID_CHANGE_MODE = "Invalid change mode. Must be one of the following: noop, signal, script, restart"


def path_escapes_alloc(prefix: str, path: str) -> bool:
    """escapingfs.PathEscapesAllocViaRelative: does alloc/<prefix>/<path> leave the allocation directory?"""
    alloc = "/alloc-dir/alloc-id"
    joined = posixpath.normpath("/".join(part for part in (alloc, prefix, path) if part))
    return posixpath.relpath(joined, alloc).startswith("..")


def validate_template(template: dict) -> MultiError | None:
    """Template.Validate."""
    errors = MultiError()
    add = errors.errors.append
    if text(template, "SourcePath") == "" and text(template, "EmbeddedTmpl") == "":
        add("Must specify a source path or have an embedded template")
    destination = text(template, "DestPath")
    if destination == "":
        add("Must specify a destination for the template")
    if path_escapes_alloc("task", destination):
        add("destination escapes allocation directory")
    change_mode = text(template, "ChangeMode")
    if change_mode == "signal":
        if text(template, "ChangeSignal") == "":
            add("Must specify signal value when change mode is signal")
        if flag(template, "Envvars"):
            add("cannot use signals with env var templates")
    elif change_mode == "script":
        script = block(template, "ChangeScript")
        if script is None:
            add("must specify change script configuration value when change mode is script")
        elif text(script, "Command") == "":
            add("must specify script path value when change mode is script")
    elif change_mode not in ("noop", "restart"):
        add(_INVALID_CHANGE_MODE)
    if number(template, "Splay") < 0:
        add("Must specify positive splay value")
    perms = text(template, "Perms")
    if perms != "":
        reason = _parse_octal_error(perms)
        if reason:
            add(f"Failed to parse {quote(perms)} as octal: strconv.ParseUint: parsing {quote(perms)}: {reason}")
    wait = block(template, "Wait")
    if wait is not None and wait.get("Min") is not None and wait.get("Max") is not None:
        if wait["Min"] > wait["Max"]:
            add(f"wait min {duration(wait['Min'])} is greater than max {duration(wait['Max'])}")
    return errors.error_or_none()


def _parse_octal_error(perms: str) -> str | None:
    """strconv.ParseUint(perms, 8, 12)'s reason for failing, or None."""
    if perms == "" or any(char not in "01234567" for char in perms):
        return "invalid syntax"
    return "value out of range" if int(perms, 8) >= 1 << 12 else None


def template_warnings(template: dict) -> list[str]:
    """Template.Warnings."""
    if number(template, "VaultGrace") != 0:
        return ["VaultGrace has been deprecated as of Nomad 0.11 and ignored since Vault 0.5. "
                "Please remove VaultGrace / vault_grace from template block."]
    return []


def validate_artifact(artifact: dict) -> MultiError | None:
    """TaskArtifact.Validate."""
    errors = MultiError()
    add = errors.errors.append
    if text(artifact, "GetterSource") == "":
        add("source must be specified")
    mode = text(artifact, "GetterMode")
    if mode not in ("", "any", "file", "dir"):
        add(f"invalid artifact mode {quote(mode)}; must be one of: any, file, dir")
    if path_escapes_alloc("task", text(artifact, "RelativeDest")):
        add("destination escapes allocation directory")
    problem = _checksum_error(mapping(artifact, "GetterOptions"))
    if problem:
        add(problem)
    return errors.error_or_none()


def _checksum_error(options: dict) -> str | None:
    """TaskArtifact.validateChecksum."""
    if "checksum" not in options:
        return None
    checksum = str(options["checksum"])
    if _ENV_VARIABLE.search(checksum):
        return None
    checksum = checksum.strip()
    if checksum == "":
        return "checksum value cannot be empty"
    parts = checksum.split(":")
    if len(parts) != 2:
        return f'checksum must be given as "type:value"; got {quote(checksum)}'
    kind, value = parts
    problem = _hex_error(value)
    if problem:
        return f"invalid checksum: {problem}"
    if kind not in _CHECKSUM_SIZES:
        return f"unsupported checksum type: {kind}"
    if len(value) // 2 != _CHECKSUM_SIZES[kind]:
        return f"invalid {kind} checksum: {value}"
    return None


def _hex_error(value: str) -> str | None:
    """encoding/hex DecodeString's error text, or None."""
    raw = value.encode()
    hexdigits = b"0123456789abcdefABCDEF"
    for index in range(0, len(raw) - len(raw) % 2):
        if raw[index] not in hexdigits:
            return _invalid_byte(raw[index])
    if len(raw) % 2:
        return _invalid_byte(raw[-1]) if raw[-1] not in hexdigits else "encoding/hex: odd length hex string"
    return None


def _invalid_byte(byte: int) -> str:
    char = chr(byte)
    shown = f" '{char}'" if char.isprintable() else ""
    return f"encoding/hex: invalid byte: U+{byte:04X}{shown}"


def validate_dispatch_payload(payload: dict) -> str | None:
    """DispatchPayloadConfig.Validate."""
    if path_escapes_alloc("task/local/", text(payload, "File")):
        return "destination escapes allocation directory"
    return None


def validate_vault(vault: dict) -> MultiError | None:
    """Vault.Validate."""
    errors = MultiError()
    for policy in items(vault, "Policies"):
        if policy == "root":
            errors.errors.append('Can not specify "root" policy')
    change_mode = text(vault, "ChangeMode")
    if change_mode == "signal":
        if text(vault, "ChangeSignal") == "":
            errors.errors.append('Signal must be specified when using change mode "signal"')
    elif change_mode not in ("noop", "restart"):
        errors.errors.append(f"Unknown change mode {quote(change_mode)}")
    return errors.error_or_none()
