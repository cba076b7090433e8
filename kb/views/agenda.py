"""`kb due`: the desk's agenda as a JSON-ready context (kb.rendering writes it as text and iCalendar).

Three lists, each within what the audience may read:
- commitments (agreements, commitments and requests open or in progress on the day, as their
  dated updates had them) overdue, due within the window or undated, of either side, with their
  owner and a one-paragraph brief;
- planned meetings whose date may fall between the day and the end of the window;
- counterparts with a cadence (their own ``cadence:``, else kb.yaml's) not met for longer than
  it, or due to be met within the window.
"""

from __future__ import annotations

import datetime as dt

from kb.errors import KBError
from kb.model import dates
from kb.model.records import KnowledgeBase, Meeting, Outcome
from kb.query import resolve, scope
from kb.query.audience import Audience
from kb.views import describe


class AgendaError(KBError, ValueError):
    """An option of `kb due` that cannot be understood."""


def parse_span(text: str, option: str) -> tuple[int, str]:
    """'30d', '6w', '6m', '1y' -> (30, 'd')."""
    found = dates.span(text)
    if found is None:
        raise AgendaError(f"{option}: '{text}' is not a span; write a number and d, w, m or y (30d, 6w, 6m, 1y)")
    return found


def sequence(outcome: Outcome) -> int:
    """How many times the outcome's status changed (its dated updates, in date order, from
    'open'): the iCalendar SEQUENCE, raised by each change."""
    changes, status = 0, "open"
    for update in sorted(outcome.updates, key=lambda u: u.date.sort_key()):
        if update.status != status:
            changes += 1
            status = update.status
    if outcome.status and outcome.status != status:
        changes += 1
    return changes


def build(
    kb: KnowledgeBase,
    audience: Audience,
    day: dt.date,
    within: tuple[int, str] = (30, "d"),
    owner: str | None = None,
    side: str | None = None,
) -> dict:
    horizon = dates.add_span(day, within)
    visible = [copy for copy in (audience.meeting(m) for m in kb.sorted_meetings) if copy is not None]
    by_id = {m.id: m for m in visible}
    owners = _owners(kb, owner, audience) if owner else None

    commitments = _commitments(kb, visible, day, horizon, owners, side)
    planned = _planned(kb, visible, day, horizon) if owners is None and side is None else []

    return {
        "format": "kb-due",
        "version": 1,
        "knowledge_base": {"name": kb.config.name, "our_side": kb.our_side},
        "as_of": describe.day_info(day),
        "until": describe.day_info(horizon),
        "audience": audience.summary(),
        "commitments": commitments,
        "stale_after": kb.config.stale_after,
        "planned": planned,
        "cadence": _cadence(kb, by_id, day, horizon) if owners is None and side is None else [],
    }


def _planned(kb: KnowledgeBase, visible: list[Meeting], day: dt.date, horizon: dt.date) -> list[dict]:
    """The planned meetings between ``day`` and ``horizon``."""
    return [
        {**describe.meeting_ref(meeting), "with": describe.counterpart_names(kb, meeting), "place": meeting.place}
        for meeting in visible
        if meeting.status == "planned" and meeting.date.latest() >= day and meeting.date.earliest() <= horizon
    ]


def _commitments(
    kb: KnowledgeBase, visible: list[Meeting], day: dt.date, horizon: dt.date, owners: set[str] | None, side: str | None
) -> list[dict]:
    """The open items (:func:`kb.query.scope.open_item`, the rule briefs and the site follow) of
    every visible meeting that are overdue, due by the horizon or undated; overdue first, then
    by due date, then the undated, the longest untouched (the stale) first."""
    by_id = {m.id: m for m in visible}
    others = _OpenWith(kb, by_id, day)
    found = []
    for item in scope.open_items_in((scope.Scoped(m, "direct") for m in visible), day, scope.stale_after(kb)):
        outcome = item.outcome
        if outcome.due is not None and outcome.due.earliest() > horizon:
            continue
        if owners is not None and outcome.owner not in owners:
            continue
        info = describe.open_item_info(kb, item, day)
        if (side == "ours" and not info["ours"]) or (side == "theirs" and not info["theirs"]):
            continue
        info["meeting"] = describe.meeting_ref(outcome.meeting)
        # the updates known on the day: a later one is not yet news
        info["updates"] = [u for u in info["updates"] if u["date"] and _by(u["date"], day)]
        info["state"] = _state(info)
        info["sequence"] = sequence(outcome.meeting.outcomes[outcome.index])  # as recorded, not as on the day
        info["brief"] = _brief(kb, outcome.meeting, info, visible, day, others)
        found.append(info)
    return found


def _by(date: describe.DateInfo, day: dt.date) -> bool:
    return date.typed.certainly_on_or_before_day(day)


def _state(info: dict) -> str:
    if info["overdue"]:
        return "overdue"
    if info["due"]:
        return "upcoming"
    return "stale" if info["stale"] else "undated"


class _OpenWith:
    """What is open with each counterpart (:func:`kb.query.scope.open_items`), asked once each."""

    def __init__(self, kb: KnowledgeBase, visible: dict[str, Meeting], day: dt.date):
        self.kb, self.visible, self.day = kb, visible, day
        self.found: dict[str, list[scope.OpenItem]] = {}

    def of(self, person_id: str) -> list[scope.OpenItem]:
        if person_id not in self.found:
            known = person_id in self.kb.people
            self.found[person_id] = (
                scope.open_items(self.kb, "person", person_id, self.day, lambda m: self.visible.get(m.id))
                if known
                else []
            )
        return self.found[person_id]


def _owners(kb: KnowledgeBase, owner: str, audience: Audience) -> set[str]:
    """The ids an --owner matches, among what the audience may see: a person's, or an
    organisation's and those under it."""
    from kb.query.audience import resolve_for

    try:
        found = resolve_for(kb, owner, audience, ("person", "org"))
    except resolve.CounterpartError as error:
        raise AgendaError(f"--owner: {error}") from None
    kind, ident = found.kind, found.id
    if kind == "person":
        return {ident} | set(kb.people[ident].former_ids)
    return {o for family in scope.org_family(kb, ident) for o in (family, *kb.orgs[family].former_ids)}


def _names(kb: KnowledgeBase, person_ids) -> list[str]:
    return [kb.people[p].name if p in kb.people else p for p in person_ids]


def _brief(kb: KnowledgeBase, meeting: Meeting, info: dict, visible: list[Meeting], day: dt.date, others) -> str:
    """One paragraph: where the promise was made and how long ago, by whom, whose move it is, its
    state, when the counterparts were last met and what else is open with them."""
    parts = [
        f"{info['kind'].capitalize()} made at “{meeting.title}” ({meeting.date.human()}, {meeting.id}); "
        f"open {info['open_for']}."
    ]
    by = ", ".join(p["name"] for p in info["by"])
    if by:
        parts.append(f"By {by}" + (f"; owner {info['owner']['name']}." if info["owner"] else "."))
    if info["next_move"]:
        parts.append(f"Next move: {_MOVES[info['next_move']]}.")
    parts.append(_due_words(info))
    if info["updates"]:
        last = info["updates"][-1]
        parts.append(
            f"Last update {last['date']['human'] if last['date'] else ''}: {last['status']}"
            + (f" — {last['note']}" if last["note"] else "")
            + "."
        )
    counterparts = sorted(set(scope.counterpart_people(kb, meeting)))
    if counterparts:
        parts += _with_them(kb, meeting, info, counterparts, visible, day, others)
    return " ".join(parts)


_MOVES = {"ours": "ours", "theirs": "theirs", "both": "both sides'"}


def _due_words(info: dict) -> str:
    if info["due"] is None:
        stale = f" — stale: unchanged since {info['last_change']['human']}" if info["stale"] else ""
        return f"No due date; status {info['status']}{stale}."
    if info["overdue"]:
        return f"Due {info['due']['human']}: {info['days_overdue']} days overdue; status {info['status']}."
    return f"Due {info['due']['human']}; status {info['status']}."


def _with_them(kb, meeting: Meeting, info: dict, counterparts: list[str], visible, day: dt.date, others) -> list[str]:
    """When the counterparts were last met, and what else is open with them."""
    parts = []
    people = set(counterparts)
    theirs = [
        m
        for m in visible
        if m.status == "held"
        and m.date.certainly_on_or_before_day(day)
        and not people.isdisjoint(scope.meeting_people(kb, m))
    ]
    if theirs:
        last = theirs[-1]
        parts.append(f"Last met {', '.join(_names(kb, counterparts))} on {last.date.human()} (“{last.title}”).")
    also = {
        item.ref: f"{item.outcome.text} ({'due ' + item.outcome.due.human() if item.outcome.due else 'no due date'})"
        for person in counterparts
        for item in others.of(person)
        if item.ref != info["ref"]
    }
    texts = list(also.values())
    if texts:
        parts.append(f"Also open with them: {'; '.join(texts[:3])}" + (" …" if len(texts) > 3 else "") + ".")
    return parts


def _cadence(kb: KnowledgeBase, visible: dict[str, Meeting], day: dt.date, horizon: dt.date) -> list[dict]:
    """Counterparts whose next meeting, by their cadence, falls before the end of the window."""
    default = kb.config.cadence
    found = []
    candidates = [("person", p) for p in kb.people.values()] + [("org", o) for o in kb.orgs.values()]
    for kind, record in candidates:
        text = record.cadence or default
        if not text:
            continue
        ours = kb.is_ours(record.country())
        if ours and not record.cadence:
            continue  # kb.yaml's cadence is for counterparts, not for our own people
        span = parse_span(text, f"cadence of {record.id}")
        meetings = scope.meetings_of(kb, kind, record.id)
        held = [
            m for m in meetings if m.id in visible and m.status == "held" and m.date.certainly_on_or_before_day(day)
        ]
        if not held:
            continue  # never met: nothing to keep up
        last = held[-1]
        next_due = dates.add_span(last.date.latest(), span)
        if next_due > horizon:
            continue
        found.append(
            {
                "kind": kind,
                "id": record.id,
                "name": record.name,
                "cadence": text,
                "last_met": describe.date_info(last.date),
                "last_meeting": describe.meeting_ref(last),
                "due": describe.day_info(next_due),
                "overdue": next_due < day,
                "days_overdue": max(0, (day - next_due).days),
            }
        )
    found.sort(key=lambda c: (str(c["due"]["value"]), str(c["id"])))  # type: ignore[index]
    return found
