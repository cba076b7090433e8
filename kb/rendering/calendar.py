"""Contexts to iCalendar: a timeline's meetings as events, the agenda's commitments as to-dos.

Days come from the typed dates the views described (kb.views.describe.DateInfo's ``typed``), never
from parsing a context's text back."""

from __future__ import annotations

import datetime as dt
import os

from kb.model.dates import PartialDate
from kb.rendering.text import place, whose

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


def timeline_ics(context: dict) -> str:
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
        date: PartialDate = e["date"].typed  # the typed dates the view described (DateInfo)
        end: PartialDate = e["end_date"].typed if e["end_date"] else date
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
        if place(e):
            event.add("location", _plain(place(e)))
        event.add("status", ICS_STATUS.get(e["status"], "CONFIRMED"))
        if e["topics"]:
            event.add("categories", [_plain(t["label"]) for t in e["topics"]])
        urls = [s["url"] for s in e["sources"] if s["url"]]
        if urls:
            event.add("url", urls[0])
        event.add("class", "PUBLIC" if e["sensitivity"] == "CLEAR" else "CONFIDENTIAL")
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def _stale_alarm(c: dict, as_of: PartialDate):
    """An alarm on the agenda's day for an undated item nobody has touched for too long: chase
    it or close it."""
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add(
        "description",
        _plain(f"Stale, unchanged since {c['last_change']['human']} with no due date: {c['text']}"),
    )
    alarm.add(
        "trigger",
        dt.datetime.combine(as_of.earliest(), dt.time(9), tzinfo=dt.UTC),
        parameters={"VALUE": "DATE-TIME"},
    )
    return alarm


def agenda_ics(context: dict) -> str:
    """A VTODO per commitment (its summary saying whose move it is, DUE, an alarm the day before
    or, for a stale one without a due date, on the agenda's day, the brief as its description, a UID
    that stays the same and a SEQUENCE raised by each status change) and per counterpart due to be
    met; a VEVENT per planned meeting."""
    from icalendar import Alarm, Calendar, Event, Todo

    calendar = Calendar()
    calendar.add("prodid", "-//kb//due//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _plain(f"Due: {context['knowledge_base']['name']}"))
    stamp = _stamp()
    for c in context["commitments"]:
        todo = Todo()
        todo.add("uid", f"{c['ref']}@kb")
        todo.add("dtstamp", stamp)
        todo.add("sequence", c["sequence"])
        todo.add("summary", _plain(f"{whose(c).capitalize()}: {c['text']}"))
        if c["due"]:
            todo.add("due", c["due"].typed.latest())
        todo.add("status", "IN-PROCESS" if c["status"] == "in-progress" else "NEEDS-ACTION")
        todo.add("description", _plain(c["brief"]))
        todo.add("categories", ["commitment", c["state"]])
        todo.add("class", "PUBLIC" if (c.get("sensitivity") or "CLEAR") == "CLEAR" else "CONFIDENTIAL")
        if c["due"]:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", _plain(f"Due tomorrow: {c['text']}"))
            alarm.add("trigger", dt.timedelta(days=-1), parameters={"RELATED": "END"})
            todo.add_component(alarm)
        elif c.get("stale"):
            todo.add_component(_stale_alarm(c, context["as_of"].typed))
        calendar.add_component(todo)
    for c in context["cadence"]:
        todo = Todo()
        todo.add("uid", f"cadence-{c['kind']}-{c['id']}@kb")
        todo.add("dtstamp", stamp)
        todo.add("summary", _plain(f"Meet {c['name']} (every {c['cadence']})"))
        todo.add("due", c["due"].typed.earliest())
        todo.add(
            "description",
            _plain(
                f"Last met {c['last_met']['human']} (“{c['last_meeting']['title']}”, "
                f"{c['last_meeting']['id']}); the cadence is {c['cadence']}."
            ),
        )
        calendar.add_component(todo)
    for shown in context["planned"]:  # a meeting as the agenda shows it
        event = Event()
        event.add("uid", f"{shown['id']}@kb")
        event.add("dtstamp", stamp)
        event.add("summary", _plain(shown["title"]))
        event.add("dtstart", shown["date"].typed.earliest())
        event.add("dtend", shown["date"].typed.latest() + dt.timedelta(days=1))
        event.add("status", "TENTATIVE")
        if shown["with"]:
            event.add("description", _plain("With: " + "; ".join(shown["with"])))
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
