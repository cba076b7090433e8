"""Draw the random samples behind graded_random.csv and graded_holdout.csv: 'met with' trips not graded yet.

Every trip of the travels register whose remarks contain 'met with' (any case), leaving out the trips
already graded (graded.csv, or each `--exclude` file), is ordered by file then trip id;
`random.Random(SEED).sample(trips, COUNT)` picks COUNT of them (graded_random.csv: the defaults;
graded_holdout.csv: `--seed 20261208 --count 110 --exclude graded.csv --exclude graded_random.csv`). The trips are printed one a line (file, trip, start date, place, remarks) for
grading by hand. See README.md beside this file.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import DEFAULT_DATA, GRADED, SHARED_DATA, load_graded  # noqa: E402

SEED = 20261207
COUNT = 220
MET_WITH = re.compile(r"\bmet with\b", re.IGNORECASE)


def candidates(data: Path, *graded: Path) -> list[tuple[str, str, str, str, str]]:
    """The 'met with' trips not in the graded files (graded.csv when none is given), ordered by file
    and trip id."""
    taken = {(row.file, row.trip) for path in graded or (GRADED,) for row in load_graded(path)}
    trips = []
    for path in sorted(data.glob("*.xml")):
        for trip in ET.parse(path).getroot().iter("trip"):
            text = " ".join((trip.findtext("remarks") or "").split())
            tid = (trip.findtext("id") or "").strip()
            if MET_WITH.search(text) and (path.name, tid) not in taken:
                where = f"{(trip.findtext('locale') or '').strip()} ({(trip.findtext('country') or '').strip()})"
                trips.append((path.name, tid, (trip.findtext("start-date") or "").strip(), where, text))
    return sorted(trips, key=lambda t: (t[0], int(t[1])))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA if DEFAULT_DATA.is_dir() else SHARED_DATA)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument(
        "--exclude",
        type=Path,
        action="append",
        help="leave out the trips this graded file grades (repeatable; default graded.csv alone)",
    )
    args = parser.parse_args(argv)
    excluded = args.exclude or [GRADED]
    trips = candidates(args.data, *excluded)
    names = ", ".join(path.name for path in excluded)
    print(f"# {len(trips)} 'met with' trips not in {names}; seed {args.seed}, {args.count} drawn")
    for trip in sorted(random.Random(args.seed).sample(trips, args.count), key=lambda t: (t[2], t[0])):
        print(" | ".join(trip))
    return 0


if __name__ == "__main__":
    sys.exit(main())
