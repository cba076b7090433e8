"""`kb export sqlite`: a database datasette opens, with keys, labels, search, facets and canned queries."""

import asyncio
import json
import sqlite3

NCA = "2025-11-13-naqvi-biggar"


def datasette_get(db, metadata, *paths):
    from datasette.app import Datasette

    async def fetch():
        ds = Datasette([str(db)], metadata=metadata)
        await ds.invoke_startup()
        answers = []
        for path in paths:
            response = await ds.client.get(path)
            assert response.status_code == 200, (path, response.text[:300])
            answers.append(response.json())
        return answers

    return asyncio.run(fetch())


def test_the_export_opens_in_datasette(run_kb, repo, tmp_path):
    db = tmp_path / "out" / "kb.db"
    result = run_kb("export", "sqlite", str(db), kb=repo)
    assert result.exit_code == 0, result.output
    metadata = json.loads((tmp_path / "out" / "kb.metadata.json").read_text(encoding="utf-8"))
    assert metadata["title"] == "Pakistan Ministry of Interior — foreign engagements"
    search, commitments, by_year, labelled, facets = datasette_get(
        db,
        metadata,
        "/kb/meetings.json?_search=extradite&_shape=array",
        "/kb/open_commitments.json?_shape=array",
        "/kb/meetings_by_year_and_country.json?_shape=array",
        f"/kb/participants.json?_labels=on&_shape=array&meeting={NCA}&role=lead",
        "/kb/meetings.json",
    )
    assert [m["id"] for m in search] == [NCA]  # stemmed full-text search
    assert len(commitments) == 12 and {c["status"] for c in commitments} == {"open"}
    assert commitments[0]["due"] is None or commitments[0]["due"] <= commitments[-1]["due"]
    assert {"year": 2025, "country": "GB", "meetings": 1} in by_year
    assert [(p["person"]["label"], p["org"]["label"]) for p in labelled] == [
        ("Mohsin Naqvi", "Ministry of Interior"),
        ("Graeme Biggar", "National Crime Agency"),
    ]
    assert {"year", "country", "status", "mode", "sensitivity"} <= set(facets["facet_results"])  # from the metadata

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {
        "meetings",
        "participants",
        "people",
        "roles",
        "posts",
        "organisations",
        "outcomes",
        "updates",
        "claims",
        "quotes",
        "sources",
        "topics",
        "meeting_topics",
        "meetings_fts",
    } <= tables
    assert conn.execute("SELECT date, date_start, date_end FROM meetings WHERE id = ?", (NCA,)).fetchone() == (
        "2025-11-13",
        "2025-11-13",
        "2025-11-13",
    )
    assert conn.execute(
        "SELECT due, due_end, status FROM outcomes WHERE id = ?", ("2024-07-13-naqvi-blome#law-enforcement-dialogue",)
    ).fetchone() == ("2024-10", "2024-10-31", "lapsed")
    assert conn.execute("SELECT count(*) FROM updates").fetchone()[0] >= 1
    assert conn.execute(
        "SELECT label FROM posts WHERE id IN (SELECT post FROM roles WHERE person = 'donald-blome')"
    ).fetchall()


def test_the_audience_leaves_out_what_it_may_not_read(run_kb, repo, tmp_path):
    path = repo / "meetings" / f"{NCA}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("sensitivity: CLEAR", "sensitivity: RED"), encoding="utf-8"
    )
    db = tmp_path / "green.db"
    result = run_kb("export", "sqlite", str(db), "--audience", "GREEN", kb=repo)
    assert result.exit_code == 0
    assert "items withheld" in result.output
    conn = sqlite3.connect(db)
    for table in ("meetings", "participants", "outcomes", "claims", "quotes", "sources", "meeting_topics"):
        column = "id" if table == "meetings" else "meeting"
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", (NCA,)).fetchone()[0] == 0, table
    assert conn.execute("SELECT rowid FROM meetings_fts WHERE meetings_fts MATCH 'extradition'").fetchall() == []
    metadata = json.loads((tmp_path / "green.metadata.json").read_text(encoding="utf-8"))
    assert "only what TLP:GREEN may read" in metadata["description"]


def test_an_unwritable_target_is_a_clear_error(run_kb, repo, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_kb("export", "sqlite", str(blocker / "kb.db"), kb=repo)
    assert result.exit_code == 2
    assert result.output.startswith("kb: error: cannot write")


def test_a_file_argument_naming_no_file_is_a_clear_error(run_kb, repo):
    result = run_kb("export", "sqlite", "", kb=repo)
    assert result.exit_code == 2
    assert result.output == (
        "kb: error: FILE '' names no file: give the database's file name, e.g. kb export sqlite kb.db\n"
    )


ADVISER_MEETING = """\
    id: 2024-08-01-naqvi-blome
    title: Interior Minister meets the US Ambassador again
    date: 2024-08-01
    status: held
    participants:
      - {person: mohsin-naqvi, side: PK, role: lead}
      - {person: jane-adviser, side: PK, role: delegation}
      - {person: donald-blome, side: US, role: lead}
    outcomes:
      - id: draft-the-plan
        kind: commitment
        text: Draft the training plan.
        by: [jane-adviser]
        status: open
      - id: named-by-a-stranger
        kind: commitment
        text: Send the figures.
        by: [someone-unrecorded]
        status: open
    sources:
      - url: https://example.org/again
    """


def test_the_side_an_outcome_is_by_is_the_seat_its_party_took_as_in_briefs(make_kb, run_kb, tmp_path):
    """One answer to which side an outcome's party stands for (views.describe.party_side): a British
    adviser in our delegation commits for our side, in `kb due` as in the export's outcomes table
    (the export took her nationality: theirs); a party kb does not know is no side at all (the
    export counted its id as theirs)."""
    adviser = "id: jane-adviser\nname: Jane Adviser\ncountry: GB\n"
    root = make_kb({"people/jane-adviser.yaml": adviser, "meetings/2024-08-01-naqvi-blome.yaml": ADVISER_MEETING})
    due = json.loads(run_kb("due", "--on", "2024-08-02", "--format", "json", kb=root).stdout)
    assert [(c["ref"], c["sides"], c["ours"], c["theirs"]) for c in due["commitments"]] == [
        ("2024-08-01-naqvi-blome#draft-the-plan", ["PK"], True, False),
        ("2024-08-01-naqvi-blome#named-by-a-stranger", [], False, False),
    ]
    assert run_kb("export", "sqlite", tmp_path / "kb.db", kb=root).exit_code == 0
    with sqlite3.connect(tmp_path / "kb.db") as conn:
        rows = conn.execute(
            "SELECT outcome, ours, theirs FROM outcomes WHERE meeting = '2024-08-01-naqvi-blome' ORDER BY outcome"
        ).fetchall()
    assert rows == [("draft-the-plan", 1, 0), ("named-by-a-stranger", 0, 0)]
