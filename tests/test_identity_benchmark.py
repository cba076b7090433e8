"""The identity benchmark's yardstick, tested on a tiny knowledge base built here."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).parent.parent / "benchmarks" / "identity" / "run.py"
SPEC = importlib.util.spec_from_file_location("identity_benchmark_run", RUN)
assert SPEC and SPEC.loader
grader = importlib.util.module_from_spec(SPEC)
sys.modules[SPEC.name] = grader
SPEC.loader.exec_module(grader)

GRADED = """class,file,trip,date,mention,name,person,side,place
same-surname,a.xml,1,1975-01-01,President Assad,Assad,Hafez al-Assad (1930),SY,
same-surname,a.xml,2,2002-01-01,President Assad,Assad,Bashar al-Assad (1965),SY,
many-hosts,a.xml,3,1997-01-01,PLO Chairman Arafat,Arafat,Yasser Arafat (1929),PLO,
many-hosts,a.xml,4,1998-01-01,PLO Chairman Arafat,Arafat,Yasser Arafat (1929),PLO,
international,a.xml,4,1998-01-01,NATO Secretary General Solana,Solana,Javier Solana (1942),NATO,
ordinary,a.xml,5,1990-01-01,Foreign Minister Kim,Kim,Someone Kim (1950),KR,
place,a.xml,1,1975-01-01,,,,,SU
place,a.xml,3,1997-01-01,,,,,CH
"""


def meeting(trip: int, country: str, *others: dict[str, str]) -> str:
    lines = [f"id: m{trip}", "location:", f"  country: {country}", "participants:"]
    lines += ["  - person: our-secretary", "    side: US"]
    for part in others:
        fields = [f"{key}: {value}" for key, value in part.items()]
        lines += ["  - " + fields[0]] + ["    " + item for item in fields[1:]]
    lines += ["sources:", f"  - document: a.xml trip {trip}"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """Hafez and Bashar merged into `assad`; Arafat split over two ids; Kim dropped; NATO on its org."""
    for folder in ("meetings", "people", "orgs"):
        (tmp_path / folder).mkdir()
    people = {"our-secretary": "Our Secretary", "assad": "Assad", "arafat": "Arafat", "arafat-2": "Arafat"}
    people["javier-solana"] = "Javier Solana"
    for pid, name in people.items():
        (tmp_path / "people" / f"{pid}.yaml").write_text(f"id: {pid}\nname: {name}\n", encoding="utf-8")
    (tmp_path / "orgs" / "nato.yaml").write_text("id: nato\nname: NATO\n", encoding="utf-8")
    meetings = [
        meeting(1, "RU", {"person": "assad", "side": "SY", "title": "President"}),
        meeting(2, "SY", {"person": "assad", "side": "SY", "title": "President"}),
        meeting(3, "CH", {"person": "arafat", "side": "CH", "title": "PLO Chairman"}),
        meeting(
            4,
            "NO",
            {"person": "arafat-2", "side": "PLO", "title": "PLO Chairman"},
            {"person": "javier-solana", "side": "BE", "org": "nato", "title": "NATO Secretary General"},
        ),
        meeting(5, "KR"),
    ]
    for number, text in enumerate(meetings, 1):
        (tmp_path / "meetings" / f"m{number}.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "graded.csv").write_text(GRADED, encoding="utf-8")
    return tmp_path


def test_scores_merges_splits_drops_sides_and_places(tiny: Path) -> None:
    figures = grader.score(grader.load_graded(tiny / "graded.csv"), grader.load_kb(tiny))
    assert figures["false_merges"] == {"assad": ["Bashar al-Assad (1965)", "Hafez al-Assad (1930)"]}
    assert figures["false_splits"] == {"Yasser Arafat (1929)": ["arafat", "arafat-2"]}
    assert figures["split_base"] == 4
    assert figures["dropped"] == ["a.xml trip 5 (1990-01-01): 'Foreign Minister Kim' -> Someone Kim (1950)"]
    assert (figures["side_graded"], figures["side_correct"]) == (5, 4)
    assert figures["side_wrong"] == [
        "a.xml trip 3 (1997-01-01): 'PLO Chairman Arafat' -> Yasser Arafat (1929): expected PLO, kb wrote CH"
    ]
    assert (figures["intl_graded"], figures["intl_correct"]) == (3, 2)
    assert (figures["place_graded"], figures["place_correct"]) == (2, 1)
    assert figures["place_wrong"] == ["a.xml trip 1 (1975-01-01): 'SU': expected SU, kb wrote RU"]


def test_dedupe_figures_count_split_people_paired_and_pairs_of_two_people(tiny: Path, monkeypatch) -> None:
    figures = grader.score(grader.load_graded(tiny / "graded.csv"), grader.load_kb(tiny))
    said = {"pairs": [{"ids": ["arafat-2", "arafat"]}, {"ids": ["assad", "javier-solana"]}]}
    done = subprocess.CompletedProcess(["kb"], 0, stdout=json.dumps(said), stderr="")
    monkeypatch.setattr(grader, "kb_run", lambda args, cwd: (done, 0.0, 0.0))
    assert grader.dedupe_figures(tiny, figures) == {
        "dedupe_split_proposed": ["Yasser Arafat (1929)"],
        "dedupe_wrong": [
            "assad (Bashar al-Assad (1965); Hafez al-Assad (1930)) / javier-solana (Javier Solana (1942))"
        ],
    }


def test_a_mention_goes_to_the_participant_with_its_name_then_its_title(tiny: Path) -> None:
    kb = grader.load_kb(tiny)
    rows = {(r.trip, r.name): r for r in grader.load_graded(tiny / "graded.csv")}
    assert grader.match_row(rows[("4", "Solana")], kb)["person"] == "javier-solana"
    assert grader.match_row(rows[("4", "Arafat")], kb)["person"] == "arafat-2"
    assert grader.tokens("Mohammad bin Salman al-Saud") == {"mohammad", "salman", "saud"}
    assert grader.tokens("Schröder") == grader.tokens("Schroder")


def test_norway_is_a_country_not_false(tiny: Path) -> None:
    kb = grader.load_kb(tiny)
    assert kb.meetings[("a.xml", "4")][0]["location"]["country"] == "NO"


def test_graded_rows_agree_with_the_register_shape() -> None:
    rows = grader.load_graded()
    assert len([r for r in rows if r.mention]) >= 150
    assert all(r.person and r.name and r.name in r.mention for r in rows if r.mention)
    assert all(r.place and not r.person for r in rows if not r.mention)


def test_unsure_and_not_met_mentions_are_left_out_of_the_scores(tiny: Path) -> None:
    extra = (
        "random-unsure,a.xml,5,1990-01-01,President Kim,Kim,,KR,\n"
        "random-not-met,a.xml,2,2002-01-01,President Carter,Carter,Jimmy Carter (1924),US,\n"
    )
    (tiny / "graded.csv").write_text(GRADED + extra, encoding="utf-8")
    figures = grader.score(grader.load_graded(tiny / "graded.csv"), grader.load_kb(tiny))
    assert (figures["mentions"], figures["left_out"], len(figures["dropped"])) == (6, 2, 1)
    assert figures["people"] == 5


def test_a_mention_taken_for_a_namesake_is_counted(tiny: Path) -> None:
    (tiny / "people" / "manmohan-singh.yaml").write_text(
        "id: manmohan-singh\nname: Manmohan Singh\ngiven_name: Manmohan\nfamily_name: Singh\n", encoding="utf-8"
    )
    (tiny / "people" / "gudlaugur-thordarson.yaml").write_text(
        "id: gudlaugur-thordarson\nname: Gudlaugur Thordarson\ngiven_name: Gudlaugur\n", encoding="utf-8"
    )
    (tiny / "meetings" / "m6.yaml").write_text(
        meeting(
            6,
            "IN",
            {"person": "manmohan-singh", "side": "IN", "title": "Foreign Minister"},
            {"person": "gudlaugur-thordarson", "side": "IS", "title": "Foreign Minister"},
        ),
        encoding="utf-8",
    )
    rows = (
        "random,a.xml,6,2005-03-15,Foreign Minister Singh,Singh,Natwar Singh (1931),IN,\n"
        "random,a.xml,6,2005-03-15,Foreign Minister Thórdarson,Thórdarson,Guðlaugur Þór Þórðarson (1967),IS,\n"
    )
    (tiny / "graded.csv").write_text(GRADED + rows, encoding="utf-8")
    figures = grader.score(grader.load_graded(tiny / "graded.csv"), grader.load_kb(tiny))
    assert figures["namesakes"] == [
        "a.xml trip 6 (2005-03-15): 'Foreign Minister Singh' -> Natwar Singh (1931): kb wrote manmohan-singh "
        "('Manmohan Singh')"
    ]


@pytest.mark.parametrize(("path", "cls", "trips"), [(grader.RANDOM, "random", 120), (grader.HOLDOUT, "holdout", 95)])
def test_the_random_samples_are_graded_in_the_register_shape(path, cls: str, trips: int) -> None:
    rows = grader.load_graded(path)
    assert len({(r.file, r.trip) for r in rows}) >= trips
    assert {r.cls for r in rows} <= {cls, f"{cls}-unsure", f"{cls}-not-met"}
    assert all(r.name and r.name in r.mention and not r.place for r in rows)
    assert all(bool(r.person) == (r.cls != f"{cls}-unsure") for r in rows)
    graded = {(r.file, r.trip) for r in grader.load_graded()}
    assert not graded & {(r.file, r.trip) for r in rows}


def test_the_holdout_sample_shares_no_trip_with_the_samples_drawn_before_it() -> None:
    drawn_before = {(r.file, r.trip) for r in grader.load_graded(grader.RANDOM)}
    assert not drawn_before & {(r.file, r.trip) for r in grader.load_graded(grader.HOLDOUT)}


@pytest.mark.slow
def test_the_whole_register_runs_and_prints_json() -> None:
    if not grader.SHARED_DATA.is_dir():
        pytest.skip("the travels register is not on this machine")
    done = subprocess.run([sys.executable, str(RUN), "--json"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["grading_errors"] == []
    assert figures["mentions"] >= 150
    assert figures["random"]["grading_errors"] == []
    assert figures["random"]["mentions"] >= 200
    assert figures["holdout"]["grading_errors"] == []
    assert figures["holdout"]["mentions"] >= 150
