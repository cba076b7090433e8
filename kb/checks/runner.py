"""Run every check over a knowledge base and collect the findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kb.checks import registry
from kb.errors import KBError
from kb.model import dates
from kb.model.findings import ERROR, WARNING, Finding
from kb.model.records import FOLDERS


def run(
    kb, incremental_day: str | None = None, inspected: WorkerChecks | None = None, day: dt.date | None = None
) -> list[Finding]:
    """Every finding: those from reading the files, then every registered check, sorted.

    With ``incremental_day`` (today, ISO), the per-meeting checks run only on the meetings that
    changed since the last such run (and those that read the day, only on the meetings whose
    findings can differ from those of the day they were found on), the others' findings coming
    from the cache; the result is the same as without. ``inspected``: the per-meeting checks'
    findings in the meetings the workers that read them checked (see WorkerChecks); the other
    meetings are checked here. The checks that read the day read ``incremental_day``, else
    ``day``, else kb's today."""
    registry.load_all()
    today = dt.date.fromisoformat(incremental_day) if incremental_day else day or dates.today()
    findings = list(kb.load_findings)
    key = _meeting_checks_keys(kb) if incremental_day else None
    if key is None:
        chunked = getattr(kb, "release_after_use", False) or bool(inspected and inspected.found)
        whole = ReleasingView(kb) if getattr(kb, "release_after_use", False) else kb
        for _code, function in registry.KB_CHECKS:
            if not (chunked and getattr(function, "reads", "all") == "one-meeting"):
                findings.extend(_call(function, whole, today))
        if chunked:
            findings.extend(_meeting_findings(kb, kb.sorted_meetings, True, inspected, _Pass(today)))
    else:
        findings += _run_incremental(kb, key, today, inspected)
    # The severity and hint settle ties, so that the order never depends on the order found in.
    return sorted(set(findings), key=lambda f: (f.sort_key(), f.severity, f.hint))


def _call(function, view, today: dt.date):
    """A check's findings over ``view``, on ``today`` for one that reads the day."""
    return function(view, today=today) if getattr(function, "day", False) else function(view)


def _days(checks: list, meeting, today: dt.date) -> tuple[int, int]:
    """The days (ordinals: the first, and the one after the last) around ``today`` on which
    ``checks`` find in ``meeting`` (None: outside every meeting's file) what they find on
    ``today``: from the latest of their turns on or before it to the day before the next."""
    day = today.toordinal()
    first, end = 1, dt.date.max.toordinal() + 1
    for function in checks:
        if not getattr(function, "day", False):
            continue
        turns = getattr(function, "turns", None)
        if turns is None:
            return day, day + 1
        for turn in turns(meeting, today):
            if turn <= day:
                first = max(first, turn)
            else:
                end = min(end, turn)
    return first, end


class _Pass:
    """What a pass of the "one-meeting" checks reads besides the knowledge base: the checks (all of
    them when None), the day, and where to put each meeting's days (``_days``) when wanted."""

    def __init__(self, today: dt.date, checks: list | None = None, days: dict | None = None):
        self.today = today
        self.checks = _checks(True) if checks is None else checks
        self.days = days


class WorkerChecks:
    """The "one-meeting" checks, run in the worker processes that read the meetings, on the data
    each worker has just parsed (kb.store.reading.inspecting), so that the main process neither
    decodes the meetings again nor checks them one after the other: it merges what the workers
    found. A worker sees the records that are not meetings (read first, before the workers are
    forked) and, for the ids meetings are known by, the names of the meeting files; checks that
    read those ids (``meeting_ids=``) are run again in the main process when the ids turn out
    otherwise (a file whose id is not its name, a duplicate), or when kb.yaml sets a
    brief_audience (their hints then read other meetings' markings)."""

    def __init__(self, today: dt.date | None = None):
        # meeting file -> (its findings as tuples, the days the day-reading checks' hold for)
        self.found: dict[str, tuple] = {}
        self.ids: frozenset[str] = frozenset()
        self.context: Any = None  # the records that are not meetings (kb.store.loader.build)
        self.today = today or dates.today()

    def prepare(self, root, others: list, meeting_files: list[str]) -> None:
        from kb.store.loader import build

        self.context = build(root, others)
        self.ids = frozenset(relpath.rsplit("/", 1)[-1].rsplit(".", 1)[0] for relpath in meeting_files)

    def check(self, meetings: list) -> dict[str, tuple]:
        from kb.model.records import Meeting

        registry.load_all()
        assert self.context is not None
        view = _ChunkView(self.context, sorted(meetings, key=Meeting.sort_key), self.ids)
        skip = self.context.config.brief_audience is not None
        found: dict[str, list] = {meeting.relpath: [] for meeting in meetings}
        checks = _checks(one_meeting=True)
        for function in checks:
            if skip and getattr(function, "meeting_ids", False):
                continue
            for f in _call(function, view, self.today):
                if f.path in found:  # not kb.yaml's: the main process reports that once
                    found[f.path].append((f.path, f.line, f.column, f.severity, f.code, f.message, f.hint))
        return {m.relpath: (tuple(found[m.relpath]), _days(checks, m, self.today)) for m in meetings}

    def ids_hold(self, kb) -> bool:
        """Whether the checks reading meeting ids saw in the workers what they see here."""
        return kb.config.brief_audience is None and kb.known("meeting") == self.ids


class _ChunkView:
    """The knowledge base as a worker's checks see it: the records that are not meetings, the
    chunk's meetings to go through, and the meeting ids taken from the files' names."""

    def __init__(self, context, meetings: list, ids: frozenset[str]):
        self._kb = context
        self.people_to_check: list = []
        self.orgs_to_check: list = []
        self.sorted_meetings = meetings
        self._ids = ids

    def known(self, kind: str) -> set[str]:
        return set(self._ids) if kind == "meeting" else self._kb.known(kind)

    def __getattr__(self, name):
        return getattr(self._kb, name)


def _checks(one_meeting: bool, meeting_ids: bool = False, day: bool | None = None) -> list:
    """The "one-meeting" checks (or the others), only those reading meeting ids with
    ``meeting_ids``, only those reading the day (or only the others) when ``day`` is given."""
    return [
        function
        for _code, function in registry.KB_CHECKS
        if (getattr(function, "reads", "all") == "one-meeting") == one_meeting
        and (not meeting_ids or getattr(function, "meeting_ids", False))
        and (day is None or getattr(function, "day", False) == day)
    ]


def _meeting_findings(
    kb, meetings: list, others: bool, inspected: WorkerChecks | None, run: _Pass
) -> Iterator[Finding]:
    """The findings of ``run``'s "one-meeting" checks over ``meetings`` (and the people and
    organisations, with ``others``): those the workers found where they checked the meeting, the
    others' found here; each meeting's days into ``run.days`` when it asks for them."""
    checks = run.checks
    found = inspected.found if inspected is not None else {}
    done = [meeting for meeting in meetings if meeting.relpath in found]
    if not done:
        yield from _one_meeting_checks(kb, meetings, others, run)
        return
    assert inspected is not None
    rerun = [] if inspected.ids_hold(kb) else [f for f in _checks(True, meeting_ids=True) if f in checks]
    if inspected.today != run.today:  # the workers' day is another: what reads the day is checked here
        rerun += [f for f in checks if getattr(f, "day", False) and f not in rerun]
    codes = {code.code for code, function in registry.KB_CHECKS if function in checks}
    again = {code.code for code, function in registry.KB_CHECKS if function in rerun}
    for meeting in done:
        tuples, days = found[meeting.relpath]
        yield from (Finding(*t) for t in tuples if t[4] in codes and t[4] not in again)
        if run.days is not None:
            run.days[meeting.relpath] = days
    if rerun:
        days = run.days if any(getattr(f, "day", False) for f in rerun) else None
        yield from _one_meeting_checks(kb, done, False, _Pass(run.today, rerun, days))
    yield from _one_meeting_checks(kb, [meeting for meeting in meetings if meeting.relpath not in found], others, run)


class MeetingSubset:
    """The knowledge base as a "one-meeting" check sees it on an incremental run: the whole of it,
    but only ``meetings`` to go through, and the people and organisations only when
    ``others`` (their findings are otherwise those of the last run)."""

    def __init__(self, kb, meetings: list, others: bool):
        self._kb = kb
        self.sorted_meetings = meetings
        self.people_to_check = kb.people_to_check if others else []
        self.orgs_to_check = kb.orgs_to_check if others else []

    def __getattr__(self, name):
        return getattr(self._kb, name)


class ReleasingView:
    """The knowledge base as a check going through every meeting sees it in a large knowledge
    base: the same, but its ``meetings`` let go of what each step of a pass over them decoded
    (see ReleasingMeetings), so that memory never holds every meeting decoded. Checks need not
    know: the policy is the runner's."""

    def __init__(self, kb):
        self._kb = kb
        self.meetings = ReleasingMeetings(kb.meetings)

    def __getattr__(self, name):
        return getattr(self._kb, name)


class ReleasingMeetings(Mapping):
    """Meetings by id, like ``kb.meetings``. While a pass over them runs (iterating the mapping, its
    keys, values or items), every meeting handed out in one step (the one the pass yields and
    those looked up by id meanwhile) whose data that step decoded is released when the pass moves
    on; meetings decoded before the step are kept as they were."""

    def __init__(self, meetings: dict):
        self._meetings = meetings
        self._steps: list[list] = []  # per pass under way, the meetings handed out in its step

    def __getitem__(self, key):
        meeting = self._meetings[key]
        self._handed(meeting)
        return meeting

    def __len__(self) -> int:
        return len(self._meetings)

    def __iter__(self):
        return (meeting.id for meeting in self._pass())

    def __contains__(self, key) -> bool:
        return key in self._meetings

    def values(self):
        return self._pass()

    def items(self):
        return ((meeting.id, meeting) for meeting in self._pass())

    def _handed(self, meeting) -> None:
        if self._steps and not meeting.holds_data():
            self._steps[-1].append(meeting)

    def _pass(self):
        step: list = []
        self._steps.append(step)
        try:
            for meeting in list(self._meetings.values()):
                self._handed(meeting)
                yield meeting
                for record in step:
                    record.release()
                step.clear()
        finally:
            self._steps = [other for other in self._steps if other is not step]


def _meeting_checks_keys(kb) -> bytes | None:
    """A digest of everything the per-meeting checks read besides the meeting itself, the day and
    the content of the people's and organisations' files (``_stale``: a changed one checks again
    the meetings that read it); None when part of it cannot be known (a record file that is not a
    plain file)."""
    import marshal

    from kb.store.cache import digest, fingerprint

    digests = getattr(kb, "digests", None)
    if not digests:
        return None
    others = []
    for relpath, raw_digest in sorted(digests.items()):
        if raw_digest is None and not relpath.startswith(MEETINGS):
            return None
        if not relpath.startswith((MEETINGS, *RECORDS)):
            others.append((relpath, raw_digest))
    broken = sorted((kind, sorted(ids)) for kind, ids in kb.broken_ids.items())
    # Which ids the people and organisations have (now and before), rather than their files.
    ids = [(sorted(kb.table(kind)), sorted(kb.known(kind))) for kind in ("person", "org")]
    parts = [fingerprint(kb.root).decode(), others, sorted(kb.known("meeting")), broken, ids]
    if kb.config.brief_audience is not None:
        # KB404's hints name only meetings within brief_audience: their markings are read too
        parts.append(sorted((m.id, str(m.sensitivity)) for m in kb.meetings.values()))
    return digest(marshal.dumps(parts)).hex().encode("ascii")


# The cache entry holding the findings of incremental checks outside meeting files.
_OTHERS = ""
# The cache entry holding the content hash of each person's and organisation's file, as checked.
_RECORDS = "\x00records"
MEETINGS = FOLDERS["meeting"] + "/"
RECORDS = (FOLDERS["person"] + "/", FOLDERS["org"] + "/")
# The per-meeting checks that read a person's file: the participant's (KB600: their roles and
# name), every person's (KB400's hint: every name). No other reads more of a person or an
# organisation than its ids, which are in the checks' key.
READS_PERSON = frozenset({"KB600"})
READS_EVERY_PERSON = frozenset({"KB400"})
# Meetings the "one-meeting" checks go through at a time in a large knowledge base, whose data is
# released after each such chunk (KnowledgeBase.release_after_use, set by the loader).
CHUNK = 1000


def _one_meeting_checks(kb, meetings: list, others: bool, run: _Pass) -> Iterator[Finding]:
    """The findings of ``run``'s "one-meeting" checks over ``meetings`` (and the people and
    organisations, with ``others``), each meeting's days into ``run.days`` when it asks for them.
    In a large knowledge base they run over a chunk of meetings at a time, each chunk's decoded
    data released once all of them went through it, so that memory holds one chunk, not every
    meeting, decoded."""
    size = CHUNK if kb.release_after_use else max(len(meetings), 1)
    for start in range(0, max(len(meetings), 1), size):
        chunk = meetings[start : start + size]
        view = MeetingSubset(kb, chunk, others=others and start == 0)
        for function in run.checks:
            yield from _call(function, view, run.today)
        for meeting in chunk:
            if run.days is not None:
                run.days[meeting.relpath] = _days(run.checks, meeting, run.today)
            if kb.release_after_use:
                meeting.release()


def _run_incremental(kb, key: bytes, today: dt.date, inspected: WorkerChecks | None = None) -> list[Finding]:
    """The checks that read everything, over everything; those that read one meeting (or no
    meeting) in two parts, each with its own cache: those that do not read the day (kept from one
    day to the next), and those that do (kept with the days they hold for: a new day checks with
    them alone the meetings whose findings can differ from those of the day they were found on)."""
    from kb.store.cache import MeetingFindingsCache

    findings = _whole_findings(kb, key, today)
    for name, day in ((MeetingFindingsCache.NAME, False), (MeetingFindingsCache.DAY, True)):
        store = MeetingFindingsCache(kb.root, key, name)
        findings += _incremental_part(kb, store, _Pass(today, _checks(True, day=day), {} if day else None), inspected)
    return findings


def _whole_findings(kb, key: bytes, today: dt.date) -> list[Finding]:
    """The findings of the checks that read every meeting (none reads the day): those that read
    everything ("all"), the last run's when no record file changed since; those that read the
    meetings ("meetings"), the last run's when no meeting's file, nor anything else in ``key``
    (the ids people and organisations are known by, the files that are not records), nor the
    stored copies' folder changed since."""
    import marshal

    from kb.store.cache import MeetingFindingsCache, archives_stamp, digest

    files = sorted(kb.digests.items())
    archives = archives_stamp(kb.root)
    store = MeetingFindingsCache(kb.root, key, MeetingFindingsCache.ALL)
    findings: list[Finding] = []
    entries: dict[str, tuple] = {}
    fresh = False
    for reads in ("all", "meetings"):
        read = [(path, raw) for path, raw in files if reads == "all" or path.startswith(MEETINGS)]
        group_key = None
        if all(raw is not None for _path, raw in read):
            group_key = digest(marshal.dumps([key, reads, [(p, bytes(raw)) for p, raw in read], archives]))
        cached = store.get(reads, group_key) if group_key is not None else None
        if cached is None:
            fresh = True
            whole = ReleasingView(kb) if kb.release_after_use else kb
            checks = [function for _code, function in registry.KB_CHECKS if getattr(function, "reads", "all") == reads]
            cached = [found for function in checks for found in _call(function, whole, today)]
        findings += cached
        if group_key is not None:
            entries[reads] = (group_key, list(cached))
    if fresh and entries:
        store.save(entries)
    return findings


def _incremental_part(kb, store, run: _Pass, inspected: WorkerChecks | None) -> list[Finding]:
    """The findings of the "one-meeting" and "no-meetings" checks that read the day (``run.days``
    given) or do not, checking again only the meetings whose findings ``store`` does not hold
    (for the day, with the days they hold for) or that read a person whose file changed."""
    import marshal

    from kb.model.records import Meeting
    from kb.store.cache import digest

    day = run.today.toordinal() if run.days is not None else None
    findings: list[Finding] = []
    records = {path: raw for path, raw in kb.digests.items() if path.startswith(RECORDS)}
    records_key = digest(marshal.dumps(sorted(records.items())))
    codes = {entry.code for entry, function in registry.KB_CHECKS if function in run.checks}
    stale = _stale(kb, store, records) if codes & (READS_PERSON | READS_EVERY_PERSON) else set()
    entries: dict = {_RECORDS: (records, ())}
    todo = []
    for meeting in kb.meetings.values():
        raw_digest = kb.digests.get(meeting.relpath)
        cached = store.get(meeting.relpath, raw_digest, day) if meeting.relpath not in stale else None
        if cached is None:
            todo.append(meeting)
        else:
            findings += cached
            entries[meeting.relpath] = (raw_digest, cached, *(store.days(meeting.relpath) if day else ()))
    others = store.get(_OTHERS, records_key, day)
    checked = {meeting.relpath for meeting in todo}
    found_elsewhere = [] if others is not None else _no_meeting_findings(kb, run)
    # Findings by file, of the meetings checked again (most have none: no list is made for them).
    fresh: dict[str, list[Finding]] = {}
    for finding in _meeting_findings(kb, sorted(todo, key=Meeting.sort_key), others is None, inspected, run):
        if finding.path in checked:
            fresh.setdefault(finding.path, []).append(finding)
        else:
            found_elsewhere.append(finding)  # in a person, an organisation or kb.yaml
    findings += others if others is not None else found_elsewhere
    entries[_OTHERS] = (records_key, others if others is not None else found_elsewhere)
    if day is not None:
        wanted = run.checks + _checks(False, day=True)
        entries[_OTHERS] += store.days(_OTHERS) if others is not None else _days(wanted, None, run.today)
    for relpath in checked:
        found = fresh.get(relpath, ())
        findings += found
        if kb.digests.get(relpath) is not None:
            entries[relpath] = (kb.digests[relpath], found, *(run.days or {}).get(relpath, ()))
    if todo or others is None or len(entries) != len(store.entries):
        store.save(entries)
    return findings


def _stale(kb, store, records: dict) -> set[str]:
    """The meetings (by file) whose findings in ``store`` read a person whose file changed since
    they were found (``records``: each person's and organisation's file's content hash now):
    those with the person as a participant (KB600 reads their roles and name) and, when any
    person's file changed, those with an unknown person (KB400's hint reads every name)."""
    entry = store.entries.get(_RECORDS)
    before = entry[0] if isinstance(entry, tuple) and entry and isinstance(entry[0], dict) else None
    if before is None:
        return {meeting.relpath for meeting in kb.meetings.values()}
    changed = {person.id for person in kb.people.values() if before.get(person.relpath) != records.get(person.relpath)}
    if not changed:
        return set()
    found = set()
    for meeting in kb.meetings.values():
        kept = store.entries.get(meeting.relpath)
        every = isinstance(kept, tuple) and len(kept) > 1 and any(f[4] in READS_EVERY_PERSON for f in kept[1] or ())
        if every or not changed.isdisjoint(meeting.person_ids()):
            found.add(meeting.relpath)
    return found


def _no_meeting_findings(kb, run: _Pass) -> list[Finding]:
    """The findings of the "no-meetings" checks that read the day (or do not, as ``run`` does)."""
    whole = ReleasingView(kb) if kb.release_after_use else kb
    day = run.days is not None
    return [
        finding
        for function in _checks(False, day=day)
        if getattr(function, "reads", "all") == "no-meetings"
        for finding in _call(function, whole, run.today)
    ]


def run_cached(root: Path, load, use_cache: bool = True, today=None) -> tuple[list[Finding], int]:
    """Every finding and the number of files read, like ``run(load())``, but taken from the cache
    when no file has changed since the last check, and checking again only the meetings that
    changed when few did. ``load`` is given the files listed and stat'ed for the check cache
    (``listing=``), so that it need not take them again."""

    from kb.store.reading import inspecting

    today = today or dates.today()
    if not use_cache:
        with inspecting(WorkerChecks(today)) as inspected:
            kb = load()
        return run(kb, inspected=inspected, day=today), kb.files_read
    from kb.store.cache import CheckCache

    day = today.isoformat()
    store = CheckCache(root, day)
    cached = store.get()
    if cached is not None:
        return cached
    with inspecting(WorkerChecks(today)) as inspected:
        kb = load(listing=store.listing)
    findings = run(kb, incremental_day=day, inspected=inspected)
    store.put(findings, kb.files_read)
    return findings, kb.files_read


def select(findings: list[Finding], root: Path, paths: tuple[str, ...]) -> list[Finding]:
    """Only the findings in the given files or folders (the whole knowledge base is still read,
    so that references are checked against every record)."""
    if not paths:
        return findings
    wanted = []
    for path in paths:
        resolved = Path(path).resolve()
        try:
            wanted.append(resolved.relative_to(root).as_posix())
        except ValueError:
            raise KBError(f"{path} is outside the knowledge base at {root}") from None
    wanted = ["" if w == "." else w for w in wanted]
    return [
        f for f in findings if any(w == "" or f.path == w or f.path.startswith(w.rstrip("/") + "/") for w in wanted)
    ]


def exit_code(findings: list[Finding], strict: bool) -> int:
    failing = {ERROR, WARNING} if strict else {ERROR}
    return 1 if any(f.severity in failing for f in findings) else 0
