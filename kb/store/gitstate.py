"""The state of a knowledge base's files as git knows it, for the check cache's key: asking git
which files changed costs less than listing and stat'ing every file in Python (git keeps the
stat data of every tracked file in its index and compares it in C).

The state is the index's entry for every record file (its blob id: the content git last saw,
verified by git against the file's stat data, and by its content when that data is racy) and,
for every file git reports as differing from the index (modified, deleted, untracked, ignored),
its own lstat. Any two moments with the same state have record files of the same content.

None (the caller then stats every file) whenever git's answer could be stale or incomplete: not
a git work tree, git missing or failing, a file marked assume-unchanged or skip-worktree (git
then does not look at it), a link or a submodule among the record files (git does not follow
either), a folder git reports whole (a nested repository).
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

from kb.store.atomic import digest

# What `kb check` reads at the root of a knowledge base (kb.store.files.walk): its files and folders.
PATHSPECS = ("kb.yaml", "topics.yaml", "decisions.yaml", "meetings", "people", "orgs")
_GIT = ("git", "-c", "core.fsmonitor=false", "-c", "core.quotepath=false")


class State:
    """What git says of the record files: ``key`` digests it; ``newest`` is the latest mtime of
    the files it stamped (those git did not vouch for) and of git's index."""

    def __init__(self, key: bytes, newest: int):
        self.key = key
        self.newest = newest


def top_of(root: Path) -> Path | None:
    """The work tree holding ``root`` (the folder with ``.git``), found without running git."""
    folder = Path(os.path.abspath(root))
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
    return None


def state(root: Path) -> State | None:
    """The state of the record files under ``root``, or None when git cannot vouch for it."""
    top = top_of(root)
    if top is None:
        return None
    try:
        status = _start(
            root, "status", "--porcelain=v1", "-z", "--no-renames", "--untracked-files=all", "--ignored=matching"
        )
        index = _start(root, "ls-files", "-s", "-v", "-z")
        index_out, _ = index.communicate()
        status_out, _ = status.communicate()
    except OSError:  # no git
        return None
    if index.returncode or status.returncode:
        return None
    if not _index_is_plain(index_out):
        return None
    stamps = _stamps(top, status_out)
    if stamps is None:
        return None
    packed, newest = stamps
    written = _index_written(top)
    if written is None:
        return None
    return State(digest(b"\0\0".join((index_out, status_out, packed))), max(newest, written))


def _index_written(top: Path) -> int | None:
    """When git last wrote its index (nanoseconds). git compares a file's stat data with the
    index's to the second (unless built with USE_NSEC): a file rewritten with its size kept and
    its mtime set back, within the second its entry was written, looks unchanged to git. So an
    answer given within the racy window of an index write is not kept (State.newest)."""
    dot_git = top / ".git"
    try:
        if dot_git.is_file():  # a linked work tree: "gitdir: PATH"
            line = dot_git.read_text(encoding="utf-8").strip()
            if not line.startswith("gitdir:"):
                return None
            folder = Path(line[len("gitdir:") :].strip())
            dot_git = folder if folder.is_absolute() else top / folder
        return os.stat(dot_git / "index").st_mtime_ns
    except FileNotFoundError:
        return -1  # no index yet: nothing tracked
    except (OSError, UnicodeDecodeError):
        return None


def _start(root: Path, *args: str) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env["GIT_OPTIONAL_LOCKS"] = "0"  # never wait on, nor take, the index lock for a refresh
    return subprocess.Popen(
        [*_GIT, *args, "--", *PATHSPECS],
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _index_is_plain(listing: bytes) -> bool:
    """Every entry of `git ls-files -s -v -z` tagged H (tracked, neither assume-unchanged nor
    skip-worktree), at stage 0 (no conflict), a plain file (mode 100644 or 100755)."""
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        tag, _, rest = entry.partition(b" ")
        mode, _, rest = rest.partition(b" ")
        stage = rest[41:42]
        if tag != b"H" or mode not in (b"100644", b"100755") or stage != b"0":
            return False
    return True


def _stamps(top: Path, status: bytes) -> tuple[bytes, int] | None:
    """The lstat of every file `git status` lists (relative to the work tree's top), packed, and
    the newest mtime; None when one is a link or a folder."""
    parts = []
    newest = -1
    for entry in status.split(b"\0"):
        if len(entry) < 4:
            continue  # the terminator
        path = os.fsdecode(entry[3:])
        if path.endswith("/"):
            return None
        try:
            st = os.lstat(top / path)
        except FileNotFoundError:
            parts.append(entry + b"\0gone")
            continue
        except OSError:
            return None
        if stat.S_ISLNK(st.st_mode) or stat.S_ISDIR(st.st_mode):
            return None
        newest = max(newest, st.st_mtime_ns)
        parts.append(entry + b"\0%d %d %d %d %d" % (st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return b"\0".join(parts), newest
