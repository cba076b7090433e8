"""`kb timeline`: every meeting with a counterpart, in date order."""

from __future__ import annotations

import click

from kb.cli import Context, common
from kb.rendering.output import to_terminal

FORMATS = ("table", "text", "md", "html", "json", "csv", "ics", "mermaid")


@click.command()
@click.argument("counterpart")
@click.option(
    "--format",
    "format_",
    type=click.Choice(FORMATS),
    help="table (rich), text, md, html, json, csv, ics or mermaid. Default: from the -o file's "
    "name; else a table on a terminal and text when piped.",
)
@common.output_option
@click.option("--since", metavar="DATE", help="Leave out meetings certainly before DATE (2025, 2025-06 or a day).")
@click.option("--until", metavar="DATE", help="Leave out meetings certainly after DATE (2025 means to its end).")
@common.as_of_option
@click.option(
    "--audience",
    metavar="LEVEL",
    help="TLP level of the readers: meetings marked above it are left out, and counted. "
    "Default: brief_audience in kb.yaml.",
)
@click.pass_obj
def timeline(
    obj: Context,
    counterpart: str,
    format_: str | None,
    output: str | None,
    since: str | None,
    until: str | None,
    as_of: str | None,
    audience: str | None,
) -> None:
    """Every meeting with COUNTERPART (a person, organisation, country or meeting id), oldest first.

    \b
      kb timeline US
      kb timeline natalie-baker --format mermaid
      kb timeline GB --since 2025 -o gb.ics
    """
    from kb.rendering.output import format_from_path, is_terminal
    from kb.views import timelines

    since_day = common.parse_day(since, "--since")
    until_day = common.parse_day(until, "--until", end=True)
    day = common.parse_day(as_of, "--as-of", end=True)
    kb = obj.load()
    readers = common.audience(kb, audience)
    subject = common.counterpart(kb, counterpart, readers)
    context = timelines.build(kb, subject, readers, since=since_day, until=until_day, as_of=day)

    format_ = format_ or format_from_path(output, FORMATS)
    if format_ is None:
        format_ = "table" if output is None and is_terminal() else "text"
    if format_ == "table" and output is None:
        to_terminal(timelines.table(context))
        return
    if format_ == "json":
        import json

        text = json.dumps(context, indent=2, ensure_ascii=False)
    elif format_ == "csv":
        text = timelines.to_csv(context)
    elif format_ == "ics":
        text = timelines.to_ics(context)
    elif format_ in ("md", "html", "mermaid"):
        text = common.render("timeline", format_, context, kb)
    else:  # text, or a table asked for in a file
        text = timelines.to_text(context)
    common.write(text, output)
