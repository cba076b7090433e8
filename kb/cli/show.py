"""`kb show`: one record with everything that points at it."""

from __future__ import annotations

import click

from kb.cli import Context, common
from kb.rendering.formats import RECORD


@click.command("show")
@click.argument("ref", metavar="ID")
@common.format_options(RECORD)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    metavar="N",
    help="In text, list the newest N meetings of each list and count the older ones by year.",
)
@click.option("--all", "all_", is_flag=True, help="In text, list every meeting. (JSON always lists every one.)")
@common.audience_option
@click.pass_obj
def show(
    obj: Context, ref: str, format_: str, output: str | None, limit: int, all_: bool, audience: str | None
) -> None:
    """Show a meeting, person or organisation (by id, former id, name or alias) with its
    backlinks: the meetings a person attended, earlier and later meetings with the same
    counterparts, commitments made by, to or owned by it, people holding roles in an organisation.
    """
    from kb.query.audience import resolve_for, restrict
    from kb.query.resolve import KINDS

    everything = obj.load()
    readers = common.audience(everything, audience)
    kb = restrict(everything, readers)
    found = resolve_for(everything, ref, readers, KINDS, visible=kb)
    context = {"kb": kb, "kind": found.kind, "id": found.id, "limit": None if all_ else limit}
    RECORD.write(format_, context, output=output)
