"""Time `kb site build` on a hub-shaped knowledge base, cold, unchanged, after edits and a day later.

    python benchmarks/site.py --count 2000
    python benchmarks/site.py --count 10000 --no-browser

Generates the knowledge base once with benchmarks/hub.py (a ministry's desk: our minister in every
meeting, records as rich as the repository's own, about 5 KB each; kept under --data). Then,
running kb as a user does (a subprocess, its CPU time taken from the kernel: user + system of kb and
every process it waited for), with the day injected (`KB_TODAY`, the site's one source of the
date):

* cold: no site and no record cache (both set aside), --cold-runs times (the median judged); its
  peak memory;
* unchanged: the same build again;
* after editing one meeting's title, then its summary, then one outcome's status;
* after renaming the busiest counterpart (a person's name);
* the next day, nothing changed;

each of those after the cold build --runs times, after its own edit (the next day: a day after the
last build), the median judged; each with the files kb wrote, and in the same run these floors,
each in a fresh Python: stat'ing every output file, reading every record file, writing a copy of
every output file, and a fixed loop of Python before the first build, before each scenario's
builds and after the last (the host's speed: read each figure beside the loop timed just before
it). The last site and record cache are moved aside before the cold build and removed at the
end, and the edited records are given back their bytes: on a file system without a journal (ext4
as this benchmark's machines mount it), the kernel passes over every inode freed in the last
minutes each time it makes a file, so removing 11,668 files just before a cold build added 4 to 6 s
of system time to it, which is not kb's. Also the size of the home page and of the search index,
and searches in headless Chromium (when installed) from file://. Exits 1 when a target is missed:
cold <= 40 s, unchanged and the next day <= 1 s (CPU) with no file written, one edit <= 3 s (CPU),
home page < 200 KB, search index <= 0.5 x the meeting files, a search <= 200 ms, opening the
search page <= 2 s more than opening the home page. The targets are for 10,000 meetings; smaller
runs are judged against them too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import hub  # noqa: E402  (the generator beside this file)
import installed  # noqa: E402

STAT_FLOOR = "import os,sys\nfor d,_,fs in os.walk(sys.argv[1]):\n  for f in fs: os.stat(os.path.join(d,f))"
# The host's speed in the same run (it drifts by up to 2x from one minute to the next on shared
# machines): a fixed loop of Python, timed before the first build and after the last.
LOOP_FLOOR = "s = 0\nfor i in range(10_000_000): s += i"
COPY_FLOOR = (
    "import os,sys\nsrc,dst=sys.argv[1],sys.argv[2]\nfor d,_,fs in os.walk(src):\n"
    "  t=os.path.join(dst,os.path.relpath(d,src)); os.makedirs(t,exist_ok=True)\n"
    "  for f in fs:\n    with open(os.path.join(d,f),'rb') as i, open(os.path.join(t,f),'xb') as o: o.write(i.read())"
)
READ_FLOOR = (
    "import os,sys\nfor d,_,fs in os.walk(sys.argv[1]):\n"
    "  for f in fs:\n    if f.endswith('.yaml'): open(os.path.join(d,f),'rb').read()"
)


def prepare(count: int, data: Path) -> Path:
    root = data / f"site-hub-{count}"
    info = hub.written(root, count)
    if info is None:
        shutil.rmtree(root, ignore_errors=True)
        info = hub.generate(count, root)
    print(f"{root}: {info['meetings']:,} meetings, {info['bytes_per_meeting']:,} bytes each on average")
    return root


def run(args: list[str], env: dict | None = None) -> tuple[float, float, float, str]:
    """(wall, CPU, peak MB, stderr) of one command; CPU and memory from the kernel (wait4)."""
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    _out, err = child.communicate()
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if child.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, err.strip()


def measured(args: list[str], env: dict | None = None) -> tuple[float, float, float, str, float]:
    """``run`` with the CPU of this command alone (RUSAGE_CHILDREN adds up every child waited for),
    and its system time of it apart (the kernel's share: creating a cold site's files)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, total, peak, said = run(args, env)
    system = resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime - before.ru_stime
    return wall, total - (before.ru_utime + before.ru_stime), peak, said, system


TOGGLE = {
    "open": "in-progress",
    "in-progress": "open",
    "fulfilled": "lapsed",
    "lapsed": "fulfilled",
    "superseded": "open",
}


def edit(path: Path, pattern: str, replacement) -> None:
    text = path.read_text(encoding="utf-8")
    changed, found = re.subn(pattern, replacement, text, count=1, flags=re.M)
    if not found:
        sys.exit(f"{path}: nothing matches {pattern!r}")
    path.write_text(changed, encoding="utf-8")


def scenarios(root: Path) -> list[tuple[str, object]]:
    """(name, what to do before each of its builds) in order; an edit is a function, made afresh
    before each build (a new stamp in the title and the summary, the status toggled, one more
    "Renamed" in the name)."""
    meeting, person = edited(root)
    return [
        ("cold build (no site, no cache)", None),
        ("again, nothing changed", None),
        ("after editing one title", lambda: edit(meeting, r'^title: "', f'title: "Edited {time.time_ns()} ')),
        (
            "after editing one summary",
            lambda: edit(meeting, r"^summary: >-\n", f"summary: >-\n  Edited {time.time_ns()}.\n"),
        ),
        (
            "after editing one outcome's status",
            lambda: edit(meeting, r"^    status: ([a-z-]+)$", lambda m: "    status: " + TOGGLE[m.group(1)]),
        ),
        ("after renaming a person", lambda: edit(person, r'^name: "', 'name: "Renamed ')),
        ("the next day, nothing changed", "next-day"),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "kb-bench")
    parser.add_argument("--no-browser", action="store_true", help="skip the searches in Chromium")
    parser.add_argument(
        "--cold-runs",
        type=int,
        default=3,
        help="cold builds, the median judged (default: 3; each about 40 s at 10,000)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="builds of every other scenario, each after its own edit (or day), the median judged (default: 3)",
    )
    args = parser.parse_args(argv)
    print(installed.bytecode(args.data), file=sys.stderr)
    root = prepare(args.count, args.data)
    out = root.parent / f"{root.name}-site"
    kb = [sys.executable, "-m", "kb", "--kb", str(root), "site", "build", "-o", str(out)]
    originals = {path: path.read_bytes() for path in edited(root)}
    aside = Path(tempfile.mkdtemp(prefix="kb-bench-aside-", dir=args.data))
    try:
        speed = measured([sys.executable, "-c", LOOP_FLOOR])
        missed = builds(root, out, kb, args.count, lambda: set_aside(root, out, aside), (args.cold_runs, args.runs))
        missed |= sizes(root, out)
        copy = aside / "copy"
        print(f"  floor: {'a fixed loop, before the builds':<33} {speed[1]:6.2f} s CPU")
        for label, floor in (
            ("a fixed loop, after them", [LOOP_FLOOR]),
            ("stat every output file", [STAT_FLOOR, str(out)]),
            ("read every record", [READ_FLOOR, str(root)]),
            ("write a copy of every output file", [COPY_FLOOR, str(out), str(copy)]),
        ):
            wall, cpu, _peak, _said, system = measured([sys.executable, "-c", *floor])
            print(f"  floor: {label:<33} {cpu:6.2f} s CPU ({system:.2f} s system, {wall:6.2f} s wall)")
        if not args.no_browser:
            missed |= search_times(out)
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
        shutil.rmtree(aside, ignore_errors=True)
    sys.exit(1 if missed else 0)


def edited(root: Path) -> tuple[Path, Path]:
    """The files the edits change: a meeting and the busiest counterpart's person file."""
    info = json.loads((root / "benchmark.json").read_text())
    return root / info["edit"], root / "people" / f"{info['busiest']}.yaml"


def set_aside(root: Path, out: Path, aside: Path) -> None:
    """Move the site and the record cache into ``aside`` (removed at the end: see the module's doc)."""
    for folder in (out, root / ".kb-cache"):
        if folder.exists():
            folder.rename(aside / f"{folder.name}-{time.time_ns()}")


def builds(root: Path, out: Path, kb: list[str], count: int, cold, counts: tuple[int, int]) -> bool:
    """Each scenario's builds, timed and printed: the cold build ``counts[0]`` times, each after
    ``cold`` set the last site and cache aside, and every other ``counts[1]`` times, each after its
    own edit (the next day: each a day after the last build); the median judged (on a shared host
    one figure moves by up to half from one minute to the next). Whether a target was missed."""
    day = dt.date.today()
    missed = False
    print(f"kb site build, {count:,} hub meetings; CPU is user + system of kb and its workers")
    for name, action in scenarios(root):
        runs = []
        loop = measured([sys.executable, "-c", LOOP_FLOOR])[1]  # the host's speed for these builds
        for _run in range(max(1, counts[0] if name.startswith("cold") else counts[1])):
            if name.startswith("cold"):
                cold()
            elif action == "next-day":
                day += dt.timedelta(days=1)
            elif callable(action):
                action()
            runs.append(measured(kb, {**os.environ, "KB_TODAY": day.isoformat()}))
        ordered = sorted(runs, key=lambda run: run[1])
        wall, cpu, _peak, said, system = ordered[len(ordered) // 2]
        target = target_of(name)
        ok = target is None or cpu <= target
        if name.startswith(("again", "the next day")):  # no file written by any of its builds
            ok = ok and all(re.search(r"\b0 written", run[3]) for run in runs)
        missed |= not ok
        goal = f"target <= {target:g} s CPU {'met' if ok else 'MISSED'}" if target else ""
        memory = f", peak {max(run[2] for run in runs):.0f} MB" if name.startswith("cold") else ""
        each = f"; the {len(runs)} runs: {', '.join(f'{run[1]:.2f}' for run in runs)} s" if len(runs) > 1 else ""
        print(
            f"  {name:<36} {cpu:6.2f} s CPU ({system:.2f} s system, {wall:6.2f} s wall{memory}{each}; "
            f"the fixed loop just before: {loop:.2f} s)  {goal}\n"
            f"      {said}"
        )
    return missed


def target_of(name: str) -> float | None:
    if name.startswith("cold"):
        return 40.0
    if name.startswith(("again", "the next day")):
        return 1.0
    return 3.0


def sizes(root: Path, out: Path) -> bool:
    files = [p for p in out.rglob("*") if p.is_file()]
    print(f"  site: {len(files):,} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB")
    home = (out / "index.html").stat().st_size
    missed = home >= 200_000
    print(f"  {'home page':<36} {home / 1000:7.1f} KB  target < 200 KB {'MISSED' if missed else 'met'}")
    size = (out / "search-index.js").stat().st_size
    records = sum(p.stat().st_size for p in (root / "meetings").rglob("*.yaml"))
    ok = size <= 0.5 * records
    print(
        f"  {'search index (search-index.js)':<36} {size / 1e6:7.2f} MB  {size / records:.2f} x the meeting files "
        f"({records / 1e6:.1f} MB); target <= 0.5 x {'met' if ok else 'MISSED'}"
    )
    return missed or not ok


QUERIES = ("president", "prime minister", '"united states"', "visit* france", "secretary state trade", "esiden")


def search_times(out: Path) -> bool:
    """The search page in headless Chromium from file://: opening it (reading the index, the first
    search preparing it) against opening the home page (the floor), and each query's own time.
    Returns whether a target was missed (a query over 200 ms, opening over 2 s more than the floor)."""
    import shutil as which

    browser, driver = which.which("chromium"), which.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        browser = None
    if not browser or not driver:
        print("  search in the browser                 n/a: needs chromium, chromium-driver and selenium")
        return False
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    profile = tempfile.mkdtemp(prefix="kb-bench-chromium-")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    chrome = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    loaded = "return performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
    missed = False
    try:
        chrome.get((out / "index.html").as_uri())
        floor = chrome.execute_script(loaded)
        for query in QUERIES:
            from urllib.parse import urlencode

            chrome.get((out / "search.html").as_uri() + "?" + urlencode({"q": query}))
            opened = chrome.execute_script(loaded)
            prepare, search = chrome.execute_script(
                "return [window.KB_PREPARE_MS, window.KB_SEARCH_MS - window.KB_PREPARE_MS]"
            )
            status = chrome.find_element("id", "search-status").text
            ok = search <= 200 and opened + prepare <= floor + 2000
            missed |= not ok
            print(
                f"  search {query!r:<27} {search:7.0f} ms  opening {opened + prepare:.0f} ms (index read "
                f"{opened:.0f}, prepared {prepare:.0f}; home page {floor:.0f}); {status}; "
                f"target <= 200 ms, opening <= home + 2 s {'met' if ok else 'MISSED'}"
            )
    finally:
        chrome.quit()
        which.rmtree(profile, ignore_errors=True)
    return missed


if __name__ == "__main__":
    main()
