"""Time `kb site build` on a hub-shaped knowledge base against the site's targets.

    python benchmarks/site.py --count 10000

Generates the knowledge base once (benchmarks/generate.py, kept under --data) and makes it
hub-shaped: our own side's participant in every meeting becomes one of six successive holders of
one post (our minister and the predecessors in it), so one person is in every meeting, as in a
desk's own knowledge base (GUIDE §10). Then, running kb as a user does (a subprocess):

* cold: no site and no record cache (.kb-cache removed);
* unchanged: the same build again (nothing is written);
* after editing one meeting: its summary changed, then built again;

and the size of the home page. Exits 1 when a target is missed: cold <= 90 s, after one edit
<= 10 s, home page < 200 KB.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (the generator beside this file)

HOLDERS = 6
TITLE = "Secretary of State"
POST = "hub-secretary-of-state"


def hubify(root: Path) -> None:
    """Our side's participant of every meeting becomes the holder of POST on that day."""
    first, last = 1870, 2030
    span = (last - first) / HOLDERS
    holders = []
    for index in range(HOLDERS):
        start, end = int(first + index * span), int(first + (index + 1) * span)
        ident = f"hub-minister-{index + 1}"
        holders.append((ident, start, end))
        ending = f"\n    end: {end - 1}-12-31" if index < HOLDERS - 1 else ""
        (root / "people" / f"{ident}.yaml").write_text(
            f"id: {ident}\nname: Hub Minister {chr(65 + index)}\ncountry: US\nroles:\n"
            f"  - title: {TITLE}\n    post: {POST}\n    org: us-department-of-state\n"
            f"    start: {start}-01-01{ending}\n", encoding="utf-8")
    config = json.loads((root / "benchmark.json").read_text())
    our = re.compile(r"  - org: (\S+)\n    side: US\n    title: \"[^\"]*\"\n")
    for path in sorted((root / "meetings").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        year = int(path.name[:4])
        ident = next(h for h, start, end in holders if start <= year < end)
        text, found = our.subn(lambda m, ident=ident: f"  - person: {ident}\n    org: {m.group(1)}\n    side: US\n"
                               f"    title: \"{TITLE}\"\n", text, count=1)
        if found:
            path.write_text(text, encoding="utf-8")
    config["hub"] = [h for h, _, _ in holders]
    (root / "benchmark.json").write_text(json.dumps(config, indent=2) + "\n")


def prepare(count: int, data: Path, visits: Path) -> Path:
    root = data / f"site-hub-{count}"
    if not (root / "benchmark.json").exists() or "hub" not in json.loads((root / "benchmark.json").read_text()):
        shutil.rmtree(root, ignore_errors=True)
        generate.generate(count, root, visits)
        hubify(root)
    return root


def timed(args: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{result.stderr}")
    return elapsed, result.stderr.strip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "kb-bench")
    parser.add_argument("--visits", type=Path, default=generate.DEFAULT_VISITS)
    args = parser.parse_args(argv)
    root = prepare(args.count, args.data, args.visits)
    out = root.parent / f"{root.name}-site"
    kb = [sys.executable, "-m", "kb", "--kb", str(root), "site", "build", "-o", str(out)]
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(root / ".kb-cache", ignore_errors=True)
    rows = []
    cold, said = timed(kb)
    rows.append(("cold build (no site, no cache)", cold, 90.0, said))
    again, said = timed(kb)
    rows.append(("again, nothing changed", again, None, said))
    edit = root / json.loads((root / "benchmark.json").read_text())["edit"]
    text = edit.read_text(encoding="utf-8")
    edit.write_text(text.replace("summary: \"", f"summary: \"Edited {time.time_ns()}. ", 1), encoding="utf-8")
    edited, said = timed(kb)
    rows.append(("after editing one meeting", edited, 10.0, said))
    home = (out / "index.html").stat().st_size
    files = sum(1 for p in out.rglob("*") if p.is_file())
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    missed = False
    print(f"kb site build on {args.count:,} hub-shaped meetings ({root}): {files:,} files, {total / 1e6:.1f} MB")
    for name, seconds, target, said in rows:
        ok = target is None or seconds <= target
        missed |= not ok
        goal = f"target <= {target:.0f} s {'met' if ok else 'MISSED'}" if target else ""
        print(f"  {name:<34} {seconds:7.1f} s  {goal}\n      {said}")
    ok = home < 200_000
    missed |= not ok
    print(f"  {'home page':<34} {home / 1000:7.1f} KB  target < 200 KB {'met' if ok else 'MISSED'}")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
