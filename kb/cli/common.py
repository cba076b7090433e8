"""Options shared by `kb brief` and `kb timeline`, turned from text into values or a KBError."""

from __future__ import annotations

import datetime as dt

import click

from kb.errors import KBError

# Options that `kb brief` and `kb timeline` share, worded once.
output_option = click.option(
    "-o",
    "--output",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Write to FILE (atomically) instead of standard output.",
)
as_of_option = click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="Only what was known then: later meetings, sources and status updates left out.",
)


def parse_day(value: str | None, option: str, end: bool = False) -> dt.date | None:
    """A date option: a full day, or a month or year meaning its first (or, with ``end``, last) day."""
    from kb.model.dates import DateError, PartialDate

    if value is None:
        return None
    try:
        date = PartialDate.parse(value.strip())
    except DateError as error:
        raise KBError(f"{option}: {error}") from None
    return date.latest() if end else date.earliest()


def audience(kb, value: str | None):
    """The audience: --audience, else the knowledge base's brief_audience, else no restriction."""
    from kb.query.audience import Audience, LevelError, parse_level

    level = kb.config.brief_audience
    if value is not None:
        try:
            level = parse_level(value)
        except LevelError as error:
            raise KBError(f"--audience: {error}") from None
    return Audience(level, kb.config.default_sensitivity, kb)


audience_option = click.option(
    "--audience",
    metavar="LEVEL",
    help="TLP level of the readers: nothing marked above it is shown, named or suggested. "
    "Default: brief_audience in kb.yaml.",
)


def counterpart(kb, query: str, readers=None):
    """What ``query`` names, among what ``readers`` may see: a meeting above the audience is
    refused, and "did you mean" suggests only what the audience may see."""
    from kb.query.audience import restrict
    from kb.query.resolve import CounterpartError, resolve

    visible = restrict(kb, readers) if readers is not None else kb
    try:
        return resolve(visible, query)
    except CounterpartError as error:
        refuse_hidden(kb, visible, query, readers)
        raise KBError(str(error)) from None


def refuse_hidden(kb, visible, query: str, readers) -> None:
    """When ``query`` is the exact id of a meeting withheld from ``visible`` (a restricted view of
    ``kb``), say so, as the reader typed the id already; else nothing."""
    query = query.strip()
    if query in getattr(visible, "hidden_meeting_ids", ()):
        meeting = kb.meetings.get(kb.resolve_id("meeting", query) or "")
        marking = (meeting.sensitivity if meeting else None) or readers.default
        raise KBError(
            f"meeting {query} is marked {marking}, above the audience {readers.level}: "
            "nothing about it is shown to that audience"
        )


def render(name: str, output: str, context: dict, kb) -> str:
    from kb.rendering import templates

    return templates.render(
        name, output, context, kb.root, kb.config.templates, use_cache=getattr(kb, "use_cache", True)
    )


def write(text: str, path: str | None) -> None:
    from kb.errors import EnvironmentProblem
    from kb.rendering.output import emit

    try:
        emit(text, path)
    except OSError as error:
        raise EnvironmentProblem(f"cannot write {path}: {error.strerror or error}") from None
