"""What day it is has one answer, kb.model.dates.today: KB_TODAY when set, else the clock; an
option naming the day (`--on`, `--today`, `--as-of`) goes before it. `kb due` and `kb export` used
the clock while `kb site` honoured KB_TODAY."""

import json
import sqlite3

DAY = "2024-11-20"


def _json(run_kb, repo, *args, env=None):
    result = run_kb(*args, "--format", "json", kb=repo, env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_kb_due_is_for_kb_today_unless_on_names_the_day(run_kb, repo):
    on_the_day = _json(run_kb, repo, "due", "--on", DAY)
    assert on_the_day["commitments"], "the day has open commitments: the comparison says something"
    assert _json(run_kb, repo, "due", env={"KB_TODAY": DAY}) == on_the_day
    assert _json(run_kb, repo, "due", "--on", DAY, env={"KB_TODAY": "2030-01-01"}) == on_the_day


def _open_items(database):
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT * FROM open_items ORDER BY 1, 2, 3").fetchall()


def test_kb_export_counts_open_items_and_dates_its_metadata_by_kb_today(run_kb, repo, tmp_path):
    assert run_kb("export", "sqlite", tmp_path / "on.db", "--on", DAY, kb=repo).exit_code == 0
    today = run_kb("export", "sqlite", tmp_path / "today.db", kb=repo, env={"KB_TODAY": DAY})
    assert today.exit_code == 0, today.output
    assert _open_items(tmp_path / "today.db") == _open_items(tmp_path / "on.db") != []
    metadata = json.loads((tmp_path / "today.metadata.json").read_text(encoding="utf-8"))
    assert metadata["description"] == f"Exported by kb on {DAY}; no audience set: everything, at every marking."


def test_kb_brief_is_as_of_kb_today(run_kb, repo):
    brief = _json(run_kb, repo, "brief", "PK", env={"KB_TODAY": DAY})
    assert (brief["as_of"], brief["as_of_given"]) == (
        _json(run_kb, repo, "brief", "PK", "--as-of", DAY)["as_of"],
        False,
    )


def test_a_kb_today_that_is_no_date_is_refused_by_name(run_kb, repo, tmp_path):
    for command in (("due",), ("brief", "PK"), ("export", "sqlite", tmp_path / "x.db")):
        result = run_kb(*command, kb=repo, env={"KB_TODAY": "2024-13-01"})
        said = "kb: error: KB_TODAY: '2024-13-01' has month 13; months run from 01 to 12\n"
        assert (result.exit_code, result.stderr) == (2, said)
    assert not (tmp_path / "x.db").exists()
