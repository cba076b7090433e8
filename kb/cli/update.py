"""`kb update`: record a commitment's progress (a dated status update) in its meeting's file."""

from __future__ import annotations

import click

from kb.cli import Context


@click.command("update")
@click.argument("outcome", metavar="MEETING#OUTCOME")
@click.argument("status", type=click.Choice(["open", "in-progress", "fulfilled", "lapsed", "superseded"]))
@click.option("--note", metavar="TEXT", help="What happened, in a sentence.")
@click.option("--date", "day", metavar="DATE", help="When (YYYY-MM-DD, or YYYY-MM / YYYY); default: today.")
@click.pass_obj
def update(obj: Context, outcome, status, note, day) -> None:
    """Record a commitment's progress: set its status and add a dated update.

    \b
      kb update 2025-11-13-naqvi-biggar#five-mous in-progress --note "Two MoUs initialled" --date 2026-02-10

    Only the outcome's status and its updates change; every other byte of the file stays as it was.
    """
    from kb.authoring import progress

    path, old, recorded = progress.record(obj.load(), outcome, status, note, day)
    moved = f"from {old} to {status}" if old != status else f"still {status}"
    click.echo(f"{path.relative_to(obj.root)}: {outcome.partition('#')[2]} {moved} on {recorded['date']}")
