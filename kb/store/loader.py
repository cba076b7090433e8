"""Find a knowledge base, read its files and build the shared model.

Reading is a pipeline of plain functions: discover files -> read each one (parse, validate
against its schema) -> build the model from the records that passed. A file that fails to
parse or validate contributes its findings and its id (so references to it do not cascade
into 'unknown' findings), but no record.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from kb.model.records import RECORD_TYPES, Config, KnowledgeBase, Record, Topic, freeze_decoded
from kb.store.files import discover

if TYPE_CHECKING:
    from kb.store.snapshot import Snapshot


def build(root: Path, results: list, taken: Snapshot | None = None) -> KnowledgeBase:
    """The model from the files read (each a FileResult, or a valid meeting's record without
    findings made by the snapshot ``taken``). Records that failed to read or validate are left out."""
    config = Config(name=root.name, our_side="ZZ")
    topics: list[Topic] = []
    decisions = None
    records = []
    findings = []
    broken: dict[str, set[str]] = {}
    config_problems = []
    # What each file held, for the incremental check: None where it is not known.
    digests: dict[str, bytes | None] = {}
    for result in results:
        if isinstance(result, Record):
            assert taken is not None
            records.append(result)
            digests[result.relpath] = taken.digest_of(result.relpath)
            continue
        digests[result.relpath] = result.digest
        if result.kind == "config" and not result.valid:
            config_problems = [f for f in result.findings if f.severity == "error"] or [None]
        findings.extend(result.findings)
        if not result.valid:
            if result.kind in RECORD_TYPES:
                stem = result.relpath.rsplit("/", 1)[-1].rsplit(".", 1)[0]
                broken.setdefault(result.kind, set()).add(stem)
                if isinstance(result.data, dict) and isinstance(result.data.get("id"), str):
                    broken[result.kind].add(result.data["id"])
            else:
                broken.setdefault(result.kind, set()).add(result.relpath)
            continue
        if result.blob is not None:  # a meeting from the cache: its data is decoded when read
            records.append(
                RECORD_TYPES[result.kind](
                    result.kind,
                    result.relpath,
                    None,
                    result.positions,
                    blob=result.blob,
                    head=result.head,
                    ident=result.ident,
                )
            )
            continue
        assert result.data is not None  # a valid file holds a mapping
        if result.kind == "config":
            config = Config.from_data(result.data)
        elif result.kind == "topics":
            topics = [
                Topic(t["id"], t["label"], tuple(t.get("synonyms", [])), i) for i, t in enumerate(result.data["topics"])
            ]
        elif result.kind == "decisions":
            decisions = Record(result.kind, result.relpath, result.data, result.positions)
        else:
            records.append(RECORD_TYPES[result.kind](result.kind, result.relpath, result.data, result.positions))
    kb = KnowledgeBase(root, config, records, topics, findings, broken)
    kb.decisions = decisions
    kb.files_read = len(results)
    # Why kb.yaml could not be used (its error findings); its sensitivity settings are then unknown.
    kb.config_problems = config_problems
    kb.digests = digests
    return kb


def read_config(root: Path) -> Config:
    """kb.yaml alone, validated; a KBError (exit 2) saying what is wrong when it cannot be used,
    as its sensitivity settings would then be unknown."""
    from kb.errors import KBError
    from kb.store.files import read_file_stamped

    result, _st, _digest = read_file_stamped(Path(root), "kb.yaml", "config")
    if not result.valid or result.data is None:
        raise KBError(config_refusal([f for f in result.findings if f.severity == "error"] or [None]))
    return Config.from_data(result.data)


def config_refusal(problems) -> str:
    first = problems[0]
    if first is None:
        return "kb.yaml cannot be used; run `kb check kb.yaml`"
    where = f"{first.path}:{first.line}:{first.column}" if first.line else first.path
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    hint = f" ({first.hint})" if first.hint else ""
    return (
        f"{where}: {first.message}{hint}{more} — kb.yaml sets default_sensitivity and brief_audience, "
        "so no record is shown until it is valid; `kb check kb.yaml` lists every problem"
    )


def _read(root: Path, listing, use_cache: bool, parallel, progress, meetings) -> tuple[list, Snapshot | None]:
    """The FileResult of every file, and the snapshot they came through (None without it)."""
    from kb.store import cache, reading

    if use_cache and not cache.folder_problem(root):
        # The snapshot: only the files changed since the last run are read.
        from kb.store import snapshot

        listing = listing if listing is not None else cache.Listing(root)
        return snapshot.read_all(root, listing, parallel=parallel, progress=progress, meetings=meetings)
    files = listing.files if listing is not None else discover(root)
    results = reading.read_all(root, files, use_cache=use_cache, parallel=parallel, progress=progress, listing=listing)
    return results, None


def load(
    root: Path,
    progress=None,
    *,
    use_cache: bool | None = None,
    parallel: bool | None = None,
    listing=None,
    meetings: set[str] | None = None,
) -> KnowledgeBase:
    """Read and build the whole knowledge base at ``root``.

    Unchanged files come from the cache in ``.kb-cache/`` (``use_cache=False``, ``--no-cache`` or
    KB_NO_CACHE=1 turn it off); the others are read on every core when there are many of them
    (``parallel`` forces it on or off). ``progress`` shows a bar while they are read: None shows
    one on a terminal for long runs, True or False always or never. The result is the same in
    every case: the same records and the same findings in the same order. ``listing`` (a
    cache.Listing) gives the files and their stat results when they were just taken.

    ``meetings``: a knowledge base of every record but the meetings, and of those meetings only
    (by id; more when they cannot be told apart without reading them), for a command that shows a
    few meetings and names the people and organisations in them (``kb.partial`` is then True).
    """
    import gc

    from kb.store import cache, reading

    root = Path(root)
    if use_cache is None:
        use_cache = os.environ.get("KB_NO_CACHE", "").lower() in ("", "0", "false", "no")
    collecting = gc.isenabled()
    # Reading builds millions of small objects and frees none: the cycle collector would only
    # walk them again and again (it made reading twice as slow).
    gc.disable()
    try:
        results, taken = _read(root, listing, use_cache, parallel, progress, meetings)
        kb = build(root, results, taken)
        # Trouble with the cache, said by the command (kb.cli.Context.warn_cache): the folder
        # refused (when the cache was wanted), the snapshot refused and rebuilt.
        notes = (cache.folder_note(root) if use_cache else None, taken.problem if taken is not None else None)
        kb.cache_notes = [note for note in notes if note]
        kb.snapshot_loaded = taken is not None and meetings is None
        if taken is not None:
            kb.people_kept = taken.people_kept
        kb.partial = meetings is not None
        kb.use_cache = use_cache  # commands that cache more (compiled templates) follow the same choice
        kb.release_after_use = len(results) >= reading.LARGE
    finally:
        if collecting:
            gc.enable()
    if collecting and len(results) >= reading.PARALLEL_THRESHOLD:
        # A large model lives as long as the command: keep the collector from walking it again
        # on every collection while checks and commands run over it, nor over what they decode.
        gc.freeze()
        freeze_decoded()
    return kb
