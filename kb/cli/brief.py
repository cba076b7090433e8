"""`kb brief`: a briefing note on a counterpart before a meeting."""

from __future__ import annotations

import click

from kb.cli import Context, common
from kb.errors import KBError

FORMATS = ("md", "html", "json", "text")


@click.command()
@click.argument("counterpart")
@click.option(
    "--format",
    "format_",
    type=click.Choice(FORMATS),
    help="md, html, json or text. Default: from the -o file's name; else rich text on a "
    "terminal and Markdown when piped.",
)
@common.output_option
@common.as_of_option
@click.option(
    "--audience",
    metavar="LEVEL",
    help="TLP level of the readers (CLEAR, GREEN, AMBER, AMBER+STRICT, RED): content marked "
    "above it is left out, and the brief says how much. Default: brief_audience in kb.yaml.",
)
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
    format_: str | None,
    output: str | None,
    as_of: str | None,
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
    from kb.rendering.output import format_from_path, is_terminal, markdown_to_terminal, markdown_to_text
    from kb.views import briefing

    day = common.parse_day(as_of, "--as-of", end=True)
    kb = obj.load()
    readers = common.audience(kb, audience)
    subject = common.counterpart(kb, counterpart, readers)
    try:
        context = briefing.build(kb, subject, readers, as_of=day, limit=None if all_ else limit)
    except briefing.BriefError as error:
        raise KBError(str(error)) from None

    format_ = format_ or format_from_path(output, FORMATS)
    if format_ is None:
        format_ = "terminal" if output is None and is_terminal() else "md"
    if format_ == "json":
        import json

        common.write(json.dumps(context, indent=2, ensure_ascii=False), output)
    elif format_ == "html":
        common.write(common.render("brief", "html", context, kb), output)
    else:
        markdown = common.render("brief", "md", context, kb)
        if format_ == "terminal":
            markdown_to_terminal(markdown)
        elif format_ == "text":
            common.write(markdown_to_text(markdown), output)
        else:
            common.write(markdown, output)
