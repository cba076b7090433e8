"""The incremental `kb check` and the other speed-ups are invisible except in speed: the same
findings in the same order, and the same briefs and timelines, with the caches as without."""

import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from kb.checks import registry
from kb.checks import runner as check
from kb.store import cache, files, loader, reading

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_cache import generated_kb, needs_visits, settle
from test_check_codes import CASES, M

SECOND = "meetings/2024-08-01-naqvi-blome.yaml"
SECOND_MEETING = """\
id: 2024-08-01-naqvi-blome
title: A second meeting
date: 2024-08-01
status: held
participants:
  - person: mohsin-naqvi
    side: PK
sources:
  - url: https://example.org/second
"""


@pytest.fixture
def subsets(monkeypatch):
    """How many meetings each incremental run gave its per-meeting checks to go through: first
    those that do not read the day, then those that do (each part keeps its own cache). The
    whole-run cache is left out, so that every run is one (it would answer once files age)."""
    monkeypatch.setattr(cache.CheckCache, "get", lambda self: None)
    seen = []
    real = check.MeetingSubset

    def spy(kb, meetings, others):
        seen.append(len(meetings))
        return real(kb, meetings, others)

    monkeypatch.setattr(check, "MeetingSubset", spy)
    return seen


def uncached(run_kb, root, *args):
    return run_kb("--no-cache", *args, kb=root)


def same_as_uncached(run_kb, root, *args):
    """Run with the caches and without; both outputs and exit codes must be the same."""
    expected = uncached(run_kb, root, *args)
    got = run_kb(*args, kb=root)
    assert got.output == expected.output
    assert got.exit_code == expected.exit_code
    return got


@pytest.mark.parametrize("code,files,path,line", CASES, ids=[c[0] for c in CASES])
def test_every_code_is_found_alike_cold_and_after_an_edit(code, files, path, line, make_kb, run_kb, subsets):
    root = make_kb({**files, SECOND: SECOND_MEETING})
    if code == "KB106":
        (root / M).write_bytes((root / M).read_bytes().replace(b"Ambassador\n", b"Ambassador \xff\n", 1))
    if code == "KB110":
        (root / path).mkdir()
    args = ("check", "--format", "json")
    cold = same_as_uncached(run_kb, root, *args)
    assert code in {f["code"] for f in json.loads(cold.output)}
    second = root / SECOND
    second.write_text(second.read_text() + "# edited\n", encoding="utf-8")
    subsets.clear()
    same_as_uncached(run_kb, root, *args)
    # Only the edited meeting went through the per-meeting checks again.
    assert subsets == [1, 1]
    second.write_text(second.read_text().replace("status: held", "status: planned"), encoding="utf-8")
    after = same_as_uncached(run_kb, root, *args)
    assert "KB503" in {f["code"] for f in json.loads(after.output)}


@pytest.mark.parametrize("code,files,path,line", CASES, ids=[c[0] for c in CASES])
def test_every_code_is_found_alike_a_few_meetings_at_a_time(code, files, path, line, make_kb, run_kb, monkeypatch):
    """In a large knowledge base meetings are kept compressed, the per-meeting checks go through a
    chunk of them at a time and every meeting's data is released after use: the findings are the
    same, cold, warm and after an edit, with and without the caches."""
    root = make_kb(
        {
            **files,
            SECOND: SECOND_MEETING,
            "meetings/2024-09-09-third.yaml": SECOND_MEETING.replace(
                "2024-08-01-naqvi-blome", "2024-09-09-third"
            ).replace("2024-08-01", "2024-09-09"),
        }
    )
    if code == "KB106":
        (root / M).write_bytes((root / M).read_bytes().replace(b"Ambassador\n", b"Ambassador \xff\n", 1))
    if code == "KB110":
        (root / path).mkdir()
    args = ("check", "--format", "json")
    expected = uncached(run_kb, root, *args)
    monkeypatch.setattr(reading, "LARGE", 1)
    monkeypatch.setattr(check, "CHUNK", 1)
    for _run in range(2):
        assert uncached(run_kb, root, *args).output == expected.output
        got = run_kb(*args, kb=root)
        assert (got.output, got.exit_code) == (expected.output, expected.exit_code)
    second = root / SECOND
    second.write_text(second.read_text() + "# edited\n", encoding="utf-8")
    assert run_kb(*args, kb=root).output == expected.output
    monkeypatch.setattr(reading, "LARGE", 10**9)
    assert run_kb(*args, kb=root).output == expected.output  # a compressed cache, read as a small one


def test_checks_declare_what_they_read():
    registry.load_all()
    reads = {entry.code: function.reads for entry, function in registry.KB_CHECKS}
    # Checks comparing meetings with each other can never be per-meeting.
    assert reads["KB301"] == "all"
    # ... and those reading the meetings alone (with the ids) keep their findings while they hold.
    assert reads["KB601"] == reads["KB406"] == reads["KB621"] == "meetings"
    assert reads["KB605"] == "no-meetings"
    assert reads["KB400"] == reads["KB600"] == "one-meeting"
    with pytest.raises(ValueError):
        registry.check("KB999", "x", registry.ERROR, reads="some")


def test_a_person_renamed_keeps_what_the_checks_of_every_meeting_found(make_kb, run_kb, subsets, monkeypatch):
    """KB601 (the same meeting twice) reads every meeting and the ids people are known by, never
    their names: a person renamed takes its findings from the last run; a person's id changed, or
    a meeting edited, runs it again. The findings are those of a run without the caches."""
    registry.load_all()
    runs = []

    def counted(function):
        def run(kb):
            runs.append(1)
            return function(kb)

        for attribute in ("reads", "meeting_ids", "day", "turns"):
            setattr(run, attribute, getattr(function, attribute))
        return run

    checks = [(entry, counted(f) if entry.code == "KB601" else f) for entry, f in registry.KB_CHECKS]
    monkeypatch.setattr(registry, "KB_CHECKS", checks)
    twice = "meetings/2024-07-14-naqvi-blome.yaml"
    root = make_kb({})
    (root / twice).write_text((root / M).read_text().replace("2024-07-13", "2024-07-14"), encoding="utf-8")
    args = ("check", "--format", "json")

    def found() -> list[str]:
        runs.clear()
        return [f["code"] for f in json.loads(same_as_uncached(run_kb, root, *args).output)]

    assert "KB601" in found()
    person = root / "people/donald-blome.yaml"
    person.write_text(person.read_text().replace("name: Donald Blome", "name: Donald Blome Jr"), encoding="utf-8")
    assert "KB601" in found()
    assert len(runs) == 1  # the run without the caches alone
    person.write_text(person.read_text() + "former_ids: [d-blome]\n", encoding="utf-8")
    assert "KB601" in found()
    assert len(runs) == 2  # the ids people are known by changed
    (root / twice).write_text((root / twice).read_text().replace("2024-07-14", "2024-07-20"), encoding="utf-8")
    assert "KB601" not in found()
    assert len(runs) == 2


def test_a_person_edit_rechecks_the_meetings_that_name_them(make_kb, run_kb, subsets):
    root = make_kb({SECOND: SECOND_MEETING})
    args = ("check", "--format", "json")
    same_as_uncached(run_kb, root, *args)
    person = root / "people/donald-blome.yaml"
    # Blome's role ends before the meeting: KB600 appears in a meeting that did not change.
    person.write_text(person.read_text().replace("end: 2024-10", "end: 2024-06"), encoding="utf-8")
    subsets.clear()
    result = same_as_uncached(run_kb, root, *args)
    # the first meeting, which names Blome, not the second; only by the checks that do not read the
    # day (none of those that do reads a person)
    assert subsets == [1, 0]
    assert [f["code"] for f in json.loads(result.output)] == ["KB600"]
    person.write_text(person.read_text().replace("name: Donald Blome", "name: Donald Blome Jr"), encoding="utf-8")
    subsets.clear()
    result = same_as_uncached(run_kb, root, *args)  # KB600's message names him
    assert subsets == [1, 0]
    assert "Donald Blome Jr held no recorded role" in json.loads(result.output)[0]["message"]
    (root / "orgs/pk-interior.yaml").write_text(
        (root / "orgs/pk-interior.yaml").read_text() + "abbreviation: MOI\n", encoding="utf-8"
    )
    subsets.clear()
    same_as_uncached(run_kb, root, *args)
    assert subsets == [0, 0]  # no per-meeting check reads more of an organisation than its id


def test_a_person_edit_rechecks_the_meetings_whose_hint_reads_every_name(make_kb, run_kb, subsets):
    """KB400's hint reads every person's names: a meeting naming an unknown person is checked again
    when any person's file changes, even one it does not name, and its hint follows."""
    unknown = SECOND_MEETING.replace("person: mohsin-naqvi", "person: m-nakvi")
    khan = "id: ali-khan\nname: Ali Khan\ncountry: PK\n"
    root = make_kb({SECOND: unknown, "people/ali-khan.yaml": khan})
    args = ("check", "--format", "json")
    before = json.loads(same_as_uncached(run_kb, root, *args).output)
    assert [(f["path"], f["code"]) for f in before] == [(SECOND, "KB400")]
    (root / "people/ali-khan.yaml").write_text(khan + "aliases:\n  - name: M Nakvi\n    kind: spelling\n")
    subsets.clear()
    after = json.loads(same_as_uncached(run_kb, root, *args).output)
    # the meeting with the unknown person, not the first (which names neither), and only by the
    # checks that do not read the day (none of those that do reads a person)
    assert subsets == [1, 0]
    assert "'ali-khan'" in after[0]["hint"] and after[0]["hint"] != before[0]["hint"]


def test_renaming_a_meeting_rechecks_references_to_it(make_kb, run_kb):
    root = make_kb(
        {SECOND: SECOND_MEETING.replace("status: held\n", "status: held\nfollows: [2024-07-13-naqvi-blome]\n")}
    )
    args = ("check", "--format", "json")
    assert json.loads(same_as_uncached(run_kb, root, *args).output) == []
    first = root / M
    renamed = root / "meetings/2024-07-14-naqvi-blome.yaml"
    renamed.write_text(first.read_text().replace("2024-07-13-naqvi-blome", "2024-07-14-naqvi-blome"), encoding="utf-8")
    first.unlink()
    found = json.loads(same_as_uncached(run_kb, root, *args).output)
    assert [(f["path"], f["code"]) for f in found] == [(SECOND, "KB404")]


def test_findings_that_depend_on_another_meeting_follow_its_edits(make_kb, run_kb, subsets):
    follow_up = (
        SECOND_MEETING
        + """outcomes:
  - id: answer
    kind: statement
    text: Answered.
    follows_up: 2024-07-13-naqvi-blome#dialogue
"""
    )
    root = make_kb({SECOND: follow_up})
    args = ("check", "--format", "json")
    assert json.loads(same_as_uncached(run_kb, root, *args).output) == []
    first = root / M
    # The outcome followed up is renamed in the other meeting: the unchanged one is now wrong.
    first.write_text(first.read_text().replace("id: dialogue", "id: talks"), encoding="utf-8")
    subsets.clear()
    found = json.loads(same_as_uncached(run_kb, root, *args).output)
    assert subsets == [1, 1]
    assert [(f["path"], f["code"]) for f in found] == [(SECOND, "KB406")]
    # The other meeting moves next to the unchanged one, with the same people: one meeting twice.
    (root / SECOND).write_text(
        follow_up.replace("#dialogue", "#talks").replace(
            "    side: PK\n", "    side: PK\n  - person: donald-blome\n    side: US\n"
        ),
        encoding="utf-8",
    )
    assert json.loads(same_as_uncached(run_kb, root, *args).output) == []
    subsets.clear()
    first.write_text(first.read_text().replace("date: 2024-07-13", "date: 2024-07-31"), encoding="utf-8")
    found = json.loads(same_as_uncached(run_kb, root, *args).output)
    assert subsets == [1, 1]
    assert [(f["path"], f["code"]) for f in found] == [(SECOND, "KB601")]


def test_a_damaged_findings_cache_is_ignored(make_kb, run_kb, subsets):
    root = make_kb({SECOND: SECOND_MEETING.replace("sources:", "topics: [narcotics]\nsources:")})
    args = ("check", "--format", "json")
    expected = same_as_uncached(run_kb, root, *args).output
    stored = root / cache.FOLDER / cache.MeetingFindingsCache.NAME
    for damage in (b"", cache.MAGIC, stored.read_bytes()[:-7], b"\x00" * 50):
        stored.write_bytes(damage)
        subsets.clear()
        assert run_kb(*args, kb=root).output == expected
        assert subsets == [2, 0]  # the checks that read the day kept their own cache
    subsets.clear()
    assert run_kb(*args, kb=root).output == expected
    assert subsets == [0, 0]


@needs_visits
def test_generated_kb_with_planted_problems_incremental_equals_full(tmp_path, run_kb, subsets):
    root = generated_kb(tmp_path, 200)  # 469 files: read in one process (the workers: test_worker_checks)
    meetings = sorted((root / "meetings").iterdir())
    people = sorted((root / "people").iterdir())
    # More planted problems: an unknown topic, a title no role matches, a duplicate meeting.
    meetings[10].write_text(
        meetings[10].read_text().replace("topics:\n", "topics:\n  - no-such-topic\n"), encoding="utf-8"
    )
    twin = meetings[20].with_name(meetings[20].name.replace(".yaml", "-twin.yaml"))
    twin.write_text(meetings[20].read_text().replace(f"id: {meetings[20].stem}", f"id: {twin.stem}"), encoding="utf-8")
    args = ("check", "--format", "json")
    full = same_as_uncached(run_kb, root, *args)
    codes = {f["code"] for f in json.loads(full.output)}
    assert {"KB201", "KB203", "KB402", "KB601"} <= codes, codes
    steps = [
        lambda: meetings[30].write_text(
            meetings[30].read_text().replace("status: held", "status: planned"), encoding="utf-8"
        ),
        lambda: meetings[10].write_text(meetings[10].read_text().replace("  - no-such-topic\n", ""), encoding="utf-8"),
        lambda: twin.unlink(),
        lambda: people[7].write_text(
            people[7].read_text().replace("roles:", "nickname: y\nroles:", 1), encoding="utf-8"
        ),
        lambda: meetings[40].unlink(),
    ]
    for number, step in enumerate(steps):
        step()
        expected = uncached(run_kb, root, *args)
        subsets.clear()  # the cached run's alone (without the cache, workers may check every meeting)
        got = run_kb(*args, kb=root)
        assert (got.output, got.exit_code) == (expected.output, expected.exit_code)
        if number == 0:
            assert subsets == [1, 1]  # a meeting's content changed: that meeting alone was checked again
    # The last step removed a meeting that others may refer to: every meeting was checked again.
    assert subsets == [len(loader.load(root).meetings)] * 2


def brief_and_timeline_args(counterparts):
    for who in counterparts:
        yield ("brief", who, "--format", "json")
        yield ("brief", who, "--format", "md")
        yield ("timeline", who, "--format", "json")
        yield ("timeline", who, "--format", "csv")
        yield ("timeline", who, "--format", "html")


def test_brief_and_timeline_are_the_same_with_and_without_caches(make_kb, run_kb, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = make_kb({SECOND: SECOND_MEETING})
    for args in brief_and_timeline_args(["donald-blome", "PK", "US", "pk-interior", "Donald Bloom"]):
        same_as_uncached(run_kb, root, *args)  # cold caches
        same_as_uncached(run_kb, root, *args)  # warm
    assert list((tmp_path / "user-cache" / "kb" / "templates").iterdir())


@needs_visits
def test_generated_brief_and_timeline_are_the_same_with_and_without_caches(tmp_path, run_kb, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    # 200 meetings (469 files, fewer than reading.PARALLEL_THRESHOLD): each run without the caches
    # reads in one process; reading in the workers has tests of its own (test_worker_checks).
    root = generated_kb(tmp_path, 200)
    busiest = json.loads((root / "benchmark.json").read_text())["busiest"]  # King Hussein, in 4 meetings
    loader.load(root)  # the record cache, warm
    for args in brief_and_timeline_args([busiest, "JO", "jo-government"]):  # Jordan's in 9
        assert same_as_uncached(run_kb, root, *args).exit_code == 0, args


def test_templates_compiled_from_the_cache_follow_an_edited_override(make_kb, run_kb, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    root = make_kb()
    (root / "templates").mkdir()
    override = root / "templates" / "timeline.md.j2"
    override.write_text("first {{ count }}\n", encoding="utf-8")
    assert run_kb("timeline", "US", "--format", "md", kb=root).output == "first 1\n"
    assert run_kb("timeline", "US", "--format", "md", kb=root).output == "first 1\n"
    override.write_text("second {{ count }}\n", encoding="utf-8")
    assert run_kb("timeline", "US", "--format", "md", kb=root).output == "second 1\n"
    for stored in (tmp_path / "user-cache" / "kb" / "templates").iterdir():
        stored.write_bytes(b"damaged")
    assert run_kb("timeline", "US", "--format", "md", kb=root).output == "second 1\n"


def test_templates_compiled_in_the_process_follow_an_edited_override(make_kb, run_kb, tmp_path, monkeypatch):
    """With --no-cache nothing is kept in the user's cache folder; compiled templates are kept in
    the process alone, and an edited template is compiled again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    root = make_kb()
    (root / "templates").mkdir()
    override = root / "templates" / "timeline.md.j2"
    override.write_text("first {{ count }}\n", encoding="utf-8")
    assert run_kb("--no-cache", "timeline", "US", "--format", "md", kb=root).output == "first 1\n"
    assert run_kb("--no-cache", "timeline", "US", "--format", "md", kb=root).output == "first 1\n"
    override.write_text("second {{ count }}\n", encoding="utf-8")
    assert run_kb("--no-cache", "timeline", "US", "--format", "md", kb=root).output == "second 1\n"
    assert not (tmp_path / "user-cache").exists()


def test_code_stamp_follows_kb_source_files(tmp_path):
    package = tmp_path / "kb"
    shutil.copytree(cache.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = cache.code_stamp(package)
    assert cache.code_stamp(package) == before
    source = package / "checks" / "roles.py"
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 1_000_000_000))
    touched = cache.code_stamp(package)
    assert touched != before
    schema = next((package / "schemas").glob("*.json"))
    schema.write_text(schema.read_text() + " ", encoding="utf-8")
    edited = cache.code_stamp(package)
    assert edited not in (before, touched)
    (package / "notes.txt").write_text("not code", encoding="utf-8")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "roles.py").write_text("compiled leftovers", encoding="utf-8")
    assert cache.code_stamp(package) == edited


def test_code_stamp_follows_the_libraries_behind_findings(tmp_path, monkeypatch):
    package = tmp_path / "kb"
    shutil.copytree(cache.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    installed = cache._library_stamps()
    assert {name for name, _info in installed} == {"pycountry", "rapidfuzz"}
    before = cache.code_stamp(package)
    upgraded = [(name, info.replace("-", "-99.", 1)) for name, info in installed]
    monkeypatch.setattr(cache, "_library_stamps", lambda: upgraded)
    assert cache.code_stamp(package) != before


def test_a_code_change_without_a_new_version_voids_the_cache(make_kb, monkeypatch):
    root = make_kb()
    loader.load(root)
    validated = []
    real = files.validate_bytes
    monkeypatch.setattr(
        files, "validate_bytes", lambda raw, relpath, kind: validated.append(relpath) or real(raw, relpath, kind)
    )
    loader.load(root)
    assert validated == []
    monkeypatch.setattr(cache, "code_stamp", lambda package=cache.PACKAGE: "another build of kb")
    loader.load(root)
    assert len(validated) == len(files.discover(root))


def test_country_names_read_without_importing_pycountry_are_pycountrys():
    import pycountry

    from kb.checks import references
    from kb.model import countries

    assert list(countries._by_code()) == [c.alpha_2 for c in pycountry.countries]
    for country in pycountry.countries:
        assert countries.name(country.alpha_2) == (getattr(country, "common_name", None) or country.name)
    current = {c.alpha_2: c.name for c in pycountry.countries}
    former = {c.alpha_2 for c in pycountry.historic_countries} - set(current)
    assert references._countries() == {
        **{code: countries.historic()[code] for code in former},
        "XK": "Kosovo",
        **current,
    }
    assert countries.name("SU") == "Soviet Union" and countries.name("BY") == current["BY"]
    assert countries.name("IR") == "Iran" and countries.name("XX") == "XX"


PLANNED = "meetings/2039-01-10-naqvi-blome.yaml"
HELD_LATER = "meetings/2039-02-01-naqvi-blome.yaml"
COMMITMENT = """\
outcomes:
  - id: visit
    kind: commitment
    text: Visit.
    due: 2039-03-15
    status: open
"""


def _days_kb(make_kb) -> Path:
    """A knowledge base whose findings on the day turn on known days: a meeting planned for
    2039-01-10 (KB503 from 2039-01-11), one marked held in February 2039 (KB503 until
    2039-02-01) with a commitment due 2039-03-15 (KB602 from 2039-03-16), and Mohsin Naqvi's role
    begun in 2024 with no end (KB609 from 2039, fifteen years on)."""
    later = SECOND_MEETING.replace("2024-08-01", "2039-02-01").replace("date: 2039-02-01", "date: 2039-02")
    return make_kb(
        {
            PLANNED: SECOND_MEETING.replace("2024-08-01", "2039-01-10").replace("status: held", "status: planned"),
            HELD_LATER: later + COMMITMENT,
        }
    )


# Each day, how many meetings have a day on which their findings turn since those were found,
# and where the three codes are found.
NAQVI = "people/mohsin-naqvi.yaml"
FUTURE, OVERDUE, PAST, OPEN_ROLE = ("KB503", HELD_LATER), ("KB602", HELD_LATER), ("KB503", PLANNED), ("KB609", NAQVI)
DAYS = [
    ("2038-12-31", 0, {FUTURE}),
    ("2039-01-01", 0, {FUTURE, OPEN_ROLE}),  # a new year: the people alone
    ("2039-01-10", 0, {FUTURE, OPEN_ROLE}),
    ("2039-01-11", 1, {FUTURE, OPEN_ROLE, PAST}),  # the planned meeting's day is past
    ("2039-01-31", 0, {FUTURE, OPEN_ROLE, PAST}),
    ("2039-02-01", 1, {OPEN_ROLE, PAST}),  # February: the held meeting is no longer to come
    ("2039-03-16", 1, {OPEN_ROLE, PAST, OVERDUE}),  # the commitment is overdue
    ("2040-06-01", 0, {OPEN_ROLE, PAST, OVERDUE}),
    ("2038-06-01", 2, {FUTURE}),  # back before both meetings' turns (not the first one's, in 2024)
]


def test_a_new_day_checks_again_only_the_meetings_whose_findings_turn(make_kb, subsets):
    """KB503, KB602 and KB609 compare dates with today: on a new day they alone go through the
    meetings again, and only those with a day on which their findings turn between the day they
    were found on and this one (KB609's findings, outside the meetings, turn with the year). On
    every day the findings are those of a run without the caches."""
    root = _days_kb(make_kb)
    kb = loader.load(root)
    first = check.run(kb, incremental_day="2038-12-30")
    assert subsets == [len(kb.meetings), len(kb.meetings)]
    assert first == check.run(loader.load(root), day=dt.date(2038, 12, 30))
    for day, again, codes in DAYS:
        subsets.clear()
        found = check.run(loader.load(root), incremental_day=day)
        assert subsets == [0, again], day
        assert found == check.run(loader.load(root), day=dt.date.fromisoformat(day)), day
        assert {(f.code, f.path) for f in found if f.code in ("KB503", "KB602", "KB609")} == codes, day
    assert {getattr(f, "day", False) for _c, f in registry.KB_CHECKS if _c.code in ("KB503", "KB602", "KB609")} == {
        True
    }


def test_kb_check_on_each_day_is_the_check_without_caches(run_kb, make_kb):
    """`kb check` with KB_TODAY, day after day with the caches, says what it says without them."""
    root = _days_kb(make_kb)
    for day in ["2038-12-30", *(day for day, _again, _codes in DAYS)]:
        env = {"KB_TODAY": day}
        expected = run_kb("--no-cache", "check", "--format", "json", kb=root, env=env)
        got = run_kb("check", "--format", "json", kb=root, env=env)
        assert (got.output, got.exit_code) == (expected.output, expected.exit_code), day


def test_the_site_checks_on_the_day_it_is_built_for(run_kb, make_kb, tmp_path):
    """The problems page of a site built --today is that day's `kb check`, cached or not."""
    root = _days_kb(make_kb)
    for day in ("2039-01-10", "2039-01-11"):
        pages = []
        for flags in ([], ["--no-cache"]):
            out = tmp_path / f"site-{len(flags)}"
            assert run_kb(*flags, "site", "build", "-o", out, "--today", day, kb=root).exit_code == 0
            pages.append((out / "problems.html").read_text(encoding="utf-8"))
        assert pages[0] == pages[1]
        assert ("is still marked planned" in pages[0]) == (day == "2039-01-11")


def test_the_checks_reading_everything_run_again_only_when_something_changed(make_kb, monkeypatch):
    """KB301, KB406, KB601 and KB621 read every meeting (and KB621 the stored copies' folder):
    a new day with no file changed takes their findings from the last run; a stored copy added
    or an edit runs them again. The findings are always those of a run without the caches."""
    twin = "meetings/2024-07-13-naqvi-blome-again.yaml"
    root = make_kb()
    text = (root / M).read_text(encoding="utf-8").replace("id: 2024-07-13-naqvi-blome", f"id: {Path(twin).stem}")
    (root / twin).write_text(text, encoding="utf-8")  # the same meeting recorded twice (KB601)
    settle(root)  # files as old as in a checkout: each one's content hash is kept
    registry.load_all()
    called = []
    real = check._call
    monkeypatch.setattr(
        check, "_call", lambda function, view, today: called.append(function) or real(function, view, today)
    )
    every = {function for _code, function in registry.KB_CHECKS if getattr(function, "reads", "all") == "all"}
    for day, changes, again in (
        ("2030-01-01", None, True),
        ("2030-01-02", None, False),
        ("2030-01-03", lambda: (root / "sources").mkdir(), True),
        ("2030-01-04", None, False),
        ("2030-01-04", lambda: _moved(root / twin, text.replace("date: 2024-07-13", "date: 2024-07-20")), True),
    ):
        if changes:
            changes()
        called.clear()
        found = check.run(loader.load(root), incremental_day=day)
        assert (every <= set(called)) == again and (again or not every & set(called)), day
        assert found == check.run(loader.load(root), day=dt.date.fromisoformat(day)), day
        assert ("KB601" in {f.code for f in found}) == (day != "2030-01-04" or not again), day


def _moved(path: Path, text: str) -> None:
    """``path`` rewritten, as old as every other file (its content hash tells it changed)."""
    path.write_text(text, encoding="utf-8")
    settle(path.parent.parent)
