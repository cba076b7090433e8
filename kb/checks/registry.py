"""The table of check codes, and the functions that run over a whole knowledge base."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable, Iterator

from kb.model.findings import ERROR, WARNING, Finding

__all__ = ["Code", "CODES", "KB_CHECKS", "code", "check", "finding", "load_all", "ERROR", "WARNING"]


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: str
    summary: str  # one line, for --list


CODES: dict[str, Code] = {}
KB_CHECKS: list[tuple[Code, Callable]] = []

# Modules whose checks run over the loaded knowledge base, in report order.
_CHECK_MODULES = ("ids", "references", "dates", "roles", "meetings", "outcomes", "sources", "people", "drafts",
                  "placeholders")


def code(code_: str, name: str, severity: str, summary: str) -> Code:
    if code_ in CODES:
        raise ValueError(f"check code {code_} registered twice")
    entry = Code(code_, name, severity, summary)
    CODES[code_] = entry
    return entry


# What a check's findings depend on, for the incremental `kb check` (kb/check.py):
READS = (
    "all",  # anything: run over the whole knowledge base every time
    # A finding in a meeting's file depends on that meeting alone, given the records that are not
    # meetings (people, organisations, topics, kb.yaml), the ids meetings may be referred to by,
    # and the day; other findings depend only on those. The check goes through meetings only by
    # ``kb.sorted_meetings``, people by ``kb.people_to_check``, organisations by ``kb.orgs_to_check``.
    "one-meeting",
    "no-meetings",  # the records that are not meetings, and nothing else
)


def check(code_: str, name: str, severity: str, *, reads: str = "all"):
    """Register a function ``(kb) -> Iterator[Finding]``; its docstring's first line is the summary.
    ``reads`` says what its findings depend on (see READS): an incremental `kb check` runs a
    "one-meeting" check only on the meetings that changed and takes the rest from the last run."""
    if reads not in READS:
        raise ValueError(f"check {code_}: reads must be one of {READS}")

    def register(function: Callable[..., Iterator[Finding]]):
        summary = " ".join((function.__doc__ or "").strip().split("\n\n")[0].split())
        function.reads = reads
        KB_CHECKS.append((code(code_, name, severity, summary), function))
        return function

    return register


def finding(code_: str, path: str, line: int, column: int, message: str, hint: str = "") -> Finding:
    return Finding(path, line, column, CODES[code_].severity, code_, message, hint)


def load_all() -> None:
    for module in _CHECK_MODULES:
        importlib.import_module(f"{__package__}.{module}")


# Codes reported while a file is read and validated, before any record-level check.
code("KB100", "yaml-syntax", ERROR, "The file is not valid YAML (the position is the parser's).")
code("KB101", "tab-indent", ERROR, "A tab is used for indentation; YAML allows only spaces.")
code("KB102", "duplicate-key", ERROR, "A key appears twice in one mapping.")
code("KB103", "unsafe-tag", ERROR, "An explicit YAML tag such as !!python/object; tags are never constructed.")
code("KB104", "multiple-documents", ERROR, "The file holds more than one YAML document.")
code("KB105", "merge-conflict", ERROR, "A Git merge-conflict marker is left in the file.")
code("KB106", "not-utf8", ERROR, "The file is not valid UTF-8.")
code("KB107", "too-large", ERROR, "The file is larger than a record can sensibly be (1 MB).")
code("KB108", "too-complex", ERROR, "Nesting too deep, or an alias bomb expanding past the node limit.")
code("KB109", "not-a-mapping", ERROR, "The file is empty, only comments, or its top level is not a mapping.")
code("KB110", "unreadable", ERROR, "The path cannot be read as a record (a folder, a link out of the knowledge base, no permission).")
code("KB500", "impossible-date", ERROR, "A date of the right form that does not exist, such as 2025-02-30 or 2024-13.")
code("KB200", "missing-field", ERROR, "A required field is missing.")
code("KB201", "unknown-field", ERROR, "A field the schema does not know (often a typo: see the suggestion).")
code("KB202", "wrong-type", ERROR, "A field has the wrong type (a list where text is expected, ...).")
code("KB203", "invalid-value", ERROR, "A value outside what the schema allows (an unknown status, a malformed id or date, ...).")
