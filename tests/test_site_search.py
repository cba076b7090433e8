"""The site's search page reads like results (each hit's meeting: title, date, counterparts, and a
snippet with the matching words marked), and its facets (country, year, topic, person) count and
narrow the search results and the lists of meetings, people and organisations, in a real browser
(headless Chromium, from file://). The index entries of the repository's records are checked
exactly, and hostile text in a record shows as text."""

import json
import re
from urllib.parse import urlencode

import pytest
from conftest import copy_repository, write_hub

LAST = "0123456789abcdefghijklmnopqrstuv"
MORE = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
BIGGAR_TITLE = "Interior Minister Naqvi meets UK National Crime Agency Director General Biggar"
HOSTILE_TITLE = 'Talks <script>window.KB_PWNED = 1</script> & <b>bold</b> "quoted"'
HOSTILE_NAME = 'Envoy <img src=x onerror="window.KB_PWNED = 2">'
HOSTILE_MEETING = f"""\
id: 2026-02-02-naqvi-envoy
title: '{HOSTILE_TITLE}'
date: 2026-02-02
status: held
location:
  place: Islamabad
  country: PK
sensitivity: CLEAR
participants:
  - person: mohsin-naqvi
    side: PK
    role: lead
  - person: hostile-envoy
    side: FR
    role: lead
topics:
  - extradition
summary: 'Zanzibarian <img src=x onerror="window.KB_PWNED = 3"> talks on extradition.'
sources:
  - url: https://example.org/envoy
    publisher: '<i>Example</i>'
"""
HOSTILE_PERSON = f"""\
id: hostile-envoy
name: '{HOSTILE_NAME}'
country: FR
"""


def build(root, out, *args):
    from click.testing import CliRunner

    from kb.cli import cli

    result = CliRunner().invoke(cli, ["--kb", str(root), "site", "build", "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("kb")
    copy_repository(root)
    return build(root, root.parent / "site")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("kb")
    copy_repository(root)
    (root / "meetings" / "2026-02-02-naqvi-envoy.yaml").write_text(HOSTILE_MEETING, encoding="utf-8")
    (root / "people" / "hostile-envoy.yaml").write_text(HOSTILE_PERSON, encoding="utf-8")
    return build(root, root.parent / "hostile-site")


def index_of(out) -> dict:
    script = (out / "search-index.js").read_text(encoding="utf-8")
    assert script.startswith("window.KB_INDEX = ") and script.endswith(";\n")
    return json.loads(script.removeprefix("window.KB_INDEX = ").removesuffix(";\n"))


def decode(text: str) -> list[int]:
    """As site.js decodes the index's numbers."""
    found, value = [], 0
    for char in text:
        if char in MORE:
            value = value * 32 + MORE.index(char)
        else:
            found.append(value * 32 + LAST.index(char))
            value = 0
    return found


def texts(index: dict, packed: str) -> list[str]:
    return [" ".join(index["words"][n] for n in decode(item)) for item in packed.split(" ")]


def test_the_index_carries_each_meetings_counterparts_topics_and_texts(site):
    index = index_of(site)
    assert index["format"] == 3
    assert index["names"] == ["Donald Blome", "Graeme Biggar", "Jane Marriott", "Natalie Baker"]
    assert index["countries"] == {"GB": "United Kingdom", "PK": "Pakistan", "US": "United States"}
    assert index["topics"][:3] == ["Bilateral relations", "Border and airport security", "Counter-narcotics"]
    entries = {entry[1]: entry for entry in index["meetings"]}
    biggar = entries["2025-11-13-naqvi-biggar"]
    assert biggar[0] == BIGGAR_TITLE
    assert biggar[6:9] == [["GB", "PK"], "12", "12"]  # counterparts, met in person: Biggar, Marriott
    assert [index["topics"][n] for n in decode(biggar[9])] == [
        "Counter-terrorism",
        "Counter-narcotics",
        "Illegal migration",
        "Human trafficking",
        "Forensic science",
        "Law-enforcement training and police cooperation",
        "Online child exploitation",
        "Extradition",
    ]
    assert texts(index, biggar[10]) == [
        "Naqvi received the head of the UK National Crime Agency in Islamabad, with the British High "
        "Commissioner and the heads of several Pakistani security and law-enforcement bodies present. They "
        "covered terrorism, drugs, people trafficking,…",
        "Five memoranda of understanding on extradition and other areas of Pakistan–UK cooperation to be "
        "finalised shortly (no date given).",
        "Expand cooperation on training programmes for Pakistani law-enforcement and anti-narcotics officers.",
        "Strengthen coordination to curb online child exploitation.",
        "Increase mutual support in extradition cases.",
        "Pakistan is taking effective steps, in cooperation with the UK, to curb illegal immigration.",
        "The roots of terrorism are linked to our neighbouring country.",
        "Biggar condemned the suicide bombing outside the district court complex in Islamabad's G-11 sector "
        "on 11 November 2025 and expressed sorrow for those killed.",
        "The Pakistani officials attending are given only by office (National Coordinator NACTA, DG NCCIA, DG "
        "National Forensic Agency, Additional Secretary Interior, Chief Commissioner Islamabad, IG Islamabad "
        "Police); none is named, so no person…",
        'The seed says only "on Thursday"; Geo News, published 13 November 2025, dates the Thursday meeting '
        "to that day.",
        "ServePak",
        "Geo News",
        "ARY News",
        "The Indian Express",
    ]
    # one text per item of the meeting: itself and each of its outcomes, claims, quotes, notes, sources
    assert all(len(texts(index, e[10])) == len(e[4]) + 1 for e in index["meetings"])
    assert [index["names"][n] for n in decode(entries["2024-07-13-naqvi-blome"][7])] == ["Donald Blome"]
    assert [index["names"][n] for n in decode(entries["2026-01-24-naqvi-baker"][7])] == ["Natalie Baker"]


def test_the_same_records_give_the_same_index_and_lists(site, tmp_path):
    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)
    again = build(root, tmp_path / "again")
    for name in ("search-index.js", "meetings.html", "people.html", "orgs.html", "search.html"):
        assert (again / name).read_bytes() == (site / name).read_bytes(), name


def test_the_index_written_in_parts_is_one_json_dump_of_it(hostile_site, tmp_path, monkeypatch):
    """search-index.js is written a few items at a time (kb.site.search.BATCH), never whole in
    memory: its bytes are those of one dump of the whole index, keys sorted and "</" escaped, and
    do not depend on how many items go in a part."""
    from kb.site import search, searchshards

    script = (hostile_site / "search-index.js").read_text(encoding="utf-8")
    data = index_of(hostile_site)
    whole = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    assert script == f"window.KB_INDEX = {whole};\n"
    assert "<\\/script>" in script and "</" not in script
    assert len(data["terms"]) > 3 and len(data["meetings"]) > 3
    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)
    (root / "meetings" / "2026-02-02-naqvi-envoy.yaml").write_text(HOSTILE_MEETING, encoding="utf-8")
    (root / "people" / "hostile-envoy.yaml").write_text(HOSTILE_PERSON, encoding="utf-8")
    monkeypatch.setattr(search, "BATCH", 3)
    monkeypatch.setattr(searchshards, "TOKENISE", 2)  # and the blocks tokenised two meetings or more at a time
    small = build(root, tmp_path / "small")
    assert (small / "search-index.js").read_text(encoding="utf-8") == script


def test_an_index_made_again_as_it_is_on_disk_is_left_as_it_is(tmp_path):
    """With the build's digests gone (the cache removed), the index is made again; the file on disk
    already holds those bytes, so it is not written."""
    import shutil

    from click.testing import CliRunner

    from kb.cli import cli

    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)
    out = build(root, tmp_path / "site")
    before = (out / "search-index.js").stat()
    shutil.rmtree(root / ".kb-cache")
    result = CliRunner().invoke(cli, ["--kb", str(root), "site", "build", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert ", 0 written," in result.output
    after = (out / "search-index.js").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not list(out.glob(".search-index.js.*"))


def test_nothing_above_the_audience_is_in_the_index(tmp_path):
    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)
    red = root / "meetings" / "2024-07-13-naqvi-blome.yaml"
    red.write_text(red.read_text(encoding="utf-8").replace("sensitivity: CLEAR", "sensitivity: RED"), encoding="utf-8")
    amber = root / "meetings" / "2025-11-13-naqvi-biggar.yaml"
    text = amber.read_text(encoding="utf-8")
    amber.write_text(
        text.replace("  - id: five-mous\n", "  - id: five-mous\n    sensitivity: AMBER\n"), encoding="utf-8"
    )
    out = build(root, tmp_path / "site", "--audience", "GREEN")
    index = index_of(out)
    assert index["names"] == ["Graeme Biggar", "Jane Marriott", "Natalie Baker"]  # Blome met only at RED
    every_text = [t for entry in index["meetings"] for t in texts(index, entry[10])]
    assert not any("memoranda" in t or "Blome" in t or "tri-nation" in t for t in every_text)
    # (people are no meetings: Donald Blome keeps his page, found by name)
    assert "Blome" not in json.dumps(index["meetings"]) and "memoranda" not in index["words"]
    page = (out / "meetings.html").read_text(encoding="utf-8")
    assert "Donald Blome" not in page and "donald-blome" not in page


def results(browser, out, **query):
    browser.get((out / "search.html").as_uri() + "?" + urlencode(query, doseq=True))
    assert [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")] == []
    return browser.find_elements("css selector", "#search-results li")


def hit(li) -> tuple:
    snippet = li.find_elements("css selector", ".snippet")
    return (
        li.find_element("css selector", "a").text,
        li.find_element("css selector", ".detail").text,
        snippet[0].text if snippet else None,
        [mark.text for mark in li.find_elements("css selector", "mark")],
    )


def facets(browser, panel="search-facets") -> dict:
    """{facet: [(label, count, chosen), ...]} as the page shows them."""
    found = {}
    for group in browser.find_elements("css selector", f"#{panel} .facet"):
        found[group.get_attribute("data-facet")] = [
            (
                button.text.rsplit(" ", 1)[0],
                int(button.find_element("css selector", ".count").text),
                button.get_attribute("aria-pressed") == "true",
            )
            for button in group.find_elements("css selector", "button[data-key]")
        ]
    return found


def click(browser, panel, key):
    browser.find_element("css selector", f'#{panel} button[data-key="{key}"]').click()


def test_typing_a_query_shows_title_date_counterparts_and_a_marked_snippet(site, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get((site / "search.html").as_uri())
    box = browser.find_element("id", "q")
    box.send_keys("memoranda extraditions")
    browser.find_element("css selector", "#search-form button[type=submit]").click()
    # the form's submission loads the page again; wait for it (a busy machine may be slow)
    WebDriverWait(browser, 30).until(lambda d: d.find_elements("css selector", "#search-results li"))
    found = browser.find_elements("css selector", "#search-results li")
    assert [hit(li) for li in found] == [
        (
            BIGGAR_TITLE,
            "2025-11-13 · with Graeme Biggar, Jane Marriott · outcome",
            "Five memoranda of understanding on extradition and other areas of Pakistan–UK cooperation to be "
            "finalised shortly (no date given).",
            ["memoranda", "extradition"],  # the words as written, found by their stems
        )
    ]
    assert (
        found[0]
        .find_element("css selector", "a")
        .get_attribute("href")
        .endswith("/site/meetings/2025-11-13-naqvi-biggar.html#o-five-mous")
    )
    prefixed = [hit(li) for li in results(browser, site, q="extradit*", kind="meeting")]
    assert prefixed[1] == (
        BIGGAR_TITLE,
        "2025-11-13 · with Graeme Biggar, Jane Marriott · outcome",
        "Increase mutual support in extradition cases.",
        ["extradition"],
    )
    # a long text is cut around its first match
    assert hit(results(browser, site, q="trafficking", kind="meeting")[0])[2:] == (
        "…law-enforcement bodies present. They covered terrorism, drugs, people trafficking,…",
        ["trafficking"],
    )


def status(browser) -> str:
    return browser.find_element("id", "search-status").text


def test_facets_count_the_results_and_narrow_them_combined(site, browser):
    assert len(results(browser, site, q="cooperation", kind="meeting")) == 20
    shown = facets(browser)
    assert shown["country"] == [("Pakistan", 20, False), ("United States", 15, False), ("United Kingdom", 5, False)]
    assert shown["year"] == [("2026", 2, False), ("2025", 11, False), ("2024", 7, False)]
    assert shown["person"] == [
        ("Natalie Baker", 8, False),
        ("Donald Blome", 7, False),
        ("Graeme Biggar", 5, False),
        ("Jane Marriott", 5, False),
    ]
    assert ("Extradition", 5, False) in shown["topic"]
    click(browser, "search-facets", "country:US")
    assert status(browser) == "15 results of 20"
    shown = facets(browser)
    # a facet's own values keep their counts (another may be added); the others count what is left
    assert shown["country"] == [("Pakistan", 20, False), ("United States", 15, True), ("United Kingdom", 5, False)]
    assert shown["year"] == [("2026", 2, False), ("2025", 6, False), ("2024", 7, False)]
    assert shown["person"] == [("Natalie Baker", 8, False), ("Donald Blome", 7, False)]
    click(browser, "search-facets", "year:2025")  # with the country: both must hold
    assert status(browser) == "6 results of 20"
    found = browser.find_elements("css selector", "#search-results li")
    assert {hit(li)[1].split(" ")[0] for li in found} == {"2025-12-06"}
    assert facets(browser)["person"] == [("Natalie Baker", 6, False)]
    click(browser, "search-facets", "year:2024")  # two values of one facet: either
    assert status(browser) == "13 results of 20"
    for key in ("country:US", "year:2024", "year:2025"):
        click(browser, "search-facets", key)
    assert status(browser) == "20 results"


def test_the_lists_have_facets_that_narrow_them(site, browser):
    browser.get((site / "meetings.html").as_uri())
    assert facets(browser, "list-facets")["country"] == [
        ("Pakistan", 4, False),
        ("United States", 3, False),
        ("United Kingdom", 1, False),
    ]
    assert facets(browser, "list-facets")["year"] == [("2026", 1, False), ("2025", 2, False), ("2024", 1, False)]
    click(browser, "list-facets", "country:US")
    click(browser, "list-facets", "year:2025")
    visible = [li.text for li in browser.find_elements("css selector", "ul.listing li") if li.is_displayed()]
    assert visible == [
        "Interior Minister Naqvi meets US Chargé d'Affaires Baker on narcotics and illegal migration 2025-12-06"
    ]
    assert browser.find_element("id", "list-count").text == "1 of 4 shown."
    browser.get((site / "people.html").as_uri())
    assert facets(browser, "list-facets")["country"] == [
        ("Pakistan", 4, False),
        ("United Kingdom", 2, False),
        ("United States", 2, False),
    ]
    click(browser, "list-facets", "country:GB")
    visible = [li.text for li in browser.find_elements("css selector", "ul.listing li") if li.is_displayed()]
    assert visible == ["Graeme Biggar United Kingdom", "Jane Marriott United Kingdom"]
    # each row's values are their numbers among the buttons: the Chargé's 2026 meeting holds
    # Pakistan, the US, 2026, its five topics in the order written, and Natalie Baker
    page = (site / "meetings.html").read_text(encoding="utf-8")
    keys = re.findall(r'data-key="([^"]+)"', page)
    row = re.search(r'<li data-facets="([^"]+)"><a href="meetings/2026-01-24-naqvi-baker.html"', page)
    assert [keys[int(n)] for n in row.group(1).split(" ")] == [
        "country:PK",
        "country:US",
        "year:2026",
        "topic:illegal-migration",
        "topic:visa-fraud",
        "topic:law-enforcement-training",
        "topic:border-security",
        "topic:bilateral-relations",
        "person:natalie-baker",
    ]
    # the page as built (before any script) already counts
    page = (site / "orgs.html").read_text(encoding="utf-8")
    assert 'data-key="country:PK" data-label="Pakistan" aria-pressed="false">Pakistan <span class="count">' in page


def test_hostile_text_in_a_record_shows_as_text(hostile_site, browser):
    found = results(browser, hostile_site, q="zanzibarian")
    assert [hit(li) for li in found] == [
        (
            HOSTILE_TITLE,
            f"2026-02-02 · with {HOSTILE_NAME} · meeting",
            'Zanzibarian <img src=x onerror="window.KB_PWNED = 3"> talks on extradition.',
            ["Zanzibarian"],
        )
    ]
    assert ("France", 1, False) in facets(browser)["country"]
    assert facets(browser)["person"] == [(HOSTILE_NAME, 1, False)]
    assert browser.find_elements("css selector", "#search-results script, #search-results img, #search-results b") == []
    assert browser.execute_script("return window.KB_PWNED === undefined")
    browser.get((hostile_site / "meetings.html").as_uri())
    click(browser, "list-facets", "country:FR")
    visible = [li.text for li in browser.find_elements("css selector", "ul.listing li") if li.is_displayed()]
    assert visible == [f"{HOSTILE_TITLE} 2026-02-02"]
    assert facets(browser, "list-facets")["person"] == [(HOSTILE_NAME, 1, False)]
    assert browser.execute_script("return window.KB_PWNED === undefined")


def test_a_facet_with_many_values_shows_the_most_held_until_more_is_chosen(tmp_path, browser):
    write_hub(tmp_path / "kb", 60)  # its people come from 31 countries
    out = build(tmp_path / "kb", tmp_path / "site")
    browser.get((out / "people.html").as_uri())
    shown = facets(browser, "list-facets")
    built = (out / "people.html").read_text(encoding="utf-8").count('data-key="country:')
    assert built > 21 and len(shown["country"]) == 20  # the 20 held most, then "N more…"
    more = browser.find_element("css selector", '#list-facets .facet[data-facet="country"] button.more')
    assert more.text == f"{built - 20} more…"
    counts = [count for _label, count, _chosen in shown["country"]]
    assert counts == sorted(counts, reverse=True)
    more.click()
    assert len(facets(browser, "list-facets")["country"]) == built
