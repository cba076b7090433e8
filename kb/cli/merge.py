"""`kb merge KEEP GONE`: make one record of two people (or two organisations)."""

from __future__ import annotations

import click

from kb.cli import Context


@click.command("merge")
@click.argument("keep", metavar="KEEP")
@click.argument("gone", metavar="GONE")
@click.option(
    "--why",
    metavar="TEXT",
    help="Why they are one (recorded in decisions.yaml; required unless the pair is judged the same there already).",
)
@click.option("--by", metavar="NAME", help="Who judges. Default: git's user.name, else $USER.")
@click.option(
    "--kind",
    type=click.Choice(["person", "org"]),
    help="Only needed when an id is both a person's and an organisation's.",
)
@click.option("--dry-run", is_flag=True, help="Show the files that would change and the changed lines; write nothing.")
@click.option("--force", is_flag=True, help="Merge although the two disagree on facts (KEEP's values are kept).")
@click.pass_obj
def merge(obj: Context, keep, gone, why, by, kind, dry_run, force) -> None:
    """Make one record of KEEP and GONE (ids of two people, or of two organisations).

    \b
      kb merge donald-blome donald-bloom --why "One ambassador; Bloom is a misspelling" --dry-run

    Every reference to GONE in every record (participants, roles, outcome owners and parties,
    claims, quotes, parent organisations, kb.yaml's our_org) is rewritten to KEEP; KEEP keeps GONE's
    id (and former ids) under former_ids, takes its name as an alias, its aliases and roles, and
    the fields it lacks; GONE's file is deleted and a `same` judgement is added to decisions.yaml.
    Refused (nothing written) when the pair is judged different, or, unless --force, when the two
    disagree on facts such as their country. Comments, key order, quoting and line endings of the
    edited files are kept.
    """
    from kb.authoring import deciding, merging

    kb = obj.load()

    def judgement(kind_: str, keep_id: str, gone_id: str) -> dict:
        return deciding.entry(
            kind_,
            keep_id,
            gone_id,
            "same",
            deciding.judge_name(by, obj.root),
            deciding.decision_day(None),
            why or _missing_why(keep_id, gone_id),
        )

    plan = merging.plan(kb, keep, gone, kind, force, judgement)
    if dry_run:
        click.echo(f"kb merge {plan.keep} {plan.gone} would change:")
        for edit in plan.edits:
            click.echo(f"  {edit.relpath} ({edit.what})")
        click.echo(f"  {plan.gone_relpath} (deleted)")
        for conflict in plan.conflicts:
            click.echo(f"  ! forced: {conflict}")
        _dropped(plan, "would be deleted")
        click.echo("")
        click.echo(plan.diff(), nl=False)
        return
    written = merging.apply(kb, plan)
    click.echo(
        f"merged {plan.kind} {plan.gone} into {plan.keep}: {len(written) - 1} file"
        f"{'s' if len(written) != 2 else ''} changed, {plan.gone_relpath} deleted"
    )
    _dropped(plan, "were deleted")


def _dropped(plan, fate: str) -> None:
    """The comments of GONE's file, which are not carried over: said, so none is lost unseen
    (git keeps the file)."""
    if plan.dropped_comments:
        click.echo(f"  ! {len(plan.dropped_comments)} comment(s) in {plan.gone_relpath} {fate} with it:")
        for line in plan.dropped_comments:
            click.echo(f"      {line}")


def _missing_why(keep_id: str, gone_id: str) -> str:
    from kb.authoring.deciding import DecisionError

    raise DecisionError(
        f"say why {keep_id} and {gone_id} are one (--why TEXT): the judgement is recorded in decisions.yaml"
    )
