"""`kb site build` after an edit looks at the pages that read what changed and at no other, and
what it leaves is byte for byte the site a cold build of the same records makes."""

import datetime as dt
import re
from collections import Counter

import pytest

from kb.site.build import build_site
from kb.store.loader import load

DAY = "2026-12-07"
BAKER_MEETING = "meetings/2025-12-06-naqvi-baker.yaml"


def build(run_kb, kb, out, *args):
    result = run_kb("site", "build", "-o", out, "--today", DAY, *args, kb=kb)
    assert result.exit_code == 0, result.output
    return result


def tree(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def replace(path, old, new, count=1):
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count))


def add_meeting(repo):
    """A new meeting with the same counterpart, a month after the last one."""
    text = (repo / BAKER_MEETING).read_text()
    text = text.replace("id: 2025-12-06-naqvi-baker", "id: 2026-01-30-naqvi-baker")
    text = text.replace("date: 2025-12-06", "date: 2026-01-30")
    text = text.replace("title: Interior Minister Naqvi meets", "title: Naqvi meets again")
    (repo / "meetings/2026-01-30-naqvi-baker.yaml").write_text(text)


def new_id(repo):
    """Natalie Baker under a new id, the old one kept as a former id: every reference to her
    resolves to another record (kb.site.deps.Moved's ``refs``)."""
    old = repo / "people/natalie-baker.yaml"
    text = old.read_text().replace("id: natalie-baker\n", "id: natalie-baker-2\nformer_ids: [natalie-baker]\n", 1)
    (repo / "people/natalie-baker-2.yaml").write_text(text)
    old.unlink()


EDITS = {
    "a title": lambda repo: replace(
        repo / BAKER_MEETING, "title: Interior Minister", "title: Edited, Interior Minister"
    ),
    "a summary": lambda repo: replace(repo / BAKER_MEETING, "summary: >-\n", "summary: >-\n  Edited.\n"),
    "an outcome's status": lambda repo: replace(repo / BAKER_MEETING, "    status: open", "    status: fulfilled"),
    "a person's name": lambda repo: replace(
        repo / "people/natalie-baker.yaml", "name: Natalie Baker", "name: Nat Baker"
    ),
    "an organisation's name": lambda repo: replace(
        repo / "orgs/pk-anti-narcotics-force.yaml", "name: Anti-Narcotics Force", "name: Anti Narcotics Force"
    ),
    "a name a summary mentions": lambda repo: replace(
        repo / "people/graeme-biggar.yaml", "aliases:\n", "aliases:\n  - name: airport screening\n    kind: spelling\n"
    ),
    "a meeting added": add_meeting,
    "a person's id changed (the old one kept as former)": new_id,
    "a meeting removed": lambda repo: (repo / BAKER_MEETING).unlink(),
    "a meeting's sensitivity raised": lambda repo: replace(
        repo / BAKER_MEETING, "sensitivity: CLEAR", "sensitivity: RED"
    ),
    "a role in an organisation she never met for": lambda repo: replace(
        repo / "people/natalie-baker.yaml",
        "    org: us-embassy-islamabad\n    country: US\n    start: 2025-01\n",
        "    org: pk-cricket-board\n    country: US\n    start: 2025-01\n",
    ),
    "a participant's side (the graph's pairs)": lambda repo: replace(
        repo / BAKER_MEETING,
        "  - org: pk-ministry-of-interior\n    side: PK\n    title: Senior officials",
        "  - org: pk-ministry-of-interior\n    side: US\n    title: Senior officials",
    ),
    "an outcome added (the rows after it move)": lambda repo: replace(
        repo / BAKER_MEETING,
        "outcomes:\n",
        "outcomes:\n  - id: a-new-step\n    kind: commitment\n    text: Zanzibarite scanners for Torkham.\n"
        "    by:\n      - PK\n    status: open\n",
    ),
    "a role's post": lambda repo: replace(
        repo / "people/natalie-baker.yaml", "post: us-deputy-chief-of-mission-pakistan", "post: us-ambassador-pakistan"
    ),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The repository's records and their site built for an audience, as a folder holding `kb/`
    and `site/`: built once for the module, then put back before each test from a copy of it, in
    the same place (what kb keeps between builds names the records' and the site's folders)."""
    import shutil

    from click.testing import CliRunner
    from conftest import copy_repository

    from kb.cli import cli

    made: dict = {}

    def restore(audience: str | None):
        args = ["--audience", audience] if audience else []
        if audience not in made:
            work = tmp_path_factory.mktemp("built")
            (work / "kb").mkdir()
            copy_repository(work / "kb")
            command = ["--kb", str(work / "kb"), "site", "build", "-o", str(work / "site"), "--today", DAY, *args]
            result = CliRunner().invoke(cli, command, catch_exceptions=False)
            assert result.exit_code == 0, result.output
            made[audience] = (work, shutil.copytree(work, work.with_name(f"{work.name}-kept"), symlinks=True))
        work, kept = made[audience]
        shutil.rmtree(work)
        shutil.copytree(kept, work, symlinks=True)  # copy2: the files' times as the build left them
        return work / "kb", work / "site", args

    return restore


def in_sequence() -> list[str]:
    """Every edit, in an order in which each finds the files it edits (the last two remove them)."""
    last = ["a person's id changed (the old one kept as former)", "a meeting removed"]
    return [edit for edit in sorted(EDITS) if edit not in last] + last


@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize("audience", [None, "GREEN"])
def test_a_build_after_an_edit_is_the_cold_build(run_kb, built, tmp_path, edit, audience):
    repo, out, args = built(audience)
    cold = tmp_path / "cold"
    EDITS[edit](repo)
    build(run_kb, repo, out, *args)
    result = run_kb("--no-cache", "site", "build", "-o", cold, "--today", DAY, *args, kb=repo)
    assert result.exit_code == 0, result.output
    assert tree(out) == tree(cold)


def test_edits_one_after_another_and_the_days_between(run_kb, repo, tmp_path):
    out = tmp_path / "site"
    build(run_kb, repo, out)
    order = in_sequence()
    for number, edit in enumerate(order):
        EDITS[edit](repo)
        day = (dt.date(2024, 10, 30) + dt.timedelta(days=number * 40)).isoformat()
        run_kb("site", "build", "-o", out, "--today", day, kb=repo)
        cold = tmp_path / f"cold-{number}"
        result = run_kb("--no-cache", "site", "build", "-o", cold, "--today", day, kb=repo)
        assert result.exit_code == 0, result.output
        assert tree(out) == tree(cold), edit


def tokenised(monkeypatch) -> list[set[str]]:
    """The files whose rows SQLite tokenises for the search index, in each call (kb.store.index's
    ``tokens``, the only way to its tokenizers for the site)."""
    from kb.store import index

    calls: list[set[str]] = []
    tokens = index.tokens

    def counted(rows, groups):
        calls.append({row[0] for row in rows})
        return tokens(rows, groups)

    monkeypatch.setattr(index, "tokens", counted)
    return calls


def block_of(repo, path: str, every: int) -> set[str]:
    """The meetings of the search index's block (of the first level) that holds ``path``: by file,
    a block ends at a meeting whose path's CRC-32 is a multiple of ``every``."""
    import zlib

    block: list[str] = []
    for each in sorted(f"meetings/{p.name}" for p in (repo / "meetings").glob("*.yaml")):
        block.append(each)
        if zlib.crc32(each.encode("utf-8")) % every == 0:
            if path in block:
                break
            block = []
    return set(block)


def test_a_summary_edit_tokenises_its_meeting_alone(run_kb, repo, tmp_path, monkeypatch):
    """Its block is remade from the block as kept, the other meetings' rows cut from its shard."""
    from kb.site import searchshards

    monkeypatch.setattr(searchshards, "LEVELS", (3, 6))  # blocks of about three meetings
    out, cold = tmp_path / "site", tmp_path / "cold"
    calls = tokenised(monkeypatch)
    build(run_kb, repo, out)
    meetings = {f"meetings/{p.name}" for p in (repo / "meetings").glob("*.yaml")}
    assert calls == [meetings]  # the first build tokenises every meeting, in one go
    calls.clear()
    EDITS["a summary"](repo)
    build(run_kb, repo, out)
    assert len(block_of(repo, BAKER_MEETING, 3)) > 1  # the block holds other meetings
    assert calls == [{BAKER_MEETING}]
    result = run_kb("--no-cache", "site", "build", "-o", cold, "--today", DAY, kb=repo)
    assert result.exit_code == 0, result.output
    assert tree(out) == tree(cold)


def test_small_blocks_merge_to_the_cold_build(run_kb, repo, tmp_path, monkeypatch):
    """Blocks of about three meetings, and of about six, so that every edit remakes one block and
    re-merges a block of the second level beside blocks kept whole, with the rows after it moved:
    the meeting edited is tokenised alone, a meeting added with the block it joins (its files are
    not those of a block kept)."""
    from kb.site import searchshards

    monkeypatch.setattr(searchshards, "LEVELS", (3, 6))
    out = tmp_path / "site"
    build(run_kb, repo, out)
    calls = tokenised(monkeypatch)
    edits = {
        "an outcome added (the rows after it move)": lambda: {BAKER_MEETING},
        "a summary": lambda: {BAKER_MEETING},
        "a meeting added": lambda: block_of(repo, "meetings/2026-01-30-naqvi-baker.yaml", 3),
    }
    for number, (edit, changed) in enumerate(edits.items()):
        EDITS[edit](repo)
        calls.clear()
        build(run_kb, repo, out)
        assert calls == [changed()], edit
        cold = tmp_path / f"cold-{number}"
        result = run_kb("--no-cache", "site", "build", "-o", cold, "--today", DAY, kb=repo)
        assert result.exit_code == 0, result.output
        assert tree(out) == tree(cold), edit


@pytest.mark.parametrize("damage", ["altered", "planted", "sealed, cut short", "sealed, with more after"])
def test_kept_search_shards_are_trusted_only_as_sealed(run_kb, repo, tmp_path, monkeypatch, damage):
    """The shards the index is merged from are sealed with the user's key: a file altered or
    planted in .kb-cache is not read, nor one sealed whose shards do not end it, and every
    meeting is tokenised again."""
    from kb.site.build import SEARCH_HEADER
    from kb.store.cache import read_sealed, write_sealed

    out, cold = tmp_path / "site", tmp_path / "cold"
    build(run_kb, repo, out)
    (kept,) = (repo / ".kb-cache").glob("site-*.search.bin")
    data = kept.read_bytes()
    body = bytes(read_sealed(kept, SEARCH_HEADER) or b"")
    assert body
    if damage == "altered":
        kept.write_bytes(data[:-40] + bytes(b ^ 1 for b in data[-40:]))
    elif damage == "planted":
        import marshal

        header = data[: data.index(b"\n") + 1]
        kept.write_bytes(header + bytes(32) + marshal.dumps(("1", {}, {})))
    else:  # the head, then every shard but the last one's last byte, or every shard and a byte more
        assert write_sealed(kept, SEARCH_HEADER, body[:-1] if "cut" in damage else (body, b"\0"))
    calls = tokenised(monkeypatch)
    EDITS["a summary"](repo)
    build(run_kb, repo, out)
    assert calls == [{f"meetings/{p.name}" for p in (repo / "meetings").glob("*.yaml")}]
    result = run_kb("--no-cache", "site", "build", "-o", cold, "--today", DAY, kb=repo)
    assert result.exit_code == 0, result.output
    assert tree(out) == tree(cold)


def looked_at(repo, out, edit) -> list[str]:
    """The files kb worked out afresh after ``edit`` (the build's report), as `kb site build` reads
    the records and chooses the readers."""
    from kb.cli.common import audience

    today = dt.date.fromisoformat(DAY)
    kb = load(repo)
    build_site(kb, out, audience(kb, None), today=today)
    edit(repo)
    kb = load(repo)
    return build_site(kb, out, audience(kb, None), today=today).looked


AGGREGATES = [
    "commitments.html",
    "countries.html",
    "graph.html",
    "graph.svg",
    "index.html",
    "meetings.html",
    "orgs.html",
    "people.html",
    "problems.html",
    "search-index.js",
    "search.html",
    "topics.html",
]


def test_a_summary_edit_looks_at_its_meeting_page_alone(repo, tmp_path):
    looked = looked_at(repo, tmp_path / "site", EDITS["a summary"])
    # the summary is on the meeting's page alone, and in the search index; the problems are
    # always looked at (kb check's findings are no record's)
    assert looked == ["meetings/2025-12-06-naqvi-baker.html", "problems.html", "search-index.js"]


# What of the pages that read every record a title (or an outcome) can change (kb.site.deps.ASPECTS).
LISTING = ["commitments.html", "index.html", "meetings.html", "problems.html", "search-index.js"]


def test_a_title_edit_looks_at_the_pages_that_list_the_meeting_and_not_others(repo, tmp_path):
    looked = looked_at(repo, tmp_path / "site", EDITS["a title"])
    listing = {
        *LISTING,
        "meetings/2025-12-06-naqvi-baker.html",
        "meetings/2026-01-24-naqvi-baker.html",  # follows it, and has the same counterpart
        "people/natalie-baker.html",
        "people/mohsin-naqvi.html",
        "orgs/us-embassy-islamabad.html",
        "orgs/us-department-of-state.html",  # above the embassy: its meetings are the department's
        "topics/counter-narcotics.html",
        "countries/US.html",
    }
    assert listing <= set(looked)
    assert "people/graeme-biggar.html" not in looked  # never met Baker, from another country
    assert not [path for path in looked if path.startswith("sources/")]
    # no graph draws a title, and the lists of people, organisations, countries and topics show none
    assert [path for path in looked if "/" not in path] == LISTING
    assert [path for path in looked if path.startswith("countries/")] == ["countries/PK.html", "countries/US.html"]


def test_an_outcome_edit_looks_at_no_graph_list_or_topic(repo, tmp_path):
    looked = looked_at(repo, tmp_path / "site", EDITS["an outcome's status"])
    # the home page (what is overdue, the charts) and the commitments read outcomes; no list of
    # meetings, people, organisations, countries or topics shows one, nor any graph or topic page
    assert [path for path in looked if "/" not in path] == ["commitments.html", "index.html", *LISTING[3:]]
    assert not [path for path in looked if path.startswith("topics/")]
    assert [path for path in looked if path.startswith("countries/")] == ["countries/PK.html", "countries/US.html"]
    parties = {"meetings/2025-12-06-naqvi-baker.html", "people/natalie-baker.html", "people/mohsin-naqvi.html"}
    assert parties <= set(looked)


def test_a_change_the_graphs_draw_looks_at_the_country_pages_that_draw_it(repo, tmp_path):
    looked = looked_at(repo, tmp_path / "site", EDITS["a participant's side (the graph's pairs)"])
    assert [path for path in looked if "/" not in path] == AGGREGATES
    assert len([path for path in looked if path.startswith("countries/")]) > 2


def test_nothing_changed_looks_at_nothing(repo, tmp_path):
    assert looked_at(repo, tmp_path / "site", lambda repo: None) == []


def test_a_file_that_is_no_record_looks_at_every_page(repo, tmp_path):
    """What is not a meeting, person or organisation is in the build's stamp: kb.yaml, topics.yaml
    and any other file kb reads."""
    looked = looked_at(repo, tmp_path / "site", lambda repo: (repo / "meetings/notes.txt").write_text("no record\n"))
    assert "people/graeme-biggar.html" in looked
    assert len(looked) > 60


def test_the_report_says_how_many_pages_were_looked_at(run_kb, repo, tmp_path):
    out = tmp_path / "site"
    build(run_kb, repo, out)
    EDITS["a summary"](repo)
    result = build(run_kb, repo, out)
    # the meeting's page and the search index (a new word)
    assert re.search(r": \d+ files, 2 written, \d+ unchanged \(3 looked at\)", result.stderr), result.stderr


def test_a_day_on_which_no_outcome_reads_otherwise_looks_at_the_problems_alone(run_kb, repo, tmp_path):
    """2027-05-22 is past the window of 2027-01-02 (an outcome's date falls about then) but no
    outcome's status, overdue flag or open item differs between the two days: the pages are the
    same bytes, and those of a cold build on the later day."""
    from kb.cli.common import audience

    out, cold = tmp_path / "site", tmp_path / "cold"
    kb = load(repo)
    build_site(kb, out, audience(kb, None), today=dt.date(2027, 1, 2))
    before = tree(out)
    report = build_site(load(repo), out, audience(kb, None), today=dt.date(2027, 5, 22))
    assert report.looked == ["problems.html"]
    assert tree(out) == before
    result = run_kb("--no-cache", "site", "build", "-o", cold, "--today", "2027-05-22", kb=repo)
    assert result.exit_code == 0, result.output
    assert tree(out) == tree(cold)


def test_a_day_that_looks_at_the_problems_alone_asks_after_each_file_once(repo, tmp_path, monkeypatch):
    """Such a day (as above) leaves every page as it is: it asks each file of the site for its
    size and modification time once (whether it is intact, and for what the next build reads),
    never two or three times, and reads none of them."""
    from kb.cli.common import audience
    from kb.site import build as site_build

    out = tmp_path / "site"
    kb = load(repo)
    build_site(kb, out, audience(kb, None), today=dt.date(2027, 1, 2))
    asked: Counter = Counter()
    real = site_build._lstat
    monkeypatch.setattr(site_build, "_lstat", lambda path: asked.update([path]) or real(path))
    report = build_site(load(repo), out, audience(kb, None), today=dt.date(2027, 5, 22))
    assert report.looked == ["problems.html"] and not report.written
    files = sorted(str(path) for path in out.rglob("*") if path.is_file() and path.name != site_build.MANIFEST)
    assert sorted(asked) == files
    assert set(asked.values()) == {1}


SUCCESSOR = """id: test-successor
name: Test Successor
country: GB
roles:
  - title: Ambassador
    post: us-chief-of-mission-pakistan
    org: us-embassy-islamabad
    country: US
    start: 2027-03-01
"""


def test_a_role_beginning_between_two_builds_is_the_cold_build(run_kb, repo, tmp_path):
    """Who held a post before someone is read on the day (what is open with them follows): a
    successor whose role begins between two builds with the same records (from a country that
    is no counterpart, so that only its predecessors' meetings are open with it)."""
    (repo / "people/test-successor.yaml").write_text(SUCCESSOR)
    out, cold = tmp_path / "site", tmp_path / "cold"
    assert run_kb("site", "build", "-o", out, "--today", "2027-02-20", kb=repo).exit_code == 0
    page = (out / "people/test-successor.html").read_bytes()
    assert run_kb("site", "build", "-o", out, "--today", "2027-03-10", kb=repo).exit_code == 0
    assert (out / "people/test-successor.html").read_bytes() != page  # the predecessors' meetings
    result = run_kb("--no-cache", "site", "build", "-o", cold, "--today", "2027-03-10", kb=repo)
    assert result.exit_code == 0, result.output
    assert tree(out) == tree(cold)


def read_again(monkeypatch) -> dict[str, list[str]]:
    """The meetings (by file) whose mentions were looked for in their text (``Site._meeting_mentions``),
    whose keys were made (``deps._meeting_keys``), whose search facts were read
    (``search.Inputs._facts``) and which the per-meeting checks went through (``MeetingSubset``)."""
    from kb.checks import runner
    from kb.site import deps, pages, search

    seen: dict[str, list[str]] = {"scanned": [], "keyed": [], "facts": [], "checked": []}

    def spy(owner, name: str, what: str, meeting_of):
        real = getattr(owner, name)

        def counted(*args, **kwargs):
            seen[what] += meeting_of(*args, **kwargs)
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)

    spy(pages.Site, "_meeting_mentions", "scanned", lambda site, meeting, *rest: [meeting.relpath])
    spy(deps, "_meeting_keys", "keyed", lambda site, meeting: [meeting.relpath])
    spy(search.Inputs, "_facts", "facts", lambda inputs, number, *rest: [inputs.paths[number]])
    spy(runner, "MeetingSubset", "checked", lambda kb, meetings, **others: [m.relpath for m in meetings])
    return seen


def test_a_rename_reads_again_only_the_meetings_it_can_reach(run_kb, tmp_path, monkeypatch):
    """Renaming a person looks for mentions again only in the meetings whose text holds every word
    of the old name or of the new one, makes keys again only for those whose mentions moved, reads
    the search facts again only of the meetings that name the person, and checks again only those
    with the person among the participants; the site is the cold build's."""
    import sys
    from pathlib import Path

    from kb.model.text import normalise

    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    try:
        import hub
    finally:
        sys.path.pop(0)
    repo, out, cold = tmp_path / "kb", tmp_path / "site", tmp_path / "cold"
    busiest = hub.generate(60, repo)["busiest"]
    build(run_kb, repo, out)
    person = repo / "people" / f"{busiest}.yaml"
    old = re.search(r'^name: "(.+)"$', person.read_text(), re.M).group(1)
    replace(person, f'name: "{old}"', f'name: "Renamed {old}"')
    seen = read_again(monkeypatch)
    build(run_kb, repo, out)
    kb = load(repo)
    texts = {
        m.relpath: " ".join(normalise(t) for t in [m.summary or "", *(n.text for n in m.notes)])
        for m in kb.meetings.values()
    }
    names = [set(normalise(name).split()) for name in (old, f"Renamed {old}")]
    holding = {path for path, text in texts.items() if any(name <= set(text.split()) for name in names)}
    files = {m.relpath: (repo / m.relpath).read_text() for m in kb.meetings.values()}
    naming = {path for path, text in files.items() if busiest in text}
    attending = {path for path, text in files.items() if f"person: {busiest}\n" in text}
    assert set(seen["scanned"]) == holding and len(seen["scanned"]) == len(holding)
    assert set(seen["keyed"]) <= holding  # those whose mentions moved (a name present is no mention)
    assert sorted(seen["facts"]) == sorted(naming) and attending and attending <= naming
    assert sorted(seen["checked"]) == sorted(attending)
    assert len(naming | holding) < len(files) / 4
    result = run_kb("--no-cache", "site", "build", "-o", cold, "--today", DAY, kb=repo)
    assert result.exit_code == 0, result.output
    assert tree(out) == tree(cold)


def test_a_new_id_makes_again_the_keys_of_the_meetings_that_refer_to_it(run_kb, repo, tmp_path, monkeypatch):
    """Every reference to a person whose id moves (the old one kept as a former id) resolves to
    another record: the keys, mentions and search facts of the meetings that refer to her are made
    again (their links and counterparts' pairs follow), and no other meeting's are."""
    out, cold = tmp_path / "site", tmp_path / "cold"
    build(run_kb, repo, out)
    new_id(repo)
    seen = read_again(monkeypatch)
    build(run_kb, repo, out)
    naming = {f"meetings/{p.name}" for p in (repo / "meetings").glob("*.yaml") if "natalie-baker" in p.read_text()}
    assert len(naming) == 2 and len(list((repo / "meetings").glob("*.yaml"))) > 2
    assert sorted(seen["keyed"]) == sorted(seen["scanned"]) == sorted(seen["facts"]) == sorted(naming)
    result = run_kb("--no-cache", "site", "build", "-o", cold, "--today", DAY, kb=repo)
    assert result.exit_code == 0, result.output
    assert tree(out) == tree(cold)


@pytest.mark.parametrize("edit", ["a title", "an outcome's status"])
def test_an_edit_works_out_open_items_of_the_meetings_with_some_open_alone(repo, tmp_path, monkeypatch, edit):
    """Which of each meeting's outcomes are open on the day is kept with its file: after an edit
    the outcomes asked whether they are open are the edited meeting's and those open the last day."""
    from kb.cli.common import audience
    from kb.query import scope

    today = dt.date.fromisoformat(DAY)
    replace(repo / "meetings/2024-07-13-naqvi-blome.yaml", "    status: open\n", "    status: fulfilled\n", 2)
    kb = load(repo)
    after = scope.stale_after(kb)
    opened = Counter(
        o.meeting.relpath for m in kb.meetings.values() for o in m.outcomes if scope.open_item(o, "", today, after)
    )
    build_site(kb, tmp_path / "site", audience(kb, None), today=today)
    EDITS[edit](repo)
    asked: Counter = Counter()
    real = scope.open_item

    def spy(outcome, *args):
        asked[outcome.meeting.relpath] += 1
        return real(outcome, *args)

    monkeypatch.setattr(scope, "open_item", spy)
    kb = load(repo)
    build_site(kb, tmp_path / "site", audience(kb, None), today=today)
    outcomes = {m.relpath: len(m.outcomes) for m in kb.meetings.values()}
    assert asked == {**opened, BAKER_MEETING: outcomes[BAKER_MEETING]}
    # meetings with outcomes, none open: not one of their outcomes is asked about
    assert [path for path, count in outcomes.items() if count and path not in opened]


@pytest.mark.parametrize(
    ("edit", "made"), [("a title", 0), ("an outcome's status", 1), ("a participant's side (the graph's pairs)", 1)]
)
def test_the_home_page_s_charts_are_made_again_only_when_what_they_read_moved(repo, tmp_path, monkeypatch, edit, made):
    """The charts read every meeting's outcomes, sides, mode, topics and dates, never a title: a
    title edit takes the last build's; the site is the cold build's either way."""
    from kb.cli.common import audience
    from kb.site import charts

    today = dt.date.fromisoformat(DAY)
    kb = load(repo)
    build_site(kb, tmp_path / "site", audience(kb, None), today=today)
    EDITS[edit](repo)
    calls = []
    real = charts.home_charts
    monkeypatch.setattr(charts, "home_charts", lambda site: calls.append(1) or real(site))
    kb = load(repo)
    report = build_site(kb, tmp_path / "site", audience(kb, None), today=today)
    assert "index.html" in report.looked
    assert len(calls) == made
    build_site(kb, tmp_path / "cold", audience(kb, None), today=today, reuse=False)
    assert tree(tmp_path / "site") == tree(tmp_path / "cold")


@pytest.mark.parametrize(
    ("edit", "made"),
    [
        ("a title", {BAKER_MEETING}),
        ("an outcome's status", {BAKER_MEETING}),
        # every reference to Baker resolves to another record: the meetings that name her
        ("a person's id changed (the old one kept as former)", {BAKER_MEETING, "meetings/2026-01-24-naqvi-baker.yaml"}),
    ],
)
def test_an_edit_makes_the_commitments_share_of_the_meetings_it_can_move_alone(repo, tmp_path, monkeypatch, edit, made):
    """Each meeting's share of the commitments' index (its outcomes' parties) is kept with its
    file; an edit makes that of the meetings whose file changed or whose references resolve
    otherwise, and the site is the cold build's."""
    from kb.cli.common import audience
    from kb.site import pages

    today = dt.date.fromisoformat(DAY)
    kb = load(repo)
    build_site(kb, tmp_path / "site", audience(kb, None), today=today)
    EDITS[edit](repo)
    shared = set()
    real = pages.Site._commitment_share

    def spy(site, meeting):
        shared.add(meeting.relpath)
        return real(site, meeting)

    monkeypatch.setattr(pages.Site, "_commitment_share", spy)
    kb = load(repo)
    build_site(kb, tmp_path / "site", audience(kb, None), today=today)
    assert shared == made
    build_site(kb, tmp_path / "cold", audience(kb, None), today=today, reuse=False)
    assert tree(tmp_path / "site") == tree(tmp_path / "cold")


@pytest.mark.parametrize("title_first", [False, True], ids=["alone", "after-a-title"])
def test_an_outcome_edit_makes_the_status_spans_of_its_meeting_alone(repo, tmp_path, monkeypatch, title_first):
    """The commitments-by-status chart counts each meeting's spans of years of its outcomes'
    statuses, kept with its file for the same years' ends: an outcome's edit makes its meeting's,
    also after a title's edit (which takes the last build's charts and keeps their spans)."""
    from kb.cli.common import audience
    from kb.site import charts

    today = dt.date.fromisoformat(DAY)
    kb = load(repo)
    build_site(kb, tmp_path / "site", audience(kb, None), today=today)
    if title_first:
        EDITS["a title"](repo)
        kb = load(repo)
        build_site(kb, tmp_path / "site", audience(kb, None), today=today)
    EDITS["an outcome's status"](repo)
    made = []
    real = charts.meeting_spans
    monkeypatch.setattr(
        charts, "meeting_spans", lambda meeting, ends: made.append(meeting.relpath) or real(meeting, ends)
    )
    kb = load(repo)
    build_site(kb, tmp_path / "site", audience(kb, None), today=today)
    assert made == [BAKER_MEETING]
    made.clear()
    build_site(kb, tmp_path / "cold", audience(kb, None), today=today, reuse=False)
    assert len(made) == len(kb.meetings)
    assert tree(tmp_path / "site") == tree(tmp_path / "cold")


def _hub_facts(repo):
    """Of the hub's records: each meeting's foreign sides and whether an outcome of it is open on
    the day, and the people of each country."""
    from kb.query import scope

    kb = load(repo)
    today, after = dt.date.fromisoformat(DAY), scope.stale_after(kb)
    is_open = {m.relpath: any(scope.open_item(o, "", today, after) for o in m.outcomes) for m in kb.meetings.values()}
    sides = {m.relpath: set(scope.counterpart_sides(kb, m)) for m in kb.meetings.values()}
    people: dict = {}
    for person in kb.people.values():
        people.setdefault(person.country(), set()).add(f"people/{person.id}.html")
    return kb, is_open, sides, people


def test_the_pages_of_what_is_open_are_looked_at_only_for_a_meeting_with_some_open(tmp_path):
    """The people of a meeting's foreign country (and the successors of its people in their posts)
    list it only among what is open with them: an edit of a meeting with no outcome open, in the
    last build nor now, looks at none of their pages but those of the people it names; one with an
    outcome open then or now looks at all of them. The site is the cold build's after each."""
    from conftest import write_hub

    repo, out, cold = tmp_path / "kb", tmp_path / "site", tmp_path / "cold"
    write_hub(repo, 60)
    kb, is_open, sides, people = _hub_facts(repo)
    path = min(p for p in sides if not is_open[p] and "US" in sides[p] and "\noutcomes:\n" in (repo / p).read_text())
    theirs = people["US"]
    named = {page for page in theirs if page[len("people/") : -len(".html")] in (repo / path).read_text()}
    assert len(theirs - named) > 2
    step = "outcomes:\n  - id: a-new-step\n    kind: commitment\n    text: Scanners.\n    by: [PK]\n    status: open\n"
    steps = [  # the edit, whether an outcome is open after it, whether the people's pages are looked at
        (("title: ", "title: Edited "), False, False),
        (("outcomes:\n", step), True, True),  # open now
        (("title: ", "title: Edited "), True, True),  # open then and now
        ((step, "outcomes:\n"), False, True),  # open then
        (("title: ", "title: Edited "), False, False),
    ]
    for (old, new), opened, expected in steps:
        looked = set(looked_at(repo, out, lambda repo, old=old, new=new: replace(repo / path, old, new)))
        assert _hub_facts(repo)[1][path] is opened
        assert named <= looked and (theirs - named <= looked) is expected, (old, new)
        if not expected:  # no person's page but those of the people it names (by id, or by name in its text)
            text = (repo / path).read_text()
            everyone = {f"people/{p.id}.html" for p in kb.people.values() if p.id in text or p.name in text}
            assert {p for p in looked if p.startswith("people/")} <= everyone
        result = run_kb_cold(repo, cold)
        assert result.exit_code == 0, result.output
        assert tree(out) == tree(cold)


def _successors(kb, pages: set[str]) -> set[str]:
    """The pages of the people who hold one of the posts of the people of ``pages`` (but them)."""
    ids = {page[len("people/") : -len(".html")] for page in pages}
    posts = {role.post for i in ids if i in kb.people for role in kb.people[i].roles if role.post}
    holders = {f"people/{p.id}.html" for post in posts for p, _role in kb.holders_by_post.get(post, [])}
    return holders - pages


def run_kb_cold(repo, cold):
    from click.testing import CliRunner

    from kb.cli import cli

    return CliRunner().invoke(cli, ["--kb", str(repo), "--no-cache", "site", "build", "-o", str(cold), "--today", DAY])


def test_a_rename_looks_at_no_topic_and_at_what_is_open_only_where_some_is(tmp_path):
    """A person renamed: the meetings that name the person are followed to the pages that can show
    a name through them: never a topic's (it lists the meetings' rows, which name no one), a
    country's only for a meeting with an outcome open (its graph draws the person when the
    person is a neighbour, from the person's own record), and the people of a country for such a
    meeting alone. The site is the cold build's."""
    from conftest import write_hub

    repo, out, cold = tmp_path / "kb", tmp_path / "site", tmp_path / "cold"
    busiest = write_hub(repo, 60)["busiest"]
    kb, is_open, sides, people = _hub_facts(repo)
    person = repo / "people" / f"{busiest}.yaml"
    old = re.search(r'^name: "(.+)"$', person.read_text(), re.M).group(1)
    looked = set(looked_at(repo, out, lambda repo: replace(person, f'name: "{old}"', f'name: "Renamed {old}"')))
    naming = {path for path in is_open if busiest in (repo / path).read_text()}
    assert naming and not [p for p in looked if p.startswith("topics/")]
    named = {f"people/{p}.html" for path in naming for p in scope_people(kb, path)}
    open_sides = {side for path in naming if is_open[path] for side in sides[path]}
    country_people = set().union(set(), *(people.get(side, set()) for side in open_sides))
    assert {p for p in looked if p.startswith("people/")} <= named | _successors(kb, named) | country_people
    assert {f"meetings/{path[len('meetings/') : -len('.yaml')]}.html" for path in naming} <= looked
    result = run_kb_cold(repo, cold)
    assert result.exit_code == 0, result.output
    assert tree(out) == tree(cold)


def test_a_rename_looks_at_no_page_of_a_person_met_that_did_not_link_to_the_person(tmp_path):
    """The people and organisations met with a person renamed list the person only through a link
    to the person's page (a neighbour, a party to an outcome), and choose whom to list by counts,
    dates and ids: the pages that did not link to it, as the last build left them, are not looked
    at for it. The site is the cold build's."""
    from conftest import write_hub

    repo, out, cold = tmp_path / "kb", tmp_path / "site", tmp_path / "cold"
    write_hub(repo, 120)
    kb = load(repo)
    met = {
        p.id: len(kb.meetings_by_person.get(p.id, [])) for p in kb.people.values() if not kb.is_ours(p.country() or "")
    }
    quiet = min((count, ident) for ident, count in met.items() if count)[1]  # met once or so
    person = repo / "people" / f"{quiet}.yaml"
    old = re.search(r'^name: "(.+)"$', person.read_text(), re.M).group(1)
    before: dict[str, bytes] = {}

    def rename(repo):
        before.update(tree(out))
        replace(person, f'name: "{old}"', f'name: "Renamed {old}"')

    looked = set(looked_at(repo, out, rename))
    naming = [m for m in kb.meetings.values() if quiet in m.person_ids()]
    pages = {f"people/{p}.html" for m in naming for p in scope_people(kb, m.relpath)}
    pages |= {f"orgs/{p.org}.html" for m in naming for p in m.participants if p.org and p.org in kb.orgs}
    link = f"people/{quiet}.html".encode()
    unlinked = {page for page in pages - {f"people/{quiet}.html"} if link not in before[page]}
    assert unlinked and not unlinked & looked, unlinked & looked
    assert f"people/{quiet}.html" in looked
    # Of the pages that read every record: those that name it, and those that linked to it alone.
    assert not {"countries.html", "topics.html", "search.html", "orgs.html"} & looked
    for page in ("index.html", "commitments.html"):
        every = [name for name in before if name == page or re.fullmatch(page[:-5] + r"-\d+\.html", name)]
        assert (page in looked) is any(link in before[name] for name in every), page
    result = run_kb_cold(repo, cold)
    assert result.exit_code == 0, result.output
    assert tree(out) == tree(cold)
    # Such a page altered by hand since the last build is not taken for what that build left.
    altered = min(unlinked)

    def rename_back(repo):
        (out / altered).write_bytes((out / altered).read_bytes() + b" ")
        replace(person, f'name: "Renamed {old}"', f'name: "{old}"')

    assert altered in looked_at(repo, out, rename_back)
    assert run_kb_cold(repo, cold).exit_code == 0
    assert tree(out) == tree(cold)
    # Anything but a name changed: every page that reads every record is looked at.
    looked = set(looked_at(repo, out, lambda repo: replace(person, "\nroles:", "\nnotes: Moved on.\nroles:")))
    assert {"countries.html", "topics.html", "index.html", "commitments.html"} <= looked


def test_an_organisation_renamed_looks_at_the_lists_that_name_it_and_is_the_cold_build(tmp_path):
    """An organisation's name and abbreviation changed: the list of organisations and the graph
    name it, the people's and the meetings' lists do not; the site is the cold build's."""
    from conftest import write_hub

    repo, out, cold = tmp_path / "kb", tmp_path / "site", tmp_path / "cold"
    write_hub(repo, 60)
    kb = load(repo)
    texts = [m.read_text() for m in (repo / "meetings").rglob("*.yaml")]
    org = max(kb.orgs.values(), key=lambda o: (sum(o.id in text for text in texts), o.id))  # met most often
    path = repo / org.relpath
    looked = set(looked_at(repo, out, lambda repo: replace(path, "\nname: ", "\nabbreviation: XQ\nname: Renamed ")))
    assert {"orgs.html", f"orgs/{org.id}.html"} <= looked
    assert not {"meetings.html", "people.html", "countries.html", "topics.html"} & looked
    result = run_kb_cold(repo, cold)
    assert result.exit_code == 0, result.output
    assert tree(out) == tree(cold)


def test_a_rename_tokenises_the_meetings_that_name_the_person_alone(run_kb, tmp_path, monkeypatch):
    """A person named in meetings spread over many blocks of the search index: the blocks that hold
    them are made again from the blocks as kept, tokenising those meetings alone, and only the
    kept parts of facts that hold them are compressed again (the snippets' packing, which no name
    is in, is kept as read); a title edit after it tokenises its meeting alone and compresses one
    part again. The site is the cold build's."""
    import sys
    from pathlib import Path

    from kb.site import searchshards

    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    try:
        import hub
    finally:
        sys.path.pop(0)
    monkeypatch.setattr(searchshards, "LEVELS", (4, 16))  # blocks of about four meetings
    monkeypatch.setattr(searchshards, "FACTS", 8)  # parts of eight meetings' facts
    packed: list[str] = []
    pack = searchshards._packed

    def counted(value):
        packed.append("facts" if isinstance(value, list) else "packing" if len(value) == 3 else "block")
        return pack(value)

    monkeypatch.setattr(searchshards, "_packed", counted)
    repo, out, cold = tmp_path / "kb", tmp_path / "site", tmp_path / "cold"
    minister = hub.generate(100, repo)["hub"]  # our minister: in about one meeting in eight
    build(run_kb, repo, out)
    person = repo / "people" / f"{minister}.yaml"
    old = re.search(r'^name: "(.+)"$', person.read_text(), re.M).group(1)
    replace(person, f'name: "{old}"', f'name: "Renamed {old}"')
    calls = tokenised(monkeypatch)
    packed.clear()
    build(run_kb, repo, out)
    paths = sorted(f"meetings/{p.name}" for p in (repo / "meetings").glob("*.yaml"))
    naming = {path for path in paths if minister in (repo / path).read_text()}
    blocks = {frozenset(block_of(repo, path, 4)) for path in naming}
    assert len(naming) > 2 and len(blocks) > 2 and sum(map(len, blocks)) > len(naming)
    assert len(calls) == 1 and calls[0] == naming
    parts = {paths.index(path) // 8 for path in naming}
    assert packed.count("facts") == len(parts) < len(paths) / 8 and "packing" not in packed
    calls.clear()
    packed.clear()
    edited = next(path for path in paths if path not in naming)
    replace(repo / edited, "title: ", "title: Edited ")
    build(run_kb, repo, out)
    assert calls == [{edited}] and packed.count("facts") == 1 and "packing" not in packed
    result = run_kb("--no-cache", "site", "build", "-o", cold, "--today", DAY, kb=repo)
    assert result.exit_code == 0, result.output
    assert tree(out) == tree(cold)


def scope_people(kb, path: str) -> set[str]:
    from kb.query import scope

    meeting = next(m for m in kb.meetings.values() if m.relpath == path)
    return scope.meeting_people(kb, meeting)


def test_facts_kept_without_their_texts_are_read_again_when_the_packing_does_not_hold_them(
    run_kb, repo, tmp_path, monkeypatch
):
    """The kept facts leave out the snippets' texts (the packing holds them): a packing that lacks a
    meeting (sealed, so read) has every text read again from the records, and the site is the cold
    build's."""
    from kb.site import search
    from kb.site.build import SEARCH_HEADER
    from kb.site.searchshards import Kept
    from kb.store.cache import read_sealed, write_sealed

    out, cold = tmp_path / "site", tmp_path / "cold"
    build(run_kb, repo, out)
    (path,) = (repo / ".kb-cache").glob("site-*.search.bin")
    kept = Kept.load(read_sealed(path, SEARCH_HEADER))
    assert kept.facts and all(fact[-1] is None for _digest, fact in kept.facts.values())
    other = next(p for p in sorted(kept.facts) if p != BAKER_MEETING)
    counts, words, packed = kept.packing
    kept.packing = (counts, words, {p: texts for p, texts in packed.items() if p != other})
    kept.stored_packing = None
    assert write_sealed(path, SEARCH_HEADER, kept.parts())
    read: list[str] = []
    snippets = search.snippets
    monkeypatch.setattr(search, "snippets", lambda data: read.append(data["id"]) or snippets(data))
    EDITS["a summary"](repo)
    build(run_kb, repo, out)
    # each once: the edited meeting for its facts, every other for its texts
    assert sorted(read) == sorted(p.stem for p in (repo / "meetings").glob("*.yaml"))
    result = run_kb("--no-cache", "site", "build", "-o", cold, "--today", DAY, kb=repo)
    assert result.exit_code == 0, result.output
    assert tree(out) == tree(cold)
