"""The repository's site in a real browser (headless Chromium from Debian, driven by selenium),
opened from file://: no console errors on any page, search finds the right records, every link
followed lands on a page of the site."""

from pathlib import Path

import pytest
from browser import chromium, close
from sitecheck import broken_links
from test_sensitivity import copy_repository


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


@pytest.fixture(scope="module")
def browser():
    driver = chromium()
    yield driver
    close(driver)


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
                ".map(e => e.href && e.href.baseVal !== undefined ? e.href.baseVal : (e.href || e.src))"):
            if href.startswith("file://"):
                seen_links.add(href.split("#")[0].split("?")[0])
    # every link the browser resolved names a file of the site
    missing = [link for link in sorted(seen_links) if not Path(link.removeprefix("file://")).is_file()]
    assert missing == []
    assert broken_links(site) == []


def search(browser, site, query, kind=""):
    browser.get((site / "search.html").as_uri() + f"?q={query}&kind={kind}")
    assert severe(browser) == []
    return [(a.text, a.get_attribute("href").rsplit("/site/", 1)[1])
            for a in browser.find_elements("css selector", "#search-results li a")]


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
    for name, page in (("home", "index.html"), ("person", "people/mohsin-naqvi.html"), ("country", "countries/US.html")):
        browser.get((site / page).as_uri())
        height = browser.execute_script("return document.body.scrollHeight")
        browser.set_window_size(1280, min(height + 100, 8000))
        assert browser.save_screenshot(str(tmp_path / f"{name}.png"))
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000
    browser.set_window_size(1280, 1600)
