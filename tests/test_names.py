"""Names: their parts, the ids made from them, and matching across scripts and spellings."""

import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from kb.model import names

GOLD = yaml.safe_load((Path(__file__).parent / "data" / "names_gold.yaml").read_text(encoding="utf-8"))["people"]
# The id pattern every record's id must match (kb check reports any other as a schema error).
ID_RULE = re.compile(
    json.loads((Path(__file__).parents[1] / "kb/schemas/common.schema.json").read_text())["$defs"]["id"]["pattern"]
)


def test_the_gold_set_is_found_in_other_scripts_and_spellings_with_no_false_match():
    everyone = [p["name"] for p in GOLD] + [d for p in GOLD for d in p["distractors"]]
    found = total = 0
    false = []
    for person in GOLD:
        for form in person["forms"]:
            total += 1
            hits = [known for known in everyone if names.same(form, known)]
            found += person["name"] in hits
            false += [(form, hit) for hit in hits if hit != person["name"]]
    assert false == []
    assert total >= 55
    assert found / total >= 0.85, f"{found} of {total}"


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        (
            "Sheikh Khalifa bin Hamad bin Khalifa Al Thani",
            "QA",
            (
                "Khalifa bin Hamad bin Khalifa Al Thani",
                "Khalifa bin Hamad bin Khalifa",
                "Al Thani",
                "Al Thani, Khalifa bin Hamad bin Khalifa",
            ),
        ),
        (
            "H.E. Ursula von der Leyen",
            None,
            ("Ursula von der Leyen", "Ursula", "von der Leyen", "von der Leyen, Ursula"),
        ),
        ("Xi Jinping", "CN", ("Xi Jinping", "Jinping", "Xi", "Xi, Jinping")),
        ("Yoon Suk Yeol", "KR", ("Yoon Suk Yeol", "Suk Yeol", "Yoon", "Yoon, Suk Yeol")),
        ("King Abdullah II", "JO", ("Abdullah II", None, None, "Abdullah II")),
        ("Suharto", "ID", ("Suharto", None, None, "Suharto")),
        (
            "Yusuf bin Alawi bin Abdallah",
            "OM",
            ("Yusuf bin Alawi bin Abdallah", None, None, "Yusuf bin Alawi bin Abdallah"),
        ),
        (
            "Dr. Mohammed Shia al-Sudani",
            "IQ",
            ("Mohammed Shia al-Sudani", "Mohammed Shia", "al-Sudani", "al-Sudani, Mohammed Shia"),
        ),
        ("Crown Prince Mohammed bin Salman", "SA", ("Mohammed bin Salman", None, None, "Mohammed bin Salman")),
        ("General Asim Munir", "PK", ("Asim Munir", "Asim", "Munir", "Munir, Asim")),
    ],
)
def test_names_are_parsed_into_their_parts(text, country, expected):
    parsed = names.parse(text, country)
    assert (parsed.name, parsed.given, parsed.family, parsed.sort_name) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H.E. Sheikh Khalifa bin Hamad Al Thani", "khalifa-bin-hamad-al-thani"),
        ("Сергей Лавров", "sergey-lavrov"),
        ("President Mikhail S. Gorbachev", "mikhail-gorbachev"),
        ("Recep Tayyip Erdoğan", "recep-tayyip-erdogan"),
        ("Dr. Mohammed Shia al-Sudani", "mohammed-shia-al-sudani"),
        ("Prime Minister Anibal Antonio Cavaco e Silva", "anibal-antonio-cavaco-e-silva"),
    ],
)
def test_ids_are_ascii_slugs_without_titles(text, expected):
    assert names.person_id(text) == expected


@given(st.text(max_size=300))
def test_the_id_rule_always_gives_a_valid_bounded_id_and_is_idempotent(text):
    for made in (names.person_id(text), names.org_id(text)):
        assert ID_RULE.match(made), made
        assert len(made) <= names.ID_LENGTH
    assert names.person_id(names.person_id(text)) == names.person_id(text)
    assert names.org_id(names.org_id(text)) == names.org_id(text)


def _new_and_imported(run_kb, tmp_path, written: str, country: str) -> tuple[Path, Path]:
    """The person file `kb new person` writes for ``written`` in one knowledge base, and the one a
    spreadsheet import (--create-people) proposes for the same name in another."""
    by_hand = tmp_path / "by-hand"
    assert run_kb("init", by_hand, "--our-side", "PK").exit_code == 0
    result = run_kb("new", "person", "--name", written, "--country", country, "--title", "Envoy", kb=by_hand)
    assert result.exit_code == 0, result.output
    imported = tmp_path / "imported"
    assert run_kb("init", imported, "--our-side", "PK").exit_code == 0
    sheet = tmp_path / "visits.csv"
    sheet.write_text(f"Date,Visitor,Country\n2024-05-01,{written},{country}\n", encoding="utf-8")
    mapping = ["--map", "date=Date", "--map", "with=Visitor", "--map", "country=Country"]
    result = run_kb("import", "csv", sheet, *mapping, "--create-people", kb=imported)
    assert result.exit_code == 0, result.output
    [new] = (by_hand / "people").glob("*.yaml")
    [drafted] = (imported / "people").glob("*.yaml")
    return new, drafted


def _name_fields(path: Path) -> dict:
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {k: record.get(k) for k in ("id", "name", "given_name", "family_name", "sort_name")}


@pytest.mark.parametrize(
    ("written", "country", "expected"),
    [
        (
            "H.E. Sheikh Khalifa bin Hamad Al Thani",
            "QA",
            {
                "id": "khalifa-bin-hamad-al-thani",
                "name": "Khalifa bin Hamad Al Thani",
                "given_name": "Khalifa bin Hamad",
                "family_name": "Al Thani",
                "sort_name": "Al Thani, Khalifa bin Hamad",
            },
        ),
        (
            "Сергей Лавров",
            "RU",
            {
                "id": "sergey-lavrov",
                "name": "Сергей Лавров",
                "given_name": "Сергей",
                "family_name": "Лавров",
                "sort_name": "Лавров, Сергей",
            },
        ),
    ],
)
def test_kb_new_person_and_every_import_make_one_id_and_one_set_of_name_parts(
    run_kb, tmp_path, written, country, expected
):
    new, drafted = _new_and_imported(run_kb, tmp_path, written, country)
    assert new.name == drafted.name == f"{expected['id']}.yaml"
    assert _name_fields(new) == _name_fields(drafted) == expected


def test_kb_check_accepts_what_kb_new_makes_from_titles_and_other_scripts(tmp_path, run_kb, check_json):
    root = tmp_path / "kb"
    assert run_kb("init", root, "--our-side", "PK").exit_code == 0
    for written, country in [("Сергей Лавров", "RU"), ("Dr. Mohammed Shia al-Sudani", "IQ"), ("習近平", "CN")]:
        result = run_kb("new", "person", "--name", written, "--country", country, "--title", "Envoy", kb=root)
        assert result.exit_code == 0, result.output
    assert run_kb("new", "org", "--name", "Ministry of Foreign Affairs (Россия)", kb=root).exit_code == 0
    meeting = run_kb("new", "meeting", "--date", "2024-05-01", "--with", "sergey-lavrov", "--with", "習近平", kb=root)
    assert meeting.exit_code == 0, meeting.output
    assert sorted(p.stem for p in (root / "people").glob("*.yaml")) == [
        "mohammed-shia-al-sudani",
        "sergey-lavrov",
        "xi-jinping",
    ]
    assert (root / "orgs/ministry-of-foreign-affairs-rossiya.yaml").exists()
    assert (root / "meetings/2024-05-01-lavrov-xi-jinping.yaml").exists()
    findings, _code = check_json(root)
    assert {f["code"] for f in findings} <= {"KB606", "KB610"}, findings


@pytest.mark.parametrize("written", ["Мохсин Накви", "محسن نقوی", "मोहसिन नक़वी", "Muhsin Nakvi", "Mohsin Raza Naqvi"])
@pytest.mark.parametrize("command", ["show", "brief", "timeline"])
def test_show_brief_and_timeline_find_a_person_from_another_script(run_kb, make_kb, command, written):
    root = make_kb()
    result = run_kb(command, written, "--format", "json", kb=root)
    assert result.exit_code == 0, result.output
    context = json.loads(result.stdout)
    assert "mohsin-naqvi" in json.dumps(context)
    assert "Mohsin Naqvi" in json.dumps(context, ensure_ascii=False)


@pytest.mark.parametrize("written", ["Mohsin Dawar", "Saqib Naqvi", "Naqvi", "Мохсин"])
def test_people_who_share_one_part_of_a_name_are_not_found(run_kb, make_kb, written):
    root = make_kb()
    result = run_kb("brief", written, kb=root)
    assert result.exit_code == 2
    assert "no person, organisation, country or meeting matches" in result.output


def test_a_name_given_with_the_father_but_without_the_family_name_finds_the_one_person(run_kb, make_kb):
    root = make_kb(
        {
            "people/khalifa-bin-hamad-al-thani.yaml": """\
        id: khalifa-bin-hamad-al-thani
        name: Khalifa bin Hamad Al Thani
        family_name: Al Thani
        country: QA
        """,
            "people/tamim-bin-hamad-al-thani.yaml": """\
        id: tamim-bin-hamad-al-thani
        name: Tamim bin Hamad Al Thani
        family_name: Al Thani
        country: QA
        """,
        }
    )
    result = run_kb("show", "Khalifa bin Hamad", "--format", "json", kb=root)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["record"]["id"] == "khalifa-bin-hamad-al-thani"
    assert run_kb("show", "Hamad bin Khalifa", kb=root).exit_code == 2
