"""`kb site serve`'s forms on a real server on 127.0.0.1: they write only with the run's token from
the site's own pages, exactly as `kb update` and `kb import` write, never over a newer save, and
never reach above the audience."""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import copy_repository

MEETING = "2025-11-13-naqvi-biggar"
RECORD = f"meetings/{MEETING}.yaml"
PAGE = f"/meetings/{MEETING}.html"
COMMENT = "# the Director General's office confirmed the list\n"


def _start(root: Path, out: Path, *args: str):
    process = subprocess.Popen(
        [sys.executable, "-m", "kb", "--kb", str(root), "site", "serve", "-o", str(out), "--port", "0", *args],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if found:
            return process, int(found.group(1))
        assert line or process.poll() is None, "kb site serve stopped before serving"
    raise AssertionError("kb site serve did not start")


@pytest.fixture
def kb_root(repo):
    return commented(repo)


def commented(root: Path) -> Path:
    """The repository's records in ``root``, with a comment in the meeting the forms edit."""
    path = root / RECORD
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("outcomes:\n", "outcomes:\n  " + COMMENT, 1), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def refusing(tmp_path_factory):
    """One server for the tests whose every post is refused (and for one that only reads): each
    checks that nothing was written, so they need not each start one (a start builds the site:
    some 0.4 CPU-s). The records as kb_root's, the site folder, and the port."""
    root = tmp_path_factory.mktemp("kb")
    copy_repository(root)
    commented(root)
    out = tmp_path_factory.mktemp("site")
    process, port = _start(root, out, "--interval", "0.2")
    yield root, out, port
    process.terminate()
    process.wait(30)


@pytest.fixture
def server(kb_root, tmp_path):
    process, port = _start(kb_root, tmp_path / "site", "--interval", "0.2")
    yield kb_root, port
    process.terminate()
    process.wait(30)


def request(port: int, method: str, path: str, body: dict | None = None, origin: str | None = "same"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": f"127.0.0.1:{port}"}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if origin is not None:
        headers["Origin"] = f"http://127.0.0.1:{port}" if origin == "same" else origin
    try:
        data = urlencode(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        conn.close()


def form_fields(page: str, action: str, outcome: str | None = None) -> dict:
    """The hidden fields of the first form posting to ``action`` (for ``outcome``, if given)."""
    for form in re.findall(rf'<form[^>]*action="{action}".*?</form>', page, re.S):
        fields = {unescape(k): unescape(v) for k, v in re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form)}
        if outcome is None or fields.get("outcome") == outcome:
            return fields
    raise AssertionError(f"no form for {action} {outcome or ''}")


def _expected_update(kb_root: Path, tmp_path: Path, run_kb, *args: str) -> bytes:
    copy = tmp_path / "copy"
    shutil.copytree(kb_root, copy, ignore=shutil.ignore_patterns(".kb-cache"))
    result = run_kb("update", *args, kb=copy)
    assert result.exit_code == 0, result.output
    return (copy / RECORD).read_bytes()


def test_a_served_meeting_page_carries_a_form_for_each_open_outcome_and_the_built_one_none(refusing):
    _kb_root, out, port = refusing
    status, page = request(port, "GET", PAGE)
    assert status == 200
    outcomes = re.findall(r'name="outcome" value="([^"]+)"', page)
    assert outcomes == ["five-mous", "training-cooperation", "online-child-exploitation", "extradition-support"]
    assert page.count('action="/_kb/source"') == 1
    assert '<meta name="referrer" content="same-origin">' in page  # else a browser posts "Origin: null"
    built = (out / PAGE.lstrip("/")).read_text(encoding="utf-8")
    assert "_kb/" not in built and "token" not in built


def test_a_post_without_the_token_or_from_another_origin_is_refused(refusing):
    kb_root, _out, port = refusing
    before = (kb_root / RECORD).read_bytes()
    _status, page = request(port, "GET", PAGE)
    fields = {**form_fields(page, "/_kb/update", "five-mous"), "status": "fulfilled", "note": "Signed"}
    assert request(port, "POST", "/_kb/update", {**fields, "token": ""})[0] == 403
    assert request(port, "POST", "/_kb/update", {k: v for k, v in fields.items() if k != "token"})[0] == 403
    assert request(port, "POST", "/_kb/update", {**fields, "token": fields["token"][:-1] + "x"})[0] == 403
    assert request(port, "POST", "/_kb/update", fields, origin="http://attacker.example")[0] == 403
    assert request(port, "POST", "/_kb/update", fields, origin=None)[0] == 403
    assert (kb_root / RECORD).read_bytes() == before


def test_the_status_form_writes_exactly_what_kb_update_writes(server, tmp_path, run_kb, check_json):
    kb_root, port = server
    expected = _expected_update(
        kb_root, tmp_path, run_kb, f"{MEETING}#five-mous", "in-progress", "--note", "Two MoUs initialled",
        "--date", "2026-01-10",
    )  # fmt: skip
    _status, page = request(port, "GET", PAGE)
    fields = form_fields(page, "/_kb/update", "five-mous")
    body = {**fields, "status": "in-progress", "note": "Two MoUs initialled", "date": "2026-01-10"}
    status, answer = request(port, "POST", "/_kb/update", body)
    assert status == 200, answer
    assert f"Saved: {RECORD}: five-mous from open to in-progress on 2026-01-10." in answer
    assert (kb_root / RECORD).read_bytes() == expected
    assert COMMENT in (kb_root / RECORD).read_text(encoding="utf-8")
    findings, _code = check_json(kb_root, kb_root / RECORD)
    for finding in findings:
        assert f"[{finding['code']}] {finding['message']}" in unescape(answer)
    if not findings:
        assert "No findings in this file." in answer
    # the same form again: the file changed since that page was shown
    status, answer = request(port, "POST", "/_kb/update", body)
    assert status == 409 and "changed after this page was shown" in answer


def test_a_save_in_between_is_never_overwritten(server):
    kb_root, port = server
    _status, page = request(port, "GET", PAGE)
    fields = form_fields(page, "/_kb/update", "five-mous")
    path = kb_root / RECORD
    saved = path.read_bytes().replace(b"outcomes:\n", b"outcomes:\n  # saved in an editor\n", 1)
    path.write_bytes(saved)
    status, answer = request(port, "POST", "/_kb/update", {**fields, "status": "fulfilled"})
    assert status == 409
    assert f"{RECORD} changed after this page was shown" in answer and "nothing was written" in answer
    assert path.read_bytes() == saved


def test_a_refused_character_is_refused_and_nothing_written(refusing):
    kb_root, _out, port = refusing
    before = (kb_root / RECORD).read_bytes()
    _status, page = request(port, "GET", PAGE)
    fields = form_fields(page, "/_kb/update", "five-mous")
    status, answer = request(port, "POST", "/_kb/update", {**fields, "status": "fulfilled", "note": "Signed\x1b[2J"})
    assert status == 400 and "Not saved" in answer and "U+001B" in answer
    assert (kb_root / RECORD).read_bytes() == before


def test_the_source_form_writes_what_kb_import_writes(server, tmp_path):
    from kb.importing import existing

    kb_root, port = server
    copy = tmp_path / "expected.yaml"
    shutil.copyfile(kb_root / RECORD, copy)
    source = {"url": "https://example.org/naqvi-biggar", "publisher": "Example News", "published": "2025-11-14"}
    existing.add_source(copy, source, RECORD)
    _status, page = request(port, "GET", PAGE)
    fields = {**form_fields(page, "/_kb/source"), **source}
    status, answer = request(port, "POST", "/_kb/source", fields)
    assert status == 200, answer
    assert re.search(rf"Saved: source \d+ added to {RECORD}\.", answer)
    assert (kb_root / RECORD).read_bytes() == copy.read_bytes()
    _status, page = request(port, "GET", PAGE)
    fields = {**form_fields(page, "/_kb/source"), **source}
    status, answer = request(port, "POST", "/_kb/source", fields)
    assert status == 400 and "is already source" in answer


def test_a_bad_source_is_refused(refusing):
    kb_root, _out, port = refusing
    before = (kb_root / RECORD).read_bytes()
    _status, page = request(port, "GET", PAGE)
    fields = form_fields(page, "/_kb/source")
    status, answer = request(port, "POST", "/_kb/source", {**fields, "url": "javascript:alert(1)"})
    assert status == 400 and "is not a web address" in answer
    assert (kb_root / RECORD).read_bytes() == before


def test_the_forms_keep_to_the_audience(kb_root, tmp_path):
    from kb.store import yamledit

    hidden = kb_root / "meetings/2024-07-13-naqvi-blome.yaml"
    yamledit.edit(hidden, lambda record: record.__setitem__("sensitivity", "AMBER"))

    def mark(record):
        yamledit.put(record["outcomes"][0], "sensitivity", "RED")

    yamledit.edit(kb_root / RECORD, mark)
    before = {path: path.read_bytes() for path in (hidden, kb_root / RECORD)}
    process, port = _start(kb_root, tmp_path / "site", "--audience", "GREEN")
    try:
        _status, page = request(port, "GET", PAGE)
        assert 'value="five-mous"' not in page and "five-mous" not in page
        fields = form_fields(page, "/_kb/update", "training-cooperation")
        status, answer = request(port, "POST", "/_kb/update", {**fields, "outcome": "five-mous", "status": "lapsed"})
        assert status == 404 and "has no outcome 'five-mous'" in unescape(answer)
        post = {**fields, "meeting": "2024-07-13-naqvi-blome", "outcome": "dialogue", "status": "lapsed"}
        status, answer = request(port, "POST", "/_kb/update", post)
        assert status == 404 and "no meeting '2024-07-13-naqvi-blome'" in unescape(answer)
    finally:
        process.terminate()
        process.wait(30)
    assert {path: path.read_bytes() for path in before} == before


def test_read_only_serves_no_forms(kb_root, tmp_path):
    process, port = _start(kb_root, tmp_path / "site", "--read-only")
    try:
        _status, page = request(port, "GET", PAGE)
        assert "_kb/" not in page
        status, _answer = request(port, "POST", "/_kb/update", {"token": "x"})
        assert status == 405
    finally:
        process.terminate()
        process.wait(30)


def test_the_status_form_in_chromium(server, browser):
    from selenium.webdriver.support.expected_conditions import staleness_of
    from selenium.webdriver.support.ui import Select, WebDriverWait

    kb_root, port = server
    driver = browser
    driver.get(f"http://127.0.0.1:{port}{PAGE}")
    form = driver.find_element("css selector", 'form[aria-label="Update training-cooperation"]')
    Select(form.find_element("name", "status")).select_by_value("fulfilled")
    form.find_element("name", "note").send_keys("First course held in Islamabad")
    date = form.find_element("name", "date")
    date.clear()
    date.send_keys("2026-01-05")
    form.find_element("css selector", "button[type=submit]").click()
    # the meeting page has an h1 too: wait for it to go before looking at the answer's
    WebDriverWait(driver, 60).until(staleness_of(form))
    WebDriverWait(driver, 60).until(lambda d: d.find_elements("css selector", "p.message, h1"))
    assert driver.find_elements("css selector", "p.message"), driver.page_source
    message = driver.find_element("css selector", "p.message").text
    back = driver.find_element("link text", "Back to the meeting").get_attribute("href")
    assert message == f"Saved: {RECORD}: training-cooperation from open to fulfilled on 2026-01-05."
    assert back == f"http://127.0.0.1:{port}{PAGE}"
    text = (kb_root / RECORD).read_text(encoding="utf-8")
    assert "note: First course held in Islamabad" in text and COMMENT in text
