"""`kb update`: record a commitment's progress (a dated status update) in its meeting's file."""

from __future__ import annotations

import click

from kb.cli import Context


@click.command("update")
@click.argument("outcome", metavar="MEETING#OUTCOME")
@click.argument("status", type=click.Choice(["open", "in-progress", "fulfilled", "lapsed", "superseded"]))
@click.option("--note", metavar="TEXT", help="What happened, in a sentence.")
@click.option("--date", "day", metavar="DATE", help="When (YYYY-MM-DD, or YYYY-MM / YYYY); default: today.")
@click.option("--dry-run", is_flag=True, help="Write nothing; print the change as a unified diff.")
@click.pass_obj
def update(obj: Context, outcome, status, note, day, dry_run) -> None:
    """Record a commitment's progress: set its status and add a dated update.

    \b
      kb update 2025-11-13-naqvi-biggar#five-mous in-progress --note "Two MoUs initialled" --date 2026-02-10

    Only the outcome's status and its updates change; every other line of the file stays as it was.
    --dry-run prints the change as a diff and writes nothing.
    """
    from kb.authoring import progress

    done = progress.record(obj.load(), outcome, status, note, day, dry_run=dry_run)
    relpath = done.edited.path.relative_to(obj.root).as_posix()
    if dry_run:
        click.echo(done.edited.diff(relpath).replace("\r\n", "\n"), nl=False)
    moved = f"from {done.old_status} to {status}" if done.old_status != status else f"still {status}"
    would = " (dry run: nothing written)" if dry_run else ""
    click.echo(f"{relpath}: {outcome.partition('#')[2]} {moved} on {done.update['date']}{would}")
