"""`kb list`: meetings, people or organisations, filtered, as a table."""

from __future__ import annotations

import json
import sys

import click

from kb.cli import Context, common
from kb.errors import KBError
from kb.model.records import FOLDERS
from kb.rendering.output import terminal_safe, to_terminal


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
    "--country", metavar="CC", help="Meetings held in or with a side from this country; people or organisations of it."
)
@common.since_until_options()
@click.option("--status", type=click.Choice(["planned", "held", "cancelled"]), help="Meetings with this status.")
@click.option("--open", "open_only", is_flag=True, help="Meetings with open or in-progress commitments.")
@click.option(
    "--format",
    "format_",
    type=click.Choice(["table", "tsv", "json"]),
    default=None,
    help="Default: a table on a terminal, tab-separated lines otherwise.",
)
@common.audience_option
@click.pass_obj
def list_records(obj: Context, what, with_, topic, country, since, until, status, open_only, format_, audience) -> None:
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
    format_ = format_ or ("table" if sys.stdout.isatty() else "tsv")
    columns = listing.COLUMNS[what]
    if format_ == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif format_ == "tsv":
        lines = ["\t".join(" ".join(str(row[c]).split()) for c in columns) for row in rows]
        if lines:
            click.echo(terminal_safe("\n".join(lines)))
    else:
        from rich.table import Table

        table = Table(title=f"{len(rows)} {what}", title_justify="left")
        for column in columns:
            # ids are what a user copies into the next command: never cut them short
            table.add_column(
                column.replace("_", " "),
                overflow="fold" if column == "id" else "ellipsis",
                no_wrap=column in ("date", "last_met"),
            )
        from rich.text import Text

        for row in rows:
            # record text is data, never rich markup: a title holding "[/]" is shown as written
            table.add_row(*[Text(terminal_safe(str(row[c]))) for c in columns])
        to_terminal(table)
