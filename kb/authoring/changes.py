"""What changed in the records between two git revisions, as meaning rather than lines.

Both sides are read as data (git's blobs, or the working tree) with kb's fast reader and
compared record by record: records added, removed or renamed (a new id that lists the old one in
former_ids, or the same id in another file), fields changed, and items of lists added or removed,
matched by what identifies them (a participant by person, an outcome by id, an alias by name),
so that reordering a list is no change at all.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kb.authoring.review import item_key
from kb.errors import KBError
from kb.model.records import RECORD_KINDS
from kb.rendering.formats import View
from kb.rendering.output import emit
from kb.store.files import DECISIONS_FILE, discover, kind_of
from kb.store.yamlread import parse_bytes

WORKING_TREE = None  # the HEAD argument that means "the files on disk"


class GitError(KBError):
    """git failed, or the knowledge base is not in a git repository; the message says why."""


# -- reading both sides ---------------------------------------------------------------------------


def _git(root: Path, *args: str, input: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], input=input, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed; kb diff compares git revisions") from None
    if done.returncode != 0:
        raise GitError(
            done.stderr.decode("utf-8", "replace").strip().splitlines()[-1]
            if done.stderr
            else f"git {' '.join(args)} failed"
        )
    return done.stdout


def _verify(root: Path, rev: str) -> str:
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"'{rev}' is not a revision of this repository (try a branch, a tag or a commit)") from None


def default_base(root: Path) -> str:
    """The merge base with the default branch (origin/HEAD, main or master, whichever exists),
    or HEAD when the work is on that branch itself."""
    head = _verify(root, "HEAD")
    for candidate in ("origin/HEAD", "main", "master"):
        try:
            _verify(root, candidate)
        except GitError:
            continue
        base = _git(root, "merge-base", "HEAD", candidate).decode().strip()
        return "HEAD" if base == head else base
    return "HEAD"


def _prefix(root: Path) -> str:
    """Where the knowledge base lies in its repository ("" at the top, else "sub/dir/")."""
    _git(root, "rev-parse", "--is-inside-work-tree")
    return _git(root, "rev-parse", "--show-prefix").decode().strip()


_OID = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")


def _commits(root: Path, *revs: str) -> tuple[str, list[str]]:
    """Where the knowledge base lies in its repository and the commit each revision names, asked
    of one `git rev-parse`; when that fails, asked again one by one, so that the error says what
    is wrong (not a repository, or which revision names no commit)."""
    if not any(rev.startswith("-") for rev in revs):  # git would take it for an option
        try:
            lines = (
                _git(root, "rev-parse", "--show-prefix", *(f"{rev}^{{commit}}" for rev in revs))
                .decode("utf-8", "surrogateescape")
                .split("\n")
            )
        except GitError:
            lines = []
        # A name that is no revision but a file is printed back as it is: only commit ids count.
        if len(lines) == len(revs) + 2 and not lines[-1] and all(_OID.fullmatch(line) for line in lines[1:-1]):
            return lines[0], lines[1:-1]
    prefix = _prefix(root)
    return prefix, [_verify(root, rev) for rev in revs]


def _tree(root: Path, commit: str, prefix: str) -> dict[str, tuple[str, str]]:
    """relpath -> (mode, blob id) of every record file of the knowledge base in ``commit``."""
    tree = {}
    for entry in filter(None, _git(root, "ls-tree", "-r", "-z", "--full-tree", commit).split(b"\0")):
        meta, _, path = entry.decode("utf-8", "surrogateescape").partition("\t")
        mode, kind, oid = meta.split()
        if kind != "blob" or not path.startswith(prefix):
            continue
        relpath = path[len(prefix) :]
        if kind_of(relpath):
            tree[relpath] = (mode, oid)
    return tree


def _base_tree(root: Path, base_commit: str, head_commit: str, head_tree: dict[str, tuple[str, str]]) -> dict:
    """The record files of ``base_commit`` as _tree() gives them: those of ``head_commit``
    (``head_tree``) with what `git diff` names as differing between the two put back as it was."""
    tree = dict(head_tree)
    fields = _git(
        root,
        "diff",
        "--raw",
        "-z",
        "--no-abbrev",
        "--relative",
        "--no-renames",
        "--no-ext-diff",
        "--ignore-submodules=none",
        base_commit,
        head_commit,
        "--",
        ".",
    ).split(b"\0")
    for meta, path in zip(fields[::2], fields[1::2], strict=False):
        if not meta.startswith(b":"):
            continue
        mode, _mode, oid = meta[1:].decode("ascii").split()[:3]
        relpath = path.decode("utf-8", "surrogateescape")
        if not kind_of(relpath):
            continue
        if mode in ("000000", "160000"):  # not there, or a submodule: no blob
            tree.pop(relpath, None)
        else:
            tree[relpath] = (mode, oid)
    return tree


def _blobs(root: Path, oids) -> dict[str, bytes]:
    """The content of each blob, read in one `git cat-file --batch`."""
    wanted = list(dict.fromkeys(oids))
    if not wanted:
        return {}
    output = _git(root, "cat-file", "--batch", input="".join(f"{oid}\n" for oid in wanted).encode())
    contents, offset = {}, 0
    for oid in wanted:
        header_end = output.find(b"\n", offset)
        header = output[offset:header_end].split() if header_end >= 0 else []
        # "<oid> blob <size>"; git says "<oid> missing" (or stops) for an object it cannot read
        if len(header) != 3 or header[1] != b"blob" or not header[2].isdigit():
            raise GitError(
                f"git cannot read the object {oid} (missing or damaged): the repository is corrupt; "
                "run `git fsck`, or fetch the object again (a fresh clone)"
            )
        size = int(header[2])
        contents[oid] = output[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
    return contents


# What a file could not be read as (a link out of the knowledge base, a folder, a stray name):
# such a file is left out of a comparison of the working tree, as if it were not there.
_NOT_READ = ("KB107", "KB110", "KB111")
_PLAIN_FILE_MODES = ("100644", "100755")  # a link (120000) holds its target's name, not a record


def _working_tree_data(root: Path, use_cache: bool) -> dict[str, object]:
    """relpath -> what each record file of the working tree holds (None where it does not parse),
    from the record cache where the file is unchanged (the rest is read, and cached)."""
    from kb.store import reading
    from kb.store.files import STRAY

    files = [(relpath, kind) for relpath, kind in discover(root) if kind != STRAY]
    results = reading.read_all(root, files, use_cache=use_cache)
    return {
        result.relpath: result.data
        for result in results
        if result.data is not None or not any(f.code in _NOT_READ for f in result.findings)
    }


def _as_in_working_tree(root: Path, commit: str, tree: dict[str, tuple[str, str]]) -> set[str]:
    """The files of ``tree`` (``commit``'s) whose working-tree copy git knows to hold the same
    content: plain files that `git diff` does not list, nor `git ls-files` marks as not looked at
    (assume-unchanged, skip-worktree)."""
    listed = _git(
        root,
        "diff",
        "--raw",
        "-z",
        "--relative",
        "--no-renames",
        "--no-ext-diff",
        "--ignore-submodules",
        commit,
        "--",
        ".",
    ).split(b"\0")
    differ = {
        path.decode("utf-8", "surrogateescape")
        for meta, path in zip(listed[::2], listed[1::2], strict=False)
        if meta.startswith(b":")
    }
    for entry in filter(None, _git(root, "ls-files", "-v", "-z", "--", ".").split(b"\0")):
        tag, _, path = entry.decode("utf-8", "surrogateescape").partition(" ")
        if tag != "H":
            differ.add(path)
    return {relpath for relpath, (mode, _oid) in tree.items() if mode in _PLAIN_FILE_MODES and relpath not in differ}


def read_sides(root: Path, base: str, head: str | None, use_cache: bool = True) -> tuple[dict, dict]:
    """What each record file holds (relpath -> parsed data, None where it does not parse) at
    ``base`` and at ``head`` (WORKING_TREE: the files on disk).

    Only what a change touched is parsed. A file that git knows to be the same on both sides (the
    same blob in both commits; unchanged since the base commit in the working tree) and to be
    what is in the working tree comes from the record cache, as ``kb check`` left it, and its data
    is shared by both sides. The others are read from git (one `git cat-file` for all) and parsed,
    each blob once."""
    if head is WORKING_TREE:
        prefix, (base_commit,) = _commits(root, base)
        base_tree = _tree(root, base_commit, prefix)
        head_data = _working_tree_data(root, use_cache)
        base_data = {
            relpath: head_data[relpath]
            for relpath in _as_in_working_tree(root, base_commit, base_tree)
            if relpath in head_data
        }
        base_data.update(
            _from_git(root, {relpath: oid for relpath, (_mode, oid) in base_tree.items() if relpath not in base_data})
        )
        return base_data, head_data
    prefix, (base_commit, head_commit) = _commits(root, base, head)
    head_tree = _tree(root, head_commit, prefix)
    base_tree = _base_tree(root, base_commit, head_commit, head_tree)
    unchanged = {relpath for relpath, entry in head_tree.items() if base_tree.get(relpath) == entry}
    cached = _cached(root, unchanged & _as_in_working_tree(root, head_commit, head_tree)) if use_cache else {}
    head_oids = {relpath: oid for relpath, (_mode, oid) in head_tree.items() if relpath not in cached}
    base_oids = {relpath: oid for relpath, (_mode, oid) in base_tree.items() if relpath not in unchanged}
    parsed = _parsed(root, [*head_oids.values(), *base_oids.values()])
    head_data = {relpath: parsed[oid] for relpath, oid in head_oids.items()}
    head_data.update(cached)
    base_data = {relpath: head_data[relpath] for relpath in unchanged}
    base_data.update((relpath, parsed[oid]) for relpath, oid in base_oids.items())
    return base_data, head_data


def _parsed(root: Path, oids) -> dict[str, object]:
    """blob id -> the data of that blob (one `git cat-file` for all)."""
    return {oid: parse_bytes(raw, "").data for oid, raw in _blobs(root, oids).items()}


def _from_git(root: Path, oids: dict[str, str]) -> dict[str, object]:
    """relpath -> the data of its blob (``oids``: relpath -> blob id); a blob is parsed once
    however many files hold it."""
    parsed = _parsed(root, oids.values())
    return {relpath: parsed[oid] for relpath, oid in oids.items()}


def _cached(root: Path, relpaths: set[str]) -> dict[str, object]:
    """relpath -> data of those working-tree files the record cache holds unchanged."""
    from kb.store import cache
    from kb.store.files import regular_stat

    if not relpaths:
        return {}
    store = cache.RecordCache.open(root)
    found = {}
    base = os.path.join(os.fspath(root), "")
    for relpath in relpaths:
        st = regular_stat(base + relpath)
        kind = kind_of(relpath)
        hit = store.get(relpath, kind, st) if st is not None and kind else None
        if hit is not None:
            found[relpath] = hit.data
    return found


@dataclass
class Snapshot:
    records: dict[tuple[str, str], tuple[str, dict]] = field(default_factory=dict)  # (kind, id) -> (path, data)
    unreadable: list[str] = field(default_factory=list)


def snapshot(files: dict[str, object]) -> Snapshot:
    """The records of one side, from what each file holds (relpath -> parsed data)."""
    result = Snapshot()
    for relpath in sorted(files):
        data = files[relpath]
        kind = kind_of(relpath) or ""  # "" for a file that is no record
        if not isinstance(data, dict):
            result.unreadable.append(relpath)
            continue
        if kind in RECORD_KINDS:
            if not isinstance(data.get("id"), str):
                result.unreadable.append(relpath)
                continue
            key = (kind, data["id"])
        else:
            key = (kind, relpath)
        result.records.setdefault(key, (relpath, data))
    return result


# -- comparing --------------------------------------------------------------------------------------


@dataclass
class Change:
    record: str  # meeting, person, org, topics, config
    id: str
    change: str  # added, removed, renamed, merged, changed, item-added, item-removed, status
    field: str = ""  # where in the record: "title", "outcomes[dialogue].status"
    old: object = None
    new: object = None
    path: str = ""
    old_path: str = ""
    label: str = ""  # what the item or field is, in words: "alias 'Donald Bloom'"

    def as_dict(self) -> dict:
        return {**asdict(self), "summary": self.sentence()}

    def sentence(self, quote=repr, code=str) -> str:
        subject = _subject(self, code)
        if self.change == "added":
            name = f": {quote(self.new)}" if self.new else ""
            return f"{subject} added ({code(self.path)}){name}"
        if self.change == "removed":
            return f"{subject} removed ({code(self.old_path)})"
        if self.change == "merged":
            rest = f": {self.label}" if self.label else ""
            return (
                f"{self.record} {code(self.old)} merged into {code(self.id)} "
                f"({code(self.old_path)} -> {code(self.path)}){rest}"
            )
        if self.change == "renamed":
            if self.old == self.id:
                return f"{subject} moved from {code(self.old_path)} to {code(self.path)}"
            return (
                f"{self.record} {code(self.old)} renamed to {code(self.id)} "
                f"({code(self.old_path)} -> {code(self.path)})"
            )
        if self.change == "status":
            return f"{subject}: {self.label} moved from {self.old} to {self.new}"
        if self.change == "item-added":
            return f"{subject}: {self.label} added"
        if self.change == "item-removed":
            return f"{subject}: {self.label} removed"
        if self.old is None:
            return f"{subject}: {self.label} set to {quote(self.new)}"
        if self.new is None:
            return f"{subject}: {self.label} removed (was {quote(self.old)})"
        return f"{subject}: {self.label} changed from {quote(self.old)} to {quote(self.new)}"


def _text(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "..."


SINGULAR = {
    "participants": "participant",
    "outcomes": "outcome",
    "aliases": "alias",
    "roles": "role",
    "sources": "source",
    "topics": "topic",
    "updates": "status update",
    "quotes": "quote",
    "claims": "claim",
    "notes": "note",
    "former_ids": "former id",
    "agenda": "agenda item",
    "follows": "earlier meeting",
    "revisited_in": "revisiting meeting",
    "synonyms": "synonym",
    "figures": "figure",
    "by": "party (by)",
    "to": "party (to)",
}


def _item_label(list_name: str, item) -> str:
    key = item_key(list_name, item)
    noun = SINGULAR.get(list_name, f"{list_name} item")
    if list_name == "outcomes" and isinstance(item, dict):
        return f"{item.get('kind', 'outcome')} '{key}'"
    if list_name == "aliases" and isinstance(item, dict) and item.get("kind"):
        return f"alias '{key}' ({item['kind']})"
    if list_name == "roles" and isinstance(item, dict):
        return f"role '{item.get('title')}'" + (f" from {item['start']}" if item.get("start") else "")
    if list_name == "decisions" and isinstance(item, dict) and isinstance(item.get("ids"), list):
        return (
            f"judgement '{' and '.join(map(str, item['ids']))} {item.get('judgement')}' "
            f"({item.get('by')}, {item.get('date')}: {_text(item.get('why'))})"
        )
    if list_name in ("quotes", "claims", "notes"):
        return f"{noun} '{_text(key)}'"
    return f"{noun} {key}" if list_name in ("participants", "sources", "topics", "former_ids") else f"{noun} '{key}'"


def _keyed(list_name: str, items: list) -> dict:
    keyed = {}
    for item in items:
        key = base = item_key(list_name, item)
        count = 1
        while key in keyed:  # the same item twice: keep both
            count += 1
            key = f"{base} ({count})"
        keyed[key] = item
    return keyed


def _compare(old, new, record: str, id_: str, path: str, where: str, label: str, changes: list) -> None:
    """Changes between two values at ``where`` (a field path) described as ``label``."""
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        _compare_mappings(old, new, record, id_, path, where, label, changes)
    elif isinstance(old, list) and isinstance(new, list):
        _compare_lists(old, new, record, id_, path, where, label, changes)
    else:
        changes.append(Change(record, id_, "changed", where, old, new, path, label=label or where))


def _compare_mappings(old: dict, new: dict, record: str, id_: str, path: str, where: str, label: str, changes: list):
    """The changes key by key, in the old mapping's order then the new keys'; an outcome's status
    changed from one value to another is one "status" change."""
    for key in list(old) + [k for k in new if k not in old]:
        if old.get(key) == new.get(key):
            continue
        sub_where = f"{where}.{key}" if where else key
        # inside a list item: "alias 'X': note"; inside a mapping field: "location.place"
        sub_label = (f"{label}: {key}" if where.endswith("]") else f"{label}.{key}") if label else key
        in_outcome = where.startswith("outcomes[") and where.endswith("]")
        if key == "status" and in_outcome and old.get(key) and new.get(key):
            changes.append(Change(record, id_, "status", sub_where, old[key], new[key], path, label=label))
            continue
        _compare(old.get(key), new.get(key), record, id_, path, sub_where, sub_label, changes)


def _compare_lists(old: list, new: list, record: str, id_: str, path: str, where: str, label: str, changes: list):
    """Items matched by their key (`item_key`): removed ones, then added ones
    and changed ones in the new list's order."""
    list_name = where.rsplit(".", 1)[-1].split("[")[0]
    before, after = _keyed(list_name, old), _keyed(list_name, new)

    def item(kind: str, key: str, old_item, new_item) -> None:
        shown = _scoped(label, list_name, _item_label(list_name, new_item if old_item is None else old_item))
        changes.append(Change(record, id_, kind, f"{where}[{key}]", old_item, new_item, path, label=shown))

    for key, removed in before.items():
        if key not in after:
            item("item-removed", key, removed, None)
    for key, now in after.items():
        if key not in before:
            item("item-added", key, None, now)
        elif before[key] != now:
            shown = _scoped(label, list_name, _item_label(list_name, now))
            _compare(before[key], now, record, id_, path, f"{where}[{key}]", shown, changes)


def _scoped(label: str, list_name: str, item_label: str) -> str:
    """'alias X' for a list of the record; 'commitment Y: status update Z' for one inside an item."""
    parent = label[: -len(list_name)].rstrip(":. ") if label.endswith(list_name) else ""
    return f"{parent}: {item_label}" if parent else item_label


def compare(base: Snapshot, head: Snapshot) -> list[Change]:  # noqa: C901 -- renames, then merges, then each record's changes: one pass per kind, in order
    changes: list[Change] = []
    skipped = set(base.unreadable) | set(head.unreadable)
    gone = {key: value for key, value in base.records.items() if key not in head.records and value[0] not in skipped}
    renamed_from: dict[tuple[str, str], tuple[str, str]] = {}
    for key, (path, data) in head.records.items():
        if key in base.records or path in skipped:
            continue
        for old_id in data.get("former_ids", []) if key[0] in RECORD_KINDS else []:
            if (key[0], old_id) in gone:
                renamed_from[key] = (key[0], old_id)
                break
    used = set(renamed_from.values())
    base, head, merged = _fold_merges(base, head, gone, changes)
    used |= merged
    for key in sorted(head.records):
        path, data = head.records[key]
        if path in skipped:
            continue
        kind, id_ = key
        if key in renamed_from:
            old_key = renamed_from[key]
            old_path, old_data = base.records[old_key]
            changes.append(Change(kind, id_, "renamed", "id", old_key[1], id_, path, old_path))
            # The rename itself says that the id changed and the old one became a former id.
            new_data = {**data, "former_ids": [i for i in data["former_ids"] if i != old_key[1]]}
            if not new_data["former_ids"] and "former_ids" not in old_data:
                del new_data["former_ids"]
            _compare({**old_data, "id": id_}, new_data, kind, id_, path, "", "", changes)
        elif key not in base.records:
            changes.append(Change(kind, id_, "added", "", None, data.get("title") or data.get("name"), path))
        else:
            old_path, old_data = base.records[key]
            if old_path in skipped or (old_data is data and old_path == path):  # the same file on both sides
                continue
            if old_path != path:
                changes.append(Change(kind, id_, "renamed", "id", id_, id_, path, old_path))
            _compare(old_data, data, kind, id_, path, "", "", changes)
    for key, (path, data) in sorted(gone.items()):
        if key not in used:
            changes.append(Change(key[0], key[1], "removed", "", data.get("title") or data.get("name"), None, "", path))
    return _renamed_participants(changes, head)


def _renamed_participants(changes: list[Change], head: Snapshot) -> list[Change]:
    """A participant removed and one added in the same record, the added one's record listing the
    removed id among its former_ids, is one reference following a rename: said as such, not as
    someone who left the meeting."""

    def participant(change: Change) -> str | None:
        if change.change in ("item-removed", "item-added") and change.field.startswith("participants["):
            return change.field[len("participants[") : -1]
        return None

    added = {(c.record, c.id, participant(c)): c for c in changes if c.change == "item-added" and participant(c)}
    folded: dict[int, Change] = {}
    for change in changes:
        old = participant(change) if change.change == "item-removed" else None
        if old is None:
            continue
        for (record, id_, new), other in added.items():
            if new is None or (record, id_) != (change.record, change.id) or id(other) in folded:
                continue
            data = next((head.records[(kind, new)][1] for kind in RECORD_KINDS if (kind, new) in head.records), {})
            if old in (data.get("former_ids") or []):
                folded[id(other)] = Change(
                    change.record, change.id, "changed", other.field, old, new, other.path,
                    label="participant, renamed,",
                )  # fmt: skip
                folded[id(change)] = folded[id(other)]
                break
    result, seen = [], set()
    for change in changes:
        replacement = folded.get(id(change), change)
        if id(replacement) not in seen:
            seen.add(id(replacement))
            result.append(replacement)
    return result


def _fold_merges(base: Snapshot, head: Snapshot, gone: dict, changes: list[Change]):
    """A merge (`kb merge KEEP GONE`: GONE's record gone, its id now one of KEEP's former ids) as
    one change: the base is read as if the merge had been made in it (KEEP holding what the merge
    gives it, every reference to GONE naming KEEP) and the judgement it recorded is set aside, so
    only what else changed is listed. (base, head, the keys of the records merged away)."""
    found = _merges(base, head, gone)
    if not found:
        return base, head, set()
    base = Snapshot(dict(base.records), base.unreadable)
    head = Snapshot(dict(head.records), head.unreadable)
    for keep_key, gone_key in found:
        kind, keep_id, gone_id = keep_key[0], keep_key[1], gone_key[1]
        count, records = _merge_into_base(base, head, keep_key, gone_key, gone[gone_key])
        label = (
            f"{count} reference{'s' if count != 1 else ''} in {len(records)} record"
            f"{'s' if len(records) != 1 else ''} rewritten"
            if count
            else ""
        )
        if _set_judgement_aside(base, head, keep_id, gone_id):
            label = "; ".join(filter(None, [label, "judged the same in decisions.yaml"]))
        changes.append(
            Change(kind, keep_id, "merged", "id", gone_id, keep_id, head.records[keep_key][0], gone[gone_key][0], label)
        )
    return base, head, {gone_key for _keep, gone_key in found}


def _merges(base: Snapshot, head: Snapshot, gone: dict) -> list[tuple]:
    """(KEEP's key, GONE's key) of each merge: a person or organisation that gained, as a former
    id, the id of a record that is gone."""
    found = []
    for key in sorted(key for key in head.records if key[0] in ("person", "org")):
        data = head.records[key][1]
        if key in base.records and base.records[key][1] is not data:
            before = set(base.records[key][1].get("former_ids", []))
            found += [
                (key, (key[0], old))
                for old in data.get("former_ids", [])
                if old not in before and (key[0], old) in gone
            ]
    return found


def _merge_into_base(base: Snapshot, head: Snapshot, keep_key, gone_key, gone_record) -> tuple[int, set]:
    """The merge made in the base (in place): KEEP given what the merge gives it, every other
    record's references to GONE rewritten. (references rewritten, the keys of the records with any)."""
    from kb.authoring import merging
    from kb.model import references
    from kb.model.records import Record

    kind, keep_id = keep_key
    gone_path, gone_data = gone_record
    olds = {gone_key[1], *gone_data.get("former_ids", [])}
    count, records = 0, set()
    for key, (path, data) in list(base.records.items()):
        if key == gone_key:
            continue
        copied = json.loads(json.dumps(data, default=str))
        if key == keep_key:
            keep, moved = Record(kind, path, data), Record(kind, gone_path, gone_data)
            merging.keep_changer(kind, keep, moved, _default_level(head))(copied)
        else:
            merging.rewriter(key[0], kind, olds, keep_id, set(), True)(copied)
        if key != keep_key and copied != data:
            count += sum(
                1 for _p, value, kinds in references.references(key[0], data) if value in olds and kind in kinds
            )
            records.add(key)
        base.records[key] = (path, copied)
    return count, records


def _set_judgement_aside(base: Snapshot, head: Snapshot, keep_id: str, gone_id: str) -> bool:
    """Take out of the head's decisions.yaml (in place) the "same" judgement of KEEP and GONE that
    the merge recorded; whether there was one."""
    decisions = head.records.get(("decisions", DECISIONS_FILE))
    if not (decisions and isinstance(decisions[1].get("decisions"), list)):
        return False
    earlier = base.records.get(("decisions", DECISIONS_FILE), ("", {}))[1].get("decisions", [])
    kept = [
        d
        for d in decisions[1]["decisions"]
        if not (
            isinstance(d, dict)
            and d.get("judgement") == "same"
            and set(d.get("ids") or ()) == {keep_id, gone_id}
            and d not in earlier
        )
    ]
    if len(kept) == len(decisions[1]["decisions"]):
        return False
    if kept or ("decisions", DECISIONS_FILE) in base.records:
        head.records[("decisions", DECISIONS_FILE)] = (decisions[0], {**decisions[1], "decisions": kept})
    else:
        del head.records[("decisions", DECISIONS_FILE)]
    return True


@dataclass
class Report:
    base: str
    head: str
    changes: list[Change]
    unreadable: list[str]
    risks: list = field(default_factory=list)  # review.Risk
    base_records: dict = field(default_factory=dict)
    head_records: dict = field(default_factory=dict)
    audience: str | None = None  # TLP level of the readers; None: everything shown
    withheld: int = 0  # records with changes above the audience, not shown
    default_level: str = "CLEAR"


def _default_level(shot: Snapshot) -> str:
    config = shot.records.get(("config", "kb.yaml"), ("", {}))[1]
    return config.get("default_sensitivity") or "CLEAR" if isinstance(config, dict) else "CLEAR"


def restrict(base: Snapshot, head: Snapshot, readers) -> int:
    """Remove from both sides everything the audience (a kb.query.audience.Audience, whose rule
    decides) may not read on either side: a meeting marked above it on either side (so that
    neither its addition, its removal nor a change of its marking names it), a part (outcome,
    claim, quote, note) marked above it, a person's notes or aliases above it, and every
    reference to what was removed. Returns how many records had something withheld."""
    if readers.level is None:
        return 0
    sides = (base, head)
    original = {key: (base.records.get(key), head.records.get(key)) for key in {*base.records, *head.records}}
    meetings = {key for side in sides for key in side.records if key[0] == "meeting"}
    withheld = _withhold_meetings(sides, meetings, readers)
    hidden_outcomes: set[str] = set()
    for key in meetings - withheld:
        if _cut_parts(sides, key, readers, hidden_outcomes):
            withheld.add(key)
    for key in {key for side in sides for key in side.records if key[0] == "person"}:
        if _cut_person(sides, key, readers):
            withheld.add(key)
    _prune(sides, {key[1] for key in meetings}, hidden_outcomes)
    # Counted only where something withheld changed: the count says how much is not shown, not
    # how many marked records exist.
    return sum(1 for key in withheld if original[key][0] != original[key][1])


def _versions(sides, key) -> list[dict]:
    """The data of record ``key`` on each side that has it."""
    return [side.records[key][1] for side in sides if key in side.records]


def _withhold_meetings(sides, meetings: set, readers) -> set:
    """Remove the meetings above the audience on either side; their keys."""
    hidden = {key for key in meetings if not all(readers.may_see(data) for data in _versions(sides, key))}
    for side in sides:
        for key in hidden:
            side.records.pop(key, None)
    return hidden


def _cut_parts(sides, key, readers, hidden_outcomes: set) -> bool:
    """Cut from meeting ``key`` on both sides every part above the audience on either side, noting
    the outcomes cut as "meeting#outcome"; whether anything was cut."""
    from kb.query.audience import MARKED_PARTS

    cut = False
    for part in MARKED_PARTS:
        above = [
            item
            for data in _versions(sides, key)
            for item in data.get(part) or ()
            if isinstance(item, dict) and not readers.sees_part(item, readers.marking(data))
        ]
        if not above:
            continue
        cut = True
        hidden = {item_key(part, item) for item in above}
        if part == "outcomes":
            hidden_outcomes |= {f"{key[1]}#{item.get('id')}" for item in above}
        for side in sides:
            if key in side.records:
                path, data = side.records[key]
                kept = [i for i in data.get(part) or () if item_key(part, i) not in hidden]
                side.records[key] = (path, {**data, part: kept})
    return cut


def _cut_person(sides, key, readers) -> bool:
    """Cut from person ``key`` on both sides the notes, when above the audience on either side, and
    every alias above it on either side; whether anything was cut."""
    versions = _versions(sides, key)
    drop_notes = not all(readers.sees_notes(data) for data in versions)
    hidden = readers.hidden_aliases(versions)
    cut = False
    for side in sides:
        if key not in side.records:
            continue
        path, data = side.records[key]
        if drop_notes and "notes" in data:
            data = {k: v for k, v in data.items() if k != "notes"}
            cut = True
        if hidden:
            aliases = data.get("aliases") or ()
            data = {**data, "aliases": [a for a in aliases if not isinstance(a, dict) or a.get("name") not in hidden]}
            cut = True
        side.records[key] = (path, data)
    return cut


def _prune(sides, meeting_ids: set, hidden_outcomes: set) -> None:
    """Remove every reference to a meeting withheld (one of ``meeting_ids`` left on neither side)
    or to an outcome withheld, and withheld meetings' files from the unreadable ones."""
    from types import SimpleNamespace

    from kb.query.audience import prune_references

    visible = {key[1] for side in sides for key in side.records if key[0] == "meeting"}
    hidden_ids = meeting_ids - visible
    for side in sides:
        for key, (path, data) in list(side.records.items()):
            if key[0] == "meeting":
                copy = json.loads(json.dumps(data, default=str))
                prune_references([SimpleNamespace(data=copy)], visible, frozenset(hidden_outcomes))
                side.records[key] = (path, copy)
        # a file whose meeting is withheld is not named as unreadable either
        side.unreadable = [p for p in side.unreadable if p.rsplit("/", 1)[-1].rsplit(".", 1)[0] not in hidden_ids]


def diff(
    root: Path, base: str | None = None, head: str | None = WORKING_TREE, readers=None, use_cache: bool = True
) -> Report:
    """The changes from ``base`` to ``head``, as ``readers`` (an Audience, or None for everything)
    may see them, with the risks a reviewer should weigh. ``use_cache``: unchanged files come
    from the record cache (see read_sides)."""
    import gc

    from kb.authoring import review
    from kb.store.reading import PARALLEL_THRESHOLD

    base = base or default_base(root)
    collecting = gc.isenabled()
    # Both sides are some millions of small objects that live to the end: the cycle collector
    # would only walk them again and again (as in kb.store.loader), while they are read, while
    # they are compared, and once more when it is back on (frozen, it leaves them alone).
    gc.disable()
    records = 0
    try:
        before, after = (snapshot(side) for side in read_sides(root, base, head, use_cache))
        records = len(after.records)
        withheld = restrict(before, after, readers) if readers is not None else 0
        defaults = (_default_level(before), _default_level(after))
        found = compare(before, after)
        flags = review.risks(found, before.records, after.records, defaults)
    finally:
        if collecting:
            if records >= PARALLEL_THRESHOLD:
                gc.freeze()
            gc.enable()
    return Report(
        base,
        head or "the working tree",
        found,
        sorted(set(before.unreadable) | set(after.unreadable)),
        flags,
        before.records,
        after.records,
        readers.level if readers is not None else None,
        withheld,
        defaults[1],
    )


# -- showing ---------------------------------------------------------------------------------------


def _subject(change: Change, code) -> str:
    return f"{change.record} {code(change.id)}" if change.record in RECORD_KINDS else code(change.path)


def _details(report: Report, change: Change) -> list[str]:
    """What an added or removed record holds, as plain lines (without parts above the audience)."""
    from kb.authoring import review

    if change.change not in ("added", "removed"):
        return []
    records = report.head_records if change.change == "added" else report.base_records
    data = records.get((change.record, change.id), ("", {}))[1]
    if report.audience and change.record == "meeting" and isinstance(data, dict):
        data = review.visible_parts(data, report.audience, report.default_level)
    return review.record_details(change.record, data)


def _withheld_line(report: Report) -> str | None:
    if not report.withheld:
        return None
    count = f"{report.withheld} record{'s' if report.withheld != 1 else ''} with changes"
    return f"{count} withheld: marked above TLP:{report.audience}, the audience of this summary"


def _sentence_text(change: Change) -> str:
    from kb.authoring import review

    if change.change == "changed" and review.is_long_text(change.old, change.new):
        words = review.words_as_text(review.word_changes(str(change.old), str(change.new)))
        return f"{_subject(change, str)}: {change.label} changed: {words}"
    if change.change in ("added", "removed"):
        return change.sentence(lambda v: repr(" ".join(str(v).split())))
    return change.sentence(lambda v: repr(_text(v)))


def as_text(report: Report) -> str:
    lines = [
        f"Changes from {report.base} to {report.head}:"
        if report.changes
        else f"No changes to the records from {report.base} to {report.head}."
    ]
    for change in report.changes:
        lines.append(f"  {_sentence_text(change)}")
        lines += [f"      {detail}" for detail in _details(report, change)]
    lines += [f"  (not compared: {path} cannot be read; run kb check)" for path in report.unreadable]
    if _withheld_line(report):
        lines.append(f"  ({_withheld_line(report)})")
    if report.risks:
        lines.append(f"Risks for the reviewer ({len(report.risks)}):")
        lines += [f"  ! {risk.record} {risk.id}: {risk.message} [{risk.flag}]" for risk in report.risks]
    return "\n".join(lines) + "\n"


_PLAIN_CODE = re.compile(r"[\w.:/+~-]+")


def _md_code(value) -> str:
    """An id or path as code when it is plain; anything else escaped as text (a backtick or a
    '<!--' in a file name must not open code or an HTML comment)."""
    from kb.rendering.templates import md_escape

    text = " ".join(str(value).split())
    return f"`{text}`" if _PLAIN_CODE.fullmatch(text) else md_escape(text)


def _md_value(value) -> str:
    """A record's value, escaped for Markdown and HTML: no comment, tag, emphasis or link survives."""
    from kb.rendering.templates import md_escape

    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return "'" + md_escape(text) + "'"


def _md_sentence(change: Change) -> str:
    from kb.authoring import review
    from kb.rendering.templates import md_escape

    escaped = Change(
        **{
            **asdict(change),
            "label": md_escape(change.label),
            "old": md_escape(str(change.old)) if change.change == "status" else change.old,
            "new": md_escape(str(change.new)) if change.change == "status" else change.new,
        }
    )
    if change.change == "changed" and review.is_long_text(change.old, change.new):
        words = review.words_as_markdown(review.word_changes(str(change.old), str(change.new)), md_escape)
        return f"{_subject(change, _md_code)}: {escaped.label} changed: {words}"
    if change.change in ("added", "removed"):
        return escaped.sentence(_md_value, _md_code)
    return escaped.sentence(lambda v: _md_value(_text(v)), _md_code)


def as_markdown(report: Report) -> str:
    from kb.rendering.templates import md_escape

    count = len(report.changes)
    records = len({(c.record, c.id) for c in report.changes})
    lines = [
        f"### Records: {count} change{'s' if count != 1 else ''} in {records} record{'s' if records != 1 else ''}",
        "",
        f"From {_md_code(report.base)} to "
        f"{report.head if report.head == 'the working tree' else _md_code(report.head)}.",
        "",
    ]
    if report.risks:
        lines += [f"**Risks for the reviewer ({len(report.risks)}):**", ""]
        lines += [
            f"- :warning: {risk.record} {_md_code(risk.id)}: {md_escape(risk.message)} (`{risk.flag}`)"
            for risk in report.risks
        ]
        lines.append("")
    for change in report.changes:
        lines.append(f"- {_md_sentence(change)}")
        lines += [f"  - {md_escape(detail)}" for detail in _details(report, change)]
    if not report.changes:
        lines.append("No record changed.")
    for path in report.unreadable:
        lines.append(f"- :warning: {_md_code(path)} cannot be read and was not compared (see `kb check`).")
    if _withheld_line(report):
        lines.append(f"- {md_escape(_withheld_line(report))}.")
    return "\n".join(lines) + "\n"


def as_json(report: Report) -> str:
    from kb.authoring import review

    entries = []
    for change in report.changes:
        entry = change.as_dict()
        if change.change == "changed" and review.is_long_text(change.old, change.new):
            entry["words"] = [
                {"op": op, "text": text} for op, text in review.word_changes(str(change.old), str(change.new))
            ]
        if change.change in ("added", "removed"):
            entry["details"] = _details(report, change)
        entries.append(entry)
    return json.dumps(
        {
            "base": report.base,
            "head": report.head,
            "changes": entries,
            "risks": [risk.as_dict() for risk in report.risks],
            "unreadable": report.unreadable,
            "audience": report.audience,
            "withheld_records": report.withheld,
        },
        indent=2,
        ensure_ascii=False,
    )


def _plain(render):
    return lambda report, _templates: render(report)


# The formats of `kb diff` (kb.rendering.formats): its context is the Report.
DIFF = View(
    "diff",
    {"text": _plain(as_text), "md": _plain(as_markdown), "json": _plain(as_json)},
    piped="text",
    show=lambda report, _templates: emit(as_text(report), None),
    shown_as="text",
)
