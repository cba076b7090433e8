"""A warm `kb check` with nothing changed, in parts, against the floor of listing and lstat'ing
every file, measured in the same run.

    python benchmarks/warm_check.py DIR [--runs 5]

DIR is a knowledge base (a copy of your own: the run writes its cache). One untimed `kb check`
first leaves the check cache as a user's last check does. Each part is the CPU time
(user + system) of a fresh process, the median of --runs: the whole command as a user runs it
(its text output to /dev/null); in one process, the check cache alone (listing the files, one
lstat each, digesting their stamps, reading check.bin) and the printing of its findings as text;
and the floor, a few lines of Python that list the record folders and lstat every entry.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

PARTS = """
import contextlib, datetime, io, sys, time
from pathlib import Path
from kb.checks import runner
from kb.rendering import report
root = Path(".").resolve()
started = time.process_time()
findings, files_read = runner.run_cached(root, lambda listing=None: sys.exit("the check cache missed"),
                                         today=datetime.date.today())
cached = time.process_time()
with contextlib.redirect_stdout(io.StringIO()):
    report.print_text(findings, files_read)
print(cached - started, time.process_time() - cached, len(findings))
"""

FLOOR = """
import os, time
started = time.process_time()
folders = [name for name in ("meetings", "people", "orgs") if os.path.isdir(name)]
count = 0
while folders:
    folder = folders.pop()
    for entry in os.scandir(folder):
        st = entry.stat(follow_symlinks=False)
        count += 1
        if entry.is_dir(follow_symlinks=False):
            folders.append(entry.path)
print(time.process_time() - started, count)
"""


def cpu_of(command: list[str], cwd: Path) -> float:
    before = os.times()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, check=False)
    after = os.times()
    return (after.children_user - before.children_user) + (after.children_system - before.children_system)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    folder = args.folder.resolve()
    kb = [str(Path(sys.executable).parent / "kb")]
    subprocess.run([*kb, "check"], cwd=folder, stdout=subprocess.DEVNULL, check=False)
    whole = statistics.median(cpu_of([*kb, "check"], folder) for _ in range(args.runs))
    parts = [
        subprocess.run(
            [sys.executable, "-c", PARTS], cwd=folder, capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(args.runs)
    ]
    floors = [
        subprocess.run(
            [sys.executable, "-c", FLOOR], cwd=folder, capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(args.runs)
    ]
    cached = statistics.median(float(p[0]) for p in parts)
    printed = statistics.median(float(p[1]) for p in parts)
    floor = statistics.median(float(f[0]) for f in floors)
    print(f"{folder}: {floors[0][1]} entries listed, {parts[0][2]} findings; CPU, median of {args.runs}")
    print(f"| `kb check`, whole | {whole:.2f} s |")
    print(f"| the check cache (list, lstat, digest, read check.bin) | {cached:.2f} s ({cached / floor:.2f}x floor) |")
    print(f"| printing the findings as text | {printed:.2f} s |")
    print(f"| floor: scandir and lstat every entry in Python | {floor:.2f} s |")


if __name__ == "__main__":
    main()
