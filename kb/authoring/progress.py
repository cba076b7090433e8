"""`kb update`: record a commitment's progress as a dated status update, changing nothing else.

The outcome's ``status`` value is replaced where it stands and the update is inserted as text
(after the last one, or as a new ``updates:`` list in its place in the schema's key order), in
the file's own indentation and line endings, so every other byte of the file stays as it was.
The result is read back and must hold exactly the old data plus the change; the file must not
have changed since it was read; it is written atomically.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

from kb.errors import KBError

STATUSES = ("open", "in-progress", "fulfilled", "lapsed", "superseded")
# The outcome's keys in the schema's order (kb fmt's order): updates go before the first of these.
AFTER_UPDATES = ("fulfilled_by", "revisited_in", "follows_up", "sensitivity")


class UpdateError(KBError):
    """The update cannot be recorded; the message says why and what to do."""


def record(kb, ref: str, status: str, note: str | None, day: str | None,
           today: dt.date | None = None) -> tuple[Path, str, dict]:
    """Record the update on the outcome ``ref`` (MEETING#OUTCOME); (file, old status, update)."""
    from kb.model.dates import DateError, PartialDate
    from kb.model.text import did_you_mean

    meeting_ref, _, outcome_id = ref.partition("#")
    if not outcome_id:
        raise UpdateError(f"'{ref}' names no outcome; give MEETING#OUTCOME, e.g. 2025-11-13-naqvi-biggar#five-mous")
    meeting_id = kb.resolve_id("meeting", meeting_ref)
    if meeting_id is None or meeting_id not in kb.meetings:
        guess = did_you_mean(meeting_ref, list(kb.meetings))
        raise UpdateError(f"no meeting '{meeting_ref}'" + (f"; did you mean '{guess}'?" if guess else ""))
    meeting = kb.meetings[meeting_id]
    ids = [o.id for o in meeting.outcomes]
    if outcome_id not in ids:
        guess = did_you_mean(outcome_id, ids)
        raise UpdateError(f"meeting {meeting_id} has no outcome '{outcome_id}'"
                          + (f"; did you mean '{guess}'?" if guess else f"; its outcomes: {', '.join(ids) or 'none'}"))
    index = ids.index(outcome_id)
    outcome = meeting.outcomes[index]
    if outcome.status is None or outcome.data.get("kind") == "statement":
        raise UpdateError(f"{meeting_id}#{outcome_id} is a {outcome.data.get('kind', 'statement')}, which has "
                          "no status; only agreements, commitments and requests are tracked")
    if status not in STATUSES:
        raise UpdateError(f"'{status}' is not a status; use one of {', '.join(STATUSES)}")
    if day is None:
        day = (today or dt.date.today()).isoformat()
    day = day.strip()
    try:
        when = PartialDate.parse(day)
    except DateError as error:
        raise UpdateError(f"--date: {error}") from None
    today = today or dt.date.today()
    if when.earliest() > today:
        raise UpdateError(f"--date {day} is in the future; record progress once it has happened")
    for earlier in outcome.data.get("updates", []):
        known = PartialDate.try_parse(earlier.get("date"))
        if known and when.certainly_before(known):
            raise UpdateError(f"--date {day} is before the outcome's update of {earlier['date']}: the latest dated "
                              "update gives its status, so an earlier one would not take effect; add it by hand "
                              "if it is history")
    update = {"date": day, "status": status}
    if note:
        update["note"] = " ".join(note.split())
    path = Path(kb.root) / meeting.relpath
    write(path, index, update)
    return path, outcome.status, update


def write(path: Path, index: int, update: dict) -> None:
    """Apply ``update`` to outcome number ``index`` of the record at ``path``, in place."""
    from kb.store import atomic
    from kb.store.yamlread import parse_bytes

    raw, stamp = atomic.Stamp.read(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UpdateError(f"{path}: not UTF-8; run `kb check {path}`") from None
    before = parse_bytes(raw, path.name)
    if before.data is None:
        raise UpdateError(f"{path}: the record cannot be read; fix it first (`kb check {path}`)")
    new_text = edit(text, before, index, update, str(path))
    after = parse_bytes(new_text.encode("utf-8"), path.name)
    expected = copy.deepcopy(before.data)
    outcome = expected["outcomes"][index]
    outcome["status"] = update["status"]
    outcome.setdefault("updates", []).append(dict(update))
    if after.data != expected or after.findings:
        raise UpdateError(f"{path}: recording the update would change more than the outcome's status and updates "
                          "(an unusual layout?); add it by hand")
    try:
        atomic.write_text(path, new_text, expect=stamp)  # still what was read, just before the rename
    except atomic.ChangedMeanwhile:
        raise UpdateError(f"{path} changed while the update was being made; run the command again") from None


def edit(text: str, before, index: int, update: dict, name: str) -> str:
    from kb.store.yamlstyle import scalar

    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    positions = before.positions
    base = ("outcomes", index)
    old_status = before.data["outcomes"][index]["status"]

    # 1. the status value, replaced where it stands
    _kl, _kc, line, column = positions[(*base, "status")]
    current = lines[line - 1]
    start = column - 1
    token = current[start:]
    length = len(old_status)
    if token[:1] in ("'", '"'):
        length = token.index(token[0], 1) + 1
    if token[:length].strip("'\"") != old_status:
        raise UpdateError(f"{name}: cannot find the status of outcome {index + 1} where the file says it is; "
                          "add the update by hand")
    lines[line - 1] = current[:start] + update["status"] + current[start + length:]

    # 2. the update, as a block list item
    if (*base, "updates") in positions and before.data["outcomes"][index].get("updates"):
        key_line = positions[(*base, "updates")][0]
        _, _, item_line, item_column = positions[(*base, "updates", 0)]
        dash = lines[item_line - 1].rfind("-", 0, item_column - 1)
        if item_line == key_line or dash < 0:
            raise UpdateError(f"{name}: the outcome's updates are written in flow style ([...]); write them as a "
                              "block list first (`kb fmt` does)")
        at = _block_end(lines, item_line - 1, dash)
        item_indent = dash
        head = []
    else:
        if (*base, "updates") in positions:
            raise UpdateError(f"{name}: the outcome has an empty updates list; remove it or add the update by hand")
        key_line, key_column = positions[(*base, "id")][:2]
        indent = key_column - 1
        following = [k for k in AFTER_UPDATES if (*base, k) in positions]
        if following:
            at = min(positions[(*base, k)][0] for k in following) - 1
        else:
            at = _block_end(lines, key_line - 1, indent, mapping=True)
        item_indent = indent + 2
        head = [" " * indent + "updates:" + newline]
    item = []
    for number, (key, value) in enumerate(update.items()):
        prefix = " " * item_indent + ("- " if number == 0 else "  ")
        item.append(f"{prefix}{key}: {scalar(str(value))}{newline}")
    if at and not lines[at - 1].endswith(("\n", "\r")):
        lines[at - 1] += newline
    return "".join(lines[:at] + head + item + lines[at:])


def _block_end(lines: list[str], first: int, column: int, mapping: bool = False) -> int:
    """The index just past the last content line of the block that starts at line ``first``: a
    list whose dashes stand at ``column`` (or, with ``mapping``, a mapping item whose keys do)."""
    end = first + 1
    for number in range(first + 1, len(lines)):
        line = lines[number]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent < column or (indent == column and not mapping and not line.lstrip(" ").startswith("-")):
            break
        end = number + 1
    return end
