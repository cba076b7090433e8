"""Build the site: every page rendered, only the files whose bytes changed written.

A build is a pure function of the records, the audience and the day (which decides what is
overdue): no clock time, no random order, no absolute path reaches a file, so two builds of the
same records on the same day are byte-identical. Files are compared with what the output folder
holds and rewritten (atomically) only when they differ; files of an earlier build that the new one
does not produce are removed, and only those: the list is kept in ``.kb-site`` with the hash of
each file's bytes, and a file is removed only when it is a plain file inside the output folder,
reached through no link, whose bytes still have the hash recorded (a planted or edited list can
make kb remove nothing but a copy of what it wrote). Nothing is written or read through a link
inside the output folder: a build that meets one stops with an error.

A build does the work its inputs call for. With nothing changed (``Inputs``: every record's
content hash, kb's code, the audience, the problems, the day within a window over which every
outcome reads the same) it looks at no page. After an edit it looks only at the pages that read a
changed record, by the keys kept of each record (kb.site.deps, ``State``), and renders those whose
context moved (``Previous``); the rest stay as they are on disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import marshal
import os
import stat
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import KBError
from kb.model import countries, dates
from kb.model.dates import PartialDate
from kb.model.records import OPEN_STATUSES, KnowledgeBase
from kb.query.audience import Audience
from kb.site import paging

MANIFEST = ".kb-site"
STATIC = ("site.css", "site.js", "graph.js")
RECENT = 15
HOME_COMMITMENTS = 30
MAX_READ = 512 * 1024 * 1024
STATE_HEADER = b"kb-site-state 6\n"  # sealed too: the pages left alone are chosen from it
DAY_HEADER = b"kb-site-day 1\n"  # the state's part that a new day changes, sealed as the rest
INPUTS_HEADER = b"kb-site-inputs 2\n"  # sealed as the digests are: a planted file is never trusted
SEAL_HEADER = b"kb-site-digests 2\n"  # the digests file is sealed with the user's key, as the cache
SEARCH_HEADER = b"kb-site-search\n"  # sealed as the state is: the search index is merged from it


@dataclass
class Report:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    withheld: int = 0
    level: str | None = None
    looked: list[str] = field(default_factory=list)  # the files whose inputs were worked out afresh
    rows: int = 0  # the rows of long lists made (for the pages rendered: kb.site.paging.Rows)
    notes: list[str] = field(default_factory=list)  # kept files refused (kb.cli.Context.warn_cache says them)

    @property
    def total(self) -> int:
        return len(self.written) + self.unchanged


def build_site(
    kb: KnowledgeBase, out: Path, readers: Audience, today: dt.date | None = None, findings=None, reuse: bool = True
) -> Report:
    """Build the site of ``kb`` for ``readers`` into ``out``. ``findings`` are `kb check`'s, for
    the problems page (computed when not given). ``reuse`` (off with --no-cache) skips rendering
    pages whose inputs have not changed since the last build into ``out``."""
    with _long_lived():
        return _build(kb, out, readers, today, findings, reuse)


YOUNG_GENERATION = 20_000  # new containers between two collections of the youngest generation, in a build


@contextmanager
def _long_lived() -> Iterator[None]:
    """While a site is built, what survives a full pass of the cycle collector is moved out of its
    sight (``gc.freeze``, as the loader does with a large model): the records' copies, the site's
    indexes and the rows of its pages live to the end of the build, and each full pass walked
    them all again (more than half of the collector's time, about 5 % of a cold build). Garbage
    is still freed when no longer referenced; a cycle made among those survivors is collected
    after the build, when they are given back to the collector (`kb site serve` builds again and
    again in one process). The youngest generation is collected after YOUNG_GENERATION new
    containers rather than 700, and the next after 20 of those: a build makes millions that live
    to its end, and the collections that walked them took a tenth of an edit's build (a rename at
    10,000 hub meetings: 0.25-0.34 s, then 0.10-0.13 s), for the same peak."""
    import gc

    threshold = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION, 20, threshold[2])
    froze = []

    def freeze(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            gc.freeze()
            froze.append(True)

    gc.callbacks.append(freeze)
    try:
        yield
    finally:
        gc.callbacks.remove(freeze)
        gc.set_threshold(*threshold)
        if froze:
            gc.unfreeze()


def _build(kb: KnowledgeBase, out: Path, readers: Audience, today: dt.date | None, findings, reuse: bool) -> Report:
    from kb.query.audience import screen_findings

    today = today or dates.today()
    out = Path(out)
    _check_output(kb, out)
    if findings is None:
        from kb.checks import runner

        findings = runner.run(kb, incremental_day=today.isoformat() if reuse else None, day=today)
    record = _digests_file(kb, out)
    shown, left_out = screen_findings(kb, readers, findings)
    state = State.now(kb, readers, today)
    stamp = _inputs_stamp(kb, state.stamp, (shown, left_out))
    inputs = Inputs.read(record) if reuse and record is not None else None
    if inputs is not None and inputs.unchanged(out, stamp, today):
        report = Report(unchanged=len(inputs.files))  # no input moved: no page is looked at
        withheld = {meeting.id for meeting in kb.meetings.values() if not readers.may_see(meeting)}
    else:
        from kb.site import deps
        from kb.site.visible import visible_kb

        visible, withheld = visible_kb(kb, readers)  # the audience's copy of every meeting
        files = Output(out)
        previous = Previous.read(out, record, files.lstat) if reuse else None
        last = State.read(record) if reuse and record is not None else None
        notes = [State.refused(record)] if reuse and record is not None and last is None else []
        try:
            digests = render_all(visible, (shown, left_out), readers, today, files, previous, (last, state))
        except BaseException:
            files.keep_list()  # what it wrote stays kb's: the next build may replace it
            raise
        report = files.finish()
        report.looked = sorted(path for path in digests if path not in state.left)
        report.notes = [note for note in (*notes, last.search_problem if last is not None else None) if note]
        Previous.write(out, record, digests, files.lstat, previous)
        if record is not None:
            window = deps.day_window(visible, today, state.events)
            Inputs.write(out, record, stamp, window, sorted(files.hashes), files.lstat)
            state.write(record, last)
    report.withheld = len(withheld)
    report.level = readers.level
    return report


def _inputs_stamp(kb: KnowledgeBase, stamp: str, findings: tuple[list, int]) -> str:
    """A digest of everything a build reads but the day: every record file's content hash (from
    the record cache), kb's code and templates, the audience and the problems shown. With the
    overdue window (``_overdue_window``) it tells whether any page can differ from the last build."""
    shown, hidden = findings
    problems = [(f.path, f.line, f.column, f.severity, f.code, f.message, f.hint) for f in shown]
    records = sorted(_record_hashes(kb).items())
    parts = [stamp, records, problems, hidden]
    return hashlib.blake2b(json.dumps(parts).encode("utf-8"), digest_size=16).hexdigest()


def _record_hashes(kb: KnowledgeBase) -> dict[str, str | None]:
    """Every record file's content hash (from the record cache), by file."""
    return {path: bytes(digest).hex() if digest is not None else None for path, digest in kb.digests.items()}


def _global_stamp(kb: KnowledgeBase, readers: Audience, today: dt.date) -> str:
    """What every page may read but the meetings, people and organisations: kb's code and
    templates, the audience, every other record file (kb.yaml, topics.yaml), the stored copies,
    the year and the layout's version."""
    from kb.rendering.templates import override_folder
    from kb.site import layout

    own = {r.relpath for r in (*kb.meetings.values(), *kb.people.values(), *kb.orgs.values())}
    others = sorted((path, digest) for path, digest in _record_hashes(kb).items() if path not in own)
    # The year: a person's open roles are drawn to the end of the current year's chart. JSON, not
    # pickle: pickle's bytes depend on which equal strings are one object, which varies by run.
    # Graphviz's version: another one may place the graph's nodes elsewhere.
    copies = _copies_stamp(Path(kb.root))
    templates = _templates_stamp(override_folder(kb.root, kb.config.templates))
    parts = [templates, readers.level, others, copies, today.year, layout.version()]
    return hashlib.blake2b(json.dumps(parts).encode("utf-8"), digest_size=16).hexdigest()


def _copies_stamp(root: Path) -> list:
    """Name, size and modification time of each stored source copy (``sources/*.md``, never
    through a link): a refreshed copy changes its pages though no record changed."""
    from kb.store.archives import FOLDER

    folder = root / FOLDER
    if folder.is_symlink() or not folder.is_dir():
        return []
    found: list = []
    try:
        for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
            st = entry.stat(follow_symlinks=False)
            found.append([entry.name, st.st_size, st.st_mtime_ns])
    except OSError:
        return [None]  # unreadable: never the same as a readable folder
    return found


def _check_output(kb: KnowledgeBase, out: Path) -> None:
    root = Path(kb.root).resolve()
    target = out.resolve()
    if target == root or target in root.parents:
        raise KBError(
            f"{out}: the site cannot be built into the knowledge base itself or a folder above it; "
            "choose an output folder such as _site"
        )
    if target.exists() and not target.is_dir():
        raise KBError(f"{out}: exists and is not a folder; choose another output with -o")
    if target.is_dir() and any(target.iterdir()) and not (target / MANIFEST).exists():
        raise KBError(
            f"{out}: the folder holds files kb did not write; choose an empty or new folder with -o "
            "(kb only ever replaces a site it built)"
        )


def render_all(
    kb: KnowledgeBase,
    findings: tuple[list, int],
    readers: Audience,
    today: dt.date,
    files: Output,
    previous: Previous | None = None,
    states: tuple[State | None, State] | None = None,
) -> dict[str, str]:
    """Every file of the site, put into ``files`` as it is made (None for a page whose file on
    disk is the one its inputs render); returns each page's digest. ``states`` (the last build's and this one's) tell which
    pages can have changed (kb.site.deps); the others are not looked at when ``previous`` holds
    their files intact. Without them every page's context is built, and rendered when its digest
    (context, templates, kb's code) is not the one ``previous`` recorded. A long page's lists are
    digested by their rows' keys, their rows made only for a page rendered (kb.site.paging.Rows)."""
    from kb.rendering.templates import run
    from kb.site import pages

    last, state = states if states is not None else (None, None)
    if state is not None:
        state.take(kb, last)
    site = state.site(kb, today, last) if state is not None else pages.Site(kb, today)
    links = previous.links if previous is not None else None
    looked = state.plan(site, last, links) if state is not None else None
    # Compiled templates kept as briefs keep them (kb.rendering.templates.compiled_templates): a
    # page's templates cost more to compile than to render. Not with --no-cache.
    env, templates_stamp = _templates(kb)
    banner = f"TLP:{readers.level}" if readers.level else None
    common = {"site_name": kb.config.name, "audience": readers.level, "our_side": kb.our_side}
    digests: dict[str, str] = {}
    reuse = previous.reusable if previous is not None else (lambda path, key: False)

    def skip(path: str) -> bool:
        """Whether the page (and its later pages: kb.site.paging) can be left without a look."""
        kept = None if looked is None or looked(path) or previous is None else previous.intact_pages(path)
        for each, key in (kept or {}).items():
            files.put(each, None)
            digests[each] = key
            if state is not None:
                state.left.add(each)
        return kept is not None

    def page(path: str, template: str, make, *args):
        if skip(path):
            return
        for each, context in paging.split(path, make(*args)):  # each page of it its own digest
            marking = context.get("marking")
            stamp = banner or (f"TLP:{marking}" if marking else "TLP:CLEAR")
            key = digests[each] = _digest(templates_stamp, each, template, stamp, common, paging.keyed(context))
            if reuse(each, key):
                files.put(each, None)  # the page on disk is the one these inputs render
                continue
            context, count = paging.made(context)
            files.report.rows += count
            data = {**common, **context, "base": "../" * each.count("/"), "page_path": each, "stamp": stamp}
            files.put(each, run(env, f"site/{template}.html.j2", data).encode("utf-8"))

    _record_pages(site, readers, page)
    _aggregate_pages(site, findings, page, skip)
    site.forget_rows()  # the search index reads the records, never the pages' rows
    _search_index(site, templates_stamp, files, digests, (reuse, skip), (last, state))
    if state is not None:
        state.keep(site)
    return digests


def _record_pages(site, readers: Audience, page) -> None:
    """A page for every stored copy, meeting, person, organisation, country, topic and post."""
    from kb.site import pages, sourcepages

    kb = site.kb
    for key, copy in sourcepages.stored_copies(kb, readers).items():
        site.archives[key] = copy
        page(pages.href("source", key), "source", sourcepages.source_page, copy)
    for meeting in site.meetings:
        page(pages.href("meeting", meeting.id), "meeting", pages.meeting_page, site, meeting)
    for person in sorted(kb.people.values(), key=lambda p: p.id):
        page(pages.href("person", person.id), "person", pages.person_page, site, person)
    for org in sorted(kb.orgs.values(), key=lambda o: o.id):
        page(pages.href("org", org.id), "org", pages.org_page, site, org)
    for code in site.countries:
        page(pages.href("country", code), "country", pages.country_page, site, code)
    for topic in kb.topics.values():
        page(pages.href("topic", topic.id), "topic", pages.topic_page, site, topic)
    for post in pages.all_posts(kb):
        page(pages.href("post", post), "post", pages.post_page, site, post)


def _aggregate_pages(site, findings: tuple[list, int], page, skip) -> None:
    """The pages that read every record: the home page, the lists, the problems, the graph."""
    page("index.html", "home", home, site)
    for name in ("meetings", "people", "orgs", "countries", "topics"):
        page(f"{name}.html", "list", listing, site, name)
    page("commitments.html", "commitments", commitments, site)
    page("problems.html", "problems", problems, *findings)
    page("graph.html", "graph", graph_page, site)
    page("search.html", "search", lambda: {"kind": "search", "title": "Search", "marking": site.marking(site.meetings)})


def graph_page(site) -> dict:
    """The counterparts' map; its SVG is also a file of its own (``graph.svg``)."""
    return {
        "kind": "graph",
        "title": "Who met whom",
        "graph": site.whole_graph,
        "marking": site.marking(site.meetings),
    }


def _search_index(site, templates_stamp: str, files: Output, digests: dict, looks, states) -> None:
    """search-index.js and the site's other files that are not pages: graph.svg and the static ones.
    The index's vocabulary is merged from each meeting's shard, those of the last build (``states``:
    its and this one's) reused where a meeting's rows are as they were (kb.site.searchshards)."""
    from kb.rendering.templates import shipped_folder

    reuse, skip = looks
    last, state = states
    if not skip("search-index.js"):
        from kb.site import search, searchshards

        kept = last.kept_search() if last is not None else None
        context = _search_context(site, state) if state is not None else ""
        hashes = state.hashes if state is not None else {}
        known = (_kept_facts(kept, context, state), kept.packed_for(context)) if kept is not None else (None, None)
        inputs = search.Inputs(site, *known)
        key = digests["search-index.js"] = _digest(templates_stamp, inputs.key())
        if reuse("search-index.js", key):
            files.put("search-index.js", None)
        else:
            now, vocabulary = searchshards.vocabulary(inputs, kept)
            del kept  # the last build's shards: what this one keeps of them is in ``now``
            inputs.forget_rows()
            files.put("search-index.js", search.index_parts(inputs, vocabulary))
            del vocabulary  # its postings were used up as they were written
            now.keep_facts(context, hashes, inputs)  # with the texts as packed
            if state is not None:
                state.search = now
    if not skip("graph.svg"):
        graph = site.whole_graph
        if graph and graph["svg"]:
            key = digests["graph.svg"] = _digest(templates_stamp, "graph.svg", str(graph["svg"]))
            files.put("graph.svg", None if reuse("graph.svg", key) else (str(graph["svg"]) + "\n").encode("utf-8"))
    static = shipped_folder() / "site"
    for name in STATIC:
        files.put(name, (static / name).read_bytes())


def _search_context(site, state: State) -> str:
    """What the search index reads of a meeting depends on besides its own file and the people and
    organisations it refers to (``_kept_facts``): everything but the records (``State.stamp``: kb's
    code, the audience, kb.yaml, topics.yaml) and which meetings are shown."""
    return _digest(state.stamp, sorted(m.relpath for m in site.meetings))


def _kept_facts(kept, context: str, state: State | None) -> dict[str, tuple]:
    """The facts kept of the meetings whose files are as then, in the same context, and that refer
    to no person or organisation whose file changed since (``State.touched``): a meeting's facts
    read those it names (their names in its rows, its counterparts' names)."""
    if state is None or state.touched is None:
        return {}
    facts = kept.facts_for(context, state.hashes)
    return {path: fact for path, fact in facts.items() if path not in state.touched}


def home(site) -> dict:
    meetings = site.meetings
    held = [m for m in meetings if m.status == "held"]
    planned = [m for m in meetings if m.status == "planned"]
    # (meeting, place, status, due, id) of every outcome with a status, from the meetings' shares
    open_ = [entry for m in meetings for entry in site.commitments_in(m) if entry[2] in OPEN_STATUSES]
    overdue = [entry for entry in open_ if site.is_overdue(entry[2], entry[3])]
    overdue.sort(key=lambda entry: (PartialDate.parse(entry[3]).sort_key(), entry[0].id, entry[4]))
    return {
        "kind": "home",
        "title": site.kb.config.name,
        "counts": [
            ("meetings", len(meetings), "meetings.html"),
            ("people", len(site.kb.people), "people.html"),
            ("organisations", len(site.kb.orgs), "orgs.html"),
            ("countries", len(site.countries), "countries.html"),
            ("open commitments", len(open_), "commitments.html#open"),
            ("overdue", len(overdue), "commitments.html#overdue"),
        ],
        "recent": [site.meeting_row(m) for m in reversed(held[-RECENT:])],
        "planned": [site.meeting_row(m) for m in planned[:RECENT]],
        "overdue": [site.outcome_row(m.outcomes[place]) for m, place, *_facts in overdue[:HOME_COMMITMENTS]],
        "overdue_total": len(overdue),
        "charts": site.home_charts,
        "marking": site.marking(meetings),
    }


def listing(site, what: str) -> dict:
    from kb.site import facets

    kb = site.kb
    keys: list[list] = []  # each row's facet keys (meetings, people and organisations have facets)
    if what == "meetings":
        shown = list(reversed(site.meetings))
        rows = [
            {"ref": {"href": r["href"], "label": r["title"]}, "detail": r["date"]} for r in map(site.meeting_row, shown)
        ]
        keys = [facets.meeting_keys(kb, m, site.facet_parts(m)) for m in shown]
        title = "Meetings"
    elif what == "people":
        people = sorted(kb.people.values(), key=lambda p: (p.sort_name.casefold(), p.id))
        rows = [{"ref": site.ref("person", p.id), "detail": countries.name(p.country()) or ""} for p in people]
        keys = [facets.party_keys(kb, p.country(), kb.meetings_by_person.get(p.id, [])) for p in people]
        title = "People"
    elif what == "orgs":
        orgs = sorted(kb.orgs.values(), key=lambda o: (o.name.casefold(), o.id))
        rows = [{"ref": site.ref("org", o.id), "detail": countries.name(o.country()) or ""} for o in orgs]
        keys = [facets.party_keys(kb, o.country(), site.org_meetings.get(o.id, [])) for o in orgs]
        title = "Organisations"
    elif what == "countries":
        rows = [{"ref": site.ref("country", c), "detail": c} for c in site.countries]
        title = "Countries"
    else:
        count = Counter(t for m in site.meetings for t in m.topic_ids)
        rows = [{"ref": site.ref("topic", t.id), "detail": f"{count[t.id]} meetings"} for t in kb.topics.values()]
        title = "Topics"
    panel = facets.panel(keys)
    numbers = facets.numbers(panel)
    for row, row_keys in zip(rows, keys, strict=False):
        row["facets"] = facets.attribute(row_keys, numbers)
    return {"kind": "list", "title": title, "rows": rows, "facets": panel, "marking": None}


def commitments(site) -> dict:
    """Every outcome with a status, overdue, open or closed on the day, read from each meeting's
    share (kb.site.pages.Site.commitments_in): a meeting is decoded only for a page rendered."""
    overdue: list[tuple] = []
    open_: list[tuple] = []
    closed: list[tuple] = []
    for meeting in site.meetings:
        for entry in site.commitments_in(meeting):
            status, due = entry[2:4]
            group = closed if status not in OPEN_STATUSES else overdue if site.is_overdue(status, due) else open_
            group.append(entry)
    return {
        "kind": "commitments",
        "title": "Commitments",
        "overdue": site.commitment_rows(overdue),
        "open": site.commitment_rows(open_),
        "closed": site.commitment_rows(closed),
        "marking": site.marking(site.meetings),
    }


def problems(findings, hidden: int) -> dict:
    """`kb check`'s findings as the audience may read them (kb.query.audience.screen_findings),
    and how many concern what it may not read."""
    rows = [
        {
            "path": finding.path,
            "line": finding.line,
            "column": finding.column,
            "severity": finding.severity,
            "code": finding.code,
            "message": finding.message,
            "hint": finding.hint or "",
        }
        for finding in findings
    ]
    return {"kind": "problems", "title": "Problems", "findings": rows, "hidden": hidden, "marking": None}


class Output:
    """The site's folder as a build fills it: each file compared with what the folder holds and
    written (atomically) only when it differs, as soon as it is made, so that no build holds the
    whole site in memory; never through a link. ``finish`` removes what an earlier build wrote
    that this one did not make, and writes the list (``.kb-site``)."""

    def __init__(self, out: Path):
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        self.previous = _manifest(out)
        self.hashes: dict[str, str] = {}
        self.report = Report()
        self._root = os.fspath(out)
        self._seen: dict[str, os.stat_result | OSError] = {}  # each file's lstat, once a build
        self._folders: set[str] = {""}  # the folders found real and reached through no link

    def lstat(self, relpath: str) -> os.stat_result | OSError:
        """What ``os.lstat`` says of a file of the site (the error it raises), asked once a build
        and again after kb writes or removes the file: a page left as it is is looked at once,
        whether its file is intact, how big it is and when it changed."""
        found = self._seen.get(relpath)
        if found is None:
            found = self._seen[relpath] = _lstat(os.path.join(self._root, relpath))
        return found

    def put(self, relpath: str, data: bytes | Iterator[bytes] | None) -> None:
        """A file of the site: its bytes (or its parts, as they are made: :meth:`_stream`), or None
        when the file on disk is already the one."""
        self._refuse_links(relpath)
        if data is None:
            self.report.unchanged += 1
            self.hashes[relpath] = self.previous.get(relpath) or _hash(_read(self.out / relpath))
            return
        from kb.store.atomic import write_bytes

        path = self.out / relpath
        if not isinstance(data, bytes):
            self._stream(relpath, path, data)
            return
        self.hashes[relpath] = _hash(data)
        if self._holds(relpath, len(data)) and _read(path) == data:
            self.report.unchanged += 1
            return
        write_bytes(path, data, durable=False)
        self._seen.pop(relpath, None)
        self.report.written.append(relpath)

    def _holds(self, relpath: str, size: int) -> bool:
        """Whether the file may hold ``size`` bytes: it is there with that size, or its ``lstat``
        failed otherwise than by its absence (then it is read to know). A new page is not read."""
        found = self.lstat(relpath)
        return not isinstance(found, FileNotFoundError) and (isinstance(found, OSError) or found.st_size == size)

    def _refuse_links(self, relpath: str) -> None:
        """As _refuse_links, each folder looked at once a build (once it is there)."""
        folder = relpath.rpartition("/")[0]
        if folder not in self._folders:
            _refuse_links(self.out, relpath)  # every part of the path looked at
            if os.path.isdir(os.path.join(self._root, folder)):
                self._folders.add(folder)
            return
        found = self.lstat(relpath)
        if isinstance(found, FileNotFoundError):
            return
        if isinstance(found, OSError) or stat.S_ISLNK(found.st_mode) or stat.S_ISDIR(found.st_mode):
            _refuse_links(self.out, relpath)

    def _stream(self, relpath: str, path: Path, parts: Iterator[bytes]) -> None:
        """A file written as its parts are made, never whole in memory; left as it is when it
        already holds those bytes: compared, once they are written, by size and then by hash (the
        file on disk is read only when it has their size)."""
        from kb.store.atomic import write_bytes

        found = self.lstat(relpath)
        before = found.st_size if isinstance(found, os.stat_result) and stat.S_ISREG(found.st_mode) else None
        digest = hashlib.blake2b(digest_size=16)
        size = 0
        same = False

        def hashed() -> Iterator[bytes]:
            nonlocal size
            for part in parts:
                digest.update(part)
                size += len(part)
                yield part

        def unchanged() -> bool:
            nonlocal same
            if size == before:
                held = _read(path)
                same = held is not None and len(held) == size and _hash(held) == digest.hexdigest()
            return same

        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, hashed(), durable=False, unchanged=unchanged)
        self._seen.pop(relpath, None)
        self.hashes[relpath] = digest.hexdigest()
        if same:
            self.report.unchanged += 1
        else:
            self.report.written.append(relpath)

    def keep_list(self) -> None:
        """After a build that stopped: the list holds what the folder had and what was written,
        and nothing is removed."""
        from kb.store.atomic import write_bytes

        listed = {**self.previous, **self.hashes}
        manifest = "".join(f"{listed[relpath]} {relpath}\n" for relpath in sorted(listed)).encode("utf-8")
        if _read(self.out / MANIFEST) != manifest:
            write_bytes(self.out / MANIFEST, manifest, durable=False)

    def finish(self) -> Report:
        from kb.store.atomic import write_bytes

        out, report = self.out, self.report
        report.written.sort()
        for relpath in sorted(set(self.previous) - set(self.hashes)):
            if _ours(out, relpath, self.previous[relpath]):
                (out / relpath).unlink()
                self._seen.pop(relpath, None)
                report.removed.append(relpath)
        manifest = "".join(f"{self.hashes[relpath]} {relpath}\n" for relpath in sorted(self.hashes)).encode("utf-8")
        if _read(out / MANIFEST) != manifest:
            write_bytes(out / MANIFEST, manifest, durable=False)
            self._seen.pop(MANIFEST, None)
        return report


def _lstat(path: str) -> os.stat_result | OSError:
    """What ``os.lstat`` says of ``path``, or the error it raised, kept without its traceback: the
    traceback's frames hold their callers' locals (a page's bytes), and the error held by
    Output's table of them would make a cycle the collector alone frees (a cold build makes a
    new file, and so an error, for every page)."""
    try:
        return os.lstat(path)
    except OSError as error:
        return error.with_traceback(None)


def _hash(data: bytes | None) -> str:
    return hashlib.blake2b(data or b"", digest_size=16).hexdigest() if data is not None else ""


def _link_in(out: Path, relpath: str) -> str | None:
    """The first part of ``relpath`` inside ``out`` that is a link, a parent that is not a folder
    or, last, a folder (planted where a page goes), or None."""
    parts = relpath.split("/")
    current = out
    for number, part in enumerate(parts):
        current = current / part
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            return None
        except OSError:
            return "/".join(parts[: number + 1])
        last = number == len(parts) - 1
        if stat.S_ISLNK(st.st_mode) or stat.S_ISDIR(st.st_mode) == last:
            return "/".join(parts[: number + 1])
    return None


def _refuse_links(out: Path, relpath: str) -> None:
    linked = _link_in(out, relpath)
    if linked is not None:
        raise KBError(
            f"{out / linked}: {_what(out / linked)}; kb writes its site only into real folders and files "
            "it made: remove it and build again"
        )


def _what(path: Path) -> str:
    """What is wrong with ``path``, found by _link_in."""
    return (
        "is a folder where a file goes"
        if path.is_dir() and not path.is_symlink()
        else "is a symbolic link or not a folder"
    )


def _ours(out: Path, relpath: str, recorded: str) -> bool:
    """Whether ``relpath`` may be removed: a plain file reached through no link whose bytes have
    the hash this site's list recorded."""
    if not recorded or _link_in(out, relpath) is not None:
        return False
    data = _read(out / relpath)
    return data is not None and _hash(data) == recorded


def _manifest(out: Path) -> dict[str, str]:
    """The files of the last build and their hashes, as ``.kb-site`` lists them. Only plain
    relative paths inside the site are taken; a line without a hash (a list of an older kb) names
    a file that is never removed."""
    data = _read(out / MANIFEST)
    if not data:
        return {}
    listed = {}
    for line in data.decode("utf-8", "replace").splitlines():
        recorded, _space, relpath = line.partition(" ") if " " in line else ("", "", line)
        if (
            relpath
            and not relpath.startswith(("/", "\\"))
            and ".." not in relpath.split("/")
            and os.sep not in relpath.replace("/", "")
            and "\0" not in relpath
        ):
            listed[relpath] = recorded
    return listed


def _read(path: Path) -> bytes | None:
    """The bytes of a plain file (never through a link at its end, never blocking)."""
    from kb.store.cachekey import read_plain

    return read_plain(path, MAX_READ)


def _digests_file(kb: KnowledgeBase, out: Path) -> Path | None:
    """Where the digests of a site's pages are kept: in the knowledge base's cache folder (never
    in the site, which is published), one file per output folder; None when that folder must not
    be used (a link)."""
    from kb.store.cache import cache_folder

    folder = cache_folder(Path(kb.root))
    if folder is None:
        return None
    name = hashlib.blake2b(str(out.resolve()).encode("utf-8"), digest_size=8).hexdigest()
    return folder / f"site-{name}.bin"


def _digest(*parts) -> str:
    """A digest of a page's inputs. Pickled (in C, several times faster than JSON): the same build
    code makes the same structures in the same order, and the code is part of the digest. Without
    the pickle's memo (``fast``), so that the bytes are those of the values alone, whichever of
    them are one object (a link or a name shared by several rows is written each time). The
    pickle is fed to the hash a frame at a time (the bytes of ``pickle.dumps``, never held whole:
    the search index's inputs are a hundred MB at 10,000 meetings)."""
    import pickle

    digest = hashlib.blake2b(digest_size=16)
    pickler = pickle.Pickler(_Feed(digest), protocol=5)
    pickler.fast = True  # no memo: equal values give equal bytes
    pickler.dump(parts)
    return digest.hexdigest()


class _Feed:
    """A file that hashes what is written to it."""

    def __init__(self, digest):
        self.write = digest.update


def _templates(kb: KnowledgeBase) -> tuple:
    """The site's templates: their environment, made when a page is first rendered (Jinja2 imported
    then; compiled templates kept as briefs keep them, not with --no-cache), and their stamp."""
    from kb.rendering.templates import deferred_environment, override_folder

    overrides = override_folder(kb.root, kb.config.templates)
    return deferred_environment("html", overrides, compiled_cache=kb.use_cache), _templates_stamp(overrides)


def _templates_stamp(overrides: Path | None) -> str:
    """kb's code and the text of every template the site may use (shipped and overriding: the
    knowledge base's templates folder, ``overrides``)."""
    from kb.rendering.templates import sources
    from kb.store.cache import code_stamp

    return _digest(code_stamp(), sources(overrides, "site/"))


class Previous:
    """The digests of the pages an earlier build wrote, with the size and modification time each
    file had then: a page is reused only if its inputs and its file on disk are both unchanged."""

    def __init__(self, out: Path, entries: dict, lstat=None):
        self.out = out
        self.entries = entries
        root = os.fspath(out)
        # What os.lstat says of a page (the error it raises): Output.lstat, asked once a build.
        self.lstat = lstat or (lambda path: _lstat(os.path.join(root, path)))

    @classmethod
    def read(cls, out: Path, record: Path | None, lstat=None) -> Previous | None:
        entries = _read_marshalled(record, SEAL_HEADER) if record is not None else None
        return cls(out, entries, lstat) if isinstance(entries, dict) else None

    def intact(self, path: str) -> str | None:
        """The digest recorded for a page whose file is still as the build that recorded it left
        it (size and modification time), else None."""
        entry = self.entries.get(path)
        if type(entry) is not list or len(entry) != 3:
            return None
        st = self.lstat(path)
        if isinstance(st, OSError) or not stat.S_ISREG(st.st_mode):
            return None
        return entry[0] if st.st_size == entry[1] and st.st_mtime_ns == entry[2] else None

    def intact_pages(self, path: str) -> dict[str, str] | None:
        """The digests of a page and of its later pages (kb.site.paging) when every one of their
        files is intact, else None."""
        key = self.intact(path)
        if key is None:
            return None
        found = {path: key}
        number = 2
        while (each := paging.file(path, number)) in self.entries:
            key = self.intact(each)
            if key is None:
                return None
            found[each] = key
            number += 1
        return found

    def links(self, path: str, targets: tuple[str, ...]) -> bool:
        """Whether the page at ``path`` or one of its later pages (kb.site.paging), as the build
        that recorded them left them, holds a link to one of the pages ``targets`` (paths from the
        site's root); True when one is not intact: it is then made again anyway."""
        wanted = [target.encode("utf-8") for target in targets]
        each, number = path, 1
        while number == 1 or each in self.entries:
            data = _read(self.out / each) if self.intact(each) is not None else None
            if data is None or any(target in data for target in wanted):
                return True
            number += 1
            each = paging.file(path, number)
        return False

    def reusable(self, path: str, key: str) -> bool:
        return self.intact(path) == key

    @staticmethod
    def write(
        out: Path, record: Path | None, digests: dict[str, str], lstat=None, known: Previous | None = None
    ) -> None:
        """Keep each page's digest with its file's size and modification time (``lstat``: as
        Output.lstat, what os.lstat says of a file); not written again when it is what ``known``
        (the digests this build read) holds."""
        if record is None:
            return
        lstat = lstat or (lambda path: _lstat(os.path.join(out, path)))
        entries = {}
        for path, key in digests.items():
            st = lstat(path)
            if not isinstance(st, OSError):
                entries[path] = [key, st.st_size, st.st_mtime_ns]
        if known is None or known.entries != entries:
            _write_marshalled(record, SEAL_HEADER, entries, "reuse")


class Inputs:
    """What the last build into a folder read (``_inputs_stamp``), the days it holds for
    (``_overdue_window``) and the size and modification time of every file it left. A build whose
    stamp is the same, on a day in the window, with every file as it was, has nothing to do. Kept
    beside the pages' digests in the knowledge base's cache folder; this class alone reads and
    writes it."""

    def __init__(self, stamp: str, window: list, files: dict):
        self.stamp, self.window, self.files = stamp, window, files

    @staticmethod
    def path(record: Path) -> Path:
        return record.with_name(record.stem + ".inputs.bin")

    @classmethod
    def read(cls, record: Path) -> Inputs | None:
        entries = _read_marshalled(cls.path(record), INPUTS_HEADER)
        try:
            inputs = cls(entries["stamp"], entries["window"], entries["files"])
        except (TypeError, KeyError):
            return None
        ok = isinstance(inputs.stamp, str) and isinstance(inputs.files, dict) and len(inputs.window) == 2
        return inputs if ok else None

    def unchanged(self, out: Path, stamp: str, today: dt.date) -> bool:
        if stamp != self.stamp or not self.window[0] <= today.isoformat() <= self.window[1]:
            return False
        root = os.fspath(out)
        for relpath, seen in [(MANIFEST, None), *self.files.items()]:
            found = _lstat(os.path.join(root, relpath))
            if isinstance(found, OSError):
                return False
            if seen is not None and [found.st_size, found.st_mtime_ns] != seen:
                return False
        return True

    @staticmethod
    def write(out: Path, record: Path, stamp: str, window: tuple[str, str], files: list[str], lstat=None) -> None:
        """Keep ``stamp``, ``window`` and the size and modification time of ``files`` (``lstat``:
        as Output.lstat, what os.lstat says of a file)."""
        lstat = lstat or (lambda path: _lstat(os.path.join(out, path)))
        seen = {}
        for relpath in files:
            found = lstat(relpath)
            if isinstance(found, OSError):
                return  # a file is missing: the next build does the work again
            seen[relpath] = [found.st_size, found.st_mtime_ns]
        _write_marshalled(
            Inputs.path(record), INPUTS_HEADER, {"stamp": stamp, "window": list(window), "files": seen}, "shortcut"
        )


class State:
    """What a build read, for the next one to tell which pages can have changed (kb.site.deps):
    the stamp of everything but the meetings, people and organisations (``_global_stamp``), the
    names that mentions are found by, the day, the countries with a page, each record file's
    content hash and each visible record's keys, and the mentions, counterparts' pairs and event
    days (the days its outcomes may turn on) and the words of its text found in each meeting, and
    what the keys read of the people and organisations (``deps.lookup``). Kept beside the pages' digests,
    with the search index's shards in a file of their own (read only when the index is made
    again); this class alone reads and writes them. What a new day changes (``DAY_FIELDS``: the
    day, and what was read on it) is kept apart from the rest, so that a new day with no record
    changed writes that part alone; each part carries the same token (``tie``), drawn afresh
    whenever the rest is written, and the two are read together only when their tokens agree."""

    FIELDS = (
        "stamp",
        "names",
        "day",
        "countries",
        "hashes",
        "keys",
        "hits",
        "shared",
        "pairs",
        "events",
        "words",
        "lookup",
        "opens",
        "charts",
        "shares",
        "spans",
        "records",
    )
    DAY_FIELDS = ("day", "opens", "charts", "spans")

    def __init__(self, *values):
        self.stamp, self.names, self.day, self.countries, self.hashes, self.keys, self.hits, self.shared = values[:8]
        # each meeting's counterparts' pairs (kb.site.graph), event days and words (kb.site.pages.Site.words), by file
        self.pairs, self.events, self.words, self.lookup = values[8:12]
        self.opens = values[12]  # which of each meeting's outcomes are open on ``day`` (pages.Site.opens), by file
        self.charts = values[13]  # the home page's charts and what they read (pages.Site.charts_to_keep)
        self.shares = values[14]  # each meeting's share of the commitments' index (pages.Site.shares), by file
        self.spans = values[15]  # the years' ends and each meeting's spans of statuses on them (pages.Site.spans)
        # each person's and organisation's digest of all but its names (deps.record_digests), by file
        self.records = values[16]
        self.moved = None  # what moved in ``lookup`` since the last build (kb.site.deps.Moved), when known
        self.touched: set[str] | None = None  # the meetings that name a changed person or organisation
        self.planned = False
        self.left: set[str] = set()  # the pages this build left alone without a look
        self.search = None  # the search index's shards this build made (kb.site.searchshards.Kept)
        self.source: Path | None = None  # the file this state was read from
        self.search_problem: str | None = None  # why its search shards were refused, when the user should know
        self.tie: str | None = None  # the token its two parts were read with (``write``)

    @classmethod
    def now(cls, kb: KnowledgeBase, readers: Audience, today: dt.date) -> State:
        own = {r.relpath for r in (*kb.meetings.values(), *kb.people.values(), *kb.orgs.values())}
        hashes = {path: digest for path, digest in _record_hashes(kb).items() if path in own}
        empty: list[dict] = [{} for _ in range(8)]
        return cls(_global_stamp(kb, readers, today), "", today.isoformat(), [], hashes, *empty, [], {}, [], {})

    def take(self, kb: KnowledgeBase, last: State | None) -> None:
        """The names that mentions are found by, and each meeting's event days (the last build's
        where neither the file nor anything else changed)."""
        from kb.site import deps

        if last is not None and last.stamp == self.stamp and last.lookup and self._same_names_read(kb, last):
            self.names, self.lookup = last.names, last.lookup
        else:
            self.names = deps.names_stamp(kb)
            self.lookup = deps.lookup(kb)
        if last is not None and last.stamp == self.stamp and last.names != self.names and last.lookup:
            self.moved = deps.Moved(last.lookup, self.lookup, last.keys, last.words)
        # Event days read the meeting and kb.yaml alone (``stamp``), never the names: a rename keeps them.
        self.events = deps.event_days(kb, last.unchanged(self, last.events, None) if last is not None else {})

    def _same_names_read(self, kb: KnowledgeBase, last: State) -> bool:
        """Whether the names stamp and lookup (kb.site.deps: they read the people's and the
        organisations' files alone, and kb's code: ``stamp``) are the ones ``last`` found: no file
        changed since, but meetings' (a file gone or not hashed counts as changed)."""
        if self.hashes == last.hashes:
            return None not in self.hashes.values()
        meetings = {m.relpath for m in kb.meetings.values()}
        for path in self.hashes.keys() | last.hashes.keys():
            now = self.hashes.get(path)
            if now != last.hashes.get(path) and (now is None or path not in meetings):
                return False
        return None not in self.hashes.values()

    def site(self, kb: KnowledgeBase, today: dt.date, last: State | None):
        """The site's indexes (kb.site.pages.Site), given what the last build found of each meeting
        that still holds: its mentions and words, its graph's pairs, its commitments' share, which
        of its outcomes are open and its spans of statuses (on another day, of a meeting no event
        day moved since)."""
        from kb.site import deps, pages

        if last is None:
            return pages.Site(kb, today)
        known, words = last.mentions_for(self)
        pairs, shares = last.unchanged(self, last.pairs, "ids"), last.unchanged(self, last.shares, "ids")
        opens = last.unchanged(self, last.opens, None)
        marks, spans = last.spans or ([], {})
        spans = last.unchanged(self, spans, None)
        if last.day != self.day:  # those of the last build's day that hold on this one
            days = dt.date.fromisoformat(last.day), dt.date.fromisoformat(self.day)
            opens = deps.still_holding(opens, self.events, *days)
            marks, spans = deps.still_spans(marks, spans, self.events, *days)
        site = pages.Site(kb, today, known, pairs, words, opens, shares)
        if marks:
            site.known_spans = [marks, spans]
        return site

    def mentions_for(self, now: State) -> tuple[dict[str, list], dict[str, str]]:
        """The mentions, and the words, of the meetings whose files are as when they were found and
        whose mentions no name or id moved since can reach (``now`` being this build's state)."""
        return self.unchanged(now, self.hits), self.unchanged(now, self.words)

    def unchanged(self, now: State, found: dict, reads: str | None = "names") -> dict:
        """What was ``found`` of the files whose content and everything else (``stamp``) are as
        when it was found, and which read nothing of the names and ids recorded that moved since:
        ``reads`` "names" (mentions, keys: the names and what references resolve to), "ids" (what
        references resolve to), or None (neither)."""
        if self.stamp != now.stamp:
            return {}
        if self.hashes == now.hashes:  # no file changed (a new day): all of it, without a look at each
            same = found if isinstance(found, Packed) else dict(found)  # a packed one left packed
        else:
            same = {path: value for path, value in found.items() if self.hashes.get(path) == now.hashes.get(path)}
        if reads is None or self.names == now.names:
            return same
        if now.moved is None:
            return {}
        drop = now.moved.rescan if reads == "names" else now.moved.resolved
        return {path: value for path, value in same.items() if path not in drop}

    def plan(self, site, last: State | None, links=None):
        """Whether a page must be looked at (a function of its path), or None for every page.
        ``links(page, targets)``: whether the page as the last build left it links to one of the
        pages ``targets`` (``Previous.links``)."""
        from kb.site import deps

        self.keys = deps.record_keys(site, self._known_keys(site, last) if last is not None else {})
        self.countries = list(site.countries)
        self.touched = self._touched(last) if last is not None and last.stamp == self.stamp else None
        self.planned = True
        if last is None or (last.stamp, last.countries) != (self.stamp, self.countries):
            self.records = deps.record_digests(site, None, {})
            self.shared = _shared(site, None, {})
            site.charts_stamp = self._charts_key
            site.row_digests = _row_digests(self.shared)
            return None
        changed = self._changed(last)
        self.records = deps.record_digests(site, changed, last.records)
        self.shared = _shared(site, changed, last.shared)
        site.row_digests = _row_digests(self.shared)
        site.charts_stamp, site.kept_charts = self._charts_key, last.charts
        moved = {p: deps.aspect(last.shared.get(p), self.shared.get(p)) for p in changed if self._moved(p, last)}
        if last.day != self.day:  # only what reads otherwise on this day than on the last build's
            days = dt.date.fromisoformat(last.day), dt.date.fromisoformat(self.day)
            for path in deps.day_moved(site.kb, *days, self.events):  # a meeting's outcomes read otherwise
                moved[path] = moved.get(path, "outcomes") if path in self.shared else "all"  # "listed" holds them
        found = {"problems.html"}
        if not changed and not moved:  # the next day, when nothing reads otherwise on it
            return found.__contains__
        reach = deps.Reach(site, self.keys, deps.closed(site, last.opens), links)
        for path, aspect in moved.items():
            shut = reach.shut(path)
            found |= reach.of_record(last.keys.get(path, ()), aspect, shut)
            found |= reach.of_record(self.keys.get(path, ()), aspect, shut)
            found.update(self._aggregates(path, aspect, last, links))
        for path in changed - moved.keys():  # only what its own page shows changed (deps.LOCAL)
            found.add(reach.page[path])
        if changed:  # the index reads the records' text, never the day
            found.add("search-index.js")
        return found.__contains__

    def _aggregates(self, path: str, aspect: str, last: State, links) -> tuple[str, ...] | list[str]:
        """The pages that read every record and can show a moved record otherwise: of a person or
        organisation whose names alone changed (``deps.NAME_FIELDS``), those that name it and
        those that linked to its page (``links``) in the last build; else by ``aspect``."""
        from kb.site import deps
        from kb.site.pages import href

        if path not in self.records or self.records[path] != last.records.get(path):
            return deps.ASPECTS[aspect]
        ids = {key[3:] for key in (*last.keys.get(path, ()), *self.keys.get(path, ())) if key.startswith("id:")}
        targets = tuple(href(kind, ident) for ident in sorted(ids) for kind in ("person", "org"))
        named = deps.NAMED[path[: path.index("/") + 1]]
        return [*named, *(page for page in deps.LINKED if links is None or links(page, targets))]

    def _changed(self, last: State) -> set[str]:
        """The records (by file) whose file or keys changed since ``last``."""
        if self.hashes == last.hashes and self.keys == last.keys:
            return set()
        paths = set(self.hashes) | set(last.hashes) | set(self.keys) | set(last.keys)
        return {p for p in paths if (self.hashes.get(p), self.keys.get(p)) != (last.hashes.get(p), last.keys.get(p))}

    def _charts_key(self) -> str:
        """What the home page's charts (kb.site.charts) read: every visible meeting's outcomes and
        the rest of what other pages show of it but its title (``deps.shared_digest``), the day and
        everything else (``stamp``: kb.yaml's side, topics.yaml's names, the audience)."""
        from kb.site import deps

        parts = [self.stamp, self.day, [[path, digest[deps.PART :]] for path, digest in self.shared.items()]]
        return hashlib.blake2b(json.dumps(parts).encode("utf-8"), digest_size=16).hexdigest()

    def _moved(self, path: str, last: State) -> bool:
        """Whether a changed record changed in what other pages than its own show (a meeting's
        ``deps.shared_digest``; a person or organisation always)."""
        return path not in self.shared or self.shared[path] != last.shared.get(path)

    def _known_keys(self, site, last: State) -> dict[str, list[str]]:
        """The last build's keys of the records whose keys cannot have moved: their files, what
        their references resolve to and (a meeting's) their mentions are as then."""
        known = last.unchanged(self, last.keys, "ids")
        if self.moved is None:
            return known
        meetings, refs = site.hits, self.moved.refs  # a person's or organisation's keys read every id
        return {
            path: keys
            for path, keys in known.items()
            if (meetings[path] == last.hits.get(path) if path in meetings else not refs)
        }

    def _touched(self, last: State) -> set[str]:
        """The meetings (by file) that refer to a person or organisation whose file changed since
        ``last`` (under any id it has or had), or whose references resolve otherwise."""
        from kb.site import deps

        ids = set(self.moved.refs) if self.moved is not None else set()
        files = (set(self.hashes) | set(last.hashes)) if self.hashes != last.hashes else set()
        for path in files:
            if self.hashes.get(path) != last.hashes.get(path):  # a meeting's keys hold no "id:"
                ids |= {k[3:] for k in (*last.keys.get(path, ()), *self.keys.get(path, ())) if k.startswith("id:")}
        return deps.referring(self.keys, ids)

    def keep(self, site) -> None:
        """Take what this build found: the mentions, the graph's pairs (those it was given when no
        page asked for the graph) and the keys, when no plan was made."""
        from kb.site import deps

        if not self.planned:
            self.keys = deps.record_keys(site, {})
            self.records = deps.record_digests(site, None, {})
            self.shared = _shared(site, None, {})
            self.countries = list(site.countries)
        self.hits = site.hits
        self.words = site.words
        self.pairs = site.graph.pairs if "graph" in vars(site) else site.known_pairs
        self.opens = {**site.known_opens, **site.opens}
        self.charts = site.charts_to_keep()
        self.shares = {**site.known_shares, **site.shares} if site.shares else site.known_shares
        # for this day's years' ends (of no use on another day); the last build's that still hold
        # when no chart was made (a title edit takes the last build's charts)
        self.spans = site.spans or site.known_spans

    @classmethod
    def read(cls, record: Path) -> State | None:
        """The state kept at ``record``, when both its parts are sealed by this user and were
        written together (the same ``tie``), else None."""
        entries = _read_marshalled(cls._path(record), STATE_HEADER)
        day = _read_marshalled(cls._day_path(record), DAY_HEADER) if isinstance(entries, dict) else None
        if not isinstance(day, dict) or "tie" not in day or day["tie"] != entries.get("tie"):
            return None
        entries.update(day)
        if not isinstance(entries.get("shares"), bytes):
            return None
        entries["shares"] = Packed(entries["shares"])
        try:
            state = cls(*(entries[name] for name in cls.FIELDS))
        except KeyError:
            return None
        state.source, state.tie = record, day["tie"]
        return state

    @staticmethod
    def _path(record: Path) -> Path:
        return record.with_name(record.stem + ".state.bin")

    @staticmethod
    def _day_path(record: Path) -> Path:
        return record.with_name(record.stem + ".day.bin")

    @staticmethod
    def _search_path(record: Path) -> Path:
        return record.with_name(record.stem + ".search.bin")

    def kept_search(self):
        """The search index's shards kept by the build that wrote this state (none when the file
        is missing, not sealed by this user or written by another kb)."""
        from kb.site.searchshards import Kept
        from kb.store.cache import read_sealed

        body = read_sealed(self._search_path(self.source), SEARCH_HEADER) if self.source is not None else None
        if body is None and self.source is not None:
            self.search_problem = _refused(
                self._search_path(self.source), SEARCH_HEADER, "the search index made afresh"
            )
        return Kept.load(body) if body is not None else Kept()

    @staticmethod
    def refused(record: Path) -> str | None:
        """Why the last build's state at ``record`` was refused, when the user should know: a part
        that is not sealed by this user (two parts each sealed but written apart need no word)."""
        from kb.store.cache import read_sealed

        for path, header in ((State._path(record), STATE_HEADER), (State._day_path(record), DAY_HEADER)):
            problem = _refused(path, header, "every page looked at") if read_sealed(path, header) is None else None
            if problem:
                return problem
        return None

    def write(self, record: Path, last: State | None = None) -> None:
        """Keep this state: the part a new day changes, and the rest when it is not the one
        ``last`` (the state this build read) holds."""
        from kb.store.cache import write_sealed

        rest = [name for name in self.FIELDS if name not in self.DAY_FIELDS]
        kept = last is not None and last.tie is not None and all(getattr(self, n) == getattr(last, n) for n in rest)
        tie = last.tie if kept and last is not None else os.urandom(12).hex()
        day = {"tie": tie, **{name: getattr(self, name) for name in self.DAY_FIELDS}}
        try:
            if not kept:
                entries = {"tie": tie, **{n: getattr(self, n) for n in rest}}
                entries["shares"] = Packed.bytes_of(self.shares)
                write_sealed(self._path(record), STATE_HEADER, marshal.dumps(entries))
            write_sealed(self._day_path(record), DAY_HEADER, marshal.dumps(day))
            if self.search is not None:
                write_sealed(self._search_path(record), SEARCH_HEADER, self.search.parts())
        except OSError:
            pass  # a read-only knowledge base only costs the next build its plan


class Packed(Mapping):
    """A part of the state kept marshalled as it was read, decoded when first read: each meeting's
    share of the commitments' index (6 MB at 10,000 hub meetings, 0.08 s to decode), which a new
    day's build with no record changed passes on unread (no page it looks at asks for one) and
    keeps as the same bytes."""

    __slots__ = ("_made", "data")

    def __init__(self, data: bytes):
        self.data = data
        self._made: dict | None = None

    @staticmethod
    def bytes_of(value: Mapping) -> bytes:
        return value.data if isinstance(value, Packed) else marshal.dumps(dict(value))

    def _dict(self) -> dict:
        if self._made is None:
            made = _loads(self.data)
            self._made = made if isinstance(made, dict) else {}  # as read: sealed, so kb's own
        return self._made

    def __getitem__(self, key):
        return self._dict()[key]

    def get(self, key, default=None):
        return self._dict().get(key, default)

    def __iter__(self):
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self._dict())

    def __eq__(self, other) -> bool:
        if isinstance(other, Packed) and (other is self or other.data == self.data):
            return True
        return isinstance(other, Mapping) and self._dict() == dict(other)


def _read_marshalled(path: Path, header: bytes):
    """What a sealed file of the site's holds, or None: marshal, read only when the file carries
    this user's seal (as the record cache), so never bytes another wrote or altered. Plain lists,
    dicts and strings, never a cycle: the cycle collector is kept from walking them as they are
    made (the state of 3,000 hub meetings, 3.3 MB: 10-11 ms to load without it, 13-27 ms with it)."""
    from kb.store.cache import read_sealed

    body = read_sealed(path, header)
    return None if body is None else _loads(body)


def _loads(body: bytes | memoryview):
    """``marshal.loads`` of sealed bytes (see _read_marshalled), None when they do not decode."""
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        return marshal.loads(body)
    except (ValueError, TypeError, EOFError):
        return None
    finally:
        if collecting:
            gc.enable()


def _write_marshalled(path: Path, header: bytes, value, lost: str) -> None:
    from kb.store.cache import write_sealed

    try:
        write_sealed(path, header, marshal.dumps(value))
    except OSError:
        pass  # a read-only knowledge base only costs the next build its ``lost``


def _refused(path: Path, header: bytes, done: str) -> str | None:
    from kb.store.cache import FOLDER, sealed_problem

    problem = sealed_problem(path, header)
    return f"{FOLDER}/{path.name} {problem}; it was ignored and {done}" if problem else None


def _row_digests(shared: dict[str, str]) -> dict[str, str]:
    """What a meeting's row reads of it, by file: its ``deps.shared_digest`` but its outcomes'."""
    from kb.site.deps import PART

    return {path: digest[:PART] + digest[2 * PART :] for path, digest in shared.items()}


def _shared(site, changed: set[str] | None, known: dict[str, str]) -> dict[str, str]:
    """Each visible meeting's ``deps.shared_digest``: worked out for those ``changed`` (all when
    None), the others' as ``known``."""
    from kb.site import deps

    found = {}
    for meeting in site.meetings:
        path = meeting.relpath
        if changed is None or path in changed or path not in known:
            found[path] = deps.shared_digest(site, meeting)
        else:
            found[path] = known[path]
    return found
