"""`kb decide`: record a judgement on a pair of people or organisations in decisions.yaml.

The file is created when there is none (in kb fmt's layout, with the editor's pointer to its
schema); an existing one is changed through kb.store.yamledit, so its comments, order, quoting
and line endings stay as they were and an editor's save in between is never lost.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

from kb.errors import KBError
from kb.model import dates
from kb.model.decisions import JUDGEMENTS, Decision, Judgements
from kb.store.files import CONFIG_FILE, DECISIONS_FILE

ARTICLED = {"person": "a person", "org": "an organisation"}


class DecisionError(KBError):
    """A judgement that cannot be recorded; the message says why and what to do."""


def judge_name(by: str | None, root: Path) -> str:
    """Who judges: ``by``, else git's user.name in the knowledge base, else $USER."""
    if by and by.strip():
        return " ".join(by.split())
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "config", "user.name"], capture_output=True, text=True, check=False, timeout=10
        )
        name = done.stdout.strip() if done.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        name = ""
    name = name or os.environ.get("USER", "").strip() or os.environ.get("USERNAME", "").strip()
    if not name:
        raise DecisionError("who is judging? pass --by NAME (or set git's user.name)")
    return name


def decision_day(day: str | None, today: dt.date | None = None) -> str:
    from kb.model.dates import from_option

    today = today or dates.today()
    if day is None:
        return today.isoformat()
    when = from_option(day, "--date")
    if when.earliest() > today:
        raise DecisionError(f"--date {day} is in the future")
    return day.strip()


def record_ids(kb, first: str, second: str, kinds: tuple[str, ...] = ("person", "org")) -> tuple[str, str, str]:
    """(kind, id, id) of the two records named by id, former id or name; a DecisionError when
    either names nothing, the two are of different kinds, or are one record."""
    from kb.query.resolve import CounterpartError, resolve

    found = []
    for query in (first, second):
        try:
            found.append(resolve(kb, query, kinds))
        except CounterpartError as error:
            raise DecisionError(str(error)) from None
    a, b = found
    if a.kind != b.kind:
        raise DecisionError(
            f"'{first}' is {ARTICLED[a.kind]} and '{second}' {ARTICLED[b.kind]}: "
            "only two people or two organisations can be one record"
        )
    if a.id == b.id:
        raise DecisionError(f"'{first}' and '{second}' are both {a.id}: name two records")
    return a.kind, a.id, b.id


def entry(kind: str, first: str, second: str, judgement: str, by: str, day: str, why: str) -> dict:
    if judgement not in JUDGEMENTS:
        raise DecisionError(f"'{judgement}' is not a judgement; use one of {', '.join(JUDGEMENTS)}")
    why = " ".join((why or "").split())
    if not why:
        raise DecisionError("say why (--why TEXT): the judgement is kept for whoever meets the pair next")
    return {"kind": kind, "ids": [first, second], "judgement": judgement, "by": by, "date": day, "why": why}


def existing(kb, kind: str, first: str, second: str) -> Decision | None:
    return Judgements(kb).of(kind, first, second)


def require_valid(kb) -> None:
    """Stop when decisions.yaml exists but cannot be read or fails its schema: `kb decide` and
    `kb merge` act on the judgements in it, and a judgement unread (a `different` missing its
    `why`) would let a merge through that it forbids."""
    from kb.model.findings import ERROR

    for found in kb.load_findings:
        if found.path == DECISIONS_FILE and found.severity == ERROR:
            where = (
                f"{found.path}:{found.line}" + (f":{found.column}" if found.column else "")
                if found.line
                else found.path
            )
            raise DecisionError(
                f"{where}: {found.message}; the judgements in {DECISIONS_FILE} are not used until it "
                f"is valid, so nothing was written (fix it: `kb check {DECISIONS_FILE}`)"
            )


def record(
    kb,
    first: str,
    second: str,
    judgement: str,
    why: str | None,
    by: str | None = None,
    day: str | None = None,
    replace: bool = False,
) -> tuple[dict, Decision | None]:
    """Add the judgement of ``first`` and ``second`` (ids, former ids or names) to decisions.yaml;
    (the entry written, the judgement it replaced). A pair already judged is refused unless
    ``replace``, which removes the earlier judgements of the pair."""
    require_valid(kb)
    kind, a, b = record_ids(kb, first, second)
    new = entry(kind, a, b, judgement, judge_name(by, Path(kb.root)), decision_day(day), why or "")
    earlier = existing(kb, kind, a, b)
    if earlier and not replace:
        raise DecisionError(
            f"{a} and {b} were judged already: {earlier.describe()}; pass --replace to judge them again"
        )
    write(kb, [new], drop=_indexes_of_pair(kb, kind, a, b) if replace else ())
    return new, earlier


def _indexes_of_pair(kb, kind: str, a: str, b: str) -> list[int]:
    from kb.model.decisions import pair_key

    wanted = pair_key(kb, kind, a, b)
    return [d.index for d in Judgements(kb).decisions if d.kind == kind and pair_key(kb, kind, *d.ids) == wanted]


def write(kb, entries: list[dict], drop=(), dry_run: bool = False) -> tuple[str, str]:
    """Append ``entries`` to decisions.yaml (removing the judgements at the indexes ``drop``);
    (text before, text after). The file is made when there is none."""
    from kb.model import characters
    from kb.store import atomic, yamledit
    from kb.store.files import refuse_links

    root = Path(kb.root)
    path = root / DECISIONS_FILE
    refuse_links(root, DECISIONS_FILE)
    refused = characters.refusal({"decisions": entries}, DECISIONS_FILE)
    if refused is not None:
        raise DecisionError(refused)
    if not path.exists():
        if "decisions" in kb.broken_ids:
            raise DecisionError(f"{DECISIONS_FILE} cannot be read; fix it first (`kb check {DECISIONS_FILE}`)")
        text = _header(root) + yamledit.dump({"decisions": entries})
        if not dry_run:
            try:
                atomic.write_text(path, text, overwrite=False)
            except atomic.FileExists:
                raise DecisionError(
                    f"{DECISIONS_FILE} appeared while kb was writing it; run the command again"
                ) from None
        return "", text

    def change(document) -> None:
        judgements = document["decisions"]
        for index in sorted(drop, reverse=True):
            del judgements[index]
        judgements.extend(entries)

    done = yamledit.edit(path, change, relpath=DECISIONS_FILE, write=not dry_run)
    return done.before, done.after


def _header(root: Path) -> str:
    """Where editors find the schema: the schemas/ folder `kb schema --write` fills, or beside
    the one kb.yaml points at."""
    from kb.store import schemas

    name = schemas.schema_file_name("decisions")
    target = f"{schemas.SCHEMA_FOLDER}/{name}"
    if not (root / target).is_file():
        try:
            config = (root / CONFIG_FILE).read_text(encoding="utf-8", errors="replace")[:500]
        except OSError:
            config = ""
        match = re.search(r"^# yaml-language-server: \$schema=(\S*/)config\.schema\.json$", config, re.M)
        if match:
            target = match.group(1) + name
    return (
        f"# yaml-language-server: $schema={target}\n"
        "# Judgements on pairs of records that may be one: `kb dedupe` proposes pairs not judged yet;\n"
        "# `kb decide` and `kb merge` add judgements here.\n"
    )
