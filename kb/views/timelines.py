"""Build the context of a timeline, and the formats that are data rather than documents
(CSV, iCalendar, the terminal table and plain text); Markdown, HTML and Mermaid go through
templates (:mod:`kb.rendering`).

Meetings are in date order with partial dates placed honestly: "July 2024" sorts after every day
of July 2024 (it may be any of them) and is shown as "July 2024", never as a made-up day.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os

from kb.model import countries
from kb.model.dates import PartialDate
from kb.model.records import KnowledgeBase, Meeting
from kb.query import asof, scope
from kb.query.audience import Audience
from kb.query.resolve import Counterpart
from kb.views import describe

FORMAT_VERSION = 1
CSV_COLUMNS = (
    "date",
    "date_human",
    "precision",
    "end_date",
    "time",
    "id",
    "title",
    "status",
    "mode",
    "place",
    "country",
    "with",
    "topics",
    "summary",
    "sensitivity",
    "sources",
)


def build(
    kb: KnowledgeBase,
    counterpart: Counterpart,
    audience: Audience,
    since: dt.date | None = None,
    until: dt.date | None = None,
    as_of: dt.date | None = None,
    today: dt.date | None = None,
) -> dict:
    day = as_of or today or dt.date.today()
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


def _place(entry: dict) -> str:
    parts = [entry["place"], entry["country"]["name"] if entry["country"] else None]
    return ", ".join(p for p in parts if p)


def _when(entry: dict) -> str:
    text = entry["date"]["human"]
    if entry["end_date"]:
        text += f" – {entry['end_date']['human']}"
    if entry["time"]:
        text += f", {entry['time']}"
    return text


# --- CSV -------------------------------------------------------------------------------------


def _cell(value) -> str:
    """A spreadsheet cell that is never a formula: text starting with = + - @ (or a tab or
    carriage return) is prefixed with an apostrophe, as OWASP advises against CSV injection."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(context: dict) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in context["entries"]:
        row = (
            e["date"]["value"],
            e["date"]["human"],
            e["date"]["precision"],
            e["end_date"]["value"] if e["end_date"] else "",
            e["time"],
            e["id"],
            e["title"],
            e["status"],
            e["mode"],
            e["place"],
            e["country"]["code"] if e["country"] else "",
            "; ".join(e["with"]),
            "; ".join(t["label"] for t in e["topics"]),
            e["summary"],
            e["sensitivity"],
            " ".join(s["url"] for s in e["sources"] if s["url"]),
        )
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


# --- iCalendar -------------------------------------------------------------------------------

ICS_STATUS = {"held": "CONFIRMED", "planned": "TENTATIVE", "cancelled": "CANCELLED"}


def _plain(text: str) -> str:
    """Calendar clients may show descriptions as HTML: angle brackets become look-alike quotes."""
    return text.replace("<", "‹").replace(">", "›")


def _stamp() -> dt.datetime:
    """DTSTAMP: now, or SOURCE_DATE_EPOCH for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def to_ics(context: dict) -> str:
    """One VEVENT per meeting. A day is an all-day event; a month or year known only as such is an
    all-day event spanning it, and its description says so; a recorded time is a floating local time."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//kb//timeline//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _plain(f"Meetings with {context['subject']['name']}"))
    stamp = _stamp()
    for e in context["entries"]:
        date = PartialDate.parse(e["date"]["value"])
        end = PartialDate.parse(e["end_date"]["value"]) if e["end_date"] else date
        event = Event()
        event.add("uid", f"{e['id']}@kb")
        event.add("dtstamp", stamp)
        event.add("summary", _plain(e["title"]))
        lines = []
        if e["time"] and date.month and date.day and not e["end_date"]:  # a day: its month is known
            hour, minute = map(int, e["time"].split(":"))
            event.add("dtstart", dt.datetime(date.year, date.month, date.day, hour, minute))
        else:
            event.add("dtstart", date.earliest())
            event.add("dtend", end.latest() + dt.timedelta(days=1))
        if date.precision != "day":
            lines.append(
                f"Date known only to the {date.precision}: {date.human()}. "
                f"Shown as an all-day event spanning the whole {date.precision}."
            )
        elif date.qualifier:
            lines.append(f"Date: {date.human()}.")
        if e["with"]:
            lines.append("With: " + "; ".join(e["with"]))
        if e["summary"]:
            lines.append(e["summary"])
        for outcome in e["outcomes"]:
            status = f" ({outcome['status']})" if outcome["status"] else ""
            lines.append(f"- {outcome['kind']}: {outcome['text']}{status}")
        for source in e["sources"]:
            lines.append(f"Source: {source['publisher'] or source['title'] or ''} {source['url'] or ''}".rstrip())
        event.add("description", _plain("\n".join(lines)))
        if _place(e):
            event.add("location", _plain(_place(e)))
        event.add("status", ICS_STATUS.get(e["status"], "CONFIRMED"))
        if e["topics"]:
            event.add("categories", [_plain(t["label"]) for t in e["topics"]])
        urls = [s["url"] for s in e["sources"] if s["url"]]
        if urls:
            event.add("url", urls[0])
        event.add("class", "PUBLIC" if e["sensitivity"] == "CLEAR" else "CONFIDENTIAL")
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


# --- terminal and plain text ----------------------------------------------------------------


def _heading(context: dict) -> str:
    span = ""
    if context["since"] or context["until"]:
        span = (
            f" ({context['since']['human'] if context['since'] else '…'} – "
            f"{context['until']['human'] if context['until'] else '…'})"
        )
    return f"Meetings with {context['subject']['name']}{span}: {context['count']}"


def table(context: dict):
    """A rich table. Record text is passed as Text objects, never parsed as rich markup."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(_heading(context)), caption=Text(context["audience"]["banner"]))
    table.add_column("Date", no_wrap=True)
    for column in ("Meeting", "With", "Place", "Status"):
        table.add_column(column)
    for e in context["entries"]:
        table.add_row(Text(_when(e)), Text(e["title"]), Text("\n".join(e["with"])), Text(_place(e)), Text(e["status"]))
    return table


def to_text(context: dict) -> str:
    """Plain text: one block per meeting, for pipes and files."""
    lines = [context["audience"]["banner"], _heading(context), ""]
    for e in context["entries"]:
        lines.append(f"{_when(e)}  {e['title']}")
        details = [_place(e), e["status"]] + (["with " + "; ".join(e["with"])] if e["with"] else [])
        lines.append("    " + " · ".join(d for d in details if d))
    if not context["entries"]:
        lines.append("No meetings recorded.")
    return "\n".join(lines) + "\n"
