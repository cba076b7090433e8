"""The snapshot of the knowledge base (kb/store/snapshot.py) and the meeting lists kept beside it
(kb/query/scopeindex.py): what a command reads through them is what it reads without them, after
any edit; a planted or damaged snapshot is refused, said, and rebuilt."""

from __future__ import annotations

import datetime as dt
import marshal
import os
import shutil
from pathlib import Path

import pytest
from conftest import copy_repository, write_hub

from kb.model.records import Meeting, unpack_data, unpack_head
from kb.query import scope
from kb.query.audience import Audience
from kb.store import cache, loader, reading, snapshot

DAY = dt.date(2026, 12, 1)
LEVELS = (None, "CLEAR", "GREEN", "AMBER")
MEETING = "meetings/2024-07-13-naqvi-blome.yaml"
ADDED = "meetings/2024-08-01-naqvi-blome.yaml"


def _files(kb) -> dict:
    """Every record as the model holds it: data, findings, and a meeting's head."""
    held = {}
    for table in (kb.meetings, kb.people, kb.orgs):
        for record in table.values():
            held[record.relpath] = (record.kind, record.data, getattr(record, "head", None))
    findings = sorted((f.path, f.line, f.code, f.message) for f in kb.load_findings)
    return {"records": held, "findings": findings, "broken": kb.broken_ids, "config": kb.config}


def _countries(kb) -> list[str]:
    return sorted({code for m in kb.meetings.values() for code in scope.meeting_countries(kb, m)})


def _counterparts(kb) -> list[tuple[str, str]]:
    return (
        [("person", p) for p in sorted(kb.people)]
        + [("org", o) for o in sorted(kb.orgs)]
        + [("country", c) for c in _countries(kb)]
        + [("topic", t) for t in sorted(kb.topics)]
    )


def _answers(kb, levels=LEVELS) -> dict:
    """For every counterpart: its own meetings, a brief's meetings with their relation, and for
    each audience what it admits, what that counts, and the open items it may see."""
    found = {}
    for kind, ident in _counterparts(kb):
        own = [m.id for m in scope.meetings_of(kb, kind, ident)]
        if kind == "topic":
            found[kind, ident] = own
            continue
        scoped = scope.meetings_for(kb, kind, ident, DAY, related=True)
        per_level = {}
        for level in levels:
            readers = Audience(level, kb.config.default_sensitivity, kb)
            admitted = [s.meeting.id for s in scoped if readers.admit(s.meeting)]
            copies = Audience(level, kb.config.default_sensitivity, kb)
            items = [i.ref for i in scope.open_items(kb, kind, ident, DAY, see=copies.meeting)]
            per_level[level] = (admitted, readers.summary(), items)
        found[kind, ident] = (own, [(s.meeting.id, s.relation, s.note, s.via) for s in scoped], per_level)
    return found


def _same_through_the_snapshot(root: Path, levels=LEVELS) -> None:
    full = loader.load(root, use_cache=False)
    snapped = loader.load(root)
    assert snapped.snapshot_loaded and not full.snapshot_loaded
    assert _files(snapped) == _files(full)
    assert _answers(snapped, levels) == _answers(full, levels)


def _entries(root: Path) -> dict:
    """The snapshot's entries as written, with each meeting's data decoded from its blob file and
    what is only where or when it was written (stamps, blob placement) left out."""
    taken = snapshot.Snapshot.open(root)
    assert taken.entries and taken.problem is None
    kept = {}
    for relpath, (_stamp, sum_, _racy, kind, data, head, findings, blob, _ident, _dated) in taken.entries.items():
        if blob is not None:
            taken.blobs.digests[relpath] = sum_
            data = unpack_data(snapshot.BlobRef(taken.blobs, relpath, *blob))
        kept[relpath] = (sum_, kind, data, unpack_head(head) if head is not None else None, findings, _ident, _dated)
    return kept


def _rebuilt(root: Path) -> dict:
    for path in (root / cache.FOLDER).iterdir():
        if path.name == snapshot.NAME or snapshot.BLOBS.fullmatch(path.name):
            path.unlink()
    loader.load(root)
    return _entries(root)


def _write(root: Path, relpath: str, text: str) -> None:
    path = root / relpath
    path.write_text(text, encoding="utf-8")
    # Past the racy window, as a user's next command would be, so that stamps alone decide.
    old = path.stat().st_mtime_ns - 5 * cache.RACY_NS
    os.utime(path, ns=(old, old))


def _replace(root: Path, relpath: str, old: str, new: str) -> None:
    text = (root / relpath).read_text(encoding="utf-8")
    assert old in text
    _write(root, relpath, text.replace(old, new, 1))


def _add_meeting(root):
    text = (root / MEETING).read_text(encoding="utf-8")
    _write(
        root,
        ADDED,
        text.replace("2024-07-13-naqvi-blome", "2024-08-01-naqvi-blome").replace("2024-07-13", "2024-08-01"),
    )


EDITS = [
    ("a meeting's title", lambda root: _replace(root, MEETING, "title: Interior", "title: Federal Interior")),
    ("a meeting added", _add_meeting),
    ("a counterpart's side moved to another country", lambda root: _replace(root, ADDED, "side: US", "side: GB")),
    ("a meeting held elsewhere", lambda root: _replace(root, ADDED, "country: PK", "country: AE")),
    (
        "a person renamed",
        lambda root: _replace(root, "people/donald-blome.yaml", "name: Donald Blome", "name: Don Blome"),
    ),
    ("a meeting broken", lambda root: _replace(root, MEETING, "status: held", "status: done")),
    ("a file touched, its content the same", lambda root: os.utime(root / ADDED)),
    ("a meeting removed", lambda root: (root / ADDED).unlink()),
    ("a meeting mended", lambda root: _replace(root, MEETING, "status: done", "status: held")),
]


@pytest.mark.parametrize("large", [False, True], ids=["small", "large"])
def test_after_each_edit_the_snapshot_reads_as_the_files_do_and_equals_a_rebuild(tmp_path, monkeypatch, large):
    """Also as a large knowledge base is read (its meetings compressed, and spilled to disk as read)."""
    if large:
        monkeypatch.setattr(reading, "LARGE", 0)
    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)
    loader.load(root)  # the snapshot made
    for what, edit in EDITS:
        edit(root)
        _same_through_the_snapshot(root, levels=(None, "GREEN"))
        kept = _entries(root)
        assert kept == _rebuilt(root), what
        assert len(kept) == len(list(root.glob("*/*.yaml"))) + 2  # every record file, kb.yaml, topics.yaml


def _marked_hub(root: Path, count: int) -> None:
    """A hub knowledge base, some of its meetings and outcomes marked above CLEAR."""
    write_hub(root, count)
    for number, path in enumerate(sorted((root / "meetings").glob("*.yaml"))):
        text = path.read_text(encoding="utf-8")
        if number % 7 == 3:
            text = text.replace("\nsensitivity: CLEAR\n", "\nsensitivity: AMBER\n", 1)
        if number % 5 == 1:
            text = text.replace("\n    kind: commitment\n", "\n    kind: commitment\n    sensitivity: RED\n", 1)
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("shape", ["repository", "hub"])
def test_every_counterpart_has_the_same_answers_through_the_snapshot(tmp_path, shape):
    root = tmp_path / "kb"
    if shape == "hub":
        _marked_hub(root, 60)
    else:
        root.mkdir()
        copy_repository(root)
    loader.load(root)  # the snapshot and the meeting lists made: the next load reads them
    _same_through_the_snapshot(root)
    assert (root / cache.FOLDER / "scope.bin").is_file()


def test_the_meeting_lists_are_read_alone_when_no_meeting_changed(tmp_path, monkeypatch):
    """The facts of each meeting file are decoded only when a meeting changed; the answers are the
    same either way."""
    from kb.query import scopeindex

    root = tmp_path / "kb"
    _marked_hub(root, 30)
    loader.load(root)
    first = loader.load(root)
    expected = _answers(first, levels=(None,))
    decoded = []
    real = scopeindex._facts
    monkeypatch.setattr(scopeindex, "_facts", lambda packed: decoded.append(1) or real(packed))
    assert _answers(loader.load(root), levels=(None,)) == expected
    assert decoded == []
    moved = sorted((root / "meetings").glob("*.yaml"))[4].relative_to(root).as_posix()
    text = (root / moved).read_text(encoding="utf-8")
    _write(root, moved, text)  # written again, its content the same
    assert _answers(loader.load(root), levels=(None,)) == expected
    assert decoded == []
    _write(root, moved, text + "\n")
    assert _answers(loader.load(root), levels=(None,)) == expected
    assert decoded == [1]
    _same_through_the_snapshot(root, levels=(None,))


def _damage(root: Path, how: str) -> Path | None:
    """Damage the snapshot index; the file outside the knowledge base a link leads to, if any."""
    path = root / cache.FOLDER / snapshot.NAME
    if how == "garbage":
        path.write_bytes(b"garbage \x00\xff" * 10)
    elif how == "forged":  # kb's header, but sealed by no key of the user's
        raw = path.read_bytes()
        header = raw[: raw.index(b"\n", len(snapshot.MAGIC) + 2) + 1]
        body = marshal.dumps(([], {MEETING: ("forged",)}))
        path.write_bytes(header + b"\0" * 32 + body)
    elif how == "altered":  # one byte of its body changed, the seal kept
        raw = bytearray(path.read_bytes())
        raw[-40] ^= 0x01
        path.write_bytes(bytes(raw))
    elif how == "truncated":
        raw = path.read_bytes()
        path.write_bytes(raw[: len(raw) // 2])
    elif how == "link":
        outside = root.parent / "elsewhere.bin"
        shutil.copy(path, outside)
        path.unlink()
        path.symlink_to(outside)
        return outside
    elif how == "fifo":
        path.unlink()
        os.mkfifo(path)
    return None


MESSAGES = {
    "garbage": "kb: warning: .kb-cache/snapshot.bin is not kb's snapshot; it was ignored and rebuilt\n",
    "forged": "kb: warning: .kb-cache/snapshot.bin is damaged or was not written by you; it was ignored and rebuilt\n",
    "altered": "kb: warning: .kb-cache/snapshot.bin is damaged or was not written by you; it was ignored and rebuilt\n",
    "truncated": "kb: warning: .kb-cache/snapshot.bin is damaged or was not written by you; it was ignored and rebuilt\n",
    "link": "kb: warning: .kb-cache/snapshot.bin is not a plain file; it was ignored and kb's snapshot rebuilt\n",
    "fifo": "kb: warning: .kb-cache/snapshot.bin is not a plain file; it was ignored and kb's snapshot rebuilt\n",
}


@pytest.mark.parametrize("how", sorted(MESSAGES))
def test_a_planted_or_damaged_snapshot_is_refused_said_and_rebuilt(tmp_path, run_kb, how):
    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)
    expected = run_kb("--no-cache", "brief", "donald-blome", kb=root)
    run_kb("brief", "donald-blome", kb=root)  # the snapshot made
    outside = _damage(root, how)
    before = outside.read_bytes() if outside else None
    result = run_kb("brief", "donald-blome", kb=root)
    assert result.exit_code == 0
    assert result.stdout == expected.stdout
    assert result.stderr == MESSAGES[how]
    if outside is not None:
        assert outside.read_bytes() == before  # the link was neither followed for reading nor writing
    path = root / cache.FOLDER / snapshot.NAME
    assert path.is_file() and not path.is_symlink() and path.read_bytes().startswith(snapshot.MAGIC)
    again = run_kb("brief", "donald-blome", kb=root)
    assert (again.stdout, again.stderr) == (expected.stdout, "")


def test_a_damaged_blob_is_read_from_its_meeting_file_instead(tmp_path, run_kb):
    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)
    expected = run_kb("--no-cache", "brief", "donald-blome", kb=root).stdout
    run_kb("brief", "donald-blome", kb=root)
    for path in (root / cache.FOLDER).iterdir():
        if snapshot.BLOBS.fullmatch(path.name):
            path.write_bytes(b"\xff" * path.stat().st_size)
    result = run_kb("brief", "donald-blome", kb=root)
    assert (result.exit_code, result.stdout, result.stderr) == (0, expected, "")


def test_a_meeting_changed_while_its_blob_is_unreadable_is_refused_clearly(tmp_path):
    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)
    loader.load(root)
    for path in (root / cache.FOLDER).iterdir():
        if snapshot.BLOBS.fullmatch(path.name):
            path.unlink()
    kb = loader.load(root)
    meeting = kb.meetings["2024-07-13-naqvi-blome"]
    assert isinstance(meeting, Meeting) and not meeting.holds_data()
    _replace(root, MEETING, "title: Interior", "title: Federal Interior")
    with pytest.raises(
        snapshot.SnapshotError, match=f"^{MEETING} changed while kb was reading it; run the command again$"
    ):
        _ = meeting.data


def test_search_names_counterparts_as_a_full_load_does(tmp_path, run_kb):
    root = tmp_path / "kb"
    _marked_hub(root, 120)
    for level in ("CLEAR", "AMBER", "RED"):
        full = run_kb("--no-cache", "search", "visa", "--format", "json", "--audience", level, kb=root)
        run_kb("search", "visa", "--audience", level, kb=root)
        snapped = run_kb("search", "visa", "--format", "json", "--audience", level, kb=root)
        assert snapped.exit_code == 0 and '"counterparts"' in snapped.stdout
        assert snapped.stdout == full.stdout


def test_a_record_that_is_a_link_is_read_each_time_and_the_snapshot_not_rewritten(tmp_path):
    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)
    old = os.stat(root / MEETING).st_mtime_ns - 5 * cache.RACY_NS
    for path in root.rglob("*.yaml"):
        os.utime(path, ns=(old, old))
    (root / "meetings" / "2024-07-14-linked.yaml").symlink_to(root / MEETING)
    loader.load(root)
    index = root / cache.FOLDER / snapshot.NAME
    written = (index.stat().st_ino, index.stat().st_mtime_ns)
    kb = loader.load(root)
    assert (index.stat().st_ino, index.stat().st_mtime_ns) == written
    assert "meetings/2024-07-14-linked.yaml" not in snapshot.Snapshot.open(root).entries
    assert _files(kb) == _files(loader.load(root, use_cache=False))


def _positions_of(kb) -> dict:
    """Where a finding in each meeting would point: the title, each participant's person, a source."""
    return {
        meeting.relpath: (meeting.where("title"), meeting.where("participants", 0, "person"), meeting.where("sources"))
        for meeting in kb.meetings.values()
    }


def test_a_whole_read_keeps_no_meeting_data_nor_positions_in_memory(tmp_path, monkeypatch):
    """A cold read writes each meeting's data and positions out as it comes (the data to the blob
    file the snapshot then names, the positions to a scratch file with no name) and holds
    references to them: what it reads through them is what a read without the cache holds. (A
    large knowledge base only: below, holding them costs less than writing them out.)"""
    monkeypatch.setattr(reading, "LARGE", 0)
    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)
    full = loader.load(root, use_cache=False)
    kb = loader.load(root)
    meetings = list(kb.meetings.values())
    assert meetings and all(type(m.blob) is snapshot.BlobRef and not m.holds_data() for m in meetings)
    assert all(m.positions._blob is None for m in meetings)  # not read yet
    assert _positions_of(kb) == _positions_of(full)
    assert _files(kb) == _files(full)
    taken = snapshot.Snapshot.open(root)
    assert [name for name in os.listdir(root / cache.FOLDER) if "blobs" in name] == taken.names
    assert len(taken.names) == 1 and meetings[0].blob.blobs.names == taken.names
    assert _entries(root) == _rebuilt(root)


def test_an_altered_spill_is_not_believed(tmp_path, monkeypatch):
    """A blob or positions changed in the spill after it was written (another process of the user)
    fail their hash: they are taken from the meeting file instead."""
    monkeypatch.setattr(reading, "LARGE", 0)
    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)
    full = loader.load(root, use_cache=False)
    kb = loader.load(root)
    meeting = kb.meetings["2024-07-13-naqvi-blome"]
    data_ref, positions_ref = meeting.blob, meeting.positions._load.__self__
    for ref in (data_ref, positions_ref):
        os.pwrite(ref.blobs.descriptors[0], b"\xff" * ref.length, ref.offset)
    assert meeting.data == full.meetings["2024-07-13-naqvi-blome"].data
    assert _positions_of(kb) == _positions_of(full)


def test_a_read_that_fails_leaves_no_spill_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "LARGE", 0)
    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)

    def fail(self, present):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(cache.RecordCache, "save", fail)
    with pytest.raises(RuntimeError, match="the disk went away"):
        loader.load(root)
    # The schemas' compiled checks are stored before reading; nothing of the read is left.
    assert sorted(os.listdir(root / cache.FOLDER)) == [".gitignore", reading.SCHEMA_CODE]


def test_a_spill_left_by_a_killed_run_is_swept_once_stale(tmp_path, monkeypatch):
    """A run killed while reading leaves its spill's blob file under its temporary name; the next
    run that writes the snapshot removes it once it is an hour old (a spill being written is
    written to every few seconds), and leaves a younger one to the run writing it."""
    monkeypatch.setattr(reading, "LARGE", 0)
    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)
    loader.load(root)
    folder = root / cache.FOLDER
    stale, fresh = folder / ".blobs-0123456789abcdef.bin.x1.tmp", folder / ".blobs-fedcba9876543210.bin.x2.tmp"
    for path in (stale, fresh):
        path.write_bytes(b"left")
    old = stale.stat().st_mtime - 7200
    os.utime(stale, (old, old))
    _replace(root, MEETING, "title: Interior", "title: Federal Interior")
    loader.load(root)  # the snapshot written again
    assert not stale.exists() and fresh.exists()


def _decoded_heads(kb) -> set[str]:
    """The meetings whose head has been decoded (a head read from the snapshot comes packed)."""
    slot = Meeting.__mro__[1].__dict__["head"]  # Record's slot itself: AttributeError while unset
    found = set()
    for meeting in kb.meetings.values():
        try:
            slot.__get__(meeting)
        except AttributeError:
            continue
        found.add(meeting.id)
    return found


def test_a_person_s_meetings_are_found_and_sorted_without_decoding_a_head(tmp_path):
    root = tmp_path / "kb"
    _marked_hub(root, 40)
    loader.load(root)  # the snapshot made
    kb = loader.load(root)
    assert kb.snapshot_loaded and _decoded_heads(kb) == set()
    person = max(kb.people, key=lambda ident: len(loader.load(root, use_cache=False).meetings_with(ident)))
    found = kb.meetings_with(person)
    assert 0 < len(found) < len(kb.meetings)
    assert _decoded_heads(kb) == set()  # sorted by the ids and dates kept beside the heads
    assert [m.id for m in found] == [m.id for m in loader.load(root, use_cache=False).meetings_with(person)]
    assert [m.date for m in found] == [m.date for m in loader.load(root, use_cache=False).meetings_with(person)]
    assert {m.status for m in found} and _decoded_heads(kb) == {m.id for m in found}  # read: decoded, no other


def _people_answers(kb, extra: tuple[str, ...] = ()) -> dict:
    return {ident: [m.id for m in kb.meetings_with(ident)] for ident in (*sorted(kb.people), *extra)}


def test_the_people_s_meeting_lists_follow_each_edit_of_who_took_part(tmp_path):
    """A participant replaced, a person renamed with the old id kept as a former id (meetings
    still naming it), a meeting removed: each person's meetings as a load without the cache finds
    them, and the same once the lists are kept again."""
    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)
    loader.load(root)
    full = loader.load(root, use_cache=False)
    meeting = next(m for m in full.meetings.values() if m.person_ids())
    named, other = meeting.person_ids()[0], next(p for p in sorted(full.people) if p not in meeting.person_ids())
    relpath = meeting.relpath
    text = (root / relpath).read_text(encoding="utf-8")
    _write(root, relpath, text.replace(f"person: {named}\n", f"person: {other}\n", 1))
    renamed = root / "people" / f"{other}.yaml"
    person_text = renamed.read_text(encoding="utf-8")
    _write(
        root,
        f"people/{other}.yaml",
        person_text.replace(f"id: {other}\n", f"id: {other}-new\nformer_ids: [{other}]\n", 1),
    )
    for step in ("edited", "kept", "removed"):
        if step == "removed":
            (root / relpath).unlink()
        expected = _people_answers(loader.load(root, use_cache=False), (other, named, "nobody-at-all"))
        assert _people_answers(loader.load(root), (other, named, "nobody-at-all")) == expected, step
    assert expected[f"{other}-new"] and not expected["nobody-at-all"]


def test_a_file_is_looked_at_by_itself_only_when_its_stamp_moved(tmp_path, monkeypatch):
    """Nothing changed: the listing's walk is the snapshot's, and no file is looked at by itself;
    one file touched: that file alone (its content the same, it is still not read); the answers
    the same throughout, and a meeting added since is kept in its place among the others."""
    root = tmp_path / "kb"
    _marked_hub(root, 30)
    for path in [*root.glob("*.yaml"), *root.glob("*/*.yaml")]:  # past the racy window, as a user's files are
        old = path.stat().st_mtime_ns - 5 * cache.RACY_NS
        os.utime(path, ns=(old, old))
    loader.load(root)
    expected = _files(loader.load(root, use_cache=False))
    asked: list[str] = []
    real = snapshot.Snapshot.get
    monkeypatch.setattr(
        snapshot.Snapshot, "get", lambda self, relpath, *rest: asked.append(relpath) or real(self, relpath, *rest)
    )
    assert _files(loader.load(root)) == expected and asked == []
    touched = sorted((root / "meetings").glob("*.yaml"))[3]
    old = touched.stat().st_mtime_ns - 5 * cache.RACY_NS
    os.utime(touched, ns=(old, old))
    assert _files(loader.load(root)) == expected
    assert asked == [touched.relative_to(root).as_posix()]
    asked.clear()
    assert _files(loader.load(root)) == expected and asked == []  # its new stamp kept
    first = sorted((root / "meetings").glob("*.yaml"))[0]
    _write(root, "meetings/0000-added.yaml", first.read_text(encoding="utf-8").replace("id: ", "id: 0000-added-", 1))
    loader.load(root)
    assert list(snapshot.Snapshot.open(root).entries) == sorted(snapshot.Snapshot.open(root).entries)
    asked.clear()
    assert _files(loader.load(root)) == _files(loader.load(root, use_cache=False)) and asked == []


def _edited_through_a_delta(root: Path, run_kb) -> bytes:
    """The repository's records, the snapshot made, one meeting's title edited and a brief run:
    the bytes of snapshot.bin (left as it was: the change went to the delta)."""
    root.mkdir()
    copy_repository(root)
    run_kb("brief", "donald-blome", kb=root)
    whole = (root / cache.FOLDER / snapshot.NAME).read_bytes()
    _replace(root, MEETING, "title: Interior", "title: Federal Interior")
    run_kb("brief", "donald-blome", kb=root)
    assert (root / cache.FOLDER / snapshot.NAME).read_bytes() == whole
    return whole


def test_an_edit_is_written_as_a_delta_over_the_snapshot_and_read_as_the_files_are(tmp_path, run_kb):
    root = tmp_path / "kb"
    _edited_through_a_delta(root, run_kb)
    taken = snapshot.Snapshot.open(root)
    assert list(taken.overlay) == [MEETING] and taken.problem is None
    _same_through_the_snapshot(root, levels=(None, "GREEN"))
    assert _entries(root) == _rebuilt(root)
    assert not (root / cache.FOLDER / snapshot.DELTA).exists()  # written whole again: no delta left


@pytest.mark.parametrize("how", ["altered", "garbage", "link"])
def test_a_damaged_or_planted_delta_is_refused_said_and_written_again(tmp_path, run_kb, how):
    root = tmp_path / "kb"
    _edited_through_a_delta(root, run_kb)
    expected = run_kb("--no-cache", "brief", "donald-blome", kb=root)
    path = root / cache.FOLDER / snapshot.DELTA
    if how == "altered":
        raw = bytearray(path.read_bytes())
        raw[-3] ^= 0x01
        path.write_bytes(bytes(raw))
    elif how == "garbage":
        path.write_bytes(b"garbage \x00\xff" * 10)
    else:
        outside = tmp_path / "elsewhere.bin"
        shutil.copy(path, outside)
        path.unlink()
        path.symlink_to(outside)
    result = run_kb("brief", "donald-blome", kb=root)
    assert (result.exit_code, result.stdout) == (0, expected.stdout)
    assert result.stderr == (
        "kb: warning: .kb-cache/snapshot-delta.bin is damaged or was not written by you; it was ignored\n"
    )
    again = run_kb("brief", "donald-blome", kb=root)
    assert (again.stdout, again.stderr) == (expected.stdout, "")
    assert path.is_file() and not path.is_symlink()


def test_a_delta_written_over_another_snapshot_is_not_laid_over_this_one(tmp_path, run_kb):
    root = tmp_path / "kb"
    _edited_through_a_delta(root, run_kb)
    path = root / cache.FOLDER / snapshot.DELTA
    old = path.read_bytes()
    _add_meeting(root)  # a file added: written whole, under a new token
    run_kb("brief", "donald-blome", kb=root)
    assert not path.exists()
    path.write_bytes(old)  # the delta of the snapshot.bin before
    assert snapshot.Snapshot.open(root).overlay == {}
    _same_through_the_snapshot(root, levels=(None,))


def test_heads_decoded_at_once_are_those_decoded_one_by_one(tmp_path):
    from kb.model.records import decode_heads

    root = tmp_path / "kb"
    _marked_hub(root, 60)
    loader.load(root)
    one_by_one = {ident: meeting.head for ident, meeting in loader.load(root).meetings.items()}
    kb = loader.load(root)
    assert _decoded_heads(kb) == set()
    decode_heads(kb.meetings.values())
    assert _decoded_heads(kb) == set(kb.meetings)
    assert {ident: meeting.head for ident, meeting in kb.meetings.items()} == one_by_one
    assert one_by_one == {m.id: m.head for m in loader.load(root, use_cache=False).meetings.values()}
