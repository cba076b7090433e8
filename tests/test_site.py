"""`kb site build` and `kb site serve` on the repository's own records."""

import re
import threading
import time
import urllib.request

import pytest
from click.testing import CliRunner
from conftest import copy_repository, examples
from hypothesis import given, settings
from hypothesis import strategies as st
from sitecheck import all_text, broken_links, fts_statistics, index_statistics, search_index

from kb.cli import cli
from kb.site.build import MANIFEST


def build(run_kb, kb, out, *args):
    result = run_kb("site", "build", "-o", out, *args, kb=kb)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The repository's records and their site, built once for the tests that only read them."""
    root = tmp_path_factory.mktemp("kb")
    copy_repository(root)
    out = root.parent / "site"
    result = CliRunner().invoke(cli, ["--kb", str(root), "site", "build", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root, out, result


def test_the_repository_site_has_every_page_and_its_content(built):
    _repo, out, result = built
    assert result.stderr.startswith(f"kb: site in {out}: ")
    home = (out / "index.html").read_text()
    for title in (
        "Interior Minister Naqvi meets US Ambassador Blome",
        "Interior Minister Naqvi meets UK National Crime Agency Director General Biggar",
    ):
        assert title in home
    assert '<span class="number">4</span> meetings' in home
    assert home.count('<figure class="chart"') == 4
    for path in (
        "meetings/2024-07-13-naqvi-blome.html",
        "people/donald-blome.html",
        "orgs/uk-national-crime-agency.html",
        "countries/US.html",
        "countries/GB.html",
        "topics/counter-narcotics.html",
        "posts/us-chief-of-mission-pakistan.html",
        "commitments.html",
        "problems.html",
        "graph.html",
        "graph.svg",
        "search.html",
        "search-index.js",
        "site.css",
        "site.js",
        MANIFEST,
    ):
        assert (out / path).is_file(), path
    blome = (out / "people/donald-blome.html").read_text()
    # the successor in his post, in order, and the meeting he attended
    assert re.search(
        r"Donald Blome</a>, <span dir=\"auto\">Ambassador to Pakistan</span>, May 2022 – 11 January 2025"
        r"</li><li><a href=\"../people/natalie-baker.html\" dir=\"auto\">Natalie Baker</a>",
        blome,
    )
    assert 'href="../meetings/2024-07-13-naqvi-blome.html"' in blome
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="kb-figure" id="roles-donald-blome" role="img"' in blome
    us = (out / "countries/US.html").read_text()
    timeline = us[us.index('id="timeline-h"') :]
    assert re.findall(r'<td class="date">([\d-]+)</td>', timeline) == ["2024-07-13", "2025-12-06", "2026-01-24"]
    assert '<title id="ego-country-US-title">Who United States met</title>' in us
    meeting = (out / "meetings/2024-07-13-naqvi-blome.html").read_text()
    assert (
        '<a href="../people/donald-blome.html" dir="auto">Donald Blome</a></td><td><a href="../countries/US.html"'
        in meeting
    )
    assert 'href="https://www.dawn.com/news/1845722" rel="noopener noreferrer external"' in meeting
    assert "No problems found." in (out / "problems.html").read_text()
    assert broken_links(out) == []


def test_the_search_index_holds_what_kb_search_ranks(run_kb, built):
    """The items, terms and token counts of `kb search`'s index; a page per record, found by name."""
    repo, out, _result = built
    index = search_index(out)
    assert run_kb("search", "visa", kb=repo).exit_code == 0
    assert index_statistics(index) == fts_statistics(repo, 4)
    assert [m[1] for m in index["meetings"]] == [p.stem for p in sorted((repo / "meetings").glob("*.yaml"))]
    assert index["written"]["extradit"] == "0ion"  # "extradition", as SQLite stems it
    kinds = {k: sum(e["k"] == k for e in index["pages"]) for k in ("person", "org", "country", "topic")}
    assert kinds["person"] == 8 and kinds["org"] == 14
    blome = next(e for e in index["pages"] if e["u"] == "people/donald-blome.html")
    assert "donald bloom" in blome["n"]  # an alias, folded as kb folds names
    assert blome["c"] == ["US"]


def test_a_rebuild_is_byte_identical_and_writes_nothing(run_kb, repo, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    build(run_kb, repo, first)
    build(run_kb, repo, second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for relpath in files:
        assert (first / relpath).read_bytes() == (second / relpath).read_bytes(), relpath
    assert str(tmp_path) not in all_text(first)  # no absolute path leaks into the site
    again = build(run_kb, repo, first)
    assert f"{len(files) - 1} files, 0 written, {len(files) - 1} unchanged" in again.stderr  # the manifest aside


def test_an_edited_meeting_rewrites_only_the_pages_it_changes(run_kb, repo, tmp_path):
    out = tmp_path / "site"
    build(run_kb, repo, out)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.html")}
    path = repo / "meetings/2025-11-13-naqvi-biggar.yaml"
    path.write_text(
        path.read_text().replace("summary: ", "summary: Quokka. ", 1)
        if "summary: " in path.read_text()
        else path.read_text() + "summary: Quokka.\n"
    )
    result = build(run_kb, repo, out)
    written = re.search(r"(\d+) written", result.stderr).group(1)
    changed = sorted(str(p.relative_to(out)) for p in before if p.stat().st_mtime_ns != before[p])
    assert changed == ["meetings/2025-11-13-naqvi-biggar.html"]
    assert int(written) == 2  # the page and the search index
    assert "quokka" in (out / "search-index.js").read_text()
    # a meeting removed takes its page with it
    path.unlink()
    result = build(run_kb, repo, out)
    assert "1 removed" in result.stderr
    assert not (out / "meetings/2025-11-13-naqvi-biggar.html").exists()
    assert broken_links(out) == []


def test_the_graph_layout_does_not_depend_on_the_order_records_are_read(repo):
    from kb.model.records import KnowledgeBase
    from kb.site.graph import Graph
    from kb.store.loader import load

    kb = load(repo, use_cache=False)
    records = [*kb.meetings.values(), *kb.people.values(), *kb.orgs.values()]
    expected = Graph(kb).whole()["svg"]

    @settings(max_examples=examples(20), deadline=None)
    @given(st.permutations(records))
    def same(order):
        shuffled = KnowledgeBase(kb.root, kb.config, list(order), list(kb.topics.values()), [], {})
        graph = Graph(shuffled)
        assert graph.whole()["svg"] == expected
        assert graph.ego("person", "mohsin-naqvi")["svg"] == Graph(kb).ego("person", "mohsin-naqvi")["svg"]

    same()


@pytest.mark.parametrize(
    "where, message",
    [
        ("kb", "cannot be built into the knowledge base itself"),
        ("other", "holds files kb did not write"),
    ],
)
def test_a_bad_output_folder_is_refused(run_kb, repo, tmp_path, where, message):
    out = repo if where == "kb" else tmp_path / "other"
    if where == "other":
        out.mkdir()
        (out / "notes.txt").write_text("mine")
    result = run_kb("site", "build", "-o", out, kb=repo)
    assert result.exit_code == 2
    assert result.stderr.startswith("kb: error: ") and message in result.stderr
    if where == "other":
        assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_an_unknown_audience_is_a_usage_error(run_kb, repo, tmp_path):
    result = run_kb("site", "build", "-o", tmp_path / "s", "--audience", "ambr", kb=repo)
    assert result.exit_code == 2
    assert "kb: error: --audience: 'ambr' is not a TLP level; did you mean AMBER?" in result.stderr


def test_an_audience_build_withholds_a_marked_meeting_everywhere(run_kb, repo, tmp_path):
    path = repo / "meetings/2025-11-13-naqvi-biggar.yaml"
    path.write_text(path.read_text().replace("sensitivity: CLEAR", "sensitivity: AMBER"))
    out = tmp_path / "site"
    result = build(run_kb, repo, out, "--audience", "GREEN")
    assert "audience TLP:GREEN, 1 meeting(s) withheld" in result.stderr
    text = all_text(out)
    assert "2025-11-13-naqvi-biggar" not in text
    assert "UK National Crime Agency Director General Biggar" not in text
    assert "TLP:GREEN" in (out / "index.html").read_text()
    assert broken_links(out) == []


@pytest.mark.parametrize("level", [None, "GREEN", "CLEAR"])
def test_the_audience_s_copy_lists_its_meetings_in_the_order_sorting_them_gives(repo, level):
    """The site's copy is handed its meetings in order (not sorted again): the same list, one
    meeting a withheld one fewer, as sorting the copy's own meetings gives."""
    from kb.model.records import Meeting
    from kb.query.audience import Audience
    from kb.site.visible import visible_kb
    from kb.store.loader import load

    path = repo / "meetings/2025-11-13-naqvi-biggar.yaml"
    path.write_text(path.read_text().replace("sensitivity: CLEAR", "sensitivity: AMBER"))
    kb = load(repo, use_cache=False)
    copy, withheld = visible_kb(kb, Audience(level, kb.config.default_sensitivity, kb))
    assert withheld == (set() if level is None else {"2025-11-13-naqvi-biggar"})
    expected = sorted(copy.meetings.values(), key=Meeting.sort_key)
    assert [m.id for m in copy.sorted_meetings] == [m.id for m in expected]
    assert all(a is b for a, b in zip(copy.sorted_meetings, expected, strict=True))
    assert len(copy.sorted_meetings) == len(kb.meetings) - len(withheld)


def test_serve_answers_on_localhost_and_rebuilds_a_saved_record(repo, tmp_path):
    from kb.query.audience import Audience
    from kb.site.build import build_site
    from kb.site.serve import serve_site
    from kb.store.loader import load

    out = tmp_path / "site"
    lines = []
    rebuilt = threading.Event()

    def rebuild():
        report = build_site(load(repo, use_cache=False), out, Audience(None))
        return report

    def say(line):
        lines.append(line)
        if len(lines) >= 3:
            rebuilt.set()

    thread = threading.Thread(
        target=serve_site,
        args=(repo, out, 0, 0.1, rebuild, say),
        kwargs={"max_rebuilds": 1, "describe": lambda r: f"{len(r.written)} written"},
        daemon=True,
    )
    thread.start()
    deadline = time.monotonic() + 30
    while not any("serving" in line for line in lines) and time.monotonic() < deadline:
        time.sleep(0.05)
    url = re.search(r"http://127\.0\.0\.1:\d+/", next(line for line in lines if "serving" in line)).group(0)
    page = urllib.request.urlopen(url + "meetings/2024-07-13-naqvi-blome.html", timeout=10).read().decode()
    assert "Interior Minister Naqvi meets US Ambassador Blome" in page
    path = repo / "meetings/2024-07-13-naqvi-blome.yaml"
    time.sleep(0.2)
    path.write_text(
        path.read_text().replace(
            "title: Interior Minister Naqvi meets US Ambassador Blome", "title: Naqvi receives Ambassador Blome"
        )
    )
    assert rebuilt.wait(30), lines
    thread.join(10)
    assert not thread.is_alive()
    assert lines[-1] != "0 written"
    assert "Naqvi receives Ambassador Blome" in (out / "meetings/2024-07-13-naqvi-blome.html").read_text()


def test_a_broken_override_template_is_a_clear_error(run_kb, repo, tmp_path):
    (repo / "templates/site").mkdir(parents=True)
    (repo / "templates/site/topic.html.j2").write_text(
        "{% extends 'site/base.html.j2' %}\n{% block main %}\n{{ ''.__class__.__mro__ }}{% endblock %}\n"
    )
    result = run_kb("site", "build", "-o", tmp_path / "s", kb=repo)
    assert result.exit_code == 2
    assert (
        result.stderr.startswith("kb: error: ")
        and "templates/site/topic.html.j2:3: not allowed in a template" in result.stderr
    )
    (repo / "templates/site/topic.html.j2").write_text(
        "{% extends 'site/base.html.j2' %}\n{% block main %}<p>Our topic page</p>{% endblock %}\n"
    )
    build(run_kb, repo, tmp_path / "s")
    assert "<p>Our topic page</p>" in (tmp_path / "s/topics/counter-narcotics.html").read_text()


def test_a_template_escapes_each_value_it_writes_once(run_kb, repo, tmp_path):
    """``{{ ... }}`` escapes a string, a record's text, a number and a list, and writes what is
    already markup (a macro's output, a block set, a ``safe`` value) as it is: never twice."""
    (repo / "templates/site").mkdir(parents=True)
    (repo / "templates/site/topic.html.j2").write_text(
        "{% extends 'site/base.html.j2' %}\n{% block main %}"
        "{% set s = \"<a href='x'>&\\\"\" %}{% set n = 3 %}{% set t = title ~ ' & <b>' %}"
        "{% macro m() %}<b>{{ s }}</b>{% endmacro %}{% set held %}<i>{{ s }}</i>{% endset %}"
        "<p id=t>{{ s }}|{{ t }}|{{ n }}|{{ [s] }}|{{ m() }}|{{ held }}|{{ s|safe }}</p>{% endblock %}\n"
    )
    build(run_kb, repo, tmp_path / "s")
    page = (tmp_path / "s/topics/counter-narcotics.html").read_text()
    (line,) = re.findall(r"<p id=t>.*</p>", page)
    s = "&lt;a href=&#39;x&#39;&gt;&amp;&#34;"
    assert line == (
        f"<p id=t>{s}|Counter-narcotics &amp; &lt;b&gt;|3|[&#39;&lt;a href=\\&#39;x\\&#39;&gt;&amp;&#34;&#39;]"
        f"|<b>{s}</b>|<i>{s}</i>|<a href='x'>&\"</p>"
    )


def test_link_and_parties_draw_escaped_links_for_a_custom_template(run_kb, repo, tmp_path):
    """``link`` and ``parties`` (kb.rendering.templates' record_link and record_links) draw what
    the macros drew: an escaped label in a link relative to the page, a label alone without a
    page, nothing for none, commas between; a reference they cannot read is the template's error."""
    (repo / "templates/site").mkdir(parents=True)
    page = repo / "templates/site/topic.html.j2"
    page.write_text(
        '{% extends "site/base.html.j2" %}\n{% from "site/macros.html.j2" import link, parties with context %}'
        '{% block main %}<p id=t>{{ link({"href": "people/a.html", "label": "A & <b>"}) }}|'
        '{{ link({"href": None, "label": "B\'s"}) }}|{{ link(None) }}|'
        '{{ parties([{"href": "x.html", "label": "X"}, {"href": "", "label": "Y"}]) }}|{{ parties([]) }}</p>'
        "{% endblock %}\n"
    )
    build(run_kb, repo, tmp_path / "s")
    (line,) = re.findall(r"<p id=t>.*</p>", (tmp_path / "s/topics/counter-narcotics.html").read_text())
    assert line == (
        '<p id=t><a href="../people/a.html" dir="auto">A &amp; &lt;b&gt;</a>|<span dir="auto">B&#39;s</span>||'
        '<a href="../x.html" dir="auto">X</a>, <span dir="auto">Y</span>|</p>'
    )
    page.write_text(
        '{% extends "site/base.html.j2" %}\n{% from "site/macros.html.j2" import link with context %}'
        '{% block main %}{{ link({"label": "no href"}) }}{% endblock %}\n'
    )
    result = run_kb("site", "build", "-o", tmp_path / "s", kb=repo)
    assert result.exit_code == 2
    assert "templates/site/topic.html.j2" in result.stderr and "href" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_commitments_chart_counts_each_status_as_known_at_each_year_end(built):
    """The chart's table equals Outcome.status_on at the end of each year, over the records."""
    import datetime as dt
    from collections import Counter

    from kb.site.charts import STATUSES
    from kb.store.loader import load

    repo, out, _result = built
    kb = load(repo, use_cache=False)
    outcomes = [o for m in kb.meetings.values() for o in m.outcomes if o.status]
    expected = Counter()
    for year in (2024, 2025, 2026):
        end = min(dt.date(year, 12, 31), dt.date.today())
        for o in outcomes:
            if o.meeting.date.earliest() <= end:
                expected[(year, o.status_on(end))] += 1
    home = (out / "index.html").read_text()
    table = home[home.index("<caption>Data: Commitments by status over time</caption>") :]
    table = table[: table.index("</table>")]
    shown = [s for s in STATUSES if any(expected[(y, s)] for y in (2024, 2025, 2026))]
    assert re.findall(r'<th scope="col" dir="auto">([^<]+)</th>', table) == ["Year", *shown]
    for year in (2024, 2025, 2026):
        row = re.search(rf'<th scope="row" dir="auto">{year}</th>((?:<td>\d+</td>)+)', table).group(1)
        assert [int(n) for n in re.findall(r"\d+", row)] == [expected[(year, s)] for s in shown]


def test_a_page_changed_on_disk_is_written_again(run_kb, repo, tmp_path):
    out = tmp_path / "site"
    build(run_kb, repo, out)
    page = out / "people/natalie-baker.html"
    good = page.read_bytes()
    page.write_bytes(good.replace(b"Natalie Baker", b"Someone Else"))
    result = build(run_kb, repo, out)
    assert "1 written" in result.stderr and page.read_bytes() == good


def test_names_keep_their_direction_and_figures_are_described(run_kb, make_kb, tmp_path):
    kb = make_kb(
        {
            "people/mohsin-naqvi.yaml": """\
        id: mohsin-naqvi
        name: محسن نقوی
        country: PK
        roles:
          - title: Interior Minister
            post: pk-interior-minister
            org: pk-interior
            start: 2024-03-11
        """
        }
    )
    out = tmp_path / "site"
    build(run_kb, kb, out)
    person = (out / "people/mohsin-naqvi.html").read_text()
    assert '<h1 dir="auto">محسن نقوی</h1>' in person
    meeting = (out / "meetings/2024-07-13-naqvi-blome.html").read_text()
    assert '<a href="../people/mohsin-naqvi.html" dir="auto">محسن نقوی</a>' in meeting
    # landmarks on every page, and every figure titled and described
    for page in out.rglob("*.html"):
        text = page.read_text()
        for landmark in ("<header", '<nav aria-label="Site">', '<main id="main">', "<footer", "<h1"):
            assert landmark in text, (page, landmark)
        for svg in re.findall(r"<svg [^>]*>", text):
            ident = re.search(r' id="([^"]+)"', svg).group(1)
            assert f'aria-labelledby="{ident}-title {ident}-desc"' in svg
            assert f'<title id="{ident}-title">' in text and f'<desc id="{ident}-desc">' in text


def test_an_unlinked_mention_names_the_record_as_written(built):
    _repo, out, _result = built
    meeting = (out / "meetings/2024-07-13-naqvi-blome.html").read_text()
    assert (
        '<li><a href="../orgs/us-new-york-police-department.html" dir="auto">New York City Police Department</a> '
        '(as “<span dir="auto">NYPD</span>”)</li>'
    ) in meeting
    nypd = (out / "orgs/us-new-york-police-department.html").read_text()
    mentions = nypd[nypd.index('id="mentions-h"') :]
    assert 'href="../meetings/2024-07-13-naqvi-blome.html"' in mentions


def test_serve_from_the_command_line_binds_localhost_only(run_kb, repo, tmp_path):
    import socket

    out = tmp_path / "site"
    result = run_kb("site", "serve", "-o", out, "--port", "0", "--max-rebuilds", "0", kb=repo)
    assert result.exit_code == 0, result.output
    assert re.search(rf"kb: serving {re.escape(str(out))} on http://127\.0\.0\.1:\d+/ \(Ctrl-C stops\)", result.stderr)
    assert (out / "index.html").is_file()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = run_kb("site", "serve", "-o", out, "--port", port, "--max-rebuilds", "0", kb=repo)
    assert busy.exit_code == 2
    assert f"kb: error: cannot listen on 127.0.0.1:{port}: " in busy.stderr and "--port" in busy.stderr


def test_a_build_collects_young_objects_less_often_and_gives_the_thresholds_back(run_kb, repo, tmp_path, monkeypatch):
    """The cycle collector's thresholds are raised while a site is built (millions of objects live
    to its end) and given back after it: `kb site serve` builds again and again in one process."""
    import gc

    from kb.site import build as site_build

    before = gc.get_threshold()
    during = []
    home = site_build.home
    monkeypatch.setattr(site_build, "home", lambda site: during.append(gc.get_threshold()) or home(site))
    result = run_kb("site", "build", "-o", tmp_path / "s", kb=repo)
    assert result.exit_code == 0, result.output
    assert during == [(site_build.YOUNG_GENERATION, 20, before[2])]
    assert gc.get_threshold() == before


def test_a_cold_build_leaves_no_cycle_through_the_files_it_made(make_kb, run_kb, tmp_path):
    """Each new page's file was first looked for (and not found): the error is kept without its
    traceback, whose frames would hold the page's bytes in a cycle only the collector frees."""
    import gc

    root = make_kb({})
    gc.collect()
    gc.disable()
    try:
        result = run_kb("site", "build", "-o", tmp_path / "site", kb=root)
        assert result.exit_code == 0, result.output
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        kept = [found for found in gc.garbage if isinstance(found, OSError)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert kept == []
