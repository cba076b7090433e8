"""The table of check codes, and the functions that run over a whole knowledge base."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator

from kb.model.findings import CODES, ERROR, WARNING, Code, Finding, code, finding

__all__ = ["CODES", "ERROR", "KB_CHECKS", "WARNING", "Code", "check", "code", "finding", "load_all"]


KB_CHECKS: list[tuple[Code, Callable]] = []

# Modules whose checks run over the loaded knowledge base, in report order.
_CHECK_MODULES = ("ids", "references", "dates", "roles", "meetings", "outcomes", "sources", "people", "drafts",
                  "placeholders", "posts", "sides")


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


def load_all() -> None:
    """Register every code: those found while reading files (kb.store) and every check's."""
    for module in ("kb.store.yamlread", "kb.store.loader", "kb.store.schemas"):
        importlib.import_module(module)
    for module in _CHECK_MODULES:
        importlib.import_module(f"{__package__}.{module}")
