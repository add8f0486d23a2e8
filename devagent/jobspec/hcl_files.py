"""jobspec2's filesystem functions for when AllowFS is set (`nomad job validate|run` read the job file locally).

Paths are Go's (path/filepath on Linux); relative ones resolve against base_dir, which is "." for the CLI
(jobspec2 gets the file's base name as its path). The parse endpoint keeps them disabled.
"""

from __future__ import annotations

import base64
import glob
import os
import posixpath
import stat

from .hcl_eval import FunctionError
from .hcl_values import to_string


def file_functions(base_dir: str) -> dict:
    """The eight functions jobspec2 guards with AllowFS, working from base_dir."""
    return {
        "abspath": lambda path: os.path.abspath(_text(path)),
        "basename": lambda path: go_base(_text(path)),
        "dirname": lambda path: go_dir(_text(path)),
        "file": lambda path: _read(base_dir, _text(path), encode=False),
        "filebase64": lambda path: _read(base_dir, _text(path), encode=True),
        "fileexists": lambda path: _exists(base_dir, _text(path)),
        "fileset": lambda path, pattern: _fileset(base_dir, _text(path), _text(pattern)),
        "pathexpand": lambda path: os.path.expanduser(_text(path)),
    }


def _text(value) -> str:
    text = to_string(value)
    if text is None:
        raise FunctionError('argument must not be null')
    return text


def go_clean(path: str) -> str:
    """filepath.Clean."""
    if not path:
        return "."
    cleaned = posixpath.normpath(path)
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


def go_base(path: str) -> str:
    """filepath.Base: the last element; "." for "", "/" for slashes only."""
    if not path:
        return "."
    path = path.rstrip("/")
    return path.rsplit("/", 1)[-1] if path else "/"


def go_dir(path: str) -> str:
    """filepath.Dir: all but the last element, cleaned."""
    return go_clean(path[:path.rfind("/") + 1])


def _resolve(base_dir: str, path: str) -> str:
    path = os.path.expanduser(path)
    return go_clean(path if os.path.isabs(path) else os.path.join(base_dir, path))


def _read(base_dir: str, path: str, encode: bool) -> str:
    resolved = _resolve(base_dir, path)
    try:
        with open(resolved, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise FunctionError(f"no file exists at {resolved}") from None
    except OSError:
        raise FunctionError(f"failed to read {resolved}") from None
    if encode:
        return base64.b64encode(data).decode()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise FunctionError(f"contents of {path} are not valid UTF-8; use the filebase64 function to obtain the "
                            "Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to "
                            "obtain file hashing results instead") from None


def _exists(base_dir: str, path: str) -> bool:
    resolved = _resolve(base_dir, path)
    try:
        status = os.stat(resolved)
    except FileNotFoundError:
        return False
    except OSError:
        raise FunctionError(f"failed to stat {resolved}") from None
    if os.path.isfile(resolved):
        return True
    raise FunctionError(f"{resolved} is not a regular file, but \"{_mode_text(status.st_mode)}\"")


def _mode_text(mode: int) -> str:
    """Go's FileMode.String() for a directory or other non-regular file (the common cases)."""
    kind = "d" if stat.S_ISDIR(mode) else "-"
    bits = "".join(flag if mode & mask else "-" for flag, mask in zip("rwxrwxrwx", (0o400, 0o200, 0o100, 0o40,
                                                                                  0o20, 0o10, 0o4, 0o2, 0o1)))
    return kind + bits


def _fileset(base_dir: str, path: str, pattern: str) -> list[str]:
    root = path if os.path.isabs(path) else os.path.join(base_dir, path)
    matches = glob.glob(go_clean(os.path.join(root, pattern)), recursive=True)
    found = {os.path.relpath(match, root) for match in matches if os.path.isfile(match)}
    return sorted(found)  # a cty set of strings iterates in lexical order
