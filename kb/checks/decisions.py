"""The decisions file: every judgement names records that exist, and judgements agree."""

from __future__ import annotations

from kb.checks.registry import ERROR, check, finding
from kb.model.decisions import Decision, all_decisions, pair_key
from kb.model.text import did_you_mean


@check("KB613", "unknown-decided-record", ERROR, reads="no-meetings")
def known_decided_records(kb):
    """A judgement in decisions.yaml names a person or organisation that does not exist.

    Each judgement names two records of its `kind` by id (a former id of a renamed or merged record
    is known too). A misspelt id would leave the pair it meant undecided: `kb dedupe` would propose
    it again and a `different` would not silence KB605. Correct the id.

    Failing: decisions.yaml
        decisions:
          - kind: person
            ids: [donald-blome, donald-bloom]
            judgement: different
            by: A. Reviewer
            date: 2026-11-26
            why: Two people of one name.

    Passing: decisions.yaml
        decisions:
          - kind: person
            ids: [donald-blome, mohsin-naqvi]
            judgement: different
            by: A. Reviewer
            date: 2026-11-26
            why: Two people of two countries.
    """
    for decision in all_decisions(kb):
        known = kb.known(decision.kind)
        for j, ident in enumerate(decision.ids):
            if ident not in known:
                line, column = kb.decisions.where("decisions", decision.index, "ids", j)
                guess = did_you_mean(ident, known)
                what = "person" if decision.kind == "person" else "organisation"
                yield finding(
                    "KB613",
                    kb.decisions.relpath,
                    line,
                    column,
                    f"unknown {what} '{ident}'",
                    f"did you mean '{guess}'?" if guess else f"give the id of a {what} (its file name)",
                )


@check("KB614", "conflicting-decisions", ERROR, reads="no-meetings")
def consistent_decisions(kb):
    """Two judgements of one pair disagree, or a pair judged `different` is now one record.

    A pair is judged once; a later judgement of the same two records (by any of their ids) that
    says otherwise leaves it unclear which holds, and a pair judged different that was merged
    anyway contradicts the judgement. Remove the judgement that no longer holds, or split the
    records again.

    Failing: decisions.yaml
        decisions:
          - kind: person
            ids: [donald-blome, mohsin-naqvi]
            judgement: different
            by: A. Reviewer
            date: 2026-11-26
            why: Two people of two countries.
          - kind: person
            ids: [mohsin-naqvi, donald-blome]
            judgement: unsure
            by: B. Reviewer
            date: 2026-11-27
            why: Not sure.

    Passing: decisions.yaml
        decisions:
          - kind: person
            ids: [donald-blome, mohsin-naqvi]
            judgement: different
            by: A. Reviewer
            date: 2026-11-26
            why: Two people of two countries.
    """
    first: dict[tuple[str, frozenset[str]], Decision] = {}
    for decision in all_decisions(kb):
        pair = pair_key(kb, decision.kind, *decision.ids)
        line, column = kb.decisions.where("decisions", decision.index, "judgement")
        if len(pair) == 1 and decision.judgement == "different":
            (current,) = pair
            yield finding(
                "KB614",
                kb.decisions.relpath,
                line,
                column,
                f"{decision.ids[0]} and {decision.ids[1]} were judged different, but both are now the record {current}",
                "split the record again, or remove this judgement if it was wrong",
            )
        earlier = first.setdefault((decision.kind, pair), decision)
        if earlier is not decision and earlier.judgement != decision.judgement:
            yield finding(
                "KB614",
                kb.decisions.relpath,
                line,
                column,
                f"{' and '.join(decision.ids)} judged {decision.judgement} here, but "
                f"{earlier.judgement} in judgement {earlier.index + 1}",
                "keep the judgement that holds and remove the other",
            )
