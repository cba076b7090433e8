"""Briefs that stay briefs: the newest meetings in full, older ones one line each, all counted by
year; on the repository's own records nothing is left out by default."""

import datetime as dt
import json

import pytest
from conftest import RECORDS, REPO

SUBJECTS = sorted(p.stem for folder in ("people", "orgs", "meetings") for p in (REPO / folder).glob("*.yaml"))


def brief(run_kb, *args, kb=RECORDS):
    result = run_kb("brief", *args, "--as-of", "2026-11-26", kb=kb)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("subject", [*SUBJECTS, "US", "GB", "PK"])
def test_repository_briefs_keep_everything_by_default(run_kb, subject):
    assert brief(run_kb, subject) == brief(run_kb, subject, "--all")
    default = json.loads(brief(run_kb, subject, "--format", "json"))
    everything = json.loads(brief(run_kb, subject, "--format", "json", "--all"))
    assert default["summarised"]["in_full"] == default["summarised"]["total"] == len(default["meetings"])
    assert default["earlier"] == [] and default["summarised"]["counted_only"] == 0
    assert default["summarised"]["limit"] == 10 and everything["summarised"]["limit"] is None
    del default["summarised"], everything["summarised"]
    assert default == everything


def test_a_brief_on_the_repository_shows_no_summary_sections(run_kb):
    md = brief(run_kb, "natalie-baker")
    assert "## Earlier meetings" not in md and "## Meetings by year" not in md and "newest of" not in md


def long_history(make_kb, count=25):
    """Mohsin Naqvi meets Donald Blome ``count`` times, 20 days apart from 5 January 2023."""
    files = {"meetings/2024-07-13-naqvi-blome.yaml": None}
    first = dt.date(2023, 1, 5)
    for n in range(count):
        day = first + dt.timedelta(days=20 * n)
        files[f"meetings/{day}-naqvi-blome.yaml"] = f"""\
            id: {day}-naqvi-blome
            title: Talks number {n + 1}
            date: {day}
            status: held
            location:
              place: Islamabad
              country: PK
            participants:
              - person: mohsin-naqvi
                side: PK
              - person: donald-blome
                side: US
            topics: [{"extradition" if n % 3 == 0 else "counter-narcotics"}]
            outcomes:
              - id: talks
                kind: commitment
                text: Talk again.
                status: {"open" if n == 0 else "fulfilled"}
            sources:
              - url: https://example.org/report-{n + 1}
            """
    return make_kb(files), [first + dt.timedelta(days=20 * n) for n in range(count)]


def test_a_long_history_is_summarised(make_kb, run_kb):
    root, days = long_history(make_kb)
    context = json.loads(brief(run_kb, "donald-blome", "--limit", "2", "--format", "json", kb=root))
    assert context["summarised"] == {
        "limit": 2,
        "all": False,
        "total": 25,
        "in_full": 2,
        "in_table": 20,
        "counted_only": 3,
    }
    assert [m["title"] for m in context["meetings"]] == ["Talks number 25", "Talks number 24"]
    assert [m["title"] for m in context["earlier"]] == [f"Talks number {n}" for n in range(23, 3, -1)]
    assert context["earlier"][0] == {
        "id": f"{days[22]}-naqvi-blome",
        "title": "Talks number 23",
        "date": {
            "value": str(days[22]),
            "human": f"{days[22].day} {days[22]:%B %Y}",
            "precision": "day",
            "approximate": False,
            "uncertain": False,
        },
        "status": "held",
        "place": "Islamabad",
        "country": {"code": "PK", "name": "Pakistan"},
        "with": ["Donald Blome"],
        "relation": "direct",
        "via": None,
        "outcomes": 1,
        "open": 0,
    }
    years = {y["year"]: y for y in context["by_year"]}
    assert sorted(years, reverse=True) == [y["year"] for y in context["by_year"]] == [2024, 2023]
    assert sum(y["meetings"] for y in years.values()) == 25
    assert years[2023] == {
        "year": 2023,
        "meetings": 19,
        "direct": 19,
        "predecessor": 0,
        "country": 0,
        "topics": [
            {"id": "counter-narcotics", "label": "Counter-narcotics", "count": 12},
            {"id": "extradition", "label": "Extradition", "count": 7},
        ],
    }
    # Only the meetings in full bring their sources; every open commitment is still listed.
    assert [s["url"] for s in context["sources"]] == ["https://example.org/report-25", "https://example.org/report-24"]
    assert [c["meeting"]["title"] for c in context["commitments"]] == ["Talks number 1"]
    assert context["summary"]["meetings"] == context["summary"]["met"] == 25


def test_the_summary_in_markdown(make_kb, run_kb):
    root, days = long_history(make_kb)
    md = brief(run_kb, "donald-blome", "--limit", "2", kb=root)
    assert md.count("\n### ") == 2
    assert (
        "The 2 newest of 25 meetings in full; the older ones are summarised below (`--all` shows every one in full)."
    ) in md
    assert "## Earlier meetings\n\n20 older meetings, one line each; 3 older still are counted by year only.\n" in md
    assert f"| {days[22].day} {days[22]:%B %Y} | Talks number 23 | Donald Blome | Islamabad | 1 |\n" in md
    assert "| 2023 | 19 | 19 | 0 | 0 | Counter-narcotics (12), Extradition (7) |\n" in md
    assert md.index("## Meetings, newest first") < md.index("## Earlier meetings") < md.index("## Meetings by year")


def test_default_limit_all_and_html(make_kb, run_kb):
    root, _days = long_history(make_kb)
    default = json.loads(brief(run_kb, "donald-blome", "--format", "json", kb=root))
    assert (len(default["meetings"]), len(default["earlier"])) == (10, 15)
    everything = json.loads(brief(run_kb, "donald-blome", "--all", "--format", "json", kb=root))
    assert (len(everything["meetings"]), everything["earlier"]) == (25, [])
    assert everything["summarised"] == {
        "limit": None,
        "all": True,
        "total": 25,
        "in_full": 25,
        "in_table": 0,
        "counted_only": 0,
    }
    html = brief(run_kb, "donald-blome", "--limit", "1", "--format", "html", kb=root)
    assert '<section id="earlier">' in html and '<section id="by-year">' in html
    assert "10 older meetings, one line each; 14 older still are counted by year only." in html


def test_a_negative_limit_is_a_usage_error(run_kb):
    result = run_kb("brief", "donald-blome", "--limit", "-1", kb=RECORDS)
    assert result.exit_code == 2
    assert "-1 is not in the range x>=0" in result.output


# --- kb show on a long history --------------------------------------------------------------------


def show(run_kb, *args, kb=RECORDS):
    result = run_kb("show", *args, kb=kb)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(
    "subject", ["mohsin-naqvi", "natalie-baker", "pk-ministry-of-interior", "2025-12-06-naqvi-baker"]
)
def test_show_on_the_repository_lists_everything_by_default(run_kb, subject):
    assert show(run_kb, subject) == show(run_kb, subject, "--all")
    assert "not shown" not in show(run_kb, subject)


def test_show_lists_the_newest_meetings_and_counts_the_others(make_kb, run_kb):
    root, days = long_history(make_kb)
    text = show(run_kb, "donald-blome", "--limit", "3", kb=root)
    listed = text.split("Meetings\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert listed == [
        "  … 22 earlier meetings not shown (2023: 19, 2024: 3); --all lists every one",
        *[f"  {day}  {day}-naqvi-blome  Talks number {n + 1}" for n, day in enumerate(days) if n >= 22],
    ]
    everything = show(run_kb, "donald-blome", "--all", kb=root)
    assert all(f"{day}-naqvi-blome" in everything for day in days) and "not shown" not in everything
    # a meeting's earlier and later meetings with the same counterparts are cut the same way
    middle = show(run_kb, f"{days[12]}-naqvi-blome", "--limit", "2", kb=root)
    assert "  … 10 earlier meetings not shown (2023: 10); --all lists every one\n" in middle
    assert "  … 10 later meetings not shown; --all lists every one\n" in middle
    # JSON always lists every one
    data = json.loads(run_kb("show", "donald-blome", "--format", "json", "--limit", "1", kb=root).stdout)
    assert len(data["backlinks"]["meetings"]) == 25
