"""Is the meeting a draft reports already recorded? If so, the report is one more source of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kb.model.dates import PartialDate
from kb.model.records import KnowledgeBase, Meeting


def find(
    kb: KnowledgeBase, date: PartialDate | None, people: list[str], published: dt.date | None = None, unknown: int = 0
) -> Meeting | None:
    """The recorded meeting with the same counterparts within a day of ``date`` (or inside it,
    when the draft knows only a month): two people in common, or every person the draft names
    (one known person alone is not enough when the draft also names ``unknown`` new people).
    Our own side alone never makes two reports one meeting (our minister is in nearly every
    meeting): a counterpart the draft names must be in the record, and the record must hold at
    least half of the people the draft names (two of five is another event)."""
    wanted = set(people)
    ours = {p for p in wanted if p in kb.people and kb.is_ours(kb.people[p].country())}
    if date is None or not wanted:
        return None
    earliest = date.earliest() - dt.timedelta(days=1)
    latest = date.latest() + dt.timedelta(days=1)
    if published is not None and date.precision != "day":
        latest = min(latest, published + dt.timedelta(days=1))
    best: tuple[tuple, Meeting] | None = None
    for meeting in kb.sorted_meetings:
        if meeting.status == "cancelled":
            continue
        if meeting.date.latest() < earliest or meeting.date.earliest() > latest:
            continue
        recorded = {kb.resolve_id("person", p) or p for p in meeting.person_ids()}
        shared = wanted & recorded
        if not shared - ours or 2 * len(shared) < len(wanted) + unknown:
            continue
        if len(shared) >= 2 or (shared and shared == wanted and not unknown):
            distance = abs((meeting.date.earliest() - date.earliest()).days)
            key = (-len(shared), distance, meeting.id)
            if best is None or key < best[0]:
                best = (key, meeting)
    return best[1] if best else None


def holds_url(meeting: Meeting, url: str | None) -> int | None:
    """The 1-based number of the meeting's source with this url, if any."""
    if not url:
        return None
    for source in meeting.sources:
        if (source.url or "").rstrip("/") == url.rstrip("/"):
            return source.index + 1
    return None


def holds_source(meeting: Meeting, source: dict) -> int | None:
    """The 1-based number of the meeting's source with the same url (or, for a source without
    one, the same document reference)."""
    if source.get("url"):
        return holds_url(meeting, source["url"])
    for recorded in meeting.sources:
        if not recorded.url and recorded.document == source.get("document"):
            return recorded.index + 1
    return None


def add_source(path: Path, source: dict, relpath: str | None = None) -> None:
    """Append ``source`` to the record's sources and change nothing else, through the one
    writer of edits (kb.store.yamledit: comments and layout kept, the result proved, written
    only if the file is still what was read)."""
    from kb.store import yamledit

    def change(record) -> None:
        if "sources" in record:
            yamledit.append(record["sources"], dict(source))
        else:
            yamledit.put(record, "sources", [dict(source)])

    yamledit.edit(path, change, relpath=relpath)
