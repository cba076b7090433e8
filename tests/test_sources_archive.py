"""`kb sources archive` against web servers of the test's own on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kb import __version__
from kb.importing import fetching

ARTICLE = (
    b"<html><head><title>Naqvi meets Blome</title><script>var x = 1;</script></head><body>"
    b"<nav><a href='/'>Home</a></nav><article><h1>Naqvi meets Blome</h1>"
    b"<p>The two sides agreed to a dialogue in October.</p><p>Scroll to Top</p></article>"
    b"<footer>Copyright</footer></body></html>"
)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\nbinary"


class Site:
    """One server: routes of path -> (status, headers, body, delay); counts every request."""

    def __init__(self):
        self.routes: dict[str, tuple] = {}
        self.requests: Counter = Counter()
        self.agents: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.requests[self.path] += 1
                site.agents.append(self.headers.get("User-Agent", ""))
                status, headers, body, delay = site.routes.get(self.path, (404, {}, b"not here", 0))
                time.sleep(delay)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def page(self, path, body, content_type="text/html; charset=utf-8", status=200, delay=0.0, length=True):
        headers = {"Content-Type": content_type}
        if length:
            headers["Content-Length"] = str(len(body))
        self.routes[path] = (status, headers, body, delay)

    def redirect(self, path, location, status=302):
        self.routes[path] = (status, {"Location": location, "Content-Length": "0"}, b"", 0)


@pytest.fixture
def site():
    server = Site()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def other_site():
    server = Site()
    yield server
    server.server.shutdown()
    server.server.server_close()


MEETING = """\
id: 2024-07-13-naqvi-blome
title: Interior Minister meets the US Ambassador
date: 2024-07-13
status: held
{marking}participants:
  - person: mohsin-naqvi
    side: PK
    title: Interior Minister
    role: lead
  - person: donald-blome
    side: US
    title: Ambassador
    role: lead
sources:
  # the first report
  - url: {first}
    publisher: Example  # a wire service
    note: Names the ambassador.
{more}"""


def meeting_kb(make_kb, first, more=(), marking=""):
    extra = "".join(f"  - url: {url}\n" for url in more)
    text = MEETING.format(first=first, more=extra, marking=f"sensitivity: {marking}\n" if marking else "")
    return make_kb({"meetings/2024-07-13-naqvi-blome.yaml": text})


def archive(run_kb, root, *args):
    return run_kb("sources", "archive", "--delay", "0", "--timeout", "2", *args, kb=root)


def key_of(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:16]


def stored(root, body: bytes) -> str:
    """The stored copy of ``body``, its retrieval time replaced by RETRIEVED."""
    text = (root / "sources" / f"{key_of(body)}.md").read_text(encoding="utf-8")
    return re.sub(r'retrieved: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"', 'retrieved: "RETRIEVED"', text)


def test_archives_the_readable_text_and_links_it_keeping_comments(site, make_kb, run_kb):
    site.page("/article", ARTICLE)
    root = meeting_kb(make_kb, f"{site.base}/article")
    result = archive(run_kb, root)
    key, digest = key_of(ARTICLE), hashlib.sha256(ARTICLE).hexdigest()
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"fetched: {site.base}/article: sources/{key}.md (200, text/html, {len(ARTICLE)} bytes)\n"
        f"meetings/2024-07-13-naqvi-blome.yaml: source 1: archive: {key}\n"
        "1 fetched\n"
    )
    assert stored(root, ARTICLE) == (
        "---\n"
        f'url: "{site.base}/article"\n'
        f'final_url: "{site.base}/article"\n'
        "status: 200\n"
        'content_type: "text/html; charset=utf-8"\n'
        f"bytes: {len(ARTICLE)}\n"
        f'sha256: "{digest}"\n'
        'retrieved: "RETRIEVED"\n'
        'title: "Naqvi meets Blome"\n'
        'sensitivity: "CLEAR"\n'
        'text: "extracted"\n'
        "---\n"
        "\n"
        "# Naqvi meets Blome\n"
        "\n"
        "The two sides agreed to a dialogue in October.\n"
    )
    meeting = (root / "meetings/2024-07-13-naqvi-blome.yaml").read_text(encoding="utf-8")
    assert meeting.endswith(
        "sources:\n"
        "  # the first report\n"
        f"  - url: {site.base}/article\n"
        "    publisher: Example  # a wire service\n"
        f"    archive: {key}\n"
        "    note: Names the ambassador.\n"
    )
    assert site.agents == [f"kb/{__version__} (knowledge-base source archiver)"] * 2  # robots.txt, page
    assert run_kb("check", "--strict", kb=root).exit_code == 0


def test_an_archived_page_is_never_fetched_again_unless_refresh(site, make_kb, run_kb):
    site.page("/article", ARTICLE)
    root = meeting_kb(make_kb, f"{site.base}/article")
    archive(run_kb, root)
    before = (root / "meetings/2024-07-13-naqvi-blome.yaml").read_text(encoding="utf-8")
    asked = dict(site.requests)

    again = archive(run_kb, root)
    assert again.exit_code == 0
    assert again.output.endswith("1 kept\n") and f"kept: {site.base}/article: already archived as" in again.output
    assert dict(site.requests) == asked == {"/robots.txt": 1, "/article": 1}

    changed = ARTICLE.replace(b"October", b"November")
    site.page("/article", changed)
    refreshed = archive(run_kb, root, "--refresh")
    assert refreshed.exit_code == 0, refreshed.output
    assert site.requests["/article"] == 2
    after = (root / "meetings/2024-07-13-naqvi-blome.yaml").read_text(encoding="utf-8")
    assert after == before.replace(key_of(ARTICLE), key_of(changed))
    assert "November" in stored(root, changed)
    assert (root / "sources" / f"{key_of(ARTICLE)}.md").exists()  # the earlier copy is kept


def test_dry_run_fetches_nothing(site, make_kb, run_kb):
    site.page("/article", ARTICLE)
    root = meeting_kb(make_kb, f"{site.base}/article")
    result = archive(run_kb, root, "--dry-run")
    assert result.output == f"would fetch: {site.base}/article\n1 would fetch (dry run: nothing fetched or written)\n"
    assert not site.requests and not (root / "sources").exists()


def test_redirects_to_another_host_are_followed_and_recorded(site, other_site, make_kb, run_kb):
    other_site.page("/final", ARTICLE)
    site.redirect("/moved", "/away")
    site.redirect("/away", f"{other_site.base}/final", status=301)
    root = meeting_kb(make_kb, f"{site.base}/moved")
    result = archive(run_kb, root)
    assert result.exit_code == 0, result.output
    text = stored(root, ARTICLE)
    assert f'url: "{site.base}/moved"\nfinal_url: "{other_site.base}/final"\nstatus: 200\n' in text
    assert other_site.requests == {"/robots.txt": 1, "/final": 1}  # robots.txt read on each host


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        (lambda s: s.page("/p", b"gone", status=404), "HTTP 404 Not Found"),
        (lambda s: s.page("/p", b"oops", status=500), "HTTP 500 Internal Server Error"),
        (
            lambda s: (s.redirect("/p", "/q"), s.redirect("/q", "/p")),
            "redirect loop ({base}/p -> {base}/q -> {base}/p)",
        ),
        (
            lambda s: s.redirect("/p", "file:///etc/passwd"),
            "not an http(s) address (file:); only web pages are fetched",
        ),
        (lambda s: s.page("/p", b"x" * 3000, length=False), "larger than the limit of 2,097 bytes (HTTP 200)"),
        (lambda s: s.page("/p", b"x" * 3000), "larger than the limit of 2,097 bytes (3,000 bytes) (HTTP 200)"),
        (lambda s: s.page("/p", ARTICLE, delay=1.5), "no complete response within 0.5 s"),
        (
            lambda s: s.page("/robots.txt", b"User-agent: *\nDisallow: /p\n", content_type="text/plain"),
            "disallowed by the site's robots.txt",
        ),
    ],
    ids=["404", "500", "loop", "file-scheme", "huge-streamed", "huge-declared", "slow", "robots"],
)
def test_a_page_that_fails_is_reported_and_nothing_is_written(setup, reason, site, make_kb, run_kb):
    setup(site)
    root = meeting_kb(make_kb, f"{site.base}/p")
    before = (root / "meetings/2024-07-13-naqvi-blome.yaml").read_text(encoding="utf-8")
    result = run_kb("sources", "archive", "--delay", "0", "--timeout", "0.5", "--max-size", "0.002", kb=root)
    assert result.exit_code == 1
    assert result.output == f"failed: {site.base}/p: {reason.format(base=site.base)}\n1 failed\n"
    assert not list((root / "sources").glob("*")) if (root / "sources").exists() else True
    assert (root / "meetings/2024-07-13-naqvi-blome.yaml").read_text(encoding="utf-8") == before
    if "robots" in reason:
        assert "/p" not in site.requests


def test_a_pdf_keeps_its_metadata_and_says_the_text_was_not_extracted(site, make_kb, run_kb):
    site.page("/report.pdf", PDF, content_type="application/pdf")
    root = meeting_kb(make_kb, f"{site.base}/report.pdf")
    assert archive(run_kb, root).exit_code == 0
    text = stored(root, PDF)
    assert text.endswith(
        f'sha256: "{hashlib.sha256(PDF).hexdigest()}"\nretrieved: "RETRIEVED"\ntitle: ""\n'
        'sensitivity: "CLEAR"\ntext: "not extracted (application/pdf)"\n---\n'
    )
    assert f'content_type: "application/pdf"\nbytes: {len(PDF)}\n' in text


def test_the_copy_takes_the_marking_of_its_meeting(site, make_kb, run_kb):
    site.page("/article", ARTICLE)
    root = meeting_kb(make_kb, f"{site.base}/article", marking="AMBER")
    assert archive(run_kb, root).exit_code == 0
    assert 'sensitivity: "AMBER"\n' in stored(root, ARTICLE)


def test_only_named_urls_and_only_sources(site, make_kb, run_kb):
    site.page("/a", ARTICLE)
    site.page("/b", PDF, content_type="application/pdf")
    root = meeting_kb(make_kb, f"{site.base}/a", more=[f"{site.base}/b"])
    result = archive(run_kb, root, f"{site.base}/b")
    assert result.exit_code == 0 and result.output.endswith("source 2: archive: " + key_of(PDF) + "\n1 fetched\n")
    assert "/a" not in site.requests
    unknown = archive(run_kb, root, f"{site.base}/c")
    assert unknown.exit_code == 2
    assert f"{site.base}/c is not the url of any meeting's source" in unknown.output


def test_requests_to_one_host_wait_their_turn():
    now = [100.0]
    pauses: list[float] = []
    fetcher = fetching.Fetcher(fetching.Policy(delay=1.0), clock=lambda: now[0], sleep=pauses.append)
    fetcher._last["example.org"] = 99.75
    fetcher._wait("example.org")
    fetcher._wait("example.net")
    assert pauses == [0.75]


def test_only_web_addresses_are_fetched():
    failure = fetching.Fetcher().fetch("file:///etc/passwd")
    assert failure == fetching.Failure(
        "file:///etc/passwd", "not an http(s) address (file:); only web pages are fetched"
    )


SECOND = """\
id: 2024-08-01-naqvi-blome
title: Interior Minister meets the US Ambassador again
date: 2024-08-01
status: held
sensitivity: AMBER
participants:
  - person: mohsin-naqvi
    side: PK
    title: Interior Minister
    role: lead
  - person: donald-blome
    side: US
    title: Ambassador
    role: lead
sources:
  - url: {url}
"""


def test_briefs_and_the_site_link_the_copy_only_for_readers_of_its_marking(site, make_kb, run_kb, tmp_path):
    site.page("/article", ARTICLE)
    url = f"{site.base}/article"
    root = meeting_kb(make_kb, url)
    (root / "meetings/2024-08-01-naqvi-blome.yaml").write_text(SECOND.format(url=url), encoding="utf-8")
    assert archive(run_kb, root).exit_code == 0
    key = key_of(ARTICLE)
    assert 'sensitivity: "AMBER"\n' in stored(root, ARTICLE)  # the highest marking of its meetings

    amber = run_kb("brief", "donald-blome", "--audience", "AMBER", "--format", "md", kb=root).output
    assert f"— on 13 July 2024; archived copy `sources/{key}.md` (retrieved " in amber
    clear = run_kb("brief", "donald-blome", "--audience", "CLEAR", "--format", "md", kb=root).output
    assert "[Example](" in clear and "archived copy" not in clear and key not in clear
    assert (
        '"archive": null' in run_kb("brief", "donald-blome", "--audience", "CLEAR", "--format", "json", kb=root).output
    )
    html = run_kb("brief", "donald-blome", "--audience", "AMBER", "--format", "html", kb=root).output
    assert f'<a href="sources/{key}.md">archived copy</a>' in html

    for level, shown in (("CLEAR", False), ("AMBER", True)):
        out = tmp_path / f"site-{level}"
        assert run_kb("site", "build", "-o", out, "--audience", level, kb=root).exit_code == 0
        page = (out / "meetings/2024-07-13-naqvi-blome.html").read_text(encoding="utf-8")
        assert (f'(<a href="../sources/{key}.html">archived copy</a>)' in page) is shown
        assert (out / "sources" / f"{key}.html").exists() is shown
    copy = (tmp_path / "site-AMBER/sources" / f"{key}.html").read_text(encoding="utf-8")
    assert '<p dir="auto">The two sides agreed to a dialogue in October.</p>' in copy
    assert hashlib.sha256(ARTICLE).hexdigest() in copy and "TLP:AMBER" in copy


def test_check_reports_a_missing_copy_and_unarchived_sources_when_asked(site, make_kb, run_kb, check_json):
    site.page("/article", ARTICLE)
    root = meeting_kb(make_kb, f"{site.base}/article")
    assert run_kb("check", "--strict", kb=root).exit_code == 0  # KB620 is off by default
    config = root / "kb.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "require_archives: true\n", encoding="utf-8")
    assert [f["code"] for f in check_json(root)[0]] == ["KB620"]
    assert archive(run_kb, root).exit_code == 0
    assert check_json(root)[0] == []
    (root / "sources" / f"{key_of(ARTICLE)}.md").unlink()
    [missing] = check_json(root)[0]
    assert (missing["code"], missing["line"], missing["message"]) == (
        "KB621",
        18,
        f"no stored copy sources/{key_of(ARTICLE)}.md",
    )


def test_a_settled_check_sees_a_stored_copy_go_and_come_back(site, make_kb, run_kb, check_json):
    """The findings of the last check are reused while no record changed; a stored copy removed
    or restored since (sources/ is no record folder) still changes what KB621 finds. The meeting
    comes from the snapshot, whose head names its copy, and is decoded only to report it."""
    import os

    site.page("/article", ARTICLE)
    root = meeting_kb(make_kb, f"{site.base}/article")
    assert archive(run_kb, root).exit_code == 0
    past = time.time() - 3600
    for path in [*root.rglob("*.yaml"), *root.rglob("*.md"), root / "sources"]:
        os.utime(path, (past, past))  # older than the racy window: the check's findings are kept
    assert check_json(root) == ([], 0)
    assert check_json(root) == ([], 0)  # from the check cache
    copy = root / "sources" / f"{key_of(ARTICLE)}.md"
    text = copy.read_bytes()
    copy.unlink()
    [missing], code = check_json(root)
    assert (missing["code"], missing["path"], missing["line"], code) == (
        "KB621",
        "meetings/2024-07-13-naqvi-blome.yaml",
        18,
        1,
    )
    copy.write_bytes(text)
    assert check_json(root) == ([], 0)


def test_a_meeting_that_cannot_be_edited_safely_keeps_its_text_and_the_copy_is_reused(site, make_kb, run_kb):
    site.page("/article", ARTICLE)
    root = meeting_kb(make_kb, f"{site.base}/article")
    path = root / "meetings/2024-07-13-naqvi-blome.yaml"
    odd = path.read_text(encoding="utf-8").replace("    side: PK\n", "    side:   PK\n")  # not kb fmt's layout
    path.write_text(odd, encoding="utf-8")
    result = archive(run_kb, root)
    assert result.exit_code == 1
    assert "is not in kb's canonical layout" in result.output and "run `kb fmt" in result.output
    assert path.read_text(encoding="utf-8") == odd
    path.write_text(odd.replace("side:   PK", "side: PK"), encoding="utf-8")
    again = archive(run_kb, root)
    assert again.exit_code == 0 and f"source 1: archive: {key_of(ARTICLE)}" in again.output
    assert site.requests["/article"] == 1  # the copy written the first time is linked, not fetched again


def test_stored_copies_are_never_read_or_written_through_a_link(site, make_kb, run_kb, tmp_path):
    """A `sources` folder (or one copy) that is a link out of the knowledge base is refused: its
    copy never reaches a brief, and archiving writes nothing through it."""
    site.page("/article", ARTICLE)
    root = meeting_kb(make_kb, f"{site.base}/article")
    assert archive(run_kb, root).exit_code == 0
    key = key_of(ARTICLE)
    shown = run_kb("brief", "donald-blome", "--format", "json", kb=root)
    assert shown.exit_code == 0 and f"sources/{key}.md" in shown.output  # the copy, when it is the knowledge base's
    outside = tmp_path / "outside"
    (root / "sources").rename(outside)
    (root / "sources").symlink_to(outside)
    brief = run_kb("brief", "donald-blome", "--format", "json", kb=root)
    assert brief.exit_code == 0 and f"sources/{key}.md" not in brief.output
    again = run_kb("sources", "archive", "--refresh", kb=root)
    assert again.exit_code == 2 and "sources: is a link or not a folder" in again.output
    assert sorted(p.name for p in outside.iterdir()) == [f"{key}.md"]
    (root / "sources").unlink()
    (root / "sources").mkdir()
    (root / "sources" / f"{key}.md").symlink_to(outside / f"{key}.md")
    brief = run_kb("brief", "donald-blome", "--format", "json", kb=root)
    assert brief.exit_code == 0 and f"sources/{key}.md" not in brief.output


def test_a_refreshed_copy_is_rebuilt_on_the_site_though_no_record_changed(site, make_kb, run_kb, tmp_path):
    site.page("/article", ARTICLE)
    root = meeting_kb(make_kb, f"{site.base}/article")
    assert archive(run_kb, root).exit_code == 0
    key = key_of(ARTICLE)
    out = tmp_path / "site"
    assert run_kb("site", "build", "-o", out, kb=root).exit_code == 0
    again = run_kb("site", "build", "-o", out, kb=root)
    assert again.exit_code == 0 and " 0 written" in again.output
    copy = root / "sources" / f"{key}.md"  # as a refresh that reads the text anew would leave it
    text = copy.read_text(encoding="utf-8")
    assert "agreed to a dialogue" in text
    copy.write_text(text.replace("agreed to a dialogue", "agreed at last to a dialogue"), encoding="utf-8")
    rebuilt = run_kb("site", "build", "-o", out, kb=root)
    assert rebuilt.exit_code == 0 and " 0 written" not in rebuilt.output
    assert "agreed at last to a dialogue" in (out / "sources" / f"{key}.html").read_text(encoding="utf-8")
