"""Places and countries in imports: wire datelines, the GeoNames gazetteer, the row's own
country over a city look-up, and former countries (ISO 3166-3)."""

import pytest
import yaml

from kb.importing.places import dateline, place_country

US_KB = {"kb.yaml": "name: Test\nour_side: PK\ndefault_sensitivity: CLEAR\n"}


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("DOHA, MAY 5 (DNA) – Qatar and Pakistan agreed to expand trade.", ("Doha", "MAY 5")),
        ("ISLAMABAD, Dec 6 (APP): The minister met the envoy.", ("Islamabad", "Dec 6")),
        ("RIYADH, SEPT. 3 (SPA) - The two ministers met.", ("Riyadh", "SEPT. 3")),
        ("WASHINGTON, July 13 — Officials met.", ("Washington", "July 13")),
        ("WASHINGTON, July 13, 2024 — Officials met.", ("Washington", "July 13, 2024")),
        ("KYIV, Ukraine (AP) — The two presidents met.", ("Kyiv, Ukraine", None)),
        ("Beijing, 12 March 2024 (Xinhua) -- The ministers met.", ("Beijing", "12 March 2024")),
    ],
)
def test_wire_datelines(paragraph, expected):
    assert dateline(paragraph)[:2] == expected


@pytest.mark.parametrize(
    "paragraph",
    [
        "Well - nothing was agreed.",
        "NOTE, Maybe 5: later",
        "In short: no.",
        "Hello, World: a greeting.",
        "NOTE, The Minister: later",
    ],
)
def test_what_is_not_a_dateline(paragraph):
    assert dateline(paragraph) is None


@pytest.mark.parametrize(
    ("place", "prefer", "country"),
    [
        ("Doha", None, "QA"),
        ("Riyadh", None, "SA"),
        ("Dubai", None, "AE"),
        ("Abu Dhabi", None, "AE"),
        ("Lahore", None, "PK"),
        ("Karachi", None, "PK"),
        ("Islamabad", None, "PK"),
        ("Santiago de Chile", None, "CL"),
        ("Santiago", None, "CL"),
        ("Santiago", "DO", "DO"),
        ("London", "CA", "CA"),
        ("London", None, "GB"),
        ("Paris, France", None, "FR"),
    ],
)
def test_a_place_gets_its_country_and_the_rows_own_country_wins(place, prefer, country):
    assert place_country(place, prefer) == country


def test_a_wire_report_gets_its_date_place_and_country_from_the_dateline(make_kb, run_kb):
    root = make_kb()
    story = (
        "DOHA, MAY 5 (DNA) – Interior Minister Mohsin Naqvi met Qatari Minister of State Khalid Al Khulaifi "
        "on Monday to discuss visas.\n"
    )
    result = run_kb("import", "article", "-", "--published", "2025-05-06", "--dry-run", kb=root, input=story)
    assert result.exit_code == 0, result.output
    draft = yaml.load(result.output, Loader=yaml.BaseLoader)
    assert draft["date"] == "2025-05-05"
    assert draft["location"] == {"place": "Doha", "country": "QA"}
    assert draft["mode"] == "visit"


def test_a_spreadsheet_row_keeps_its_own_country_and_may_name_a_former_one(make_kb, run_kb, tmp_path):
    root = make_kb()
    sheet = tmp_path / "trips.csv"
    sheet.write_text(
        "Date,With,Country,Place\n"
        "1988-03-01,Foreign Minister Eduard Shevardnadze,USSR,Moscow\n"
        "1990-06-01,President Leonel Fernandez,Dominican Republic,Santiago\n"
        "1990-06-02,President Patricio Aylwin,Chile,Santiago\n"
        "1985-01-05,Prime Minister Milka Planinc,Yugoslavia,Belgrade\n",
        encoding="utf-8",
    )
    result = run_kb(
        "import",
        "csv",
        str(sheet),
        "--map",
        "date=Date",
        "--map",
        "with=With",
        "--map",
        "country=Country",
        "--map",
        "place=Place",
        "--create-people",
        kb=root,
    )
    assert result.exit_code == 0, result.output
    written = {
        p.stem: yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        for p in (root / "meetings").glob("19*.yaml")
    }
    by_date = {m["date"]: m for m in written.values()}
    assert by_date["1988-03-01"]["participants"][0]["side"] == "SU"
    assert by_date["1988-03-01"]["location"] == {"place": "Moscow", "country": "RU"}
    assert by_date["1990-06-01"]["location"]["country"] == "DO"
    assert by_date["1990-06-02"]["location"]["country"] == "CL"
    assert by_date["1985-01-05"]["participants"][0]["side"] == "YU"
    check = run_kb("check", "--format", "json", kb=root)
    assert '"severity": "error"' not in check.stdout
    import json

    brief = run_kb("brief", "SU", "--format", "json", kb=root)
    assert brief.exit_code == 0, brief.output
    assert json.loads(brief.stdout)["subject"]["name"] == "Soviet Union"
    assert len(json.loads(brief.stdout)["meetings"]) == 1
    assert run_kb("timeline", "Yugoslavia", "--format", "json", kb=root).exit_code == 0
