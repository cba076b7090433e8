"""Speed of `kb import uk-meetings` on a register of real size, run by hand, not a test:

    python benchmarks/register_speed.py [--rows 3000] [--people 2000] [--runs 3]

A generated UK register (a title line, the header, ministers filled down, nil returns, dates
written the registers' ways, one to three organisations or people a cell) is imported into a
knowledge base that already holds ``--people`` people and half as many organisations, some of
them named by the register, so that every name goes through the resolver. Figures are the
median wall-clock time of ``--runs`` runs of kb as a subprocess with the CPU time beside it,
and the floor measured in the same run: ``kb --version`` (starting Python and kb) and ``kb
check`` of the same knowledge base before the import (loading it). Target: 3,000 rows in
under 10 s. Exits 1 when it is missed.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from import_speed import _run  # kb as a subprocess: wall-clock and CPU time

GIVEN = ["Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Kim", "Lee", "Morgan", "Jamie", "Casey", "Drew"]
FAMILY = [
    "Abbot",
    "Baker",
    "Carter",
    "Dalton",
    "Ellis",
    "Fisher",
    "Grant",
    "Hughes",
    "Irving",
    "Jordan",
    "Kemp",
    "Lowe",
    "Marsh",
    "Nash",
    "Owen",
    "Price",
    "Quinn",
    "Reed",
    "Shaw",
    "Tate",
]
KINDS = ["Trust", "Ltd", "Association", "Council", "Foundation", "plc", "Federation", "Society"]
DATES = ["{d:02d}/{m:02d}/2012", "{d}-{m}/{m}/12", "{mon}-12", "{d} {month} 2012", "{month} 2012"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _knowledge_base(root: Path, people: int) -> list[str]:
    """A knowledge base of ``people`` people and half as many organisations; their names."""
    if root.exists():
        shutil.rmtree(root)
    for folder in ("meetings", "people", "orgs"):
        (root / folder).mkdir(parents=True)
    (root / "kb.yaml").write_text("name: Register benchmark\nour_side: GB\ndefault_sensitivity: CLEAR\n")
    (root / "topics.yaml").write_text("topics: []\n")
    orgs = []
    for n in range(people):
        name = f"{GIVEN[n % len(GIVEN)]} {FAMILY[n // len(GIVEN) % len(FAMILY)]}{n}"
        (root / "people" / f"person-{n}.yaml").write_text(f"id: person-{n}\nname: {name}\ncountry: GB\n")
    for n in range(people // 2):
        name = f"{FAMILY[n % len(FAMILY)]} {n} {KINDS[n % len(KINDS)]}"
        (root / "orgs" / f"org-{n}.yaml").write_text(f"id: org-{n}\nname: {name}\ncountry: GB\n")
        orgs.append(name)
    return orgs


def _register(path: Path, rows: int, known_orgs: list[str]) -> None:
    chance = random.Random(13)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Department for Benchmarks: ministers' meetings, 2012", "", "", ""])
        writer.writerow(["Minister", "Date", "Name of organisation or individual", "Purpose of meeting", ""])
        for n in range(rows):
            minister = f"Rt Hon Minister {FAMILY[n // 300 % len(FAMILY)]} MP" if n % 300 == 0 else ""
            if n % 97 == 0:
                writer.writerow([minister, "Nil return", "", "", ""])
                continue
            month, day = chance.randint(1, 12), chance.randint(1, 25)
            date = chance.choice(DATES).format(d=day, m=month, mon=MONTHS[month - 1][:3], month=MONTHS[month - 1])
            named = []
            for _ in range(chance.choice([1, 1, 2, 3])):
                pick = chance.random()
                if pick < 0.3 and known_orgs:
                    named.append(chance.choice(known_orgs))
                elif pick < 0.5:
                    named.append(f"{chance.choice(GIVEN)} {chance.choice(FAMILY)}")
                else:
                    named.append(f"{chance.choice(FAMILY)} {chance.randint(0, 1500)} {chance.choice(KINDS)}")
            writer.writerow([minister, date, "; ".join(named), "Discussion of the sector", ""])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "kb-register-bench")
    options = parser.parse_args()
    options.data.mkdir(parents=True, exist_ok=True)
    root = options.data / "kb"
    register = options.data / "register.csv"
    cases = [
        ("floor: kb --version", None, ["--version"]),
        (f"floor: kb check of {options.people:,} people", None, ["check"]),
        (
            f"import uk-meetings, {options.rows:,} rows, dry run",
            10.0,
            ["import", "uk-meetings", str(register), "--dry-run"],
        ),
        (
            f"import uk-meetings, {options.rows:,} rows, writing everything",
            10.0,
            ["import", "uk-meetings", str(register), "--create-people", "--create-orgs"],
        ),
    ]
    missed = 0
    print(f"{'what':55} {'median s':>9} {'cpu s':>7} {'target':>7}")
    for label, target, args in cases:
        figures = []
        for _ in range(options.runs):
            _register(register, options.rows, _knowledge_base(root, options.people))
            figures.append(_run(root, *args))
        wall = statistics.median(w for w, _ in figures)
        cpu = statistics.median(c for _, c in figures)
        verdict = "" if target is None else ("ok" if wall < target else "MISSED")
        missed += verdict == "MISSED"
        print(f"{label:55} {wall:9.2f} {cpu:7.2f} {'<' + str(target) if target else '':>7} {verdict}")
    print(f"(machine: {os.cpu_count()} cores, shared)")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
