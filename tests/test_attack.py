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
