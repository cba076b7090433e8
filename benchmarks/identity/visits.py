"""Identity benchmark on the visits register: who is who after `kb import visits --create-people`.

Imports the Office of the Historian's "Visits by Foreign Leaders" (../shared/data/visits, read
in place) into a fresh `kb init --our-side US` knowledge base and scores the people kb wrote
against the hand-graded mentions in visits_graded.csv: false merges (an id holding two or more
real people), false splits (a real person under two or more ids), dropped mentions, the people
written, the import's CPU time, what `kb dedupe` proposes for the people split (and its pairs of
two graded people), and `kb check` errors and `kb fmt --check` failures on what it wrote. With
`--holders` it runs twice: without, then with visits_holders.csv (who held the posts the graded
people held) loaded first by `kb import holders`. See README.md beside this file. Always exits 0 (it is a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml
from run import _Loader, dedupe_figures, kb_health, kb_run

HERE = Path(__file__).resolve().parent
GRADED = HERE / "visits_graded.csv"
HOLDERS = HERE / "visits_holders.csv"
DATA = HERE.parent.parent.parent / "shared" / "data" / "visits"


def load_graded(path: Path = GRADED) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def participants(root: Path) -> dict[tuple[str, str], list[str]]:
    """The person ids of each visit's participants, in order, by (file, visit number)."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in (root / "meetings").glob("*.yaml"):
        meeting = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        for source in meeting.get("sources") or []:
            file, _, number = str(source.get("document", "")).partition(" visit ")
            if number:
                found[(file, number)] = [str(p.get("person", "")) for p in meeting.get("participants", [])]
    return found


def score(rows: list[dict[str, str]], found: dict[tuple[str, str], list[str]]) -> dict[str, Any]:
    holds: dict[str, set[str]] = defaultdict(set)  # id -> real people
    under: dict[str, set[str]] = defaultdict(set)  # real person -> ids
    dropped = []
    for row in rows:
        ids = found.get((row["file"], row["visit"]), [])
        position = int(row["position"])
        if position >= len(ids) or not ids[position]:
            dropped.append(f"{row['file']} visit {row['visit']} {row['mention']}")
            continue
        holds[ids[position]].add(row["person"])
        under[row["person"]].add(ids[position])
    return {
        "graded_mentions": len(rows),
        "graded_people": len({r["person"] for r in rows}),
        "false_merges": {i: sorted(p) for i, p in sorted(holds.items()) if len(p) > 1},
        "false_splits": {p: sorted(i) for p, i in sorted(under.items()) if len(i) > 1},
        "split_ids": sum(len(i) for i in under.values() if len(i) > 1),
        "dropped": dropped,
        "people_of": {i: sorted(p) for i, p in sorted(holds.items())},
    }


def measure(data: Path, root: Path, graded: Path, holders: Path | None = None) -> dict[str, Any]:
    kb_run(["init", "--our-side", "US", str(root)], root.parent)
    if holders is not None:
        loaded, _, _ = kb_run(["import", "holders", str(holders)], root)
        if loaded.returncode != 0:
            raise SystemExit(f"kb import holders {holders} failed (exit {loaded.returncode}): {loaded.stderr[-500:]}")
    result, wall, cpu = kb_run(["import", "visits", "--create-people", str(data)], root)
    said = [line for line in result.stderr.splitlines() if "meetings written" in line]
    figures: dict[str, Any] = {
        "import_summary": said[-1].strip() if said else f"(no summary line; exit {result.returncode})",
        "import_cpu": round(cpu, 2),
        "import_wall": round(wall, 2),
        "people_written": len(list((root / "people").glob("*.yaml"))),
        "meetings_written": len(list((root / "meetings").glob("*.yaml"))),
    }
    figures.update(score(load_graded(graded), participants(root)))
    figures.update(dedupe_figures(root, figures))
    figures.update(kb_health(root))
    figures.pop("people_of")
    return figures


def report(fig: dict[str, Any]) -> str:
    lines = [
        fig["import_summary"],
        f"import: {fig['import_cpu']:.2f} s CPU (kb and its children), {fig['import_wall']:.2f} s wall",
        f"people written: {fig['people_written']}; meetings written: {fig['meetings_written']}",
        f"graded: {fig['graded_mentions']} mentions of {fig['graded_people']} real people",
        f"false merges (ids holding two or more graded people): {len(fig['false_merges'])}",
        f"false splits (graded people under two or more ids): {len(fig['false_splits'])} people over "
        f"{fig['split_ids']} ids",
        f"kb dedupe proposes a pair for {len(fig['dedupe_split_proposed'])} of the {len(fig['false_splits'])} split "
        f"people; {len(fig['dedupe_wrong'])} of its pairs are of two graded people",
        f"dropped graded mentions: {len(fig['dropped'])}",
        f"kb check errors: {fig['check_errors']}; kb fmt --check failures: {fig['fmt_failures']}",
    ]
    lines += [f"  merge {i}: {'; '.join(p)}" for i, p in fig["false_merges"].items()]
    lines += [
        f"  split {p}: {', '.join(i)}" + ("" if p in fig["dedupe_split_proposed"] else " (no kb dedupe pair)")
        for p, i in fig["false_splits"].items()
    ]
    lines += [f"  kb dedupe pairs two graded people: {pair}" for pair in fig["dedupe_wrong"]]
    lines += [f"  dropped {d}" for d in fig["dropped"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the visits XML files (default: %(default)s)")
    parser.add_argument("--graded", type=Path, default=GRADED, help="the graded mentions (default: visits_graded.csv)")
    parser.add_argument("--keep", type=Path, help="import into this new folder and keep it")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--holders",
        nargs="?",
        type=Path,
        const=HOLDERS,
        help=f"also run with this office-holders reference loaded first (default {HOLDERS.name}); print both",
    )
    args = parser.parse_args(argv)
    runs = [None, args.holders.resolve()] if args.holders else [None]
    found = {}
    for holders in runs:
        with tempfile.TemporaryDirectory() as scratch:
            root = Path(scratch) / "kb"
            if args.keep:
                root = (
                    args.keep.resolve() / ("with-holders" if holders else "without")
                    if args.holders
                    else args.keep.resolve()
                )
            root.mkdir(parents=True, exist_ok=True)
            found["with_holders" if holders else "without_holders"] = measure(
                args.data.resolve(), root, args.graded, holders
            )
    if args.json:
        print(json.dumps(found if args.holders else found["without_holders"], indent=1, ensure_ascii=False))
        return 0
    print(report(found["without_holders"]))
    if args.holders:
        print(f"\nWith the office-holders reference {args.holders.resolve()} loaded first (kb import holders):\n")
        print(report(found["with_holders"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
