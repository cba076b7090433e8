"""kb import article on the shapes of real reports: a minister's long name after a possessive and an
honorific, people named only in passing, press-release date lines, requests, bodies named where a
person could stand, and drafts that pass `kb check` and `kb fmt --check` as written.

The reports are written for these tests (their facts in our own words); the people of the test
knowledge base are those of tests/conftest.py (our side: PK)."""

import json
import textwrap
from pathlib import Path

import pytest
from conftest import write_kb

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"

QATAR = """\
Pakistan and Qatar agree to step up police cooperation

London: August 13, 2024

Interior Minister Mohsin Naqvi held talks with Qatar's Minister of Interior Sheikh Khalifa bin Hamad bin Khalifa \
Al Thani on the margins of a security conference, where the two ministers went over border management and the \
transfer of sentenced prisoners.

Both sides agreed to set up a joint working group on cybercrime by December.

Pakistan asked Qatar to extradite two suspects wanted in a fraud case.

Ties between the two countries grew during President Donald Trump's tenure, Naqvi noted, and as former Prime \
Minister Nawaz Sharif once said, trust is their foundation.
"""

COMMISSION = """\
ISLAMABAD, Aug 13 (Reuters) - Interior Minister Mohsin Naqvi received Chairman of the Independent Electoral \
Commission Farid Wardak, who led a delegation from Kabul, a ministry statement said.

Officials of Afghanistan's Independent Electoral Commission set out their plans for the coming vote, and the \
Chairman of the National Accountability Bureau also attended.

Naqvi urged the commission to share its security plan with the provinces within a week.
"""

REQUESTS = """\
13 August 2024 – Interior Minister Mohsin Naqvi received British High Commissioner Jane Marriott at the ministry \
in Islamabad.

Pakistan asked the UK to extradite a businessman wanted for money laundering. The UK was also requested to share \
records of frozen accounts with investigators.

Naqvi urged the British side to speed up pending cases. Both sides agreed to meet again in October.
"""

# Two more shapes for the layout test: quotes and figures; a wire report naming a known official.
QUOTES = """\
Interior minister, US envoy discuss narcotics

ISLAMABAD: Interior Minister Mohsin Naqvi met US Ambassador Donald Blome on Tuesday and said "Pakistan will \
keep up its fight against drug traffickers on every front."

Officials told the meeting that 1,200 kg of heroin and 3.5 tonnes of hashish had been seized since January, a \
rise of 40 percent on the year before.

Blome said the United States would fund two more scanners for the Torkham crossing.
"""

WIRE = """\
KARACHI, Sept 2 (APP): Interior Minister Mohsin Naqvi on Monday called on the Secretary of the Federal Board of \
Revenue and later met a visiting Saudi delegation led by Deputy Minister Faisal Al Harbi.

The two sides decided to hold the next round of talks on labour mobility in Riyadh in November.
"""


def _import(run_kb, root: Path, text: str, *args: str):
    result = run_kb("import", "article", "-", "--published", "2024-08-14", *args, kb=root, input=text)
    assert result.exit_code == 0, result.output
    return result


def test_a_minister_after_a_possessive_and_an_honorific_with_two_bin_parts(make_kb, run_kb, tmp_path):
    root = make_kb()
    result = _import(run_kb, root, QATAR, "--url", "https://example.org/qatar", "--create-people")
    assert result.output.splitlines()[:3] == [
        "date: 2024-08-13 from 'August 13, 2024' (from the dateline)",
        "matched 'Mohsin Naqvi' to mohsin-naqvi (name)",
        "proposed new person: khalifa-bin-hamad-bin-khalifa-al-thani 'Khalifa bin Hamad bin Khalifa Al Thani' "
        "(Minister of Interior)",
    ]
    # Named in passing ('during President Donald Trump's tenure', 'as former Prime Minister ... once
    # said'): no participant, no proposal.
    assert "trump" not in result.output.lower() and "sharif" not in result.output.lower()
    assert (root / "meetings/2024-08-13-naqvi-al-thani.yaml").read_text() == textwrap.dedent(
        """\
        id: 2024-08-13-naqvi-al-thani
        title: Interior Minister Naqvi meets Minister of Interior Al Thani
        date: 2024-08-13
        status: held
        mode: third-location
        location:
          place: London
          country: GB
        participants:
          - person: mohsin-naqvi
            org: pk-interior
            side: PK
            title: Interior Minister
            role: lead
          - person: khalifa-bin-hamad-bin-khalifa-al-thani
            side: QA
            title: Minister of Interior
            role: lead
        summary: Mohsin Naqvi (Interior Minister) met Khalifa bin Hamad bin Khalifa Al Thani (Minister of Interior) in London (13 August 2024). The report states 2 agreement(s), commitment(s) or request(s), drafted below.
        outcomes:
          - id: set-up-joint-working-group
            kind: commitment
            text: Both sides agreed to set up a joint working group on cybercrime by December
            by:
              - PK
              - QA
            due: 2024-12
            status: open
          - id: pakistan-asked-qatar-extradite-two
            kind: request
            text: Pakistan asked Qatar to extradite two suspects wanted in a fraud case
            by:
              - PK
            to:
              - QA
            status: open
        sources:
          - url: https://example.org/qatar
            title: Pakistan and Qatar agree to step up police cooperation
            published: 2024-08-14
        unconfirmed:
          - "participant khalifa-bin-hamad-bin-khalifa-al-thani: 'Khalifa bin Hamad bin Khalifa Al Thani' is not a known person; confirm and add people/khalifa-bin-hamad-bin-khalifa-al-thani.yaml"
          - "outcome set-up-joint-working-group: drafted from the article's words ('agreed to'); due: 'by December' read as 2024-12, the next December after the meeting; rewrite and confirm"
          - "outcome pakistan-asked-qatar-extradite-two: drafted from the article's words ('asked'); rewrite and confirm"
          - 'summary: generated by kb import from the facts found; rewrite it from the sources'
        """
    )
    person = (root / "people/khalifa-bin-hamad-bin-khalifa-al-thani.yaml").read_text()
    parts = [line for line in person.splitlines() if not line.startswith("notes:")]
    assert parts == [
        "id: khalifa-bin-hamad-bin-khalifa-al-thani",
        "name: Khalifa bin Hamad bin Khalifa Al Thani",
        "given_name: Khalifa bin Hamad bin Khalifa",
        "family_name: Al Thani",
        "sort_name: Al Thani, Khalifa bin Hamad bin Khalifa",
        "country: QA",
    ]

    # `kb new person` reads the name as written, honorific and all, by the same rule: the same id
    # (refused where the import wrote it) and the same name parts.
    name = ["new", "person", "--name", "Sheikh Khalifa bin Hamad bin Khalifa Al Thani", "--country", "QA"]
    refused = run_kb(*name, kb=root)
    assert refused.exit_code == 2
    assert "a person with the id 'khalifa-bin-hamad-bin-khalifa-al-thani' already exists" in refused.output
    fresh = write_kb(tmp_path / "fresh", {})
    created = run_kb(*name, kb=fresh)
    assert created.exit_code == 0, created.output
    assert "created people/khalifa-bin-hamad-bin-khalifa-al-thani.yaml" in created.output
    new = (fresh / "people/khalifa-bin-hamad-bin-khalifa-al-thani.yaml").read_text().splitlines()
    assert [line for line in new if line.split(":")[0] in ("name", "given_name", "family_name", "sort_name")] == [
        "name: Khalifa bin Hamad bin Khalifa Al Thani",
        "given_name: Khalifa bin Hamad bin Khalifa",
        "family_name: Al Thani",
        "sort_name: Al Thani, Khalifa bin Hamad bin Khalifa",
    ]
    assert "sheikh" not in (root / "meetings/2024-08-13-naqvi-al-thani.yaml").read_text().lower()


@pytest.mark.parametrize(
    "opening",
    [
        "London: August 13, 2024\n\n",
        "London: August 13, 2024 – ",
        "ISLAMABAD, Aug 13 (Reuters) -\n\n",
        "ISLAMABAD, Aug 13 (Reuters) - ",
        "13 August 2024 –\n\n",
        "13 August 2024 – ",
        "Islamabad (13 August 2024):\n\n",
        "Press release\nPakistan and UK hold talks\n\nFor immediate release\n\nLondon, August 13, 2024:\n\n",
    ],
)
def test_press_release_date_lines_give_the_day(opening, make_kb, run_kb):
    story = opening + "Interior Minister Mohsin Naqvi held talks with US Ambassador Donald Blome.\n"
    result = run_kb("import", "article", "-", "--published", "2024-08-20", "--dry-run", kb=make_kb(), input=story)
    assert result.exit_code == 0, result.output
    assert "\ndate: 2024-08-13\n" in result.output
    assert "(from the dateline)" in result.output.splitlines()[0]
    assert "claims:" not in result.output  # the date line's '13' is no figure


def test_requests_are_the_next_move_of_the_side_asked(make_kb, run_kb):
    root = make_kb()
    _import(run_kb, root, REQUESTS, "--url", "https://example.org/requests")
    written = (root / "meetings/2024-08-13-naqvi-marriott.yaml").read_text()
    outcomes = written[written.index("outcomes:") : written.index("sources:")]
    assert outcomes == textwrap.dedent(
        """\
        outcomes:
          - id: pakistan-asked-uk-extradite-businessman
            kind: request
            text: Pakistan asked the UK to extradite a businessman wanted for money laundering
            by:
              - PK
            to:
              - GB
            status: open
          - id: uk-also-requested-share-records
            kind: request
            text: The UK was also requested to share records of frozen accounts with investigators
            to:
              - GB
            status: open
          - id: naqvi-urged-british-side-speed
            kind: request
            text: Naqvi urged the British side to speed up pending cases
            by:
              - PK
            to:
              - GB
            status: open
          - id: meet-again-october
            kind: commitment
            text: Both sides agreed to meet again in October
            by:
              - PK
              - GB
            due: 2024-10
            status: open
        """
    )
    due = run_kb("due", "--on", "2024-08-20", "--within", "1y", "--format", "json", kb=root)
    moves = {c["ref"].split("#")[1]: c["next_move"] for c in json.loads(due.output)["commitments"]}
    assert moves == {
        "pakistan-asked-uk-extradite-businessman": "theirs",
        "uk-also-requested-share-records": "theirs",
        "naqvi-urged-british-side-speed": "theirs",
        "meet-again-october": "both",
    }


def test_a_body_named_where_a_person_could_stand_is_an_organisation(make_kb, run_kb):
    root = make_kb()
    dry = run_kb("import", "article", "-", "--published", "2024-08-14", "--dry-run", kb=root, input=COMMISSION)
    assert dry.output.splitlines()[:8] == [
        "# date: 2024-08-13 from 'Aug 13' (from the dateline)",
        "# matched 'Mohsin Naqvi' to mohsin-naqvi (name)",
        "# proposed new person: farid-wardak 'Farid Wardak' (Chairman of the Independent Electoral Commission)",
        "# proposed new organisation: independent-electoral-commission 'Independent Electoral Commission' (AF)",
        "# countries: AF",
        "# place: Islamabad (PK)",
        "# proposed people/farid-wardak.yaml:",
        "#   id: farid-wardak",
    ]
    assert "# proposed orgs/independent-electoral-commission.yaml:" in dry.output
    result = _import(run_kb, root, COMMISSION, "--create-people", "--create-orgs")
    assert "wrote orgs/independent-electoral-commission.yaml: draft of 'Independent Electoral Commission'" in (
        result.output
    )
    assert (root / "orgs/independent-electoral-commission.yaml").read_text() == (
        "id: independent-electoral-commission\nname: Independent Electoral Commission\ncountry: AF\n"
    )
    assert sorted(p.name for p in (root / "people").iterdir()) == [
        "donald-blome.yaml",
        "farid-wardak.yaml",
        "mohsin-naqvi.yaml",
    ]
    meeting = (root / "meetings/2024-08-13-naqvi-wardak.yaml").read_text()
    assert "title: Chairman of the Independent Electoral Commission\n    role: lead\n" in meeting
    assert "Reuters" not in meeting  # the date line is no part of the text drafted from


@pytest.mark.parametrize(
    ("sentence", "body"),
    [
        (
            "Naqvi met the Chairman of the Independent Electoral Commission on Monday.",
            "independent-electoral-commission 'Independent Electoral Commission'",
        ),
        (
            "Naqvi met Chairman Capital Development Authority on Monday.",
            "capital-development-authority 'Capital Development Authority'",
        ),
        (
            "Naqvi met the Vice Chairman of the Central Election Council on Monday.",
            "central-election-council 'Central Election Council'",
        ),
        (
            "Naqvi met Chairman National Disaster Management Authority on Monday.",
            "national-disaster-management-authority 'National Disaster Management Authority'",
        ),
        (
            "Naqvi said the National Narcotics Coordination Centre will open soon.",
            "national-narcotics-coordination-centre 'National Narcotics Coordination Centre'",
        ),
        (
            "Naqvi met Secretary Narcotics Control Ministry on Monday.",
            "narcotics-control-ministry 'Narcotics Control Ministry'",
        ),
        ("Naqvi met Director General Federal Investigation Agency on Monday.", None),
        ("Naqvi met the Chief of the Afghan Refugees Bureau on Monday.", None),
        ("Naqvi met the head of the Senate Standing Committee on Monday.", None),
    ],
)
def test_bodies_are_never_people(sentence, body, make_kb, run_kb):
    story = "ISLAMABAD: Interior Minister Mohsin " + sentence + "\n"
    result = run_kb("import", "article", "-", "--published", "2024-08-14", "--dry-run", kb=make_kb(), input=story)
    assert result.exit_code == 0, result.output
    assert "proposed new person" not in result.output
    assert "participants:\n  - person: mohsin-naqvi\n" in result.output
    assert "  - person:" not in result.output.split("  - person: mohsin-naqvi", 1)[1]
    proposed = [line for line in result.output.splitlines() if line.startswith("# proposed new organisation: ")]
    assert proposed == ([f"# proposed new organisation: {body}"] if body else [])


def _reports() -> list[str]:
    own = [QATAR, COMMISSION, REQUESTS, QUOTES, WIRE]
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] if SEEDS.is_dir() else []
    return own + seeds


def test_every_article_draft_passes_check_and_fmt(repo, run_kb, check_json):
    """Imports are written in the canonical layout: the drafts of several reports (and of the
    seed articles, when they are beside the repository), people and organisations included, give
    no `kb check` error and nothing for `kb fmt --check` to change."""
    for number, report in enumerate(_reports()):
        result = run_kb(
            "import",
            "article",
            "-",
            "--published",
            "2024-08-14",
            "--url",
            f"https://example.org/report-{number}",
            "--create-people",
            "--create-orgs",
            kb=repo,
            input=report,
        )
        assert result.exit_code == 0, result.output
    findings, _code = check_json(repo)
    assert [f for f in findings if f["severity"] == "error"] == []
    formatted = run_kb("fmt", "--check", kb=repo)
    assert formatted.exit_code == 0, formatted.output


@pytest.mark.parametrize(
    "recalled",
    [
        "Ties grew during President Donald Trump's tenure.",
        "As former Prime Minister Nawaz Sharif once said, trust is the foundation.",
        "As Prime Minister Nawaz Sharif once said, trust is the foundation.",
        "The ties date back to the era of President Ayub Khan.",
        "Since the days of President Donald Trump, trade has doubled.",
        "Naqvi praised the vision of Prime Minister Shehbaz Sharif.",
    ],
)
def test_a_name_in_passing_is_not_a_participant(recalled, make_kb, run_kb):
    story = f"ISLAMABAD: Interior Minister Mohsin Naqvi met US Ambassador Donald Blome on Monday. {recalled}\n"
    result = run_kb("import", "article", "-", "--published", "2024-08-14", "--dry-run", kb=make_kb(), input=story)
    assert result.exit_code == 0, result.output
    people = [line.split(": ", 1)[1] for line in result.output.splitlines() if line.startswith("  - person: ")]
    assert people == ["mohsin-naqvi", "donald-blome"]
    assert "proposed new person" not in result.output


@pytest.mark.parametrize(
    ("sentence", "parties"),
    [
        ("Pakistan asked the US to extradite the suspect.", "by:\n      - PK\n    to:\n      - US\n"),
        ("The ambassador asked Pakistan to release the detainees.", "by:\n      - US\n    to:\n      - PK\n"),
        ("The minister urged the envoy to speed up visas.", "by:\n      - PK\n"),
        ("Washington was urged to return the artefacts.", "to:\n      - US\n"),
        ("The Americans were requested to share the records.", "to:\n      - US\n"),
        ("Blome urged Pakistan to reopen the crossing.", "by:\n      - US\n    to:\n      - PK\n"),
    ],
)
def test_who_asked_and_who_was_asked(sentence, parties, make_kb, run_kb):
    story = f"ISLAMABAD: Interior Minister Mohsin Naqvi met US Ambassador Donald Blome on Monday. {sentence}\n"
    result = run_kb("import", "article", "-", "--published", "2024-08-14", "--dry-run", kb=make_kb(), input=story)
    outcome = result.output[result.output.index("outcomes:") : result.output.index("sources:")]
    assert "    kind: request\n" in outcome
    assert outcome.split(f"text: {sentence.rstrip('.')}\n    ", 1)[1] == parties + "    status: open\n"
