"""Hub-shaped data: our minister is in nearly every meeting, and that alone never makes two
meetings one (KB601)."""

import textwrap

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
    lines = [f"id: {mid}", f"title: {title}", f"date: {day}", "status: held",
             "location:", f"  place: {place}", "  country: PK", "participants:"]
    for person, side in people:
        lines += [f"  - person: {person}", f"    side: {side}"]
    for org, side in orgs:
        lines += [f"  - org: {org}", f"    side: {side}"]
    lines += ["sources:", "  - url: https://example.org/report"]
    return "\n".join(lines) + "\n"


HUB = {
    "people/jane-marriott.yaml": AMBASSADOR.format(id="jane-marriott", name="Jane Marriott", country="GB",
                                                   post="gb-high-commissioner-pakistan"),
    "people/ali-rizvi.yaml": textwrap.dedent("""\
        id: ali-rizvi
        name: Ali Rizvi
        country: PK
        """),
    "orgs/uk-nca.yaml": "id: uk-nca\nname: National Crime Agency\ncountry: GB\n",
    "orgs/us-embassy.yaml": "id: us-embassy\nname: US Embassy Islamabad\ncountry: US\n",
}
NAQVI, BLOME, MARRIOTT, RIZVI = ("mohsin-naqvi", "PK"), ("donald-blome", "US"), ("jane-marriott", "GB"), ("ali-rizvi", "PK")


def kb601(make_kb, check_json, meetings: dict[str, str]) -> list[tuple[str, str]]:
    root = make_kb({**HUB, "meetings/2024-07-13-naqvi-blome.yaml": None,
                    **{f"meetings/{mid}.yaml": text for mid, text in meetings.items()}})
    findings, _code = check_json(root)
    return [(f["path"], f["message"]) for f in findings if f["code"] == "KB601"]


def test_our_minister_meeting_two_counterparts_on_one_day_is_two_meetings(make_kb, check_json):
    assert kb601(make_kb, check_json, {
        "2024-07-13-a": meeting("2024-07-13-a", "2024-07-13", NAQVI, RIZVI, BLOME),
        "2024-07-13-b": meeting("2024-07-13-b", "2024-07-13", NAQVI, RIZVI, MARRIOTT),
        "2024-07-14-c": meeting("2024-07-14-c", "2024-07-14", NAQVI, RIZVI, orgs=[("uk-nca", "GB")]),
    }) == []


def test_the_same_counterpart_within_a_day_is_still_one_meeting(make_kb, check_json):
    assert kb601(make_kb, check_json, {
        "2024-07-13-a": meeting("2024-07-13-a", "2024-07-13", NAQVI, BLOME),
        "2024-07-14-b": meeting("2024-07-14-b", "2024-07-14", NAQVI, RIZVI, BLOME),
    }) == [("meetings/2024-07-14-b.yaml",
            "probably the same meeting as meetings/2024-07-13-a.yaml (2024-07-13, with donald-blome)")]


def test_a_counterpart_met_by_different_people_of_ours_is_two_meetings(make_kb, check_json):
    assert kb601(make_kb, check_json, {
        "2024-07-13-a": meeting("2024-07-13-a", "2024-07-13", NAQVI, BLOME),
        "2024-07-13-b": meeting("2024-07-13-b", "2024-07-13", RIZVI, BLOME),
    }) == []


def test_meetings_without_a_named_counterpart_compare_by_organisation_and_place(make_kb, check_json):
    found = kb601(make_kb, check_json, {
        "2024-07-13-a": meeting("2024-07-13-a", "2024-07-13", NAQVI, orgs=[("uk-nca", "GB")]),
        "2024-07-13-b": meeting("2024-07-13-b", "2024-07-13", NAQVI, orgs=[("uk-nca", "GB")], title="Other"),
        "2024-07-13-c": meeting("2024-07-13-c", "2024-07-13", NAQVI, orgs=[("us-embassy", "US")]),
        "2024-07-13-d": meeting("2024-07-13-d", "2024-07-13", NAQVI, orgs=[("uk-nca", "GB")], place="Lahore"),
    })
    assert found == [("meetings/2024-07-13-b.yaml", "probably the same meeting as meetings/2024-07-13-a.yaml "
                      "(2024-07-13, with the same organisations and place)")]


def test_meetings_of_our_side_alone_compare_by_title_and_place(make_kb, check_json):
    found = kb601(make_kb, check_json, {
        "2024-07-13-a": meeting("2024-07-13-a", "2024-07-13", NAQVI, title="Briefing on the NCA"),
        "2024-07-14-b": meeting("2024-07-14-b", "2024-07-14", NAQVI, title="Briefing on the NCA."),
        "2024-07-14-c": meeting("2024-07-14-c", "2024-07-14", NAQVI, title="Police passing-out parade"),
    })
    assert found == [("meetings/2024-07-14-b.yaml", "probably the same meeting as meetings/2024-07-13-a.yaml "
                      "(2024-07-13, with the same title and place)")]
