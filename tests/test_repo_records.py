"""The repository's own knowledge base: built from the seed reports, with every trap handled."""

import json
import os
import subprocess
import sys

import pytest
from conftest import REPO

from kb.model.dates import PartialDate
from kb.store import loader


@pytest.fixture(scope="module")
def kb():
    return loader.load(REPO, use_cache=False)  # never a cache written into the checkout


def test_repository_passes_its_own_strict_check():
    result = subprocess.run(
        [sys.executable, "-m", "kb", "--kb", str(REPO), "--no-cache", "check", "--strict", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "KB_DIR": ""},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


def test_four_meetings_two_reports_of_july_2024_are_one(kb):
    assert sorted(kb.meetings) == [
        "2024-07-13-naqvi-blome",
        "2025-11-13-naqvi-biggar",
        "2025-12-06-naqvi-baker",
        "2026-01-24-naqvi-baker",
    ]
    july = kb.meetings["2024-07-13-naqvi-blome"]
    documents = " ".join(s.get("document", "") for s in july.get("sources"))
    assert "003_503253b47c7e3751" in documents and "004_0bc01bcb7d341526" in documents


def test_donald_bloom_is_an_alias_not_a_person(kb):
    from kb.model.text import normalise

    assert kb.name_index[normalise("Donald Bloom")] == {("person", "donald-blome")}
    assert not any("bloom" in person_id for person_id in kb.people)


def test_dates_are_no_more_precise_than_sources(kb):
    for meeting in kb.meetings.values():
        assert meeting.date.precision == "day"
        dated_by_source = [s for s in meeting.get("sources") if s.get("url") and "seed" not in s.get("document", "")]
        assert dated_by_source, f"{meeting.id}: a day-precise date needs a source beyond the undated seeds"


def test_titles_as_held_at_the_time(kb):
    baker_titles = {p.title for m in kb.meetings.values() for p in m.participants if p.person == "natalie-baker"}
    assert baker_titles and all("Chargé d'Affaires" in t for t in baker_titles)
    baker = kb.people["natalie-baker"]
    assert any(r.post == "us-chief-of-mission-pakistan" and r.acting for r in baker.roles)
    assert [p.id for p, _ in kb.holders_of("us-chief-of-mission-pakistan")] == ["donald-blome", "natalie-baker"]


def test_commitments_with_due_dates_owners_and_status(kb):
    outcomes = {o.id: o for m in kb.meetings.values() for o in m.outcomes}
    dialogue = outcomes["law-enforcement-dialogue"]
    assert dialogue.due == PartialDate.parse("2024-10") and dialogue.data["owner"]
    texts = " ".join(o.data["text"] for o in outcomes.values())
    for commitment in ("New York", "memoranda of understanding", "National Narcotics Coordination Centre"):
        assert commitment in texts


def test_numeric_claims_are_claims(kb):
    baker = kb.meetings["2025-12-06-naqvi-baker"]
    claims = " ".join(c["text"] + " ".join(c.get("figures", [])) for c in baker.get("claims", []))
    assert "134" in claims and "12.797" in claims
    assert "134" not in " ".join(o.data["text"] for o in baker.outcomes)


def test_no_page_boilerplate_in_records():
    for path in (REPO / "meetings").glob("*.yaml"):
        text = path.read_text()
        for boilerplate in ("Scroll to Top", "Leave a Reply", "Also Read", "hours ago", "Back to top"):
            assert boilerplate not in text, (path.name, boilerplate)
