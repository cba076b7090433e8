"""The per-user secret that authenticates kb's cache files.

The cache lives in the knowledge base (``.kb-cache/``), where anyone who can push to its
repository can plant files. Every cache file therefore carries a keyed BLAKE2b MAC over its
content, made with a 32-byte key that never leaves the user's own cache folder
(``$XDG_CACHE_HOME/kb/cache-key``, else ``~/.cache/kb/cache-key``; mode 0600). A planted, forged,
copied or damaged file fails the MAC and is ignored before a byte of it is decoded. When the key
cannot be had (no home folder, a read-only one, a key file that is not the user's own plain
file), the cache is simply not used.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path

KEY_BYTES = 32
MAC_BYTES = 32
_KEY: list = []  # the key, once read in this process (None when there is none)


def key_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kb" / "cache-key"


def user_key() -> bytes | None:
    """The key, made on first use; None when it cannot be read or made safely."""
    if not _KEY:
        _KEY.append(_load_or_make(key_path()))
    return _KEY[0]


def forget() -> None:
    """Read the key again on next use (tests that point XDG_CACHE_HOME elsewhere)."""
    _KEY.clear()


def read_plain(path: Path, limit: int, accept=lambda st: True) -> bytes | None:
    """At most ``limit`` + 1 bytes of ``path`` when it is a plain file (never through a link, never
    blocking on a FIFO or device) whose stat ``accept`` admits; None otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(descriptor)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit or not accept(st):
            return None
        with os.fdopen(os.dup(descriptor), "rb") as handle:
            # Asked for its own size (and a byte more, to see growth), not the limit: a read of
            # the limit allocates that much first, which costs more than reading a shard.
            return handle.read(min(limit, st.st_size) + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def _own_secret(st: os.stat_result) -> bool:
    """This user's file, readable by nobody else (else it is no secret)."""
    return not hasattr(os, "getuid") or (st.st_uid == os.getuid() and not st.st_mode & 0o077)


def _read(path: Path) -> bytes | None:
    key = read_plain(path, KEY_BYTES, _own_secret)
    return key if key is not None and len(key) == KEY_BYTES else None


def _load_or_make(path: Path) -> bytes | None:
    key = _read(path)
    if key is not None:
        return key
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        return _read(path)  # another run made it meanwhile (or it is unusable: no cache)
    except OSError:
        return None
    try:
        os.write(descriptor, os.urandom(KEY_BYTES))
        os.fsync(descriptor)
    except OSError:
        os.close(descriptor)
        try:
            os.unlink(path)
        except OSError:
            pass
        return None
    os.close(descriptor)
    return _read(path)


def mac(key: bytes, *parts: bytes | memoryview) -> bytes:
    h = hashlib.blake2b(key=key, digest_size=MAC_BYTES)
    for part in parts:
        h.update(part)
    return h.digest()


def verify(key: bytes, expected: bytes, *parts: bytes | memoryview) -> bool:
    return hmac.compare_digest(expected, mac(key, *parts))
