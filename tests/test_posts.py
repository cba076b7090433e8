"""Titles as reported and roles held; posts over time (succession, vacancies, envoy milestones);
the checks on them (KB600, KB608, KB609) and on meetings without our side (KB610)."""

import json
import textwrap

from conftest import BASE_FILES

M = "meetings/2024-07-13-naqvi-blome.yaml"

BAKER = """\
    id: natalie-baker
    name: Natalie Baker
    country: US
    roles:
      - title: Deputy Chief of Mission
        post: us-deputy-chief-of-mission-pakistan
        start: 2024-07
        end: 2025-01
      - title: Chargé d'Affaires a.i.
        post: us-chief-of-mission-pakistan
        start: 2025-01
        acting: true
    """

ADAMS = """\
    id: zara-adams
    name: Zara Adams
    country: US
    roles:
      - title: Chargé d'Affaires a.i.
        post: us-chief-of-mission-pakistan
        start: 1947-08
        acting: true
    """

ZIMMER = """\
    id: abel-zimmer
    name: Abel Zimmer
    country: US
    roles:
      - title: Ambassador to Pakistan
        post: us-chief-of-mission-pakistan
        appointed: 1947-09-20
        credentials: 1948-02-26
        start: 1948-02
        end: 1950-05
        note: Dates as the Office of the Historian gives them for this made-up envoy.
    """


def baker_meeting(title: str, date: str = "2025-12-06", extra: str = "") -> dict:
    return {
        f"meetings/{date}-naqvi-blome.yaml": textwrap.dedent(BASE_FILES[M])
        .replace("2024-07-13", date)
        .replace("    due: 2024-10\n", "")
        .replace(
            "  - person: donald-blome\n    side: US\n    title: Ambassador\n",
            f"  - person: natalie-baker\n    side: US\n    title: {title}\n{extra}",
        ),
        M: None,
    }


def findings(check_json, root, code):
    found, _ = check_json(root)
    return [(f["line"], f["message"], f["hint"]) for f in found if f["code"] == code]


def test_press_forms_of_an_acting_head_of_mission_are_accepted(make_kb, check_json):
    for title in (
        "Acting US Ambassador",
        "Acting Ambassador",
        "interim US Ambassador to Pakistan",
        "Chargé d'Affaires",
        "US Chargé d'Affaires a.i.",
    ):
        root = make_kb({"people/natalie-baker.yaml": BAKER, **baker_meeting(title)})
        assert findings(check_json, root, "KB600") == [], title
        found, exit_code = check_json(root, "--strict")
        assert exit_code == 0, (title, found)


def test_a_title_no_role_explains_gets_an_honest_hint(make_kb, check_json):
    # She was deputy chief of mission in December 2024, not acting head: the press form is no match,
    # and the hint does not propose a role she never held.
    root = make_kb({"people/natalie-baker.yaml": BAKER, **baker_meeting("Acting US Ambassador", "2024-12-10")})
    assert findings(check_json, root, "KB600") == [
        (
            15,
            "title 'Acting US Ambassador' does not match Natalie Baker's role on 2024-12-10 ('Deputy Chief of Mission')",
            "if a source gives this title, keep it and add `post: us-deputy-chief-of-mission-pakistan` (the post held) to "
            "the participant; otherwise correct the title",
        )
    ]


def test_the_post_held_is_recorded_apart_from_the_title_as_reported(make_kb, check_json):
    held = baker_meeting("the US envoy", "2024-12-10", "    post: us-deputy-chief-of-mission-pakistan\n")
    root = make_kb({"people/natalie-baker.yaml": BAKER, **held})
    assert findings(check_json, root, "KB600") == []
    wrong = baker_meeting("the US envoy", "2024-12-10", "    post: us-chief-of-mission-pakistan\n")
    root = make_kb({"people/natalie-baker.yaml": BAKER, **wrong})
    assert findings(check_json, root, "KB600") == [
        (
            16,
            "Natalie Baker did not hold the post 'us-chief-of-mission-pakistan' on 2024-12-10",
            "the posts held then: 'us-deputy-chief-of-mission-pakistan' (Deputy Chief of Mission)",
        )
    ]


def test_overlapping_holders_of_one_post(make_kb, check_json):
    overlapping = BAKER.replace("start: 2025-01\n        acting", "start: 2024-09\n        acting")
    root = make_kb({"people/natalie-baker.yaml": overlapping})
    assert findings(check_json, root, "KB608") == [
        (
            11,
            "Natalie Baker took up 'us-chief-of-mission-pakistan' (Chargé d'Affaires a.i.) on 2024-09, before "
            "Donald Blome left it on 2024-10",
            "check both dates against the sources; if both held it, one of the two roles belongs to another post "
            "(people/donald-blome.yaml)",
        )
    ]
    assert findings(check_json, make_kb({"people/natalie-baker.yaml": BAKER}), "KB608") == []


def test_an_open_ended_role_far_in_the_past_or_taken_over(make_kb, check_json):
    root = make_kb({"people/zara-adams.yaml": ADAMS.replace("-pakistan", "-burma")})
    alone = findings(check_json, root, "KB609")
    assert alone == [
        (
            7,
            "Zara Adams's role 'Chargé d'Affaires a.i.' began 1947-08 and has no end: it reads as held today",
            "record when the role ended (end:), citing a source",
        )
    ]
    root = make_kb({"people/zara-adams.yaml": ADAMS, "people/abel-zimmer.yaml": ZIMMER})
    assert findings(check_json, root, "KB609") == [
        (
            7,
            "Zara Adams's role 'Chargé d'Affaires a.i.' has no end, but Abel Zimmer took up "
            "'us-chief-of-mission-pakistan' on 1948-02",
            "record when Zara Adams left the post (end:), citing a source",
        )
    ]


def test_a_meeting_with_nobody_from_our_side(make_kb, check_json):
    text = textwrap.dedent(BASE_FILES[M]).replace(
        "  - person: mohsin-naqvi\n    side: PK\n    title: Interior Minister\n    role: lead\n", ""
    )
    assert findings(check_json, make_kb({M: text}), "KB610") == [
        (
            8,
            "nobody on our side (PK) is listed among the participants (only US)",
            "add who took part for PK, as a person or as an organisation (org: ..., side: PK)",
        )
    ]
    assert findings(check_json, make_kb(), "KB610") == []


def test_holders_in_succession_with_vacancies_and_milestones(make_kb, run_kb):
    root = make_kb(
        {"people/natalie-baker.yaml": BAKER, "people/zara-adams.yaml": ADAMS, "people/abel-zimmer.yaml": ZIMMER}
    )
    shown = run_kb("show", "abel-zimmer", kb=root).output
    assert (
        "  Ambassador to Pakistan, February 1948 – May 1950 (appointed 20 September 1947; credentials presented "
        "26 February 1948)\n    Dates as the Office of the Historian gives them for this made-up envoy.\n"
    ) in shown
    assert (
        "Holders of us-chief-of-mission-pakistan, in succession\n"
        "  Zara Adams, Chargé d'Affaires a.i., August 1947 – February 1948 (end not recorded)\n"
        "  Abel Zimmer ←, Ambassador to Pakistan, February 1948 – May 1950\n"
        "  (vacant, May 1950 – May 2022)\n"
        "  Donald Blome, Ambassador to Pakistan, May 2022 – October 2024\n"
        "  (vacant, October 2024 – January 2025)\n"
        "  Natalie Baker, Chargé d'Affaires a.i., since January 2025\n"
    ) in shown
    holders = json.loads(run_kb("show", "natalie-baker", "--format", "json", kb=root).output)
    post = (
        holders["backlinks"]["posts"]["us-chief-of-mission-pakistan"]
        if "backlinks" in holders
        else holders["posts"]["us-chief-of-mission-pakistan"]
    )
    assert [(h["person"], h["succeeded"], h["vacant_after"]) for h in post] == [
        ("zara-adams", "1948-02", None),
        ("abel-zimmer", "", ["1950-05", "2022-05"]),
        ("donald-blome", "", ["2024-10", "2025-01"]),
        ("natalie-baker", "", None),
    ]


def test_a_brief_lists_predecessors_in_succession_and_no_1947_charge_as_in_post(make_kb, run_kb):
    root = make_kb(
        {"people/natalie-baker.yaml": BAKER, "people/zara-adams.yaml": ADAMS, "people/abel-zimmer.yaml": ZIMMER}
    )
    brief = json.loads(run_kb("brief", "natalie-baker", "--format", "json", "--as-of", "2026-01", kb=root).output)
    predecessors = [
        (r["id"], r["detail"], r["title"]) for r in brief["related_people"] if r["relation"] == "predecessor"
    ]
    assert predecessors == [
        ("zara-adams", "Chargé d'Affaires a.i. (August 1947 – February 1948, end not recorded)", None),
        ("abel-zimmer", "Ambassador to Pakistan (February 1948 – May 1950)", None),
        ("donald-blome", "Ambassador to Pakistan (May 2022 – October 2024)", None),
    ]
    adams = json.loads(run_kb("brief", "zara-adams", "--format", "json", kb=root).output)
    assert adams["subject"]["current_roles"] == []
    assert (
        "- **Post:** none now; last Chargé d'Affaires a.i."
        in run_kb("brief", "zara-adams", "--format", "md", kb=root).output
    )


def test_kb_new_says_when_nobody_from_our_side_takes_part(make_kb, run_kb):
    root = make_kb()
    alone = run_kb(
        "new",
        "meeting",
        "--date",
        "2024-08-01",
        "--with",
        "donald-blome",
        "--title",
        "Call",
        "--source",
        "https://example.org/call",
        kb=root,
    )
    assert alone.exit_code == 0
    assert alone.output.splitlines()[-1] == (
        "nobody on our side (PK) takes part: add who did (`kb check` warns, KB610, until then)"
    )
    both = run_kb(
        "new",
        "meeting",
        "--date",
        "2024-08-02",
        "--with",
        "donald-blome",
        "--with",
        "mohsin-naqvi",
        "--title",
        "Talks",
        "--source",
        "https://example.org/talks",
        kb=root,
    )
    assert both.exit_code == 0 and "nobody on our side" not in both.output
    # kb check's KB610 asks the same question (KnowledgeBase.ours_present): the one meeting kb new named
    findings = json.loads(run_kb("check", "--format", "json", kb=root).stdout)
    assert [f["path"] for f in findings if f["code"] == "KB610"] == ["meetings/2024-08-01-blome.yaml"]
