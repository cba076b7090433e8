"""Who may read what: Traffic Light Protocol 2.0 markings and the audience of a brief or timeline.

A meeting is marked as a whole (``sensitivity``); its outcomes, claims, quotes and notes may carry
their own marking, and inherit the meeting's when they do not. A meeting without a marking has the
knowledge base's ``default_sensitivity``. A person's ``notes`` carry the person's marking; an alias
may carry its own (one without is read as the person's name is, by everyone).

This module is the one rule of who may read what: one ranking of the levels (:func:`rank`, the model's; a
marking that is not a level is read by no audience), and :class:`Audience`'s ``may_see``,
``sees_part``, ``sees_notes`` and ``sees_alias``. Every output goes through it: the copies it
hands out (briefs, timelines, due, export, the site), :func:`restrict` (list, show, dedupe,
search's filters), :func:`resolve_for` (what a reader types, and "did you mean"),
:func:`screen_findings` (the site's problems page) and `kb diff`'s restriction of both sides.

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
from kb.model.records import MARKED_PARTS, SENSITIVITY_ORDER, Meeting, Person, rank
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


def highest(levels) -> str | None:
    levels = list(levels)
    return max(levels, key=rank) if levels else None


def marking_of(data, default: str) -> str:
    """The effective marking of a meeting, or of a person's notes: its own, else ``default``."""
    value = data.get("sensitivity") if hasattr(data, "get") else None
    return value or default


def part_marking(item, meeting_marking: str) -> str:
    """The effective marking of a meeting's part (outcome, claim, quote, note): its own, else its
    meeting's (an item that is not a mapping has no marking of its own)."""
    value = item.get("sensitivity") if isinstance(item, dict) else None
    return value or meeting_marking


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

    def allows(self, marking) -> bool:
        """Whether the audience may read what is marked ``marking`` (never an unknown marking)."""
        return self.level is None or rank(marking) <= rank(self.level)

    # The one rule of what the audience may see, record by record and part by part; every other
    # method here, the site, `kb diff`, search and suggestions go through these.

    def marking(self, meeting) -> str:
        """The effective marking of a meeting (a Meeting or its data)."""
        return marking_of(meeting, self.default)

    def may_see(self, meeting) -> bool:
        """Whether the meeting (a Meeting or its data) is within the audience, without counting it."""
        return self.allows(self.marking(meeting))

    def sees_part(self, item, meeting_marking: str) -> bool:
        """Whether the audience may read one item of a meeting marked ``meeting_marking``."""
        return self.allows(part_marking(item, meeting_marking))

    def sees_notes(self, person) -> bool:
        """Whether the audience may read a person's notes (the person's marking, else the default)."""
        return self.allows(marking_of(person, self.default))

    def sees_alias(self, alias) -> bool:
        """Whether the audience may read an alias: one without its own marking is read as the
        person's name is, by everyone."""
        level = alias.get("sensitivity") if isinstance(alias, dict) else None
        return not level or self.allows(level)

    def hidden_aliases(self, people) -> set[str]:
        """The names of the aliases above the audience among ``people`` (records or their data)."""
        return {
            str(alias.get("name"))
            for person in people
            for alias in person.get("aliases") or ()
            if isinstance(alias, dict) and not self.sees_alias(alias)
        }

    def hides_part(self, meeting) -> bool:
        """Whether a meeting (a Meeting or its data) holds a part above the audience."""
        marking = self.marking(meeting)
        return any(not self.sees_part(item, marking) for part in MARKED_PARTS for item in meeting.get(part) or ())

    def hides_in_person(self, person) -> bool:
        """Whether a person (a Person or its data) has notes or an alias above the audience."""
        notes_hidden = bool(person.get("notes")) and not self.sees_notes(person)
        return notes_hidden or any(not self.sees_alias(alias) for alias in person.get("aliases") or ())

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
        marking = self.marking(meeting)
        if not self._keep(marking, "meetings"):
            return False
        if meeting.parts_unmarked():
            return True  # every part takes the meeting's marking, just counted as included
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
        marking = self.marking(meeting)
        keep = self._keep if count else self._allows_part
        if not keep(marking, "meetings"):
            return None
        return Meeting(meeting.kind, meeting.relpath, self._copied(meeting.data, marking, keep), meeting.positions)

    def _allows_part(self, level, _kind) -> bool:
        return self.allows(level)

    @staticmethod
    def _copied(data: dict, marking: str, keep) -> dict:
        """A copy of a meeting's ``data`` with the items ``keep`` keeps (given each one's marking
        and part), the meeting and every item stamped with its effective marking."""
        # A new mapping for the meeting and for every marked item (each gets its marking stamped);
        # the values inside are shared with the record, never changed (prune_references replaces
        # what it cuts): copying every value of a long history costs more than the brief itself.
        data = dict(data)
        data["sensitivity"] = marking
        for part in MARKED_PARTS:
            if part not in data:
                continue
            kept = []
            for item in data[part]:
                item_marking = part_marking(item, marking)
                if keep(item_marking, part):
                    item = dict(item)
                    item["sensitivity"] = item_marking
                    kept.append(item)
            data[part] = kept
        return data

    def meetings(self, meetings, known_ids: set[str], count: bool = True) -> list[Meeting]:
        """The visible copies of ``meetings``, keeping references only to meetings in ``known_ids``
        (those the reader may know of, in or out of this brief)."""
        visible = [copy for copy in (self.meeting(m, count) for m in meetings) if copy is not None]
        prune_references(visible, known_ids, self.hidden_outcomes)
        return visible

    def copies(self, meetings, known_ids: set[str]) -> list[Meeting]:
        """The visible copies of ``meetings``, as ``meetings(..., count=False)`` makes them, but each
        made when its data is first read (:class:`LazyCopy`) where the meeting's head says what the
        copy's is: nothing of it is cut and no reference in its head pruned. A site reads few
        meetings' data when few changed."""
        keep = _keeper(known_ids, self.hidden_outcomes)
        found: list[Meeting] = []
        for meeting in meetings:
            marking = self.marking(meeting)
            if not self.allows(marking):
                continue
            head = meeting.head_stamped(marking)
            follows = meeting.follows_ups() or ()
            # Every part is within an audience without a level: its parts' markings are not read.
            levels = meeting.part_markings() or () if self.level is not None else ()
            whole = all(self.allows(level or marking) for part in levels for level in part)
            if head is not None and whole and all(keep(ref) for ref in follows):
                found.append(LazyCopy(meeting, lambda m=meeting, k=marking: self._pruned(m, k, keep), head))
                continue
            copy = self.meeting(meeting, count=False)
            assert copy is not None
            _prune(copy.data, keep)
            found.append(copy)
        return found

    def _pruned(self, meeting: Meeting, marking: str, keep) -> dict:
        data = self._copied(meeting.data, marking, self._allows_part)
        _prune(data, keep)
        return data

    def person_notes(self, person: Person) -> str | None:
        notes = person.get("notes")
        if not notes:
            return None
        return notes if self._keep(marking_of(person, self.default), "person notes") else None

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


class LazyCopy(Meeting):
    """An audience's copy of a meeting (:meth:`Audience.copies`) whose data is made from the
    meeting's the first time it is read (and again after ``release``); its head, given, is the
    one the copy's data has. Its positions are the meeting's."""

    __slots__ = ("_make",)

    def __init__(self, meeting: Meeting, make, head: tuple):
        super().__init__(meeting.kind, meeting.relpath, None, None, blob=b"", head=head)
        self.positions = meeting.positions
        self._make = make

    def __getattr__(self, name: str):
        if name == "data":  # only reached when the data is not made yet
            data = self._make()
            object.__setattr__(self, "data", data)
            return data
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def data_unkept(self):
        return self.data if self.holds_data() else self._make()


def hidden_outcomes(kb, audience: Audience) -> frozenset[str]:
    """ "meeting#outcome" of every outcome the audience may not read (in a meeting it may read or not)."""
    if kb is None or audience.level is None:
        return frozenset()
    hidden = set()
    for meeting in kb.meetings.values():
        marking = audience.marking(meeting)
        for outcome in meeting.get("outcomes") or ():
            if isinstance(outcome, dict) and not audience.sees_part(outcome, marking):
                hidden.add(f"{meeting.id}#{outcome.get('id')}")
    return frozenset(hidden)


def may_be_named(kb, referrer: Meeting, marking: str | None) -> bool:
    """Whether a finding's hint about ``referrer`` may name a meeting or outcome marked
    ``marking``: with kb.yaml's brief_audience set (check output reaches CI annotations and pull
    requests), only what that audience, or the readers of the referring meeting itself, may read.
    An unknown marking (KB203), of either, is never named."""
    level = kb.config.brief_audience
    if level is None:
        return True
    default = kb.config.default_sensitivity
    own = marking_of(referrer, default)
    named = marking or default
    if own not in SENSITIVITY_ORDER or named not in SENSITIVITY_ORDER:
        return False
    return rank(named) <= max(rank(level), rank(own))


def withheld_names(kb, audience: Audience) -> set[str]:
    """What no output for the audience may name: the ids (and former ids) of the meetings above
    it, "meeting#outcome" of the outcomes above it, the names of the aliases above it."""
    if audience.level is None:
        return set()
    names = {
        ident
        for meeting in kb.meetings.values()
        if not audience.may_see(meeting)
        for ident in (meeting.id, *meeting.former_ids)
    }
    return names | hidden_outcomes(kb, audience) | audience.hidden_aliases(kb.people.values())


def screen_findings(kb, audience: Audience, findings) -> tuple[list, int]:
    """`kb check`'s ``findings`` as the audience may read them, and how many were left out.

    A finding on a meeting above the audience, or naming anything in :func:`withheld_names`
    (aliases compared as names are, ignoring case and accents), is left out. A finding on a file
    holding a part, notes or an alias above the audience, or on a record file kb could not read
    (its markings unknown), may quote that content: it keeps its place and code, its text is
    withheld (fail closed)."""
    from dataclasses import replace

    if audience.level is None:
        return list(findings), 0
    names = withheld_names(kb, audience) | {m.relpath for m in kb.meetings.values() if not audience.may_see(m)}
    folded = {normalise(name) for name in names} - {""}
    mixed, clean = _files_by_content(kb, audience)
    shown, left_out = [], 0
    for finding in findings:
        text = f"{finding.path} {finding.message} {finding.hint or ''}"
        plain = normalise(text)
        if any(name in text for name in names) or any(name in plain for name in folded):
            left_out += 1
        elif finding.path in mixed or (_record_file(finding.path) and finding.path not in clean):
            message = f"text withheld: this finding may quote content marked above {audience.level}"
            shown.append(replace(finding, message=message, hint=""))
        else:
            shown.append(finding)
    return shown, left_out


def _record_file(path: str) -> bool:
    return path.startswith(("meetings/", "people/", "orgs/"))


def _files_by_content(kb, audience: Audience) -> tuple[set[str], set[str]]:
    """(the files of visible records holding something above the audience, the other files of
    records read)."""
    mixed = {m.relpath for m in kb.meetings.values() if audience.may_see(m) and audience.hides_part(m)}
    mixed |= {p.relpath for p in kb.people.values() if audience.hides_in_person(p)}
    everything = {r.relpath for records in (kb.meetings, kb.people, kb.orgs) for r in records.values()}
    return mixed, everything - mixed


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
        old for m in kb.meetings.values() if m.id in hidden_meetings for old in m.former_ids
    }
    for attribute in ("use_cache", "config_problems", "files_read", "digests", "decisions"):
        if hasattr(kb, attribute):
            setattr(restricted, attribute, getattr(kb, attribute))
    return restricted


def resolve_for(kb, query: str, readers: Audience | None, kinds: tuple[str, ...] | None = None, visible=None):
    """What ``query`` names among what ``readers`` may see: the one resolver path of every command
    with an audience. A meeting or an alias above the audience is not matched, and "did you mean"
    suggests only what the audience may see; CounterpartError when nothing visible matches, a
    KBError saying so when the query is the exact id of a meeting withheld. ``visible``: the
    caller's ``restrict(kb, readers)``, when it has one."""
    from kb.query.resolve import ALL_KINDS, CounterpartError, resolve

    if visible is None:
        visible = restrict(kb, readers) if readers is not None else kb
    try:
        return resolve(visible, query, kinds or ALL_KINDS)
    except CounterpartError:
        if readers is not None:
            refuse_hidden(kb, visible, query, readers)
        raise


def refuse_hidden(kb, visible, query: str, readers: Audience) -> None:
    """When ``query`` is the exact id of a meeting withheld from ``visible`` (a restricted view of
    ``kb``), say so, as the reader typed the id already; else nothing."""
    query = query.strip()
    if query in getattr(visible, "hidden_meeting_ids", ()):
        meeting = kb.meetings.get(kb.resolve_id("meeting", query) or "")
        marking = readers.marking(meeting) if meeting else readers.default
        raise KBError(
            f"meeting {query} is marked {marking}, above the audience {readers.level}: "
            "nothing about it is shown to that audience"
        )


def prune_references(meetings: Sequence[Any], visible_ids: set[str], hidden: frozenset[str] = frozenset()) -> None:
    """Remove from ``meetings`` every reference to a meeting not among ``visible_ids``: a withheld
    meeting's id, or one after the as-of date, must not show through a link to it; nor may a
    reference to a withheld outcome (``hidden``, "meeting#outcome")."""
    keep = _keeper(visible_ids, hidden)
    for meeting in meetings:
        _prune(meeting.data, keep)


def _keeper(visible_ids: set[str], hidden: frozenset[str]):
    """Whether a reference may stay (see prune_references)."""

    def keep(ref) -> bool:
        return isinstance(ref, str) and ref.split("#", 1)[0] in visible_ids and ref not in hidden

    return keep


def _prune(data: dict, keep) -> None:
    """Remove from a copy's ``data`` every reference ``keep`` refuses (see prune_references)."""
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
