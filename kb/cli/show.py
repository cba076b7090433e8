"""`kb show`: one record with everything that points at it."""

from __future__ import annotations

import json

import click

from kb.cli import Context, common
from kb.rendering.output import terminal_safe, to_terminal


@click.command("show")
@click.argument("ref", metavar="ID")
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text", show_default=True)
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
def show(obj: Context, ref: str, format_: str, limit: int, all_: bool, audience: str | None) -> None:
    """Show a meeting, person or organisation (by id, former id, name or alias) with its
    backlinks: the meetings a person attended, earlier and later meetings with the same
    counterparts, commitments made by, to or owned by it, people holding roles in an organisation.
    """
    from kb.query.audience import resolve_for, restrict
    from kb.query.resolve import KINDS
    from kb.views import record

    everything = obj.load()
    readers = common.audience(everything, audience)
    kb = restrict(everything, readers)
    found = resolve_for(everything, ref, readers, KINDS, visible=kb)
    if format_ == "json":
        click.echo(json.dumps(record.as_data(kb, found.kind, found.id), indent=2, ensure_ascii=False))
    else:
        to_terminal(
            terminal_safe(record.as_text(kb, found.kind, found.id, None if all_ else limit)),
            highlight=False,
            soft_wrap=True,
        )
