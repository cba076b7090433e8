"""The cache of parsed records and of check results is invisible except in speed: the same
findings, in the same order, with or without it, serial or parallel."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import VISITS, examples, keep_named
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.store import cache, files, loader, reading, schemas

REPO = Path(__file__).resolve().parents[1]
# The benchmark generator builds larger knowledge bases from the visits data beside the repository.
needs_visits = pytest.mark.skipif(
    not VISITS.is_dir(), reason=f"the visits data is not beside the repository ({VISITS}; or set KB_SHARED)"
)
BAD_TOPIC_MEETING = """\
    id: 2024-08-01-naqvi-blome
    title: A second meeting
    date: 2024-08-01
    status: held
    participants:
      - person: mohsin-naqvi
        side: PK
    topics: [counter-narcotic]
    sources:
      - url: https://example.org/second
    """
SCHEMA_ERROR_MEETING = """\
    id: 2024-09-01-broken
    title: Broken
    date: 2024-02-30
    status: done
    participants:
      - person: mohsin-naqvi
        side: PK
    sources:
      - url: https://example.org/broken
    """


def settle(root: Path) -> None:
    """Age every file past the racy window, as files are in a real checkout."""
    past = time.time() - 3600
    for path in root.rglob("*.yaml"):
        os.utime(path, (past, past))


@pytest.fixture
def validations(monkeypatch):
    """The relative paths of the files actually parsed and validated (not taken from the cache)."""
    seen = []
    real = files.validate_bytes

    def spy(raw, relpath, kind):
        seen.append(relpath)
        return real(raw, relpath, kind)

    monkeypatch.setattr(files, "validate_bytes", spy)
    return seen


def findings_of(kb):
    from kb.checks import runner as check

    return check.run(kb)


def test_second_load_reads_nothing_and_finds_the_same(make_kb, validations):
    root = make_kb({"meetings/2024-09-01-broken.yaml": SCHEMA_ERROR_MEETING})
    first = findings_of(loader.load(root))
    assert len(validations) == 7
    validations.clear()
    second = findings_of(loader.load(root))
    assert validations == []
    assert second == first
    # The schema errors of the unchanged broken file come from the cache, with their positions.
    assert [(f.code, f.line) for f in second if f.path == "meetings/2024-09-01-broken.yaml"] == [
        ("KB500", 3),
        ("KB203", 4),
    ]
    assert (root / ".kb-cache" / ".gitignore").read_text().endswith("*\n")


def test_an_edited_file_is_checked_again(make_kb, check_json):
    root = make_kb()
    findings, code = check_json(root)
    assert (findings, code) == ([], 0)
    settle(root)
    assert check_json(root) == ([], 0)  # now also from the check-result cache
    (root / "meetings/2024-08-01-naqvi-blome.yaml").write_text(
        BAD_TOPIC_MEETING.replace("    ", "", 1).replace("\n    ", "\n"), encoding="utf-8"
    )
    findings, code = check_json(root)
    assert code == 1
    assert [(f["path"], f["code"], f["message"]) for f in findings] == [
        ("meetings/2024-08-01-naqvi-blome.yaml", "KB402", "unknown topic 'counter-narcotic'")
    ]
    path = root / "meetings/2024-08-01-naqvi-blome.yaml"
    path.write_text(path.read_text().replace("counter-narcotic]", "counter-narcotics]"), encoding="utf-8")
    assert check_json(root) == ([], 0)


def test_a_touched_but_identical_file_is_still_a_hit(make_kb, validations):
    root = make_kb()
    loader.load(root)
    validations.clear()
    later = time.time() + 10
    os.utime(root / "people/donald-blome.yaml", (later, later))
    loader.load(root)
    assert validations == []


def test_same_size_different_content_is_a_miss(make_kb, validations):
    root = make_kb()
    path = root / "people/donald-blome.yaml"
    loader.load(root)
    before = path.stat()
    path.write_text(path.read_text().replace("Donald Bloom", "Donald Bluum"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime: only the hash tells
    validations.clear()
    kb = loader.load(root)
    assert validations == ["people/donald-blome.yaml"]
    assert kb.people["donald-blome"].data["aliases"][0]["name"] == "Donald Bluum"


@pytest.mark.parametrize("change", ["version", "schema", "config"])
def test_version_schema_or_config_change_invalidates(make_kb, validations, monkeypatch, change):
    root = make_kb()
    loader.load(root)
    validations.clear()
    loader.load(root)
    assert validations == []
    if change == "version":
        monkeypatch.setattr(cache, "__version__", "99.0.0")
    elif change == "schema":
        monkeypatch.setattr(schemas, "fingerprint", lambda: "another schema")
    else:
        config = root / "kb.yaml"
        config.write_text(config.read_text().replace("CLEAR", "GREEN"), encoding="utf-8")
    loader.load(root)
    assert len(validations) == len(files.discover(root))


@pytest.mark.parametrize("damage", [b"", b"kb-cache\n", b"garbage \x00\xff" * 10, "truncate"])
def test_a_corrupt_cache_is_ignored_and_rebuilt(make_kb, validations, damage):
    root = make_kb({"meetings/2024-09-01-broken.yaml": SCHEMA_ERROR_MEETING})
    expected = findings_of(loader.load(root))
    shards = sorted((root / ".kb-cache").glob("records-*.bin"))
    assert shards
    for shard in shards:
        if damage == "truncate":
            shard.write_bytes(shard.read_bytes()[: len(shard.read_bytes()) * 2 // 3])
        else:
            shard.write_bytes(damage)
    (root / ".kb-cache" / "snapshot.bin").unlink()  # in front of the shards: without it they are read
    validations.clear()
    assert findings_of(loader.load(root)) == expected
    assert len(validations) == 7
    assert shards and [shard.read_bytes()[: len(cache.MAGIC)] for shard in shards] == [cache.MAGIC] * len(shards)
    validations.clear()
    assert findings_of(loader.load(root)) == expected
    assert validations == []


def test_a_foreign_entry_shape_is_a_miss(make_kb, validations):
    root = make_kb()
    loader.load(root)
    store = cache.RecordCache.open(root)
    for shard in store.shards:
        for relpath in shard:
            shard[relpath] = ("not", "an", "entry")
        store.dirty.add(0)
    store.dirty.update(range(cache.SHARDS))
    store.save(set().union(*store.shards))
    (root / ".kb-cache" / "snapshot.bin").unlink()  # in front of the shards: without it they are read
    validations.clear()
    kb = loader.load(root)
    assert len(validations) == len(files.discover(root))
    assert set(kb.people) == {"donald-blome", "mohsin-naqvi"}


def test_no_cache_gives_identical_findings_and_writes_nothing(make_kb, run_kb, monkeypatch):
    root = make_kb(
        {
            "meetings/2024-09-01-broken.yaml": SCHEMA_ERROR_MEETING,
            "meetings/2024-08-01-naqvi-blome.yaml": BAD_TOPIC_MEETING,
        }
    )
    uncached = run_kb("--no-cache", "check", "--format", "json", kb=root)
    assert not (root / ".kb-cache").exists()
    monkeypatch.setenv("KB_NO_CACHE", "1")
    assert run_kb("check", "--format", "json", kb=root).output == uncached.output
    assert not (root / ".kb-cache").exists()
    monkeypatch.delenv("KB_NO_CACHE")
    cold = run_kb("check", "--format", "json", kb=root)
    settle(root)
    warm = run_kb("check", "--format", "json", kb=root)
    from_check_cache = run_kb("check", "--format", "json", kb=root)
    assert (root / ".kb-cache" / "check.bin").exists()
    assert uncached.output == cold.output == warm.output == from_check_cache.output
    assert uncached.exit_code == from_check_cache.exit_code == 1
    codes = [f["code"] for f in json.loads(uncached.output)]
    assert codes == ["KB402", "KB500", "KB203"]
    text = run_kb("check", root / "meetings/2024-08-01-naqvi-blome.yaml", kb=root).output
    assert "unknown topic 'counter-narcotic'" in text and "2024-02-30" not in text


def test_a_later_process_validates_with_the_stored_schema_code(make_kb, run_kb, monkeypatch):
    """The first run stores the schemas' compiled checks; a later one that reads a changed file
    (here `kb search` after an edit) runs them as stored, compiling nothing, and still reports
    a schema error; with --no-cache nothing is read from the cache folder and it compiles."""
    from kb.store import schemacode

    root = make_kb()
    assert run_kb("check", kb=root).exit_code == 0
    assert (root / cache.FOLDER / reading.SCHEMA_CODE).exists()
    settle(root)

    def new_process():
        monkeypatch.setattr(schemas, "_CODES", {})
        schemas._fast_validator.cache_clear()

    compiled = []
    real = schemacode.schema_code
    monkeypatch.setattr(schemacode, "schema_code", lambda *args: compiled.append(1) or real(*args))
    path = root / "meetings/2024-07-13-naqvi-blome.yaml"
    path.write_text(path.read_text().replace("\ntitle: ", "\ntitle: Zanzibar talks, ", 1), encoding="utf-8")
    new_process()
    result = run_kb("search", "zanzibar", kb=root)
    assert "2024-07-13-naqvi-blome" in result.output
    assert compiled == []
    path.write_text(path.read_text().replace("\nstatus: held", "\nstatus: hold", 1), encoding="utf-8")
    new_process()
    findings = json.loads(run_kb("check", "--format", "json", kb=root).output)
    assert [(f["path"], f["code"]) for f in findings] == [("meetings/2024-07-13-naqvi-blome.yaml", "KB203")]
    assert compiled == []
    new_process()
    assert json.loads(run_kb("--no-cache", "check", "--format", "json", kb=root).output) == findings
    assert compiled != []


def test_check_cache_is_void_on_another_day(make_kb):
    from kb.checks import runner as check

    root = make_kb({"meetings/2024-07-13-naqvi-blome.yaml": None})
    settle(root)
    import datetime as dt

    loads = []

    def load(listing=None):
        loads.append(1)
        return loader.load(root, listing=listing)

    check.run_cached(root, load, today=dt.date(2030, 1, 1))
    check.run_cached(root, load, today=dt.date(2030, 1, 1))
    assert len(loads) == 1
    check.run_cached(root, load, today=dt.date(2030, 1, 2))
    assert len(loads) == 2


def generated_kb(tmp_path: Path, meetings: int) -> Path:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    root = tmp_path / "generated"
    generate.generate(meetings, root, VISITS)
    keep_named(root)  # some 2,000 people and organisations at any count: those the meetings name
    # A few deliberate findings, so that order and content are compared, not just emptiness.
    first = sorted((root / "meetings").iterdir())[3]
    first.write_text(first.read_text().replace("status: held", "status: helld"), encoding="utf-8")
    busiest = json.loads((root / "benchmark.json").read_text(encoding="utf-8"))["busiest"]  # whom tests brief
    person = next(path for path in sorted((root / "people").iterdir())[5:] if path.stem != busiest)
    person.write_text(person.read_text() + "nickname: x\n", encoding="utf-8")
    return root


@needs_visits
def test_parallel_and_serial_loads_are_identical(tmp_path, monkeypatch):
    root = generated_kb(tmp_path, 300)
    serial = loader.load(root, use_cache=False, parallel=False)
    monkeypatch.setattr(reading, "CHUNK", 37)
    parallel = loader.load(root, use_cache=False, parallel=True)
    monkeypatch.setattr(reading, "PARALLEL_THRESHOLD", 1)
    automatic = loader.load(root, use_cache=True)
    cached = loader.load(root, use_cache=True)
    expected = findings_of(serial)
    assert {f.code for f in expected} >= {"KB203", "KB201"}
    for kb in (parallel, automatic, cached):
        assert findings_of(kb) == expected
        assert {i: m.data for i, m in kb.meetings.items()} == {i: m.data for i, m in serial.meetings.items()}
        some = next(iter(kb.meetings.values()))
        assert dict(some.positions) == dict(serial.meetings[some.id].positions)


@needs_visits
def test_two_concurrent_checks_both_succeed(tmp_path):
    root = generated_kb(tmp_path, 800)
    env = {**os.environ, "KB_NO_CACHE": ""}
    command = [sys.executable, "-m", "kb", "--kb", str(root), "check", "--format", "json"]
    expected = subprocess.run([*command[:3], "--no-cache", *command[3:]], capture_output=True, text=True, env=env)
    for _round in range(2):  # first both cold, then both warm
        runs = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for _ in range(2)
        ]
        outputs = [run.communicate() for run in runs]
        for run, (out, err) in zip(runs, outputs, strict=True):
            assert run.returncode == expected.returncode == 1, err
            assert out == expected.stdout
            assert "Traceback" not in err
    # the two deliberate errors; the generated roles (a term per person from first to last visit)
    # also overlap in places, which KB608 reports as warnings
    assert [f["code"] for f in json.loads(expected.stdout) if f["severity"] == "error"] == ["KB203", "KB201"]


VALID_MEETING = {
    "id": "m",
    "title": "t",
    "date": "2024-01-01",
    "status": "held",
    "participants": [{"person": "p", "side": "US", "title": "x", "role": "lead"}],
    "outcomes": [{"id": "o", "kind": "commitment", "text": "t", "due": "2024-10", "status": "open"}],
    "sources": [{"url": "https://example.org", "published": "2024-01-02"}],
}
PATHS = [
    ("date",),
    ("status",),
    ("participants", 0, "side"),
    ("outcomes", 0, "due"),
    ("sources", 0, "published"),
    ("participants", 0, "role"),
    ("id",),
    ("title",),
    ("outcomes", 0, "status"),
    ("sources", 0, "url"),
]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 20000),
    st.floats(allow_nan=False),
    st.sampled_from(
        [
            "2024-02-30",
            "2024-13",
            "2024",
            "2024-02-29",
            "2023-02-29",
            "US",
            "us",
            "",
            "held",
            "Held",
            "lead",
            "https://x",
            "ftp://x",
            "2024~",
            "0999",
        ]
    ),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
)


@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(path=st.sampled_from(PATHS), value=VALUES)
def test_the_fast_validator_never_accepts_what_the_full_one_rejects(path, value):
    record = json.loads(json.dumps(VALID_MEETING))
    target = record
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    if schemas.fast_valid("meeting", record):
        assert list(schemas._validator("meeting").iter_errors(record)) == []


@pytest.mark.parametrize("positions", ["kept", "damaged", "removed"])
def test_positions_come_from_their_own_shards_or_from_the_file(make_kb, run_kb, positions):
    """A check that reports a finding in an unchanged (cached) meeting places it exactly as a
    reading without the cache does, whether its positions shard is there, damaged or gone."""
    root = make_kb()
    path = root / "meetings/2024-07-13-naqvi-blome.yaml"
    path.write_text(path.read_text().replace("\nsources:", "\nfollows: [2024-07-12-naqvi-blome]\nsources:", 1))
    expected = run_kb("--no-cache", "check", "--format", "json", kb=root).output
    assert '"KB404"' in expected
    run_kb("check", kb=root)
    folder = root / cache.FOLDER
    assert sorted(p.name for p in folder.glob("positions-*.bin"))
    for name in ("check.bin", "meeting-findings.bin"):  # the checks run again, on cached records
        (folder / name).unlink(missing_ok=True)
    for shard in folder.glob("positions-*.bin"):
        if positions == "damaged":
            shard.write_bytes(shard.read_bytes()[:-3] + b"\xff\xff\xff")
        elif positions == "removed":
            shard.unlink()
    assert run_kb("check", "--format", "json", kb=root).output == expected
