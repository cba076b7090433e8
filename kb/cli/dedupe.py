"""`kb dedupe`: pairs of people (or organisations) that may be one record, best first."""

from __future__ import annotations

import click

from kb.cli import Context, common
from kb.rendering.formats import PAIRS

ANSWERS = {"s": "same", "d": "different", "u": "unsure", "k": "skip", "q": "quit"}


@click.command("dedupe")
@click.option("--kind", type=click.Choice(["person", "org"]), help="Only people, or only organisations.")
@common.format_options(PAIRS)
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    metavar="SCORE",
    help="Leave out pairs scoring less (strong pairs score 0.75 or more, possible ones 0.5).",
)
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="Only the N best pairs.")
@click.option("--all", "all_", is_flag=True, help="Also the pairs judged already in decisions.yaml.")
@click.option(
    "--decide", is_flag=True, help="Ask, pair by pair, same / different / unsure / skip, and record each judgement."
)
@click.option("--by", metavar="NAME", help="With --decide: who judges (default: git's user.name, else $USER).")
@common.audience_option
@click.pass_obj
def dedupe(obj: Context, kind, format_, output, min_score, limit, all_, decide, by, audience) -> None:
    """List pairs of people (and organisations) that may be one record, each with its reasons
    and a score, best first.

    \b
      kb dedupe                       # every undecided pair
      kb dedupe --kind person --format json
      kb dedupe -o pairs.json         # the format from the file's name
      kb dedupe --decide              # judge them one by one

    Reasons for: a shared name or alias, names that match across scripts or spellings, ids that
    differ by a number, the same Wikidata item, the same country, post or organisation. Reasons
    against: different countries or eras (a name alone then never makes a strong pair), both in
    one meeting. Record a judgement with `kb decide`, or make one record of two with `kb merge`.
    """
    from kb.query.audience import restrict
    from kb.query.duplicates import candidates

    if decide and output:
        raise click.UsageError(
            "--decide asks pair by pair on the terminal and records the answers in decisions.yaml; "
            "it writes no report: leave out -o, or run without --decide to write the pairs."
        )
    everything = obj.load()
    readers = common.audience(everything, audience)
    kb = restrict(everything, readers)
    kinds = (kind,) if kind else ("person", "org")
    found = candidates(kb, kinds, include_judged=all_, minimum=min_score)[:limit]
    if decide:
        _interactive(obj, kb, found, by)
    else:
        PAIRS.write(format_, {"kb": kb, "found": found, "kinds": kinds, "level": readers.level}, output=output)


def _interactive(obj: Context, kb, found, by) -> None:
    from kb.authoring import deciding
    from kb.rendering.output import terminal_safe
    from kb.views import duplicates

    if not found:
        click.echo("No pair to judge.")
        return
    # Before the first question: judgements are recorded only in a valid decisions.yaml that kb
    # can edit (not a link, in kb fmt's layout), as `kb decide` requires.
    deciding.require_valid(kb)
    deciding.write(kb, [], dry_run=True)
    judge = deciding.judge_name(by, obj.root)
    day = deciding.decision_day(None)
    recorded = 0
    for number, candidate in enumerate(found, 1):
        click.echo(f"[{number}/{len(found)}] " + terminal_safe("\n".join(duplicates.describe(kb, candidate))))
        answer = click.prompt(
            "Same, different, unsure, skip or quit?", type=click.Choice(list(ANSWERS)), show_choices=True, default="k"
        )
        if ANSWERS[answer] == "quit":
            break
        if ANSWERS[answer] == "skip":
            continue
        why = click.prompt("Why?")
        entry = deciding.entry(candidate.kind, candidate.keep, candidate.other, ANSWERS[answer], judge, day, why)
        deciding.write(kb, [entry])
        recorded += 1
        if entry["judgement"] == "same":
            click.echo(f"  recorded; make them one record with `kb merge {candidate.keep} {candidate.other}`")
    click.echo(f"{recorded} judgement{'s' if recorded != 1 else ''} recorded in decisions.yaml")
