"""`kb timeline`: date order with partial dates, every format, and a non-editable install."""

import csv
import io
import json
import os
import shutil
import subprocess
import sys

import html5lib
import jsonschema
import pytest
from conftest import RECORDS, REPO
from icalendar import Calendar

BLOME = "2024-07-13-naqvi-blome"
BIGGAR = "2025-11-13-naqvi-biggar"
BAKER_1 = "2025-12-06-naqvi-baker"
BAKER_2 = "2026-01-24-naqvi-baker"


def timeline_json(run_kb, *args, kb=RECORDS):
    result = run_kb("timeline", *args, "--format", "json", kb=kb)
    assert result.exit_code == 0, result.output
    context = json.loads(result.stdout)
    validator = jsonschema.Draft202012Validator(
        json.loads((REPO / "kb" / "schemas" / "timeline-output.schema.json").read_text())
    )
    assert [e.message for e in validator.iter_errors(context)] == []
    return context


def meeting(ident, date, title, side="US", person="donald-blome", **extra):
    lines = [
        f"id: {ident}",
        f"title: {title}",
        f"date: {date}",
        "status: held",
        "participants:",
        "  - {person: mohsin-naqvi, side: PK, role: lead}",
        f"  - {{person: {person}, side: {side}, role: lead}}",
        "sources:",
        '  - {url: "https://example.org/' + ident + '"}',
    ]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


PARTIAL = {
    "meetings/2024-07-13-naqvi-blome.yaml": None,
    "meetings/m-day-13.yaml": meeting("m-day-13", "2024-07-13", "Thirteenth of July"),
    "meetings/m-july.yaml": meeting("m-july", "2024-07", "Some day in July"),
    "meetings/m-day-20.yaml": meeting("m-day-20", "2024-07-20", "Twentieth of July"),
    "meetings/m-year.yaml": meeting("m-year", "2024", "Some time in 2024"),
    "meetings/m-about.yaml": meeting("m-about", "2024-08-02~", "About the second of August"),
    "meetings/m-june.yaml": meeting("m-june", "2024-06-30", "End of June"),
}


def test_partial_dates_are_placed_and_shown_honestly(make_kb, run_kb):
    kb = make_kb(PARTIAL)
    context = timeline_json(run_kb, "donald-blome", kb=kb)
    assert [(e["id"], e["date"]["human"]) for e in context["entries"]] == [
        ("m-june", "30 June 2024"),
        ("m-day-13", "13 July 2024"),
        ("m-day-20", "20 July 2024"),
        ("m-july", "July 2024"),
        ("m-about", "about 2 August 2024"),
        ("m-year", "2024"),
    ]
    text = run_kb("timeline", "donald-blome", kb=kb).stdout
    assert "July 2024  Some day in July" in text and "1 July 2024" not in text
    md = run_kb("timeline", "donald-blome", "--format", "md", kb=kb).stdout
    rows = [line for line in md.splitlines() if line.startswith("| ") and "Meeting" not in line]
    assert [row.split(" | ")[0] for row in rows] == [
        "| 30 June 2024",
        "| 13 July 2024",
        "| 20 July 2024",
        "| July 2024",
        "| about 2 August 2024",
        "| 2024",
    ]


def test_since_and_until_keep_meetings_that_may_fall_within(make_kb, run_kb):
    kb = make_kb(PARTIAL)
    ids = [e["id"] for e in timeline_json(run_kb, "donald-blome", "--since", "2024-07-15", kb=kb)["entries"]]
    assert ids == ["m-day-20", "m-july", "m-about", "m-year"]
    ids = [e["id"] for e in timeline_json(run_kb, "donald-blome", "--until", "2024-07", kb=kb)["entries"]]
    assert ids == ["m-june", "m-day-13", "m-day-20", "m-july", "m-year"]
    context = timeline_json(run_kb, "donald-blome", "--since", "2024-07-14", "--until", "2024-07-31", kb=kb)
    assert [e["id"] for e in context["entries"]] == ["m-day-20", "m-july", "m-year"]
    assert (context["since"]["value"], context["until"]["value"]) == ("2024-07-14", "2024-07-31")


def test_ics_has_one_event_per_meeting_with_honest_spans(make_kb, run_kb):
    kb = make_kb({**PARTIAL, "meetings/m-timed.yaml": meeting("m-timed", "2024-09-03", "Timed", time="'14:30'")})
    context = timeline_json(run_kb, "donald-blome", kb=kb)
    calendar = Calendar.from_ical(run_kb("timeline", "donald-blome", "--format", "ics", kb=kb).stdout)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == len(context["entries"]) == 7
    import datetime as dt

    day = events["m-day-13@kb"]
    assert (day.decoded("dtstart"), day.decoded("dtend")) == (dt.date(2024, 7, 13), dt.date(2024, 7, 14))
    month = events["m-july@kb"]
    assert (month.decoded("dtstart"), month.decoded("dtend")) == (dt.date(2024, 7, 1), dt.date(2024, 8, 1))
    assert "Date known only to the month: July 2024" in str(month["description"])
    year = events["m-year@kb"]
    assert (year.decoded("dtstart"), year.decoded("dtend")) == (dt.date(2024, 1, 1), dt.date(2025, 1, 1))
    assert events["m-timed@kb"].decoded("dtstart") == dt.datetime(2024, 9, 3, 14, 30)
    assert str(day["summary"]) == "Thirteenth of July"


def test_real_timelines(run_kb):
    assert [e["id"] for e in timeline_json(run_kb, "US")["entries"]] == [BLOME, BAKER_1, BAKER_2]
    assert [e["id"] for e in timeline_json(run_kb, "Natalie Baker")["entries"]] == [BAKER_1, BAKER_2]
    assert [e["id"] for e in timeline_json(run_kb, "NCA")["entries"]] == [BIGGAR]
    assert [e["id"] for e in timeline_json(run_kb, "PK")["entries"]] == [BLOME, BIGGAR, BAKER_1, BAKER_2]
    assert [e["id"] for e in timeline_json(run_kb, "US", "--as-of", "2024-12-31")["entries"]] == [BLOME]
    entry = timeline_json(run_kb, "donald-blome")["entries"][0]
    assert entry["with"] == ["Donald Blome (US Ambassador to Pakistan)"]
    assert entry["date"] == {
        "value": "2024-07-13",
        "human": "13 July 2024",
        "precision": "day",
        "approximate": False,
        "uncertain": False,
    }


def test_real_timeline_formats(run_kb):
    html = run_kb("timeline", "US", "--format", "html", kb=RECORDS).stdout
    html5lib.HTMLParser(strict=True).parse(html)
    assert html.index("13 July 2024") < html.index("6 December 2025") < html.index("24 January 2026")
    calendar = Calendar.from_ical(run_kb("timeline", "US", "--format", "ics", kb=RECORDS).stdout)
    assert [str(e["uid"]) for e in calendar.walk("VEVENT")] == [f"{m}@kb" for m in (BLOME, BAKER_1, BAKER_2)]
    rows = list(csv.DictReader(io.StringIO(run_kb("timeline", "GB", "--format", "csv", kb=RECORDS).stdout)))
    assert [(r["date"], r["id"], r["country"]) for r in rows] == [("2025-11-13", BIGGAR, "PK")]
    assert rows[0]["with"].startswith("Graeme Biggar (Director General of the National Crime Agency)")
    mermaid = run_kb("timeline", "natalie-baker", "--format", "mermaid", kb=RECORDS).stdout
    assert mermaid.splitlines() == [
        "timeline",
        "    title Meetings with Natalie Baker",
        "    section 2025",
        "        6 December 2025 : Interior Minister Naqvi meets US Chargé d'Affaires Baker on narcotics and illegal migration",
        "    section 2026",
        "        24 January 2026 : Interior Minister Naqvi meets US Chargé d'Affaires Baker on visa fraud and illegal migration",
    ]
    table = run_kb("timeline", "US", "--format", "table", kb=RECORDS).stdout
    assert "Meetings with United States: 3" in table and "Donald Blome" in table and "13 July 2024" in table


def test_mermaid_escapes_record_text(make_kb, run_kb):
    kb = make_kb({"meetings/2024-07-13-naqvi-blome.yaml": meeting(BLOME, "2024-07-13", '"Talks: %%{init} #1; <b>"')})
    line = run_kb("timeline", "US", "--format", "mermaid", kb=kb).stdout.splitlines()[-1]
    assert line == "        13 July 2024 : Talks#58; #37;#37;#123;init#125; #35;1#59; #60;b#62;"


def test_timeline_template_override(make_kb, run_kb):
    kb = make_kb({"templates/timeline.mermaid.j2": "{% for e in entries %}{{ e.id }}={{ e.date.value }}\n{% endfor %}"})
    assert run_kb("timeline", "US", "--format", "mermaid", kb=kb).stdout == f"{BLOME}=2024-07-13\n"


def test_output_file_format_from_its_name(run_kb, tmp_path):
    for suffix, check in (
        (".ics", lambda t: t.startswith("BEGIN:VCALENDAR")),
        (".csv", lambda t: t.startswith("date,date_human")),
        (".mmd", lambda t: t.startswith("timeline")),
        (".html", lambda t: t.startswith("<!DOCTYPE html>")),
    ):
        target = tmp_path / f"us{suffix}"
        assert run_kb("timeline", "US", "-o", target, kb=RECORDS).exit_code == 0
        assert check(target.read_text()), suffix


def test_bad_dates_are_usage_errors(run_kb):
    result = run_kb("timeline", "US", "--since", "2024-02-30", kb=RECORDS)
    assert result.exit_code == 2
    assert result.stderr == "kb: error: --since: '2024-02-30' does not exist: February 2024 has 29 days\n"


@pytest.mark.slow
@pytest.mark.network
def test_kb_brief_works_after_a_non_editable_install(tmp_path):
    """`pip install .` into a fresh virtual environment: the templates are found in site-packages."""
    source = tmp_path / "source"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", ".kb-cache"
        ),
    )
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(source)],
        check=True,
        cwd=tmp_path,
        stderr=subprocess.DEVNULL,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KB_DIR")}
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "from kb.rendering import templates; print(templates.shipped_folder())"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(venv)) and "site-packages" in where
    for fmt, expected in (
        ("md", "### 13 July 2024 — Interior Minister Naqvi meets US Ambassador Blome"),
        ("html", "<h1>Brief: Donald Blome</h1>"),
    ):
        result = subprocess.run(
            [str(bin_dir / "kb"), "--kb", str(RECORDS), "brief", "Donald Bloom", "--format", fmt],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert expected in result.stdout
