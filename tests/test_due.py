"""`kb due` on a copy of the repository's records: commitments, planned meetings, cadence, ics."""

import datetime as dt
import json

import pytest
from icalendar import Calendar

BLOME = "2024-07-13-naqvi-blome"
DIALOGUE = f"{BLOME}#law-enforcement-dialogue"


@pytest.fixture
def due(run_kb, repo):
    def run(*args):
        result = run_kb("due", *args, "--format", "json", kb=repo)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    return run


def test_overdue_first_then_undated_and_only_what_was_made_by_then(due):
    agenda = due("--on", "2024-11-20")
    assert [c["ref"] for c in agenda["commitments"]] == [
        DIALOGUE,
        f"{BLOME}#islamabad-police-nypd-visit",
        f"{BLOME}#security-cooperation",
    ]
    first = agenda["commitments"][0]
    assert (first["state"], first["days_overdue"], first["owner"]["ref"]) == ("overdue", 20, "pk-ministry-of-interior")
    assert first["ours"] and first["theirs"]
    assert first["brief"].startswith(
        "Commitment made at “Interior Minister Naqvi meets US Ambassador Blome” "
        f"(13 July 2024, {BLOME}); open 4 months. By Pakistan, United States; owner Ministry of "
        "Interior. Next move: both sides'. Due October 2024: 20 days overdue; status open. Last met"
    )
    assert "Last met Donald Blome on 13 July 2024" in first["brief"]
    assert [c["state"] for c in agenda["commitments"][1:]] == ["undated", "undated"]
    assert [c["days_open"] for c in agenda["commitments"]] == [130, 130, 130]
    # the status the dated updates gave it: lapsed since 2026-11-24
    assert DIALOGUE not in [c["ref"] for c in due("--on", "2026-11-25")["commitments"]]


def test_within_side_and_owner_narrow(due):
    assert [c["ref"] for c in due("--on", "2024-09-01", "--within", "10d")["commitments"]] == [
        f"{BLOME}#islamabad-police-nypd-visit",
        f"{BLOME}#security-cooperation",
    ]
    assert DIALOGUE in [c["ref"] for c in due("--on", "2024-09-01", "--within", "1m")["commitments"]]
    theirs = due("--on", "2026-11-20", "--side", "theirs")["commitments"]
    assert theirs and all(c["theirs"] for c in theirs)
    assert "2025-12-06-naqvi-baker#us-technical-assistance" in [c["ref"] for c in theirs]
    assert "2025-12-06-naqvi-baker#national-narcotics-coordination-centre" not in [c["ref"] for c in theirs]
    police = due("--on", "2026-11-20", "--owner", "pk-islamabad-police")["commitments"]
    assert [c["ref"] for c in police] == [f"{BLOME}#islamabad-police-nypd-visit"]


def test_an_update_shows_at_once(run_kb, repo, due):
    assert (
        run_kb(
            "update", DIALOGUE, "in-progress", "--note", "Dates being fixed", "--date", "2024-11-10", kb=repo
        ).exit_code
        == 2
    )  # before the recorded update of 2026-11-24: refused
    assert (
        run_kb("update", f"{BLOME}#security-cooperation", "fulfilled", "--date", "2026-11-25", kb=repo).exit_code == 0
    )
    refs = [c["ref"] for c in due("--on", "2026-11-26")["commitments"]]
    assert f"{BLOME}#security-cooperation" not in refs
    assert f"{BLOME}#security-cooperation" in [c["ref"] for c in due("--on", "2026-11-24")["commitments"]]


def test_cadence_and_planned_meetings(run_kb, due, repo):
    config = repo / "kb.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "cadence: 6m\n", encoding="utf-8")
    baker = repo / "people" / "natalie-baker.yaml"
    baker.write_text(baker.read_text(encoding="utf-8") + "cadence: 1y\n", encoding="utf-8")
    (repo / "meetings" / "2026-12-10-naqvi-baker.yaml").write_text(
        "id: 2026-12-10-naqvi-baker\ntitle: Interior Minister Naqvi to meet US Chargé d'Affaires Baker\n"
        "date: 2026-12-10\nstatus: planned\nparticipants:\n  - person: mohsin-naqvi\n    side: PK\n"
        "  - person: natalie-baker\n    side: US\nsources:\n  - url: https://example.org/announcement\n",
        encoding="utf-8",
    )
    assert run_kb("check", kb=repo).exit_code == 0
    agenda = due("--on", "2026-11-26")
    people = {c["id"]: c for c in agenda["cadence"] if c["kind"] == "person"}
    assert "mohsin-naqvi" not in people  # our own side: kb.yaml's cadence is for counterparts
    assert "natalie-baker" not in people  # met 24 January 2026, every year: not yet due
    biggar = people["graeme-biggar"]
    assert (biggar["cadence"], biggar["last_met"]["value"], biggar["due"]["value"], biggar["overdue"]) == (
        "6m",
        "2025-11-13",
        "2026-05-13",
        True,
    )
    assert people["donald-blome"]["days_overdue"] == (dt.date(2026, 11, 26) - dt.date(2025, 1, 13)).days
    assert [m["id"] for m in agenda["planned"]] == ["2026-12-10-naqvi-baker"]
    assert agenda["planned"][0]["with"] == ["Natalie Baker"]
    assert due("--on", "2026-11-26", "--within", "7d")["planned"] == []


def test_ics_has_a_vtodo_with_an_alarm_per_commitment_and_stable_uids(run_kb, repo):
    def calendar(on):
        result = run_kb("due", "--on", on, "--format", "ics", kb=repo, env={"SOURCE_DATE_EPOCH": "1700000000"})
        assert result.exit_code == 0, result.output
        return Calendar.from_ical(result.output)

    todos = {str(t["UID"]): t for t in calendar("2024-11-20").walk("VTODO")}
    assert set(todos) == {
        f"{DIALOGUE}@kb",
        f"{BLOME}#islamabad-police-nypd-visit@kb",
        f"{BLOME}#security-cooperation@kb",
    }
    dialogue = todos[f"{DIALOGUE}@kb"]
    assert dialogue.decoded("DUE") == dt.date(2024, 10, 31)
    assert str(dialogue["SUMMARY"]) == "Both: Hold a joint Pakistan–US Law Enforcement Dialogue in October 2024."
    assert str(dialogue["DESCRIPTION"]).startswith("Commitment made at “Interior Minister Naqvi meets US Ambassador")
    assert int(dialogue["SEQUENCE"]) == 1  # open -> lapsed, recorded in an update
    [alarm] = dialogue.walk("VALARM")
    assert alarm.decoded("TRIGGER") == dt.timedelta(days=-1)
    assert alarm["TRIGGER"].params["RELATED"] == "END"
    assert int(todos[f"{BLOME}#security-cooperation@kb"]["SEQUENCE"]) == 0
    assert not todos[f"{BLOME}#security-cooperation@kb"].walk("VALARM")  # no due date, no alarm
    # the same UIDs next time; SEQUENCE raised by a status change
    assert (
        run_kb("update", f"{BLOME}#security-cooperation", "in-progress", "--date", "2024-11-01", kb=repo).exit_code == 0
    )
    again = {str(t["UID"]): t for t in calendar("2024-11-20").walk("VTODO")}
    assert set(again) == set(todos)
    assert int(again[f"{BLOME}#security-cooperation@kb"]["SEQUENCE"]) == 1
    assert str(again[f"{BLOME}#security-cooperation@kb"]["STATUS"]) == "IN-PROCESS"


def test_markdown_and_text(run_kb, repo):
    md = run_kb("due", "--on", "2024-11-20", "--format", "md", kb=repo).output
    assert "## Commitments (3)" in md
    assert (
        "- **October 2024** — **overdue 20 days** · Both: Hold a joint Pakistan–US Law Enforcement Dialogue in "
        "October 2024. (owner Ministry of Interior)  \n  Commitment made at" in md
    )
    # the last-met summary that JSON and the calendar carry is in Markdown and text too
    last_met = "Last met Donald Blome on 13 July 2024 (“Interior Minister Naqvi meets US Ambassador Blome”)."
    assert last_met in md
    text = run_kb("due", "--on", "2024-11-20", kb=repo).output
    assert "Commitments: 3 (next move ours on 3, theirs on 2)\n" in text
    assert f"  October 2024     OVERDUE 20 days              {DIALOGUE} — owner Ministry of Interior\n" in text
    assert "      Both: Hold a joint Pakistan–US Law Enforcement Dialogue in October 2024.\n" in text
    assert "Last met\n      Donald Blome on 13 July 2024" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--within", "30x"], "--within: '30x' is not a span"),
        (["--owner", "nobody-at-all"], "--owner: no person or organisation matches 'nobody-at-all'"),
        (["--on", "2024-02-30"], "--on:"),
        (["--audience", "PURPLE"], "--audience:"),
    ],
)
def test_bad_input_is_a_clear_error(run_kb, repo, args, message):
    result = run_kb("due", *args, kb=repo)
    assert result.exit_code == 2
    assert result.output.startswith(f"kb: error: {message}"), result.output


def test_a_bad_cadence_is_reported_by_check(run_kb, repo):
    baker = repo / "people" / "natalie-baker.yaml"
    baker.write_text(baker.read_text(encoding="utf-8") + "cadence: often\n", encoding="utf-8")
    findings = json.loads(run_kb("check", "--format", "json", kb=repo).output)
    assert [(f["code"], f["path"]) for f in findings] == [("KB203", "people/natalie-baker.yaml")]
