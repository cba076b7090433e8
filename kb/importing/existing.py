"""Is the meeting a draft reports already recorded? If so, the report is one more source of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kb.errors import KBError
from kb.model.dates import PartialDate


def find(kb, date: PartialDate | None, people: list[str], published: dt.date | None = None,
         unknown: int = 0):
    """The recorded meeting with the same counterparts within a day of ``date`` (or inside it,
    when the draft knows only a month): two people in common, or every person the draft names
    (one known person alone is not enough when the draft also names ``unknown`` new people).
    Our own side alone never makes two reports one meeting (our minister is in nearly every
    meeting): a counterpart the draft names must be in the record, and the record must hold at
    least half of the people the draft names (two of five is another event)."""
    wanted = set(people)
    ours = {p for p in wanted if p in kb.people and kb.people[p].country() == kb.config.our_side}
    if date is None or not wanted:
        return None
    earliest = date.earliest() - dt.timedelta(days=1)
    latest = date.latest() + dt.timedelta(days=1)
    if published is not None and date.precision != "day":
        latest = min(latest, published + dt.timedelta(days=1))
    best = None
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


def holds_url(meeting, url: str | None) -> int | None:
    """The 1-based number of the meeting's source with this url, if any."""
    if not url:
        return None
    for i, source in enumerate(meeting.get("sources", []), 1):
        if source.get("url", "").rstrip("/") == url.rstrip("/"):
            return i
    return None


def holds_source(meeting, source: dict) -> int | None:
    """The 1-based number of the meeting's source with the same url (or, for a source without
    one, the same document reference)."""
    if source.get("url"):
        return holds_url(meeting, source["url"])
    for i, recorded in enumerate(meeting.get("sources", []), 1):
        if not recorded.get("url") and recorded.get("document") == source.get("document"):
            return i
    return None


class EditFailed(KBError):
    """The record could not be edited without changing more than its sources."""


def add_source(path: Path, source: dict) -> None:
    """Append ``source`` to the record's sources and change nothing else: the new item is inserted
    as text after the last one, indented like them, so every other line (comments, order, line
    breaks) stays byte for byte; the result is re-read to prove it. Written atomically."""
    from kb.importing.draft import yaml_text
    from kb.store import atomic
    from kb.store.yamlread import parse_bytes

    text = path.read_bytes().decode("utf-8")  # as written: a CRLF file stays CRLF
    newline = "\r\n" if "\r\n" in text else "\n"
    before = parse_bytes(text.encode("utf-8"), path.name)
    if before.data is None or not isinstance(before.data.get("sources"), list) or not before.data["sources"]:
        raise EditFailed(f"{path}: the record's sources cannot be read; fix it first (`kb check {path}`)")
    lines = text.splitlines(keepends=True)
    key_line = before.positions[("sources",)][0]
    _, _, item_line, item_column = before.positions[("sources", 0)]
    dash = lines[item_line - 1].rfind("-", 0, item_column - 1)
    if item_line == key_line or dash < 0:
        raise EditFailed(f"{path}: sources are written in flow style ([...]); write them as a block list first")
    end = key_line  # index just past the sources block's last content line
    for number in range(key_line, len(lines)):
        line = lines[number]
        if line.strip() and not line.startswith((" ", "\t", "#", "-")):
            break
        if line.strip() and not line.lstrip().startswith("#"):
            end = number + 1
    item = yaml_text({"sources": [source]}).splitlines(keepends=True)[1:]
    shift = dash - (len(item[0]) - len(item[0].lstrip()))
    item = [(" " * shift + line) if shift >= 0 else line[-shift:] for line in item]
    item = [line[:-1] + newline if line.endswith("\n") else line for line in item]
    if end and not lines[end - 1].endswith("\n"):
        lines[end - 1] += newline
    new_text = "".join(lines[:end] + item + lines[end:])
    after = parse_bytes(new_text.encode("utf-8"), path.name)
    expected = dict(before.data, sources=before.data["sources"] + [source])
    if after.data != expected:
        raise EditFailed(f"{path}: adding the source would change more than the sources; add it by hand")
    atomic.write_text(path, new_text)
