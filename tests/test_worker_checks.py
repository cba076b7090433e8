"""A cold `kb check` runs the per-meeting checks in the worker processes that read the meetings
(kb.checks.runner.WorkerChecks): the findings, their order, the exit code and the output are those
of reading and checking everything in one process."""

import json
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from kb.checks import registry
from kb.checks import runner as check
from kb.store import loader, reading

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import BASE_FILES, write_hub
from test_check_codes import CASES, M

SERIAL, PARALLEL = 10**9, 0

registry.load_all()
ONE_MEETING = {entry.code for entry, function in registry.KB_CHECKS if function.reads == "one-meeting"}
MEETING_CASES = [case for case in CASES if case[0] in ONE_MEETING]
EXTRA = "meetings/2024-08-01-naqvi-blome.yaml"
# The hub's meetings, read a chunk of HUB_CHUNK files a worker task: several tasks, as a large
# knowledge base's are (reading.CHUNK is 250), at a fraction of the CPU.
HUB_MEETINGS, HUB_CHUNK = 60, 20


@pytest.fixture
def main_checked(monkeypatch):
    """How many meetings the main process gave its per-meeting checks, run by run."""
    seen = []
    real = check.MeetingSubset

    def spy(kb, meetings, others):
        seen.append(len(meetings))
        return real(kb, meetings, others)

    monkeypatch.setattr(check, "MeetingSubset", spy)
    return seen


def outputs(run_kb, root: Path, monkeypatch, threshold: int, formats: tuple[str, ...], checked=None) -> list:
    """`kb check` without a cache as JSON, then cold (the cache folder emptied) in ``formats``,
    reading in parallel or not. ``checked`` (main_checked) is left holding what the main process
    checked in the first run, the one without a cache."""
    monkeypatch.setattr(reading, "PARALLEL_THRESHOLD", threshold)
    if checked is not None:
        checked.clear()
    result = run_kb("--no-cache", "check", "--format", "json", kb=root)
    kept = list(checked) if checked is not None else []
    got = [("json", "--no-cache", result.exit_code, result.output)]
    for fmt in formats:
        for name in (root / ".kb-cache").glob("*"):
            name.unlink()
        result = run_kb("check", "--format", fmt, kb=root)
        got.append((fmt, "cold", result.exit_code, result.output))
    if checked is not None:
        checked[:] = kept
    return got


def same_either_way(run_kb, root: Path, monkeypatch, formats: tuple[str, ...] = ("text",), checked=None) -> str:
    """The outputs read in one process and in the workers, which must be the same; ``checked``
    (main_checked) is left holding what the main process checked in `kb --no-cache check` with
    the workers."""
    serial = outputs(run_kb, root, monkeypatch, SERIAL, formats)
    parallel = outputs(run_kb, root, monkeypatch, PARALLEL, formats, checked)
    for one, other in zip(serial, parallel, strict=True):
        assert one == other
    return serial[0][3]


@pytest.mark.parametrize("code,files,path,line", MEETING_CASES, ids=[c[0] for c in MEETING_CASES])
def test_every_per_meeting_code_is_found_alike_in_the_workers(
    code, files, path, line, make_kb, run_kb, monkeypatch, main_checked
):
    second = (files.get(M) or "").replace("2024-07-13-naqvi-blome", "2024-08-01-naqvi-blome")
    root = make_kb({**files, EXTRA: second or None})
    monkeypatch.setattr(reading, "CHUNK", 1)  # a worker task a file: meetings checked in several chunks
    found = json.loads(same_either_way(run_kb, root, monkeypatch, checked=main_checked))
    assert (code, path, line) in {(f["code"], f["path"], f["line"]) for f in found}
    # Only the people and organisations went through the main process's per-meeting checks (and
    # KB404 again, where a meeting's id is not its file's name).
    if code == "KB300":  # KB404 over the meetings checked, then the people and organisations
        assert main_checked == [len(loader.load(root, use_cache=False, parallel=False).meetings), 0]
    else:
        assert main_checked == [0]


@pytest.fixture(scope="module")
def hub_kb(tmp_path_factory) -> Path:
    """A dirty hub (overdue requests, sources listed twice, misspelt meeting ids) with the failing
    meeting of every per-meeting code planted under a name of its own."""
    root = tmp_path_factory.mktemp("hub") / "kb"
    write_hub(root, HUB_MEETINGS, dirty=True)
    for relpath, text in BASE_FILES.items():  # the people and organisations the cases name
        if relpath.startswith(("people/", "orgs/")) and not (root / relpath).exists():
            (root / relpath).write_text(textwrap.dedent(text), encoding="utf-8")
    config = root / "kb.yaml"
    config.write_text(config.read_text() + "require_archives: true\n", encoding="utf-8")  # for KB620
    for code, files, _path, _line in MEETING_CASES:
        text = files.get(M)
        if text is None:
            continue
        ident = f"2024-07-13-planted-{code.lower()}"
        if code != "KB300":
            text = text.replace("id: 2024-07-13-naqvi-blome", f"id: {ident}")
        (root / "meetings" / f"{ident}.yaml").write_text(text, encoding="utf-8")
        for relpath, other in files.items():
            if relpath != M and relpath.startswith(("people/", "orgs/")) and other is not None:
                (root / relpath).write_text(other, encoding="utf-8")
    return root


@pytest.mark.parametrize("mismatch", [True, False], ids=["with-KB300", "ids-are-names"])
def test_a_hub_with_every_per_meeting_code_is_checked_alike_in_the_workers(
    hub_kb, run_kb, monkeypatch, main_checked, tmp_path, mismatch
):
    """With a meeting whose id is not its file's name, KB404 is run again in the main process; the
    other way, every per-meeting check of every meeting runs in the workers alone."""
    root = tmp_path / "kb"
    shutil.copytree(hub_kb, root)
    monkeypatch.setattr(reading, "CHUNK", HUB_CHUNK)
    if not mismatch:
        (root / "meetings" / "2024-07-13-planted-kb300.yaml").unlink()
    found = json.loads(same_either_way(run_kb, root, monkeypatch, ("text", "github"), checked=main_checked))
    assert {f["code"] for f in found} >= ONE_MEETING - ({"KB300"} if not mismatch else set())
    # one meeting in four follows a misspelt meeting id: 17 of the 60
    assert sum(f["code"] == "KB404" and "did you mean" in (f["hint"] or "") for f in found) > HUB_MEETINGS // 6
    meetings = len(loader.load(root, use_cache=False).meetings)
    assert main_checked == ([meetings, 0] if mismatch else [0])


def test_with_a_brief_audience_the_hints_are_those_of_one_process(hub_kb, run_kb, monkeypatch, tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(hub_kb, root)
    monkeypatch.setattr(reading, "CHUNK", HUB_CHUNK)
    config = root / "kb.yaml"
    config.write_text(config.read_text() + "brief_audience: TLP:GREEN\n", encoding="utf-8")
    found = json.loads(same_either_way(run_kb, root, monkeypatch))
    assert any(f["code"] == "KB404" and "did you mean" in (f["hint"] or "") for f in found)


def test_the_repositorys_records_are_checked_alike_in_the_workers(repo, run_kb, monkeypatch, main_checked):
    monkeypatch.setattr(reading, "CHUNK", 1)
    same_either_way(run_kb, repo, monkeypatch, ("text", "github"), checked=main_checked)
    assert main_checked == [0]


def test_a_worker_keeps_nothing_of_the_meetings_it_checked(hub_kb, monkeypatch):
    """Workers run with the collector off (inherited from the loader): each chunk's meetings must
    go by their reference counts alone, or a worker holds every meeting it read (1.5 GB at
    100,000 hub meetings)."""
    import gc

    from kb.model.records import Meeting
    from kb.store import files

    listed = files.discover(hub_kb)
    others = [(relpath, kind) for relpath, kind in listed if kind != "meeting"]
    meetings = [(relpath, kind) for relpath, kind in listed if kind == "meeting"]
    inspector = check.WorkerChecks()
    inspector.prepare(hub_kb, [files.read_file_stamped(hub_kb, r, k)[0] for r, k in others], [r for r, _ in meetings])
    monkeypatch.setattr(reading, "_WORKER_INSPECTOR", inspector)
    collecting = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for start in range(0, len(meetings), HUB_CHUNK):
            reading.read_chunk(hub_kb, meetings[start : start + HUB_CHUNK], False, True)
        kept = [o for o in gc.get_objects() if isinstance(o, (Meeting, files.FileResult))]
    finally:
        if collecting:
            gc.enable()
    assert kept == []  # before: every meeting read, with its data
