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
import re

from kb.errors import KBError
from kb.model.dates import PartialDate
from kb.model.records import OPEN_STATUSES, KnowledgeBase, Meeting, Outcome
from kb.query import resolve, scope
from kb.query.audience import Audience
from kb.views import describe

COMMITMENT_KINDS = ("agreement", "commitment", "request")
_SPAN = re.compile(r"^([1-9][0-9]{0,3})([dwmy])$")


class AgendaError(KBError, ValueError):
    """An option of `kb due` that cannot be understood."""


def parse_span(text: str, option: str) -> tuple[int, str]:
    """'30d', '6w', '6m', '1y' -> (30, 'd')."""
    found = _SPAN.match(text.strip()) if isinstance(text, str) else None
    if not found:
        raise AgendaError(f"{option}: '{text}' is not a span; write a number and d, w, m or y (30d, 6w, 6m, 1y)")
    return int(found.group(1)), found.group(2)


def add_span(day: dt.date, span: tuple[int, str]) -> dt.date:
    number, unit = span
    if unit == "d":
        return day + dt.timedelta(days=number)
    if unit == "w":
        return day + dt.timedelta(weeks=number)
    months = number * (12 if unit == "y" else 1)
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    import calendar

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


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
    horizon = add_span(day, within)
    visible = [copy for copy in (audience.meeting(m) for m in kb.sorted_meetings) if copy is not None]
    by_id = {m.id: m for m in visible}
    owners = _owners(kb, owner, audience) if owner else None

    commitments = _open_commitments(kb, visible, day, horizon, owners, side)
    planned = _planned(kb, visible, day, horizon) if owners is None and side is None else []

    return {
        "format": "kb-due",
        "version": 1,
        "knowledge_base": {"name": kb.config.name, "our_side": kb.our_side},
        "as_of": describe.day_info(day),
        "until": describe.day_info(horizon),
        "audience": audience.summary(),
        "commitments": commitments,
        "planned": planned,
        "cadence": _cadence(kb, by_id, day, horizon) if owners is None and side is None else [],
    }


def _open_commitments(
    kb: KnowledgeBase,
    visible: list[Meeting],
    day: dt.date,
    horizon: dt.date,
    owners: set[str] | None,
    side: str | None,
) -> list[dict]:
    """The commitments open on ``day`` and due by ``horizon`` (or undated), overdue first."""
    commitments = []
    for meeting in visible:
        if not meeting.date.certainly_on_or_before_day(day):
            continue  # not yet made on the day
        for outcome in meeting.outcomes:
            if outcome.kind not in COMMITMENT_KINDS or not outcome.status:
                continue
            status = outcome.status_on(day)  # as its dated updates had it then
            if status not in OPEN_STATUSES:
                continue
            due = outcome.due
            if due is not None and due.earliest() > horizon:
                continue
            if owners is not None and outcome.owner not in owners:
                continue
            info = describe.outcome_info(kb, outcome.with_status(status), day)
            if (side == "ours" and not info["ours"]) or (side == "theirs" and not info["theirs"]):
                continue
            info["meeting"] = describe.meeting_ref(meeting)
            info["ref"] = f"{meeting.id}#{outcome.id}"
            info["state"] = "overdue" if info["overdue"] else ("upcoming" if due else "undated")
            info["sequence"] = sequence(outcome)
            info["brief"] = _brief(kb, meeting, info, visible, day)
            commitments.append(info)
    commitments.sort(
        key=lambda c: (
            not c["overdue"],
            c["due"] is None,
            PartialDate.parse(c["due"]["value"]).sort_key() if c["due"] else (),
            c["ref"],
        )
    )
    return commitments


def _planned(kb: KnowledgeBase, visible: list[Meeting], day: dt.date, horizon: dt.date) -> list[dict]:
    """The planned meetings between ``day`` and ``horizon``."""
    return [
        {**describe.meeting_ref(meeting), "with": describe.counterpart_names(kb, meeting), "place": meeting.place}
        for meeting in visible
        if meeting.status == "planned" and meeting.date.latest() >= day and meeting.date.earliest() <= horizon
    ]


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


def _brief(kb: KnowledgeBase, meeting: Meeting, info: dict, visible: list[Meeting], day: dt.date) -> str:
    """One paragraph: where the promise was made, by whom, its state, when the counterparts were
    last met and what else is open with them."""
    parts = [f"{info['kind'].capitalize()} made at “{meeting.title}” ({meeting.date.human()}, {meeting.id})."]
    by = ", ".join(p["name"] for p in info["by"])
    if by:
        parts.append(f"By {by}" + (f"; owner {info['owner']['name']}." if info["owner"] else "."))
    if info["due"] is None:
        parts.append(f"No due date; status {info['status']}.")
    elif info["overdue"]:
        parts.append(f"Due {info['due']['human']}: {info['days_overdue']} days overdue; status {info['status']}.")
    else:
        parts.append(f"Due {info['due']['human']}; status {info['status']}.")
    if info["updates"]:
        last = info["updates"][-1]
        parts.append(
            f"Last update {last['date']['human'] if last['date'] else ''}: {last['status']}"
            + (f" — {last['note']}" if last["note"] else "")
            + "."
        )
    counterparts = set(scope.counterpart_people(kb, meeting))
    if counterparts:
        theirs = [
            m
            for m in visible
            if m.status == "held"
            and m.date.certainly_on_or_before_day(day)
            and not counterparts.isdisjoint(scope.meeting_people(kb, m))
        ]
        if theirs:
            last = theirs[-1]
            parts.append(
                f"Last met {', '.join(_names(kb, sorted(counterparts)))} on {last.date.human()} (“{last.title}”)."
            )
        others = [
            f"{o.text} ({'due ' + o.due.human() if o.due else 'no due date'})"
            for m in theirs
            for o in m.outcomes
            if o.kind in COMMITMENT_KINDS
            and o.status in OPEN_STATUSES
            and not (m.id == meeting.id and o.id == info["id"])
        ]
        if others:
            parts.append(f"Also open with them: {'; '.join(others[:3])}" + (" …" if len(others) > 3 else "") + ".")
    return " ".join(parts)


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
        next_due = add_span(last.date.latest(), span)
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
