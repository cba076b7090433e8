"""`kb list`: meetings, people or organisations, filtered, as a table."""

from __future__ import annotations

import click

from kb.cli import Context, common
from kb.errors import KBError
from kb.model.records import FOLDERS
from kb.rendering.formats import RECORDS


@click.command("list")
@click.argument("what", type=click.Choice(list(FOLDERS.values())))
@click.option(
    "--with",
    "with_",
    metavar="WHO",
    help="Meetings with this person or organisation (id, name or alias); for people: those who met them.",
)
@click.option("--topic", help="Meetings on this topic (an id or a synonym).")
@click.option(
    "--country",
    metavar="CC",
    help="Meetings held in or with a side from this country (our own side: held in it, as in `kb timeline CC`); "
    "people or organisations of it.",
)
@common.since_until_options()
@click.option("--status", type=click.Choice(["planned", "held", "cancelled"]), help="Meetings with this status.")
@click.option("--open", "open_only", is_flag=True, help="Meetings with open or in-progress commitments.")
@common.format_options(RECORDS)
@common.audience_option
@click.pass_obj
def list_records(
    obj: Context, what, with_, topic, country, since, until, status, open_only, format_, output, audience
) -> None:
    """List meetings (oldest first), people or organisations (by name).

    \b
    Columns: meetings: date, id, title, with (the counterparts), status, open (commitments)
             people:   id, name, country, title (held now), meetings, last_met
             orgs:     id, name, abbreviation, country, people, meetings
    """
    from kb.query.audience import restrict
    from kb.views import listing

    filters = listing.Filters(with_, topic, country, since, until, status, open_only)
    try:
        kb = obj.load()
        rows = listing.rows(restrict(kb, common.audience(kb, audience)), what, filters)
    except listing.FilterError as error:
        raise KBError(str(error)) from None
    context = {"what": what, "columns": listing.COLUMNS[what], "rows": rows}
    RECORDS.write(format_, context, output=output)
