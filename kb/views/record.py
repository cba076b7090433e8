"""A record and its backlinks, for `kb show`: as rich text for people and as data for programs."""

from __future__ import annotations

from collections import Counter

from rich.markup import escape

from kb.model.records import KnowledgeBase
from kb.query import links
from kb.views import describe

DEFAULT_LIMIT = 20  # meetings listed by `kb show` in text, newest; --all for every one


def _record(kb: KnowledgeBase, kind: str, record_id: str):
    return kb.table(kind)[record_id]


def _meeting_ref(meeting) -> dict:
    return {"id": meeting.id, "date": str(meeting.date), "title": meeting.title}


def as_data(kb: KnowledgeBase, kind: str, record_id: str) -> dict:
    record = _record(kb, kind, record_id)
    found = links.backlinks(kb, kind, record_id)
    data = {"kind": kind, "id": record_id, "path": record.relpath, "record": record.data, "backlinks": {}}
    if kind == "person":
        data["native"] = describe.native_name(record)
    back = data["backlinks"]
    if found.meetings:
        back["meetings"] = [_meeting_ref(m) for m in found.meetings]
    if found.earlier or kind == "meeting":
        back["earlier_meetings"] = [_meeting_ref(m) for m in found.earlier]
    if found.later or kind == "meeting":
        back["later_meetings"] = [_meeting_ref(m) for m in found.later]
    if found.referenced_by:
        back["referenced_by"] = [{**_meeting_ref(m), "relation": how} for m, how in found.referenced_by]
    if kind != "meeting":
        back["commitments"] = [
            {"meeting": o.meeting.id, "outcome": o.id, "text": o.text, "status": o.status, "as": how}
            for o, how in found.commitments
        ]
    if kind == "org":
        back["people"] = [
            {"person": p.id, "name": p.name, "title": r.title, "start": str(r.start or ""), "end": str(r.end or "")}
            for p, r in found.people
        ]
    if found.posts:
        from kb.query.posts import succession

        back["posts"] = {
            post: [
                {
                    "person": h.person.id,
                    "name": h.person.name,
                    "title": h.role.title,
                    "start": str(h.role.start or ""),
                    "end": str(h.role.end or ""),
                    "succeeded": str(h.succeeded or ""),
                    "vacant_after": [str(d) for d in h.vacant_after] if h.vacant_after else None,
                }
                for h in succession(kb, post)
            ]
            for post in found.posts
        }
    return data


def _milestones(role) -> str:
    """An envoy's milestones besides taking up and leaving the post."""
    marks = [
        f"{what} {date.human()}"
        for what, date in (("appointed", role.appointed), ("credentials presented", role.credentials))
        if date
    ]
    return f" ({'; '.join(marks)})" if marks else ""


def _span(role) -> str:
    start = role.start.human() if role.start else "?"
    return f"{start} – {role.end.human()}" if role.end else f"since {start}"


def _meeting_line(meeting) -> str:
    return f"  {meeting.date}  [bold]{escape(meeting.id)}[/]  {escape(meeting.title)}"


def _newest(meetings: list, limit: int | None, what: str) -> list[str]:
    """The newest ``limit`` of ``meetings`` (oldest first, as listed), one line each, after a
    line counting the older ones by year; all of them when ``limit`` is None."""
    if limit is None or len(meetings) <= limit:
        return [_meeting_line(m) for m in meetings]
    shown, older = meetings[len(meetings) - limit :], meetings[: len(meetings) - limit]
    years = Counter(m.date.year for m in older)
    counts = ", ".join(f"{year}: {years[year]}" for year in sorted(years))
    return [
        f"  [dim]… {len(older):,} earlier {what} not shown ({counts}); --all lists every one[/]",
        *[_meeting_line(m) for m in shown],
    ]


def as_text(kb: KnowledgeBase, kind: str, record_id: str, limit: int | None = DEFAULT_LIMIT) -> str:
    """The record and its backlinks for people. Long lists of meetings show the newest ``limit``
    and count the others by year (None: every one)."""
    record = _record(kb, kind, record_id)
    found = links.backlinks(kb, kind, record_id)
    if kind == "meeting":
        lines = _meeting_text(kb, record, found, limit)
    else:
        lines = _party_text(kb, kind, record_id, found, limit)
    lines += ["", f"[dim]{escape(record.relpath)}[/]"]
    return "\n".join(lines)


def _meeting_text(kb: KnowledgeBase, record, found: links.Backlinks, limit: int | None) -> list[str]:
    """A meeting: where and when, who took part, what came of it, and the meetings around it."""
    lines = [f"[bold]{escape(record.title)}[/]  ({record.date.human()}, {record.status})"]
    if record.place or record.location_country:
        lines.append(escape(", ".join(filter(None, [record.place, record.location_country]))))
    lines.append("")
    lines.append("[bold]Participants[/]")
    for p in record.participants:
        who = kb.people[p.person].name if p.person in kb.people else p.person or p.org or ""
        lines.append(
            f"  {escape(who)} ({p.side}){' — ' + escape(p.title) if p.title else ''}{', lead' if p.lead else ''}"
        )
    if record.outcomes:
        lines += ["", "[bold]Outcomes[/]"]
        for o in record.outcomes:
            due = f", due {o.due}" if o.due else ""
            lines.append(f"  {escape(o.id)} ({o.kind}, {o.status}{due}): {escape(o.text)}")
    lines += ["", "[bold]Earlier meetings with the same counterparts[/]"]
    lines += _newest(found.earlier, limit, "meetings") or ["  none"]
    lines += ["", "[bold]Later meetings with the same counterparts[/]"]
    later = found.later if limit is None else found.later[:limit]
    lines += [_meeting_line(m) for m in later] or ["  none"]
    if len(later) < len(found.later):
        lines.append(f"  [dim]… {len(found.later) - len(later):,} later meetings not shown; --all lists every one[/]")
    if found.referenced_by:
        lines += ["", "[bold]Referred to by[/]"]
        lines += [f"{_meeting_line(m)} — {escape(how)}" for m, how in found.referenced_by]
    return lines


def _party_text(kb: KnowledgeBase, kind: str, record_id: str, found: links.Backlinks, limit: int | None) -> list[str]:
    """A person or an organisation: its names, roles or people, meetings and commitments."""
    record = _record(kb, kind, record_id)
    native = describe.native_name(record) if kind == "person" else None
    title = record.name + (f" ({native['name']})" if native else "")
    abbreviation = record.abbreviation if kind == "org" else None
    title += f" ({abbreviation})" if abbreviation else ""
    lines = [f"[bold]{escape(title)}[/]  {record.country() or ''}"]
    if kind == "person":
        lines += _person_text(kb, record_id, found)
    if kind == "org" and found.people:
        lines += ["", "[bold]People[/]"]
        lines += [f"  {escape(p.name)} — {escape(r.title)}, {_span(r)}" for p, r in found.people]
    lines += ["", "[bold]Meetings[/]"]
    lines += _newest(found.meetings, limit, "meetings") or ["  none"]
    if found.commitments:
        lines += ["", "[bold]Commitments[/]"]
        for outcome, how in found.commitments:
            lines.append(
                f"  {outcome.meeting.date} {escape(outcome.meeting.id)}#{escape(outcome.id)} "
                f"({how}, {outcome.status}): {escape(outcome.text)}"
            )
    return lines


def _person_text(kb: KnowledgeBase, record_id: str, found: links.Backlinks) -> list[str]:
    """A person's other names, roles, and the holders of each post held by more than one."""
    record = _record(kb, "person", record_id)
    lines = []
    aliases = [a.name for a in record.aliases]
    if aliases:
        lines.append("also written: " + escape(", ".join(aliases)))
    if record.roles:
        lines += ["", "[bold]Roles[/]"]
        for r in record.roles:
            lines.append(f"  {escape(r.title)}{' (acting)' if r.acting else ''}, {_span(r)}{_milestones(r)}")
            if r.note:
                lines.append(f"    {escape(r.note)}")
    for post, holders in found.posts.items():
        if len(holders) > 1:
            lines += ["", f"[bold]Holders of {escape(post)}, in succession[/]"]
            lines += _succession_text(kb, post, record_id)
    return lines


def _succession_text(kb: KnowledgeBase, post: str, record_id: str) -> list[str]:
    """The holders of ``post`` in turn, ``record_id`` marked, and the gaps between them."""
    from kb.query.posts import succession

    lines = []
    for h in succession(kb, post):
        began = h.role.start.human() if h.role.start else "?"
        span = f"{began} – {h.succeeded.human()} (end not recorded)" if h.succeeded else _span(h.role)
        lines.append(
            f"  {escape(h.person.name)}{' ←' if h.person.id == record_id else ''}, {escape(h.role.title)}, {span}"
        )
        if h.vacant_after:
            lines.append(f"  (vacant, {h.vacant_after[0].human()} – {h.vacant_after[1].human()})")
    return lines
