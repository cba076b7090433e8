"""What is open with a counterpart: one list for brief, site, `kb due` and its calendar; how old
each item is, which have gone stale, and whose move it is (a request is the side asked's)."""

import json
import re

import pytest
from icalendar import Calendar

BIGGAR = "2025-11-13-naqvi-biggar"
REQUEST = """\
  - id: extradition-request
    kind: request
    text: Pakistan asked the UK to extradite two suspects wanted in Pakistan.
    by:
      - PK
    to:
      - GB
    owner: pk-ministry-of-interior
    status: open
"""


def brief(run_kb, repo, who, *args):
    result = run_kb("brief", who, "--format", "json", *args, kb=repo)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def due(run_kb, repo, *args):
    result = run_kb("due", *args, kb=repo)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def asked(repo):
    """The repository's records with a request of ours to the UK at the Biggar meeting."""
    path = repo / "meetings" / f"{BIGGAR}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("outcomes:\n", "outcomes:\n" + REQUEST, 1), encoding="utf-8")
    return repo


def test_the_site_page_lists_what_the_brief_lists(run_kb, repo, tmp_path):
    site = tmp_path / "site"
    result = run_kb("site", "build", "-o", site, "--today", "2026-06-30", kb=repo)
    assert result.exit_code == 0, result.output
    page = (site / "people" / "jane-marriott.html").read_text(encoding="utf-8")
    on_site = re.findall(r'<tr id="open-([^"]+)"', page)
    in_brief = [
        f"{c['meeting']['id']}-{c['id']}"
        for c in brief(run_kb, repo, "jane-marriott", "--as-of", "2026-06-30")["commitments"]
    ]
    assert (
        on_site
        == in_brief
        == [
            f"{BIGGAR}-five-mous",
            f"{BIGGAR}-training-cooperation",
            f"{BIGGAR}-online-child-exploitation",
            f"{BIGGAR}-extradition-support",
        ]
    )
    assert "Open with Jane Marriott" in page
    assert "stale: no due date, unchanged since 2025-11-13" in page


def test_a_request_is_the_next_move_of_the_side_asked(run_kb, asked):
    context = brief(run_kb, asked, "jane-marriott", "--as-of", "2026-01-01")
    request = next(c for c in context["commitments"] if c["id"] == "extradition-request")
    assert (request["sides"], request["movers"], request["next_move"]) == (["PK"], ["GB"], "theirs")
    assert (request["ours"], request["theirs"]) == (False, True)
    md = run_kb("brief", "jane-marriott", "--as-of", "2026-01-01", kb=asked).output
    assert "5 open: the next move is ours on 4, theirs on 5 (joint ones count for both;" in md
    assert (
        "| no date | Pakistan asked the UK to extradite two suspects wanted in Pakistan. "
        "(request by Pakistan to United Kingdom) | Theirs | open |" in md
    )
    text = due(run_kb, asked, "--on", "2026-01-01")
    assert "      Theirs: Pakistan asked the UK to extradite two suspects wanted in Pakistan.\n" in text
    theirs = json.loads(due(run_kb, asked, "--on", "2026-01-01", "--side", "theirs", "--format", "json"))
    assert f"{BIGGAR}#extradition-request" in [c["ref"] for c in theirs["commitments"]]
    ours = json.loads(due(run_kb, asked, "--on", "2026-01-01", "--side", "ours", "--format", "json"))
    assert f"{BIGGAR}#extradition-request" not in [c["ref"] for c in ours["commitments"]]
    calendar = Calendar.from_ical(due(run_kb, asked, "--on", "2026-01-01", "--format", "ics"))
    todos = {str(t["UID"]): t for t in calendar.walk("VTODO")}
    summary = str(todos[f"{BIGGAR}#extradition-request@kb"]["SUMMARY"])
    assert summary == "Theirs: Pakistan asked the UK to extradite two suspects wanted in Pakistan."


def test_an_undated_item_goes_stale_after_kb_yaml_stale_after(run_kb, repo):
    ref = f"{BIGGAR}#five-mous"

    def item(day):
        agenda = json.loads(due(run_kb, repo, "--on", day, "--format", "json"))
        return next(c for c in agenda["commitments"] if c["ref"] == ref)

    fresh = item("2026-05-13")
    assert (fresh["state"], fresh["stale"], fresh["days_open"], fresh["made"]["value"]) == (
        "undated",
        False,
        181,
        "2025-11-13",
    )
    stale = item("2026-05-14")
    assert (stale["state"], stale["stale"], stale["last_change"]["value"]) == ("stale", True, "2025-11-13")
    text = due(run_kb, repo, "--on", "2026-05-14")
    assert f"  -                STALE since 13 November 2025 {ref} — owner Ministry of Interior\n" in text
    calendar = Calendar.from_ical(due(run_kb, repo, "--on", "2026-05-14", "--format", "ics"))
    todo = next(t for t in calendar.walk("VTODO") if str(t["UID"]) == f"{ref}@kb")
    alarms = todo.walk("VALARM")
    assert [str(a["DESCRIPTION"]) for a in alarms] == [
        "Stale, unchanged since 13 November 2025 with no due date: Five memoranda of understanding on "
        "extradition and other areas of Pakistan–UK cooperation to be finalised shortly (no date given)."
    ]
    brief_text = run_kb("brief", "graeme-biggar", "--as-of", "2026-05-14", kb=repo).output
    assert "4 open, **4 stale**:" in brief_text
    # a longer stale_after in kb.yaml keeps it fresh
    config = repo / "kb.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "stale_after: 1y\n", encoding="utf-8")
    assert item("2026-05-14")["stale"] is False


def test_a_bad_stale_after_is_a_check_finding(run_kb, repo):
    config = repo / "kb.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "stale_after: soon\n", encoding="utf-8")
    result = run_kb("check", kb=repo)
    assert result.exit_code == 1
    assert "kb.yaml" in result.output and "stale_after" in result.output


def test_brief_due_and_the_export_give_one_answer(run_kb, repo, tmp_path):
    """What is open with a counterpart: the same items, ages, staleness and next moves in `kb
    brief`, `kb due --format json` and `kb export sqlite`'s open_items."""
    import sqlite3

    day = "2026-06-30"
    database = tmp_path / "kb.db"
    result = run_kb("export", "sqlite", str(database), "--on", day, kb=repo)
    assert result.exit_code == 0, result.output
    result = run_kb(
        "export", "sqlite", str(tmp_path / "green.db"), "--on", day, "--audience", "GREEN", kb=asked_amber(repo)
    )
    assert result.exit_code == 0, result.output

    def facts(c):
        made, last = c["made"]["value"], c["last_change"]["value"]
        return (c["ref"], made, c["days_open"], c["open_for"], last, c["stale"], c["status"], c["next_move"])

    agenda = {c["ref"]: facts(c) for c in json.loads(due(run_kb, repo, "--on", day, "--format", "json"))["commitments"]}
    query = (
        "SELECT outcome, made, days_open, open_for, last_change, stale = 1, status, next_move FROM open_items "
        "WHERE counterpart = ? ORDER BY rowid"
    )
    for who, expected in (
        ("jane-marriott", ["five-mous", "training-cooperation", "online-child-exploitation", "extradition-support"]),
        ("GB", ["five-mous", "training-cooperation", "online-child-exploitation", "extradition-support"]),
    ):
        briefed = [facts(c) for c in brief(run_kb, repo, who, "--as-of", day)["commitments"]]
        with sqlite3.connect(database) as connection:
            exported = [tuple(row) for row in connection.execute(query, (who,))]
        assert briefed == exported == [agenda[ref] for ref, *_ in briefed]
        assert briefed == [
            (f"{BIGGAR}#{ref}", "2025-11-13", 229, "7 months", "2025-11-13", True, "open", "both") for ref in expected
        ]
    with sqlite3.connect(tmp_path / "green.db") as connection:
        refs = [row[0] for row in connection.execute("SELECT outcome FROM open_items WHERE counterpart = 'GB'")]
    assert refs == [
        f"{BIGGAR}#{ref}" for ref in ("training-cooperation", "online-child-exploitation", "extradition-support")
    ]


def asked_amber(repo):
    """A copy of ``repo`` beside it with the five memoranda marked AMBER."""
    import shutil

    copy = repo.parent / "amber"
    shutil.copytree(repo, copy)
    path = copy / "meetings" / f"{BIGGAR}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  - id: five-mous\n", "  - id: five-mous\n    sensitivity: AMBER\n"), encoding="utf-8"
    )
    return copy
