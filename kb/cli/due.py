"""`kb due`: the desk's agenda: commitments overdue or coming due, planned meetings, counterparts to meet."""

from __future__ import annotations

import click

from kb.cli import Context, common

FORMATS = ("table", "text", "md", "json", "ics")


@click.command("due")
@click.option(
    "--within",
    default="30d",
    show_default=True,
    metavar="SPAN",
    help="How far ahead to look: a number and d, w, m or y.",
)
@click.option("--owner", metavar="WHO", help="Only commitments owned by this person or organisation (or one under it).")
@click.option("--side", type=click.Choice(["ours", "theirs"]), help="Only commitments made by our side, or by theirs.")
@click.option("--on", "on", metavar="DATE", help="The day the agenda is for (default: today).")
@click.option(
    "--format",
    "format_",
    type=click.Choice(FORMATS),
    help="Default: from the -o file's name; else text (a table on a terminal).",
)
@common.output_option
@click.option(
    "--audience",
    metavar="LEVEL",
    help="TLP level of the readers: what is marked above it is left out. Default: brief_audience in kb.yaml.",
)
@click.pass_obj
def due(obj: Context, within, owner, side, on, format_, output, audience) -> None:
    """What is due: open commitments of both sides that are overdue or due within --within (with
    their owner), planned meetings in that time, and counterparts not met for longer than their
    cadence (cadence: 6m on a person or organisation, or in kb.yaml).

    \b
      kb due
      kb due --within 3m --side ours --format md
      kb due --format ics -o due.ics      # a VTODO per commitment, with an alarm the day before
    """
    import datetime as dt

    from kb.rendering.output import format_from_path, is_terminal
    from kb.views import agenda

    try:
        span = agenda.parse_span(within, "--within")
    except agenda.AgendaError as error:
        raise error from None
    day = common.parse_day(on, "--on") or dt.date.today()
    kb = obj.load()
    readers = common.audience(kb, audience)
    context = agenda.build(kb, readers, day, span, owner=owner, side=side)
    format_ = format_ or format_from_path(output, FORMATS)
    if format_ is None:
        format_ = "table" if output is None and is_terminal() else "text"
    if format_ == "json":
        import json

        text = json.dumps(context, indent=2, ensure_ascii=False)
    elif format_ == "ics":
        text = agenda.to_ics(context)
    elif format_ == "md":
        text = common.render("due", "md", context, kb)
    elif format_ == "table" and output is None:
        from rich.markdown import Markdown

        from kb.rendering.output import console

        console().print(Markdown(common.render("due", "md", context, kb)))
        return
    else:
        text = agenda.to_text(context)
    common.write(text, output)
