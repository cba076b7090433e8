"""`kb show`: one record with everything that points at it."""

from __future__ import annotations

import json

import click

from kb.cli import Context
from kb.errors import KBError
from kb.rendering.output import console


@click.command("show")
@click.argument("ref", metavar="ID")
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True, metavar="N",
              help="In text, list the newest N meetings of each list and count the older ones by year.")
@click.option("--all", "all_", is_flag=True, help="In text, list every meeting. (JSON always lists every one.)")
@click.pass_obj
def show(obj: Context, ref: str, format_: str, limit: int, all_: bool) -> None:
    """Show a meeting, person or organisation (by id, former id, name or alias) with its
    backlinks: the meetings a person attended, earlier and later meetings with the same
    counterparts, commitments made by, to or owned by it, people holding roles in an organisation.
    """
    from kb.query import lookup
    from kb.views import record

    kb = obj.load()
    try:
        kind, record_id = lookup.resolve(kb, ref)
    except lookup.NotFound as error:
        raise KBError(str(error)) from None
    if format_ == "json":
        click.echo(json.dumps(record.as_data(kb, kind, record_id), indent=2, ensure_ascii=False))
    else:
        console().print(record.as_text(kb, kind, record_id, None if all_ else limit), highlight=False,
                        soft_wrap=True)
