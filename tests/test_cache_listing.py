"""The listing behind the check cache: one walk of the record folders, one lstat a file. It lists
what discover() always listed, and a check with nothing changed is answered from the check cache
only while every file (and what every link points to) is as it was."""

import datetime as dt
import os
import struct
import time
from pathlib import Path

import pytest
from test_cache import settle

from kb.checks import runner
from kb.store import cache, files, loader

DAY = dt.date(2030, 1, 1)


def test_discover_lists_records_strays_and_links_and_skips_hidden_files(make_kb, tmp_path):
    root = make_kb(
        {
            "meetings/2024/2024-01-02-a.yaml": "id: 2024-01-02-a\n",
            "meetings/2024/deep/1/2/3/4/5/6/7/8/too-deep.yaml": "id: too-deep\n",
            "meetings/notes.txt": "not a record\n",
            "meetings/2024-01-03-b.YAML": "id: 2024-01-03-b\n",
            "meetings/.hidden.yaml": "id: hidden\n",
            "meetings/.2024-01-04-c.yaml.1a2b3c4d.tmp": "id: left\n",
            "meetings/.git/HEAD.yaml": "x: 1\n",
            "orgs/sub.yml/inner.yaml": "id: inner\n",
        }
    )
    (root / "meetings/linked-folder").symlink_to(root / "meetings/2024", target_is_directory=True)
    (root / "meetings/dangling.yaml").symlink_to(root / "meetings/nowhere.yaml")
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "people").rename(outside / "people")
    (root / "people").symlink_to(outside / "people", target_is_directory=True)
    expected = [
        ("kb.yaml", "config"),
        ("meetings/.2024-01-04-c.yaml.1a2b3c4d.tmp", files.STRAY),
        ("meetings/2024-01-03-b.YAML", files.STRAY),
        ("meetings/2024-07-13-naqvi-blome.yaml", "meeting"),
        ("meetings/2024/2024-01-02-a.yaml", "meeting"),
        ("meetings/dangling.yaml", "meeting"),
        ("meetings/linked-folder", "meeting"),
        ("meetings/notes.txt", files.STRAY),
        ("orgs/pk-interior.yaml", "org"),
        ("orgs/sub.yml", "org"),  # a folder named like a record (KB110 when read)
        ("people", "person"),  # a record folder that is a link
        ("topics.yaml", "topics"),
    ]
    assert files.discover(root) == expected
    listing = cache.Listing(root)
    assert listing.files == expected
    assert len(listing.stamps) == len(expected) * files.STAMP.size
    for relpath, _kind in expected:
        st = os.lstat(root / relpath)
        assert relpath in listing
        assert listing.regular_stamp(relpath) == (
            cache.stamp(st)
            if relpath.endswith((".yaml", ".tmp", ".txt", ".YAML")) and not (root / relpath).is_symlink()
            else None
        )
    assert "meetings/nowhere.yaml" not in listing and listing.regular_stamp("meetings/nowhere.yaml") is None
    # the same stamps in the files' order, packed as the snapshot keeps them (None: not a plain file)
    packed = struct.Struct("=qqqq")
    assert listing.packed_stamps() == [
        None if (now := listing.regular_stamp(relpath)) is None else packed.pack(*now) for relpath, _kind in expected
    ]
    assert sum(stamp is None for stamp in listing.packed_stamps()) == 4  # three links and a folder
    # what each of the three links points to is stamped too (a dangling one as nothing)
    assert len(listing.followed) == 3 * files.STAMP.size


def test_a_knowledge_base_that_is_gone_lists_nothing(tmp_path):
    assert files.discover(tmp_path / "nowhere") == []
    assert cache.Listing(tmp_path / "nowhere").files == []


MEETING = "meetings/2024-07-13-naqvi-blome.yaml"


def _same_size_and_mtime(path: Path, old: str, new: str) -> None:
    """Rewrite ``path`` with ``old`` replaced by ``new`` (as long), its mtime put back."""
    assert len(old) == len(new)
    before = path.stat()
    path.write_text(path.read_text().replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


def _edit(root: Path, path: str) -> None:
    _same_size_and_mtime(root / path, "counter-narcotics]", "counter-narcoticz]")


def _add(root: Path) -> None:
    text = (root / MEETING).read_text().replace("2024-07-13-naqvi-blome", "2024-07-14-naqvi-blome")
    (root / "meetings/2024-07-14-naqvi-blome.yaml").write_text(text.replace("counter-narcotics]", "extraditio]"))


def _rename(root: Path) -> None:
    (root / MEETING).rename(root / "meetings/2024-07-13-naqvi-blome-2.yaml")


def _into_a_link(root: Path) -> None:
    # the same size, mtime and content as a file elsewhere in the knowledge base: only the lstat tells
    drafts = root / "drafts"
    drafts.mkdir()
    (drafts / "meeting.yaml").write_text(
        (root / MEETING).read_text().replace("counter-narcotics]", "counter-narcoticz]")
    )
    (root / MEETING).unlink()
    (root / MEETING).symlink_to("../drafts/meeting.yaml")


def _link_target_edited(root: Path) -> None:
    _edit(root, "drafts/meeting.yaml")


def _linked(root: Path) -> None:
    drafts = root / "drafts"
    drafts.mkdir()
    (root / MEETING).rename(drafts / "meeting.yaml")
    (root / MEETING).symlink_to("../drafts/meeting.yaml")
    past = time.time() - 3600
    os.utime(root / MEETING, (past, past), follow_symlinks=False)  # the link itself settled (settle() follows it)


CHANGES = {
    "edited, same size and mtime": (None, lambda root: _edit(root, MEETING)),
    "added": (None, _add),
    "removed": (None, lambda root: (root / "people/donald-blome.yaml").unlink()),
    "renamed": (None, _rename),
    "turned into a link": (None, _into_a_link),
    "a link's target edited, same size and mtime": (_linked, _link_target_edited),
}


@pytest.mark.parametrize("change", CHANGES)
def test_the_check_cache_sees_every_change_a_full_check_sees(make_kb, change):
    root = make_kb()
    before, after = CHANGES[change]
    if before:
        before(root)
    settle(root)
    loads = []

    def load(listing=None):
        loads.append(1)
        return loader.load(root, listing=listing)

    first = runner.run_cached(root, load, today=DAY)
    assert runner.run_cached(root, load, today=DAY) == first and len(loads) == 1  # answered from check.bin
    after(root)
    changed = runner.run_cached(root, load, today=DAY)
    assert len(loads) == 2
    kb = loader.load(root, use_cache=False)
    assert changed == (runner.run(kb), kb.files_read)
    assert changed != first


def test_findings_of_files_changed_within_the_racy_window_are_not_kept(make_kb):
    root = make_kb()
    _linked(root)
    settle(root)
    target = root / "drafts/meeting.yaml"
    now = time.time()
    os.utime(target, (now, now))  # what a link points to has just changed
    assert not cache.CheckCache(root, DAY.isoformat()).settled
    runner.run_cached(root, lambda listing=None: loader.load(root, listing=listing), today=DAY)
    assert not (root / ".kb-cache" / "check.bin").exists()
    past = now - 3600
    os.utime(target, (past, past))
    assert cache.CheckCache(root, DAY.isoformat()).settled
    runner.run_cached(root, lambda listing=None: loader.load(root, listing=listing), today=DAY)
    assert (root / ".kb-cache" / "check.bin").exists()
