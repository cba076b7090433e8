"""Judgements on pairs of records that may be one: the decisions file (decisions.yaml).

A judgement names two people (or two organisations) by id and says they are the ``same``,
``different``, or that the judge is ``unsure``, with who judged, when and why. The file is a log
kept in git: ids are kept as they were when judged, and a judgement follows a record through
renames and merges (former_ids), so "A is different from B" still holds after B was merged into
C, as "A is different from C". The last judgement of a pair is the one that holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.model.records import KnowledgeBase

JUDGEMENTS = ("same", "different", "unsure")
KINDS = ("person", "org")


@dataclass(frozen=True)
class Decision:
    kind: str
    ids: tuple[str, str]
    judgement: str
    by: str
    date: str
    why: str
    index: int  # its place in the file

    @classmethod
    def from_data(cls, data: dict, index: int) -> Decision:
        first, second = data["ids"]
        return cls(data["kind"], (first, second), data["judgement"], data["by"], str(data["date"]), data["why"], index)

    def describe(self) -> str:
        return f"{self.judgement} ({self.by}, {self.date}: {self.why})"


def all_decisions(kb: KnowledgeBase) -> list[Decision]:
    record = kb.decisions
    if record is None:
        return []
    return [Decision.from_data(d, i) for i, d in enumerate(record.get("decisions") or [])]


def pair_key(kb: KnowledgeBase, kind: str, first: str, second: str) -> frozenset[str]:
    """The pair as it stands today: each id followed through former_ids to its current record
    (one id when both are one record now)."""
    return frozenset(kb.resolve_id(kind, ident) or ident for ident in (first, second))


class Judgements:
    """Every pair's latest judgement, looked up by any of the records' ids."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.decisions = all_decisions(kb)
        self._latest: dict[tuple[str, frozenset[str]], Decision] = {}
        for decision in self.decisions:
            self._latest[(decision.kind, pair_key(kb, decision.kind, *decision.ids))] = decision

    def of(self, kind: str, first: str, second: str) -> Decision | None:
        return self._latest.get((kind, pair_key(self.kb, kind, first, second)))

    def judged(self, kind: str, first: str, second: str) -> str | None:
        decision = self.of(kind, first, second)
        return decision.judgement if decision else None

    def different(self, kind: str, first: str, second: str) -> bool:
        return self.judged(kind, first, second) == "different"
