"""Atomic file writes: a temporary file in the same folder, flushed, then renamed over the target.

A failure at any point leaves the original file as it was; a reader never sees half a file.
A rewrite of a file kb read (``expect``) checks, just before the rename, that the file is still
what was read (size, modification time, inode and content hash); if an editor saved it, or
another command rewrote it, meanwhile, the new content is not written and ChangedMeanwhile says so.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path


class FileExists(FileExistsError):
    """Raised when a write that must not overwrite finds the file already there."""


class ChangedMeanwhile(Exception):
    """The file is no longer what was read: it was left as it is."""


@dataclass(frozen=True)
class Stamp:
    """What a file was when it was read: compared again just before it is replaced."""

    size: int
    mtime_ns: int
    inode: int
    digest: bytes

    @classmethod
    def read(cls, path: str | os.PathLike) -> tuple[bytes, Stamp]:
        """The file's bytes and its stamp, taken from one open file (so they agree)."""
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            raw = handle.read()
        return raw, cls(len(raw), st.st_mtime_ns, st.st_ino, hashlib.sha256(raw).digest())

    def holds(self, path: str | os.PathLike) -> bool:
        try:
            st = os.lstat(path)
            if (st.st_size, st.st_mtime_ns, st.st_ino) != (self.size, self.mtime_ns, self.inode):
                return False
            with open(path, "rb") as handle:
                return hashlib.sha256(handle.read()).digest() == self.digest
        except OSError:
            return False


def write_text(path: str | os.PathLike, text: str, *, overwrite: bool = True, expect: Stamp | None = None) -> None:
    write_bytes(path, text.encode("utf-8"), overwrite=overwrite, expect=expect)


def write_bytes(
    path: str | os.PathLike,
    data: bytes | Iterable[bytes],
    *,
    overwrite: bool = True,
    durable: bool = True,
    expect: Stamp | None = None,
    unchanged: Callable[[], bool] | None = None,
) -> None:
    """``durable=False`` skips the fsync: still atomic (a reader sees the old file or the new one),
    but a power cut may lose the new content. Right for caches, which are rebuilt when lost.
    ``expect``: the file as it was read; ChangedMeanwhile, and nothing written, when it is not.
    ``data`` may come in parts (a tuple, or made as they are written), written one after the
    other, never joined in memory. ``unchanged``, asked once every part is written: when it says
    so, the file is left as it is (it holds those bytes already)."""
    path = Path(path)
    if not os.path.isdir(path.parent):  # one stat where mkdir would fail and be caught (a site's pages)
        path.parent.mkdir(parents=True, exist_ok=True)
    if not overwrite and path.exists():
        raise FileExists(f"{path} already exists")
    descriptor, temporary = _temporary(path)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            for part in (data,) if isinstance(data, (bytes, bytearray)) else data:
                handle.write(part)
            handle.flush()
            if unchanged is not None and unchanged():
                os.unlink(temporary)
                return
            if durable:
                os.fsync(descriptor)
            try:
                mode = os.stat(path).st_mode & 0o777
            except OSError:
                mode = 0o666 & ~_umask()  # a new record gets the permissions any editor would give it
            os.chmod(descriptor if os.chmod in os.supports_fd else temporary, mode)
        if expect is not None and not expect.holds(path):
            raise ChangedMeanwhile(f"{path} changed after kb read it; it was left as it is")
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


_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_written = iter(range(1 << 62))  # this process's temporary files, numbered


def _temporary(path: Path) -> tuple[int, str]:
    """A new file beside ``path``, readable by its owner alone until it is complete, named as
    kb.store.files knows an interrupted write's (``.NAME.<process>-<number>.tmp``): made
    directly (``tempfile.mkstemp`` draws a random name and loads the module), falling back to
    mkstemp when a file of that name was left by an earlier process of the same number."""
    temporary = os.path.join(path.parent, f".{path.name}.{os.getpid()}-{next(_written)}.tmp")
    try:
        return os.open(temporary, _FLAGS, 0o600), temporary
    except FileExistsError:
        import tempfile

        return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)


def digest(raw: bytes) -> bytes:
    """The content hash kb keys files on (the cache, the check that a file is unchanged)."""
    return hashlib.blake2b(raw, digest_size=16).digest()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
