"""Which record files `kb fmt` has already proved canonical, so that an unchanged file needs no
new proof (black's cache, again).

An entry is a file's kind and the hash of its content, with the size and modification time it had
when the proof was made. A file whose size and time are those recorded (and old enough that an
edit within the same clock tick cannot hide, as in :mod:`kb.store.cache`) is canonical without
being read; one whose time moved is read and hashed, and is canonical if the hash is. Only a
file that `kb fmt` found already canonical, or wrote itself, is recorded. The whole cache is void
when kb, its schemas or Python change (kb.yaml is a record like the others here). It lives in
``.kb-cache/fmt.bin``, replaced atomically and sealed with the user's key like the record cache
(a planted, forged or damaged one is ignored before it is decoded).
"""

from __future__ import annotations

import marshal
import os
import time
from pathlib import Path

from kb.store.cache import FOLDER, RACY_NS, cache_folder, read_sealed, write_sealed
from kb.store.files import digest

MAGIC = b"kb-fmt-cache\n"
FORMAT = 2  # 2: sealed with the user's key


def _key() -> bytes:
    """What a proof depends on besides the file: kb's code and schemas and the Python whose
    marshal format stores the entries (not kb.yaml, which kb fmt may itself rewrite)."""
    import sys

    from kb import __version__
    from kb.store import schemas
    from kb.store.cache import code_stamp

    parts = [str(FORMAT), __version__, code_stamp(), sys.version, str(marshal.version), schemas.fingerprint()]
    return digest("\0".join(parts).encode("utf-8")).hex().encode("ascii")


class FormattedCache:
    NAME = "fmt.bin"

    def __init__(self, root: Path):
        self.path = root / FOLDER / self.NAME
        self.key = _key()
        self.entries: dict[str, tuple[int, int, bytes, str]] = {}
        self.dirty = False
        self.now = time.time_ns()
        try:
            body = read_sealed(self.path, self._header())
            loaded = marshal.loads(body) if body is not None else None  # authenticated: this user's kb wrote it
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, EOFError, ValueError, TypeError):
            self.entries = {}

    def _header(self) -> bytes:
        return MAGIC + self.key + b"\n"

    def canonical(self, relpath: str, path: str | os.PathLike, kind: str, st: os.stat_result | None = None) -> bool:
        """Whether the file is, unchanged, one that was proved canonical (``st``: its stat, when
        the caller just took it)."""
        entry = self.entries.get(relpath)
        if entry is None or entry[3] != kind:
            return False
        try:
            st = st or os.stat(path)
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns) == entry[:2] and self.now - st.st_mtime_ns >= RACY_NS:
            return True
        try:
            with open(path, "rb") as handle:
                raw = handle.read()
        except OSError:
            return False
        if digest(raw) != entry[2]:
            return False
        self.entries[relpath] = (st.st_size, st.st_mtime_ns, entry[2], kind)  # touched, not changed
        self.dirty = True
        return True

    def record(self, relpath: str, path: Path, kind: str) -> None:
        """The file, as it is now, is canonical."""
        try:
            st = os.stat(path)
            raw = path.read_bytes()
        except OSError:
            return
        self.entries[relpath] = (st.st_size, st.st_mtime_ns, digest(raw), kind)
        self.dirty = True

    def save(self) -> None:
        if not self.dirty or cache_folder(self.path.parent.parent) is None:
            return  # nothing new, or a .kb-cache that is a link: never written through
        try:
            write_sealed(self.path, self._header(), marshal.dumps(self.entries))
        except (OSError, ValueError):
            pass
