"""Trust under attack, round three (issue 28): nothing under the knowledge base or its output is
trusted, the site server answers only its own address, text is checked at the door, decisions and
merges fail closed, and no input crashes kb."""

import http.client
import os
import re
import shutil
import threading
import time

import pytest
from test_trust import own_key  # noqa: F401  (a fixture)

# -- the search index: sealed, rebuilt when in doubt ----------------------------------------------


def _search(run_kb, root, *words):
    result = run_kb("search", *words, kb=root)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def repo_with_index(repo, run_kb, own_key):  # noqa: F811
    expected = _search(run_kb, repo, "ambassador")
    assert (repo / ".kb-cache/search.sqlite").is_file() and (repo / ".kb-cache/search.seal").is_file()
    return repo, expected


def test_a_damaged_index_from_a_clone_is_rebuilt_not_read(repo_with_index, run_kb, own_key, tmp_path, monkeypatch):  # noqa: F811
    import marshal

    repo, expected = repo_with_index
    clone = tmp_path / "clone"
    shutil.copytree(repo, clone)  # as git would check out a committed .kb-cache
    index = clone / ".kb-cache/search.sqlite"
    raw = bytearray(index.read_bytes())
    raw[-11:] = b"\xff" * 11  # eleven damaged bytes, where the marshalled file stamps live
    index.write_bytes(bytes(raw))
    own_key("someone-else")  # the user who cloned it
    decoded = []
    real = marshal.loads
    monkeypatch.setattr(marshal, "loads", lambda data: decoded.append(bytes(data)) or real(data))
    assert _search(run_kb, clone, "ambassador") == expected
    assert all(b"\xff" * 11 not in data for data in decoded)
    assert b"\xff" * 11 not in index.read_bytes()  # rebuilt


def test_an_index_whose_seal_is_from_the_same_user_but_another_file_is_rebuilt(repo_with_index, run_kb):
    repo, expected = repo_with_index
    index = repo / ".kb-cache/search.sqlite"
    before = os.stat(index).st_ino
    raw = index.read_bytes()
    index.unlink()
    index.write_bytes(raw)  # same bytes, another file: the seal names the file kb wrote
    assert _search(run_kb, repo, "ambassador") == expected
    assert os.stat(index).st_ino != before


def test_a_planted_journal_is_never_played_into_the_index(repo_with_index, run_kb):
    repo, expected = repo_with_index
    journal = repo / ".kb-cache/search.sqlite-journal"
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\x00" * 4000)
    assert _search(run_kb, repo, "ambassador") == expected
    assert not journal.exists()


def test_an_index_that_is_a_link_is_replaced_not_followed(repo_with_index, run_kb, tmp_path):
    repo, expected = repo_with_index
    elsewhere = tmp_path / "elsewhere.sqlite"
    elsewhere.write_bytes(b"not an index")
    index = repo / ".kb-cache/search.sqlite"
    index.unlink()
    index.symlink_to(elsewhere)
    assert _search(run_kb, repo, "ambassador") == expected
    assert elsewhere.read_bytes() == b"not an index" and not index.is_symlink()


@pytest.mark.parametrize("command", [("search", "ambassador"), ("site", "build", "-o", "SITE")])
def test_no_command_writes_through_a_linked_cache_folder(repo, run_kb, own_key, tmp_path, command):  # noqa: F811
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / ".kb-cache").symlink_to(elsewhere, target_is_directory=True)
    args = [str(tmp_path / "site") if part == "SITE" else part for part in command]
    result = run_kb(*args, kb=repo)
    assert result.exit_code == 0, result.output
    assert list(elsewhere.iterdir()) == []


# -- the site's output folder ----------------------------------------------------------------------


def test_site_build_never_writes_or_deletes_through_a_link_in_the_output(repo, run_kb, tmp_path):
    out = tmp_path / "_site"
    assert run_kb("site", "build", "-o", out, kb=repo).exit_code == 0
    shutil.rmtree(out / "meetings")
    (out / "meetings").symlink_to(repo / "meetings", target_is_directory=True)
    victim = "meetings/2024-07-13-naqvi-blome.yaml"
    before = {p.name: p.read_bytes() for p in (repo / "meetings").iterdir()}
    with open(out / ".kb-site", "a", encoding="utf-8") as manifest:
        manifest.write(f"0000 {victim}\n{victim}\n")
    result = run_kb("site", "build", "-o", out, kb=repo)
    assert result.exit_code == 2
    assert f"kb: error: {out}/meetings: is a symbolic link or not a folder;" in result.stderr
    assert {p.name: p.read_bytes() for p in (repo / "meetings").iterdir()} == before


def test_a_planted_manifest_removes_nothing_kb_did_not_write(repo, run_kb, tmp_path):
    out = tmp_path / "_site"
    assert run_kb("site", "build", "-o", out, kb=repo).exit_code == 0
    keep = out / "notes.txt"
    keep.write_text("mine\n")
    outside = tmp_path / "outside.txt"
    outside.write_text("mine too\n")
    import hashlib

    real = hashlib.blake2b(b"mine\n", digest_size=16).hexdigest()
    with open(out / ".kb-site", "a", encoding="utf-8") as manifest:
        # a wrong hash, no hash, and paths that lead out of the folder
        manifest.write("00 notes.txt\nnotes.txt\n")
        manifest.write(f"{real} ../outside.txt\n{real} {outside}\n")
    linked = out / "linked.txt"
    linked.symlink_to(outside)
    with open(out / ".kb-site", "a", encoding="utf-8") as manifest:
        manifest.write(f"{hashlib.blake2b(b'mine too' + bytes([10]), digest_size=16).hexdigest()} linked.txt\n")
    result = run_kb("site", "build", "-o", out, kb=repo)
    assert result.exit_code == 0, result.output
    assert keep.read_text() == "mine\n" and outside.read_text() == "mine too\n" and linked.is_symlink()
    assert "removed" not in result.stderr


def test_a_page_kb_wrote_is_still_removed_when_its_meeting_goes(repo, run_kb, tmp_path):
    out = tmp_path / "_site"
    assert run_kb("site", "build", "-o", out, kb=repo).exit_code == 0
    line = next(line for line in (out / ".kb-site").read_text().splitlines() if "naqvi-blome" in line)
    assert re.fullmatch(r"[0-9a-f]{32} meetings/2024-07-13-naqvi-blome\.html", line)
    (repo / "meetings/2024-07-13-naqvi-blome.yaml").unlink()
    result = run_kb("site", "build", "-o", out, kb=repo)
    assert result.exit_code == 0 and "1 removed" in result.stderr
    assert not (out / "meetings/2024-07-13-naqvi-blome.html").exists()


# -- kb site serve: its own address only -----------------------------------------------------------


@pytest.fixture
def served(repo, tmp_path):
    from kb.query.audience import Audience
    from kb.site.build import build_site
    from kb.site.serve import serve_site
    from kb.store.loader import load

    out = tmp_path / "site"
    lines: list[str] = []
    stop = threading.Event()

    def say(line):
        lines.append(line)

    thread = threading.Thread(
        target=serve_site,
        args=(repo, out, 0, 0.1, lambda: build_site(load(repo, use_cache=False), out, Audience(None)), say),
        kwargs={"max_rebuilds": 1, "describe": lambda r: "built"},
        daemon=True,
    )
    thread.start()
    deadline = time.monotonic() + 60
    while not any("serving" in line for line in lines) and time.monotonic() < deadline:
        time.sleep(0.05)
    port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", lines[-1]).group(1))
    yield out, port
    stop.set()
    (repo / "meetings/2024-07-13-naqvi-blome.yaml").touch()  # one rebuild, and the server stops
    thread.join(30)


def _get(port: int, path: str, host: str | None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_serve_answers_only_requests_for_its_own_address(served):
    _out, port = served
    page = "/meetings/2024-07-13-naqvi-blome.html"
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        status, body = _get(port, page, host)
        assert status == 200 and b"Naqvi" in body, host
    for host in ("attacker.example", f"attacker.example:{port}", "localhost", f"127.0.0.1:{port + 1}", None):
        status, body = _get(port, page, host)
        assert status == 403 and b"Naqvi" not in body, host


def test_serve_never_follows_a_link_in_the_output(served, tmp_path):
    out, port = served
    secret = tmp_path / "secret.txt"
    secret.write_text("private\n")
    (out / "leak.txt").symlink_to(secret)
    status, body = _get(port, "/leak.txt", f"127.0.0.1:{port}")
    assert status == 404 and b"private" not in body


def test_serve_refuses_an_address_others_can_reach_unless_told(run_kb, repo, tmp_path):
    result = run_kb("site", "serve", "-o", tmp_path / "s", "--bind", "0.0.0.0", "--max-rebuilds", "0", kb=repo)
    assert result.exit_code == 2
    assert "kb: error: --bind 0.0.0.0: not a loopback address;" in result.stderr and "--allow-remote" in result.stderr
    assert not (tmp_path / "s").exists()


def test_the_write_guard_wants_the_token_and_the_sites_own_origin():
    from kb.site.serve import Guard

    guard = Guard("127.0.0.1", 8123)
    good = {"Host": "localhost:8123", "Origin": "http://localhost:8123"}
    assert guard.allows_write(good, guard.token)
    assert not guard.allows_write(good, guard.token[:-1] + "x")
    assert not guard.allows_write(good, None)
    assert not guard.allows_write({**good, "Origin": "http://attacker.example"}, guard.token)
    assert not guard.allows_write({**good, "Host": "attacker.example:8123"}, guard.token)
    assert not guard.allows_write({"Host": "localhost:8123"}, guard.token)  # no origin at all
    referer = {"Host": "127.0.0.1:8123", "Referer": "http://127.0.0.1:8123/meetings.html"}
    assert guard.allows_write(referer, guard.token)
    assert not guard.allows_write({**referer, "Referer": "http://127.0.0.1:8124/"}, guard.token)
    assert Guard("127.0.0.1", 8123).token != guard.token
    remote = Guard("192.0.2.7", 80)
    assert remote.allows_host("192.0.2.7") and remote.allows_host("192.0.2.7:80") and not remote.allows_host("x")


# -- text in = text out: one rule for refused characters -----------------------------------------

OUTCOME = "2024-07-13-naqvi-blome#dialogue"
M = "meetings/2024-07-13-naqvi-blome.yaml"


@pytest.mark.parametrize("note", ["Two \x1b[2J MoUs", "Two \u202bMoUs", "bell\x07", "C1 \x9b31m"])
def test_update_refuses_a_note_with_a_refused_character(make_kb, run_kb, note):
    root = make_kb()
    before = (root / M).read_bytes()
    result = run_kb("update", OUTCOME, "in-progress", "--note", note, "--date", "2024-08-01", kb=root)
    assert result.exit_code == 2, result.output
    assert f"{M}: outcomes.0.updates.0.note holds the control character U+" in result.stderr
    assert "nothing was written" in result.stderr
    assert (root / M).read_bytes() == before


def test_kb_new_refuses_a_refused_character(make_kb, run_kb):
    root = make_kb()
    result = run_kb("new", "person", "--name", "Jane Doe", "--title", "Envoy \u202eX", "--country", "GB", kb=root)
    assert result.exit_code == 2, result.output
    assert "holds the control character U+202E; nothing was written" in result.stderr
    assert sorted(p.name for p in (root / "people").iterdir()) == ["donald-blome.yaml", "mohsin-naqvi.yaml"]


@pytest.mark.parametrize("raw", ["\u202e", "\u2066", "\u202a"])
def test_check_finds_a_bidi_character_written_without_a_backslash(make_kb, check_json, raw):
    root = make_kb({"orgs/pk-interior.yaml": f"id: pk-interior\nname: Ministry {raw}of Interior\ncountry: PK\n"})
    findings, code = check_json(root)
    assert code == 1
    assert [(f["code"], f["path"], f["line"]) for f in findings] == [("KB204", "orgs/pk-interior.yaml", 2)]
    assert f"U+{ord(raw):04X}" in findings[0]["message"]


def test_the_one_rule_is_the_checks_and_the_writers():
    from kb.model import characters

    assert characters.refused("Naqvi \u200f and \u061c, tab\tand\nline") is None  # marks and layout pass
    for character in ("\x1b", "\x07", "\x7f", "\x85", "\x9b", "\u202a", "\u202e", "\u2066", "\u2069", "\r"):
        assert characters.refused(f"a{character}b") == character
    record = {"name": "A\x1bB", "aliases": [{"name": "C\u202eD"}], "ok": "E"}
    assert characters.first_refused(record) == ("name", "\x1b")
    assert characters.strip(record) == ["name", "aliases.0.name"]
    assert record == {"name": "AB", "aliases": [{"name": "CD"}], "ok": "E"}


CSV_MAP = ("--map", "date=Date", "--map", "with=Visitor", "--map", "country=Country", "--map", "purpose=Description")


def test_an_import_strips_refused_characters_and_says_so(tmp_path, run_kb, check_json):
    root = tmp_path / "kb"
    root.mkdir()
    (root / "kb.yaml").write_text("name: Visits\nour_side: US\n")
    (root / "topics.yaml").write_text("topics: []\n")
    path = tmp_path / "visits.csv"
    path.write_text(
        "Date,Visitor,Country,Description\n2019-02-22,Vice Premier Liu He,CN,Talks on \x1b[2Jtrade\x07 \u202eevil\n"
    )
    result = run_kb("import", "csv", path, *CSV_MAP, kb=root)
    assert result.exit_code == 0, result.output
    assert (
        "kb: warning: meetings/2019-02-22-liu-he.yaml: removed control characters or bidirectional "
        "overrides from title, summary"
    ) in result.stderr
    text = (root / "meetings/2019-02-22-liu-he.yaml").read_text()
    assert "summary: Talks on [2Jtrade evil\n" in text
    findings, _code = check_json(root)
    assert "KB204" not in {f["code"] for f in findings}


def test_an_import_prints_outside_data_with_its_control_characters_escaped(tmp_path, run_kb):
    """--dry-run shows the drafts before they are cleaned: what reaches the terminal is escaped."""
    root = tmp_path / "kb"
    root.mkdir()
    (root / "kb.yaml").write_text("name: Visits\nour_side: US\n")
    (root / "topics.yaml").write_text("topics: []\n")
    path = tmp_path / "visits.csv"
    path.write_text("Date,Visitor,Country,Description\n2019-02-22,Vice Premier Liu \x1b[2JHe,CN,Talks \u202eevil\n")
    result = run_kb("import", "csv", path, *CSV_MAP, "--dry-run", kb=root)
    assert result.exit_code == 0, result.output
    assert not {"\x1b", "\u202e"} & set(result.output)
    assert "Liu \\x1b[2JHe" in result.output and "Talks \\u202eevil" in result.output


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_spreadsheet_is_read(tmp_path, run_kb, encoding):
    root = tmp_path / "kb"
    root.mkdir()
    (root / "kb.yaml").write_text("name: Visits\nour_side: US\n")
    (root / "topics.yaml").write_text("topics: []\n")
    path = tmp_path / "visits.csv"
    path.write_bytes("Date,Visitor,Country,Description\n2019-02-22,Vice Premier Liu He,CN,Talks\n".encode(encoding))
    result = run_kb("import", "csv", path, *CSV_MAP, kb=root)
    assert result.exit_code == 0, result.output
    assert "wrote meetings/2019-02-22-liu-he.yaml" in result.output


def test_a_utf16_register_is_read(tmp_path, make_kb, run_kb):
    from test_import_registers import QUARTER, UK_KB

    root = make_kb(UK_KB)
    path = tmp_path / "q.csv"
    path.write_bytes(QUARTER.lstrip("\ufeff").encode("utf-16"))
    result = run_kb("import", "uk-meetings", path, "--dry-run", kb=root)
    assert "no header row" not in result.stderr
    assert "q.csv is UTF-16 text; read as such" in result.stderr + result.output
    assert "7 meetings" in result.stderr


# -- decisions and merges fail closed -------------------------------------------------------------

PEOPLE = {
    "people/natalie-baker.yaml": "# kept from the embassy's biography\nid: natalie-baker\nname: Natalie Baker\n"
    "country: US\n# check the spelling of her middle name\n",
}
JUDGED_DIFFERENT_WITHOUT_WHY = (
    "decisions:\n  - kind: person\n    ids: [donald-blome, natalie-baker]\n    judgement: different\n"
    "    by: A. Reviewer\n    date: 2026-11-26\n"
)


@pytest.mark.parametrize(
    "decisions,where",
    [
        ("decisions: 5\n", "decisions.yaml:1:12: 'decisions' should be a list, not a number"),
        (JUDGED_DIFFERENT_WITHOUT_WHY, "decisions.yaml:2:5: this entry is missing the required field 'why'"),
        ("decisions: [\n", "decisions.yaml:"),
    ],
)
@pytest.mark.parametrize("command", ["merge", "decide"])
def test_an_invalid_decisions_file_stops_merge_and_decide(make_kb, run_kb, decisions, where, command):
    root = make_kb({**PEOPLE, "decisions.yaml": decisions})
    args = (
        ["merge", "donald-blome", "natalie-baker", "--why", "one"]
        if command == "merge"
        else ["decide", "same", "donald-blome", "natalie-baker", "--why", "one", "--by", "R"]
    )
    result = run_kb(*args, kb=root)
    assert result.exit_code == 2, result.output
    assert f"kb: error: {where}" in result.stderr
    assert "until it is valid" in result.stderr
    assert (root / "people/natalie-baker.yaml").exists()
    assert (root / "decisions.yaml").read_text() == decisions


def test_merge_lists_the_comments_it_deletes(make_kb, run_kb):
    root = make_kb(PEOPLE)
    for extra in (["--dry-run"], []):
        result = run_kb(
            "merge", "donald-blome", "natalie-baker", "--why", "one", "--by", "R", "--force", *extra, kb=root
        )
        assert result.exit_code == 0, result.output
        fate = "would be deleted" if extra else "were deleted"
        assert (
            f"  ! 2 comment(s) in people/natalie-baker.yaml {fate} with it:\n"
            "      # kept from the embassy's biography\n"
            "      # check the spelling of her middle name\n"
        ) in result.output


@pytest.mark.parametrize(
    "files,expected",
    [
        (  # a cycle: each names the other
            {
                "people/natalie-baker.yaml": "id: natalie-baker\nname: Natalie Baker\nformer_ids: [donald-blome]\n",
                "people/donald-blome.yaml": "id: donald-blome\nname: Donald Blome\nformer_ids: [natalie-baker]\n",
            },
            [
                (
                    "people/donald-blome.yaml",
                    "former id 'natalie-baker' is the id of people/natalie-baker.yaml, "
                    "which lists this record's id in turn (a cycle)",
                ),
                (
                    "people/natalie-baker.yaml",
                    "former id 'donald-blome' is the id of people/donald-blome.yaml, "
                    "which lists this record's id in turn (a cycle)",
                ),
            ],
        ),
        (  # a chain: natalie-baker -> donald-blome -> old-blome
            {
                "people/natalie-baker.yaml": "id: natalie-baker\nname: Natalie Baker\nformer_ids: [donald-blome]\n",
                "people/donald-blome.yaml": "id: donald-blome\nname: Donald Blome\nformer_ids: [old-blome]\n",
            },
            [
                (
                    "people/natalie-baker.yaml",
                    "former id 'donald-blome' is the id of people/donald-blome.yaml, which still exists",
                )
            ],
        ),
        (  # its own id, and one old id in two records
            {
                "people/natalie-baker.yaml": "id: natalie-baker\nname: Natalie Baker\nformer_ids: [natalie-baker, nb]\n",
                "people/donald-blome.yaml": "id: donald-blome\nname: Donald Blome\nformer_ids: [nb]\n",
            },
            [
                ("people/natalie-baker.yaml", "former id 'natalie-baker' is this record's own id"),
                ("people/natalie-baker.yaml", "former id 'nb' is listed by people/donald-blome.yaml too"),
            ],
        ),
    ],
)
def test_former_ids_that_are_not_former_are_reported(make_kb, check_json, files, expected):
    findings, code = check_json(make_kb(files))
    assert code == 1
    assert sorted((f["path"], f["message"]) for f in findings if f["code"] == "KB303") == sorted(expected)


# -- crashes and wrong messages -------------------------------------------------------------------


def test_a_pasted_essay_is_not_a_search_crash(make_kb, run_kb):
    root = make_kb()
    essay = " ".join(f"word{n}" for n in range(1000))
    result = run_kb("search", essay, kb=root)
    assert result.exit_code == 2
    assert result.stderr.startswith("kb: error: the query has 1000 different words or phrases")
    phrase = run_kb("search", '"' + essay + '"', kb=root)
    assert phrase.exit_code == 2 and "the longest of 1000 words" in phrase.stderr
    repeated = run_kb("search", " ".join(["extradition"] * 1000), kb=root)
    assert repeated.exit_code == 0, repeated.output
    assert repeated.output == run_kb("search", "extradition", kb=root).output


def _git(root, *args):
    import subprocess

    subprocess.run(
        ["git", "-c", "user.email=r@example.org", "-c", "user.name=R", "-C", str(root), *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def history(make_kb):
    root = make_kb()
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "one")
    return root


def test_a_damaged_git_object_is_a_clear_error(history, run_kb):
    import subprocess

    path = history / M
    path.write_text(path.read_text().replace("Islamabad", "Lahore"))
    _git(history, "commit", "-qam", "two")
    oid = subprocess.run(
        ["git", "-C", str(history), "rev-parse", f"HEAD~1:{M}"], capture_output=True, text=True, check=True
    ).stdout.strip()
    obj = history / ".git/objects" / oid[:2] / oid[2:]
    obj.chmod(0o644)
    raw = bytearray(obj.read_bytes())
    raw[20:31] = b"\xff" * 11
    obj.write_bytes(bytes(raw))
    result = run_kb("diff", "HEAD~1", "HEAD", kb=history)
    assert result.exit_code == 2, result.output
    assert f"git cannot read the object {oid} (missing or damaged)" in result.stderr


def test_a_person_renamed_by_hand_is_a_rename_not_a_departure(history, run_kb):
    old = history / "people/mohsin-naqvi.yaml"
    new = history / "people/mohsin-raza-naqvi.yaml"
    new.write_text(old.read_text().replace("id: mohsin-naqvi\n", "id: mohsin-raza-naqvi\nformer_ids: [mohsin-naqvi]\n"))
    old.unlink()
    meeting = history / M
    meeting.write_text(meeting.read_text().replace("person: mohsin-naqvi", "person: mohsin-raza-naqvi"))
    result = run_kb("diff", kb=history)
    assert result.exit_code == 0, result.output
    assert (
        "meeting 2024-07-13-naqvi-blome: participant, renamed, changed from 'mohsin-naqvi' to 'mohsin-raza-naqvi'"
        in result.output
    )
    assert "did not attend" not in result.output and "participant-removed" not in result.output


def test_an_alias_with_newlines_and_a_comment_stays_in_its_markdown_line(history, run_kb):
    person = history / "people/donald-blome.yaml"
    person.write_text(
        person.read_text().replace("aliases:\n", 'aliases:\n  - name: "Don\\n<!--\\n# Head"\n    kind: spelling\n', 1)
    )
    meeting = history / M
    meeting.write_text(meeting.read_text().replace("title: ", "title: Later ", 1))
    result = run_kb("diff", "--format", "md", kb=history)
    assert result.exit_code == 0, result.output
    assert "<!--" not in result.output and "\n#" not in result.output.split("\n", 1)[1]
    assert "- person `donald-blome`: alias 'Don &lt;!-- # Head' (spelling) added" in result.output
    assert "title changed from" in result.output  # the change after it is still there


def test_two_fmt_runs_at_once_both_succeed(make_kb, run_kb, monkeypatch):
    from kb.authoring import formatting

    root = make_kb({"orgs/pk-interior.yaml": "id: pk-interior\nname:    Ministry of Interior\ncountry: PK\n"})
    real = formatting.write

    def racing(path, outcome):
        path.unlink()
        path.write_text(outcome.after)  # the other run wrote the same canonical text first
        real(path, outcome)

    monkeypatch.setattr(formatting, "write", racing)
    result = run_kb("fmt", kb=root)
    assert result.exit_code == 0, result.output
    assert (root / "orgs/pk-interior.yaml").read_text() == "id: pk-interior\nname: Ministry of Interior\ncountry: PK\n"


@pytest.mark.parametrize("argv", [["check", "\x00"], ["brief", "a\x00b"], ["list", "meetings", "--country", "\x00"]])
def test_an_argument_holding_a_nul_is_refused_before_any_command_runs(repo, run_kb, argv):
    result = run_kb(*argv, kb=repo)
    assert result.exit_code == 2
    assert result.output == "kb: error: an argument holds a NUL character (\\x00): remove it\n"
