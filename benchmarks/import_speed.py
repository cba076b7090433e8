"""Import speed on real-sized input (issue 13's targets), run by hand, not a test:

    python benchmarks/import_speed.py [--visits DIR] [--runs 3]

* ``kb import visits`` of the Office of the Historian's 3,264 visits (``../shared/data/visits``),
  dry run and writing every meeting and person: target under 10 s;
* ``kb import csv`` of 3,000 rows made from those visits (date, "with", country, purpose);
* ``kb import article`` of an article naming 2,000 people: target under 5 s, into an empty
  knowledge base and into one of about 1,400 people (``generate.py 1000``), where every name is
  also looked for among the known ones.

Each figure is the median wall-clock time of ``--runs`` runs of kb as a subprocess, with the
CPU time (user + system) of that run beside it: the machine is shared, so the CPU time is the
steadier figure. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
KB_YAML = "name: Import benchmark\nour_side: US\ndefault_sensitivity: CLEAR\n"


def _fresh(root: Path) -> Path:
    if root.exists():
        shutil.rmtree(root)
    (root / "meetings").mkdir(parents=True)
    (root / "people").mkdir()
    (root / "orgs").mkdir()
    (root / "kb.yaml").write_text(KB_YAML, encoding="utf-8")
    (root / "topics.yaml").write_text("topics: []\n", encoding="utf-8")
    return root


def _run(root: Path, *args: str) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kb", "--kb", str(root), "--no-cache", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _visits_csv(visits: Path, out: Path, rows: int) -> None:
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Name of organisation or individual", "Country", "Purpose of meeting"])
        written = 0
        for path in sorted(visits.glob("*.xml")):
            for visit in ET.parse(path).getroot().iter("visit"):
                origin = visit.find("from")
                writer.writerow(
                    [
                        visit.findtext("start-date"),
                        " ".join(visit.findtext("visitor").split()),
                        " ".join((origin.text or "").split()),
                        " ".join(visit.findtext("description").split())[:80],
                    ]
                )
                written += 1
                if written == rows:
                    return


def _article(visits: Path, out: Path, people: int) -> int:
    """An article naming ``people`` different people, each with a title and a country: the
    visitors' own names first (those of two parts or more), then their given and family names
    recombined (as generate.py does) until there are enough."""
    sys.path.insert(0, str(HERE.parent))
    from kb.importing.visits import split_visitors

    named: dict[str, tuple[str, str]] = {}
    for path in sorted(visits.glob("*.xml")):
        for visit in ET.parse(path).getroot().iter("visit"):
            country = " ".join((visit.find("from").text or "").split())
            for title, name in split_visitors(" ".join(visit.findtext("visitor").split())):
                if title and len(name.split()) >= 2 and "," not in name:
                    named.setdefault(name, (title, country))
    real = list(named.items())
    given = sorted({name.split()[0] for name, _ in real})
    family = sorted({name.split()[-1] for name, _ in real})
    k = 0
    while len(named) < people:
        (title, country), first, last = (
            real[k % len(real)][1],
            given[(k * 7) % len(given)],
            family[(k * 13) % len(family)],
        )
        named.setdefault(f"{first} {last}", (title, country))
        k += 1
    lines = ["WASHINGTON, May 5 (APP): A summit of heads of state and government was held on Monday."]
    for name, (title, country) in list(named.items())[:people]:
        lines.append(f"{title} {name} of {country} attended the opening session and spoke on trade.")
    out.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return min(people, len(named))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=Path, default=HERE.parent.parent / "shared" / "data" / "visits")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "kb-import-bench")
    options = parser.parse_args()
    if not options.visits.is_dir():
        print(f"no visits data at {options.visits}; pass --visits DIR", file=sys.stderr)
        return 2
    options.data.mkdir(parents=True, exist_ok=True)
    spreadsheet = options.data / "visits.csv"
    _visits_csv(options.visits, spreadsheet, 3000)
    article = options.data / "article.txt"
    named = _article(options.visits, article, 2000)
    root = options.data / "kb"
    sys.path.insert(0, str(HERE))
    from generate import generate

    peopled = options.data / "kb-people"
    if not (peopled / "kb.yaml").exists():
        generate(1000, peopled, options.visits)
    cases = [
        ("import visits, 3,264 visits, dry run", 10.0, ["import", "visits", str(options.visits), "--dry-run"]),
        (
            "import visits, 3,264 visits, writing meetings and people",
            10.0,
            ["import", "visits", str(options.visits), "--create-people"],
        ),
        (
            "import csv, 3,000 rows, dry run",
            10.0,
            [
                "import",
                "csv",
                str(spreadsheet),
                "--map",
                "date=Date",
                "--map",
                "with=Name of organisation or individual",
                "--map",
                "country=Country",
                "--map",
                "purpose=Purpose of meeting",
                "--dry-run",
            ],
        ),
        (
            f"import article naming {named} people, dry run",
            5.0,
            ["import", "article", str(article), "--published", "2024-05-06", "--dry-run"],
        ),
        (
            f"import article naming {named} people, known people, dry run",
            5.0,
            ["import", "article", str(article), "--published", "2024-05-06", "--dry-run"],
            peopled,
        ),
    ]
    missed = 0
    print(f"{'what':60} {'median s':>9} {'cpu s':>7} {'target':>7}")
    for label, target, args, *where in cases:
        figures = []
        for _ in range(options.runs):
            figures.append(_run(where[0], *args) if where else _run(_fresh(root), *args))
        wall = statistics.median(w for w, _ in figures)
        cpu = statistics.median(c for _, c in figures)
        ok = wall < target
        missed += not ok
        print(f"{label:60} {wall:9.2f} {cpu:7.2f} {'<' + str(target):>7} {'ok' if ok else 'MISSED'}")
    print(f"(machine: {os.cpu_count()} cores, shared)")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
