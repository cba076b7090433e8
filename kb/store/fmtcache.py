"""Which record files `kb fmt` has already proved canonical, so that an unchanged file needs no
new proof (black's cache, again).

An entry is a file's kind and the hash of its content, with the size and modification time it had
when the proof was made. A file whose size and time are those recorded (and old enough that an
edit within the same clock tick cannot hide, as in :mod:`kb.store.cache`) is canonical without
being read; one whose time moved is read and hashed, and is canonical if the hash is. Only a
file that `kb fmt` found already canonical, or wrote itself, is recorded. The whole cache is void
when kb, its schemas or Python change (kb.yaml is a record like the others here). It lives in
``.kb-cache/fmt.bin``, replaced atomically; a damaged one is ignored.
"""

from __future__ import annotations

import marshal
import os
import time
from pathlib import Path

from kb.store.cache import FOLDER, RACY_NS
from kb.store.files import digest

MAGIC = b"kb-fmt-cache\n"
FORMAT = 1


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
        try:
            raw = self.path.read_bytes()
            header = MAGIC + self.key + b"\n"
            if raw.startswith(header):
                loaded = marshal.loads(memoryview(raw)[len(header):])
                if isinstance(loaded, dict):
                    self.entries = loaded
        except (OSError, EOFError, ValueError, TypeError):
            self.entries = {}

    def canonical(self, relpath: str, path: Path, kind: str) -> bool:
        """Whether the file is, unchanged, one that was proved canonical."""
        entry = self.entries.get(relpath)
        if entry is None or entry[3] != kind:
            return False
        try:
            st = os.stat(path)
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns) == entry[:2] and time.time_ns() - st.st_mtime_ns >= RACY_NS:
            return True
        try:
            raw = path.read_bytes()
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
        from kb.store import atomic

        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(exist_ok=True)
            ignore = self.path.parent / ".gitignore"
            if not ignore.exists():
                atomic.write_text(ignore, "# kb's cache of parsed records; safe to delete\n*\n")
            atomic.write_bytes(self.path, MAGIC + self.key + b"\n" + marshal.dumps(self.entries), durable=False)
        except OSError:
            pass
