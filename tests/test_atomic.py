"""Writes are atomic: a failure at any point leaves the original file intact."""

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.store import atomic


def test_write_replaces_content(tmp_path):
    target = tmp_path / "record.yaml"
    target.write_text("old\n")
    atomic.write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["record.yaml"]


def test_failure_during_write_keeps_the_original(tmp_path, monkeypatch):
    target = tmp_path / "record.yaml"
    target.write_text("# keep me\nid: x\n")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        atomic.write_text(target, "id: half")
    assert target.read_text() == "# keep me\nid: x\n"
    assert [p.name for p in tmp_path.iterdir()] == ["record.yaml"]


def test_failure_at_rename_keeps_the_original(tmp_path, monkeypatch):
    target = tmp_path / "record.yaml"
    target.write_text("original\n")
    monkeypatch.setattr(os, "replace", lambda *args: (_ for _ in ()).throw(OSError("rename failed")))
    with pytest.raises(OSError):
        atomic.write_text(target, "changed\n")
    assert target.read_text() == "original\n"
    assert [p.name for p in tmp_path.iterdir()] == ["record.yaml"]


def test_parts_made_as_they_are_written(tmp_path):
    """Parts made one by one (a generator) are written in order; a failure while they are made
    keeps the original; a file said to hold them already is left as it is."""
    target = tmp_path / "index.js"
    target.write_bytes(b"original\n")
    atomic.write_bytes(target, (part for part in (b"one ", b"two ", b"three\n")), durable=False)
    assert target.read_bytes() == b"one two three\n"

    def failing():
        yield b"half"
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        atomic.write_bytes(target, failing())
    assert target.read_bytes() == b"one two three\n"
    before = target.stat()
    asked = []
    atomic.write_bytes(target, iter([b"one two ", b"three\n"]), unchanged=lambda: not asked.append(1))
    assert asked == [1]
    assert (target.stat().st_ino, target.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert [p.name for p in tmp_path.iterdir()] == ["index.js"]


def test_never_overwrite_when_asked(tmp_path):
    target = tmp_path / "record.yaml"
    target.write_text("mine\n")
    with pytest.raises(atomic.FileExists):
        atomic.write_text(target, "theirs\n", overwrite=False)
    assert target.read_text() == "mine\n"
    atomic.write_text(tmp_path / "new.yaml", "fresh\n", overwrite=False)
    assert (tmp_path / "new.yaml").read_text() == "fresh\n"


def test_permissions_are_kept(tmp_path):
    target = tmp_path / "record.yaml"
    target.write_text("x\n")
    target.chmod(0o640)
    atomic.write_text(target, "y\n")
    assert target.stat().st_mode & 0o777 == 0o640


@given(st.text())
def test_any_text_round_trips(tmp_path_factory, text):
    target = tmp_path_factory.mktemp("w") / "f.yaml"
    atomic.write_text(target, text)
    assert target.read_bytes() == text.encode("utf-8")


def test_a_new_file_has_the_umask_s_permissions_and_is_its_owner_s_alone_until_complete(tmp_path):
    """A new file ends as any editor would make it (0666 less the umask); while it is written it
    is readable by its owner alone, under the name kb.store.files knows an interrupted write by."""
    from kb.store.files import _is_leftover

    seen = []

    def parts():
        (temporary,) = [p for p in tmp_path.iterdir() if p.name != "record.yaml"]
        seen.append((temporary.name, temporary.stat().st_mode & 0o777))
        yield b"id: x\n"

    mask = os.umask(0o027)
    try:
        atomic.write_bytes(tmp_path / "record.yaml", parts())
    finally:
        os.umask(mask)
    assert (tmp_path / "record.yaml").stat().st_mode & 0o777 == 0o640
    ((name, mode),) = seen
    assert mode == 0o600 and name.startswith(".record.yaml.") and _is_leftover(name)
    assert [p.name for p in tmp_path.iterdir()] == ["record.yaml"]


def test_a_temporary_file_left_under_the_same_name_is_neither_used_nor_removed(tmp_path, monkeypatch):
    """A file an earlier process of the same number left under the name the next write would
    take: the write takes another name and leaves that file as it was."""
    monkeypatch.setattr(atomic, "_written", iter([7, 8]))
    left = tmp_path / f".record.yaml.{os.getpid()}-7.tmp"
    left.write_text("left\n")
    atomic.write_text(tmp_path / "record.yaml", "id: x\n")
    assert (tmp_path / "record.yaml").read_text() == "id: x\n"
    assert left.read_text() == "left\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [left.name, "record.yaml"]


def test_a_link_planted_under_the_next_temporary_name_is_never_written_through(tmp_path, monkeypatch):
    """The temporary name is foreseeable (process and number): a link planted under it by a
    hostile repository is left alone, and the file it points to is never written."""
    monkeypatch.setattr(atomic, "_written", iter([3, 4]))
    outside = tmp_path / "outside.txt"
    outside.write_text("not kb's\n")
    folder = tmp_path / "kb"
    folder.mkdir()
    planted = folder / f".record.yaml.{os.getpid()}-3.tmp"
    planted.symlink_to(outside)
    atomic.write_text(folder / "record.yaml", "id: x\n")
    assert outside.read_text() == "not kb's\n"
    assert planted.is_symlink() and (folder / "record.yaml").read_text() == "id: x\n"
