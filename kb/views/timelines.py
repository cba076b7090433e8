"""Build the context of a timeline; every format of it (CSV, iCalendar, the terminal table, plain
text, and through templates Markdown, HTML and Mermaid) is written in :mod:`kb.rendering`.

Meetings are in date order with partial dates placed honestly: "July 2024" sorts after every day
of July 2024 (it may be any of them) and is shown as "July 2024", never as a made-up day.
"""

from __future__ import annotations

import datetime as dt

from kb.model import countries, dates
from kb.model.records import KnowledgeBase, Meeting
from kb.query import asof, scope
from kb.query.audience import Audience
from kb.query.resolve import Counterpart
from kb.views import describe

FORMAT_VERSION = 1


def build(
    kb: KnowledgeBase,
    counterpart: Counterpart,
    audience: Audience,
    since: dt.date | None = None,
    until: dt.date | None = None,
    as_of: dt.date | None = None,
    today: dt.date | None = None,
) -> dict:
    day = as_of or today or dates.today()
    scoped = [
        s
        for s in scope.meetings_for(kb, counterpart.kind, counterpart.id, day, related=False)
        if _within(s.meeting, since, until)
    ]
    if audience.level is None and as_of is None:
        known = set(kb.meetings)  # every meeting: no audience and no date to cut at
    else:
        known = {
            m.id for m in kb.meetings.values() if audience.may_see(m) and (as_of is None or asof.known_on(m, as_of))
        }
    entries = []
    for item in scoped:
        meeting = asof.restrict(item.meeting, as_of) if as_of is not None else item.meeting
        if meeting is None:
            continue
        for visible in audience.meetings([meeting], known):
            entries.append(_entry(kb, visible, day))
    return {
        "format": "kb-timeline",
        "version": FORMAT_VERSION,
        "knowledge_base": {"name": kb.config.name, "our_side": countries.describe(kb.our_side)},
        "subject": {
            "kind": counterpart.kind,
            "id": counterpart.id,
            "name": counterpart.name,
            "query": counterpart.query,
        },
        "since": describe.day_info(since) if since else None,
        "until": describe.day_info(until) if until else None,
        "as_of": describe.day_info(as_of) if as_of else None,
        "audience": audience.summary(),
        "count": len(entries),
        "entries": entries,
    }


def _within(meeting: Meeting, since: dt.date | None, until: dt.date | None) -> bool:
    """Whether the meeting may fall between the two days: 'July 2024' is within --since 2024-07-20."""
    last = (meeting.end_date or meeting.date).latest()
    return (since is None or last >= since) and (until is None or meeting.date.earliest() <= until)


def _entry(kb: KnowledgeBase, meeting: Meeting, day: dt.date) -> dict:
    detail = describe.meeting_detail(kb, meeting, day)
    counterparts = [a for a in detail["attendees"] if not a["ours"]]
    return {
        "id": detail["id"],
        "title": detail["title"],
        "date": detail["date"],
        "year": meeting.date.year,
        "end_date": detail["end_date"],
        "time": detail["time"],
        "status": detail["status"],
        "mode": detail["mode"],
        "place": detail["place"],
        "country": detail["country"],
        "sensitivity": detail["sensitivity"],
        "with": [_who(a) for a in counterparts],
        "attendees": detail["attendees"],
        "topics": detail["topics"],
        "summary": detail["summary"],
        "outcomes": [{k: o[k] for k in ("id", "kind", "text", "status", "due", "overdue")} for o in detail["outcomes"]],
        "sources": [{k: s[k] for k in ("number", "url", "publisher", "title", "published")} for s in detail["sources"]],
    }


def _who(attendee: dict) -> str:
    if attendee["person"]:
        name = attendee["person"]["name"]
        return f"{name} ({attendee['title']})" if attendee["title"] else name
    org = attendee["org"]["name"] if attendee["org"] else "unnamed"
    return f"{attendee['title'] or 'Officials'}, {org}"
