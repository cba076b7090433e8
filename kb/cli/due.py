"""`kb due`: the desk's agenda: commitments overdue or coming due, planned meetings, counterparts to meet."""

from __future__ import annotations

import click

from kb.cli import Context, common
from kb.model import dates
from kb.rendering.formats import AGENDA


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
@common.format_options(AGENDA)
@common.audience_option
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

    from kb.views import agenda

    try:
        span = agenda.parse_span(within, "--within")
    except agenda.AgendaError as error:
        raise error from None
    day = common.parse_day(on, "--on") or dates.today()
    kb = obj.load()
    readers = common.audience(kb, audience)
    context = agenda.build(kb, readers, day, span, owner=owner, side=side)
    AGENDA.write(format_, context, common.templates(kb), output)
