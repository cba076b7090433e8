"""Hub-shaped data: our minister is in nearly every meeting, and that alone never makes two
meetings one (KB601); "did you mean" among thousands of meeting ids; the hub generator."""

import datetime as dt
import itertools
import random
import textwrap

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

AMBASSADOR = """\
    id: {id}
    name: {name}
    country: {country}
    roles:
      - title: Ambassador to Pakistan
        post: {post}
        start: 2022-01
    """


def meeting(mid: str, day: str, *people: tuple[str, str], orgs=(), place="Islamabad", title="Talks") -> str:
    lines = [
        f"id: {mid}",
        f"title: {title}",
        f"date: {day}",
        "status: held",
        "location:",
        f"  place: {place}",
        "  country: PK",
        "participants:",
    ]
    for person, side in people:
        lines += [f"  - person: {person}", f"    side: {side}"]
    for org, side in orgs:
        lines += [f"  - org: {org}", f"    side: {side}"]
    lines += ["sources:", "  - url: https://example.org/report"]
    return "\n".join(lines) + "\n"


HUB = {
    "people/jane-marriott.yaml": AMBASSADOR.format(
        id="jane-marriott", name="Jane Marriott", country="GB", post="gb-high-commissioner-pakistan"
    ),
    "people/ali-rizvi.yaml": textwrap.dedent("""\
        id: ali-rizvi
        name: Ali Rizvi
        country: PK
        """),
    "orgs/uk-nca.yaml": "id: uk-nca\nname: National Crime Agency\ncountry: GB\n",
    "orgs/us-embassy.yaml": "id: us-embassy\nname: US Embassy Islamabad\ncountry: US\n",
}
NAQVI, BLOME, MARRIOTT, RIZVI = (
    ("mohsin-naqvi", "PK"),
    ("donald-blome", "US"),
    ("jane-marriott", "GB"),
    ("ali-rizvi", "PK"),
)


def kb601(make_kb, check_json, meetings: dict[str, str]) -> list[tuple[str, str]]:
    root = make_kb(
        {
            **HUB,
            "meetings/2024-07-13-naqvi-blome.yaml": None,
            **{f"meetings/{mid}.yaml": text for mid, text in meetings.items()},
        }
    )
    findings, _code = check_json(root)
    return [(f["path"], f["message"]) for f in findings if f["code"] == "KB601"]


def test_our_minister_meeting_two_counterparts_on_one_day_is_two_meetings(make_kb, check_json):
    assert (
        kb601(
            make_kb,
            check_json,
            {
                "2024-07-13-a": meeting("2024-07-13-a", "2024-07-13", NAQVI, RIZVI, BLOME),
                "2024-07-13-b": meeting("2024-07-13-b", "2024-07-13", NAQVI, RIZVI, MARRIOTT),
                "2024-07-14-c": meeting("2024-07-14-c", "2024-07-14", NAQVI, RIZVI, orgs=[("uk-nca", "GB")]),
            },
        )
        == []
    )


def test_the_same_counterpart_within_a_day_is_still_one_meeting(make_kb, check_json):
    assert kb601(
        make_kb,
        check_json,
        {
            "2024-07-13-a": meeting("2024-07-13-a", "2024-07-13", NAQVI, BLOME),
            "2024-07-14-b": meeting("2024-07-14-b", "2024-07-14", NAQVI, RIZVI, BLOME),
        },
    ) == [
        (
            "meetings/2024-07-14-b.yaml",
            "probably the same meeting as meetings/2024-07-13-a.yaml (2024-07-13, with donald-blome)",
        )
    ]


def test_a_counterpart_met_by_different_people_of_ours_is_two_meetings(make_kb, check_json):
    assert (
        kb601(
            make_kb,
            check_json,
            {
                "2024-07-13-a": meeting("2024-07-13-a", "2024-07-13", NAQVI, BLOME),
                "2024-07-13-b": meeting("2024-07-13-b", "2024-07-13", RIZVI, BLOME),
            },
        )
        == []
    )


def test_meetings_without_a_named_counterpart_compare_by_organisation_and_place(make_kb, check_json):
    found = kb601(
        make_kb,
        check_json,
        {
            "2024-07-13-a": meeting("2024-07-13-a", "2024-07-13", NAQVI, orgs=[("uk-nca", "GB")]),
            "2024-07-13-b": meeting("2024-07-13-b", "2024-07-13", NAQVI, orgs=[("uk-nca", "GB")], title="Other"),
            "2024-07-13-c": meeting("2024-07-13-c", "2024-07-13", NAQVI, orgs=[("us-embassy", "US")]),
            "2024-07-13-d": meeting("2024-07-13-d", "2024-07-13", NAQVI, orgs=[("uk-nca", "GB")], place="Lahore"),
        },
    )
    assert found == [
        (
            "meetings/2024-07-13-b.yaml",
            "probably the same meeting as meetings/2024-07-13-a.yaml "
            "(2024-07-13, with the same organisations and place)",
        )
    ]


def test_meetings_of_our_side_alone_compare_by_title_and_place(make_kb, check_json):
    found = kb601(
        make_kb,
        check_json,
        {
            "2024-07-13-a": meeting("2024-07-13-a", "2024-07-13", NAQVI, title="Briefing on the NCA"),
            "2024-07-14-b": meeting("2024-07-14-b", "2024-07-14", NAQVI, title="Briefing on the NCA."),
            "2024-07-14-c": meeting("2024-07-14-c", "2024-07-14", NAQVI, title="Police passing-out parade"),
        },
    )
    assert found == [
        (
            "meetings/2024-07-14-b.yaml",
            "probably the same meeting as meetings/2024-07-13-a.yaml (2024-07-13, with the same title and place)",
        )
    ]


def test_only_meetings_dated_to_the_day_and_not_cancelled_are_compared_across_a_month_s_end(make_kb, check_json):
    """A day's meetings are found from each meeting's date as its head keeps it: a month alone is
    no day, a cancelled meeting none; the day before the first of a month is the month's last;
    a counterpart named by a former id is that person."""
    meetings = {
        "2024-07-31-a": meeting("2024-07-31-a", "2024-07-31", NAQVI, BLOME),
        "2024-08-01-b": meeting("2024-08-01-b", "2024-08-01", NAQVI, ("old-blome", "US")),
        "2024-08-c": meeting("2024-08-c", "2024-08", NAQVI, BLOME),
        "2024-08-02-d": meeting("2024-08-02-d", "2024-08-02", NAQVI, BLOME).replace("held", "cancelled"),
    }
    root = make_kb(
        {
            **HUB,
            "meetings/2024-07-13-naqvi-blome.yaml": None,
            "people/donald-blome.yaml": "id: donald-blome\nname: Donald Blome\ncountry: US\nformer_ids: [old-blome]\n",
            **{f"meetings/{mid}.yaml": text for mid, text in meetings.items()},
        }
    )
    findings, _code = check_json(root)
    assert [(f["path"], f["message"]) for f in findings if f["code"] == "KB601"] == [
        (
            "meetings/2024-08-01-b.yaml",
            "probably the same meeting as meetings/2024-07-31-a.yaml (2024-07-31, with donald-blome)",
        )
    ]


def test_kb601_lets_go_of_the_meetings_it_decoded_to_compare_in_a_large_knowledge_base(make_kb, monkeypatch):
    """Meetings without counterpart people are compared by title and place, read only then: in a
    knowledge base large enough that checks let go of what they decode, those are let go of too."""
    from kb.checks.meetings import no_duplicate_meetings
    from kb.checks.runner import ReleasingView
    from kb.store import loader, reading

    root = make_kb(
        {
            **HUB,
            "meetings/2024-07-13-a.yaml": meeting("2024-07-13-a", "2024-07-13", NAQVI, title="Briefing on the NCA"),
            "meetings/2024-07-14-b.yaml": meeting("2024-07-14-b", "2024-07-14", NAQVI, title="Briefing on the NCA."),
        }
    )
    loader.load(root)  # the record cache written: the next load gives each meeting as a blob
    monkeypatch.setattr(reading, "LARGE", 0)
    kb = loader.load(root)
    assert kb.release_after_use
    found = [f.path for f in no_duplicate_meetings(ReleasingView(kb))]
    assert found == ["meetings/2024-07-14-b.yaml"]
    assert not [m.id for m in kb.meetings.values() if m.holds_data()]


# --- "did you mean" among many choices ----------------------------------------------------------

ID_PARTS = [
    "naqvi",
    "malik",
    "blome",
    "baker",
    "biggar",
    "rana",
    "qureshi",
    "ishikawa",
    "delegation",
    "us",
    "gb",
    "de",
    "hamid",
    "iqbal",
    "kimura",
    "pires",
]


def many_ids(seed: int) -> list[str]:
    """Meeting ids as a hub's are: a date, our minister, a counterpart; more than a whole scan takes."""
    rng = random.Random(seed)
    ids = set()
    while len(ids) < 400:
        day = dt.date(1996, 1, 1) + dt.timedelta(days=rng.randrange(11000))
        ids.add(f"{day}-{rng.choice(ID_PARTS)}-{rng.choice(ID_PARTS)}")
    return sorted(ids)


@settings(max_examples=examples(40), deadline=None)
@given(seed=st.integers(0, 2**32), pick=st.integers(0, 399), at=st.integers(0, 30), edit=st.sampled_from("dsrq"))
def test_suggestions_among_many_choices_find_what_a_whole_scan_finds(seed, pick, at, edit):
    from rapidfuzz import fuzz, process, utils

    from kb.model.text import SCAN_LIMIT, ranked

    ids = many_ids(seed)
    assert len(ids) > SCAN_LIMIT
    target = ids[pick]
    at %= len(target) - 1
    query = {
        "d": target[:at] + target[at + 1 :],
        "s": target[:at] + target[at + 1] + target[at] + target[at + 2 :],
        "r": target[:at] + "x" + target[at + 1 :],
        "q": target[:at] + "q" + target[at:],
    }[edit]
    whole = process.extract(query, ids, scorer=fuzz.WRatio, processor=utils.default_process, limit=1, score_cutoff=70)
    found = ranked(query, set(ids), limit=1)
    # The same best score (the same choice, or one as close: ties are ordered alike only in a scan).
    assert [fuzz.WRatio(query, f, processor=utils.default_process) for f in found] == [s for _c, s, _i in whole]


FAMILIES = [
    "naqvi",
    "rana",
    "malik",
    "qureshi",
    "durrani",
    "hamid",
    "xu",
    "laine",
    "moreau",
    "kimura",
    "pires",
    "wieczorek",
    "ekwueme",
    "yilmaz",
    "esposito",
    "renner",
    "valdes",
    "okafor",
    "bakirov",
    "lindqvist",
]


def hub_ids(seed: int) -> list[str]:
    """Meeting ids as a hub's are: a date, our minister, a counterpart or a country's delegation,
    now and then a second meeting of the day ('-2')."""
    rng = random.Random(seed)
    ids: set[str] = set()
    while len(ids) < 600:
        day = dt.date(1996, 1, 1) + dt.timedelta(days=rng.randrange(11000))
        them = rng.choice([*FAMILIES[6:], f"{rng.choice(['us', 'gb', 'dz', 'pl', 'ke'])}-delegation"])
        ident = f"{day}-{rng.choice(FAMILIES[:6])}-{them}"
        ids.add(f"{ident}-2" if ident in ids else ident)
    return sorted(ids)


def typo(ident: str, part: str, edit: str, at: int, letter: str) -> str:
    """``ident`` with one letter dropped, swapped with the next, changed or added, in its date
    (the first ten characters) or in its slug."""
    start, end = (0, 10) if part == "date" else (11, len(ident))
    i = start + at % (end - start - (edit == "swap"))
    if edit == "drop":
        return ident[:i] + ident[i + 1 :]
    if edit == "swap":
        return ident[:i] + ident[i + 1] + ident[i] + ident[i + 2 :]
    if edit == "change":
        return ident[:i] + letter + ident[i + 1 :]
    return ident[:i] + letter + ident[i:]


@settings(max_examples=examples(300), deadline=None)
@given(
    seed=st.integers(0, 2**32),
    pick=st.integers(0, 599),
    part=st.sampled_from(["date", "slug"]),
    edit=st.sampled_from(["drop", "swap", "change", "add"]),
    at=st.integers(0, 40),
    letter=st.sampled_from("0123456789aeiouqxz-"),
)
def test_meeting_id_suggestions_are_as_good_as_a_whole_scan(seed, pick, part, edit, at, letter):
    """Looked up by date and slug, a typo'd meeting id is answered as an exhaustive scan of every id
    answers it: the same best score, and the id meant whenever the scan suggests it."""
    from rapidfuzz import fuzz, process, utils

    from kb.model.text import ranked

    ids = hub_ids(seed)
    target = ids[pick]
    query = typo(target, part, edit, at, letter)
    if query in ids:
        return
    whole = process.extract(query, ids, scorer=fuzz.WRatio, processor=utils.default_process, limit=3, score_cutoff=70)
    found = ranked(query, set(ids), limit=3)
    scores = [fuzz.WRatio(query, f, processor=utils.default_process) for f in found]
    assert scores[:1] == [s for _c, s, _i in whole][:1]
    assert target in found or target not in [c for c, _s, _i in whole]
    assert scores == sorted(scores, reverse=True) and all(s >= 70 for s in scores)


def test_a_typo_in_a_hubs_meeting_id_names_no_meeting_above_the_audience(make_kb, check_json):
    """Among hundreds of meetings, the hint of KB404 still never names one marked above
    brief_audience, and names the meeting meant when it may."""
    from conftest import BASE_FILES

    files: dict[str, str | None] = {
        "kb.yaml": BASE_FILES["kb.yaml"] + "brief_audience: GREEN\n",
        "meetings/2024-07-13-naqvi-blome.yaml": None,
    }
    for n in range(320):
        day = dt.date(2000, 1, 1) + dt.timedelta(days=3 * n)
        files[f"meetings/{day}-naqvi-blome.yaml"] = meeting(f"{day}-naqvi-blome", str(day), NAQVI, BLOME)
    files["meetings/2000-01-01-naqvi-blome.yaml"] += "sensitivity: RED\n"
    files["meetings/2000-01-04-naqvi-blome.yaml"] += "follows: [2000-01-01-naqvi-blomr]\n"
    files["meetings/2000-01-07-naqvi-blome.yaml"] += "follows: [2000-01-10-naqvi-blomr]\n"
    findings, _code = check_json(make_kb(files))
    hints = {f["path"]: f["hint"] for f in findings if f["code"] == "KB404"}
    assert "did you mean" in hints["meetings/2000-01-04-naqvi-blome.yaml"]
    assert "2000-01-01-naqvi-blome" not in hints["meetings/2000-01-04-naqvi-blome.yaml"]
    assert hints["meetings/2000-01-07-naqvi-blome.yaml"].startswith("did you mean '2000-01-10-naqvi-blome'")


def test_the_hub_generator_never_has_one_counterpart_met_twice_within_a_day():
    """Meetings drawn around the days an ambassador's post changes hands, more than every other
    day: each lands on a day when whoever then holds the post is free, or is left to another."""
    import re
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    try:
        import hub
    finally:
        sys.path.pop(0)
    rng = random.Random(3)
    plan = hub.make_plan(rng)
    writer = hub.Writer(plan, rng, dirty=False)
    code, country = hub.COUNTRIES[0]
    changes = [holder.start for holder in plan.ambassadors[code][1:]]
    met: dict[str, list[int]] = {}
    for _n in range(1500):
        day = rng.choice(changes) + dt.timedelta(days=rng.randint(-30, 30))
        made = writer.meeting(day, code, country, rng.choice(["ambassador", "visit"]))
        if made is not None:
            when = dt.date.fromisoformat(re.search(r"^date: (\S+)$", made[1], re.M)[1]).toordinal()
            for person in re.findall(rf"person: (\S+)\n\s+org: \S+\n\s+side: {code}\n", made[1]):
                met.setdefault(person, []).append(when)
    assert len(met) > 2
    for days in met.values():
        days.sort()
        assert all(b - a > 1 for a, b in itertools.pairwise(days))


@pytest.mark.slow
def test_the_site_benchmark_moves_the_last_site_aside_and_gives_the_edited_records_back(tmp_path):
    """benchmarks/site.py at 30 meetings: every build is timed (each scenario three times, the
    median judged), the last site and cache are set aside before the cold build (not removed then:
    see its doc) and gone at the end, and the records it edited hold their bytes again."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).parent.parent / "benchmarks" / "site.py"
    run = [sys.executable, str(script), "--count", "30", "--data", str(tmp_path), "--no-browser"]
    subprocess.run(run, capture_output=True, text=True, check=False)  # makes the hub and a site
    root = tmp_path / "site-hub-30"
    info = json.loads((root / "benchmark.json").read_text())
    edited = [root / info["edit"], root / "people" / f"{info['busiest']}.yaml"]
    before = [path.read_bytes() for path in edited]
    planted = tmp_path / "site-hub-30-site" / "planted.txt"
    planted.write_text("left by the last run")
    done = subprocess.run(run, capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    lines = done.stdout.splitlines()
    assert [line.split("  ")[1].strip() for line in lines if line.startswith("  ") and " s CPU (" in line][:7] == [
        "cold build (no site, no cache)",
        "again, nothing changed",
        "after editing one title",
        "after editing one summary",
        "after editing one outcome's status",
        "after renaming a person",
        "the next day, nothing changed",
    ]
    assert any(line.startswith("  floor: write a copy of every output file") for line in lines)
    assert any(line.startswith("  floor: a fixed loop, after them") for line in lines)
    cold = next(n for n, line in enumerate(lines) if line.startswith("  cold build"))
    assert "; the 3 runs: " in lines[cold]  # the median of three cold builds judged
    assert " written, 0 unchanged" in lines[cold + 1]  # nothing of the last site was left to find
    title = next(n for n, line in enumerate(lines) if line.startswith("  after editing one title"))
    assert "; the 3 runs: " in lines[title]  # three edits, each built and timed, the median judged
    assert " 0 written" not in lines[title + 1]  # the median's build wrote the edited pages
    assert all("the fixed loop just before: " in line for line in lines if " s CPU (" in line and "floor:" not in line)
    assert [path.read_bytes() for path in edited] == before
    assert not planted.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pycache", "site-hub-30", "site-hub-30-site"]
