"""Read every record file: from the cache when unchanged, else parsed and validated, on every
core when there are many (parsing is pure CPU work, one file independent of the next).

Workers send their results back as marshal bytes, the cache's own encoding: cheaper to make and
to read than pickles of the result objects, and stored in the cache as they come.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path

from kb.store import cache
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
) -> list:
    """The FileResult of every (relpath, kind), in the order given. ``listing`` holds the files'
    stat results when they were just taken (by the check cache); they are not taken again."""
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
    wanted = [files[i] for i in todo]
    if parallel is None:
        parallel = len(wanted) >= PARALLEL_THRESHOLD and _cores() > 1
    compress = len(files) >= LARGE
    with _progress_bar(len(wanted), progress) as advance:
        entries = _read_parallel(root, wanted, advance, compress) if parallel else None
        if entries is None:
            entries = []
            for start in range(0, len(wanted), CHUNK):
                entries += marshal.loads(read_chunk(root, wanted[start : start + CHUNK], compress))
                advance(len(wanted[start : start + CHUNK]))
    for index, entry in zip(todo, entries, strict=True):
        relpath = files[index][0]
        results[index] = cache.decode(relpath, entry)
        if store is not None:
            store.put(relpath, entry)
    if store is not None:
        store.save({relpath for relpath, _kind in files})
    return results


def read_chunk(root: Path, files: list[tuple[str, str]], compress: bool = False) -> bytes:
    """Read and validate some files; their cache entries, marshalled (run in a worker process)."""
    from kb.store.files import read_file_stamped

    entries = []
    for relpath, kind in files:
        result, st, raw_digest = read_file_stamped(root, relpath, kind)
        entries.append(cache.encode(result, st, raw_digest, compress))
    return marshal.dumps(entries)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _read_parallel(root: Path, files: list[tuple[str, str]], advance, compress: bool) -> list | None:
    """The entries read by a pool of worker processes, or None when no pool can be had (the
    caller then reads them itself)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from kb.store import schemas

    if "fork" not in multiprocessing.get_all_start_methods():
        return None  # spawning fresh interpreters costs more than reading on one core saves
    for kind in schemas.KINDS:
        schemas._fast_validator(kind)  # compiled once here, inherited by every forked worker
    chunks = [files[start : start + CHUNK] for start in range(0, len(files), CHUNK)]
    done: list = [None] * len(chunks)
    try:
        with ProcessPoolExecutor(
            max_workers=min(_cores(), len(chunks)), mp_context=multiprocessing.get_context("fork")
        ) as pool:
            # map, not as_completed: it lets go of each chunk's marshalled bytes once they are
            # taken, where as_completed keeps every future, and so every result, to the end (a
            # quarter of a gigabyte at 100,000 hub meetings).
            bodies = pool.map(read_chunk, [root] * len(chunks), chunks, [compress] * len(chunks))
            for number, body in enumerate(bodies):
                done[number] = marshal.loads(body)
                advance(len(chunks[number]))
    except (OSError, BrokenProcessPool):
        return None
    return [entry for chunk in done for entry in chunk]


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
