"""`kb update`: record a commitment's progress as a dated status update, changing nothing else.

The outcome's ``status`` is replaced and the update appended to its ``updates`` (a new list in
its place in the schema's key order, if it had none) by the one writer of edits,
:func:`kb.store.yamledit.edit`: every other line of the file stays as it was (comments, key order,
quoting, line endings), the result is read back and must hold exactly the old data plus the
change, and it is written atomically only if the file has not changed since it was read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kb.errors import KBError
from kb.model import dates

if TYPE_CHECKING:
    from kb.store.yamledit import Edited

STATUSES = ("open", "in-progress", "fulfilled", "lapsed", "superseded")
# The outcome's keys in the schema's order (kb fmt's order): updates go before the first of these.
AFTER_UPDATES = ("fulfilled_by", "revisited_in", "follows_up", "sensitivity")


class UpdateError(KBError):
    """The update cannot be recorded; the message says why and what to do."""


@dataclass(frozen=True)
class Progress:
    edited: Edited  # the file, its text before and after
    old_status: str
    update: dict


def record(
    kb, ref: str, status: str, note: str | None, day: str | None, today: dt.date | None = None, dry_run: bool = False
) -> Progress:
    """Record the update on the outcome ``ref`` (MEETING#OUTCOME); with ``dry_run``, only work it out."""
    from kb.model.dates import from_option
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
        raise UpdateError(
            f"meeting {meeting_id} has no outcome '{outcome_id}'"
            + (f"; did you mean '{guess}'?" if guess else f"; its outcomes: {', '.join(ids) or 'none'}")
        )
    index = ids.index(outcome_id)
    outcome = meeting.outcomes[index]
    if outcome.status is None or outcome.kind == "statement":
        raise UpdateError(
            f"{meeting_id}#{outcome_id} is a {outcome.kind}, which has "
            "no status; only agreements, commitments and requests are tracked"
        )
    if status not in STATUSES:
        raise UpdateError(f"'{status}' is not a status; use one of {', '.join(STATUSES)}")
    if day is None:
        day = (today or dates.today()).isoformat()
    day = day.strip()
    when = from_option(day, "--date")
    today = today or dates.today()
    if when.earliest() > today:
        raise UpdateError(f"--date {day} is in the future; record progress once it has happened")
    for earlier in outcome.updates:
        if when.certainly_before(earlier.date):
            raise UpdateError(
                f"--date {day} is before the outcome's update of {earlier.date}: the latest dated "
                "update gives its status, so an earlier one would not take effect; add it by hand "
                "if it is history"
            )
    if outcome.has_empty_updates():
        raise UpdateError(
            f"{meeting.relpath}: the outcome has an empty updates list; remove it or add the update by hand"
        )
    update = {"date": day, "status": status}
    if note:
        update["note"] = " ".join(note.split())
    edited = write(Path(kb.root) / meeting.relpath, index, update, meeting.relpath, dry_run)
    return Progress(edited, outcome.status, update)


def write(path: Path, index: int, update: dict, relpath: str | None = None, dry_run: bool = False) -> Edited:
    """Apply ``update`` to outcome number ``index`` of the record at ``path`` through the one writer
    of edits (kb.store.yamledit). With ``dry_run`` nothing is written."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    from kb.store import yamledit
    from kb.store.yamlstyle import can_be_plain

    # kb fmt's quoting: plain where a plain value reads the same, else double quotes
    entry = {key: value if can_be_plain(value) else DoubleQuotedScalarString(value) for key, value in update.items()}

    def change(document) -> None:
        outcome = document["outcomes"][index]
        yamledit.put(outcome, "status", update["status"])
        if "updates" in outcome:
            yamledit.append(outcome["updates"], dict(entry))
        else:
            yamledit.put(outcome, "updates", [dict(entry)], before=AFTER_UPDATES)

    return yamledit.edit(path, change, relpath=relpath, write=not dry_run)
