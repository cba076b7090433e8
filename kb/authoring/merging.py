"""`kb merge KEEP GONE`: make one record of two people (or two organisations).

Every reference to GONE (by its id or a former id) in every file is rewritten to KEEP, found
through the one table of references (kb.model.references); KEEP takes GONE's ids under
``former_ids``, its name (as an alias) and aliases, its roles, and the fields KEEP lacks; GONE's
file is deleted and a ``same`` judgement is added to decisions.yaml.

Nothing is written until every edit has been made and proved in memory (kb.store.yamledit: each
file must round-trip, only the intended change may reach it); then every file is checked to be
what was read, and written atomically. Facts that disagree (countries, Wikidata items, the two
taking part in one meeting, ...) stop the merge unless ``force``; a pair judged different always
does.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Callable, Set
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import KBError
from kb.model import references
from kb.model.decisions import Judgements
from kb.model.records import KnowledgeBase, Record
from kb.model.text import normalise
from kb.store.files import CONFIG_FILE, DECISIONS_FILE

KIND_WORDS = {"person": "person", "org": "organisation"}


class MergeError(KBError):
    """The merge cannot be made; nothing was written. The message says why and what to do."""


class MergeConflict(MergeError):
    """The two records disagree on facts a person must settle first (or pass --force)."""


@dataclass
class FileEdit:
    relpath: str
    before: str
    after: str
    what: str  # "3 references", "merged record"


@dataclass
class Plan:
    kind: str
    keep: str
    gone: str
    gone_relpath: str
    edits: list[FileEdit] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    judged_same: bool = False  # a `same` judgement is recorded already
    dropped_comments: list[str] = field(default_factory=list)  # GONE's comments, deleted with its file

    def diff(self) -> str:
        """The change as a unified diff of the lines that change (no context: a line next to a
        reference may hold anything), and GONE's file as deleted."""
        out: list[str] = []
        for edit in self.edits:
            out += difflib.unified_diff(
                edit.before.replace("\r\n", "\n").splitlines(keepends=True),
                edit.after.replace("\r\n", "\n").splitlines(keepends=True),
                f"a/{edit.relpath}",
                f"b/{edit.relpath}",
                n=0,
            )
        out.append(f"deleted file {self.gone_relpath}\n")
        return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def _record(kb: KnowledgeBase, ident: str, kind: str | None, role: str) -> Record:
    kinds = [kind] if kind else [k for k in ("person", "org") if ident in kb.table(k)]
    if len(kinds) > 1:
        raise MergeError(f"'{ident}' is both a person and an organisation; pass --kind person or --kind org")
    for k in kinds:
        if ident in kb.table(k):
            return kb.table(k)[ident]
    for k in [kind] if kind else ["person", "org"]:
        current = kb.resolve_id(k, ident)
        if current:
            raise MergeError(f"'{ident}' is a former id of the {KIND_WORDS[k]} {current}; name {current} as {role}")
    from kb.model.text import did_you_mean

    known = [i for k in ([kind] if kind else ["person", "org"]) for i in kb.table(k)]
    guess = did_you_mean(ident, known)
    raise MergeError(
        f"no person or organisation with the id '{ident}' ({role})"
        + (f"; did you mean '{guess}'?" if guess else "; give ids (file names), as `kb dedupe` lists them")
    )


def _schema_order(kind: str) -> list[str]:
    from kb.store import schemas

    return list(schemas.schema(kind)["properties"])


def _set_in_order(document, key: str, value, order: list[str]) -> None:
    """Set ``key`` in the record, a new key going where kb fmt puts it (the schema's order)."""
    if key in document or not hasattr(document, "insert"):
        document[key] = value
        return
    later = order[order.index(key) + 1 :] if key in order else []
    position = next((i for i, existing in enumerate(document) if existing in later), len(document))
    document.insert(position, key, value)


def _conflicts(kb: KnowledgeBase, kind: str, keep: Record, gone: Record) -> list[str]:
    found = []
    a, b = keep.data, gone.data
    for key, what in (("country", "country"), ("cadence", "cadence"), ("kind", "kind"), ("url", "url")):
        if a.get(key) and b.get(key) and a[key] != b[key]:
            found.append(f"{what}: {keep.id} has {a[key]}, {gone.id} has {b[key]}")
    wa, wb = (a.get("identifiers") or {}).get("wikidata"), (b.get("identifiers") or {}).get("wikidata")
    if wa and wb and wa != wb:
        found.append(f"Wikidata: {keep.id} is {wa}, {gone.id} is {wb}")
    if kind == "person":
        gone_ids = {gone.id, *gone.former_ids}
        for meeting in kb.meetings_with(keep.id):
            if gone_ids & set(meeting.person_ids()):
                found.append(
                    f"both take part in the meeting {meeting.id}: one person would be listed twice "
                    "(with --force, GONE's entry is removed)"
                )
    else:
        parents = {str(p) for p in (a.get("parent"), b.get("parent")) if p}
        if {keep.id, *keep.former_ids} & {b.get("parent")} or {gone.id, *gone.former_ids} & {a.get("parent")}:
            found.append(f"one is part of the other ({keep.id}, {gone.id}): an organisation cannot be part of itself")
        elif len({kb.resolve_id("org", p) or p for p in parents}) > 1:
            found.append(f"parent: {keep.id} is part of {a['parent']}, {gone.id} of {b['parent']}")
    for role_a in a.get("roles", []):
        for role_b in b.get("roles", []):
            same_start = (
                role_a.get("post")
                and role_a.get("post") == role_b.get("post")
                and role_a.get("start") == role_b.get("start")
            )
            if same_start and role_a != role_b:
                differ = sorted(k for k in {*role_a, *role_b} if role_a.get(k) != role_b.get(k))
                found.append(
                    f"the role in {role_a['post']} from {role_a.get('start', '?')} differs: {', '.join(differ)}"
                )
    return found


def _joined(notes, more: str):
    """KEEP's notes with GONE's as a new paragraph, in the style KEEP's are written in: a folded
    block keeps its lines as they are and the new paragraph is folded at 98 characters."""
    import textwrap

    text = f"{notes}\n{more}"
    if type(notes) is str:
        return text
    joined = type(notes)(text)
    if hasattr(notes, "fold_pos"):
        lines = textwrap.wrap(more, 98, break_long_words=False, break_on_hyphens=False)
        folds, at = list(notes.fold_pos), len(notes) + 1
        if " ".join(lines) == more:
            for line in lines[:-1]:
                at += len(line)
                folds.append(at)
                at += 1
        joined.fold_pos = folds
    return joined


def _latin(text: str) -> bool:
    return all(ord(c) < 0x250 or not c.isalpha() for c in text)


def absorber(kind: str, keep: Record, gone: Record, default: str) -> Callable[[dict], None]:  # noqa: C901 -- long: the whole record change in one closure; merging is being rewritten
    """The change to KEEP's record: GONE's ids, names, roles and the fields KEEP lacks.
    ``default`` is kb.yaml's default_sensitivity (the marking of notes without one)."""
    order = _schema_order(kind)
    gone_data = copy.deepcopy(gone.data)
    keep_ids = {keep.id}

    def change(document) -> None:  # noqa: C901 -- long: each field of GONE folded into KEEP in schema order; merging is being rewritten
        former = [
            i
            for i in [gone.id, *gone_data.get("former_ids", [])]
            if i not in keep_ids and i not in document.get("former_ids", [])
        ]
        if former:
            if "former_ids" in document:
                document["former_ids"].extend(former)
            else:
                _set_in_order(document, "former_ids", former, order)
        if kind == "person":
            known = {normalise(document["name"])} | {normalise(a["name"]) for a in document.get("aliases", [])}
            new_aliases = []
            if normalise(gone_data["name"]) not in known:
                same_script = _latin(gone_data["name"]) == _latin(document["name"])  # else a transliteration
                new_aliases.append(
                    {
                        "name": gone_data["name"],
                        "kind": "spelling" if same_script else "transliteration",
                        "note": f"The name of {gone.id}, merged into this record.",
                    }
                )
                known.add(normalise(gone_data["name"]))
            for alias in gone_data.get("aliases", []):
                if normalise(alias["name"]) not in known:
                    new_aliases.append(alias)
                    known.add(normalise(alias["name"]))
        else:
            known = {normalise(document["name"])} | {normalise(a) for a in document.get("aliases", [])}
            if document.get("abbreviation"):
                known.add(normalise(document["abbreviation"]))
            new_aliases = []
            names = [gone_data["name"], *gone_data.get("aliases", [])]
            if gone_data.get("abbreviation") and document.get("abbreviation"):
                names.append(gone_data["abbreviation"])
            for name in names:
                if normalise(name) not in known:
                    new_aliases.append(name)
                    known.add(normalise(name))
        if new_aliases:
            if "aliases" in document:
                document["aliases"].extend(new_aliases)
            else:
                _set_in_order(document, "aliases", new_aliases, order)
        roles = [r for r in gone_data.get("roles", []) if r not in document.get("roles", [])]
        if roles:
            if "roles" in document:
                document["roles"].extend(roles)
            else:
                _set_in_order(document, "roles", roles, order)
        for key in order:
            if key in ("id", "name", "former_ids", "aliases", "roles", "notes", "sensitivity"):
                continue
            if key in ("given_name", "family_name", "sort_name") and normalise(gone_data["name"]) != normalise(
                document["name"]
            ):
                continue  # the parts of another written name
            if key not in document and key in gone_data and not (key == "parent" and gone_data[key] == keep.id):
                _set_in_order(document, key, gone_data[key], order)
        if gone_data.get("notes"):
            notes = document.get("notes")
            if not notes:
                _set_in_order(document, "notes", gone_data["notes"], order)
            elif gone_data["notes"] not in notes:
                document["notes"] = _joined(notes, str(gone_data["notes"]))
        _mark_merged(document, gone_data, default, order)

    return change


def _mark_merged(document, gone_data: dict, default: str, order) -> None:
    """Mark KEEP's record so that nothing GONE brings (its notes) is read by an audience its own
    marking kept out: a merge never lowers the effective marking (own, else ``default``) of what
    it moves. KEEP is marked explicitly when its effective marking must rise."""
    from kb.query.audience import highest, marking_of

    if not gone_data.get("notes") and not gone_data.get("sensitivity"):
        return
    own = marking_of(document, default)
    top = highest([own, marking_of(gone_data, default)])
    if top == own:
        return
    if "sensitivity" in document:
        document["sensitivity"] = top
    else:
        _set_in_order(document, "sensitivity", top, order)


def rewriter(
    file_kind: str, kind: str, olds: Set[str], keep: str, ambiguous: Set[str], drop_twice: bool
) -> Callable[[dict], None]:
    def change(document) -> None:
        changed = references.rewrite(file_kind, document, kind, olds, keep, ambiguous)
        if changed and file_kind == "person" and kind == "org":
            roles = document.get("roles", [])
            for index in reversed(range(len(roles))):
                if roles[index] in roles[:index]:  # held in both organisations: now one role twice
                    del roles[index]
        if drop_twice and file_kind == "meeting" and kind == "person":
            # GONE and KEEP both took part (the merge was forced): GONE's entry goes.
            rewritten = {path[1] for path in changed if path[0] == "participants"}
            participants = document.get("participants", [])
            for index in sorted(rewritten, reverse=True):
                if any(p.get("person") == keep for i, p in enumerate(participants) if i != index):
                    del participants[index]

    return change


def keep_changer(
    kind: str, keep: Record, gone: Record, default: str, ambiguous: Set[str] = frozenset()
) -> Callable[[dict], None]:
    """The whole change to KEEP's record: its own references to GONE rewritten, then GONE taken in
    (``default``: kb.yaml's default_sensitivity)."""
    rewrite = rewriter(kind, kind, {gone.id, *gone.former_ids}, keep.id, ambiguous, True)
    absorb = absorber(kind, keep, gone, default)

    def change(document) -> None:
        rewrite(document)
        if document.get("parent") == keep.id:  # KEEP was part of GONE (a forced merge): not of itself
            del document["parent"]
        absorb(document)

    return change


def _count(changes: list, noun: str) -> str:
    return f"{len(changes)} {noun}{'s' if len(changes) != 1 else ''}"


def plan(  # noqa: C901 -- long: the merge's edits and their proofs in order; merging is being rewritten
    kb: KnowledgeBase,
    keep_id: str,
    gone_id: str,
    kind: str | None = None,
    force: bool = False,
    judgement: Callable[[str, str, str], dict] | None = None,
) -> Plan:
    """Every edit the merge makes, computed and proved in memory; nothing is written. Raises
    MergeError (or MergeConflict) when the merge cannot or should not be made. ``judgement``
    makes the decisions.yaml entry (from the kind, KEEP and GONE) when the pair is not judged
    the same already."""
    from kb.authoring.deciding import require_valid
    from kb.store import yamledit

    try:
        require_valid(kb)
    except KBError as error:
        raise MergeError(str(error).replace("nothing was written", "nothing was merged")) from None
    keep = _record(kb, keep_id, kind, "KEEP")
    gone = _record(kb, gone_id, keep.kind, "GONE")
    kind = keep.kind
    if keep.id == gone.id:
        raise MergeError(f"KEEP and GONE are both {keep.id}: name two records")
    judged = Judgements(kb).of(kind, keep.id, gone.id)
    if judged and judged.judgement == "different":
        raise MergeError(
            f"{keep.id} and {gone.id} were judged different in {DECISIONS_FILE}: "
            f"{judged.describe()}; if that was wrong, judge them again first "
            f"(`kb decide same {keep.id} {gone.id} --replace --why ...`)"
        )
    result = Plan(kind, keep.id, gone.id, gone.relpath, judged_same=bool(judged and judged.judgement == "same"))
    result.dropped_comments = [  # the editor's schema line is every record's, KEEP's too
        line
        for line in yamledit.comments_in(Path(kb.root) / gone.relpath)
        if not line.startswith("# yaml-language-server:")
    ]
    result.conflicts = _conflicts(kb, kind, keep, gone)
    if result.conflicts and not force:
        listed = "; ".join(result.conflicts)
        raise MergeConflict(
            f"{keep.id} and {gone.id} disagree: {listed}. Settle it in the records first (or pass "
            "--force to merge anyway, keeping KEEP's values)"
        )
    root = Path(kb.root)
    olds = {gone.id, *gone.former_ids}
    other = "org" if kind == "person" else "person"
    ambiguous = {i for i in olds if kb.resolve_id(other, i)}

    def prove(relpath: str, change, what: str) -> None:
        try:
            done = yamledit.edit(root / relpath, change, relpath=relpath, write=False)
        except yamledit.EditError as error:
            raise MergeError(f"{error}; nothing was merged") from None
        if done.changed:
            result.edits.append(FileEdit(relpath, done.before, done.after, what))

    for file_kind in ("meeting", "person", "org"):
        for record in kb.table(file_kind).values():
            if file_kind == kind and record.id in (keep.id, gone.id):
                continue  # KEEP's own file is edited once, below; GONE's is deleted
            found = [
                p
                for p, v, kinds in references.references(file_kind, record.data)
                if v in olds and kind in kinds and not (v in ambiguous and len(kinds) > 1)
            ]
            if found:
                prove(
                    record.relpath,
                    rewriter(file_kind, kind, olds, keep.id, ambiguous, force),
                    _count(found, "reference"),
                )
    config = _config_data(root)
    if config is not None and [p for p, v, _k in references.references("config", config) if v in olds]:
        prove(CONFIG_FILE, rewriter("config", kind, olds, keep.id, ambiguous, force), "our_org")
    prove(keep.relpath, keep_changer(kind, keep, gone, kb.config.default_sensitivity, ambiguous), "merged record")
    if judgement is not None and not result.judged_same:
        from kb.authoring import deciding

        try:
            before, after = deciding.write(kb, [judgement(kind, keep.id, gone.id)], dry_run=True)
        except KBError as error:
            raise MergeError(f"{error}; nothing was merged") from None
        result.edits.append(FileEdit(DECISIONS_FILE, before, after, "judgement 'same'"))
    return result


def _config_data(root: Path) -> dict | None:
    from kb.store.yamlread import parse_bytes

    try:
        data = parse_bytes((root / CONFIG_FILE).read_bytes(), CONFIG_FILE).data
    except OSError:
        return None
    return data if isinstance(data, dict) else None


def apply(kb: KnowledgeBase, result: Plan) -> list[str]:
    """Write the planned edits and delete GONE's file: every file is first checked to be what
    the plan read (none is written otherwise), then written atomically. The relpaths written."""
    from kb.store import atomic

    root = Path(kb.root)
    stamps: dict[str, tuple[bool, atomic.Stamp | None]] = {}
    for edit in [*result.edits, FileEdit(result.gone_relpath, "", "", "deleted")]:
        path = root / edit.relpath
        if not edit.before and edit.relpath == DECISIONS_FILE:
            if path.exists():
                raise _changed(edit.relpath)
            stamps[edit.relpath] = (False, None)  # a new file: written only if it is still absent
            continue
        try:
            raw, stamp = atomic.Stamp.read(path)
        except OSError:
            raise _changed(edit.relpath) from None
        if edit.what != "deleted" and raw.decode("utf-8-sig", "replace") != edit.before:
            raise _changed(edit.relpath)
        if not stamp.holds(path):  # a link put in its place since the plan: checked before anything is written
            raise _changed(edit.relpath)
        stamps[edit.relpath] = (raw.startswith(b"\xef\xbb\xbf"), stamp)
    written: list[str] = []
    try:
        for edit in result.edits:
            bom, held = stamps[edit.relpath]
            data = (b"\xef\xbb\xbf" if bom else b"") + edit.after.encode("utf-8")
            atomic.write_bytes(root / edit.relpath, data, expect=held, overwrite=held is not None)
            written.append(edit.relpath)
        gone_stamp = stamps[result.gone_relpath][1]
        if gone_stamp is None or not gone_stamp.holds(root / result.gone_relpath):
            raise atomic.ChangedMeanwhile(result.gone_relpath)
        (root / result.gone_relpath).unlink()
        written.append(result.gone_relpath)
    except (atomic.ChangedMeanwhile, atomic.FileExists):
        raise MergeError(
            f"the merge stopped: a file changed on disk while kb was writing; written so far: "
            f"{', '.join(written) or 'nothing'}. Run `kb merge {result.keep} {result.gone}` again to "
            "finish it"
        ) from None
    return written


def _changed(relpath: str) -> MergeError:
    return MergeError(
        f"{relpath} changed on disk after kb read it (an editor's save?); nothing was written: run the command again"
    )
