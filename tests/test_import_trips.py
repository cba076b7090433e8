"""`kb import trips`: the Office of the Historian's travels of presidents and secretaries."""

import json
from pathlib import Path

TRIPS = Path(__file__).parent / "data" / "trips" / "secretary.xml"
US_KB = {
    "kb.yaml": "name: Trips\nour_side: US\ndefault_sensitivity: CLEAR\n",
    "meetings/2024-07-13-naqvi-blome.yaml": None,
    "people/donald-blome.yaml": None,
    "people/mohsin-naqvi.yaml": None,
}


def test_each_trip_is_a_meeting_with_the_people_and_events_its_remarks_name(make_kb, run_kb):
    root = make_kb(US_KB)
    people_before = {p.name for p in (root / "people").glob("*.yaml")}
    result = run_kb("import", "trips", str(TRIPS), "--create-people", kb=root)
    assert result.exit_code == 0, result.output
    assert (
        "3 meetings written from 1 file, 3 new people written, 1 new organisation written, 0 trips already imported, "
        "0 trips unreadable"
    ) in result.stderr
    # 'Kirghizia', as the register wrote it then, is read from the country's slug; Bishkek in
    # October 1991 was still in the Soviet Union
    assert (
        (root / "meetings" / "1991-10-02-jane-doe-askar-temirov.yaml").read_text(encoding="utf-8")
        == """\
id: 1991-10-02-jane-doe-askar-temirov
title: Meeting with President Askar Temirov and Foreign Minister Roza Bekova
date: 1991-10-02
end_date: 1991-10-03
status: held
location:
  place: Bishkek
  country: SU
participants:
  - person: jane-doe
    side: US
    role: lead
  - person: askar-temirov
    side: KG
    title: President
    role: lead
  - person: roza-bekova
    side: KG
    title: Foreign Minister
    role: delegation
summary: Met with President Askar Temirov and Foreign Minister Roza Bekova.
sources:
  - document: secretary.xml trip 9001
    publisher: Office of the Historian, U.S. Department of State
unconfirmed:
  - "secretary.xml trip 9001: 'Jane Doe' is not a known person (proposed as jane-doe); confirm who this is"
  - "secretary.xml trip 9001: 'Askar Temirov' is not a known person (proposed as askar-temirov); confirm who this is"
  - "secretary.xml trip 9001: 'Roza Bekova' is not a known person (proposed as roza-bekova); confirm who this is"
"""
    )
    summit = (root / "meetings" / "1991-11-07-jane-doe.yaml").read_text(encoding="utf-8")
    assert "title: NATO Summit\n" in summit and "mode: multilateral\n" in summit
    assert "  - org: nato\n    side: nato\n    role: delegation\n" in summit  # the summit's organisation
    assert "name: North Atlantic Treaty Organization\n" in (root / "orgs" / "nato.yaml").read_text(encoding="utf-8")
    # one person proposed once, however many trips name them
    assert sorted(p.name for p in (root / "people").glob("*.yaml") if p.name not in people_before) == [
        "askar-temirov.yaml",
        "jane-doe.yaml",
        "roza-bekova.yaml",
    ]
    check = run_kb("check", "--format", "json", kb=root)
    assert [f for f in json.loads(check.stdout) if f["severity"] == "error"] == []
    written = [str(p) for p in (root / "meetings").glob("1991-*.yaml")]
    assert "0 files would be reformatted" in run_kb("fmt", "--check", *written, kb=root).output
    again = run_kb("import", "trips", str(TRIPS), kb=root)
    assert "0 meetings written from 1 file, 0 new people" in again.stderr
    assert "3 trips already imported" in again.stderr


def test_a_file_that_is_not_a_travels_file_is_a_clear_error(make_kb, run_kb, tmp_path):
    root = make_kb(US_KB)
    other = tmp_path / "other.xml"
    other.write_text("<visits><visit/></visits>", encoding="utf-8")
    result = run_kb("import", "trips", str(other), kb=root)
    assert result.exit_code == 2
    assert "the root element is <visits>, not <trips>: this is not a travels file" in result.output
    broken = tmp_path / "broken.xml"
    broken.write_text("<trips><trip>\n", encoding="utf-8")
    result = run_kb("import", "trips", str(broken), kb=root)
    assert result.exit_code == 2 and "broken.xml:2:0: not well-formed XML" in result.output
    assert list((root / "meetings").glob("1991-*.yaml")) == []


def test_a_person_named_in_two_files_is_proposed_once(make_kb, run_kb, tmp_path):
    root = make_kb(US_KB)
    later = tmp_path / "later.xml"
    later.write_text(
        TRIPS.read_text(encoding="utf-8").replace("<id>900", "<id>800").replace("1991-1", "1992-1"), encoding="utf-8"
    )
    result = run_kb("import", "trips", str(TRIPS), str(later), "--dry-run", kb=root)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("proposed new person askar-temirov") == 1
    assert "# later.xml trip 8001: proposed" not in result.stdout
    assert "# 6 meetings drafted from 2 files, 3 new people proposed" in result.stderr


def test_an_organisation_met_that_kb_does_not_know_is_written_with_the_people(make_kb, run_kb, tmp_path):
    """What kb writes passes kb check: an organisation a trip names is drafted beside the meeting
    that names it, as people are, never left as a reference to nothing (KB401)."""
    root = make_kb(US_KB)
    trips = tmp_path / "society.xml"
    trips.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<trips>
  <trip><id>7001</id><name>Jane Doe</name><start-date>2012-08-04</start-date><end-date>2012-08-04</end-date>
    <country id="rwanda">Rwanda</country><locale>Kigali</locale>
    <remarks>Discussed the crisis with the Presidents of Tanzania and Kenya. Also met with the Chief
      Prosecutor of the International War Crimes Tribunal.</remarks></trip>
</trips>
""",
        encoding="utf-8",
    )
    result = run_kb("import", "trips", str(trips), "--create-people", kb=root)
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (root / "orgs").glob("*.yaml"))
    meeting = next((root / "meetings").glob("2012-08-04-*.yaml")).read_text(encoding="utf-8")
    org_ids = [line.split(": ", 1)[1] for line in meeting.splitlines() if line.strip().startswith("- org: ")]
    assert org_ids and all(f"{org}.yaml" in written for org in org_ids), (org_ids, written)
    check = run_kb("check", "--format", "json", kb=root)
    assert [f for f in json.loads(check.stdout) if f["severity"] == "error"] == []


# Trips of the Office of the Historian's register (CC0), quoted as written: our own President
# accompanied in two tenures of one surname, the counterpart met, and an event or a group that names
# no one but an international body.
REAL_TRIPS = [
    ("baker-james-addison", "James Addison Baker", 270, "1989-02-10", "canada", "Canada", "Ottawa",
     "Accompanied President Bush on a working visit."),
    ("christopher-warren-minor", "Warren Minor Christopher", 552, "1994-01-15", "switzerland", "Switzerland",
     "Geneva", "Accompanied President Clinton to a meeting with Syrian President Assad."),
    ("powell-colin-luther", "Colin Luther Powell", 1231, "2001-02-16", "mexico", "Mexico", "San Cristobal",
     "Accompanied President Bush to a meeting with President Fox."),
    ("powell-colin-luther", "Colin Luther Powell", 1239, "2001-02-26", "belgium", "Belgium", "Brussels",
     "Met with NATO Foreign Ministers."),
    ("blinken-antony-j", "Antony John Blinken", 4184, "2023-11-28", "belgium", "Belgium", "Brussels",
     "Attended the NATO Foreign Ministers Meeting."),
]  # fmt: skip


def _real_trips(path: Path) -> Path:
    trips = "".join(
        f'  <trip role="secretary" who="{who}"><id>{number}</id><name>{name}</name><start-date>{date}</start-date>'
        f'<end-date>{date}</end-date><country id="{slug}">{country}</country><locale>{place}</locale>'
        f"<remarks>{remarks}</remarks></trip>\n"
        for who, name, number, date, slug, country, place, remarks in REAL_TRIPS
    )
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<trips>\n{trips}</trips>\n', encoding="utf-8")
    return path


def _participants(root: Path, trip: int) -> list[tuple]:
    from ruamel.yaml import YAML

    for path in sorted((root / "meetings").glob("*.yaml")):
        meeting = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        if meeting["sources"][0]["document"].endswith(f" trip {trip}"):
            return [
                (p.get("person") or p.get("org"), p["side"], p.get("title"), p["role"]) for p in meeting["participants"]
            ]
    raise AssertionError(f"no meeting of trip {trip}")


def test_our_own_president_accompanied_is_on_our_side_and_one_surname_in_two_tenures_is_two_people(
    make_kb, run_kb, tmp_path
):
    root = make_kb({"kb.yaml": "name: Trips\nour_side: US\ndefault_sensitivity: CLEAR\n"})
    for seed in ("meetings/2024-07-13-naqvi-blome.yaml", "people/donald-blome.yaml", "people/mohsin-naqvi.yaml"):
        (root / seed).unlink(missing_ok=True)  # only what the import writes
    result = run_kb("import", "trips", _real_trips(tmp_path / "trips.xml"), "--create-people", kb=root)
    assert result.exit_code == 0, result.output
    assert _participants(root, 552) == [
        ("warren-minor-christopher", "US", None, "lead"),
        ("clinton", "US", "President", "delegation"),
        ("assad", "SY", "President", "lead"),
    ]
    assert _participants(root, 270) == [
        ("james-addison-baker", "US", None, "lead"),
        ("bush", "US", "President", "delegation"),
    ]
    # President Clinton held the post between the two: without a reference of who held it, kb cannot
    # tell, so the second is a person of their own, and the draft says so
    assert _participants(root, 1231) == [
        ("colin-luther-powell", "US", None, "lead"),
        ("bush-2", "US", "President", "delegation"),
        ("fox", "MX", "President", "lead"),
    ]
    fox = next((root / "meetings").glob("2001-02-16-*.yaml")).read_text(encoding="utf-8")
    assert (
        "trips.xml trip 1231: 'President Bush' was also seen 12 years from this date (bush): clinton "
        "held that post in between, so kb cannot tell whether they are one and takes it for another person; merge "
        "them (kb merge) if they are one, or load who held the post (kb import holders)"
    ) in " ".join(fox.split())
    # an event, or a group, that names no one: a multilateral meeting with the organisation, on its own side
    assert _participants(root, 4184) == [
        ("antony-john-blinken", "US", None, "lead"),
        ("nato", "nato", None, "delegation"),
    ]
    assert _participants(root, 1239) == [
        ("colin-luther-powell", "US", None, "lead"),
        ("nato", "nato", None, "delegation"),
    ]
    check = run_kb("check", "--format", "json", kb=root)
    assert [f for f in json.loads(check.stdout) if f["severity"] == "error"] == []
    written = [str(p) for folder in ("meetings", "people", "orgs") for p in (root / folder).glob("*.yaml")]
    assert "0 files would be reformatted" in run_kb("fmt", "--check", *written, kb=root).output


def test_with_who_held_the_post_each_president_bush_is_the_one_of_the_date(make_kb, run_kb, tmp_path):
    root = make_kb({"kb.yaml": "name: Trips\nour_side: US\ndefault_sensitivity: CLEAR\n"})
    holders = tmp_path / "holders.csv"
    holders.write_text(
        "person,post,country,start,end,wikidata\n"
        "George H. W. Bush,President,US,1989-01-20,1993-01-20,Q23505\n"
        "George W. Bush,President,US,2001-01-20,2009-01-20,Q207\n",
        encoding="utf-8",
    )
    assert run_kb("import", "holders", holders, kb=root).exit_code == 0
    people = sorted(p.stem for p in (root / "people").glob("*.yaml"))
    result = run_kb("import", "trips", _real_trips(tmp_path / "trips.xml"), "--create-people", kb=root)
    assert result.exit_code == 0, result.output
    elder, younger = _participants(root, 270)[1][0], _participants(root, 1231)[1][0]
    assert elder in people and younger in people and elder != younger
    assert "George H. W. Bush" in (root / "people" / f"{elder}.yaml").read_text(encoding="utf-8")
    assert "George W. Bush" in (root / "people" / f"{younger}.yaml").read_text(encoding="utf-8")
