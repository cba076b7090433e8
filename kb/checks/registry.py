"""The table of check codes, and the functions that run over a whole knowledge base."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator

from kb.model.findings import CODES, ERROR, WARNING, Code, Finding, code, finding
from kb.model.text import did_you_mean

__all__ = [
    "CODES",
    "ERROR",
    "KB_CHECKS",
    "WARNING",
    "Code",
    "UnknownCode",
    "check",
    "code",
    "explain",
    "finding",
    "load_all",
    "lookup",
    "markdown_table",
    "update_readme",
]


KB_CHECKS: list[tuple[Code, Callable]] = []

# Modules whose checks run over the loaded knowledge base, in report order.
_CHECK_MODULES = (
    "ids",
    "references",
    "dates",
    "roles",
    "meetings",
    "outcomes",
    "sources",
    "people",
    "aliases",
    "drafts",
    "placeholders",
    "posts",
    "sides",
    "decisions",
)


# What a check's findings depend on, for the incremental `kb check` (kb/check.py):
READS = (
    "all",  # anything: run over the whole knowledge base every time
    # A finding in a meeting's file depends on that meeting alone, given the records that are not
    # meetings (people, organisations, topics, kb.yaml), the ids meetings may be referred to by,
    # and the day; other findings depend only on those. The check goes through meetings only by
    # ``kb.sorted_meetings``, people by ``kb.people_to_check``, organisations by ``kb.orgs_to_check``.
    "one-meeting",
    "no-meetings",  # the records that are not meetings, and nothing else
    # Every meeting, with the records that are not meetings, people or organisations (kb.yaml,
    # topics.yaml), the ids people and organisations are known by (never the rest of their files)
    # and the stored copies' folder: an incremental run keeps its findings while none of those
    # changed (a person renamed checks it again no more than a new day does).
    "meetings",
)


def check(
    code_: str,
    name: str,
    severity: str,
    *,
    reads: str = "all",
    meeting_ids: bool = False,
    day: bool = False,
    turns: Callable[..., Iterable[int]] | None = None,
):
    """Register a function ``(kb) -> Iterator[Finding]``; its docstring is the code's documentation
    (summary, text, a failing and a passing example: see kb/model/findings.py).
    ``reads`` says what its findings depend on (see READS): an incremental `kb check` runs a
    "one-meeting" check only on the meetings that changed and takes the rest from the last run.
    ``meeting_ids``: a "one-meeting" check that also reads the ids meetings are known by
    (``kb.known("meeting")``) and, with a brief_audience, other meetings' markings; where meetings
    are checked in the workers that read them, it is run again in the main process when those
    ids turn out other than the files' names (kb.checks.runner.WorkerChecks). ``day``: its findings
    depend on the day (what is overdue, held or planned): it is called with ``today=`` the day
    checked, and an incremental run keeps its findings apart. ``turns``, with ``day``: the days
    (ordinals) on which its findings may change, ``turns(meeting, day)`` for those in one meeting's
    file (``meeting`` None: those outside every meeting's file); they are the same on every day
    from the latest turn on or before ``day`` to the day before the next one, and an incremental
    run checks a meeting again only on a day outside that span. Without it, only on ``day``."""
    if reads not in READS:
        raise ValueError(f"check {code_}: reads must be one of {READS}")

    def register(function: Callable[..., Iterator[Finding]]):
        setattr(function, "reads", reads)  # noqa: B010 (a function has no declared attributes)
        setattr(function, "meeting_ids", meeting_ids)  # noqa: B010
        setattr(function, "day", day)  # noqa: B010
        setattr(function, "turns", turns)  # noqa: B010
        KB_CHECKS.append((code(code_, name, severity, function.__doc__ or ""), function))
        return function

    return register


def load_all() -> None:
    """Register every code: those found while reading files (kb.store) and every check's."""
    for module in ("kb.store.yamlcodes", "kb.store.loader", "kb.store.schemas"):
        importlib.import_module(module)
    for module in _CHECK_MODULES:
        importlib.import_module(f"{__package__}.{module}")


class UnknownCode(KeyError):
    """A code that no module declares."""

    def __str__(self) -> str:
        return self.args[0]


def lookup(text: str) -> Code:
    """The code ``text`` names (``KB400``, ``kb400`` or its name ``unknown-person``)."""
    load_all()
    wanted = text.strip()
    if wanted.upper() in CODES:
        return CODES[wanted.upper()]
    by_name = {entry.name: entry for entry in CODES.values()}
    if wanted.lower() in by_name:
        return by_name[wanted.lower()]
    suggestion = did_you_mean(wanted.upper(), list(CODES)) or did_you_mean(wanted.lower(), list(by_name))
    other = (CODES[suggestion].name if suggestion in CODES else by_name[suggestion].code) if suggestion else ""
    hint = f"; did you mean {suggestion} ({other})?" if suggestion else ""
    raise UnknownCode(f"unknown check code '{text}'{hint} (kb check --list shows every code)")


def explain(entry: Code) -> str:
    """A code's full documentation, with its examples, as plain text for the terminal."""
    import textwrap

    def wrap(paragraph: str) -> str:
        return textwrap.fill(paragraph, 100, break_on_hyphens=False, break_long_words=False)

    out = [f"{entry.code} {entry.name} ({entry.severity})", "", wrap(entry.summary)]
    for paragraph in entry.text.split("\n\n") if entry.text else ():
        out += ["", wrap(paragraph)]
    for example in entry.examples:
        kind = "Failing" if example.failing else "Passing"
        if example.described:
            out += ["", wrap(f"{kind}: {example.described}")]
            continue
        for i, (path, text) in enumerate(example.files):
            out += ["", f"{kind}: {path}" if i == 0 else f"  with {path}"]
            out += ["    " + line if line else "" for line in text.rstrip("\n").splitlines()]
    return "\n".join(out) + "\n"


def markdown_table() -> str:
    """The README's table of codes: code, severity, name and summary, one row each."""
    load_all()
    rows = ["| code | severity | name | what it finds |", "|---|---|---|---|"]
    for entry in sorted(CODES.values(), key=lambda c: c.code):
        summary = entry.summary.replace("|", "\\|")
        rows.append(f"| {entry.code} | {entry.severity} | {entry.name} | {summary} |")
    return "\n".join(rows) + "\n"


README_START = "<!-- check codes: generated by `kb check --list --format markdown`; do not edit -->"
README_END = "<!-- end of check codes -->"


def update_readme(text: str) -> str:
    """``text`` (a README) with the table between the markers replaced by ``markdown_table()``."""
    start, end = text.index(README_START) + len(README_START), text.index(README_END)
    return text[:start] + "\n" + markdown_table() + text[end:]


if __name__ == "__main__":  # python -m kb.checks.registry README.md: regenerate the README's table
    import sys
    from pathlib import Path

    for name in sys.argv[1:]:
        readme = Path(name)
        readme.write_text(update_readme(readme.read_text(encoding="utf-8")), encoding="utf-8")
