"""`kb import visits`: the Office of the Historian's visits XML, its quirks, and the real data."""

import json
from pathlib import Path

import pytest
import yaml
from conftest import VISITS, examples
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kb.importing import draft

QUIRKS = Path(__file__).parent / "data" / "visits" / "quirks.xml"
REAL = VISITS
US_KB = {
    "kb.yaml": "name: Visits\nour_side: US\ndefault_sensitivity: CLEAR\n",
    "meetings/2024-07-13-naqvi-blome.yaml": None,
}


def _meetings(root: Path) -> dict[str, dict]:
    return {
        p.stem: yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        for p in (root / "meetings").glob("*.yaml")
    }


def _fmt_check(run_kb, root: Path, meetings: dict) -> int:
    """`kb fmt --check` on what the import wrote (the base fixture's own files are not canonical)."""
    written = [f"meetings/{m['id']}.yaml" for m in meetings.values() if m["id"] != "2024-07-13-naqvi-blome"]
    written += [
        f"people/{p}"
        for p in sorted(q.name for q in (root / "people").glob("*.yaml"))
        if p not in ("donald-blome.yaml", "mohsin-naqvi.yaml")
    ]
    result = run_kb("fmt", "--check", *(str(root / w) for w in written), kb=root)
    assert "0 files would be reformatted" in result.output, result.output
    return result.exit_code


def test_the_mode_is_seen_from_our_side(make_kb, run_kb):
    """One answer to how a meeting met (KnowledgeBase.mode_in), for the register as for articles:
    a knowledge base kept for Croatia drafts its president's visits to Washington as visits (they
    were drafted `third-location`), and a meeting it was not part of with no mode."""
    root = make_kb({**US_KB, "kb.yaml": "name: Visits\nour_side: HR\ndefault_sensitivity: CLEAR\n"})
    assert run_kb("import", "visits", str(QUIRKS), "--create-people", kb=root).exit_code == 1  # Hawaii
    meetings = {m["sources"][0]["document"]: m for m in _meetings(root).values()}
    modes = {document.split()[-1]: meeting.get("mode") for document, meeting in meetings.items()}
    assert modes == {
        "9001": None,
        "9002": None,
        "9003": None,
        "9004": "visit",
        "9005": None,
        "9006": None,
        "9007": "visit",
        "9009": None,
    }


def test_each_quirk_of_the_register_is_drafted_as_a_person_would_write_it(make_kb, run_kb):
    root = make_kb(US_KB)
    result = run_kb("import", "visits", str(QUIRKS), "--create-people", kb=root)
    assert result.exit_code == 1, result.output  # the Hawaiian visit cannot be drafted
    assert (
        "quirks.xml visit 9008: 'Hawaii' has no ISO 3166 code (current or former, ISO 3166-3); record this "
        "visit by hand with the code of the country it stands for; nothing drafted for this visit"
    ) in result.stderr
    assert "8 meetings written from 1 file, 8 new people written" in result.stderr
    meetings = {m["sources"][0]["document"]: m for m in _meetings(root).values()}
    soviet = meetings["quirks.xml visit 9001"]
    assert soviet["participants"] == [
        {"person": "nikita-khrushchev", "side": "SU", "title": "Chairman", "role": "lead"}
    ]
    assert soviet["title"] == "Visit of Chairman Nikita Khrushchev (Soviet Union) to the United States"
    assert soviet["mode"] == "hosted" and soviet["location"] == {"country": "US"}
    assert (soviet["date"], soviet["end_date"]) == ("1959-09-15", "1959-09-27")
    assert meetings["quirks.xml visit 9009"]["participants"][0]["side"] == "YU"
    # Two presidents Arias of two countries stay two people.
    costa_rica = meetings["quirks.xml visit 9002"]["participants"][0]
    panama = meetings["quirks.xml visit 9003"]["participants"][0]
    assert (costa_rica["person"], costa_rica["side"]) == ("oscar-arias", "CR")
    assert (panama["person"], panama["side"]) == ("oscar-arias-2", "PA")
    # Two people in one cell; the same person named again (with the accent) is one person.
    croatia = meetings["quirks.xml visit 9004"]["participants"]
    assert [(p["person"], p["title"], p["role"]) for p in croatia] == [
        ("stjepan-mesic", "President", "lead"),
        ("ivica-racan", "Prime Minister", "delegation"),
    ]
    assert meetings["quirks.xml visit 9007"]["participants"][0]["person"] == "stjepan-mesic"
    assert meetings["quirks.xml visit 9005"]["participants"] == [
        {"person": "sihanouk", "side": "KH", "title": "Premier and Prince", "role": "lead"}
    ]
    qatar = meetings["quirks.xml visit 9006"]
    assert qatar["id"] == "1964-01-20-al-thani"
    amir = yaml.safe_load((root / "people" / "khalifa-bin-hamad-bin-khalifa-al-thani.yaml").read_text(encoding="utf-8"))
    assert {k: amir[k] for k in ("name", "given_name", "family_name", "sort_name", "country")} == {
        "name": "Khalifa bin Hamad bin Khalifa Al Thani",
        "given_name": "Khalifa bin Hamad bin Khalifa",
        "family_name": "Al Thani",
        "sort_name": "Al Thani, Khalifa bin Hamad bin Khalifa",
        "country": "QA",
    }
    assert qatar["participants"][0]["title"] == "Amir of Qatar"  # an honorific is never a title
    # What import wrote passes kb's own checks (drafts only wait for confirmation, and for the
    # person who met the visitor on our side: the register names only the visitor, KB610) and kb fmt.
    check = run_kb("check", "--format", "json", kb=root)
    assert [f for f in json.loads(check.stdout) if f["severity"] == "error"] == []
    assert {f["code"] for f in json.loads(check.stdout)} <= {"KB607", "KB605", "KB610"}
    assert _fmt_check(run_kb, root, meetings) == 0
    # A second import drafts nothing again.
    again = run_kb("import", "visits", str(QUIRKS), kb=root)
    assert "0 meetings written from 1 file, 0 new people" in again.stderr
    assert again.stderr.count("already imported; nothing drafted") == 8


def test_a_known_person_is_matched_only_on_their_own_side(make_kb, run_kb):
    root = make_kb({**US_KB, "people/oscar-arias.yaml": "id: oscar-arias\nname: Oscar Arias\ncountry: CR\n"})
    result = run_kb("import", "visits", str(QUIRKS), "--dry-run", kb=root)
    assert "# quirks.xml visit 9003: proposed new person oscar-arias-2 'Oscar Arias' (President)" in result.output
    assert "proposed new person oscar-arias '" not in result.output


def test_not_the_visits_xml_is_a_clear_error(make_kb, run_kb, tmp_path):
    wrong = tmp_path / "wrong.xml"
    wrong.write_text("<trips><trip/></trips>\n", encoding="utf-8")
    broken = tmp_path / "broken.xml"
    broken.write_text("<visits>\n  <visit>\n</visits>\n", encoding="utf-8")
    root = make_kb(US_KB)
    result = run_kb("import", "visits", str(wrong), kb=root)
    assert result.exit_code == 2
    assert "wrong.xml:1:1: the root element is <trips>, not <visits>" in result.stderr
    result = run_kb("import", "visits", str(broken), kb=root)
    assert result.exit_code == 2 and "broken.xml:3:3: not well-formed XML (mismatched tag)" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.skipif(
    not REAL.is_dir(), reason=f"the visits data is not beside the repository ({REAL}; or set KB_SHARED)"
)
def test_the_real_register_imports_with_no_error_from_kb_check(make_kb, run_kb):
    root = make_kb(US_KB)
    result = run_kb("import", "visits", str(REAL / "1990.xml"), str(REAL / "1870.xml"), "--create-people", kb=root)
    assert result.exit_code == 1  # the Kingdom of Hawaii (1874) has no code
    assert "649 meetings written from 2 files" in result.stderr
    assert result.stderr.count("nothing drafted for this visit") == 1
    people = {
        p.stem: yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        for p in (root / "people").glob("*.yaml")
    }
    assert all(len(i) <= 60 and i.isascii() for i in people)
    soviet = [m for m in _meetings(root).values() if m["participants"][0]["side"] == "SU"]
    assert {m["participants"][0]["person"] for m in soviet} == {"mikhail-gorbachev"}
    check = run_kb("check", "--format", "json", kb=root)
    assert [f for f in json.loads(check.stdout) if f["severity"] == "error"] == []
    assert _fmt_check(run_kb, root, _meetings(root)) == 0


PLAINISH = st.from_regex(r"[A-Za-zé0-9][A-Za-zéŝ0-9 .,:#'()-]{0,30}[a-z0-9)]", fullmatch=True)
SCALARS = st.one_of(
    PLAINISH,
    PLAINISH,
    PLAINISH,
    st.text(max_size=40),
    st.sampled_from(
        [
            "2024-07-13",
            "2024-07~",
            "true",
            "NO",
            "010",
            "1e3",
            "a: b",
            "x #y",
            "- item",
            "'q'",
            "Visit of X (Y) to the United States",
            "ĉu ŝi?",
            "a:b",
            "tab\there",
            "end:",
            "row 4: 'Liu He' is not known",
            'say "hi": now',
            "back\\slash: 'x'",
            'it\'s: "q"',
            " lead",
            "trail ",
        ]
    ),
)
KEYS = st.from_regex(r"[a-z_]{1,8}", fullmatch=True)
RECORDS = st.recursive(
    st.dictionaries(KEYS, SCALARS, min_size=1, max_size=4),
    lambda inner: st.dictionaries(
        KEYS, st.one_of(SCALARS, inner, st.lists(st.one_of(SCALARS, inner), max_size=3)), min_size=1, max_size=4
    ),
    max_leaves=12,
)


@settings(max_examples=examples(500), deadline=None)
@given(RECORDS)
@example({"a": ["2024-07-13", "x"], "b": "2024-07-13", "c": {"d": "2024-07"}})
@example({"_": "0X0", "b": "0x1F", "c": "tRuE", "d": ".Inf"})
def test_drafts_written_without_ruamel_are_exactly_what_ruamel_writes(record):
    fast = draft._fast_yaml(record)
    if fast is not None:
        assert fast == draft._ruamel_text(record)
