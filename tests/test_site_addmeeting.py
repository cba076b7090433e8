"""`kb site serve`'s add-a-meeting form on a real server on 127.0.0.1, on the repository's records:
people chosen with the resolver, `kb check`'s findings before saving, a record `kb fmt` leaves as
it is; and every attack refused with nothing written."""

from __future__ import annotations

import re
import time
from html import unescape
from pathlib import Path

import pytest
from conftest import copy_repository
from test_site_forms import _start, request

ADD = "/_kb/add-meeting"
FORM = {
    "title": "Naqvi and Marriott discuss visa processing",
    "date": "2026-01",
    "place": "Islamabad",
    "country": "PK",
    "ours": "mohsin-naqvi",
    "counterparts": "Jane Marriott\nnew: Ann Hartley | GB | Deputy High Commissioner",
    "topics": "illegal-migration",
    "summary": "They reviewed visa processing times.",
    "sensitivity": "CLEAR",
    "url": "https://example.org/naqvi-marriott-visas",
    "publisher": "Example News",
    "published": "2026-01-15",
}
MEETING = "meetings/2026-01-naqvi-marriott-hartley.yaml"
PERSON = "people/ann-hartley.yaml"


def records(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*.yaml"))
        if ".kb-cache" not in p.parts
    }


@pytest.fixture
def server(repo, tmp_path):
    process, port = _start(repo, tmp_path / "site", "--interval", "0.2", "--today", "2026-02-01")
    yield repo, port
    process.terminate()
    process.wait(30)


@pytest.fixture(scope="module")
def refusing(tmp_path_factory):
    """One server for the tests whose every post is refused: each checks that nothing was
    written, so they need not each start one (a start builds the site: some 0.4 CPU-s)."""
    root = tmp_path_factory.mktemp("kb")
    copy_repository(root)
    process, port = _start(root, tmp_path_factory.mktemp("site"), "--interval", "0.2", "--today", "2026-02-01")
    yield root, port
    process.terminate()
    process.wait(30)


def token(port: int) -> str:
    status, page = request(port, "GET", ADD)
    assert status == 200, page
    return unescape(re.search(r'name="token" value="([^"]+)"', page).group(1))


def post(port: int, fields: dict, **kwargs) -> tuple[int, str]:
    status, page = request(port, "POST", ADD, fields, **kwargs)
    return status, unescape(page)


def message(page: str) -> str:
    return re.search(r'<p class="message" role="status">(.*?)</p>', page, re.S).group(1)


def seal(page: str) -> str:
    return re.search(r'name="seal" value="([^"]*)"', page).group(1)


def test_check_then_save_writes_a_formatted_meeting_and_the_new_person(server, run_kb):
    root, port = server
    before = records(root)
    fields = {**FORM, "token": token(port), "action": "check"}
    status, page = post(port, fields)
    assert status == 200, page
    assert message(page) == f"Checked: {MEETING} would be written; kb check found 0 errors and 0 other findings."
    assert records(root) == before  # a check writes nothing
    status, page = post(port, {**fields, "action": "save", "seal": seal(page)})
    assert status == 200, page
    assert message(page) == f"Saved: {PERSON}, {MEETING}."
    assert set(records(root)) - set(before) == {PERSON, MEETING}
    text = (root / MEETING).read_text(encoding="utf-8")
    assert text.splitlines()[1:9] == [
        "id: 2026-01-naqvi-marriott-hartley",
        "title: Naqvi and Marriott discuss visa processing",
        "date: 2026-01",
        "status: held",
        "location:",
        "  place: Islamabad",
        "  country: PK",
        "sensitivity: CLEAR",
    ]
    assert "  - person: ann-hartley\n    side: GB\n    title: Deputy High Commissioner\n    role: delegation\n" in text
    assert run_kb("fmt", "--check", kb=root).exit_code == 0
    assert run_kb("check", kb=root).exit_code == 0
    listed = run_kb("list", "meetings", "--format", "json", kb=root)
    assert "2026-01-naqvi-marriott-hartley" in listed.output
    expected = run_kb(
        "new", "person", "--name", "Ann Hartley", "--country", "GB", "--title", "Deputy High Commissioner", kb=root
    )
    assert "already exists" in expected.output  # the same id rule as `kb new person`
    # the served site rebuilds with the new meeting
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status, page = request(port, "GET", "/meetings/2026-01-naqvi-marriott-hartley.html")
        if status == 200:
            break
        time.sleep(0.5)
    assert status == 200 and "Naqvi and Marriott discuss visa processing" in page


def test_errors_block_the_save_and_warnings_do_not(server):
    root, port = server
    before = records(root)
    fields = {**FORM, "token": token(port), "date": "1990", "counterparts": "Jane Marriott", "ours": ""}
    status, page = post(port, {**fields, "action": "check"})
    assert status == 200
    assert (
        message(page)
        == "Checked: meetings/1990-marriott.yaml would be written; kb check found 1 error and 2 other findings."
    )
    assert "error[KB606] 'participants.0.title' is a placeholder" in page
    assert "warning[KB610] nobody on our side (PK)" in page
    assert 'value="save"' not in page  # no save button
    status, page = post(port, {**fields, "action": "save", "seal": seal(page)})
    assert status == 400 and message(page).startswith("Not saved: kb check found 1 error")
    fields["counterparts"] = "Jane Marriott | British Deputy High Commissioner"
    status, page = post(port, {**fields, "action": "check"})
    assert "kb check found 0 errors and 2 other findings" in message(page) and 'value="save"' in page
    assert records(root) == before


def test_an_ambiguous_name_lists_its_candidates_and_picks_none(repo, tmp_path):
    (repo / "people/jane-marriott-2.yaml").write_text(
        "id: jane-marriott-2\nname: Jane Marriott\ncountry: CA\nroles:\n  - title: Trade Commissioner\n",
        encoding="utf-8",
    )
    process, port = _start(repo, tmp_path / "site")
    try:
        before = records(repo)
        fields = {**FORM, "token": token(port), "action": "check"}
        status, page = post(port, fields)
        assert status == 400
        assert message(page) == "Not checked: 'Jane Marriott' could be more than one person: choose one"
        picks = re.findall(
            r'class="pick" data-id="([^"]+)">([^<]+)</button> <code>[^<]+</code> <span class="evidence">([^<]*)', page
        )
        assert picks == [
            ("jane-marriott", "Jane Marriott", "British High Commissioner to Pakistan, British High Commission Islamabad; GB; 1 meeting, last 2025-11-13"),
            ("jane-marriott-2", "Jane Marriott", "Trade Commissioner; CA"),
        ]  # fmt: skip
        status, answer = request(port, "POST", "/_kb/suggest", {"token": fields["token"], "q": "jane marriott"})
        assert status == 200 and answer.count('class="pick"') == 2
        assert records(repo) == before
    finally:
        process.terminate()
        process.wait(30)


def test_a_cross_site_post_or_a_wrong_host_is_refused(refusing):
    root, port = refusing
    before = records(root)
    fields = {**FORM, "token": token(port), "action": "save"}
    assert post(port, {**fields, "token": ""})[0] == 403
    assert post(port, {k: v for k, v in fields.items() if k != "token"})[0] == 403
    assert post(port, fields, origin="http://attacker.example")[0] == 403
    assert post(port, fields, origin=None)[0] == 403
    assert request(port, "POST", "/_kb/suggest", {"q": "Jane Marriott"})[0] == 403
    import http.client
    from urllib.parse import urlencode

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "attacker.example", "Origin": "http://attacker.example"}
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request("POST", ADD, body=urlencode(fields), headers=headers)
    response = conn.getresponse()
    assert response.status == 403 and "Host not allowed" in response.read().decode()
    conn.close()
    assert records(root) == before


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("new: <script>alert(1)</script> | GB", "a name holds no markup (< >), no path (/ \\ ..)"),
        ("new: Ann\x1b[2JHartley | GB", "holds the control character U+001B; nothing was written"),
        ("new: ../../etc/passwd | GB", "a name holds no markup (< >), no path (/ \\ ..)"),
        ("new: Ann\\Hartley | GB", "a name holds no markup (< >), no path (/ \\ ..)"),
        ("new: Ann\x00Hartley | GB", "holds the control character U+0000; nothing was written"),
        ("new: Ann Hartley", "give the country of Ann Hartley"),
        ("new: Jane Marriott | GB", "Jane Marriott is recorded already (jane-marriott): name them instead"),
        ("../people/jane-marriott", "no person matches '../people/jane-marriott'"),
    ],
)
def test_a_hostile_or_bad_name_is_refused_and_nothing_written(refusing, line, said):
    root, port = refusing
    before = records(root)
    fields = {**FORM, "token": token(port), "counterparts": line, "action": "save", "seal": "x"}
    status, raw = request(port, "POST", ADD, fields)
    assert status == 400 and said in message(unescape(raw))
    assert "<script>alert" not in raw
    assert records(root) == before


def test_a_hostile_title_is_shown_as_text_and_a_control_character_blocks_the_save(refusing):
    root, port = refusing
    before = records(root)
    fields = {**FORM, "token": token(port), "title": "<img src=x onerror=alert(1)> talks", "action": "check"}
    status, page = request(port, "POST", ADD, fields)
    assert status == 200 and "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt; talks" in page
    status, page = post(port, {**fields, "title": "Talks\x1b]0;owned\x07"})
    assert "error[KB204]" in page and 'value="save"' not in page
    status, page = post(port, {**fields, "title": "Talks\x1b]0;owned\x07", "action": "save", "seal": seal(page)})
    assert status == 400
    assert records(root) == before


def test_an_id_collision_is_refused(refusing):
    root, port = refusing
    before = records(root)
    fields = {
        **FORM, "token": token(port), "date": "2025-11-13", "ours": "Mohsin Naqvi", "counterparts": "graeme-biggar",
    }  # fmt: skip
    status, page = post(port, {**fields, "action": "check"})
    assert status == 409
    assert message(page).startswith("Not checked: meetings/2025-11-13-naqvi-biggar.yaml already exists")
    assert records(root) == before


def test_a_file_changed_under_the_form_is_never_overwritten_nor_saved_past(server):
    root, port = server
    fields = {**FORM, "token": token(port), "action": "check"}
    _status, page = post(port, fields)
    checked = seal(page)
    # someone saves a record meanwhile: the check shown is out of date
    person = root / "people/jane-marriott.yaml"
    person.write_bytes(person.read_bytes() + b"# edited meanwhile\n")
    before = records(root)
    status, page = post(port, {**fields, "action": "save", "seal": checked})
    assert status == 409 and "changed after the check was shown; nothing was written" in message(page)
    assert records(root) == before
    # a field changed after the check: the same
    status, page = post(port, {**fields, "title": "Another title", "action": "save", "seal": seal(page)})
    assert status == 409 and records(root) == before
    # the new person's file appears before the save (another window saved it): refused, nothing written
    _status, page = post(port, fields)
    (root / PERSON).write_text("# saved elsewhere\n", encoding="utf-8")
    status, page = post(port, {**fields, "action": "save", "seal": seal(page)})
    assert status in (400, 409) and not (root / MEETING).exists()
    assert (root / PERSON).read_text(encoding="utf-8") == "# saved elsewhere\n"


def test_the_form_keeps_to_the_audience(repo, tmp_path):
    from kb.store import yamledit

    yamledit.edit(repo / "meetings/2024-07-13-naqvi-blome.yaml", lambda r: r.__setitem__("sensitivity", "RED"))
    process, port = _start(repo, tmp_path / "site", "--audience", "GREEN")
    try:
        status, page = request(port, "GET", ADD)
        assert re.findall(r"<option[^>]*>([^<]+)</option>", page) == ["CLEAR", "GREEN"]
        before = records(repo)
        fields = {**FORM, "token": token(port), "sensitivity": "RED", "action": "check"}
        status, page = post(port, fields)
        assert status == 400 and "sensitivity 'RED': choose one of CLEAR, GREEN" in message(page)
        status, answer = request(port, "POST", "/_kb/suggest", {"token": fields["token"], "q": "Donald Blome"})
        assert "naqvi-blome" not in answer and "2024-07-13" not in answer
        # the RED meeting's id is taken, and said no more of
        hidden = {**fields, "date": "2024-07-13", "ours": "mohsin-naqvi", "counterparts": "donald-blome"}
        status, page = post(port, hidden)
        assert status == 409
        assert message(page) == (
            "Not checked: the id 2024-07-13-naqvi-blome is taken; change the date or the participants; nothing was written"
        )
        assert records(repo) == before
    finally:
        process.terminate()
        process.wait(30)


def test_add_a_meeting_in_chromium(server, run_kb, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    root, port = server
    driver = browser
    driver.get(f"http://127.0.0.1:{port}/index.html")
    driver.find_element("link text", "Add a meeting").click()
    WebDriverWait(driver, 60).until(lambda d: d.find_elements("id", "add-meeting"))
    form = driver.find_element("id", "add-meeting")
    for name in ("title", "date", "place", "country", "topics", "summary", "url", "publisher", "published"):
        form.find_element("name", name).send_keys(FORM[name])
    ours, theirs = driver.find_elements("css selector", ".finder")
    ours.find_element("css selector", "input.find").send_keys("Muhsin Nakvi")  # another spelling; asked as typed
    WebDriverWait(driver, 60).until(lambda d: ours.find_elements("css selector", "button.pick"))
    evidence = ours.find_element("css selector", ".evidence").text
    ours.find_element("css selector", "button.pick").click()
    theirs.find_element("css selector", "input.find").send_keys("jane marriott")
    theirs.find_element("css selector", "button.ask").click()
    WebDriverWait(driver, 60).until(lambda d: theirs.find_elements("css selector", "button.pick"))
    theirs.find_element("css selector", "button.pick").click()
    for key, value in (("name", "Ann Hartley"), ("cc", "GB"), ("title", "Deputy High Commissioner")):
        theirs.find_element("css selector", f"input.new-{key}").send_keys(value)
    theirs.find_element("css selector", "button.propose").click()
    assert form.find_element("name", "ours").get_attribute("value") == "mohsin-naqvi"
    assert form.find_element("name", "counterparts").get_attribute("value") == (
        "jane-marriott\nnew: Ann Hartley | GB | Deputy High Commissioner"
    )
    form.find_element("css selector", "button[value=check]").click()
    WebDriverWait(driver, 60).until(lambda d: d.find_elements("css selector", "section.check"))
    checked = driver.find_element("css selector", "p.message").text
    driver.find_element("css selector", "button[value=save]").click()
    WebDriverWait(driver, 60).until(lambda d: d.find_elements("link text", "Back to the meeting"))
    saved = driver.find_element("css selector", "p.message").text
    assert evidence.startswith("Federal Minister for Interior")
    assert checked == f"Checked: {MEETING} would be written; kb check found 0 errors and 0 other findings."
    assert saved == f"Saved: {PERSON}, {MEETING}."
    assert "2026-01-naqvi-marriott-hartley" in run_kb("list", "meetings", kb=root).output


def test_read_only_serves_no_add_meeting_form(repo, tmp_path):
    process, port = _start(repo, tmp_path / "site", "--read-only")
    try:
        status, _page = request(port, "GET", ADD)
        assert status == 404
        status, page = request(port, "GET", "/index.html")
        assert status == 200 and "Add a meeting" not in page
        assert request(port, "POST", ADD, {**FORM, "token": "x"})[0] == 405
    finally:
        process.terminate()
        process.wait(30)
