"""`kb decide`: record whether two people (or two organisations) are one, in decisions.yaml."""

from __future__ import annotations

import click

from kb.cli import Context


@click.command("decide")
@click.argument("judgement", type=click.Choice(["same", "different", "unsure"]))
@click.argument("first", metavar="A")
@click.argument("second", metavar="B")
@click.option("--why", metavar="TEXT", help="What the judgement rests on (required).")
@click.option("--by", metavar="NAME", help="Who judges. Default: git's user.name, else $USER.")
@click.option("--date", "day", metavar="DATE", help="When (YYYY-MM-DD, or YYYY-MM / YYYY); default: today.")
@click.option("--replace", is_flag=True, help="Judge a pair judged before again (the earlier judgement is removed).")
@click.pass_obj
def decide(obj: Context, judgement, first, second, why, by, day, replace) -> None:
    """Record that A and B (people or organisations: ids, former ids or names) are the same, are
    different, or that you are unsure.

    \b
      kb decide different donald-blome donald-bloom --why "Two diplomats; see their postings"

    The judgement goes to decisions.yaml with who made it, when and why. `kb dedupe` no longer
    proposes the pair, and a pair judged different is no longer reported as a duplicate (KB605).
    To make two records one, use `kb merge KEEP GONE`.
    """
    from kb.authoring import deciding

    new, earlier = deciding.record(obj.load(), first, second, judgement, why, by, day, replace)
    a, b = new["ids"]
    click.echo(
        f"decisions.yaml: {a} and {b} judged {judgement} by {new['by']} on {new['date']}"
        + (f" (was {earlier.judgement})" if earlier else "")
    )
