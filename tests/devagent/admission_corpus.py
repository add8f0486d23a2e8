"""The admission corpus: Connect job files with Nomad v1.8.4's verdict and text in their header comments.

A case file starts with comment lines:
    # verdict: accept | reject
    # stage: parse | request | mutator | validate     (reject only: where Nomad refuses it)
    # error: <a substring of Nomad's error text>       (reject only; one or more)
    # absent: <a text Nomad's error does not contain>   (optional; e.g. a second group a validator never reaches)
    # warning: <a substring of Nomad's warnings>        (accept only, optional; one or more)
    # exact: <Nomad's whole error text>                  (reject only, optional: the reply's Error, or the body)
    # source: <where in Nomad's source the verdict comes from>
    # local: accept | <a substring of the local validation's errors>   (mutator only: what `nomad job validate`
                                                                          prints after the agent's 500)
In error, absent, warning and exact texts, \\n and \\t stand for a newline and a tab (go-multierror's layout).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CORPUS_DIR = Path(__file__).parent / "data" / "admission_corpus"
STAGES = ("parse", "request", "mutator", "validate")


@dataclass
class Case:
    """One corpus file and the verdict its header states."""

    path: Path
    verdict: str
    stage: str = ""
    errors: list[str] = field(default_factory=list)
    source: str = ""
    absent: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    exact: str = ""
    local: str = ""

    @property
    def name(self) -> str:
        """The file name without its .nomad.hcl suffix."""
        return self.path.name.removesuffix(".nomad.hcl")

    def text(self) -> str:
        """The job file's text."""
        return self.path.read_text()


def read_case(path: Path) -> Case:
    """The header of one case file; ValueError when it is incomplete."""
    fields: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line.lstrip("# ").partition(":")
        if sep and key in ("verdict", "stage", "error", "source", "absent", "warning", "exact", "local"):
            value = value.strip()
            if key in ("error", "absent", "warning", "exact"):
                value = value.replace("\\n", "\n").replace("\\t", "\t")
            fields.setdefault(key, []).append(value)
    case = Case(path, (fields.get("verdict") or [""])[0], (fields.get("stage") or [""])[0],
                fields.get("error", []), " ".join(fields.get("source", [])), fields.get("absent", []),
                fields.get("warning", []),
                (fields.get("exact") or [""])[0], (fields.get("local") or [""])[0])
    if case.verdict not in ("accept", "reject") or not case.source:
        raise ValueError(f"{path.name}: the header needs a verdict (accept|reject) and a source")
    if case.verdict == "reject" and (case.stage not in STAGES or not case.errors):
        raise ValueError(f"{path.name}: a rejected case needs a stage ({'|'.join(STAGES)}) and an error")
    if (case.stage == "mutator") != bool(case.local):
        raise ValueError(f"{path.name}: a mutator case (and only one) says what the CLI's local validation gives")
    return case


def all_cases() -> list[Case]:
    """Every case in the corpus, by file name."""
    return [read_case(p) for p in sorted(CORPUS_DIR.glob("*.nomad.hcl"))]


def text_problems(case: Case, text: str) -> list[str]:
    """What in devagent's error text differs from Nomad's: expected texts missing, absent ones present."""
    return ([f"missing {e!r}" for e in case.errors if e not in text]
            + [f"unexpected {a!r}" for a in case.absent if a in text])


def verdict_in_process(text: str) -> tuple[str, str, str]:
    """(verdict, stage, text) from devagent's parser and admission called directly, as the HTTP path runs them.

    For an accepted job the text is the warnings."""
    from devagent.admission.pipeline import AdmissionError, RequestError, validate_response
    from devagent.jobspec import JobspecError, parse_jobspec
    try:
        job = parse_jobspec(text, canonicalize=True)
    except JobspecError as exc:
        return "reject", "parse", str(exc)
    try:
        response = validate_response(job)
    except RequestError as exc:
        return "reject", "request", str(exc)
    except AdmissionError as exc:
        return "reject", "mutator", str(exc)
    if response["Error"]:
        return "reject", "validate", response["Error"]
    return "accept", "", response["Warnings"]
