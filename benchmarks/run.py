"""Time kb against the targets of the performance issue, each with its floor, in one run.

    python benchmarks/run.py --sizes 1000,10000 --runs 3

For each size it generates the knowledge base once (benchmarks/generate.py, kept under --data),
then runs kb as a user does, as a subprocess, and prints one table: figure, kb's time (the median
of --runs), the floor, the ratio, the target and whether it is met. The floor is the same files
parsed with PyYAML's C loader, measured in the same run on the same machine, because the
machine's speed varies from day to day and only the ratio is comparable; a fixed loop of Python,
timed before the first figure and after the last, says how fast the machine was. Peak memory is
the largest resident set of the cold check's processes (kb and its workers).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (the generator beside this file)
import hub  # noqa: E402
import installed  # noqa: E402

MEMORY_MIB = 450  # the peak of a cold check at 100,000 meetings (issue 25)

FLOOR_SCRIPT = """
import os, sys, yaml
root = sys.argv[1]
names = ["kb.yaml", "topics.yaml"]
for folder in ("meetings", "people", "orgs"):
    names += [folder + "/" + n for n in os.listdir(os.path.join(root, folder)) if n.endswith(".yaml")]
for name in names:
    with open(os.path.join(root, name), "rb") as handle:
        yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""

# The host's speed in the same run, before the first figure and after the last.
LOOP = "s = 0\nfor i in range(10_000_000): s += i"

# The floor of every warm command: a fresh Python that stats every record file (any command must
# know which files changed since the cache was written).
STAT_SCRIPT = """
import os, sys
for folder in ("meetings", "people", "orgs"):
    with os.scandir(os.path.join(sys.argv[1], folder)) as entries:
        for entry in entries:
            entry.stat(follow_symlinks=False)
"""

MEMORY_SCRIPT = """
import os, resource, subprocess, sys
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_pid, _status, usage = os.wait4(process.pid, 0)
# ru_maxrss of the children is the largest of kb and every worker it waited for, in KiB.
print(usage.ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


@dataclass
class Row:
    figure: str
    kb: float | None
    floor: float | None = None
    target: str = ""
    ok: bool | None = None
    note: str = ""
    shown: str = ""  # what to show instead of a time
    judged_at: int = 10_000  # the size of knowledge base the target is for

    def cells(self) -> list[str]:
        kb = self.shown or ("n/a" if self.kb is None else f"{self.kb:.2f} s")
        cpu = getattr(self.kb, "cpu", None)
        if not self.shown and cpu is not None:
            kb += f" ({cpu:.2f} s CPU)"
        floor = f"{self.floor:.2f} s" if self.floor is not None else "-"
        floor_cpu = getattr(self.floor, "cpu", None)
        if floor_cpu is not None and cpu is not None:  # a warm figure, judged in CPU time
            floor += f" ({floor_cpu:.2f} s CPU)"
        ratio = f"{self.kb / self.floor:.2f}x" if self.floor and self.kb is not None else "-"
        if floor_cpu and cpu is not None:
            ratio = f"{cpu / floor_cpu:.2f}x CPU"
        result = self.note if self.ok is None else ("pass" if self.ok else "FAIL")
        return [self.figure, kb, floor, ratio, self.target, result]


def kb_command() -> list[str]:
    script = Path(sys.executable).parent / "kb"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kb"]


class Seconds(float):
    """A wall time that also carries the CPU time (user + system) of the processes it ran: the
    machine is shared, and CPU time is what the wall time would be on an idle one."""

    cpu: float | None = None


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path, env: dict) -> Seconds:
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = Seconds(time.perf_counter() - started)
    elapsed.cpu = _children_cpu() - cpu
    if done.returncode not in (0, 1):
        raise SystemExit(f"run.py: {' '.join(command)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed


def median(runs: int, action, before=None) -> Seconds:
    times = []
    for number in range(runs):
        if before:
            before(number)
        times.append(action())
    middle = Seconds(statistics.median(times))
    cpus = [t.cpu for t in times if getattr(t, "cpu", None) is not None]
    middle.cpu = statistics.median(cpus) if cpus else None
    return middle


def command_exists(kb: list[str], name: str, cwd: Path, env: dict) -> bool:
    done = subprocess.run([*kb, name, "--help"], cwd=cwd, env=env, capture_output=True)
    return done.returncode == 0


def ensure_kb(size: int, data: Path, visits: Path) -> tuple[Path, dict]:
    import json

    folder = data / f"meetings-{size}"
    info_file = folder / "benchmark.json"
    if info_file.exists():
        info = json.loads(info_file.read_text())
        if info.get("meetings") == size:
            return folder, info
    if folder.exists():
        shutil.rmtree(folder)
    started = time.perf_counter()
    info = generate.generate(size, folder, visits)
    print(f"generated {size:,} meetings in {time.perf_counter() - started:.1f} s at {folder}", file=sys.stderr)
    return folder, info


def measure(size: int, folder: Path, info: dict, runs: int, kb: list[str]) -> list[Row]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("KB_NO_CACHE", None)
    env.pop("KB_DIR", None)
    big = size >= 100_000
    label = f"{size:,}"
    cache = folder / ".kb-cache"
    rows = []

    def check() -> float:
        return timed([*kb, "check"], folder, env)

    floor = median(runs, lambda: timed([sys.executable, "-c", FLOOR_SCRIPT, str(folder)], folder, env))
    cold_limit = 2.5 if big else 2.0
    cold = median(runs, check, before=lambda _n: shutil.rmtree(cache, ignore_errors=True))
    rows.append(
        Row(f"{label}: cold `kb check` (no cache)", cold, floor, f"<= {cold_limit} x floor", cold <= cold_limit * floor)
    )

    check()  # warm the cache (the runs above left it cold-built; this one settles the check cache)
    warm = median(runs, check)
    warm_limit = 3.0 if big else 0.5
    rows.append(
        Row(f"{label}: warm `kb check`, nothing changed", warm, floor, f"<= {warm_limit} s", warm <= warm_limit)
    )

    edited = folder / info["edit"]
    original = edited.read_bytes()

    def edit(number: int) -> None:
        edited.write_bytes(original + f"# benchmark edit {number} {time.time_ns()}\n".encode())

    try:
        after_edit = median(runs, check, before=edit)
    finally:
        edited.write_bytes(original)
    if not big:
        rows.append(
            Row(f"{label}: warm `kb check` after editing one meeting", after_edit, floor, "<= 0.7 s", after_edit <= 0.7)
        )
    else:
        rows.append(
            Row(f"{label}: warm `kb check` after editing one meeting", after_edit, floor, "-", None, "(no target)")
        )
    check()

    for command in ("brief", "timeline"):
        figure = f"{label}: warm `kb {command}` busiest counterpart ({info['busiest']})"
        if not command_exists(kb, command, folder, env):
            rows.append(Row(figure, None, None, "<= 0.5 s", None, "n/a: command missing"))
            continue
        run = [*kb, command, info["busiest"]]
        timed(run, folder, env)
        took = median(runs, lambda run=run: timed(run, folder, env))
        rows.append(
            Row(
                figure,
                took,
                floor,
                "<= 0.5 s" if not big else "-",
                took <= 0.5 if not big else None,
                "" if not big else "(no target)",
            )
        )

    rows.append(peak_memory(label, folder, kb, env, big))
    return rows


def peak_memory(label: str, folder: Path, kb: list[str], env: dict, big: bool) -> Row:
    """The largest resident set of a cold `kb check` (no cache): of kb's own process and of its
    largest worker, judged at 100,000 meetings on the larger of the two."""
    shutil.rmtree(folder / ".kb-cache", ignore_errors=True)
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, *kb, "check"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    main_kib, largest_kib = int(out[0]), int(out[1])
    workers = max(1, (os.cpu_count() or 1))
    # Workers are forked and share the parent's pages, so this sum over-counts: an upper bound.
    bound_mib = (main_kib + workers * largest_kib) / 1024 if largest_kib > main_kib else main_kib / 1024
    peak_mib = max(main_kib, largest_kib) / 1024
    return Row(
        f"{label}: peak memory, cold check (kb process / largest worker; bound)",
        None,
        None,
        f"<= {MEMORY_MIB} MiB" if big else "-",
        peak_mib <= MEMORY_MIB if big else None,
        "",
        f"{main_kib / 1024:.0f} / {largest_kib / 1024:.0f} MiB; {bound_mib:.0f} MiB",
        judged_at=100_000,
    )


SUGGEST_SCRIPT = """
import sys, time
from pathlib import Path
from kb.store import loader
from kb.checks import references
kb = loader.load(Path(sys.argv[1]))
started, cpu = time.perf_counter(), time.process_time()
found = [f for f in references.known_meetings(kb) if "did you mean" in f.hint]
print(time.perf_counter() - started, len(found), time.process_time() - cpu)
"""


def ensure_hub(size: int, data: Path, dirty: bool) -> tuple[Path, dict]:
    folder = data / f"hub{'-dirty' if dirty else ''}-{size}"
    info = hub.written(folder, size)
    if info is not None:
        return folder, info
    if folder.exists():
        shutil.rmtree(folder)
    started = time.perf_counter()
    info = hub.generate(size, folder, dirty)
    print(
        f"generated the {info['shape']} shape, {size:,} meetings, in {time.perf_counter() - started:.1f} s at {folder}",
        file=sys.stderr,
    )
    return folder, info


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "-c",
            "user.name=kb benchmark",
            "-c",
            "user.email=kb@example.org",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def ensure_diff_repo(source: Path, info: dict, repo: Path) -> tuple[Path, str, str]:
    """The hub knowledge base in a git repository with two commits: the second edits one meeting
    (its title and an outcome's status), renames one person (the old id kept in former_ids) and
    adds one meeting. Returns the repository and both commits."""
    import json

    done = repo / "benchmark-diff.json"
    if done.exists():
        known = json.loads(done.read_text())
        if known.get("meetings") == info["meetings"]:
            return repo, known["base"], known["head"]
    if repo.exists():
        shutil.rmtree(repo)
    shutil.copytree(source, repo, ignore=shutil.ignore_patterns(".kb-cache", ".formatted", "benchmark.json"))
    (repo / ".gitignore").write_text(".kb-cache/\nbenchmark-diff.json\n")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "records")
    base = _git(repo, "rev-parse", "HEAD").strip()
    edited = repo / info["edit"]
    text = edited.read_text(encoding="utf-8")
    text = text.replace("\ntitle: ", "\ntitle: Revised ", 1).replace("status: open", "status: done", 1)
    edited.write_text(text, encoding="utf-8")
    added = edited.with_name(edited.stem + "-b.yaml")
    added.write_text(text.replace(f"id: {edited.stem}\n", f"id: {added.stem}\n", 1), encoding="utf-8")
    person = repo / "people" / f"{info['busiest']}.yaml"
    renamed = person.with_name(f"{info['busiest']}-renamed.yaml")
    lines = person.read_text(encoding="utf-8").replace(
        f"id: {info['busiest']}\n", f"id: {renamed.stem}\nformer_ids:\n  - {info['busiest']}\n", 1
    )
    renamed.write_text(lines, encoding="utf-8")
    person.unlink()
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "three records changed")
    head = _git(repo, "rev-parse", "HEAD").strip()
    done.write_text(json.dumps({"meetings": info["meetings"], "base": base, "head": head}) + "\n")
    return repo, base, head


def output_size(command: list[str], cwd: Path, env: dict) -> int:
    return len(subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False).stdout)


def stat_floor(runs: int, folder: Path, env: dict) -> Seconds:
    return median(runs, lambda: timed([sys.executable, "-c", STAT_SCRIPT, str(folder)], folder, env))


def measure_warm(label: str, folder: Path, info: dict, runs: int, kb: list[str], env: dict) -> list[Row]:
    """`kb search` right after one meeting's title was edited (the new word must be found), judged
    in CPU time beside the floor of stat'ing every file."""
    rows = []
    edited = folder / info["edit"]
    original = edited.read_bytes()
    words: list[str] = []

    def edit(number: int) -> None:
        words.append(f"benchmarkedit{number}x{time.time_ns()}")
        edited.write_bytes(original.replace(b"\ntitle: ", f"\ntitle: {words[-1]} ".encode(), 1))

    timed([*kb, "search", "visa"], folder, env)  # the search index, built once
    try:
        took = median(runs, lambda: timed([*kb, "search", words[-1]], folder, env), before=edit)
        found = subprocess.run([*kb, "search", words[-1]], cwd=folder, env=env, capture_output=True, text=True).stdout
    finally:
        edited.write_bytes(original)
    rows.append(
        Row(
            f"{label}: `kb search` right after editing one meeting's title",
            took,
            stat_floor(runs, folder, env),
            "<= 0.3 s CPU, finds the edit",
            took.cpu is not None and took.cpu <= 0.3 and words[-1] in found,
        )
    )
    return rows


def check_rows(label: str, folder: Path, floor: Seconds, runs: int, kb: list[str], env: dict) -> list[Row]:
    """A cold `kb check` (the cache removed) against the floor, in CPU (kb and its workers against
    the floor's one process: <= 1.1 x) and in wall time on every core (<= 0.7 x), and its findings."""
    cache = folder / ".kb-cache"
    cold = median(
        runs, lambda: timed([*kb, "check"], folder, env), before=lambda _n: shutil.rmtree(cache, ignore_errors=True)
    )
    cpu, floor_cpu = Seconds(cold.cpu or 0.0), Seconds(floor.cpu or 0.0)
    load = os.getloadavg()[0]
    rows = [
        Row(
            f"{label}: cold `kb check`, CPU of kb and its workers",
            cpu,
            floor_cpu,
            "<= 1.1 x floor (CPU)",
            cpu <= 1.1 * floor_cpu,
        ),
        Row(
            f"{label}: cold `kb check`, wall on {os.cpu_count()} cores (load {load:.1f})",
            Seconds(float(cold)),
            Seconds(float(floor)),
            "<= 0.7 x floor (wall)",
            cold <= 0.7 * floor,
        ),
    ]
    findings = subprocess.run(
        [*kb, "check", "--format", "json"], cwd=folder, env=env, capture_output=True, text=True
    ).stdout
    rows.append(Row(f"{label}: findings of `kb check`", None, None, "-", None, "", str(findings.count('"code"'))))
    return rows


def warm_rows(label: str, folder: Path, floor: Seconds, runs: int, kb: list[str], env: dict, big: bool) -> list[Row]:
    """A warm `kb check` with nothing changed, in CPU time beside the floor: the issue's bound
    at 10,000 meetings, and its own at 100,000."""
    limit, judged_at = (0.6, 100_000) if big else (0.15, 10_000)
    timed([*kb, "check"], folder, env)
    timed([*kb, "check"], folder, env)  # the check cache settled
    warm = median(runs, lambda: timed([*kb, "check"], folder, env))
    cpu = Seconds(warm.cpu or 0.0)
    return [
        Row(
            f"{label}: warm `kb check`, nothing changed (CPU)",
            cpu,
            Seconds(floor.cpu or 0.0),
            f"<= {limit} s",
            cpu <= limit,
            judged_at=judged_at,
        )
    ]


def measure_hub(size: int, data: Path, runs: int, kb: list[str], only_check: bool = False) -> list[Row]:
    """The figures of issue 14 on the hub shape: our minister in every meeting (with
    ``only_check``, those of `kb check` alone: cold, warm and memory)."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("KB_NO_CACHE", None)
    env.pop("KB_DIR", None)
    label = f"hub {size:,}"
    folder, info = ensure_hub(size, data, dirty=False)
    floor = median(runs, lambda: timed([sys.executable, "-c", FLOOR_SCRIPT, str(folder)], folder, env))
    rows = check_rows(label, folder, floor, runs, kb, env)
    big = size >= 100_000
    rows.append(peak_memory(label, folder, kb, env, big))
    repo, base, head = ensure_diff_repo(folder, info, data / f"hub-git-{size}")
    rows += warm_rows(label, folder, floor, runs, kb, env, big)
    if only_check or big:
        return rows  # the brief, fmt and dirty figures are judged at 10,000 meetings
    rows += measure_warm(label, folder, info, runs, kb, env)
    for who, limit_s in ((info["hub"], 0.5), (info["busiest"], 0.3)):
        run = [*kb, "brief", who]
        timed(run, folder, env)
        took = median(runs, lambda run=run: timed(run, folder, env))
        size_kb = output_size(run, folder, env) / 1000
        meetings = info["hub_meetings"] if who == info["hub"] else info["busiest_meetings"]
        rows.append(
            Row(
                f"{label}: warm `kb brief {who}` ({meetings:,} meetings of their own)",
                took,
                stat_floor(runs, folder, env),
                f"<= {limit_s} s CPU",
                took.cpu is not None and took.cpu <= limit_s,
            )
        )
        rows.append(
            Row(
                f"{label}: size of that brief (Markdown)",
                None,
                None,
                "<= 300 KB",
                size_kb <= 300,
                "",
                f"{size_kb:,.0f} KB",
            )
        )
    # The generated records are not all in kb fmt's layout: formatted once (untimed), as a
    # repository under `kb fmt --check` in CI is; then checked warm, as each CI run does.
    if not (folder / ".formatted").exists():
        timed([*kb, "fmt"], folder, env)
        (folder / ".formatted").write_text("kb fmt ran\n")
    timed([*kb, "fmt", "--check"], folder, env)
    took = median(runs, lambda: timed([*kb, "fmt", "--check"], folder, env))
    rows.append(
        Row(
            f"{label}: warm `kb fmt --check` ({size + info['people'] + info['orgs']:,} records)",
            took,
            floor,
            "<= 1 s",
            took <= 1.0,
        )
    )

    timed([*kb, "check"], repo, env)  # the record cache, as a user's last check left it
    run = [*kb, "diff", base, head]
    timed(run, repo, env)
    took = median(runs, lambda: timed(run, repo, env))
    rows.append(
        Row(f"{label}: warm `kb diff` between two commits (3 records changed)", took, floor, "<= 1 s", took <= 1.0)
    )

    folder, info = ensure_hub(size, data, dirty=True)
    label = f"hub dirty {size:,}"
    timed([*kb, "check"], folder, env)
    github = median(runs, lambda: timed([*kb, "check", "--format", "github"], folder, env))
    text = median(runs, lambda: timed([*kb, "check"], folder, env))
    lines = (
        subprocess.run(
            [*kb, "check", "--format", "github"], cwd=folder, env=env, capture_output=True, text=True
        ).stdout.count("\n")
        + 1
    )
    rows.append(
        Row(f"{label}: warm `kb check`, {lines:,} findings as text", text, github, "<= 2 x github", text <= 2 * github)
    )
    out = subprocess.run(
        [sys.executable, "-c", SUGGEST_SCRIPT, str(folder)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    took, suggested = Seconds(out[0]), int(out[1])
    took.cpu = float(out[2])
    rows.append(
        Row(
            f'{label}: KB404 with "did you mean" for {suggested:,} unknown meeting ids',
            took,
            None,
            "<= 1 s",
            took <= 1.0,
        )
    )
    return rows


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from kb import __version__

    return (
        f"kb {__version__}; Python {platform.python_version()}; {os.cpu_count()} cores (nproc); {cpu}; "
        f"{platform.system()} {platform.release()}; {time.strftime('%Y-%m-%d')}"
    )


def table(rows: list[Row]) -> str:
    header = ["figure", "kb", "floor (PyYAML C)", "ratio", "target", "result"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="meeting counts, comma-separated (default: 1000,10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is shown (default: 3)")
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(tempfile.gettempdir()) / "kb-bench",
        help="where generated knowledge bases are kept between runs",
    )
    parser.add_argument("--visits", type=Path, default=generate.DEFAULT_VISITS, help="the visits data")
    parser.add_argument(
        "--shapes",
        default="visits,hub",
        help="visits (benchmarks/generate.py), hub (benchmarks/hub.py, clean and dirty) or both (default: visits,hub)",
    )
    parser.add_argument(
        "--figures",
        choices=("all", "check"),
        default="all",
        help="check: only `kb check` on the hub shape (cold, warm in and out of git, memory)",
    )
    args = parser.parse_args(argv)
    print(installed.bytecode(args.data), file=sys.stderr)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    shapes = {s.strip() for s in args.shapes.split(",") if s.strip()}
    kb = kb_command()
    rows = []
    with tempfile.TemporaryDirectory() as empty:
        env = {**os.environ}
        speed = [timed([sys.executable, "-c", LOOP], Path(empty), env).cpu]
        version = median(args.runs, lambda: timed([*kb, "--version"], Path(empty), env))
    rows.append(Row("`kb --version`", version, None, "<= 0.15 s", version <= 0.15))
    for size in sizes:
        if "visits" in shapes:
            folder, info = ensure_kb(size, args.data, args.visits)
            measured = measure(size, folder, info, args.runs, kb)
            rows += measured if size in (10_000, 100_000) else informative(measured, size)
        if "hub" in shapes:
            measured = measure_hub(size, args.data, args.runs, kb, args.figures == "check")
            rows += informative(measured, size)
        print(f"measured {size:,}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as empty:
        speed.append(timed([sys.executable, "-c", LOOP], Path(empty), env).cpu)
    print(machine())
    print(
        f"the host's speed: a fixed loop of Python took {speed[0]:.2f} s of CPU before the first figure and "
        f"{speed[1]:.2f} s after the last (it drifts by up to 2x within minutes on shared machines)"
    )
    print(f"median of {args.runs} runs\n")
    print(table(rows))
    if any(row.ok is False for row in rows):
        sys.exit(1)


def informative(rows: list[Row], size: int) -> list[Row]:
    """Each target is for one size (10,000 meetings; memory and the warm check at 100,000 have
    their own): at other sizes the figures are shown for comparison, not judged."""
    for row in rows:
        if row.ok is not None and row.judged_at != size:
            row.note, row.ok = f"({'met' if row.ok else 'missed'}; target is for 10,000)", None
    return rows


if __name__ == "__main__":
    main()
