"""The visits identity benchmark's scoring (benchmarks/identity/visits.py), on a tiny knowledge base
built here; the run on the real register is the benchmark's, not the suite's."""

import importlib.util
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent.parent / "benchmarks" / "identity"
sys.path.insert(0, str(HERE))  # the benchmark reads run.py's loader beside it
SPEC = importlib.util.spec_from_file_location("identity_benchmark_visits", HERE / "visits.py")
assert SPEC and SPEC.loader
scorer = importlib.util.module_from_spec(SPEC)
sys.modules[SPEC.name] = scorer
SPEC.loader.exec_module(scorer)

GRADED = (
    "file,visit,date,position,mention,person\n"
    "1970.xml,1,1978-05-30,0,Prime Minister Konstantinos Karamanlis,Konstantinos Karamanlis (1907)\n"
    "2000.xml,2,2004-05-19,0,Prime Minister Konstantinos Karamanlis,Kostas Karamanlis (1956)\n"
    "2000.xml,3,2005-03-10,0,Prime Minister Konstandinos Karamanlis,Kostas Karamanlis (1956)\n"
    "2020.xml,4,2023-02-02,1,Crown Prince Hussein,Crown Prince Hussein of Jordan (1994)\n"
    "2020.xml,9,2023-05-05,0,King Abdullah II,Abdullah II of Jordan (1962)\n"
)


def _meeting(root: Path, document: str, *people: str) -> None:
    body = "".join(f"  - person: {p}\n    side: GR\n" for p in people)
    name = document.replace(" ", "-").replace(".", "-")
    (root / "meetings" / f"{name}.yaml").write_text(
        f"id: {name}\nparticipants:\n{body}sources:\n  - document: {document}\n", encoding="utf-8"
    )


def test_merges_splits_and_dropped_mentions_are_counted(tmp_path):
    (tmp_path / "meetings").mkdir()
    _meeting(tmp_path, "1970.xml visit 1", "konstantinos-karamanlis")
    _meeting(tmp_path, "2000.xml visit 2", "konstantinos-karamanlis")  # the nephew taken for the uncle
    _meeting(tmp_path, "2000.xml visit 3", "konstandinos-karamanlis")  # and split by a spelling
    _meeting(tmp_path, "2020.xml visit 4", "abdullah-ii", "hussein")
    graded = tmp_path / "graded.csv"
    graded.write_text(GRADED, encoding="utf-8")
    figures = scorer.score(scorer.load_graded(graded), scorer.participants(tmp_path))
    assert figures == {
        "graded_mentions": 5,
        "graded_people": 4,
        "false_merges": {"konstantinos-karamanlis": ["Konstantinos Karamanlis (1907)", "Kostas Karamanlis (1956)"]},
        "false_splits": {"Kostas Karamanlis (1956)": ["konstandinos-karamanlis", "konstantinos-karamanlis"]},
        "split_ids": 2,
        "dropped": ["2020.xml visit 9 King Abdullah II"],
        "people_of": {  # what kb dedupe's pairs are checked against (run.dedupe_figures)
            "hussein": ["Crown Prince Hussein of Jordan (1994)"],
            "konstandinos-karamanlis": ["Kostas Karamanlis (1956)"],
            "konstantinos-karamanlis": ["Konstantinos Karamanlis (1907)", "Kostas Karamanlis (1956)"],
        },
    }


def test_the_benchmark_says_what_it_takes():
    result = subprocess.run(
        [sys.executable, str(HERE / "visits.py"), "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "--data" in result.stdout and "--graded" in result.stdout and "--keep" in result.stdout
    assert "--holders" in result.stdout and "visits_holders.csv" in result.stdout
