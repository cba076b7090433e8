"""Options the commands share, each worded once and turned from text into values or a KBError."""

from __future__ import annotations

import datetime as dt

import click

from kb.errors import KBError


def parse_day(value: str | None, option: str, end: bool = False) -> dt.date | None:
    """A date option: a full day, or a month or year meaning its first (or, with ``end``, last) day."""
    from kb.model.dates import from_option

    if value is None:
        return None
    date = from_option(value, option)
    return date.latest() if end else date.earliest()


def _level(_ctx, _param, value: str | None) -> str | None:
    """--audience as a TLP level (None when not given), or a KBError."""
    from kb.query.audience import LevelError, parse_level

    if value is None:
        return None
    try:
        return parse_level(value)
    except LevelError as error:
        raise KBError(f"--audience: {error}") from None


def _day(end: bool):
    def parse(ctx, param, value: str | None):
        return parse_day(value, f"--{param.name.replace('_', '-')}", end=end)

    return parse


def _partial(_ctx, param, value: str | None):
    """A date option as written (a year, a month or a day), or a KBError (kb.model.dates.from_option)."""
    from kb.model.dates import from_option

    return None if value is None else from_option(value, f"--{param.name}")


# The options commands share, each worded once and parsed here into values.
audience_option = click.option(
    "--audience",
    metavar="LEVEL",
    callback=_level,
    help="TLP level of the readers (CLEAR, GREEN, AMBER, AMBER+STRICT, RED): nothing marked above it "
    "is shown, named or suggested, and what is left out is counted. Default: brief_audience in kb.yaml.",
)
as_of_option = click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    callback=_day(end=True),
    help="Only what was known then: later meetings, sources and status updates left out.",
)


def since_until_options(days: bool = False):
    """--since and --until: meetings certainly before or after DATE (2025, 2025-06 or a day) left
    out. As partial dates, or with ``days`` as the first day of --since and the last of --until."""
    since = click.option(
        "--since",
        metavar="DATE",
        callback=_day(end=False) if days else _partial,
        help="Leave out meetings certainly before DATE (2025, 2025-06 or a day).",
    )
    until = click.option(
        "--until",
        metavar="DATE",
        callback=_day(end=True) if days else _partial,
        help="Leave out meetings certainly after DATE (2025 means to its end).",
    )
    return lambda command: since(until(command))


def format_options(view, *others):
    """--format (the formats ``view`` offers) and -o/--output (the format inferred from the file's
    name, an unknown suffix refused before anything is loaded), parsed into the chosen format's
    name as ``format_`` and the file as ``output``.

    A command with more than one view (``kb check`` and ``kb check --list``) names them all: --format
    offers every format of any of them, and the command picks its format with ``chosen`` once it
    knows which view it writes."""
    from kb.rendering.formats import TERMINAL

    views = (view, *others)
    formats = tuple(dict.fromkeys(name for v in views for name in v.formats))
    shown = "rich text" if view.shown_as == TERMINAL else f"a {view.shown_as}"
    where = f"{shown} on a terminal and {view.piped} when piped" if view.shown_as != view.piped else view.piped
    when = f"; {view.when}" if view.when else ""
    only = "".join(
        f" {', '.join(f for f in v.formats if f not in view.formats)} only with {v.name.split()[-1]}." for v in others
    )

    def choose(ctx, _param, path: str | None):
        if ctx.resilient_parsing or others:  # shell completion, or the command picks its view
            return path
        ctx.params["format_"] = chosen(view, ctx.params.get("format_"), path)
        return path

    format_option = click.option(
        "--format",
        "format_",
        type=click.Choice(formats),
        is_eager=True,
        help=f"{', '.join(formats)}. Default: from the -o file's name{when}; else {where}.{only}",
    )
    output_option = click.option(
        "-o",
        "--output",
        metavar="FILE",
        type=click.Path(dir_okay=False),
        callback=choose,
        help="Write to FILE (atomically) instead of standard output; its suffix (.md, .ics, ...) names the format.",
    )
    return lambda command: format_option(output_option(command))


def chosen(view, format_: str | None, path: str | None) -> str:
    """The format ``view`` writes for --format and -o (kb.rendering.formats.View.choose); a format
    it does not offer is a usage error."""
    from kb.rendering.output import is_terminal

    if format_ is not None and format_ not in view.formats:
        raise click.BadParameter(
            f"{format_} is not a format of kb {view.name} (it writes {', '.join(view.formats)})",
            param_hint="'--format'",
        )
    return view.choose(format_, path, is_terminal())


def audience(kb, level: str | None):
    """The readers: --audience (a level, parsed by audience_option), else the knowledge base's
    brief_audience, else no restriction."""
    from kb.query.audience import Audience

    return Audience(level if level is not None else kb.config.brief_audience, kb.config.default_sensitivity, kb)


def templates(kb):
    """The knowledge base's templates, for the renderers of kb.rendering.formats."""
    from kb.rendering.formats import Templates

    return Templates(kb.root, kb.config.templates, use_cache=getattr(kb, "use_cache", True))


def counterpart(kb, query: str, readers=None):
    """What ``query`` names, among what ``readers`` may see (kb.query.audience.resolve_for)."""
    from kb.query.audience import resolve_for
    from kb.query.resolve import CounterpartError

    try:
        return resolve_for(kb, query, readers)
    except CounterpartError as error:
        raise KBError(str(error)) from None


def write(text: str, path: str | None) -> None:
    from kb.errors import EnvironmentProblem
    from kb.rendering.output import emit

    try:
        emit(text, path)
    except OSError as error:
        raise EnvironmentProblem(f"cannot write {path}: {error.strerror or error}") from None
