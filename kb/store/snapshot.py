"""A snapshot of the whole knowledge base, kept with the record cache, so that a command that shows
a few meetings decodes only those.

The record cache (kb.store.cache) keeps each file's entry in one of 32 shards, each authenticated
whole: a command reading any record reads and checks every shard (43 MB at 10,000 rich meetings).
The snapshot keeps the same entries in two parts:

* ``snapshot.bin``, sealed with the user's key like every cache file: each file's stamp, content
  hash, kind, findings and data, but for a valid meeting only its id, its head
  (kb.model.records.Meeting) packed, decoded when the meeting is first read, and where its data
  lies: a file of blobs, an offset, a length and the blob's hash. The entries are kept column by
  column (all stamps in one string of bytes: when none moved, one comparison says so), and beside
  them the meeting files that name each person (as written), so that a brief finds a person's
  meetings without decoding every head;
* ``blobs-<token>.bin``: the meetings' data, written once and never changed. A blob is read with
  one ``pread`` when its meeting is decoded and is used only when its hash is the one the sealed
  index names; otherwise the meeting file is read again (and refused when it changed meanwhile).

After an edit only the files whose stamp moved are read again: their blobs go to a new, small
blob file and their entries to ``snapshot-delta.bin``, sealed the same way, which names the
``snapshot.bin`` it was written over (a token) and is laid over its columns when read: a few
entries written, not every file's. The index is written whole again, and the delta removed, when a
file is added or removed or the delta grows past MAX_DELTA entries; the blob files are rewritten
as one when more than half of their bytes belong to no file any more, or when there are many of
them.

Like the rest of the cache, nothing here is trusted: the files are opened without following
links or blocking, the index is decoded only when its seal holds, and a blob only when its hash
does. An index that is not a plain file, or is not kb's (its seal fails), is refused, said once
(``problem``) and written again.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import marshal
import os
import re
import stat
import struct
import time
from itertools import repeat
from pathlib import Path

from kb.errors import KBError
from kb.model.findings import Finding
from kb.model.positions import Positions
from kb.model.records import Meeting, pack_data, pack_head, unpack_head
from kb.store import cache, cachekey
from kb.store.atomic import digest
from kb.store.files import FileResult

NAME = "snapshot.bin"
DELTA = "snapshot-delta.bin"  # the entries changed since snapshot.bin was written whole
MAX_DELTA = 256  # entries a delta holds at most; past it the snapshot is written whole again
MAGIC = b"kb-snapshot\n"
FORMAT = 4  # bump when an entry's layout changes (2: the head names stored copies; 3: columns, heads packed; 4: heads packed without references)
BLOBS = re.compile(r"blobs-[0-9a-f]{16}\.bin")
SPILLING = re.compile(r"\.blobs-[0-9a-f]{16}\.bin\.[^/]*\.tmp")  # a Spill's blob file, not yet named
MAX_BLOB_FILES = 8
_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)

# An entry: (stamp, content hash, racy, kind, data, head, findings, blob, id, date) with the stamp
# packed as the record cache packs it; ``data`` is None, ``head`` packed (kb.model.records.pack_head)
# and ``blob`` (file number, offset, length, hash) set for a valid meeting, with its id and its date
# as written; ``head``, ``blob``, ``id`` and ``date`` None for every other file.
_STAMP = struct.Struct("=qqqq")
_COLUMNS = 9  # the fields of an entry besides its stamp
SKIPPED = object()  # a file left out of a partial read


class SnapshotError(KBError):
    """A meeting's blob could not be had: its file changed while kb read it."""


class BlobRef:
    """Where a meeting's data lies; read by kb.model.records.unpack_data when first decoded."""

    __slots__ = ("blobs", "length", "number", "offset", "relpath", "sum")

    def __init__(self, blobs: Blobs, relpath: str, number: int, offset: int, length: int, sum_: bytes):
        self.blobs = blobs
        self.relpath = relpath
        self.number = number
        self.offset = offset
        self.length = length
        self.sum = sum_

    def read(self) -> bytes:
        return self.blobs.read(self)

    def again(self) -> bytes:
        """The blob made from the meeting file itself, when it still holds what was read."""
        return self.blobs._read_again(self.relpath)

    def __len__(self) -> int:
        return self.length

    def __reduce__(self):  # a copy sent to another process carries the bytes themselves
        return (bytes, (self.read(),))


class Blobs:
    """The blob files a snapshot names, each opened the first time one of its blobs is read."""

    def __init__(self, root: Path, folder: Path, names: list[str]):
        self.root = root
        self.folder = folder
        self.names = names
        self.descriptors: dict[int, int | None] = {}
        self.digests: dict[str, bytes] = {}  # relpath -> the content hash its blob was made from

    def _descriptor(self, number: int) -> int | None:
        if number not in self.descriptors:
            descriptor = None
            try:
                descriptor = os.open(self.folder / self.names[number], _FLAGS)
                if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                    os.close(descriptor)
                    descriptor = None
            except (OSError, IndexError):
                descriptor = None
            self.descriptors[number] = descriptor
        return self.descriptors[number]

    def read(self, ref: BlobRef) -> bytes:
        descriptor = self._descriptor(ref.number)
        if descriptor is not None:
            try:
                raw = os.pread(descriptor, ref.length, ref.offset)
            except OSError:
                raw = b""
            if len(raw) == ref.length and digest(raw) == ref.sum:
                return raw
        return ref.again()

    def _read_again(self, relpath: str) -> bytes:
        """The blob made from the meeting file itself, when it still holds what was indexed."""
        from kb.store.files import read_file_stamped

        result, _st, raw_digest = read_file_stamped(self.root, relpath, "meeting")
        if raw_digest != self.digests.get(relpath) or not result.valid or result.data is None:
            raise SnapshotError(f"{relpath} changed while kb was reading it; run the command again")
        return pack_data(result.data)

    def close(self) -> None:
        for descriptor in self.descriptors.values():
            if descriptor is not None:
                os.close(descriptor)
        self.descriptors.clear()

    def __del__(self) -> None:  # the last record reading from these files is gone
        self.close()


class PositionsRef(BlobRef):
    """Where a file's packed positions lie in a spill (see Spill); read when a position is asked for."""

    __slots__ = ("kind",)

    def __init__(self, blobs: Blobs, relpath: str, kind: str, offset: int, length: int, sum_: bytes):
        super().__init__(blobs, relpath, 0, offset, length, sum_)
        self.kind = kind

    def again(self) -> bytes:
        """The positions of the file as it is (as kb.store.cache.PositionShards gives them when
        its shard lost them)."""
        from kb.store.files import read_file_stamped

        result, _st, _digest = read_file_stamped(self.blobs.root, self.relpath, self.kind)
        return result.positions.blob if isinstance(result.positions, Positions) else b""


class Spill:
    """Where a whole read puts each valid meeting's data and positions as its chunk comes back, so
    that no process holds them all (reading.read_all's ``spill``): the data go to a new blob file,
    the snapshot's once it is saved (``finish``), the positions to a scratch file that has no
    name (removed as soon as made, read through its descriptor, gone with the last reference).
    Both are read back through the descriptors they were written with, each blob checked
    against its hash, as the snapshot's blobs are."""

    def __init__(self, root: Path, folder: Path):
        import tempfile

        self.name = f"blobs-{os.urandom(8).hex()}.bin"
        self.folder = folder
        self.finished = False
        self.ends = [0, 0]  # where the next blob goes in each file
        self.broken = False
        self.data, self.temporary = tempfile.mkstemp(prefix=f".{self.name}.", suffix=".tmp", dir=folder)
        self.blobs = Blobs(root, folder, [self.name])  # closes the descriptors when the last reference goes
        self.blobs.descriptors[0] = self.data
        try:
            self.positions, temporary = tempfile.mkstemp(prefix=".positions.", suffix=".tmp", dir=folder)
        except OSError:
            self.discard()
            raise
        self.scratch = Blobs(root, folder, [""])
        self.scratch.descriptors[0] = self.positions
        os.unlink(temporary)

    @classmethod
    def open(cls, root: Path) -> Spill | None:
        """A spill in the cache folder of ``root``; None when nothing may be written there."""
        folder = cache.cache_folder(root)
        if cachekey.user_key() is None or folder is None:
            return None
        try:
            return cls(root, folder)
        except OSError:
            return None

    def put(self, items: list[tuple[str, str, bytes | None, bytes, bytes]]) -> list | None:
        """Write (relpath, kind, content hash, data blob, positions) of each item; the references
        (BlobRef, PositionsRef) to each, or None when they could not be written."""
        if self.broken:
            return None
        refs, data, positions = [], [], []
        starts = list(self.ends)
        for relpath, kind, raw_digest, blob, packed in items:
            self.blobs.digests[relpath] = raw_digest  # type: ignore[assignment]
            data_ref = BlobRef(self.blobs, relpath, 0, starts[0], len(blob), digest(blob))
            positions_ref = PositionsRef(self.scratch, relpath, kind, starts[1], len(packed), digest(packed))
            refs.append((data_ref, positions_ref))
            data.append(blob)
            positions.append(packed)
            starts[0] += len(blob)
            starts[1] += len(packed)
        try:
            _write_at(self.data, b"".join(data), self.ends[0])
            _write_at(self.positions, b"".join(positions), self.ends[1])
        except OSError:
            self.broken = True  # a full disk: the rest is kept in memory, as without a spill
            return None
        self.ends = starts
        return refs

    def finish(self) -> str:
        """Give the blob file its name (the snapshot names it next); OSError if it cannot be. Its
        time is set to now first: another run sweeps blob files no snapshot names once a minute old."""
        os.utime(self.data)
        os.replace(self.temporary, self.folder / self.name)
        self.finished = True
        return self.name

    def discard(self) -> None:
        """Remove the blob file unless it was named (its blobs are still read through its descriptor)."""
        if not self.finished:
            with contextlib.suppress(OSError):
                os.unlink(self.temporary)


def _write_at(descriptor: int, raw: bytes, offset: int) -> None:
    view = memoryview(raw)
    while view:
        written = os.pwrite(descriptor, view, offset)
        view, offset = view[written:], offset + written


class Snapshot:
    """The snapshot of the knowledge base at ``root``, as last written (empty when there is none,
    or it is stale or refused: ``problem`` then says why, when the user should know)."""

    def __init__(self, root: Path):
        self.root = root
        self.folder = root / cache.FOLDER
        self.key = cache.fingerprint(root)
        self.header = MAGIC + str(FORMAT).encode() + b"\n" + self.key + b"\n"
        self._entries: dict[str, tuple] | None = {}
        # The entries as read, column by column, until ``entries`` is first asked for.
        self._columns: tuple[list[str], bytes, list[list]] | None = None
        self._digests: dict[str, bytes] | None = None  # relpath -> content hash (``digest_of``)
        # The digest of the walk of the files (cache.Listing.digest) the entries were last made
        # from, when every file walked has its entry (``same_walk``).
        self.walk: bytes | None = None
        # Each person id as written in a meeting -> the files of the valid meetings naming it.
        self.people: dict[str, list[str]] = {}
        # The files, stamps and kinds as read, while no entry has changed (``unchanged``).
        self.loaded: tuple[list[str], bytes, list[str], list[bool]] | None = None
        self.names: list[str] = []
        self.problem: str | None = None
        self.changed = False
        # What snapshot.bin was written with (``token``), the entries of the delta read over its
        # columns (``overlay``), the files whose entry changed since (``touched``), and whether a
        # file was added or removed since (then it is written whole).
        self.token: bytes | None = None
        self.overlay: dict[str, tuple] = {}
        self.touched: set[str] = set()
        self.reshaped = False
        self.shards: cache.PositionShards | None = None
        self.blobs = Blobs(root, self.folder, self.names)

    @classmethod
    def open(cls, root: Path) -> Snapshot:
        snapshot = cls(root)
        snapshot._read()
        return snapshot

    def _read(self) -> None:
        if cachekey.user_key() is None or cache.folder_problem(self.root):
            return
        path = self.folder / NAME
        try:
            st = os.lstat(path)
        except OSError:
            return  # none yet
        if not stat.S_ISREG(st.st_mode):
            self.problem = f"{cache.FOLDER}/{NAME} is not a plain file; it was ignored and kb's snapshot rebuilt"
            return
        raw = cachekey.read_plain(path, cache.MAX_FILE_BYTES)
        if raw is None or not raw.startswith(MAGIC):
            self.problem = f"{cache.FOLDER}/{NAME} is not kb's snapshot; it was ignored and rebuilt"
            return
        if not raw.startswith(self.header):
            return  # written by another version of kb or for another kb.yaml: rebuilt in silence
        key = cachekey.user_key()
        body = cache.unseal(raw, self.header, key) if key is not None else None  # the bytes read above
        read = _columns(body) if body is not None else None
        if read is None:
            self.problem = f"{cache.FOLDER}/{NAME} is damaged or was not written by you; it was ignored and rebuilt"
            return
        self.token, names, relpaths, stamps, columns, self.people, self.walk = read
        self._entries, self._columns = None, (relpaths, stamps, columns)
        self.loaded = (relpaths, stamps, columns[2], columns[1])
        names = self._read_delta(names)
        self.names = [name for name in names if isinstance(name, str) and BLOBS.fullmatch(name)]
        self.blobs.names = list(self.names)  # what the entries read now point into

    def _read_delta(self, names: list) -> list:
        """Lay the delta written since snapshot.bin over its columns, when it was written over this
        very snapshot.bin (its token) and its seal holds; the blob files then named."""
        path = self.folder / DELTA
        try:
            st = os.lstat(path)
        except OSError:
            return names  # none
        raw = cachekey.read_plain(path, cache.MAX_FILE_BYTES) if stat.S_ISREG(st.st_mode) else None
        key = cachekey.user_key()
        body = cache.unseal(raw, self.header, key) if raw is not None and key is not None else None
        read = _delta(body, self._columns[0]) if body is not None and self._columns is not None else None
        if read is None:
            if raw is None or not raw.startswith(MAGIC) or raw.startswith(self.header):  # not another version's
                self.problem = f"{cache.FOLDER}/{DELTA} is damaged or was not written by you; it was ignored"
            return names
        token, delta_names, overlay, walk = read
        if token != self.token:
            return names  # written over another snapshot.bin: what it holds is looked at again
        relpaths, _stamps, columns = self._columns  # type: ignore[misc]
        for relpath, entry in overlay.items():
            self._move_people(relpath, columns[4][bisect.bisect_left(relpaths, relpath)], entry[5])
        self.overlay, self.walk = overlay, walk
        return delta_names

    @property
    def entries(self) -> dict[str, tuple]:
        """Each file's entry, by its relpath (made from the columns read the first time asked for:
        a command that changes nothing never makes them)."""
        if self._entries is None:
            assert self._columns is not None
            relpaths, stamps, columns = self._columns
            size = _STAMP.size
            split = [stamps[start : start + size] for start in range(0, len(stamps), size)]
            self._entries = dict(zip(relpaths, zip(split, *columns, strict=True), strict=True))
            self._entries.update(self.overlay)
            self._columns = None
        return self._entries

    def __len__(self) -> int:
        return len(self._columns[0]) if self._entries is None and self._columns is not None else len(self.entries)

    def get(self, relpath: str, kind: str, packed: bytes, meetings: set[str] | None = None):
        """The FileResult of the file from the snapshot, or None when it must be read; SKIPPED for
        an unchanged valid meeting whose id is not among ``meetings`` (when given). ``packed``:
        the file's stamp (size, mtime, ctime, inode) as the entries hold it (cache.Listing.packed_stamps)."""
        entry = self.entries.get(relpath)
        if entry is None:
            return None
        try:
            known_stamp, known_digest, racy, entry_kind = entry[:4]
            if entry_kind != kind:
                return None
            if known_stamp != packed or racy:
                now = _STAMP.unpack(packed)
                if _STAMP.unpack(known_stamp)[0] != now[0] or not self._same_content(relpath, known_digest):
                    return None
                still_racy = _racy(now[1])
                if known_stamp != packed or not still_racy:  # else written again once it has aged
                    self.entries[relpath] = (packed, known_digest, still_racy, *entry[3:])
                    self.touched.add(relpath)
                    self.changed = True
                    self.loaded = None
            return self._made(relpath, entry, meetings)
        except (TypeError, ValueError, OSError, struct.error, IndexError):
            return None

    def same_walk(self, listing: cache.Listing) -> bool:
        """Whether the listing walked the very files, with the very stamps, that the entries read
        were made from (none of them racy, no link among them): one digest of the names and
        stamps compared, no file looked at by itself (then ``results`` gives every file)."""
        if self.walk is None or self._columns is None or self._entries is not None or listing.followed:
            return False
        racy = any(self._columns[2][1]) or any(entry[2] for entry in self.overlay.values())
        return not racy and listing.digest() == self.walk

    def moved(self, files: list[tuple[str, str]], stamps: list[bytes | None]) -> list[int] | None:
        """The numbers of the ``files`` (relpath, kind) whose stamp (``stamps``, as
        cache.Listing.packed_stamps gives them) moved since the snapshot was read, or whose entry
        is racy: those ``get`` must look at; None unless they are the very files of the same kinds
        in the same order as the snapshot holds. The stamps are compared as one string of bytes,
        then block by block where that differs, not one by one."""
        if self.loaded is None or None in stamps:
            return None
        relpaths, kept, kinds, racy = self.loaded
        if not (
            len(relpaths) == len(files)
            and relpaths == [relpath for relpath, _kind in files]
            and kinds == [kind for _relpath, kind in files]
        ):
            return None
        now = b"".join(stamps)  # type: ignore[arg-type]  # no None, as asked above
        moved = [] if now == kept else _differing(now, kept, _STAMP.size)
        if any(racy):
            moved = sorted({*moved, *(number for number, held in enumerate(racy) if held)})
        return moved

    def results(self, files: list[tuple[str, str]] | None, meetings: set[str] | None = None) -> list | None:
        """What ``get`` gives for each of ``files`` whose stamp has not ``moved`` (None: every file,
        when it is the ``same_walk``); None when an entry cannot be used (each is then asked for by
        ``get``)."""
        made = self._made
        try:
            if self._entries is None and self._columns is not None:  # the files are those read, in order
                relpaths, _stamps, columns = self._columns
                rows = zip(relpaths, zip(repeat(None), *columns), strict=False)
                if self.overlay:
                    over = self.overlay.get
                    return [made(relpath, over(relpath, entry), meetings) for relpath, entry in rows]
                return [made(relpath, entry, meetings) for relpath, entry in rows]
            entries = self.entries
            return [made(relpath, entries[relpath], meetings) for relpath, _kind in files or ()]
        except (TypeError, ValueError, OSError, struct.error, IndexError, KeyError):
            return None

    def _made(self, relpath: str, entry: tuple, meetings: set[str] | None):
        blob = entry[7]
        if blob is not None:
            if meetings is not None and entry[8] not in meetings:
                return SKIPPED
            if not entry[6]:
                return self._meeting(relpath, entry, blob)
        return self._result(relpath, entry, blob)

    def _meeting(self, relpath: str, entry: tuple, blob: tuple):
        """The record of a valid meeting without findings, made at once (no FileResult between):
        its data and positions are read when first asked for, its head decoded when first read."""
        _stamp, raw_digest, _racy, kind, _data, head, _findings, _blob, ident, dated = entry
        self.blobs.digests[relpath] = raw_digest
        ref = BlobRef(self.blobs, relpath, *blob)
        load = functools.partial(self._positions().of, relpath, kind, raw_digest)
        positions = Positions(None, None, load)
        return Meeting(kind, relpath, None, positions, blob=ref, head=head, ident=ident, dated=dated)  # type: ignore[arg-type]

    def digest_of(self, relpath: str) -> bytes:
        """The content hash of a file the snapshot holds (of each record it made, ``_meeting``)."""
        if self._digests is None:
            if self._entries is None and self._columns is not None:
                relpaths, _stamps, columns = self._columns
                self._digests = dict(zip(relpaths, columns[0], strict=True))
                self._digests.update((path, entry[1]) for path, entry in self.overlay.items())
            else:
                self._digests = {path: entry[1] for path, entry in self.entries.items()}
        return self._digests[relpath]

    def put(self, relpath: str, entry: tuple | None) -> None:
        """Keep ``entry`` for the file (None: keep none), the people's lists moved with its head."""
        old = self.entries.pop(relpath, None) if entry is None else self.entries.get(relpath)
        if entry is not None:
            self.entries[relpath] = entry
        elif old is None:
            return
        self.changed = True
        self.loaded = None
        self.touched.add(relpath)
        self.reshaped |= old is None or entry is None  # a file added or removed
        self._move_people(relpath, old[5] if old else None, entry[5] if entry else None)

    def _move_people(self, relpath: str, before: bytes | None, after: bytes | None) -> None:
        """The file out of the lists of the people its head named ``before``, into those of ``after``."""
        if before == after:
            return
        for person in _people_of(before):
            held = self.people.get(person)
            if held is not None and relpath in held:
                held.remove(relpath)
                if not held:
                    del self.people[person]
        for person in _people_of(after):
            self.people.setdefault(person, []).append(relpath)

    def clear(self) -> None:
        """Keep no entry (every file is being read again)."""
        self._entries, self._columns = {}, None
        self.people.clear()
        self.loaded = None
        self.overlay = {}
        self.reshaped = True

    def people_kept(self) -> tuple[dict[str, list[str]], set[str]]:
        """The meeting files naming each person (as written), and the files those lists speak for
        (kb.model.records.KnowledgeBase.people_kept)."""
        if self._entries is None and self._columns is not None:
            relpaths, _stamps, columns = self._columns
            covered = {relpath for relpath, head in zip(relpaths, columns[4], strict=True) if head is not None}
            for relpath, entry in self.overlay.items():
                (covered.add if entry[5] is not None else covered.discard)(relpath)
            return self.people, covered
        return self.people, {relpath for relpath, entry in self.entries.items() if entry[5] is not None}

    def _same_content(self, relpath: str, known: bytes) -> bool:
        raw = cachekey.read_plain(self.root / relpath, cache.MAX_FILE_BYTES)
        return raw is not None and digest(raw) == known

    def _result(self, relpath: str, entry: tuple, blob):
        _stamp, raw_digest, _racy, kind, data, head, findings, _blob, ident, _dated = entry
        found = [Finding(*f) for f in findings] if findings else []
        # Positions are read from their shard the first time one is asked for.
        load = functools.partial(self._positions().of, relpath, kind, raw_digest)
        if blob is not None:
            number, offset, length, sum_ = blob
            self.blobs.digests[relpath] = raw_digest
            ref = BlobRef(self.blobs, relpath, number, offset, length, sum_)
            positions = Positions(None, None, load)
            result = FileResult(relpath, kind, None, positions, found, raw_digest, blob=ref, head=head, ident=ident)  # type: ignore[arg-type]
            positions.owner = result
            return result
        return FileResult(relpath, kind, data, Positions(data, None, load), found, raw_digest)

    def save(
        self, present: set[str], placed: list[tuple[str, bytes]], spill: Spill | None = None, walk: bytes | None = None
    ) -> None:
        """Write the snapshot when anything changed, ``placed`` the blobs of the meetings just read
        (or, for a whole read, ``spill`` the blob file they were written to, which then replaces
        every other); entries of files that are gone are dropped. ``walk``: the digest of the
        listing the entries were made from, kept when every file has its entry. Best effort,
        like the record cache."""
        gone = [relpath for relpath in self.entries if relpath not in present]
        for relpath in gone:
            self.put(relpath, None)
        self.walk = walk if len(self.entries) == len(present) else None
        if not (self.changed or gone or placed or spill) or cachekey.user_key() is None:
            return
        if cache.cache_folder(self.root) is None:
            return
        try:
            if spill is not None:
                self.names = [spill.finish()]
            if self._crowded():
                placed = self._live_blobs() + placed
            if placed:
                self._write_blobs(placed)
            self._write()
            self._sweep()
        except (OSError, ValueError, SnapshotError):
            return
        self.changed = False

    def _write(self) -> None:
        """Write the entries changed since snapshot.bin was written whole as a delta over it, when
        they are few and no file was added or removed; else snapshot.bin whole (the delta then
        gone: it names the snapshot.bin it was written over)."""
        changed = self.overlay.keys() | self.touched
        if self.token is not None and not self.reshaped and len(changed) <= MAX_DELTA:
            entries = self.entries
            delta = {relpath: entries[relpath] for relpath in sorted(changed)}
            cache.write_sealed(
                self.folder / DELTA, self.header, marshal.dumps((self.token, self.names, delta, self.walk))
            )
            return
        self.token = os.urandom(8)
        cache.write_sealed(self.folder / NAME, self.header, self._body())
        self.overlay, self.touched, self.reshaped = {}, set(), False
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.folder / DELTA)

    def _body(self) -> bytes:
        """The entries column by column in the order of their files (``_columns`` reads them), the
        people's lists and the walk beside them."""
        relpaths = list(self.entries)
        if relpaths != sorted(relpaths):  # a file added since: in its place, as listings give them
            self._entries = dict(sorted(self.entries.items()))
        values = list(self.entries.values())
        columns = (
            [list(column) for column in zip(*values, strict=True)][1:] if values else [[] for _ in range(_COLUMNS)]
        )
        stamps = b"".join(entry[0] for entry in values)
        return marshal.dumps((self.token, self.names, list(self.entries), stamps, columns, self.people, self.walk))

    def _crowded(self) -> bool:
        """Whether the blob files are to be written again as one: too many of them, one missing, or
        more than half of their bytes belonging to no file any more."""
        if len(self.names) >= MAX_BLOB_FILES:
            return True
        live = sum(entry[7][2] for entry in self.entries.values() if entry[7] is not None)
        total = 0
        for name in self.names:
            try:
                total += os.lstat(self.folder / name).st_size
            except OSError:
                return True
        return total - live > live

    def _live_blobs(self) -> list[tuple[str, bytes]]:
        """Every blob still named, read (and checked) before the files holding them go."""
        live = []
        for relpath, entry in self.entries.items():
            if entry[7] is not None:
                number, offset, length, sum_ = entry[7]
                self.blobs.digests[relpath] = entry[1]
                live.append((relpath, BlobRef(self.blobs, relpath, number, offset, length, sum_).read()))
        for number in range(len(self.blobs.names)):
            self.blobs._descriptor(number)  # kept open: this run's records still read from them
        self.names = []
        return live

    def _write_blobs(self, placed: list[tuple[str, bytes]]) -> None:
        """A new blob file of ``placed``, written blob by blob (never joined in memory: a few
        hundred megabytes at 100,000 meetings) under a temporary name, then renamed."""
        import tempfile

        name = f"blobs-{os.urandom(8).hex()}.bin"
        number, offset = len(self.names), 0
        descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                for relpath, blob in placed:
                    handle.write(blob)
                    entry = self.entries[relpath]
                    self.entries[relpath] = (*entry[:7], (number, offset, len(blob), digest(blob)), *entry[8:])
                    self.touched.add(relpath)
                    offset += len(blob)
            os.replace(temporary, self.folder / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        self.names.append(name)

    def _sweep(self) -> None:
        """Remove blob files no snapshot names, once old enough that no other run of kb is between
        writing one and naming it."""
        keep = set(self.names)
        now = time.time()
        for entry in os.scandir(self.folder):
            if BLOBS.fullmatch(entry.name) and entry.name not in keep:
                age = 60
            elif SPILLING.fullmatch(entry.name):
                age = 3600  # a spill being written is written to every few seconds: its run was killed
            else:
                continue
            try:
                if now - entry.stat(follow_symlinks=False).st_mtime > age:
                    os.unlink(entry.path)
            except OSError:
                pass

    def _positions(self) -> cache.PositionShards:
        if self.shards is None:
            self.shards = cache.PositionShards(self.root, self.folder, self.key)
        return self.shards


def _columns(body) -> tuple | None:
    """(blob file names, relpaths, stamps, the other columns, the people's lists, the walk) of a
    snapshot's body (authenticated), or None when it is not one."""
    try:
        token, names, relpaths, stamps, columns, people, walk = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return None
    if not (
        isinstance(token, bytes)
        and isinstance(names, list)
        and isinstance(relpaths, list)
        and isinstance(stamps, bytes)
        and len(stamps) == len(relpaths) * _STAMP.size
        and isinstance(columns, list)
        and len(columns) == _COLUMNS
        and all(isinstance(column, list) and len(column) == len(relpaths) for column in columns)
        and isinstance(people, dict)
        and (walk is None or isinstance(walk, bytes))
    ):
        return None
    return token, names, relpaths, stamps, columns, people, walk


def _delta(body, relpaths: list[str]) -> tuple | None:
    """(the token of the snapshot.bin it was written over, blob file names, relpath -> entry, the
    walk) of a delta's body (authenticated), or None when it is not one, or names a file the
    columns (``relpaths``, sorted) do not hold."""
    try:
        token, names, delta, walk = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return None
    if not (
        isinstance(token, bytes)
        and isinstance(names, list)
        and isinstance(delta, dict)
        and (walk is None or isinstance(walk, bytes))
        and all(isinstance(entry, tuple) and len(entry) == _COLUMNS + 1 for entry in delta.values())
        and all(_holds(relpaths, relpath) for relpath in delta)
    ):
        return None
    return token, names, delta, walk


def _holds(relpaths: list[str], relpath) -> bool:
    """Whether the sorted ``relpaths`` hold ``relpath``."""
    at = bisect.bisect_left(relpaths, relpath) if isinstance(relpath, str) else len(relpaths)
    return at < len(relpaths) and relpaths[at] == relpath


def _people_of(packed: bytes | None) -> set[str]:
    """The people a valid meeting names (ids as written), from its packed head."""
    if packed is None:
        return set()
    return Meeting.people_in(unpack_head(packed))


def _racy(mtime_ns: int) -> bool:
    return time.time_ns() - mtime_ns < cache.RACY_NS


def _entry(result, now: tuple[int, int, int, int], spill: Spill | None = None) -> tuple[tuple, bytes | None]:
    """The snapshot entry of a file just read (its blob apart, to be placed, unless it is in
    ``spill`` already), from its stamp when listed: if it changed between the listing and the
    reading, its stamp no longer matches and its content hash decides the next time."""
    findings = tuple((f.path, f.line, f.column, f.severity, f.code, f.message, f.hint) for f in result.findings)
    data, head, blob = result.data if result.blob is None else None, result.head, None
    ref = result.blob
    if spill is not None and type(ref) is BlobRef and ref.blobs is spill.blobs:
        where = (0, ref.offset, ref.length, ref.sum)  # the spill is the snapshot's first blob file
        packed, ident, dated = _packed(head)
        return (
            _STAMP.pack(*now),
            result.digest,
            _racy(now[1]),
            result.kind,
            None,
            packed,
            findings,
            where,
            ident,
            dated,
        ), None
    if result.blob is not None:
        blob = result.blob if type(result.blob) is bytes else result.blob.read()
    elif result.kind == "meeting" and result.valid:
        data, head, blob = None, Meeting.head_of(result.data), pack_data(result.data)
    packed, ident, dated = _packed(head)
    entry = (_STAMP.pack(*now), result.digest, _racy(now[1]), result.kind, data, packed, findings, None, ident, dated)
    return entry, blob


def _packed(head: tuple | bytes | None) -> tuple[bytes | None, str | None, str | None]:
    """A head packed as the snapshot keeps it, and the meeting's id and date as written (the
    head's first two fields: what the meetings are sorted by, read without decoding the head)."""
    if head is None:
        return None, None, None
    if isinstance(head, bytes):
        head = unpack_head(head)
    return pack_head(head), head[0], head[1]


def _differing(now: bytes, kept: bytes, size: int, block: int = 64) -> list[int]:
    """The numbers of the ``size``-byte records that differ between ``now`` and ``kept`` (of the
    same length), compared a block of records at a time."""
    found = []
    step = size * block
    for start in range(0, len(now), step):
        if now[start : start + step] != kept[start : start + step]:
            for offset in range(start, min(start + step, len(now)), size):
                if now[offset : offset + size] != kept[offset : offset + size]:
                    found.append(offset // size)
    return found


def _looked_up(
    snapshot: Snapshot, files: list[tuple[str, str]], stamps: list, meetings: set[str] | None
) -> tuple[list, list[int]]:
    """What the snapshot holds of each file (None where it must be read), and the numbers of those:
    when the files are those it holds, each one whose stamp has not moved as it is, the others
    looked at by ``get``; else each looked at."""
    get = snapshot.get
    moved = snapshot.moved(files, stamps)
    results = snapshot.results(files, meetings) if moved is not None else None
    if results is not None:
        todo = []
        for index in moved:  # type: ignore[union-attr]  # racy, or stamped anew
            relpath, kind = files[index]
            results[index] = get(relpath, kind, stamps[index], meetings)
            if results[index] is None:
                todo.append(index)
        return results, todo
    results = [None] * len(files)
    todo = []
    for index, ((relpath, kind), packed) in enumerate(zip(files, stamps, strict=True)):
        hit = get(relpath, kind, packed, meetings) if packed is not None else None
        if hit is None:
            todo.append(index)
        results[index] = hit
    return results, todo


def _unchanged(snapshot: Snapshot, listing: cache.Listing, meetings: set[str] | None) -> list | None:
    """Every file's result when the listing walked what the snapshot was made from (nothing to
    read, nothing to write, not a file looked at by itself); else None."""
    ready = snapshot.results(None, meetings) if snapshot.same_walk(listing) else None
    return None if ready is None else [result for result in ready if result is not SKIPPED]


def read_all(
    root: Path, listing: cache.Listing, *, parallel: bool | None = None, progress=None, meetings: set[str] | None = None
):
    """The FileResult of every file the listing holds, in its sorted order, and the snapshot they
    were read with (brought up to date and written when anything changed). Files whose stamp moved
    are read again; when the snapshot is missing (or many files changed) everything is read as
    before, through the record cache, and the snapshot made from it. ``meetings``: only the valid
    meetings of these ids are given (every other file is), when the snapshot has them."""
    from kb.store import reading

    snapshot = Snapshot.open(root)
    ready = _unchanged(snapshot, listing, meetings)
    if ready is not None:
        return ready, snapshot
    files = listing.files
    stamps = listing.packed_stamps()
    results, todo = _looked_up(snapshot, files, stamps, meetings)
    if not todo and not snapshot.changed and len(snapshot) == len(files):  # nothing to read, nor to write
        return [result for result in results if result is not SKIPPED], snapshot
    spill = None
    if todo and (not len(snapshot) or len(todo) >= reading.PARALLEL_THRESHOLD):
        # A large knowledge base's meetings go to disk as they are read (below, holding them costs
        # less than writing and reading them back).
        spill = Spill.open(root) if len(files) >= reading.LARGE else None
        try:
            results = reading.read_all(root, files, parallel=parallel, progress=progress, listing=listing, spill=spill)
        except BaseException:
            if spill is not None:
                spill.discard()
            raise
        todo = list(range(len(files)))
        snapshot.clear()
    elif todo:
        fresh = reading.read_all(
            root, [files[i] for i in todo], use_cache=False, parallel=False, progress=False, stored_schemas=True
        )
        for index, result in zip(todo, fresh, strict=True):
            results[index] = result
    placed: list[tuple[str, bytes]] = []
    for index in todo:
        relpath = files[index][0]
        now = listing.regular_stamp(relpath)
        if now is None or results[index].digest is None:
            # Not a plain file: never kept (and read again each time, as without the snapshot).
            snapshot.put(relpath, None)
            continue
        entry, blob = _entry(results[index], now, spill)
        snapshot.put(relpath, entry)
        if blob is not None:
            placed.append((relpath, blob))
    try:
        walk = listing.digest() if not listing.followed else None
        snapshot.save({relpath for relpath, _kind in files}, placed, spill, walk)
    finally:
        if spill is not None:
            spill.discard()
    return [result for result in results if result is not SKIPPED], snapshot
