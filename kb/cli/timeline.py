"""`kb timeline`: every meeting with a counterpart, in date order."""

from __future__ import annotations

import datetime as dt

import click

from kb.cli import Context, common
from kb.rendering.formats import TIMELINE


@click.command()
@click.argument("counterpart")
@common.format_options(TIMELINE)
@common.since_until_options(days=True)
@common.as_of_option
@common.audience_option
@click.pass_obj
def timeline(
    obj: Context,
    counterpart: str,
    format_: str,
    output: str | None,
    since: dt.date | None,
    until: dt.date | None,
    as_of: dt.date | None,
    audience: str | None,
) -> None:
    """Every meeting with COUNTERPART (a person, organisation, country or meeting id), oldest first.

    \b
      kb timeline US
      kb timeline natalie-baker --format mermaid
      kb timeline GB --since 2025 -o gb.ics
    """
    from kb.views import timelines

    kb = obj.load()
    readers = common.audience(kb, audience)
    subject = common.counterpart(kb, counterpart, readers)
    context = timelines.build(kb, subject, readers, since=since, until=until, as_of=as_of)
    TIMELINE.write(format_, context, common.templates(kb), output)
