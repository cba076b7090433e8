"""Read every record file: from the cache when unchanged, else parsed and validated, on every
core when there are many (parsing is pure CPU work, one file independent of the next).

Workers send their results back as marshal bytes, the cache's own encoding: cheaper to make and
to read than pickles of the result objects, and stored in the cache as they come.
"""

from __future__ import annotations

import marshal
import os
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Protocol

from kb.store import cache
from kb.store.atomic import digest
from kb.store.files import regular_stat

# Below this many files to read, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 500
# From this many files on a knowledge base is large: meetings' data and every file's positions
# are kept compressed (in memory for the whole run, and in the cache), about 40 % of their size
# for some 60 microseconds a meeting (compressing when read, decompressing when decoded), and
# checks release each meeting's decoded data once they have gone through it (see the loader).
# Below it the memory is small and the time is not worth it (compressing alone would add about
# 6 % to a cold check of 10,000 meetings).
LARGE = 25_000
CHUNK = 250  # files per task: large enough to amortise the hand-over, small enough to balance
# A progress bar is worth showing when reading takes more than about a second.
PROGRESS_THRESHOLD = 1500


def read_all(
    root: Path,
    files: list[tuple[str, str]],
    *,
    use_cache: bool = True,
    parallel: bool | None = None,
    progress: bool | None = None,
    listing: cache.Listing | None = None,
    spill: Spill | None = None,
    stored_schemas: bool | None = None,
) -> list:
    """The FileResult of every (relpath, kind), in the order given. ``listing`` holds the files'
    stat results when they were just taken (by the check cache); they are not taken again.
    Within ``inspecting(inspector)``, meetings read on every core are also checked there.
    ``spill``: where the valid meetings read get their data written as they come, each result
    then holding a reference to it rather than the bytes (kb.store.snapshot.Spill), and likewise
    for its positions: no process holds every meeting's data. ``stored_schemas``: whether the
    schemas' compiled checks are taken from (and stored in) the cache folder; by default when
    ``use_cache``."""
    store = cache.RecordCache.open(root) if use_cache else None
    results: list = [None] * len(files)
    todo: list[int] = []
    # Joined as strings: building a Path for each of tens of thousands of files costs more than the lstat.
    base = os.path.join(os.fspath(root), "")
    for index, (relpath, kind) in enumerate(files):
        if store is not None:
            st: os.stat_result | tuple | None
            if listing is not None and relpath in listing:
                st = listing.regular_stamp(relpath)
            else:
                st = regular_stat(base + relpath)
            if st is not None and (hit := store.get(relpath, kind, st)) is not None:
                results[index] = hit
                continue
        todo.append(index)
    if todo and (use_cache if stored_schemas is None else stored_schemas):
        load_compiled_schemas(root)
    if parallel is None:
        parallel = len(todo) >= PARALLEL_THRESHOLD and _cores() > 1
    inspector = _INSPECTOR.get() if parallel else None
    reading = _Reading(root, files, results, store, len(files) >= LARGE, spill)
    with _progress_bar(len(todo), progress) as reading.advance:
        if inspector is None:
            reading.read(todo, parallel)
        else:
            # The other files first: the checks of each meeting read them (and the meetings' names).
            first = [index for index in todo if files[index][1] != "meeting"]
            reading.read(first, parallel and len(first) >= PARALLEL_THRESHOLD)
            others = [result for result, (_relpath, kind) in zip(results, files, strict=True) if kind != "meeting"]
            inspector.prepare(root, others, [relpath for relpath, kind in files if kind == "meeting"])
            reading.read([index for index in todo if files[index][1] == "meeting"], True, inspector)
    if store is not None:
        store.save({relpath for relpath, _kind in files})
    return results


SCHEMA_CODE = "schema-code.bin"
_SCHEMA_CODE_MAGIC = b"kb-schema-code 1\n"


def load_compiled_schemas(root: Path) -> None:
    """Validate with the schemas' compiled checks as the first process that read records stored
    them in the cache folder (compiling them costs more than reading and checking the records of
    a small change), else compile them and store them. They are keyed by the schemas' text, kb's
    code and version and Python's, and sealed with the user's key like every cache file: code
    planted or altered there is never run (it is compiled afresh and stored again)."""
    from kb.store import schemas

    if cache.cachekey.user_key() is None:
        return
    path = root / cache.FOLDER / SCHEMA_CODE
    header = _SCHEMA_CODE_MAGIC + schema_code_key() + b"\n"
    try:
        body = cache.read_sealed(path, header)
        if body is not None and schemas.use_codes(marshal.loads(body)):  # authenticated: this user's kb wrote it
            return
    except (OSError, EOFError, ValueError, TypeError):
        pass
    codes = schemas.compiled_codes()
    if cache.cache_folder(root) is not None:
        try:
            cache.write_sealed(path, header, marshal.dumps(codes))
        except (OSError, ValueError):
            pass


def schema_code_key() -> bytes:
    """What the schemas' compiled code depends on: the schemas, kb's code (the compiler) and
    version, and the Python whose bytecode and marshal format it is stored in."""
    import sys
    from importlib.util import MAGIC_NUMBER

    from kb import __version__
    from kb.store import schemas

    parts = [
        __version__,
        cache.code_stamp(),
        sys.version,
        MAGIC_NUMBER.hex(),
        str(marshal.version),
        schemas.fingerprint(),
    ]
    return digest("\0".join(parts).encode("utf-8")).hex().encode("ascii")


class Spill(Protocol):
    """Where valid meetings' data and positions go as they are read (kb.store.snapshot.Spill):
    ``put`` writes a chunk of (relpath, kind, content hash, data blob, positions) and gives, for
    each, references to the two (read again when wanted), or None when it could not write them."""

    def put(self, items: list[tuple[str, str, bytes | None, bytes, bytes]]) -> list | None: ...


class Inspector(Protocol):
    """What checks meetings in the workers that read them (kb.checks.runner.WorkerChecks):
    ``prepare`` runs in the main process once the other files are read, before the workers are
    forked; ``check`` in a worker, on the valid meetings of a chunk just read, giving every one of
    them its findings as tuples; ``found`` gathers those in the main process, by file."""

    found: dict[str, tuple]

    def prepare(self, root: Path, others: list, meeting_files: list[str]) -> None: ...

    def check(self, meetings: list) -> dict[str, tuple]: ...


_INSPECTOR: ContextVar[Inspector | None] = ContextVar("inspector", default=None)
# The inspector of the reading under way, for the worker processes it forks.
_WORKER_INSPECTOR: Inspector | None = None


@contextmanager
def inspecting(inspector: Inspector):
    """Within it, meetings read on every core are checked by ``inspector`` where they are read."""
    token = _INSPECTOR.set(inspector)
    try:
        yield inspector
    finally:
        _INSPECTOR.reset(token)


class _Reading:
    """One read_all: the files it reads go into ``results`` (and the record cache) as they come."""

    def __init__(self, root: Path, files: list[tuple[str, str]], results: list, store, compress: bool, spill=None):
        self.root = root
        self.files = files
        self.results = results
        self.store = store
        self.compress = compress
        self.spill = spill
        self.advance = lambda count: None

    def read(self, todo: list[int], parallel: bool, inspector: Inspector | None = None) -> None:
        """Read the files ``todo`` (indexes), each chunk taken in as it comes back: on the
        workers when ``parallel`` and a pool can be had, the chunks they did not read here."""
        if not todo:
            return
        chunks = [todo[start : start + CHUNK] for start in range(0, len(todo), CHUNK)]
        done: set[int] = set()
        if parallel:
            wanted = [[self.files[i] for i in chunk] for chunk in chunks]
            for number, entries, found in _read_parallel(self.root, wanted, self.compress, inspector):
                self._take(chunks[number], entries)
                if inspector is not None:
                    inspector.found.update(found)
                done.add(number)
        # No pool to be had (or it broke): the rest is read here, and checked by the main process.
        for number, chunk in enumerate(chunks):
            if number not in done:
                self._take(chunk, marshal.loads(read_chunk(self.root, [self.files[i] for i in chunk], self.compress)))

    def _take(self, chunk: list[int], entries: list) -> None:
        if self.spill is not None:
            entries = self._spilled(chunk, entries)
        for index, entry in zip(chunk, entries, strict=True):
            relpath = self.files[index][0]
            self.results[index] = cache.decode(relpath, entry)
            if self.store is not None:
                self.store.put(relpath, entry)
        self.advance(len(chunk))

    def _spilled(self, chunk: list[int], entries: list) -> list:
        """The entries, each valid meeting's data and positions written to the spill and replaced
        by references to them (kept as they are when the spill could not write them)."""
        at = [number for number, entry in enumerate(entries) if entry[6] is not None and type(entry[4]) is bytes]
        if not at:
            return entries
        refs = self.spill.put(
            [(*self.files[chunk[number]], *entries[number][1:2], *entries[number][4:6]) for number in at]
        )
        for number, (data, positions) in zip(at, refs or (), strict=False):
            entries[number] = (*entries[number][:4], data, positions, *entries[number][6:])
        return entries


def read_chunk(root: Path, files: list[tuple[str, str]], compress: bool = False, inspect: bool = False) -> bytes:
    """Read and validate some files; their cache entries, marshalled (run in a worker process).
    With ``inspect``, the entries and the findings of the reading's inspector in its meetings."""
    from kb.store.files import read_file_stamped

    entries = []
    meetings = []
    for relpath, kind in files:
        result, st, raw_digest = read_file_stamped(root, relpath, kind)
        entry = cache.encode(result, st, raw_digest, compress)
        entries.append(entry)
        if inspect and kind == "meeting" and result.valid:
            meetings.append((result, entry[4]))
    if not inspect:
        return marshal.dumps(entries)
    from kb.model.records import Meeting

    assert _WORKER_INSPECTOR is not None  # set before the workers were forked
    records = []
    for result, blob in meetings:
        record = Meeting(result.kind, result.relpath, result.data, result.positions)
        record.blob = blob  # the data as stored: checks may search it rather than walk the data
        records.append(record)
    found = _WORKER_INSPECTOR.check(records)
    for record in records:
        # A meeting's typed views refer back to it; with the collector off (the loader turns it
        # off, and the workers inherit that), each chunk's meetings and data would stay.
        for name in Meeting.VIEWS:
            try:
                delattr(record, name)
            except AttributeError:
                pass
    return marshal.dumps((entries, found))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _read_parallel(root: Path, chunks: list[list[tuple[str, str]]], compress: bool, inspector: Inspector | None = None):
    """(number, entries, findings) of each chunk of files, as a pool of worker processes reads
    them, in order, each with the findings of ``inspector`` in its meetings (empty without
    one). Stops early when no pool can be had or it breaks: the caller reads the rest itself."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from kb.store import schemas

    global _WORKER_INSPECTOR
    if "fork" not in multiprocessing.get_all_start_methods():
        return  # spawning fresh interpreters costs more than reading on one core saves
    for kind in schemas.KINDS:
        schemas._fast_validator(kind)  # compiled once here, inherited by every forked worker
    _WORKER_INSPECTOR = inspector
    try:
        with ProcessPoolExecutor(
            max_workers=max(1, min(_cores(), len(chunks))), mp_context=multiprocessing.get_context("fork")
        ) as pool:
            # map, not as_completed: it lets go of each chunk's marshalled bytes once they are
            # taken, where as_completed keeps every future, and so every result, to the end (a
            # quarter of a gigabyte at 100,000 hub meetings).
            n = len(chunks)
            bodies = pool.map(read_chunk, [root] * n, chunks, [compress] * n, [inspector is not None] * n)
            for number, body in enumerate(bodies):
                entries, found = marshal.loads(body) if inspector is not None else (marshal.loads(body), {})
                del body
                yield number, entries, found
    except (OSError, BrokenProcessPool):
        return
    finally:
        _WORKER_INSPECTOR = None


class _NoBar:
    def __enter__(self):
        return lambda count: None

    def __exit__(self, *exc):
        return False


def _progress_bar(total: int, wanted: bool | None):
    """A bar on stderr while many files are read; only on a terminal, never in CI or a pipe."""
    import sys

    if wanted is None:
        wanted = (
            total >= PROGRESS_THRESHOLD
            and sys.stderr.isatty()
            and not os.environ.get("CI")
            and os.environ.get("TERM") != "dumb"
        )
    if not wanted or total == 0:
        return _NoBar()
    return _Bar(total)


class _Bar:
    def __init__(self, total: int):
        self.total = total

    def __enter__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("reading records"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.progress.start()
        task = self.progress.add_task("read", total=self.total)
        return lambda count: self.progress.advance(task, count)

    def __exit__(self, *exc):
        self.progress.stop()
        return False
