"""What a reviewer of `kb diff` needs beyond the list of changes: the words that changed in a
long text, what an added or removed meeting holds, and risk flags on changes that deserve a
second look (a marking lowered, a source removed, a date made more precise without a new source,
a commitment closed without a dated update, a participant removed).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import asdict, dataclass

from kb.model.dates import PartialDate
from kb.model.records import MARKED_PARTS, SENSITIVITY_ORDER
from kb.query.audience import Audience, highest, rank

LONG = 80  # a value longer than this is shown as the words that changed, in context
CONTEXT = 6  # words of unchanged text kept either side of a change
CLOSED = ("fulfilled", "lapsed", "superseded")
PRECISION = {"year": 0, "month": 1, "day": 2}


# -- word-level changes ----------------------------------------------------------------------------


def is_long_text(old, new) -> bool:
    return isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > LONG


def word_changes(old: str, new: str, context: int = CONTEXT) -> list[tuple[str, str]]:
    """The change from ``old`` to ``new`` as segments ``(op, text)``: "=" unchanged words (cut to
    ``context`` words either side of a change, "…" marking what was left out), "-" removed words,
    "+" added words."""
    before, after = old.split(), new.split()
    segments: list[tuple[str, str]] = []
    opcodes = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = before[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            if first and len(words) > context:
                segments.append(("=", "… " + " ".join(words[-context:])))
            elif last and len(words) > context:
                segments.append(("=", " ".join(words[:context]) + " …"))
            elif not first and not last and len(words) > 2 * context:
                segments.append(("=", " ".join(words[:context]) + " … " + " ".join(words[-context:])))
            else:
                segments.append(("=", " ".join(words)))
            continue
        if i2 > i1:
            segments.append(("-", " ".join(before[i1:i2])))
        if j2 > j1:
            segments.append(("+", " ".join(after[j1:j2])))
    return segments


def words_as_text(segments) -> str:
    """git's --word-diff=plain: [-removed-]{+added+}."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return _join([(op, marks[op].format(text)) for op, text in segments])


def _join(parts) -> str:
    """Segments joined by spaces, but a replacement's removed and added words side by side."""
    text = ""
    for index, (op, part) in enumerate(parts):
        glue = "" if index == 0 or (op == "+" and parts[index - 1][0] == "-") else " "
        text += glue + part
    return text


def words_as_markdown(segments, escape) -> str:
    """~~removed~~ and **added**, every word escaped."""
    marks = {"=": "{}", "-": "~~{}~~", "+": "**{}**"}
    return _join([(op, marks[op].format(escape(text))) for op, text in segments])


# -- what an added or removed meeting holds --------------------------------------------------------


def record_details(record: str, data: dict) -> list[str]:
    """Plain lines saying what an added or removed record holds: a meeting's date, place,
    participants and outcomes; a person's or organisation's country and roles."""
    if not isinstance(data, dict):
        return []
    lines = []
    if record == "meeting":
        date = PartialDate.try_parse(data.get("date"))
        when = date.human() if date else str(data.get("date", "no date"))
        place: dict = data["location"] if isinstance(data.get("location"), dict) else {}
        where = ", ".join(str(place[k]) for k in ("place", "country") if place.get(k))
        lines.append(
            f"{when}{' in ' + where if where else ''}, {data.get('status', 'no status')}"
            + (f", {data['sensitivity']}" if data.get("sensitivity") else "")
        )
        people = [_participant(p) for p in data.get("participants") or [] if isinstance(p, dict)]
        if people:
            lines.append("participants: " + "; ".join(people))
        for outcome in data.get("outcomes") or []:
            if isinstance(outcome, dict):
                lines.append(_outcome(outcome))
        sources = [s for s in data.get("sources") or [] if isinstance(s, dict)]
        if sources:
            lines.append("sources: " + ", ".join(str(s.get("url") or s.get("document")) for s in sources))
    elif record in ("person", "org"):
        if data.get("country"):
            lines.append(f"country: {data['country']}")
        for role in data.get("roles") or []:
            if isinstance(role, dict):
                span = f"{role.get('start', '?')} to {role.get('end', 'now')}"
                lines.append(f"role: {role.get('title')} ({span})")
    return lines


def _participant(item: dict) -> str:
    who = item.get("person") or item.get("org") or "?"
    about = ", ".join(str(item[k]) for k in ("side", "title", "role") if item.get(k))
    return f"{who} ({about})" if about else str(who)


def _outcome(item: dict) -> str:
    text = " ".join(str(item.get("text", "")).split())
    due = f", due {item['due']}" if item.get("due") else ""
    return f"{item.get('kind', 'outcome')} '{item.get('id')}' ({item.get('status', 'no status')}{due}): {text}"


# -- risk flags ------------------------------------------------------------------------------------


@dataclass
class Risk:
    flag: str  # marking-lowered, source-removed, date-more-precise, closed-without-update, participant-removed
    record: str
    id: str
    path: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


def item_key(list_name: str, item) -> str:
    """What identifies an item of a list, so that moving it is no change."""
    if not isinstance(item, dict):
        return json.dumps(item, ensure_ascii=False, sort_keys=True)
    if list_name == "participants":
        return item.get("person") or f"{item.get('org')} ({item.get('side')})"
    if list_name == "roles":
        return f"{item.get('post') or item.get('title')} from {item.get('start', '?')}"
    if list_name == "sources":
        return item.get("url") or item.get("document") or json.dumps(item, sort_keys=True)
    if list_name == "updates":
        return f"{item.get('date')} {item.get('status')}"
    for name in ("id", "name", "text"):
        if isinstance(item.get(name), str):
            return item[name]
    return json.dumps(item, ensure_ascii=False, sort_keys=True)


def _known(*levels) -> bool:
    return all(level in SENSITIVITY_ORDER for level in levels)


def _lookup(data, where: str):
    """The value at a change's field path ("outcomes[dialogue].status") in a record, or None."""
    value = data
    for part in re.findall(r"[^.\[\]]+(?:\[[^\]]*\])?", where):
        name, _, key = part.partition("[")
        value = value.get(name) if isinstance(value, dict) else None
        if key and isinstance(value, list):
            key = key[:-1]
            value = next((item for item in value if item_key(name, item) == key), None)
        if value is None:
            return None
    return value


def risks(changes, base_records: dict, head_records: dict, default_levels: tuple[str, str]) -> list[Risk]:
    """The risk flags of a list of changes. ``base_records``/``head_records`` map (kind, id) to
    (path, data); ``default_levels`` are kb.yaml's default_sensitivity before and after."""
    flagged: list[Risk] = []
    by_record: dict[tuple[str, str], list] = {}
    for change in changes:
        by_record.setdefault((change.record, change.id), []).append(change)
    for change in changes:
        key = (change.record, change.id)
        found: tuple[str, str] | None = None
        if change.field.endswith("sensitivity") and change.change == "changed":
            found = _marking_lowered(change, head_records.get(key, ("", {}))[1], default_levels)
        elif change.change == "item-removed" and change.field.startswith("sources["):
            found = ("source-removed", f"{change.label} removed: the facts it supported may now rest on no source")
        elif change.change == "item-removed" and change.field.startswith("participants["):
            found = ("participant-removed", f"{change.label} removed: check that they did not attend")
        elif change.field == "date" and change.record == "meeting" and change.change == "changed":
            found = _date_more_precise(change, by_record[key])
        elif change.change == "status" and change.new in CLOSED:
            found = _closed_without_update(
                change, base_records.get(key, ("", {}))[1], head_records.get(key, ("", {}))[1]
            )
        if found:
            flagged.append(Risk(found[0], change.record, change.id, change.path or change.old_path, found[1]))
    return flagged


def _marking_lowered(change, head_data, default_levels: tuple[str, str]) -> tuple[str, str] | None:
    """A marking changed to a lower one; a marking removed is the one inherited (a part's: its
    meeting's; a meeting's: the default)."""
    old, new = change.old, change.new
    if new is None:
        if "." in change.field:
            new = (head_data or {}).get("sensitivity") or default_levels[1]
        else:
            new = default_levels[1] if change.record != "config" else "CLEAR"
    if old is None and change.record == "meeting":
        old = default_levels[0]
    if not (_known(old, new) and rank(new) < rank(old)):
        return None
    part = change.label.removesuffix("sensitivity").rstrip(":. ")
    where = "" if change.field == "sensitivity" else f" ({part})"
    return (
        "marking-lowered",
        f"marking lowered from {old} to {new}{where}: check that the content may now be shown to {new} readers",
    )


def _date_more_precise(change, siblings: list) -> tuple[str, str] | None:
    """A meeting's date made more precise with no source added to the meeting."""
    old, new = PartialDate.try_parse(change.old), PartialDate.try_parse(change.new)
    if not (old and new and _more_precise(old, new)):
        return None
    if any(c.change == "item-added" and c.field.startswith("sources[") for c in siblings):
        return None
    return (
        "date-more-precise",
        f"date made more precise ({change.old} to {change.new}) without a new source: cite the report that gives it",
    )


def _closed_without_update(change, base_data, head_data) -> tuple[str, str] | None:
    """An outcome moved to a closed status with no new dated update of that status."""
    outcome = change.field.rsplit(".", 1)[0]
    before = _lookup(base_data, f"{outcome}.updates") or []
    after = _lookup(head_data, f"{outcome}.updates") or []
    if any(isinstance(u, dict) and u.get("status") == change.new and u.get("date") and u not in before for u in after):
        return None
    return (
        "closed-without-update",
        f"{change.label} moved to {change.new} without a new dated update saying when and how",
    )


def _more_precise(old: PartialDate, new: PartialDate) -> bool:
    if PRECISION[new.precision] > PRECISION[old.precision]:
        return True
    return PRECISION[new.precision] == PRECISION[old.precision] and bool(old.qualifier) and not new.qualifier


# -- the audience ----------------------------------------------------------------------------------


def _level_of(data, default: str) -> str:
    return data.get("sensitivity") or default if isinstance(data, dict) else default


def _part_item(data, field_path: str):
    """The outcome, claim, quote or note a change's field path is inside, if any."""
    match = re.match(r"(outcomes|claims|quotes|notes)\[([^\]]*)\]", field_path)
    if not match or not isinstance(data, dict):
        return None
    return _lookup(data, match.group(0))


def change_level(change, base_records: dict, head_records: dict, default_levels: tuple[str, str]) -> str:
    """The highest marking governing what a change shows, before or after: its meeting's, and its
    part's (an outcome, claim, quote or note) when it has its own; a person's for their notes;
    CLEAR for anything else. (An added meeting's summary leaves out its parts marked higher.)"""
    key = (change.record, change.id)
    if change.change == "renamed" and change.record != "meeting":
        return "CLEAR"
    levels = []
    sides = ((base_records, default_levels[0]), (head_records, default_levels[1]))
    if change.record == "meeting":
        old_key = (change.record, change.old) if change.change == "renamed" else key
        for records, default in sides:
            for candidate in (key, old_key):
                data = records.get(candidate, ("", None))[1]
                if data is None:
                    continue
                level = _level_of(data, default)
                levels.append(level)
                item = _part_item(data, change.field)
                if isinstance(item, dict) and item.get("sensitivity"):
                    levels.append(item["sensitivity"])
    elif change.record == "person" and change.field.startswith("notes"):
        for records, default in sides:
            data = records.get(key, ("", None))[1]
            if data is not None:
                levels.append(_level_of(data, default))
    return highest(level for level in levels if _known(level)) or "CLEAR"


def visible_parts(data: dict, level: str, default: str) -> dict:
    """A copy of a meeting with the parts marked above ``level`` left out (for its summary)."""
    readers = Audience(level, default)
    marking = readers.marking(data)
    copy = dict(data)
    for part in MARKED_PARTS:
        if isinstance(data.get(part), list):
            copy[part] = [i for i in data[part] if not isinstance(i, dict) or readers.sees_part(i, marking)]
    return copy
