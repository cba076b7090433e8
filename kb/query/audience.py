"""Who may read what: Traffic Light Protocol 2.0 markings and the audience of a brief or timeline.

A meeting is marked as a whole (``sensitivity``); its outcomes, claims, quotes and notes may carry
their own marking, and inherit the meeting's when they do not. A meeting without a marking has the
knowledge base's ``default_sensitivity``. A person's ``notes`` carry the person's marking; an alias
may carry its own (one without is read as the person's name is, by everyone).

Everything a brief or timeline shows is built from the copies :class:`Audience` hands out, never
from the records themselves: content above the audience is gone before any text reaches a
template, so no output format can leak it. A withheld meeting is withheld whole, together with
every reference to it (its id names the people who met).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from kb.errors import KBError
from kb.model.records import MARKED_PARTS, SENSITIVITY_ORDER, Meeting, Person
from kb.model.text import did_you_mean, normalise

WITHHELD_KINDS = ("meetings",) + MARKED_PARTS + ("person notes", "aliases")


class LevelError(KBError, ValueError):
    """Not a TLP 2.0 level."""


def parse_level(text: str) -> str:
    """'amber+strict', 'TLP:AMBER', 'amber-strict' -> the canonical level."""
    key = normalise(text.upper().removeprefix("TLP:").removeprefix("TLP "))
    for level in SENSITIVITY_ORDER:
        if normalise(level) == key:
            return level
    guess = did_you_mean(text, SENSITIVITY_ORDER)
    hint = f"did you mean {guess}? " if guess else ""
    raise LevelError(f"'{text}' is not a TLP level; {hint}use one of {', '.join(SENSITIVITY_ORDER)}")


def rank(level: str) -> int:
    return SENSITIVITY_ORDER.index(level)


def highest(levels) -> str | None:
    levels = list(levels)
    return max(levels, key=rank) if levels else None


class Audience:
    """The readers of one brief or timeline: ``level`` None means no restriction (everything shown,
    and the banner states the highest marking included)."""

    def __init__(self, level: str | None, default: str = "CLEAR", kb=None):
        self.level = level
        self.default = default
        self.withheld: Counter = Counter()
        self.included: set[str] = set()
        # "meeting#outcome" of every outcome above the audience in the knowledge base, so that a
        # visible outcome's follows_up does not name a withheld one.
        self.hidden_outcomes: frozenset[str] = hidden_outcomes(kb, self) if kb is not None else frozenset()

    def allows(self, marking: str) -> bool:
        return self.level is None or rank(marking) <= rank(self.level)

    def _keep(self, marking: str, kind: str) -> bool:
        if self.allows(marking):
            self.included.add(marking)
            return True
        self.withheld[kind] += 1
        return False

    def admit(self, meeting: Meeting) -> bool:
        """Whether the meeting is within the audience, counting it and its parts as shown or
        withheld exactly as :meth:`meeting` does, without copying it. A brief admits every
        meeting of a long history and copies only those it shows (``count=False``)."""
        marking = meeting.get("sensitivity") or self.default
        if not self._keep(marking, "meetings"):
            return False
        marks = meeting.part_markings()  # from its head: a long history is not decoded for this
        if marks is None:
            marks = [[item.get("sensitivity") for item in meeting.data.get(part, ())] for part in MARKED_PARTS]
        for part, levels in zip(MARKED_PARTS, marks, strict=True):
            for level in levels:
                self._keep(level or marking, part)
        return True

    def meeting(self, meeting: Meeting, count: bool = True) -> Meeting | None:
        """A copy of ``meeting`` holding only what the audience may read, every kept part stamped
        with its effective marking; None when the meeting itself is above the audience. With
        ``count`` False nothing is counted (the meeting was counted by :meth:`admit`)."""
        marking = meeting.get("sensitivity") or self.default
        keep = self._keep if count else (lambda level, _kind: self.allows(level))
        if not keep(marking, "meetings"):
            return None
        # A new mapping for the meeting and for every marked item (each gets its marking stamped);
        # the values inside are shared with the record, never changed (prune_references replaces
        # what it cuts): copying every value of a long history costs more than the brief itself.
        data = dict(meeting.data)
        data["sensitivity"] = marking
        for part in MARKED_PARTS:
            if part not in data:
                continue
            kept = []
            for item in data[part]:
                item_marking = item.get("sensitivity") or marking
                if keep(item_marking, part):
                    item = dict(item)
                    item["sensitivity"] = item_marking
                    kept.append(item)
            data[part] = kept
        return Meeting(meeting.kind, meeting.relpath, data, meeting.positions)

    def may_see(self, meeting: Meeting) -> bool:
        """Whether the meeting is within the audience, without counting it as shown or withheld."""
        return self.allows(meeting.get("sensitivity") or self.default)

    def meetings(self, meetings, known_ids: set[str], count: bool = True) -> list[Meeting]:
        """The visible copies of ``meetings``, keeping references only to meetings in ``known_ids``
        (those the reader may know of, in or out of this brief)."""
        visible = [copy for copy in (self.meeting(m, count) for m in meetings) if copy is not None]
        prune_references(visible, known_ids, self.hidden_outcomes)
        return visible

    def person_notes(self, person: Person) -> str | None:
        notes = person.get("notes")
        if not notes:
            return None
        return notes if self._keep(person.get("sensitivity") or self.default, "person notes") else None

    def person(self, person: Person, notes: bool = True) -> Person:
        """``person`` as the audience may read it: without notes above it (without any with
        ``notes`` False) and without the aliases marked above it, counting what it withholds.
        The record itself when nothing is cut."""
        data = person.data
        drop_notes = bool(data.get("notes")) and (not notes or self.person_notes(person) is None)
        aliases = data.get("aliases") or []
        kept = [a for a in aliases if not a.get("sensitivity") or self._keep(a["sensitivity"], "aliases")]
        if not drop_notes and len(kept) == len(aliases):
            return person
        cut = {key: value for key, value in data.items() if not (drop_notes and key == "notes")}
        if len(kept) < len(aliases):
            cut["aliases"] = kept
        return Person(person.kind, person.relpath, cut, person.positions)

    def summary(self) -> dict:
        """The audience part of a brief or timeline context: its level, banner and what was withheld."""
        withheld = {kind: self.withheld.get(kind, 0) for kind in WITHHELD_KINDS}
        total = sum(withheld.values())
        top = highest(self.included)
        if self.level:
            banner = f"TLP:{self.level}"
            if total:
                banner += f" — {_count(total, 'item')} marked above {self.level} withheld ({_breakdown(withheld)})"
        else:
            banner = (
                f"TLP:{top} — the highest marking included; no audience was set, nothing was withheld"
                if top
                else "No marked content included"
            )
        return {
            "level": self.level,
            "highest_included": top,
            "banner": banner,
            "withheld": withheld,
            "withheld_total": total,
        }


def hidden_outcomes(kb, audience: Audience) -> frozenset[str]:
    """ "meeting#outcome" of every outcome the audience may not read (in a meeting it may read or not)."""
    if kb is None or audience.level is None:
        return frozenset()
    hidden = set()
    for meeting in kb.meetings.values():
        marking = meeting.get("sensitivity") or audience.default
        for outcome in meeting.get("outcomes") or ():
            if isinstance(outcome, dict) and not audience.allows(outcome.get("sensitivity") or marking):
                hidden.add(f"{meeting.id}#{outcome.get('id')}")
    return frozenset(hidden)


def may_be_named(kb, referrer: Meeting, marking: str | None) -> bool:
    """Whether a finding's hint about ``referrer`` may name a meeting or outcome marked
    ``marking``: with kb.yaml's brief_audience set (check output reaches CI annotations and pull
    requests), only what that audience, or the readers of the referring meeting itself, may read."""
    level = kb.config.brief_audience
    if level is None:
        return True
    default = kb.config.default_sensitivity
    try:
        ceiling = max(rank(level), rank(referrer.get("sensitivity") or default))
        return rank(marking or default) <= ceiling
    except ValueError:  # an unknown marking (KB203): never named
        return False


def restrict(kb, audience: Audience):
    """The knowledge base as the audience may see it: only the meetings it may read, each holding
    only the parts it may read, no reference to anything withheld, and no person notes or aliases
    above it.
    Every listing, lookup and suggestion made from it names nothing withheld. The knowledge base
    itself when there is no restriction."""
    from kb.model.records import KnowledgeBase

    if audience.level is None:
        return kb
    readers = Audience(audience.level, audience.default, kb)  # its counts are not the caller's
    meetings = readers.meetings(kb.meetings.values(), {m.id for m in kb.meetings.values() if readers.may_see(m)})
    people = [readers.person(person) for person in kb.people.values()]
    hidden_meetings = {m.id for m in kb.meetings.values() if not readers.may_see(m)}
    broken = {kind: set(ids) for kind, ids in kb.broken_ids.items()}
    restricted = KnowledgeBase(
        kb.root, kb.config, [*meetings, *people, *kb.orgs.values()], list(kb.topics.values()), kb.load_findings, broken
    )
    # A withheld meeting's former ids are withheld with it.
    restricted.hidden_meeting_ids = hidden_meetings | {
        old for m in kb.meetings.values() if m.id in hidden_meetings for old in m.get("former_ids", [])
    }
    for attribute in ("use_cache", "config_problems", "files_read", "digests", "decisions"):
        if hasattr(kb, attribute):
            setattr(restricted, attribute, getattr(kb, attribute))
    return restricted


def prune_references(meetings: Sequence[Any], visible_ids: set[str], hidden: frozenset[str] = frozenset()) -> None:
    """Remove from ``meetings`` every reference to a meeting not among ``visible_ids``: a withheld
    meeting's id, or one after the as-of date, must not show through a link to it; nor may a
    reference to a withheld outcome (``hidden``, "meeting#outcome")."""

    def keep(ref) -> bool:
        return isinstance(ref, str) and ref.split("#", 1)[0] in visible_ids and ref not in hidden

    for meeting in meetings:
        data = meeting.data
        if "parent" in data and not keep(data["parent"]):
            del data["parent"]
        if "follows" in data:
            data["follows"] = [ref for ref in data["follows"] if keep(ref)]
        for outcome in data.get("outcomes", []):
            if "fulfilled_by" in outcome and not keep(outcome["fulfilled_by"]):
                del outcome["fulfilled_by"]
            if "follows_up" in outcome and not keep(outcome["follows_up"]):
                del outcome["follows_up"]
            if "revisited_in" in outcome:
                outcome["revisited_in"] = [ref for ref in outcome["revisited_in"] if keep(ref)]
            if any("meeting" in update and not keep(update["meeting"]) for update in outcome.get("updates", ())):
                # A new list of new updates: the record's own are shared, never edited.
                outcome["updates"] = [
                    {k: v for k, v in update.items() if k != "meeting"}
                    if "meeting" in update and not keep(update["meeting"])
                    else update
                    for update in outcome["updates"]
                ]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _breakdown(withheld: dict) -> str:
    parts = []
    for kind, number in withheld.items():
        if number:
            singular = "alias" if kind == "aliases" else kind[:-1] if kind.endswith("s") else kind
            parts.append(f"{number} {singular if number == 1 else kind}")
    return ", ".join(parts)
