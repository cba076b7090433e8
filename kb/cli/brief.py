"""`kb brief`: a briefing note on a counterpart before a meeting."""

from __future__ import annotations

import datetime as dt

import click

from kb.cli import Context, common
from kb.errors import KBError
from kb.rendering.formats import BRIEF


@click.command()
@click.argument("counterpart")
@common.format_options(BRIEF)
@common.as_of_option
@common.audience_option
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    metavar="N",
    help="Meetings shown in full, newest first; older ones as one line each (up to ten times "
    "as many) and counted by year.",
)
@click.option("--all", "all_", is_flag=True, help="Every meeting in full, however long the history.")
@click.pass_obj
def brief(
    obj: Context,
    counterpart: str,
    format_: str,
    output: str | None,
    as_of: dt.date | None,
    audience: str | None,
    limit: int,
    all_: bool,
) -> None:
    """Brief yourself on COUNTERPART: a person (id, name or alias), an organisation (id, name or
    abbreviation), a country (ISO code or name) or a planned meeting's id.

    \b
      kb brief donald-blome
      kb brief "Donald Bloom" --as-of 2024-12-31
      kb brief US --audience GREEN -o us.html
      kb brief mohsin-naqvi --limit 5
    """
    from kb.views import briefing

    kb = obj.load()
    readers = common.audience(kb, audience)
    subject = common.counterpart(kb, counterpart, readers)
    try:
        context = briefing.build(kb, subject, readers, as_of=as_of, limit=None if all_ else limit)
    except briefing.BriefError as error:
        raise KBError(str(error)) from None
    BRIEF.write(format_, context, common.templates(kb), output)
