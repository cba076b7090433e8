"""Atomic file writes: a temporary file in the same folder, flushed, then renamed over the target.

A failure at any point leaves the original file as it was; a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from kb.errors import KBError


class FileExists(FileExistsError):
    """Raised when a write that must not overwrite finds the file already there."""


class FileChanged(KBError):
    """The file is no longer what was read: someone saved it meanwhile. Nothing was written."""


def write_text(path: str | os.PathLike, text: str, *, overwrite: bool = True) -> None:
    write_bytes(path, text.encode("utf-8"), overwrite=overwrite)


def write_bytes(path: str | os.PathLike, data: bytes, *, overwrite: bool = True, durable: bool = True,
                unchanged: tuple[os.stat_result, bytes] | None = None) -> None:
    """``durable=False`` skips the fsync: still atomic (a reader sees the old file or the new one),
    but a power cut may lose the new content. Right for caches, which are rebuilt when lost.

    ``unchanged`` is (stat, digest) of the file as it was read: just before the rename the file
    must still be that (size, mtime, inode, content), else FileChanged and nothing is written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not overwrite and path.exists():
        raise FileExists(f"{path} already exists")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            # mkstemp makes 0600 files; a new record gets the permissions any editor would give it.
            os.chmod(temporary, 0o666 & ~_umask())
        if unchanged is not None:
            _still(path, *unchanged)
        if overwrite:
            os.replace(temporary, path)
        else:
            # link() fails if the target appeared meanwhile: no race can overwrite it.
            os.link(temporary, path)
            os.unlink(temporary)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def digest(raw: bytes) -> bytes:
    """The content hash kb keys files on (the cache, the check that a file is unchanged)."""
    return hashlib.blake2b(raw, digest_size=16).digest()


def _still(path: Path, read: os.stat_result, content_digest: bytes) -> None:
    try:
        now = os.stat(path)
        same = (now.st_size, now.st_mtime_ns, now.st_ino) == (read.st_size, read.st_mtime_ns, read.st_ino)
        same = same and digest(path.read_bytes()) == content_digest
    except OSError:
        same = False
    if not same:
        raise FileChanged(f"{path} changed on disk after kb read it (an editor's save?); nothing was written: "
                          "run the command again")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
