"""Long pages are cut into pages of at most ``paging.ROWS`` rows of each list, which link each
other; an edit rewrites only the page that holds its row, and the site is the cold build's."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sitecheck import broken_links

from kb.site import paging

DAY = "2026-12-07"
ROWS = 3


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(paging, "ROWS", ROWS)


def build(run_kb, kb, out, *args):
    result = run_kb(*args, "site", "build", "-o", out, "--today", DAY, kb=kb)
    assert result.exit_code == 0, result.output
    return result


def tree(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def commitment_rows(html: str) -> list[str]:
    """The meeting links of the commitments' rows, in order."""
    return re.findall(r'<td><a href="([^"]+#o-[^"]+)"', html)


def groups(html: str) -> dict[str, list[str]]:
    """The rows of each group of the commitments page (overdue, open, closed)."""
    found = re.findall(r'<section id="(overdue|open|closed)"(.*?)</section>', html, re.S)
    return {anchor: commitment_rows(body) for anchor, body in found}


def pager(html: str) -> list[tuple[str, str]]:
    """The links of the page's first pager: (href, label)."""
    nav = re.search(r'<nav class="pages" aria-label="Pages \(top\)">(.*?)</nav>', html, re.S)
    assert nav is not None
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(1))


def test_a_long_page_is_split_into_pages_that_link_each_other(run_kb, repo, tmp_path, small_pages, monkeypatch):
    out = tmp_path / "site"
    build(run_kb, repo, out)
    files = {p.name for p in out.glob("commitments*.html")}
    count = len(files)
    assert count > 2
    assert files == {"commitments.html"} | {f"commitments-{n}.html" for n in range(2, count + 1)}
    pages = [(out / paging.file("commitments.html", n)).read_text() for n in range(1, count + 1)]
    for number, html in enumerate(pages, 1):
        assert f"Page {number} of {count}: at most {ROWS} rows of each list a page." in html
        links = pager(html)
        expected = [("commitments.html", "First page")] if number > 2 else []
        if number > 1:
            expected.append((paging.file("commitments.html", number - 1), f"Previous page ({number - 1})"))
        if number < count:
            expected.append((f"commitments-{number + 1}.html", f"Next page ({number + 1})"))
        assert links == expected
    # every row once, in the order of the whole page a build without the limit makes
    whole = tmp_path / "whole"
    monkeypatch.setattr(paging, "ROWS", 100_000)
    build(run_kb, repo, whole)
    everything = groups((whole / "commitments.html").read_text())
    assert not list(whole.glob("commitments-*.html"))
    for anchor, rows in everything.items():
        assert [row for html in pages for row in groups(html).get(anchor, [])] == rows
    assert sum(map(len, everything.values())) > 2 * ROWS
    assert broken_links(out) == []
    assert max(len(commitment_rows(html)) for html in pages) <= 3 * ROWS  # overdue, open, closed


def test_a_record_page_keeps_its_name_and_its_later_pages_link_back(run_kb, repo, tmp_path, small_pages):
    out = tmp_path / "site"
    build(run_kb, repo, out)
    later = out / "orgs" / "pk-nacta" / "2.html"
    html = later.read_text()
    assert pager(html) == [("../../orgs/pk-nacta.html", "Previous page (1)")]
    assert "Page 2 of 2: at most 3 rows of each list a page." in html
    first = (out / "orgs" / "pk-nacta.html").read_text()
    assert pager(first) == [("../orgs/pk-nacta/2.html", "Next page (2)")]
    assert "People met with" not in html and 'aria-labelledby="people-h"' not in html  # the first page's alone
    assert broken_links(out) == []


def test_later_pages_open_in_a_browser_and_lead_back(run_kb, repo, tmp_path, small_pages, browser):
    out = tmp_path / "site"
    build(run_kb, repo, out)
    for later, first in (("commitments-2.html", "commitments.html"), ("orgs/pk-nacta/2.html", "orgs/pk-nacta.html")):
        browser.get((out / later).as_uri())
        assert [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")] == []
        assert browser.find_elements("css selector", "main h1")
        browser.find_element("css selector", 'nav.pages a[rel="prev"]').click()
        assert browser.current_url == (out / first).as_uri()


def test_a_title_edit_rewrites_one_of_the_pages(run_kb, repo, tmp_path, small_pages):
    out, cold = tmp_path / "site", tmp_path / "cold"
    build(run_kb, repo, out)
    before = tree(out)
    pages = sorted(name for name in before if re.fullmatch(r"commitments(-\d+)?\.html", name))
    holding: dict[str, set[str]] = {}
    for name in pages:
        for link in commitment_rows(before[name].decode()):
            holding.setdefault(link.split("#")[0].removeprefix("meetings/"), set()).add(name)
    # a meeting whose commitments are all on one page that is not the first
    ident, (page,) = next((i, p) for i, p in sorted(holding.items()) if len(p) == 1 and "commitments.html" not in p)
    path = repo / "meetings" / ident.replace(".html", ".yaml")
    text = path.read_text()
    assert "\ntitle: " in text
    path.write_text(text.replace("\ntitle: ", "\ntitle: Edited, ", 1))
    build(run_kb, repo, out)
    after = tree(out)
    changed = {name for name in pages if after.get(name) != before[name]}
    assert changed == {page}
    assert set(after) == set(before)
    build(run_kb, repo, cold, "--no-cache")
    assert tree(out) == tree(cold)


def rendered_pages(monkeypatch) -> dict[str, int]:
    """The pages a build renders (its templates run for them), each with the rows of its lists."""
    from kb.rendering import templates

    found: dict[str, int] = {}
    real = templates.run

    def run(env, name, data):
        lists = paging.LISTS.get(data.get("kind", ""), ())
        found[data["page_path"]] = sum(len(data[key]) for key in lists)
        return real(env, name, data)

    monkeypatch.setattr(templates, "run", run)
    return found


def edited_build(repo, out, monkeypatch, edit):
    """The report of a build after ``edit``, the pages it rendered and the site before it."""
    import datetime as dt

    from kb.cli.common import audience
    from kb.site.build import build_site
    from kb.store.loader import load

    today = dt.date.fromisoformat(DAY)
    kb = load(repo)
    first = build_site(kb, out, audience(kb, None), today=today)
    assert first.rows > 6 * ROWS  # a cold build makes every row of every page
    before = tree(out)
    edit()
    rendered = rendered_pages(monkeypatch)
    kb = load(repo)
    return build_site(kb, out, audience(kb, None), today=today), rendered, before


@pytest.mark.parametrize(
    "edit",
    [("\ntitle: ", "\ntitle: Edited, "), ("\n    status: open\n", "\n    status: fulfilled\n")],
    ids=["title", "status"],
)
def test_an_edit_makes_the_rows_of_the_pages_it_changes_alone(run_kb, repo, tmp_path, small_pages, monkeypatch, edit):
    out, cold = tmp_path / "site", tmp_path / "cold"
    path = repo / "meetings" / "2025-12-06-naqvi-baker.yaml"
    text = path.read_text()
    assert edit[0] in text
    report, rendered, before = edited_build(repo, out, monkeypatch, lambda: path.write_text(text.replace(*edit, 1)))
    after = tree(out)
    written = {name for name in after if name.endswith(".html") and after[name] != before.get(name)}
    # a page is rendered only when its bytes change: every page whose rows are as they were is left
    assert set(rendered) == written
    # and the rows made are those of the pages rendered, not of every page the edit looked at
    assert report.rows == sum(rendered.values())
    long_pages = [name for name in report.looked if re.search(r"(-\d+|/\d+)\.html$", name)]
    assert long_pages, "the edit looks at long pages"
    assert [name for name in long_pages if name not in rendered]  # some of them were left unrendered
    assert 0 < report.rows < len(report.looked) * ROWS
    build(run_kb, repo, cold, "--no-cache")
    assert tree(out) == tree(cold)


@pytest.mark.parametrize("audience", [None, "GREEN"])
def test_edits_one_after_another_on_pages_of_three_rows(run_kb, repo, tmp_path, small_pages, audience):
    """Every kind of edit of tests/test_site_edits.py, one after another on days 40 days apart,
    with long pages cut into pages of three rows: each build is the cold build's bytes (the rows'
    keys hold what every row shows)."""
    import datetime as dt

    from test_site_edits import EDITS, in_sequence

    args = ["--audience", audience] if audience else []
    out = tmp_path / "site"
    assert run_kb("site", "build", "-o", out, "--today", DAY, *args, kb=repo).exit_code == 0
    for number, edit in enumerate(in_sequence()):
        EDITS[edit](repo)
        day = (dt.date(2024, 10, 30) + dt.timedelta(days=number * 40)).isoformat()
        result = run_kb("site", "build", "-o", out, "--today", day, *args, kb=repo)
        assert result.exit_code == 0, result.output
        cold = tmp_path / f"cold-{number}"
        result = run_kb("--no-cache", "site", "build", "-o", cold, "--today", day, *args, kb=repo)
        assert result.exit_code == 0, result.output
        assert tree(out) == tree(cold), edit


def decodes(monkeypatch) -> tuple[set[str], set[str], set[str]]:
    """The meetings whose audience's copies a build decodes, those whose rows (or a row of one of
    their outcomes) it makes, and those whose outcomes it asks whether they are open on the day."""
    from kb.query import audience, scope
    from kb.site import pages

    decoded: set[str] = set()
    rows: set[str] = set()
    asked: set[str] = set()
    pruned, row, open_item = audience.Audience._pruned, pages.Site.meeting_row, scope.open_item

    def spy_pruned(self, meeting, *args):
        decoded.add(meeting.id)
        return pruned(self, meeting, *args)

    def spy_row(self, meeting, *args):
        rows.add(meeting.id)
        return row(self, meeting, *args)

    def spy_open(outcome, *args):
        asked.add(outcome.meeting.id)
        return open_item(outcome, *args)

    monkeypatch.setattr(audience.Audience, "_pruned", spy_pruned)
    monkeypatch.setattr(pages.Site, "meeting_row", spy_row)
    monkeypatch.setattr(scope, "open_item", spy_open)
    return decoded, rows, asked


@pytest.mark.parametrize("edit", ["title", "status"])
def test_an_edit_decodes_only_the_meetings_whose_rows_it_makes(run_kb, tmp_path, small_pages, monkeypatch, edit):
    """A row's key is made without decoding its meeting (the digest of what its row reads, the
    facts its share keeps), and a meeting's row reads its share: an edit on the hub decodes the
    meetings whose rows (or outcomes' rows) the pages it renders show and those whose outcomes may
    be open on the day, no other, and far fewer than every meeting."""
    import datetime as dt

    from conftest import write_hub

    from kb.cli.common import audience
    from kb.site.build import build_site
    from kb.store.loader import load

    root, out, cold = tmp_path / "hub", tmp_path / "site", tmp_path / "cold"
    info = write_hub(root, 60)
    path = root / info["edit"]
    text = path.read_text()
    today = dt.date.fromisoformat(DAY)
    kb = load(root)
    build_site(kb, out, audience(kb, None), today=today)
    if edit == "title":
        path.write_text(text.replace('\ntitle: "', '\ntitle: "Edited ', 1))
    else:
        toggle = {"open": "in-progress", "in-progress": "open", "fulfilled": "lapsed", "lapsed": "fulfilled"}
        toggled = re.sub(r"^    status: ([a-z-]+)$", lambda m: f"    status: {toggle[m[1]]}", text, count=1, flags=re.M)
        path.write_text(toggled)
    assert path.read_text() != text
    decoded, rows, asked = decodes(monkeypatch)
    kb = load(root)
    report = build_site(kb, out, audience(kb, None), today=today)
    assert report.written
    assert kb.meetings[path.stem] and path.stem in decoded
    assert decoded <= rows | asked
    assert len(decoded) < len(kb.meetings) / 2  # the lists of every meeting take their rows from the shares
    build(run_kb, root, cold, "--no-cache")
    assert tree(out) == tree(cold)


@pytest.mark.parametrize("source", ["repository", "hub"])
@pytest.mark.parametrize("left", [0, 2])
def test_what_is_open_is_asked_of_the_meetings_that_may_be_open_by_the_brief_s_rules(repo, tmp_path, source, left):
    """``Site.related`` (what is open with a record, asked of the meetings that may have an outcome
    open alone) gives the meetings and relations of ``scope.meetings_for`` (the brief's rules,
    asked of every meeting of the record, its predecessors and its country) for every person,
    organisation and country; with every meeting, and with every other one known to have none open."""
    import datetime as dt
    from collections import Counter

    from conftest import write_hub

    from kb.query import scope
    from kb.site import pages
    from kb.store.loader import load

    if source == "hub":
        repo = tmp_path / "hub"
        write_hub(repo, 60)
    kb = load(repo)
    today = dt.date.fromisoformat(DAY)
    known = {m.relpath: () for n, m in enumerate(kb.sorted_meetings) if left and n % left}
    site = pages.Site(kb, today, opens=known)
    site._scope  # noqa: B018 -- the indexes the site answers scope's questions from
    records = (
        [("person", i) for i in kb.people] + [("org", i) for i in kb.orgs] + [("country", c) for c in site.countries]
    )
    relations: Counter = Counter()
    for kind, ident in records:
        rules = scope.meetings_for(kb, kind, ident, today, related=True, only=site._may_be_open)
        found = site.related(kind, ident)
        assert [(m.id, relation) for m, relation in found] == [(s.meeting.id, s.relation) for s in rules], ident
        relations.update(relation for _m, relation in found)
    assert set(relations) == set(scope.RELATIONS) and sum(relations.values()) > len(kb.meetings)
    assert len(site._candidates) == len(kb.meetings) - len(known)


@given(st.text())
def test_a_records_path_quotes_its_id_as_urllib_does(ident):
    """``href`` leaves an id of unreserved characters as it is, without asking ``quote``: the
    path is the one ``quote`` makes, whatever the id."""
    from urllib.parse import quote

    from kb.site.pages import href

    assert href("person", ident) == f"people/{quote(ident, safe='')}.html"
    assert href("meeting", "2024-01-02-a.b_c~d") == "meetings/2024-01-02-a.b_c~d.html"
