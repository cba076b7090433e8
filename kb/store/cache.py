"""A cache of what reading each record file produced, so that unchanged files are not read again.

black's cache is the model. Each file's entry is keyed on its size, mtime and ctime (to the
nanosecond) and inode; when those moved but the content hash did not (a touched, checked-out or
copied file), it is still a hit. The ctime cannot be set back by a program, so an edit that keeps
size and mtime is still seen. What is
cached is the whole FileResult of reading and schema-validating the file: its data, the
positions of its values and its findings, so an error in an unchanged file is still reported.

The cache lives in ``.kb-cache/`` at the knowledge base root, in shards chosen by a hash of the
file path: after one edit only that file's shard is written again. The positions of each file's
values (more bytes than its data, and wanted only where a finding is reported) are kept in shards
of their own, ``positions-NN.bin``, read the first time a finding of that shard asks for one.
Every shard starts with a fingerprint of what the entries depend on (kb's version and the stamps of its source files, the
Python version whose marshal format stores them, the schemas, kb.yaml); a shard with another
fingerprint, or one that is truncated or not a cache at all, is ignored and rebuilt. Shards are
replaced atomically, so two runs at once never see half a shard: the last writer wins, and both
runs are right either way.

The folder is in the knowledge base, so its content is never trusted: every cache file is sealed
with a MAC made with the user's own key (kb.store.cachekey), checked before a byte is decoded; it
is opened without following links or blocking and read only when it is a plain file of bounded
size; a ``.kb-cache`` that is a link or not a folder is neither read nor written (and reported).
"""

from __future__ import annotations

import marshal
import os
import stat
import struct
import sys
import time
import zlib
from collections.abc import Sequence
from pathlib import Path

from kb import __version__
from kb.model.findings import Finding
from kb.model.positions import Positions
from kb.store import cachekey
from kb.store.atomic import digest

FOLDER = ".kb-cache"
FORMAT = 5  # bump when the layout of an entry changes (3: positions in shards of their own; 4: meetings' data as blobs; 5: the head names stored copies)
MAX_FILE_BYTES = 256 * 1024 * 1024  # no cache file of a real knowledge base comes near it
SHARDS = 32
MAGIC = b"kb-cache\n"
POSITIONS_MAGIC = b"kb-positions\n"
# A file modified within this window of being read may be modified again within the same mtime
# tick, unseen; its entry is checked against the content hash until it has aged ("racy git").
RACY_NS = 2_000_000_000


PACKAGE = Path(__file__).resolve().parent.parent  # the whole kb package, not only store/
CODE_SUFFIXES = (".py", ".json")  # kb's code and its schemas


def code_stamp(package: Path = PACKAGE) -> str:
    """The stamp of kb's code (``_code_stamp``), taken once in a process for kb's own package: the
    code a process runs is the code it imported, and every cache file's key asks for it."""
    if package != PACKAGE:
        return _code_stamp(package)
    global _OWN_STAMP
    if _OWN_STAMP is None:
        _OWN_STAMP = _code_stamp(package)
    return _OWN_STAMP


_OWN_STAMP: str | None = None


def _code_stamp(package: Path) -> str:
    """A digest of the name, size and mtime of every source and schema file of kb: a change to
    kb's code without a new version number (an editable install, a developer's checkout) still
    voids the cache. Stamps, not contents: a stat of each of some eighty files takes a
    millisecond, reading them would take more."""
    stamps = []
    folders = [os.fspath(package)]
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__" and not entry.name.startswith("."):
                    folders.append(entry.path)
            elif entry.name.endswith(CODE_SUFFIXES):
                try:
                    st = entry.stat()
                except OSError:
                    continue
                stamps.append((os.path.relpath(entry.path, package), st.st_size, st.st_mtime_ns))
    return digest(marshal.dumps((sorted(stamps), _library_stamps()))).hex()


# Libraries whose data or behaviour shows in findings: the ISO country list (KB403) and the
# fuzzy matcher behind every "did you mean".
_FINDING_LIBRARIES = ("pycountry", "rapidfuzz")


def _library_stamps() -> list:
    """The installed distributions of those libraries, named by their dist-info folders (which
    carry the version), found without importing them."""
    import importlib.util

    stamps: list[tuple] = []
    for name in _FINDING_LIBRARIES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin:
            continue
        site = os.path.dirname(os.path.dirname(spec.origin))
        try:
            infos = [
                entry for entry in os.listdir(site) if entry.startswith(f"{name}-") and entry.endswith(".dist-info")
            ]
        except OSError:
            continue
        stamps.extend((name, info) for info in sorted(infos))
    return stamps


def fingerprint(root: Path) -> bytes:
    """What every entry depends on besides its own file."""
    from kb.store import schemas

    try:
        config = (root / "kb.yaml").read_bytes()
    except OSError:
        config = b""
    parts = [
        str(FORMAT),
        __version__,
        code_stamp(),
        sys.version,
        str(marshal.version),
        schemas.fingerprint(),
        digest(config).hex(),
    ]
    return digest("\0".join(parts).encode("utf-8")).hex().encode("ascii")


def folder_problem(root: Path) -> str | None:
    """Why ``.kb-cache`` at ``root`` must not be used, or None (it is a real folder, or absent)."""
    try:
        st = os.lstat(os.path.join(root, FOLDER))
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot be examined ({error.strerror})"
    if stat.S_ISLNK(st.st_mode):
        return "is a symbolic link; kb's cache is neither read nor written through it"
    if not stat.S_ISDIR(st.st_mode):
        return "is not a folder; kb's cache is not used"
    return None


def folder_note(root: Path) -> str | None:
    """What every command that would read the cache says when ``.kb-cache`` at ``root`` must not
    be used (folder_problem, with what to do), or None. Said through kb.cli.Context.warn_cache."""
    problem = folder_problem(root)
    if problem is None:
        return None
    return f"{FOLDER} {problem}; delete it (`rm {FOLDER}`); kb makes its own cache folder, which git ignores"


IGNORE_TEXT = "# kb's cache of parsed records; safe to delete\n*\n"


def cache_folder(root: Path, create: bool = True) -> Path | None:
    """The cache folder of the knowledge base at ``root``, made (with a .gitignore naming
    everything in it) when ``create`` and absent; None when it must not be used: a link (it would
    lead out of the knowledge base), not a folder, or not makeable. Every command that keeps
    anything in the cache asks here first, so none reads or writes through a planted link."""
    from kb.store import atomic

    folder = Path(root) / FOLDER
    if folder_problem(root):
        return None
    if not create:
        return folder if os.path.isdir(folder) else None
    try:
        folder.mkdir(exist_ok=True)
        if folder_problem(root):  # made a link between the check and the mkdir
            return None
        ignore = folder / ".gitignore"
        if not os.path.lexists(ignore):
            # The folder ignores itself, in knowledge bases whose .gitignore does not name it.
            atomic.write_text(ignore, IGNORE_TEXT)
    except OSError:
        return None
    return folder


def read_sealed(path: Path, header: bytes) -> memoryview | None:
    """The body of a cache file, when it is a plain file starting with ``header`` whose MAC (made
    with the user's key) holds; else None. Never follows a link, never blocks on a FIFO or device,
    never reads more than MAX_FILE_BYTES."""
    key = cachekey.user_key()
    if key is None or folder_problem(path.parent.parent):
        return None
    raw = cachekey.read_plain(path, MAX_FILE_BYTES)
    return None if raw is None else unseal(raw, header, key)


def unseal(raw: bytes, header: bytes, key: bytes) -> memoryview | None:
    """The body of the bytes of a cache file (read as read_sealed reads them) when they start
    with ``header`` and their MAC holds; else None."""
    start = len(header) + cachekey.MAC_BYTES
    if len(raw) > MAX_FILE_BYTES or len(raw) < start or not raw.startswith(header):
        return None
    body = memoryview(raw)[start:]
    if not cachekey.verify(key, raw[len(header) : start], header, body):
        return None
    return body


def sealed_problem(path: Path, header: bytes) -> str | None:
    """Why read_sealed refused ``path``, when the user should know: a link or anything but a plain
    file, or a file of this kind that is damaged or sealed with another key. None when it is
    absent, of another kb's version (rebuilt without a word), or no cache is used."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot be examined ({error.strerror})"
    if not stat.S_ISREG(st.st_mode):
        return "is not a plain file"
    if cachekey.user_key() is None or folder_problem(path.parent.parent):
        return None
    head = cachekey.read_plain(path, MAX_FILE_BYTES)
    if head is not None and not head.startswith(header):
        return None
    return "is damaged or was not written by you"


def write_sealed(path: Path, header: bytes, body: bytes | Sequence[bytes]) -> bool:
    """Write a cache file sealed with the user's key; False when there is no key or the folder
    must not be used. OSError as atomic.write_bytes raises it. ``body`` may be given in parts,
    sealed and written one after the other, never joined in memory (read_sealed reads them as
    one body)."""
    from kb.store import atomic

    key = cachekey.user_key()
    if key is None or cache_folder(path.parent.parent) is None:
        return False
    parts = (body,) if isinstance(body, (bytes, bytearray, memoryview)) else tuple(body)
    atomic.write_bytes(path, (header + cachekey.mac(key, header, *parts), *parts), durable=False)
    return True


# An entry, as stored and as sent back by a worker process: (stamp, digest, racy, kind, data,
# positions as kb.model.positions packs them, head, findings as tuples); the stamp is (size,
# mtime_ns, ctime_ns, inode), packed (one bytes object loads faster than four numbers). A valid meeting's data is a blob (kb.model.records.pack_data) with
# its head beside it (Meeting.head_of), so that a command decodes only the meetings it reads;
# other files' data is kept as it is, and their head is None. In a records shard the positions
# are None: they are in the positions shard of the same number, as relpath -> (digest, positions).
ENTRY_LENGTH = 8
POSITIONS = 5


def stamp(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


_STAMP = struct.Struct("=qqqq")


def _racy(st: os.stat_result) -> bool:
    return time.time_ns() - st.st_mtime_ns < RACY_NS


def encode(result, st: os.stat_result | None, raw_digest: bytes | None, compress: bool = False) -> tuple:
    """The entry of a file just read. ``compress``: meetings' data and every file's positions are
    compressed (a large knowledge base: they are held in memory for the whole run)."""
    from kb.model import positions
    from kb.model.records import Meeting, pack_data

    blob = result.positions.blob if isinstance(result.positions, Positions) else b""
    data, head = result.data, None
    if result.kind == "meeting" and result.valid:
        data, head = pack_data(result.data, compress), Meeting.head_of(result.data)
    if compress:
        blob = positions.compress(blob)
    return (
        _STAMP.pack(*stamp(st)) if st else None,
        raw_digest,
        st is not None and _racy(st),
        result.kind,
        data,
        blob,
        head,
        tuple((f.path, f.line, f.column, f.severity, f.code, f.message, f.hint) for f in result.findings),
    )


def decode(relpath: str, entry: tuple, load=None):
    """The FileResult of an entry; ``load`` gives its positions when the entry does not hold them."""
    from kb.store.files import FileResult

    _stamp, raw_digest, _racy, kind, data, blob, head, findings = entry
    found = [Finding(*f) for f in findings] if findings else []
    if blob is not None and type(blob) is not bytes:  # written elsewhere (kb.store.snapshot.Spill): read when asked
        load, blob = blob.read, None
    if head is not None:  # a valid meeting: its data is a blob (or a reference to one), decoded when read
        positions = Positions(None, blob, load)
        lazy = FileResult(relpath, kind, None, positions, found, raw_digest, blob=data, head=head)
        positions.owner = lazy  # until a record takes the data over
        return lazy
    return FileResult(relpath, kind, data, Positions(data, blob, load), found, raw_digest)


def shard_of(relpath: str) -> int:
    return zlib.crc32(relpath.encode("utf-8")) % SHARDS


class PositionShards:
    """The positions shards of a record cache, each read (and authenticated) the first time a
    finding in one of its files asks for a position. Kept apart from the records so that results
    handed out hold on to this alone, not to every entry."""

    def __init__(self, root: Path, folder: Path, key: bytes):
        self.root = root
        self.folder = folder
        self.header = POSITIONS_MAGIC + key + b"\n"
        self.read: dict[int, dict] = {}

    def path(self, number: int) -> Path:
        return self.folder / f"positions-{number:02d}.bin"

    def shard(self, number: int) -> dict:
        if number not in self.read:
            self.read[number] = {}
            try:
                body = read_sealed(self.path(number), self.header)
                shard = marshal.loads(body) if body is not None else None  # authenticated, as the records
            except (EOFError, ValueError, TypeError):
                shard = None
            if isinstance(shard, dict):
                self.read[number] = shard
        return self.read[number]

    def of(self, relpath: str, kind: str, raw_digest: bytes) -> bytes:
        """The packed positions of the file whose content hash is ``raw_digest``: from its
        positions shard, else from reading the file again (a positions shard lost or damaged; if
        the file changed meanwhile, those of the file as it is: a write that relies on them
        checks that the file is still what was read, and refuses)."""
        from kb.store.files import read_file_stamped

        held = self.shard(shard_of(relpath)).get(relpath)
        if isinstance(held, tuple) and len(held) == 2 and held[0] == raw_digest and isinstance(held[1], bytes):
            return held[1]
        result, _st, _digest = read_file_stamped(self.root, relpath, kind)
        return result.positions.blob if isinstance(result.positions, Positions) else b""


def _held_bytes(value):
    """``value``, or the bytes it refers to when it was written elsewhere (kb.store.snapshot.Spill);
    None when those cannot be had any more."""
    if not hasattr(value, "read"):
        return value
    from kb.errors import KBError

    try:
        return value.read()
    except (OSError, KBError):
        return None


class RecordCache:
    def __init__(self, root: Path):
        self.root = root
        self.folder = root / FOLDER
        self.key = fingerprint(root)
        self.shards: list[dict] = [{} for _ in range(SHARDS)]
        self.dirty: set[int] = set()
        self.hits = 0
        self.positions = PositionShards(root, self.folder, self.key)

    @classmethod
    def open(cls, root: Path) -> RecordCache:
        cache = cls(root)
        for number in range(SHARDS):
            cache.shards[number] = cache._read_shard(number)
        return cache

    def _shard_path(self, number: int) -> Path:
        return self.folder / f"records-{number:02d}.bin"

    def _read_shard(self, number: int) -> dict:
        body = read_sealed(self._shard_path(number), MAGIC + self.key + b"\n")
        if body is None:
            self.dirty.add(number)  # absent, foreign, stale, forged or damaged: rewrite it
            return {}
        try:
            shard = marshal.loads(body)  # authenticated: bytes this user's kb wrote
        except (EOFError, ValueError, TypeError):
            self.dirty.add(number)
            return {}
        if not isinstance(shard, dict):
            self.dirty.add(number)
            return {}
        return shard

    def get(self, relpath: str, kind: str, st: os.stat_result | tuple[int, int, int, int]):
        """The cached result for the file, or None when it must be read. ``st`` is the file's
        stat result, or its stamp."""
        number = shard_of(relpath)
        entry = self.shards[number].get(relpath)
        if entry is None:
            return None
        now = stamp(st) if isinstance(st, os.stat_result) else st
        packed = _STAMP.pack(*now)
        try:
            known_stamp, known_digest, racy, entry_kind = entry[:4]
            if entry_kind != kind or len(entry) != ENTRY_LENGTH:
                return None
            if known_stamp != packed or racy:
                if _STAMP.unpack(known_stamp)[0] != now[0]:
                    return None  # another size: another content
                with open(self.root / relpath, "rb") as handle:
                    if digest(handle.read()) != known_digest:
                        return None
                # Same content: a hit. Remember the new stamp so that the hash is not needed again.
                self.shards[number][relpath] = (packed, known_digest, time.time_ns() - now[1] < RACY_NS, *entry[3:])
                self.dirty.add(number)
            load = None
            if entry[POSITIONS] is None:

                def load(relpath=relpath, kind=kind, known_digest=known_digest, shards=self.positions):
                    return shards.of(relpath, kind, known_digest)

            result = decode(relpath, entry, load)
        except (TypeError, ValueError, OSError, struct.error):  # no entry, or one of a shape we did not write
            return None
        self.hits += 1
        return result

    def _split(self, number: int) -> tuple[dict, dict]:
        """Shard ``number`` as written: its entries without their positions, and the positions
        (those read in this run, else those of its positions shard for the same content)."""
        records, positions = {}, {}
        known = None
        for relpath, entry in self.shards[number].items():
            if not isinstance(entry, tuple) or len(entry) != ENTRY_LENGTH:
                records[relpath] = entry  # of a shape we did not write: a miss when next read
                continue
            data, blob = _held_bytes(entry[4]), _held_bytes(entry[POSITIONS])
            if (data is None and entry[4] is not None) or (blob is None and entry[POSITIONS] is not None):
                continue  # written elsewhere and lost meanwhile: a miss when next read
            entry = (*entry[:4], data, *entry[POSITIONS:])
            if blob is None:
                known = self.positions.shard(number) if known is None else known
                held = known.get(relpath)
                if isinstance(held, tuple) and len(held) == 2 and held[0] == entry[1]:
                    positions[relpath] = held
            else:
                positions[relpath] = (entry[1], blob)
            records[relpath] = (*entry[:POSITIONS], None, *entry[POSITIONS + 1 :])
        return records, positions

    def put(self, relpath: str, entry: tuple) -> None:
        if entry[0] is None:  # not a plain file: never cached
            return
        number = shard_of(relpath)
        self.shards[number][relpath] = entry
        self.dirty.add(number)

    def save(self, present: set[str]) -> None:
        """Write the shards that changed, dropping entries of files that are gone; a shard with no
        entries (most of them, in a small knowledge base) is not written, and removed when it was.
        Best effort: a cache that cannot be written (read-only checkout, full disk) only costs speed."""
        for number, shard in enumerate(self.shards):
            gone = [relpath for relpath in shard if relpath not in present]
            for relpath in gone:
                del shard[relpath]
            if gone:
                self.dirty.add(number)
        if not self.dirty or cachekey.user_key() is None or cache_folder(self.root) is None:
            return
        try:
            header = MAGIC + self.key + b"\n"
            for number in sorted(self.dirty):
                records, positions = self._split(number)
                if not self._write(self.positions.path(number), self.positions.header, positions):
                    return
                if not self._write(self._shard_path(number), header, records):
                    return
        except (OSError, ValueError):
            return
        self.dirty.clear()

    def _write(self, path: Path, header: bytes, entries: dict) -> bool:
        """Write one shard sealed, or remove it when it has no entries (an absent shard reads as
        an empty one); False when the folder must not be used."""
        if entries:
            return write_sealed(path, header, marshal.dumps(entries))
        if folder_problem(self.root):
            return False
        path.unlink(missing_ok=True)
        return True


class Listing:
    """The record files of a knowledge base and the lstat of each, taken once in a run by one walk
    of its folders (kb.store.files.walk), each file's stamp packed in one buffer (a stat result
    for each of 100,000 files would hold some 40 MB for the whole run). Where a file is a link,
    what it points to is stamped too: a link's target can change while the link does not."""

    def __init__(self, root: Path):
        from kb.store.files import walk

        self.stamps = bytearray()  # a files.STAMP for each file walked, in the order walked
        self.segments = walk(root, self.stamps)
        self._walked: list[tuple[str, str]] | None = None
        self._sorted: list[tuple[str, str]] | None = None
        self._order: list[int] | None = None
        self._index: dict[str, int] | None = None
        self.followed = self._follow_links(root)  # the STAMP of what each link walked points to

    def _follow_links(self, root: Path) -> bytearray:
        from kb.store.files import NO_STAMP, STAMP

        followed = bytearray()
        with memoryview(self.stamps) as view, view.cast("q") as fields:
            if not any(stat.S_ISLNK(mode) for mode in set(fields[0::5]) if mode >= 0):
                return followed
        base = os.path.join(os.fspath(root), "")
        for number, (relpath, _kind) in enumerate(self.walked):
            mode = STAMP.unpack_from(self.stamps, number * STAMP.size)[0]
            if mode >= 0 and stat.S_ISLNK(mode):
                try:
                    st = os.stat(base + relpath)
                except OSError:
                    followed += NO_STAMP
                else:
                    followed += STAMP.pack(st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        return followed

    @property
    def walked(self) -> list[tuple[str, str]]:
        """(relpath, kind) of every file, in the order walked."""
        if self._walked is None:
            from kb.store.files import files_of

            self._walked = files_of(self.segments)
        return self._walked

    @property
    def files(self) -> list[tuple[str, str]]:
        """(relpath, kind) of every file, sorted, as discover() gives them."""
        if self._sorted is None:
            walked = self.walked
            self._sorted = [walked[number] for number in self._ordered()]
        return self._sorted

    def _ordered(self) -> list[int]:
        """The number of each file walked, in the order of ``files``."""
        if self._order is None:
            walked = self.walked
            self._order = sorted(range(len(walked)), key=walked.__getitem__)
        return self._order

    def packed_stamps(self) -> list[bytes | None]:
        """The stamp of each of ``files``, in their order, packed as kb.store.snapshot keeps it
        (``regular_stamp`` without the tuple: the STAMP without its mode), None where the file
        was not a plain file: one pass over the buffer, no file looked up by its name."""
        from kb.store.files import STAMP

        size, stamps, regular = STAMP.size, bytes(self.stamps), stat.S_ISREG
        with memoryview(self.stamps) as view, view.cast("q") as fields:
            modes = fields[0::5].tolist()
        return [
            stamps[number * size + 8 : (number + 1) * size] if modes[number] >= 0 and regular(modes[number]) else None
            for number in self._ordered()
        ]

    def _where(self) -> dict[str, int]:
        if self._index is None:
            self._index = {relpath: number for number, (relpath, _kind) in enumerate(self.walked)}
        return self._index

    def __contains__(self, relpath: str) -> bool:
        return relpath in self._where()

    def regular_stamp(self, relpath: str) -> tuple[int, int, int, int] | None:
        """The stamp of the file (size, mtime, ctime, inode) when it was a plain file, else None."""
        from kb.store.files import STAMP

        number = self._where().get(relpath)
        if number is None:
            return None
        mode, size, mtime, ctime, inode = STAMP.unpack_from(self.stamps, number * STAMP.size)
        return (size, mtime, ctime, inode) if mode >= 0 and stat.S_ISREG(mode) else None

    def newest(self) -> int:
        """The latest mtime of a file walked or of a link's target (nanoseconds; -1 when none)."""
        newest = -1
        for packed in (self.stamps, self.followed):
            if packed:
                with memoryview(packed) as view, view.cast("q") as fields:
                    newest = max(newest, max(fields[2::5]))
        return newest

    def digest(self, *context: bytes) -> bytes:
        """A digest of the files' names and stamps (and of ``context``): the same while no file of
        the knowledge base has been added, removed, renamed, replaced or written."""
        names = "\0\0".join(f"{prefix}\0{kind}\0" + "\0".join(names) for prefix, kind, names in self.segments)
        parts: list[bytes | bytearray] = [
            *context,
            names.encode("utf-8", "surrogateescape"),
            self.stamps,
            self.followed,
        ]
        lengths = struct.pack(f"={len(parts)}Q", *(len(part) for part in parts))
        return digest(lengths + b"".join(parts))


# The stored copies sources name (kb.store.archives): KB621 reports a copy that is missing.
ARCHIVES = "sources"


def _folder_stamp(root: Path, name: str) -> bytes:
    """The stamp of a folder of the knowledge base, and of what it leads to: it moves when an entry
    is added, removed or renamed in it (what KB621 reads of the stored copies)."""
    stamps = []
    for follow in (False, True):
        try:
            st = os.stat(os.path.join(root, name), follow_symlinks=follow)
        except OSError:
            stamps.append((-1, -1, -1, -1))
        else:
            stamps.append((st.st_mode, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return marshal.dumps(stamps)


def archives_stamp(root: Path) -> bytes:
    """The stamp of the stored copies' folder (``_folder_stamp``): what KB621 reads of it."""
    return _folder_stamp(root, ARCHIVES)


class CheckCache:
    """The findings of the last whole `kb check`, valid while no file has changed since (and the
    day is the same: some checks compare dates with today). A check with nothing changed then
    neither reads records nor runs checks; any change reruns everything, so the findings are
    always those a full run gives."""

    NAME = "check.bin"

    def __init__(self, root: Path, today: str):
        self.root = root
        self.path = root / FOLDER / self.NAME
        now = time.time_ns()
        # The files and their lstat results, handed on to the reading when the findings must be
        # found again, so that it does not list and stat every file a second time.
        self.listing = Listing(root)
        # A file modified within its mtime tick of being listed could change again unseen.
        self.settled = now - self.listing.newest() >= RACY_NS
        self.key = (
            self.listing.digest(fingerprint(root), today.encode("utf-8"), _folder_stamp(root, ARCHIVES))
            .hex()
            .encode("ascii")
        )

    def get(self) -> tuple[list[Finding], int] | None:
        try:
            body = read_sealed(self.path, MAGIC + self.key + b"\n")
            if body is None:
                return None
            findings, files_read = marshal.loads(body)
            return [Finding(*f) for f in findings], files_read
        except (OSError, EOFError, ValueError, TypeError):
            return None

    def put(self, findings: list[Finding], files_read: int) -> None:
        if not self.settled:
            return
        payload = marshal.dumps(
            ([(f.path, f.line, f.column, f.severity, f.code, f.message, f.hint) for f in findings], files_read)
        )
        try:
            write_sealed(self.path, MAGIC + self.key + b"\n", payload)
        except OSError:
            pass


class MeetingFindingsCache:
    """What the per-meeting checks found in each meeting file, keyed on the file's content hash,
    valid while ``key`` (everything else those checks read: the other records, the meeting ids,
    kb itself) is the same. After one meeting is edited only that meeting is checked
    again; the checks that compare meetings with each other still run over all of them. The
    findings of the checks that read the day (``DAY``) are kept with the days they hold for (as
    ordinals, the first and the one after the last): a new day takes them while it is one of those."""

    NAME = "meeting-findings.bin"
    DAY = "meeting-findings-day.bin"  # those of the checks that read the day, with their days
    ALL = "all-findings.bin"  # those of the checks that read everything, under the digest of it all

    def __init__(self, root: Path, key: bytes, name: str = NAME):
        self.path = root / FOLDER / name
        self.key = key
        self.entries: dict = {}
        try:
            body = read_sealed(self.path, MAGIC + key + b"\n")
            if body is not None:
                entries = marshal.loads(body)
                if isinstance(entries, dict):
                    self.entries = entries
        except (OSError, EOFError, ValueError, TypeError):
            pass  # no cache, or a damaged one: everything is checked and the file written again

    def get(self, relpath: str, raw_digest: bytes | None, day: int | None = None) -> Sequence[Finding] | None:
        """The findings kept for the file as it is (and, with ``day``, for that day), else None."""
        entry = self.entries.get(relpath)
        if entry is None:
            return None
        try:
            if raw_digest is None or entry[0] != raw_digest:
                return None
            if day is not None and not (len(entry) == 4 and entry[2] <= day < entry[3]):
                return None
            return [Finding(*f) for f in entry[1]] if entry[1] else ()
        except (TypeError, IndexError, ValueError):
            return None

    def days(self, relpath: str) -> tuple[int, int]:
        """The days the findings kept for a file hold for (after ``get`` found them for a day)."""
        return self.entries[relpath][2], self.entries[relpath][3]

    def save(self, entries: dict[str, tuple]) -> None:
        """Replace the cache with ``entries`` (relpath -> (digest, findings), with the days they hold
        for after them in ``DAY``); best effort. The findings in ``entries`` are replaced by their
        tuples (no second dict of 100,000 entries)."""
        for relpath, (raw_digest, findings, *days) in entries.items():
            if findings:
                entries[relpath] = (
                    raw_digest,
                    tuple((f.path, f.line, f.column, f.severity, f.code, f.message, f.hint) for f in findings),
                    *days,
                )
        try:
            write_sealed(self.path, MAGIC + self.key + b"\n", marshal.dumps(entries))
        except (OSError, ValueError):
            pass
