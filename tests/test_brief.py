"""`kb brief`: on the repository's own records, on small knowledge bases, and in every format."""

import json
import re

import html5lib
import jsonschema
import pytest
from conftest import RECORDS, REPO, examples, write_kb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.model.records import SENSITIVITY_ORDER
from kb.query import audience as sensitivity
from kb.query import resolve as counterpart
from kb.rendering.templates import md_escape, mermaid_escape
from kb.store import loader
from kb.views.briefing import build

BLOME = "2024-07-13-naqvi-blome"
BIGGAR = "2025-11-13-naqvi-biggar"
BAKER_1 = "2025-12-06-naqvi-baker"
BAKER_2 = "2026-01-24-naqvi-baker"


def schema(name):
    return jsonschema.Draft202012Validator(json.loads((REPO / "kb" / "schemas" / f"{name}.schema.json").read_text()))


def brief_json(run_kb, *args, kb=RECORDS):
    result = run_kb("brief", *args, "--format", "json", kb=kb)
    assert result.exit_code == 0, result.output
    context = json.loads(result.stdout)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in schema("brief-output").iter_errors(context)]
    assert errors == []
    return context


def brief_md(run_kb, *args, kb=RECORDS):
    result = run_kb("brief", *args, kb=kb)
    assert result.exit_code == 0, result.output
    return result.stdout


def html_ok(text):
    html5lib.HTMLParser(strict=True).parse(text)  # raises on any parse error
    return text


# --- the repository's own records ---------------------------------------------------------------


def test_brief_on_donald_blome(run_kb):
    md = brief_md(run_kb, "donald-blome")
    assert md.startswith("> **TLP:CLEAR")
    assert "# Brief: Donald Blome" in md
    assert "last Ambassador to Pakistan, Embassy of the United States, Islamabad (May 2022 – 11 January 2025)" in md
    assert "### 13 July 2024 — Interior Minister Naqvi meets US Ambassador Blome" in md
    assert "- **Last met:** 13 July 2024 (Interior Minister Naqvi meets US Ambassador Blome); met once" in md
    # His successor's meetings are US meetings without him, after his.
    assert md.index("### 24 January 2026") < md.index("### 6 December 2025") < md.index("### 13 July 2024")
    assert "*A meeting with United States, without Donald Blome*" in md
    assert "- **Natalie Baker** — successor: Chargé d'Affaires a.i." in md
    # Open commitments from his meeting; the lapsed dialogue is not open any more.
    table = md.split("## Open commitments", 1)[1].split("## Last meeting", 1)[0]
    assert "Islamabad Police to visit New York" in table
    assert "Law Enforcement Dialogue" not in table
    assert (
        "“The US cooperation is of utmost importance in enhancing the capacity of law enforcement agencies” — Mohsin Naqvi"
        in md
    )


def test_misspelt_alias_finds_the_same_person(run_kb):
    by_alias = brief_json(run_kb, "Donald Bloom")
    by_id = brief_json(run_kb, "donald-blome")
    assert by_alias["subject"]["id"] == "donald-blome"
    assert by_alias["subject"]["query"] == "Donald Bloom"
    assert {**by_alias, "subject": None} == {**by_id, "subject": None}
    for spelling in ("donald bloom", "DONALD BLUME", "Donald-Blome"):
        assert brief_json(run_kb, spelling)["subject"]["id"] == "donald-blome"


def test_brief_on_natalie_baker_shows_her_predecessors_meeting(run_kb):
    context = brief_json(run_kb, "natalie-baker")
    assert [m["id"] for m in context["meetings"]] == [BAKER_2, BAKER_1, BLOME]
    assert [m["relation"] for m in context["meetings"]] == ["direct", "direct", "predecessor"]
    predecessor = context["meetings"][2]
    assert predecessor["via"] == {"id": "donald-blome", "name": "Donald Blome"}
    assert context["summary"]["met"] == 2
    assert context["summary"]["last_met"]["value"] == "2026-01-24"
    assert context["subject"]["current_roles"][0]["title"] == "Chargé d'Affaires a.i."
    assert {"id": "donald-blome", "relation": "predecessor"}.items() <= context["related_people"][0].items()

    md = brief_md(run_kb, "natalie-baker")
    section = md.split("### 13 July 2024 — Interior Minister Naqvi meets US Ambassador Blome", 1)[1]
    assert section.lstrip().startswith(
        "*Predecessor's meeting: Donald Blome, Ambassador to Pakistan, held the post before Natalie Baker*"
    )
    assert "- **In this brief:** 3 meetings, 1 with a predecessor in the post" in md
    table = md.split("## Open commitments", 1)[1].split("## Last meeting", 1)[0]
    for text in ("Conduct joint operations", "National Narcotics Coordination Centre", "Islamabad Police to visit"):
        assert text in table
    assert "## Last meeting: 24 January 2026" in md


def test_brief_on_the_united_states(run_kb):
    for query in ("US", "United States", "usa"):
        context = brief_json(run_kb, query)
        assert context["subject"] == {
            "kind": "country",
            "id": "US",
            "name": "United States",
            "query": query,
            "country": {"code": "US", "name": "United States"},
        }
        assert [m["id"] for m in context["meetings"]] == [BAKER_2, BAKER_1, BLOME]
    assert context["summary"]["met"] == 3
    assert {p["id"] for p in context["related_people"]} == {"donald-blome", "natalie-baker"}
    assert BIGGAR not in json.dumps(context)
    assert [c["overdue"] for c in context["commitments"]] == [False] * 8


@pytest.mark.parametrize(
    "query", ["graeme-biggar", "Graeme Biggar", "uk-national-crime-agency", "NCA", "UK National Crime Agency"]
)
def test_brief_on_the_national_crime_agency_and_its_director_general(run_kb, query):
    context = brief_json(run_kb, query)
    assert [m["id"] for m in context["meetings"]] == [BIGGAR]
    assert [c["id"] for c in context["commitments"]] == [
        "five-mous",
        "training-cooperation",
        "online-child-exploitation",
        "extradition-support",
    ]
    assert all(
        c["by"]
        == [
            {"ref": "PK", "kind": "country", "name": "Pakistan"},
            {"ref": "GB", "kind": "country", "name": "United Kingdom"},
        ]
        for c in context["commitments"]
    )
    md = brief_md(run_kb, query)
    assert "### 13 November 2025 — Interior Minister Naqvi meets UK National Crime Agency Director General Biggar" in md
    assert "Five memoranda of understanding" in md
    assert "Graeme Biggar, Director General of the National Crime Agency (National Crime Agency)" in md


def test_brief_on_graeme_biggar_header(run_kb):
    md = brief_md(run_kb, "graeme-biggar")
    assert (
        "- **Post:** Director General of the National Crime Agency, National Crime Agency (NCA), since August 2022"
    ) in md
    assert "- **Country:** United Kingdom" in md
    assert "- **Jane Marriott** — same side: United Kingdom" in md


# At the end of 2024 the records held one meeting, Blome's of July 2024, and its three commitments
# were open (the update saying the dialogue lapsed is dated 2026); the UK meetings came later.
BLOME_COMMITMENTS = ["law-enforcement-dialogue", "islamabad-police-nypd-visit", "security-cooperation"]
MET_BLOME = "- **Last met:** 13 July 2024 (Interior Minister Naqvi meets US Ambassador Blome); met once"
NEVER_MET = "- **Last met:** never, in these records"


@pytest.mark.parametrize(
    ("query", "meetings", "commitments", "last_met", "in_brief"),
    [
        ("donald-blome", [BLOME], BLOME_COMMITMENTS, MET_BLOME, "1 meeting"),
        # Blome's meeting is hers only as a US meeting: she had not met Naqvi herself
        ("natalie-baker", [BLOME], BLOME_COMMITMENTS, NEVER_MET, "1 meeting, 1 with others of the same country"),
        ("US", [BLOME], BLOME_COMMITMENTS, MET_BLOME, "1 meeting"),
        ("PK", [BLOME], BLOME_COMMITMENTS, MET_BLOME, "1 meeting"),
        ("mohsin-naqvi", [BLOME], BLOME_COMMITMENTS, MET_BLOME, "1 meeting"),
        ("graeme-biggar", [], [], NEVER_MET, "0 meetings"),
        ("GB", [], [], NEVER_MET, "0 meetings"),
    ],
)
def test_as_of_leaves_out_every_later_meeting(run_kb, query, meetings, commitments, last_met, in_brief):
    context = brief_json(run_kb, query, "--as-of", "2024-12-31")
    assert [m["id"] for m in context["meetings"]] == meetings
    assert [c["id"] for c in context["commitments"]] == commitments
    assert context["as_of"]["value"] == "2024-12-31" and context["as_of_given"]
    assert not re.search(r"202[56]-\d\d-\d\d-naqvi", json.dumps(context))
    md = brief_md(run_kb, query, "--as-of", "2024-12-31")
    assert last_met in md.splitlines()
    assert f"- **In this brief:** {in_brief}" in md.splitlines()
    assert "- **As of:** 31 December 2024" in md.splitlines()
    if not meetings:
        assert "## Open commitments\n\nNone open.\n\n## Meetings, newest first\n\nNo meetings recorded.\n" in md
    assert not re.search(r"\b(2025|2026)\b", md), "a later date shows through"


def test_as_of_shows_commitment_status_and_roles_as_they_were(run_kb):
    context = brief_json(run_kb, "natalie-baker", "--as-of", "2024-12-31")
    # Blome's meeting is now hers only as a US meeting: her post then was Deputy Chief of Mission.
    assert context["subject"]["current_roles"][0]["title"] == "Deputy Chief of Mission"
    assert [(m["id"], m["relation"]) for m in context["meetings"]] == [(BLOME, "country")]
    assert context["summary"]["last_met"] is None
    dialogue = context["commitments"][0]
    assert dialogue["id"] == "law-enforcement-dialogue"
    assert (dialogue["status"], dialogue["overdue"], dialogue["days_overdue"]) == ("open", True, 61)
    assert dialogue["updates"] == []  # the update saying it lapsed is dated 2026
    md = brief_md(run_kb, "natalie-baker", "--as-of", "2024-12-31")
    assert "| October 2024 — **overdue** (61 days) | Hold a joint Pakistan–US Law Enforcement Dialogue" in md
    # Today the dialogue has lapsed: neither open nor overdue.
    assert "law-enforcement-dialogue" not in [c["id"] for c in brief_json(run_kb, "natalie-baker")["commitments"]]


def test_brief_on_a_meeting_covers_its_counterparts(run_kb):
    context = brief_json(run_kb, BAKER_2)
    assert context["subject"]["meeting"]["id"] == BAKER_2
    assert [p["id"] for p in context["subject"]["counterparts"]] == ["natalie-baker"]
    assert [m["id"] for m in context["meetings"]] == [BAKER_1, BLOME]


def test_every_format_of_the_real_briefs(run_kb, tmp_path):
    for query in ("donald-blome", "natalie-baker", "US", "graeme-biggar", "uk-national-crime-agency", BIGGAR):
        html = run_kb("brief", query, "--format", "html", kb=RECORDS).stdout
        html_ok(html)
        assert "<script" not in html and "http://" not in html.split("<body>")[0]
        text = run_kb("brief", query, "--format", "text", kb=RECORDS).stdout
        assert "**" not in text and "TLP:CLEAR" in text
    html = run_kb("brief", "natalie-baker", "--format", "html", kb=RECORDS).stdout
    assert '<p class="relation">Predecessor&#39;s meeting: Donald Blome, Ambassador to Pakistan' in html
    assert '<a href="https://www.dawn.com/news/1845722">Dawn</a>' in html


def test_output_file_is_written_and_its_format_follows_its_name(run_kb, tmp_path):
    target = tmp_path / "out" / "blome.html"
    result = run_kb("brief", "donald-blome", "-o", target, kb=RECORDS)
    assert result.exit_code == 0 and result.stdout == ""
    assert html_ok(target.read_text()).startswith("<!DOCTYPE html>")
    run_kb("brief", "donald-blome", "-o", target.with_suffix(".json"), kb=RECORDS)
    assert json.loads(target.with_suffix(".json").read_text())["subject"]["id"] == "donald-blome"
    run_kb("brief", "donald-blome", "-o", tmp_path / "b.md", kb=RECORDS)
    assert (tmp_path / "b.md").read_text() == brief_md(run_kb, "donald-blome")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.md", "out"]  # no temporary files left


# --- counterparts that cannot be resolved -------------------------------------------------------


def test_unknown_counterpart_suggests_and_exits_2(run_kb):
    result = run_kb("brief", "Donald Blame", kb=RECORDS)
    assert result.exit_code == 2
    assert result.stderr == (
        "kb: error: no person, organisation, country or meeting matches 'Donald Blame'; "
        "did you mean 'donald-blome' (Donald Blome)?\n"
    )
    weak = run_kb("brief", "Blome", kb=RECORDS)
    assert weak.exit_code == 2 and "weak alias" in weak.stderr and "'donald-blome' (Donald Blome)" in weak.stderr
    assert "Traceback" not in result.output + weak.output


def test_ambiguous_counterpart_lists_the_candidates(make_kb, run_kb):
    kb = make_kb(
        {
            "people/donald-bloom.yaml": """\
            id: donald-bloom
            name: Donald Bloom
            country: GB
            """,
            "people/donald-blome-2.yaml": """\
            id: donald-blome-2
            name: Donald Blome
            country: US
            """,
        }
    )
    result = run_kb("brief", "Donald Blome", kb=kb)
    assert result.exit_code == 2
    assert result.stderr == (
        "kb: error: 'Donald Blome' could be any of: person donald-blome (Donald Blome); "
        "person donald-blome-2 (Donald Blome). Give the id instead\n"
    )
    assert run_kb("brief", "donald-blome-2", kb=kb).exit_code == 0


@pytest.mark.parametrize(
    "text, kind, ident",
    [
        ("donald-blome", "person", "donald-blome"),
        ("Donald Bloom", "person", "donald-blome"),
        ("GB", "country", "GB"),
        ("UK", "country", "GB"),
        ("United Kingdom", "country", "GB"),
        ("Britain", "country", "GB"),
        ("pakistan", "country", "PK"),
        ("pk-interior", "org", "pk-interior"),
        ("Ministry of Interior", "org", "pk-interior"),
        ("2024-07-13-naqvi-blome", "meeting", "2024-07-13-naqvi-blome"),
    ],
)
def test_resolve(make_kb, text, kind, ident):
    kb = loader.load(make_kb())
    found = counterpart.resolve(kb, text)
    assert (found.kind, found.id) == (kind, ident)


def test_former_ids_still_resolve(make_kb):
    kb = loader.load(
        make_kb(
            {
                "people/donald-blome.yaml": """\
        id: donald-blome
        name: Donald Blome
        country: US
        former_ids: [donald-bloom-us]
        """
            }
        )
    )
    assert counterpart.resolve(kb, "donald-bloom-us").id == "donald-blome"


def test_bad_options_are_usage_errors(run_kb):
    assert run_kb("brief", "US", "--as-of", "2024-13", kb=RECORDS).exit_code == 2
    result = run_kb("brief", "US", "--audience", "ambr", kb=RECORDS)
    assert result.exit_code == 2
    assert result.stderr == (
        "kb: error: --audience: 'ambr' is not a TLP level; did you mean AMBER? use one of "
        "CLEAR, GREEN, AMBER, AMBER+STRICT, RED\n"
    )


# --- audience -----------------------------------------------------------------------------------

MARKED = {
    "meetings/2024-07-13-naqvi-blome.yaml": """\
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        sensitivity: CLEAR
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister, role: lead}
          - {person: donald-blome, side: US, title: Ambassador, role: lead}
        outcomes:
          - {id: open-one, kind: commitment, text: Visible commitment text., by: [PK], status: open}
          - {id: secret-one, kind: commitment, text: Amber commitment zqx1., by: [US], status: open, sensitivity: AMBER}
        quotes:
          - {speaker: donald-blome, text: Red quote zqx2, sensitivity: RED}
        notes:
          - {text: Green note visible., sensitivity: GREEN}
        claims:
          - {text: Strict claim zqx3, sensitivity: AMBER+STRICT}
        sources:
          - {url: "https://example.org/report", publisher: Example}
        """,
    "meetings/2024-09-01-naqvi-blome.yaml": """\
        id: 2024-09-01-naqvi-blome
        title: Red meeting title zqx4
        date: 2024-09-01
        status: held
        sensitivity: RED
        participants:
          - {person: mohsin-naqvi, side: PK, role: lead}
          - {person: donald-blome, side: US, role: lead}
        topics: [extradition]
        summary: Red summary zqx5.
        sources:
          - {url: "https://example.org/red-zqx6", publisher: Red publisher zqx7}
        """,
}


def all_outputs(run_kb, kb, *args):
    """Every format of a brief and a timeline, as text."""
    outputs = {}
    for fmt in ("md", "html", "json", "text"):
        outputs[f"brief {fmt}"] = run_kb("brief", *args, "--format", fmt, kb=kb).stdout
    for fmt in ("md", "html", "json", "text", "csv", "ics", "mermaid", "table"):
        outputs[f"timeline {fmt}"] = run_kb("timeline", *args, "--format", fmt, kb=kb).stdout
    return outputs


def test_audience_withholds_what_is_marked_above_it(make_kb, run_kb):
    kb = make_kb(MARKED)
    context = brief_json(run_kb, "donald-blome", "--audience", "green", kb=kb)
    assert context["audience"]["level"] == "GREEN"
    assert context["audience"]["withheld"] == {
        "meetings": 1,
        "outcomes": 1,
        "quotes": 1,
        "claims": 1,
        "notes": 0,
        "person notes": 0,
        "aliases": 0,
    }
    assert context["audience"]["banner"] == (
        "TLP:GREEN — 4 items marked above GREEN withheld (1 meeting, 1 outcome, 1 claim, 1 quote)"
    )
    assert [m["id"] for m in context["meetings"]] == ["2024-07-13-naqvi-blome"]
    assert context["topics"] == []  # the withheld meeting's topic is not counted either
    for name, text in all_outputs(run_kb, kb, "donald-blome", "--audience", "GREEN").items():
        assert "zqx" not in text and "2024-09-01" not in text, name
        assert "Green note visible" in text or name.startswith("timeline"), name
    md = brief_md(run_kb, "donald-blome", "--audience", "GREEN", kb=kb)
    assert md.startswith("> **TLP:GREEN — 4 items marked above GREEN withheld")

    everything = brief_json(run_kb, "donald-blome", kb=kb)
    assert everything["audience"]["banner"].startswith("TLP:RED — the highest marking included")
    assert "zqx4" in json.dumps(everything)
    amber = brief_json(run_kb, "donald-blome", "--audience", "AMBER", kb=kb)
    assert "zqx1" in json.dumps(amber) and "zqx3" not in json.dumps(amber)


def test_config_sets_the_default_audience_and_marking(make_kb, run_kb):
    kb = make_kb(
        {
            **MARKED,
            "kb.yaml": """\
        name: Test knowledge base
        our_side: PK
        default_sensitivity: AMBER
        brief_audience: GREEN
        """,
        }
    )
    context = brief_json(run_kb, "donald-blome", kb=kb)
    assert context["audience"]["level"] == "GREEN"
    assert "zqx" not in json.dumps(context)
    assert brief_json(run_kb, "donald-blome", "--audience", "RED", kb=kb)["audience"]["withheld_total"] == 0


def test_a_meeting_above_the_audience_cannot_be_briefed_on(make_kb, run_kb):
    kb = make_kb(MARKED)
    result = run_kb("brief", "2024-09-01-naqvi-blome", "--audience", "AMBER", kb=kb)
    assert result.exit_code == 2
    assert "zqx" not in result.output and "marked RED, above the audience AMBER" in result.stderr


TEXT_FIELDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=6, max_size=10)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    markings=st.lists(st.sampled_from((None,) + SENSITIVITY_ORDER), min_size=6, max_size=6),
    audience=st.sampled_from(SENSITIVITY_ORDER),
)
def test_nothing_above_the_audience_reaches_the_context(tmp_path_factory, markings, audience):
    """Every text of every marked part, tagged with its marking, is absent exactly when withheld."""
    root = tmp_path_factory.mktemp("kb")
    meeting_mark, outcome_mark, claim_mark, quote_mark, note_mark, person_mark = markings

    def mark(level):
        return f", sensitivity: {level}" if level else ""

    write_kb(
        root,
        {
            "people/donald-blome.yaml": f"""\
            id: donald-blome
            name: Donald Blome
            country: US
            notes: personnote{person_mark or "X"}
            {"sensitivity: " + person_mark if person_mark else ""}
            """,
            "meetings/2024-07-13-naqvi-blome.yaml": f"""\
            id: 2024-07-13-naqvi-blome
            title: meetingtitle{meeting_mark or "X"}
            date: 2024-07-13
            status: held
            {"sensitivity: " + meeting_mark if meeting_mark else ""}
            participants:
              - {{person: donald-blome, side: US, role: lead}}
            outcomes:
              - {{id: o, kind: commitment, text: outcometext{outcome_mark or "X"}, status: open{mark(outcome_mark)}}}
            claims:
              - {{text: claimtext{claim_mark or "X"}{mark(claim_mark)}}}
            quotes:
              - {{speaker: donald-blome, text: quotetext{quote_mark or "X"}{mark(quote_mark)}}}
            notes:
              - {{text: notetext{note_mark or "X"}{mark(note_mark)}}}
            sources:
              - {{url: "https://example.org/a", publisher: sourcetext}}
            """,
        },
    )
    kb = loader.load(root)
    assert not kb.load_findings
    readers = sensitivity.Audience(audience, "CLEAR")
    text = json.dumps(build(kb, counterpart.resolve(kb, "donald-blome"), readers))
    rank = SENSITIVITY_ORDER.index
    meeting_level = meeting_mark or "CLEAR"
    meeting_shown = rank(meeting_level) <= rank(audience)
    assert ("meetingtitle" in text) == meeting_shown
    assert ("sourcetext" in text) == meeting_shown
    for prefix, own in (
        ("outcometext", outcome_mark),
        ("claimtext", claim_mark),
        ("quotetext", quote_mark),
        ("notetext", note_mark),
    ):
        shown = meeting_shown and rank(own or meeting_level) <= rank(audience)
        assert (prefix in text) == shown, prefix
    assert ("personnote" in text) == (rank(person_mark or "CLEAR") <= rank(audience))


# --- hostile record text ------------------------------------------------------------------------

PAYLOAD = "<script>alert(1)</script> {{ 7*7 }} {% raw %}[x](javascript:alert(1)) | =cmd"
HOSTILE = {
    "people/donald-blome.yaml": f"""\
        id: donald-blome
        name: "Donald Blome"
        country: US
        notes: "{PAYLOAD} note"
        roles:
          - title: "{PAYLOAD} title"
            post: us-chief-of-mission-pakistan
            start: 2022-05
        """,
    "meetings/2024-07-13-naqvi-blome.yaml": f"""\
        id: 2024-07-13-naqvi-blome
        title: "{PAYLOAD} meeting"
        date: 2024-07
        status: held
        location: {{place: "{PAYLOAD} place", country: PK}}
        participants:
          - {{person: mohsin-naqvi, side: PK, title: "{PAYLOAD} minister", role: lead}}
          - {{person: donald-blome, side: US, role: lead}}
        agenda: ["{PAYLOAD} agenda"]
        summary: "{PAYLOAD} summary"
        outcomes:
          - {{id: o, kind: commitment, text: "{PAYLOAD} outcome", by: [US], due: 2024-10, status: open}}
        claims:
          - {{text: "{PAYLOAD} claim", figures: ["{PAYLOAD} figure"]}}
        quotes:
          - {{speaker: donald-blome, text: "{PAYLOAD} quote", source: 1}}
        notes:
          - {{text: "{PAYLOAD} notes"}}
        sources:
          - {{url: "https://example.org/a?b=(c)&copy=1", publisher: "{PAYLOAD} publisher", title: "{PAYLOAD} t"}}
        """,
}


def test_hostile_text_is_inert_in_every_format(make_kb, run_kb):
    kb = make_kb(HOSTILE)
    assert not loader.load(kb).load_findings
    outputs = all_outputs(run_kb, kb, "donald-blome")
    for name, text in outputs.items():
        assert text, name
        # DTSTAMP and similar carry the clock, whose digits may well be 49: leave them out.
        content = "\n".join(
            line for line in text.splitlines() if not line.startswith(("DTSTAMP", "CREATED", "LAST-MODIFIED"))
        )
        assert "49" not in content, f"{name}: template syntax in a record was evaluated"
        assert "7*7" in content.replace(" ", "").replace("\\", ""), f"{name}: the record's text was lost"
    for name in ("brief md", "timeline md", "brief html", "timeline html", "timeline mermaid", "timeline ics"):
        assert "<script" not in outputs[name], name
    html = outputs["brief html"]
    html_ok(html)
    html_ok(outputs["timeline html"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% raw %}[x](javascript:alert(1))" in html
    assert 'href="javascript' not in html
    assert '<a href="https://example.org/a?b=(c)&amp;copy=1">' in html
    md = outputs["brief md"]
    assert r"&lt;script&gt;alert(1)&lt;/script&gt; {{ 7\*7 }} {% raw %}\[x\](javascript:alert(1)) \| =cmd meeting" in md
    assert "(https://example.org/a?b=%28c%29&amp;copy=1)" in md
    # The Markdown, rendered, is still inert: no HTML element or link comes from record text.
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script" not in rendered and 'href="javascript' not in rendered
    assert rendered.count("<a href") == 1
    mermaid = outputs["timeline mermaid"]
    event = mermaid.splitlines()[-1]
    assert event.count(" : ") == 1 and event.split(" : ")[0].strip() == "July 2024"
    assert "#60;script#62;alert(1)#60;/script#62; #123;#123; 7*7 #125;#125;" in event
    assert "'=cmd" not in outputs["timeline csv"].split("\r\n")[0]
    assert json.loads(outputs["brief json"])["meetings"][0]["title"] == f"{PAYLOAD} meeting"


def test_csv_cells_are_never_formulas(make_kb, run_kb):
    kb = make_kb(
        {
            "meetings/2024-07-13-naqvi-blome.yaml": HOSTILE["meetings/2024-07-13-naqvi-blome.yaml"].replace(
                f'title: "{PAYLOAD} meeting"', 'title: "=HYPERLINK(\\"http://evil\\")"'
            )
        }
    )
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run_kb("timeline", "US", "--format", "csv", kb=kb).stdout)))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil")'


def test_escapers():
    assert md_escape("# Head\n\n- *x* <b>") == r"\# Head - \*x\* &lt;b&gt;"
    assert md_escape("1. first") == r"1\. first"
    assert md_escape("in-progress") == "in-progress"
    assert mermaid_escape("a: b; #c %%{init}%%") == "a#58; b#59; #35;c #37;#37;#123;init#125;#37;#37;"


# --- templates ----------------------------------------------------------------------------------


def test_a_template_in_the_knowledge_base_overrides_the_default(make_kb, run_kb):
    kb = make_kb({"templates/brief.md.j2": "Custom brief on {{ subject.name }}: {{ meetings|length }} meeting(s)\n"})
    assert run_kb("brief", "donald-blome", kb=kb).stdout == "Custom brief on Donald Blome: 1 meeting(s)\n"
    # Only the overridden template changes; HTML still comes from kb's own.
    assert "<!DOCTYPE html>" in run_kb("brief", "donald-blome", "--format", "html", kb=kb).stdout


def test_a_template_edited_between_two_runs_in_one_process_is_read_again(make_kb, run_kb):
    """Each run reads its templates once (an environment does not look at their files again):
    the next run, in the same process, reads the edited one."""
    kb = make_kb({"templates/brief.md.j2": "First on {{ subject.name }}\n"})
    assert run_kb("brief", "donald-blome", kb=kb).stdout == "First on Donald Blome\n"
    (kb / "templates" / "brief.md.j2").write_text("Second on {{ subject.name }}\n")
    assert run_kb("brief", "donald-blome", kb=kb).stdout == "Second on Donald Blome\n"


def test_the_templates_folder_is_configurable_and_shared_pieces_override_too(make_kb, run_kb):
    kb = make_kb(
        {
            "kb.yaml": "name: Test\nour_side: PK\ntemplates: layout\n",
            "layout/kb.css": "body { color: rebeccapurple; }\n",
        }
    )
    html = run_kb("brief", "donald-blome", "--format", "html", kb=kb).stdout
    assert "rebeccapurple" in html and "--ink" not in html


@pytest.mark.parametrize(
    "template, message",
    [
        (
            "{{ ''.__class__.__mro__ }}",
            "not allowed in a template: access to attribute '__class__' of 'str' object is unsafe",
        ),
        ("{{ subject.name.__class__.__mro__[1].__subclasses__() }}", "not allowed in a template"),
        ("{{ no_such_thing }}", "template error: 'no_such_thing' is undefined"),
        ("{% for x in %}", "template syntax error"),
    ],
)
def test_a_malicious_or_broken_override_fails_cleanly(make_kb, run_kb, template, message):
    kb = make_kb({"templates/brief.md.j2": f"Header\n{template}\n"})
    result = run_kb("brief", "donald-blome", kb=kb)
    assert result.exit_code == 2
    assert result.stderr.startswith("kb: error: ") and message in result.stderr
    assert "brief.md.j2:2" in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


PLANNED = {
    "people/jane-doe.yaml": """\
        id: jane-doe
        name: Jane Doe
        country: GB
        roles:
          - {title: Minister of State, org: gb-home-office, start: 2024-01}
        """,
    "orgs/gb-home-office.yaml": "id: gb-home-office\nname: Home Office\ncountry: GB\n",
    "meetings/2099-03-naqvi-blome-doe.yaml": """\
        id: 2099-03-naqvi-blome-doe
        title: Trilateral talks
        date: 2099-03
        status: planned
        location: {place: London, country: GB}
        participants:
          - {person: mohsin-naqvi, side: PK, role: lead}
          - {person: donald-blome, side: US, role: lead}
          - {person: jane-doe, side: GB, role: lead}
        agenda: [Extradition requests, Visa fraud]
        sources:
          - {document: invitation letter}
        """,
}


def test_brief_on_a_planned_meeting_covers_its_counterparts_and_agenda(make_kb, run_kb):
    kb = make_kb(PLANNED)
    context = brief_json(run_kb, "2099-03-naqvi-blome-doe", kb=kb)
    assert context["subject"]["kind"] == "meeting"
    assert context["subject"]["meeting"]["agenda"] == ["Extradition requests", "Visa fraud"]
    assert [p["id"] for p in context["subject"]["counterparts"]] == ["donald-blome", "jane-doe"]
    assert [s["code"] for s in context["subject"]["sides"]] == ["US", "GB"]
    assert [m["id"] for m in context["meetings"]] == ["2024-07-13-naqvi-blome"]
    assert context["upcoming"] == []  # the meeting briefed for is the subject, not a planned extra
    md = brief_md(run_kb, "2099-03-naqvi-blome-doe", kb=kb)
    assert "- **Meeting:** Trilateral talks, March 2099, London (planned)" in md
    assert "  1. Extradition requests\n  2. Visa fraud\n" in md
    assert "## Counterpart: Donald Blome" in md and "## Counterpart: Jane Doe" in md
    # A brief on one of its counterparts lists it as planned; a timeline of the meeting includes it.
    assert "## Planned\n\n- March 2099 — Trilateral talks, London (`2099-03-naqvi-blome-doe`)" in brief_md(
        run_kb, "jane-doe", kb=kb
    )
    result = run_kb("timeline", "2099-03-naqvi-blome-doe", "--format", "json", kb=kb)
    assert [e["id"] for e in json.loads(result.stdout)["entries"]] == [
        "2024-07-13-naqvi-blome",
        "2099-03-naqvi-blome-doe",
    ]
