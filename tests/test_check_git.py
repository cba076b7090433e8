"""A warm `kb check` in a git work tree asks git which files changed (kb.store.gitstate) instead
of stat'ing every file; every change git could miss or hide makes it stat them as before, and no
change is ever answered from a stale cache."""

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kb.checks import runner
from kb.store import gitstate, loader

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_check_codes import M

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

DAY = dt.date(2030, 1, 1)
NEW = "meetings/2024-08-01-naqvi-ghost.yaml"
NEW_MEETING = """\
id: 2024-08-01-naqvi-ghost
title: A meeting with someone unknown
date: 2024-08-01
status: held
participants:
  - person: mohsin-naqvi
    side: PK
  - person: nobody-known
    side: US
sources:
  - url: https://example.org/ghost
"""


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.email=kb@example.org", "-c", "user.name=kb", *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def settle(root: Path) -> None:
    """Age every file past the racy window, as files are in a real checkout, and git's index (a
    check within the window of its last write is not kept: kb.store.gitstate)."""
    past = time.time() - 3600
    for path in [*root.rglob("*.yaml"), *(folder / ".git" / "index" for folder in (root, root.parent))]:
        if path.exists():
            os.utime(path, (past, past))


def test_an_answer_just_after_git_wrote_its_index_is_not_kept(repo_kb):
    git(repo_kb, "update-index", "--really-refresh")
    os.utime(repo_kb / ".git" / "index")  # written now
    assert check(repo_kb)[1] and check(repo_kb)[1]  # read again: nothing was kept
    settle(repo_kb)
    assert check(repo_kb)[1] and not check(repo_kb)[1]


@pytest.fixture
def repo_kb(make_kb) -> Path:
    root = make_kb()
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "records")
    settle(root)
    return root


def check(root: Path) -> tuple[list, bool]:
    """The findings of a cached check, and whether it had to read the records (a miss)."""
    loads = []

    def load(listing=None):
        loads.append(1)
        return loader.load(root, listing=listing)

    findings, _read = runner.run_cached(root, load, today=DAY)
    return findings, bool(loads)


def full(root: Path) -> list:
    return runner.run(loader.load(root, use_cache=False))


def seen(root: Path) -> list:
    """After a change: the cached check reads again and finds what a full check finds."""
    findings, missed = check(root)
    assert missed
    assert findings == full(root)
    return findings


def warm(root: Path) -> None:
    check(root)
    settle(root)
    check(root)
    assert not check(root)[1]  # answered from the check cache


def test_a_work_tree_is_answered_by_git(repo_kb):
    assert gitstate.state(repo_kb) is not None
    warm(repo_kb)


def test_an_untracked_new_file_is_seen(repo_kb):
    warm(repo_kb)
    (repo_kb / NEW).write_text(NEW_MEETING, encoding="utf-8")
    found = seen(repo_kb)
    assert any(f.code == "KB400" and f.path == NEW for f in found)


def test_an_ignored_new_file_is_seen(repo_kb):
    (repo_kb / ".gitignore").write_text("*ghost*\n", encoding="utf-8")
    warm(repo_kb)
    (repo_kb / NEW).write_text(NEW_MEETING, encoding="utf-8")
    assert any(f.path == NEW for f in seen(repo_kb))


def test_an_edit_not_staged_is_seen_even_with_the_same_size_and_time(repo_kb):
    warm(repo_kb)
    path = repo_kb / M
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("person: donald-blome", "person: donald-blomx"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert any(f.code == "KB400" for f in seen(repo_kb))
    # A second edit of a file git already reports as modified is seen too (by its own stat).
    warm(repo_kb)
    path.write_text(text.replace("person: donald-blome", "person: donald-blomy"), encoding="utf-8")
    assert any("donald-blomy" in f.message for f in seen(repo_kb))


def test_a_staged_edit_and_a_removal_are_seen(repo_kb):
    warm(repo_kb)
    path = repo_kb / M
    path.write_text(path.read_text(encoding="utf-8").replace("status: held", "status: planned"), encoding="utf-8")
    git(repo_kb, "add", M)
    seen(repo_kb)
    warm(repo_kb)
    path.unlink()
    seen(repo_kb)


def test_a_checkout_that_changes_head_is_seen(repo_kb):
    git(repo_kb, "checkout", "-q", "-b", "other")
    (repo_kb / NEW).write_text(NEW_MEETING, encoding="utf-8")
    git(repo_kb, "add", "-A")
    git(repo_kb, "commit", "-qm", "a ghost")
    settle(repo_kb)
    warm(repo_kb)
    git(repo_kb, "checkout", "-q", "-")
    assert not any(f.path == NEW for f in seen(repo_kb))
    warm(repo_kb)
    git(repo_kb, "checkout", "-q", "other")
    assert any(f.path == NEW for f in seen(repo_kb))


def test_files_git_does_not_look_at_are_stat_ed(repo_kb):
    """assume-unchanged: git would not see the edit; kb stats every file instead."""
    git(repo_kb, "update-index", "--assume-unchanged", M)
    assert gitstate.state(repo_kb) is None
    warm(repo_kb)
    path = repo_kb / M
    path.write_text(path.read_text(encoding="utf-8").replace("status: held", "status: planned"), encoding="utf-8")
    seen(repo_kb)


def test_a_link_among_the_records_is_stat_ed(repo_kb):
    (repo_kb / "meetings" / "link.yaml").symlink_to(repo_kb / M)
    assert gitstate.state(repo_kb) is None
    git(repo_kb, "add", "-A")
    assert gitstate.state(repo_kb) is None


def test_a_knowledge_base_in_a_folder_of_a_repository(tmp_path, make_kb):
    root = make_kb()
    top = root.parent
    git(top, "init", "-q")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "records")
    settle(root)
    assert gitstate.state(root) is not None
    warm(root)
    (root / NEW).write_text(NEW_MEETING, encoding="utf-8")
    seen(root)
    warm(root)
    path = root / M
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    seen(root)


def test_without_git_or_a_repository_every_file_is_stat_ed(repo_kb, monkeypatch):
    shutil.rmtree(repo_kb / ".git")
    assert gitstate.state(repo_kb) is None
    git(repo_kb, "init", "-q")
    monkeypatch.setenv("PATH", "")
    assert gitstate.state(repo_kb) is None  # git missing
    warm(repo_kb)
    (repo_kb / NEW).write_text(NEW_MEETING, encoding="utf-8")
    seen(repo_kb)


def test_the_same_findings_from_git_and_from_stat(repo_kb, monkeypatch):
    (repo_kb / NEW).write_text(NEW_MEETING, encoding="utf-8")
    from_git, _ = check(repo_kb)
    monkeypatch.setattr(gitstate, "state", lambda root: None)
    from_stat, missed = check(repo_kb)
    assert missed  # another key: the stat'ed one
    assert from_git == from_stat == full(repo_kb)
