"""The one audience rule (kb.query.audience) where it used to leak: the site's problems page, the
resolver of --with and --owner, and `kb merge` of notes marked by the default."""

import json

import yaml

from kb.model.records import SENSITIVITY_ORDER
from kb.query.audience import Audience, highest, rank

# A GREEN meeting whose RED claim is still a placeholder and whose RED outcome names an unknown
# party: `kb check` quotes both.
SECRET_MEETING = """\
    id: 2024-08-02-naqvi-blome
    title: A second meeting on counter-narcotics
    date: 2024-08-02
    status: held
    sensitivity: GREEN
    participants:
      - {person: mohsin-naqvi, side: PK, title: Interior Minister}
      - {person: donald-blome, side: US, title: Ambassador}
    claims:
      - text: 'TODO: the pipeline through Gwadar moonwort'
        by: mohsin-naqvi
        sensitivity: RED
    outcomes:
      - id: handover
        kind: commitment
        text: Hand over the list.
        by: [saltmarsh-envoy]
        status: open
        sensitivity: RED
    sources:
      - url: https://example.org/second
"""

# Donald Blome's RED alias is the name of another person: KB605 reports it, lower-cased.
RED_ALIAS_PEOPLE = {
    "people/donald-blome.yaml": """\
        id: donald-blome
        name: Donald Blome
        country: US
        aliases:
          - name: Osprey Hallam
            kind: spelling
            sensitivity: RED
        """,
    "people/osprey-hallam.yaml": """\
        id: osprey-hallam
        name: Osprey Hallam
        country: GB
        """,
}


def test_one_ranking_reads_no_unknown_marking():
    assert [rank(level) for level in SENSITIVITY_ORDER] == [0, 1, 2, 3, 4]
    assert rank("REDD") == 5 and highest(["GREEN", "AMBER+STRICT", "AMBER"]) == "AMBER+STRICT"
    green = Audience("GREEN")
    assert (green.allows("CLEAR"), green.allows("GREEN"), green.allows("AMBER"), green.allows("REDD")) == (
        True,
        True,
        False,
        False,
    )
    assert green.sees_alias({"name": "x"}) and not green.sees_alias({"name": "x", "sensitivity": "AMBER"})
    assert green.sees_part({"text": "x"}, "GREEN") and not green.sees_part({"text": "x"}, "RED")
    assert not Audience("RED").sees_part({"sensitivity": "TLP:RED"}, "CLEAR")  # not a level: nobody


def _problems(run_kb, root, audience):
    site = root.parent / f"site-{audience}"
    result = run_kb("site", "build", "-o", site, "--audience", audience, kb=root)
    assert result.exit_code == 0, result.output
    return (site / "problems.html").read_text(encoding="utf-8")


def test_the_problems_page_quotes_no_part_above_the_audience(make_kb, run_kb):
    root = make_kb({"meetings/2024-08-02-naqvi-blome.yaml": SECRET_MEETING})
    red = _problems(run_kb, root, "RED")
    assert "moonwort" in red and "saltmarsh-envoy" in red  # the findings are there to be withheld
    green = _problems(run_kb, root, "GREEN")
    assert "moonwort" not in green and "saltmarsh-envoy" not in green
    # the findings keep their place and code; their text is withheld, and the page says so
    assert green.count("text withheld: this finding may quote content marked above GREEN") == 2
    assert "KB606" in green and "KB405" in green and "meetings/2024-08-02-naqvi-blome.yaml" in green


def test_the_problems_page_names_no_alias_above_the_audience_whatever_its_case(make_kb, run_kb, check_json):
    root = make_kb(RED_ALIAS_PEOPLE)
    findings, _code = check_json(root)
    assert [f["message"] for f in findings if f["code"] == "KB605"] == [
        "the name 'osprey hallam' belongs to donald-blome, osprey-hallam"
    ]
    assert "donald-blome, osprey-hallam" in _problems(run_kb, root, "RED")
    green = _problems(run_kb, root, "GREEN")
    assert "osprey hallam" not in green.lower().replace("osprey-hallam.yaml", "")
    assert "belongs to donald-blome" not in green
    assert "1 more concern records this audience may not read." in green


def test_search_with_and_due_owner_refuse_an_alias_above_the_audience(make_kb, run_kb):
    root = make_kb(
        {
            "people/donald-blome.yaml": """\
                id: donald-blome
                name: Donald Blome
                country: US
                aliases:
                  - name: Kestrel Vane
                    kind: spelling
                    sensitivity: RED
                """
        }
    )
    for args in (("search", "dialogue", "--with"), ("due", "--owner"), ("brief",), ("timeline",)):
        red = run_kb(*args, "Kestrel Vane", "--audience", "RED", kb=root)
        assert red.exit_code == 0, (args, red.output)
        green = run_kb(*args, "Kestrel Vane", "--audience", "GREEN", kb=root)
        assert green.exit_code == 2, (args, green.output)
        assert "donald" not in green.output.lower(), (args, green.output)
        # a near miss suggests nothing the audience may not read
        near = run_kb(*args, "Kestrel Vance", "--audience", "GREEN", kb=root)
        assert near.exit_code == 2 and "donald" not in near.output.lower(), (args, near.output)
        assert "Kestrel Vane" not in near.output, (args, near.output)
    near = run_kb("due", "--owner", "Kestrel Vance", "--audience", "RED", kb=root)
    assert "did you mean" in near.output and "Donald Blome" in near.output  # the RED reader is helped


def test_a_merge_never_lowers_the_marking_of_the_notes_it_moves(make_kb, run_kb):
    root = make_kb(
        {
            "kb.yaml": """\
                name: Test knowledge base
                our_side: PK
                default_sensitivity: AMBER
                """,
            "people/donald-blome.yaml": """\
                id: donald-blome
                name: Donald Blome
                country: US
                sensitivity: GREEN
                notes: Met him twice.
                """,
            "people/donald-bloom.yaml": """\
                id: donald-bloom
                name: Donald Bloom
                country: US
                notes: Prefers the heron walk.
                """,
        }
    )
    before = run_kb("brief", "donald-blome", "--audience", "GREEN", "--format", "json", kb=root)
    assert "Met him twice." in before.output
    result = run_kb("merge", "donald-blome", "donald-bloom", "--why", "one ambassador", kb=root)
    assert result.exit_code == 0, result.output
    merged = yaml.safe_load((root / "people/donald-blome.yaml").read_text(encoding="utf-8"))
    assert merged["sensitivity"] == "AMBER"  # the moved notes' effective marking, written out
    assert merged["notes"] == "Met him twice.\nPrefers the heron walk."
    for audience in ("CLEAR", "GREEN"):
        shown = run_kb("brief", "donald-blome", "--audience", audience, "--format", "json", kb=root)
        assert "heron" not in shown.output and "Met him twice" not in shown.output, shown.output
        assert json.loads(shown.output)["audience"]["withheld"]["person notes"] == 1
    amber = run_kb("brief", "donald-blome", "--audience", "AMBER", "--format", "json", kb=root)
    assert "Met him twice.\\nPrefers the heron walk." in amber.output  # as JSON writes it


AMBER_MEETING = """\
    id: 2024-08-03-naqvi-blome
    title: Talks in confidence
    date: 2024-08-03
    status: held
    sensitivity: AMBER
    participants:
      - {person: mohsin-naqvi, side: PK, title: Interior Minister}
      - {person: donald-blome, side: US, title: Ambassador}
    outcomes:
      - id: talks
        kind: commitment
        text: Talk again.
        status: open
    sources:
      - url: https://example.org/third
"""

FOLLOWING_MEETING = """\
    id: 2024-08-04-naqvi-blome
    title: A follow-up
    date: 2024-08-04
    status: held
    participants:
      - {person: mohsin-naqvi, side: PK, title: Interior Minister}
      - {person: donald-blome, side: US, title: Ambassador}
    outcomes:
      - id: again
        kind: commitment
        text: Talk once more.
        follows_up: 2024-08-03-naqvi-blome#talks
        status: open
        updates:
          - {date: 2024-08-05, status: in-progress, meeting: 2024-08-03-naqvi-blome}
    sources:
      - url: https://example.org/fourth
"""


def test_the_copies_made_when_read_are_the_copies(make_kb):
    """The site's copies of the meetings (made when first read, from the head where it says what
    the copy's is) are, for every audience, the copies a brief makes: the same data, the same
    head, nothing above the audience; a meeting with a part cut or a reference pruned is copied
    at once."""
    from kb.model.records import Meeting
    from kb.query.audience import LazyCopy
    from kb.store.loader import load

    root = make_kb(
        {
            "meetings/2024-08-02-naqvi-blome.yaml": SECRET_MEETING,
            "meetings/2024-08-03-naqvi-blome.yaml": AMBER_MEETING,
            "meetings/2024-08-04-naqvi-blome.yaml": FOLLOWING_MEETING,
        }
    )
    load(root)
    kb = load(root)  # from the cache: every meeting has its head
    lazy_counts = {}
    for level in (None, *SENSITIVITY_ORDER):
        readers = Audience(level, kb.config.default_sensitivity, kb)
        shown = {m.id for m in kb.meetings.values() if readers.may_see(m)}
        eager = readers.meetings(kb.sorted_meetings, shown, count=False)
        copies = readers.copies(kb.sorted_meetings, shown)
        assert [m.id for m in copies] == [m.id for m in eager]
        lazy = [copy for copy in copies if isinstance(copy, LazyCopy)]
        for copy in lazy:
            assert not copy.holds_data()
            assert copy.head == Meeting.head_of(copy.data)
        for copy, expected in zip(copies, eager, strict=True):
            assert (copy.relpath, copy.data) == (expected.relpath, expected.data)
        lazy_counts[level] = sorted(copy.id for copy in lazy)
        text = json.dumps([copy.data for copy in copies])
        if level in (None, "RED", "AMBER+STRICT", "AMBER"):
            assert "Talk again." in text
        else:
            assert "Talk again." not in text and "2024-08-03-naqvi-blome" not in text
        assert ("Hand over the list." in text) == (level in (None, "RED"))
    # below AMBER the follow-up's reference is pruned, below RED the GREEN meeting's parts are cut
    assert lazy_counts[None] == lazy_counts["RED"] == sorted(kb.meetings)
    assert "2024-08-04-naqvi-blome" not in lazy_counts["GREEN"]
    assert "2024-08-02-naqvi-blome" not in lazy_counts["GREEN"]
    assert "2024-07-13-naqvi-blome" in lazy_counts["GREEN"]
