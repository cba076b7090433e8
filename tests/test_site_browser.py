"""The repository's site in a real browser (headless Chromium from Debian, driven by selenium),
opened from file://: no console errors on any page, search finds the right records, every link
followed lands on a page of the site."""

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import copy_repository
from sitecheck import broken_links, parse


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from click.testing import CliRunner

    from kb.cli import cli

    root = tmp_path_factory.mktemp("kb")
    copy_repository(root)
    out = root.parent / "site"
    result = CliRunner().invoke(cli, ["--kb", str(root), "site", "build", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def severe(driver) -> list:
    return [entry for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


def test_every_page_opens_without_console_errors_and_every_link_resolves(site, browser):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 50
    seen_links = set()
    for page in pages:
        browser.get(page.as_uri())
        assert severe(browser) == [], page
        assert browser.title.endswith("— Pakistan Ministry of Interior — foreign engagements"), page
        assert browser.find_elements("css selector", "main h1"), page
        for href in browser.execute_script(
            "return Array.from(document.querySelectorAll('a[href], link[href], script[src], image, use'))"
            ".map(e => e.href && e.href.baseVal !== undefined ? e.href.baseVal : (e.href || e.src))"
        ):
            if href.startswith("file://"):
                seen_links.add(href.split("#")[0].split("?")[0])
    # every link the browser resolved names a file of the site
    missing = [link for link in sorted(seen_links) if not Path(link.removeprefix("file://")).is_file()]
    assert missing == []
    assert broken_links(site) == []


def search(browser, site, query, kind=""):
    browser.get((site / "search.html").as_uri() + f"?q={query}&kind={kind}")
    assert severe(browser) == []
    return [
        (a.text, a.get_attribute("href").rsplit("/site/", 1)[1])
        for a in browser.find_elements("css selector", "#search-results li a")
    ]


def test_search_from_file_finds_the_right_meeting(site, browser):
    found = search(browser, site, "law enforcement dialogue", "meeting")
    assert found[0] == ("Interior Minister Naqvi meets US Ambassador Blome", "meetings/2024-07-13-naqvi-blome.html")
    # an alias, with the accent and case folded away
    assert search(browser, site, "donald bloom")[0] == ("Donald Blome", "people/donald-blome.html")
    assert search(browser, site, "CHARGÉ visa", "meeting")[0][1] == "meetings/2026-01-24-naqvi-baker.html"
    assert search(browser, site, "zzzqqq") == []
    assert browser.find_element("id", "search-status").text == "0 results"


def test_the_search_box_on_every_page_leads_to_results(site, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get((site / "people/natalie-baker.html").as_uri())
    box = browser.find_element("id", "q-top")
    box.send_keys("biggar\n")
    # the form's submission loads the search page; wait for it (a busy machine may be slow)
    WebDriverWait(browser, 30).until(lambda d: d.find_elements("css selector", "#search-results li a"))
    assert browser.current_url.split("?")[0].endswith("/site/search.html")
    first = browser.find_element("css selector", "#search-results li a")
    assert first.text == "Graeme Biggar"


def test_screenshots_of_home_person_and_country(site, browser, tmp_path):
    for name, page in (
        ("home", "index.html"),
        ("person", "people/mohsin-naqvi.html"),
        ("country", "countries/US.html"),
    ):
        browser.get((site / page).as_uri())
        height = browser.execute_script("return document.body.scrollHeight")
        browser.set_window_size(1280, min(height + 100, 8000))
        assert browser.save_screenshot(str(tmp_path / f"{name}.png"))
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000
    browser.set_window_size(1280, 1600)


# Queries on the repository's records: words, stems, accents, prefixes, phrases, names, kinds of item.
SAME_AS_KB_SEARCH = [
    "extradition",
    "extradite",
    "law enforcement",
    '"law enforcement"',
    "narcotics",
    "naqvi",
    "visa",
    "CHARGÉ visa",
    "extradit*",
    "train*",
    "cooperation Pakistan",
    "donald bloom",
    "biggar",
    "migration",
    "police",
    "dawn",
    "memoranda",
    "ministry interior",
    "fraud",
    "illegal migration",
    "commitment",
    "cricket",
    "ANF",
    "agreed",
    "tradit",
]


@pytest.fixture(scope="module")
def marked_site(tmp_path_factory):
    """The repository's records with one meeting marked RED and one outcome AMBER, and its site
    for GREEN readers: what is withheld must not change what the others find, nor their order."""
    from click.testing import CliRunner

    from kb.cli import cli

    root = tmp_path_factory.mktemp("kb")
    copy_repository(root)
    red = root / "meetings" / "2025-12-06-naqvi-baker.yaml"
    red.write_text(red.read_text(encoding="utf-8").replace("sensitivity: CLEAR", "sensitivity: RED"), encoding="utf-8")
    amber = root / "meetings" / "2025-11-13-naqvi-biggar.yaml"
    text = amber.read_text(encoding="utf-8")
    assert "  - id: five-mous\n" in text
    amber.write_text(
        text.replace("  - id: five-mous\n", "  - id: five-mous\n    sensitivity: AMBER\n"), encoding="utf-8"
    )
    out = root.parent / "marked-site"
    result = CliRunner().invoke(cli, ["--kb", str(root), "site", "build", "-o", str(out), "--audience", "GREEN"])
    assert result.exit_code == 0, result.output
    return root, out


def site_href(ref: str) -> str:
    """`kb search`'s ref of an item -> the site's link to it."""
    meeting, _, item = ref.partition("#")
    anchor = (
        ""
        if not item
        else f"#{item}"
        if "-" in item and item.split("-")[0] in ("claim", "quote", "note", "source") and item.split("-")[-1].isdigit()
        else f"#o-{item}"
    )
    return f"meetings/{meeting}.html{anchor}"


def test_the_site_ranks_as_kb_search_ranks(marked_site, browser):
    from click.testing import CliRunner

    from kb.cli import cli

    root, out = marked_site
    compared = 0
    for query in SAME_AS_KB_SEARCH:
        result = CliRunner().invoke(
            cli,
            ["--kb", str(root), "search", *query.split(), "--audience", "GREEN", "--format", "json", "--limit", "100"],
        )
        assert result.exit_code == 0, result.output
        expected = [site_href(hit["ref"]) for hit in json.loads(result.output)["hits"]]
        browser.get((out / "search.html").as_uri() + "?" + urlencode({"q": query, "kind": "meeting"}))
        assert severe(browser) == []
        found = [
            a.get_attribute("href").rsplit("/marked-site/", 1)[1]
            for a in browser.find_elements("css selector", "#search-results li a")
        ]
        assert found == expected, query
        compared += len(expected)
        for link in found:  # each leads to the item on its meeting's page
            page, _, anchor = link.partition("#")
            assert not anchor or anchor in parse(out / page).ids, link
    assert compared > 100
    # nothing of the RED meeting nor of the AMBER outcome is in the site's index
    script = (out / "search-index.js").read_text(encoding="utf-8")
    assert "2025-12-06-naqvi-baker" not in script and "five-mous" not in script


def test_the_site_stems_words_as_sqlite_does(site, browser):
    """A word no record holds is stemmed in the browser: as FTS5's porter tokenizer stems it, for
    every word of the README and of kb's code, and words of other scripts."""
    import sqlite3

    from kb.store.index import WORDS, stems_of

    repo = Path(__file__).parent.parent
    texts = [path.read_text(encoding="utf-8") for path in [repo / "README.md", *sorted((repo / "kb").rglob("*.py"))]]
    texts.append("straße größeres Bußgelder русские ελληνικά 王毅 ⅱed ﬁnding")
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE plain USING fts5(text, tokenize='{WORDS.removeprefix('porter ')}')")
    conn.executemany("INSERT INTO plain VALUES (?)", [(text,) for text in texts])
    conn.execute("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, plain, 'row')")
    words = [word for (word,) in conn.execute("SELECT term FROM temp.words")]
    expected = stems_of(words)
    assert len(expected) > 3500 and expected["großeres"] == "großer"
    browser.get((site / "search.html").as_uri())
    stemmed = browser.execute_script("return arguments[0].map(window.KB_STEM)", words)
    assert {word: stem for word, stem in zip(words, stemmed, strict=True) if expected[word] != stem} == {}


def test_the_graph_page_zooms_and_filters_by_year(site, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.support.ui import Select

    browser.get((site / "graph.html").as_uri())
    assert severe(browser) == []
    svg = browser.find_element("css selector", ".graph-map svg")

    def view_box():
        return browser.execute_script("return arguments[0].getAttribute('viewBox')", svg)

    whole = view_box()
    browser.find_element("css selector", '[data-zoom="in"]').click()
    zoomed = view_box()
    assert zoomed != whole
    assert float(zoomed.split()[2]) < float(whole.split()[2])
    ActionChains(browser).scroll_to_element(svg).perform()
    ActionChains(browser).move_to_element(svg).scroll_by_amount(0, 300).perform()  # wheel down: out
    assert float(view_box().split()[2]) > float(zoomed.split()[2])
    browser.find_element("css selector", '[data-zoom="reset"]').click()
    assert view_box() == whole

    def shown():
        return [
            line.get_attribute("data-years")
            for line in browser.find_elements("css selector", ".edges line")
            if line.value_of_css_property("display") != "none"
        ]

    assert len(shown()) == 15
    Select(browser.find_element("id", "graph-from")).select_by_visible_text("2026")
    # 2026: Natalie Baker's second meeting only (her, her embassy and the US)
    assert sorted(shown()) == ["2024:1 2025:1 2026:1", "2025:1 2026:1", "2025:1 2026:1"]
    assert browser.find_element("id", "graph-status").text == "2026–2026: 3 of 9 counterparts, 3 of 15 lines"
    assert severe(browser) == []


def _words_by_page(pdf: Path) -> list[tuple[float, float, list[tuple[str, float, float, float, float]]]]:
    """(width, height, [(word, xMin, yMin, xMax, yMax)]) of each page, as poppler's pdftotext reads them."""
    import subprocess
    import xml.etree.ElementTree as ET

    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    root = ET.fromstring(html.split("<!DOCTYPE html>", 1)[-1].replace("&nbsp;", " "))
    pages = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        words = [
            (w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
            for w in page.iter("{http://www.w3.org/1999/xhtml}word")
        ]
        pages.append((float(page.get("width")), float(page.get("height")), words))
    return pages


def test_the_printed_marking_is_on_every_page_and_covers_no_text(browser, tmp_path):
    """Printed to PDF by Chromium, every page of a long page carries the marking at its top and its
    foot, in the page's margin: no word of the page's text lies under it or beside it there."""
    import base64
    import shutil

    from click.testing import CliRunner
    from selenium.webdriver.common.print_page_options import PrintOptions

    from kb.cli import cli

    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils")
    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["--kb", str(root), "site", "build", "-o", str(out), "--audience", "AMBER"])
    assert result.exit_code == 0, result.output
    browser.get((out / "commitments.html").as_uri())
    pdf = tmp_path / "commitments.pdf"
    pdf.write_bytes(base64.b64decode(browser.print_page(PrintOptions())))
    pages = _words_by_page(pdf)
    assert len(pages) > 1  # a page long enough to be printed over several
    margin = 18 / 25.4 * 72  # the @page margin, in points
    for number, (_width, height, words) in enumerate(pages, start=1):
        top = [w for w in words if w[4] <= margin]
        foot = [w for w in words if w[2] >= height - margin]
        assert [w[0] for w in top] == ["TLP:AMBER"], (number, top)
        assert [w[0] for w in foot] == ["TLP:AMBER"], (number, foot)
        text = [w for w in words if w not in top and w not in foot]
        assert text, number
        for stamp in top + foot:
            for word in text:
                overlaps = word[1] < stamp[3] and stamp[1] < word[3] and word[2] < stamp[4] and stamp[2] < word[4]
                assert not overlaps, (number, stamp, word)


def test_the_printed_brief_carries_its_marking_in_the_margin_of_every_page(browser, tmp_path):
    """`kb brief --format html`, printed to PDF by Chromium: the marking at the top and the foot of
    every page, in the margin, covering no word."""
    import base64
    import shutil

    from click.testing import CliRunner
    from selenium.webdriver.common.print_page_options import PrintOptions

    from kb.cli import cli

    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils")
    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)
    brief = tmp_path / "brief.html"
    argv = ["--kb", str(root), "brief", "mohsin-naqvi", "--audience", "GREEN", "-o", str(brief)]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    browser.get(brief.as_uri())
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(base64.b64decode(browser.print_page(PrintOptions())))
    pages = _words_by_page(pdf)
    assert len(pages) > 1
    margin = 16 / 25.4 * 72
    for number, (_width, height, words) in enumerate(pages, start=1):
        top = [w for w in words if w[4] <= margin]
        foot = [w for w in words if w[2] >= height - margin]
        assert [w[0] for w in top] == ["TLP:GREEN"], (number, top)
        assert [w[0] for w in foot] == ["TLP:GREEN"], (number, foot)
