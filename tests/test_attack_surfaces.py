"""Trust under attack for the newest surfaces: the site's later pages, the search shards file, the
cold check's spill files, KB_TODAY and the cache warnings. A hostile value or planted file is
refused or ignored with a clear sentence: never followed, never a traceback, nothing written
through it."""

import pytest

# -- KB_TODAY: refused by name, shown escaped, at the calendar's ends no crash -----------------------


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (
            "\x1b[2J2025-01-01",
            "'\\x1b[2J2025-01-01' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD, "
            "adding ~ when approximate or ? when uncertain",
        ),
        (
            "99999-01-01",
            "'99999-01-01' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD, "
            "adding ~ when approximate or ? when uncertain",
        ),
        ("0000-01-01", "'0000-01-01' has year 0000; years run from 0001 to 9999"),
        ("0000", "'0000' has year 0000; years run from 0001 to 9999"),
    ],
)
def test_a_hostile_kb_today_is_refused_escaped(run_kb, repo, value, said):
    result = run_kb("due", kb=repo, env={"KB_TODAY": value})
    assert (result.exit_code, result.stderr, result.stdout) == (2, f"kb: error: KB_TODAY: {said}\n", "")
    assert "\x1b" not in result.output


def test_an_empty_kb_today_is_the_clock(run_kb, repo):
    assert run_kb("due", kb=repo, env={"KB_TODAY": ""}).output == run_kb("due", kb=repo).output


@pytest.mark.parametrize("command", [("due",), ("due", "--within", "1y"), ("brief", "PK"), ("check",)])
def test_the_last_day_of_the_calendar_is_a_day_like_another(run_kb, repo, command):
    result = run_kb(*command, kb=repo, env={"KB_TODAY": "9999-12-31"})
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output


def test_a_record_dated_year_0000_is_a_finding_not_a_crash(repo, check_json):
    meeting = repo / "meetings/2024-07-13-naqvi-blome.yaml"
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(text.replace("date: 2024-07-13", "date: 0000-01-01", 1), encoding="utf-8")
    findings, code = check_json(repo)
    assert code == 1
    assert [(f["path"], f["line"], f["code"], f["message"]) for f in findings] == [
        ("meetings/2024-07-13-naqvi-blome.yaml", 4, "KB500", "'0000-01-01' has year 0000; years run from 0001 to 9999")
    ]
