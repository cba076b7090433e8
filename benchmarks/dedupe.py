"""`kb dedupe` on generated knowledge bases, run by hand, not a test:

    python benchmarks/dedupe.py [--sizes 1000,10000] [--runs 3] [--visits DIR]

Two shapes at each size: the visits (benchmarks/generate.py, from the Office of the Historian's
record: many counterparts, some recorded under two spellings) and the hub (benchmarks/hub.py
--dirty: our minister in every meeting, counterparts succeeding each other in their posts, as a
large import leaves it).

For each size: the people and organisations, the pairs proposed by strength, and the median
wall-clock time of `kb dedupe --format json` beside its floor measured in the same run, `kb list
people --format json` (which loads the same knowledge base and prints every person), both with a
warm cache. The difference is the cost of finding and weighing the pairs.
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (the generators beside this file)
import hub  # noqa: E402


def timed(root: Path, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "kb", "--kb", str(root), *args], capture_output=True, text=True, check=True
    )
    return time.perf_counter() - start, done.stdout


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="meeting counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--visits", type=Path, default=generate.DEFAULT_VISITS)
    args = parser.parse_args(argv)
    print(
        f"{'shape':>6} {'meetings':>9} {'people':>7} {'orgs':>5} {'pairs (strong/possible/weak)':>29} "
        f"{'dedupe s':>9} {'floor s':>8} {'extra s':>8}"
    )
    with tempfile.TemporaryDirectory(prefix="kb-dedupe-") as folder:
        for size, shape in ((int(s), shape) for s in args.sizes.split(",") for shape in ("visits", "hub")):
            root = Path(folder) / f"{shape}-{size}"
            info = (
                generate.generate(size, root, args.visits, 5)
                if shape == "visits"
                else hub.generate(size, root, dirty=True)
            )
            timed(root, "list", "people")  # warm the record cache
            dedupe, floor, output = [], [], ""
            for _ in range(args.runs):
                seconds, output = timed(root, "dedupe", "--format", "json")
                dedupe.append(seconds)
                floor.append(timed(root, "list", "people", "--format", "json")[0])
            pairs = json.loads(output)["pairs"]
            strength = collections.Counter(p["strength"] for p in pairs)
            found = f"{len(pairs)} ({strength['strong']}/{strength['possible']}/{strength['weak']})"
            a, b = statistics.median(dedupe), statistics.median(floor)
            print(
                f"{shape:>6} {size:>9,} {info['people']:>7,} {info['orgs']:>5,} {found:>29} {a:>9.2f} {b:>8.2f} {a - b:>8.2f}"
            )


if __name__ == "__main__":
    main()
