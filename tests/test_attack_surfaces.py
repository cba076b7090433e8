"""Trust under attack for the newest surfaces: the site's later pages, the search shards file, the
cold check's spill files, KB_TODAY and the cache warnings. A hostile value or planted file is
refused or ignored with a clear sentence: never followed, never a traceback, nothing written
through it."""

import os
import re
import shutil

import pytest
from test_site_edits import DAY, EDITS, build, tokenised, tree
from test_trust import own_key  # noqa: F401  (a fixture)

# -- KB_TODAY: refused by name, shown escaped, at the calendar's ends no crash -----------------------


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (
            "\x1b[2J2025-01-01",
            "'\\x1b[2J2025-01-01' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD, "
            "adding ~ when approximate or ? when uncertain",
        ),
        (
            "99999-01-01",
            "'99999-01-01' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD, "
            "adding ~ when approximate or ? when uncertain",
        ),
        ("0000-01-01", "'0000-01-01' has year 0000; years run from 0001 to 9999"),
        ("0000", "'0000' has year 0000; years run from 0001 to 9999"),
    ],
)
def test_a_hostile_kb_today_is_refused_escaped(run_kb, repo, value, said):
    result = run_kb("due", kb=repo, env={"KB_TODAY": value})
    assert (result.exit_code, result.stderr, result.stdout) == (2, f"kb: error: KB_TODAY: {said}\n", "")
    assert "\x1b" not in result.output


def test_an_empty_kb_today_is_the_clock(run_kb, repo):
    assert run_kb("due", kb=repo, env={"KB_TODAY": ""}).output == run_kb("due", kb=repo).output


@pytest.mark.parametrize("command", [("due",), ("due", "--within", "1y"), ("brief", "PK"), ("check",)])
def test_the_last_day_of_the_calendar_is_a_day_like_another(run_kb, repo, command):
    result = run_kb(*command, kb=repo, env={"KB_TODAY": "9999-12-31"})
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output


def test_a_record_dated_year_0000_is_a_finding_not_a_crash(repo, check_json):
    meeting = repo / "meetings/2024-07-13-naqvi-blome.yaml"
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(text.replace("date: 2024-07-13", "date: 0000-01-01", 1), encoding="utf-8")
    findings, code = check_json(repo)
    assert code == 1
    assert [(f["path"], f["line"], f["code"], f["message"]) for f in findings] == [
        ("meetings/2024-07-13-naqvi-blome.yaml", 4, "KB500", "'0000-01-01' has year 0000; years run from 0001 to 9999")
    ]


# -- the site's kept search shards and state: a link, another user's file, a truncated file -------


def _sealed_by_another_user(run_kb, repo, out, as_user, pattern):
    """(the file of the site's cache matching ``pattern``, its bytes) as a build by user-b left
    it (``as_user``: the own_key fixture); user-a is the user from then on."""
    as_user("user-b")
    build(run_kb, repo, out)
    (kept,) = (repo / ".kb-cache").glob(pattern)
    theirs = kept.read_bytes()
    as_user("user-a")
    return kept, theirs


@pytest.mark.parametrize("damage", ["a link", "another user's", "truncated"])
def test_kept_search_shards_are_neither_followed_nor_trusted(run_kb, repo, tmp_path, monkeypatch, own_key, damage):  # noqa: F811
    """`.kb-cache/site-*.search.bin` planted as a link to a sealed file, sealed with another user's
    key, or cut short: not read (every meeting is tokenised again), not written through (the link
    is replaced, its target left as it was), and the site is the cold build's."""
    out, cold = tmp_path / "site", tmp_path / "cold"
    kept, theirs = _sealed_by_another_user(run_kb, repo, out, own_key, "site-*.search.bin")
    build(run_kb, repo, out)
    ours = kept.read_bytes()
    target = tmp_path / "elsewhere.bin"
    target.write_bytes(ours)
    kept.unlink()
    if damage == "a link":
        kept.symlink_to(target)
    else:
        kept.write_bytes(theirs if damage == "another user's" else ours[: len(ours) // 2])
    calls = tokenised(monkeypatch)
    EDITS["a summary"](repo)
    problem = "is not a plain file" if damage == "a link" else "is damaged or was not written by you"
    said = f"kb: warning: .kb-cache/{kept.name} {problem}; it was ignored and the search index made afresh\n"
    assert build(run_kb, repo, out).stderr.startswith(said)
    assert calls == [{f"meetings/{p.name}" for p in (repo / "meetings").glob("*.yaml")}]
    assert not kept.is_symlink() and target.read_bytes() == ours
    result = run_kb("--no-cache", "site", "build", "-o", cold, "--today", DAY, kb=repo)
    assert result.exit_code == 0, result.output
    assert tree(out) == tree(cold)


def test_a_site_state_linked_elsewhere_is_not_followed(run_kb, repo, tmp_path, own_key):  # noqa: F811
    """Not read (the build looks at every page, as the first did), and replaced, not written through."""
    out = tmp_path / "site"
    first = re.search(r"\(\d+ looked at\)", build(run_kb, repo, out).output)
    (state,) = (repo / ".kb-cache").glob("site-*.state.bin")
    target = tmp_path / "state.bin"
    target.write_bytes(state.read_bytes())
    state.unlink()
    state.symlink_to(target)
    EDITS["a summary"](repo)
    before = target.read_bytes()
    result = build(run_kb, repo, out)
    said = f"kb: warning: .kb-cache/{state.name} is not a plain file; it was ignored and every page looked at\n"
    assert first is not None and result.stderr.startswith(said) and first.group() in result.stderr
    assert not state.is_symlink() and target.read_bytes() == before


# -- the site's later pages: ids cannot reach them, planted links and folders are refused ----------


@pytest.fixture
def small_pages(monkeypatch):
    from kb.site import paging

    monkeypatch.setattr(paging, "ROWS", 3)


@pytest.mark.parametrize("ident", ["2", "../../evil", "pk-nacta/2", "pk-nacta%2F2", "commitments-2"])
def test_no_record_id_reaches_a_later_page(run_kb, repo, tmp_path, small_pages, ident):
    """An id that names a later page's file, or tries to leave the folder, gives a page of its own
    (an id of the schema) or no page at all (any other: the file is left out and said)."""
    out = tmp_path / "out" / "site"
    (repo / "orgs/zz-planted.yaml").write_text(f'id: "{ident}"\nname: Planted Organisation\n', encoding="utf-8")
    result = run_kb("site", "build", "-o", out, "--today", DAY, kb=repo)
    assert result.exit_code == 0, result.output
    later = (out / "orgs/pk-nacta/2.html").read_text(encoding="utf-8")
    assert "Planted Organisation" not in later and "Page 2 of 2" in later
    assert "Planted Organisation" not in (out / "commitments.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["site"]
    planted = [str(p.relative_to(out)) for p in out.rglob("*") if "Planted Organisation" in _text(p)]
    if ident in ("2", "commitments-2"):
        assert "kb: warning" not in result.stderr and f"orgs/{ident}.html" in planted
        assert not (out / f"orgs/{ident}").exists()
    else:
        said = "kb: warning: 1 file could not be read and is left out (first: orgs/zz-planted.yaml); run `kb check` for details\n"
        assert said in result.stderr and planted == []


def _text(path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""


@pytest.mark.parametrize(
    ("planted", "what"),
    [
        ("orgs/pk-nacta/2.html", "a link to a file"),
        ("orgs/pk-nacta", "a link to a folder"),
        ("commitments-2.html", "a link to a file"),
        ("orgs/pk-nacta/2.html", "a folder"),
        ("commitments-2.html", "a folder"),
        ("orgs/pk-nacta", "a file"),
    ],
)
def test_a_link_or_folder_planted_where_a_later_page_goes_is_refused(
    run_kb, repo, tmp_path, small_pages, planted, what
):
    out, victim = tmp_path / "site", tmp_path / "victim"
    build(run_kb, repo, out)
    victim.mkdir()
    (victim / "2.html").write_text("theirs", encoding="utf-8")
    place = out / planted
    shutil.rmtree(place) if place.is_dir() else place.unlink()
    if what == "a link to a file":
        place.symlink_to(victim / "2.html")
    elif what == "a link to a folder":
        place.symlink_to(victim)
    elif what == "a folder":
        place.mkdir()
    else:
        place.write_text("planted", encoding="utf-8")
    result = run_kb("site", "build", "-o", out, "--today", DAY, kb=repo)
    problem = "is a folder where a file goes" if what == "a folder" else "is a symbolic link or not a folder"
    said = (
        f"kb: error: {place}: {problem}; kb writes its site only into real folders and files it made: "
        "remove it and build again\n"
    )
    assert (result.exit_code, result.stderr) == (2, said)
    assert sorted(p.name for p in victim.iterdir()) == ["2.html"] and (victim / "2.html").read_text() == "theirs"


# -- the cold check's spill: links planted at its file names are neither followed nor written ------


def test_links_planted_where_a_spill_goes_are_not_written_through(run_kb, repo, tmp_path, monkeypatch, own_key):  # noqa: F811
    """A cold read of a large knowledge base spills to `.kb-cache/blobs-<random>.bin` (made under
    a temporary name) and a scratch file: links planted at each name it will choose (the random
    parts made known here) are replaced or passed over, their targets never made nor written."""
    import tempfile

    from kb.store import reading

    monkeypatch.setattr(reading, "LARGE", 0)
    uncached = run_kb("--no-cache", "check", "--format", "json", kb=repo).output
    folder = repo / ".kb-cache"
    folder.mkdir()
    victim = tmp_path / "victim"
    victim.write_text("theirs", encoding="utf-8")
    fixed = b"\x5a" * 8
    planted = {
        f"blobs-{fixed.hex()}.bin": victim,
        f".blobs-{fixed.hex()}.bin.planted.tmp": tmp_path / "made-blobs",
        ".positions.planted.tmp": tmp_path / "made-positions",
    }
    for name, target in planted.items():
        (folder / name).symlink_to(target)
    urandom, names = os.urandom, tempfile._get_candidate_names
    chosen = []
    monkeypatch.setattr(
        os, "urandom", lambda n: fixed if n == 8 and not chosen and not chosen.append(n) else urandom(n)
    )
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: iter(["planted", *(next(names()) for _ in range(9))]))
    assert run_kb("check", "--format", "json", kb=repo).output == uncached
    assert chosen == [8]  # the spill chose its name
    assert victim.read_text(encoding="utf-8") == "theirs"
    assert not (tmp_path / "made-blobs").exists() and not (tmp_path / "made-positions").exists()
    spilled = folder / f"blobs-{fixed.hex()}.bin"
    assert spilled.is_file() and not spilled.is_symlink()


# -- warnings on standard error: what they quote is shown escaped, on one line ----------------------


def test_a_cache_warning_quoting_escapes_and_newlines_is_one_escaped_line(run_kb, repo, monkeypatch):
    """Whatever a cache note quotes (a folder's trouble, a file's name) cannot clear the screen nor
    forge a line of its own."""
    from kb.store import cache

    monkeypatch.setattr(cache, "folder_problem", lambda root: "cannot be examined (\x1b[2J\nkb: error: forged)")
    result = run_kb("search", "ambassador", kb=repo)
    said = (
        "kb: warning: .kb-cache cannot be examined (\\x1b[2J\\nkb: error: forged); delete it (`rm .kb-cache`); "
        "kb makes its own cache folder, which git ignores\n"
    )
    assert result.exit_code == 0 and result.stderr == said


def test_the_name_of_a_file_left_out_is_shown_escaped(run_kb, repo):
    (repo / "orgs/a\x1b[2J\nkb: error: forged.yaml").write_text("id: x\n: : bad\n", encoding="utf-8")
    result = run_kb("list", "orgs", kb=repo)
    said = (
        "kb: warning: 1 file could not be read and is left out (first: orgs/a\\x1b[2J\\nkb: error: forged.yaml); "
        "run `kb check` for details\n"
    )
    assert result.exit_code == 0 and result.stderr == said


def test_an_error_quoting_an_escape_sequence_shows_it_escaped(run_kb, tmp_path):
    folder = tmp_path / "no\x1b]52;c;eA==\x07kb"
    result = run_kb("list", "meetings", kb=folder)
    shown = str(folder).replace("\x1b", "\\x1b").replace("\x07", "\\x07")
    said = f"kb: error: {shown} has no kb.yaml; run `kb init {shown}` to make one\n"
    assert (result.exit_code, result.stderr) == (2, said)


def test_the_day_s_part_of_a_site_state_sealed_by_another_user_is_not_trusted(run_kb, repo, tmp_path, own_key):  # noqa: F811
    """`.kb-cache/site-*.day.bin` sealed with another user's key: said, not read (the build looks
    at every page, as the first did), and the site is the one a build with no cache makes."""
    out, cold = tmp_path / "site", tmp_path / "cold"
    day, theirs = _sealed_by_another_user(run_kb, repo, out, own_key, "site-*.day.bin")
    first = re.search(r"\(\d+ looked at\)", build(run_kb, repo, out).output)
    day.write_bytes(theirs)
    EDITS["a summary"](repo)
    result = build(run_kb, repo, out)
    said = f"kb: warning: .kb-cache/{day.name} is damaged or was not written by you; it was ignored and every page looked at\n"
    assert first is not None and result.stderr.startswith(said) and first.group() in result.stderr
    run_kb("--no-cache", "site", "build", "-o", cold, "--today", DAY, kb=repo)
    assert tree(out) == tree(cold)
