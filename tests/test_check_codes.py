"""Every check code, each with a failing fixture: the exact code, file and line are asserted."""

import pytest

from kb.checks import registry

M = "meetings/2024-07-13-naqvi-blome.yaml"
MEETING = """\
id: 2024-07-13-naqvi-blome
title: Interior Minister meets the US Ambassador
date: 2024-07-13
status: held
participants:
  - person: mohsin-naqvi
    side: PK
    title: Interior Minister
  - person: donald-blome
    side: US
    title: Ambassador
topics: [counter-narcotics]
sources:
  - url: https://example.org/report
"""


BAKER = """\
id: natalie-baker
name: Natalie Baker
roles:
  - title: Chargé d'Affaires a.i.
    post: us-chief-of-mission-pakistan
    start: {start}
    acting: true
"""


def meeting(**replace) -> str:
    text = MEETING
    for old, new in replace.items():
        old = old.replace("__", " ")
        assert old in text or old == "APPEND", old
        text = text + new if old == "APPEND" else text.replace(old, new)
    return text


def outcome(extra: str = "", due: str = "2024-10", status: str = "fulfilled") -> str:
    return f"""outcomes:
  - id: dialogue
    kind: commitment
    text: Hold a dialogue.
    due: {due}
    status: {status}
{extra}"""


CASES = [
    # code, files, path, line
    ("KB100", {M: "id: [unclosed\n"}, M, 2),
    ("KB101", {M: MEETING.replace("  - url:", "\t- url:")}, M, 14),
    ("KB102", {M: MEETING.replace("status: held\n", "status: held\nstatus: held\n")}, M, 5),
    (
        "KB103",
        {
            M: MEETING.replace(
                "title: Interior Minister meets", "title: !!python/object:os.system Interior Minister meets"
            )
        },
        M,
        2,
    ),
    ("KB104", {M: MEETING + "---\nid: other\n"}, M, 15),
    (
        "KB105",
        {
            M: MEETING.replace(
                "status: held\n", "<<<<<<< HEAD\nstatus: held\n=======\nstatus: planned\n>>>>>>> branch\n"
            )
        },
        M,
        4,
    ),
    ("KB106", {}, M, 2),  # written as bytes below
    ("KB107", {M: MEETING + "# " + "x" * 1_000_100 + "\n"}, M, 0),
    (
        "KB108",
        {
            M: "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
                for i in range(8)
            )
        },
        M,
        None,
    ),
    ("KB109", {M: "# only a comment\n"}, M, 1),
    ("KB110", {}, "meetings/folder.yaml", 0),  # a folder named like a record, made below
    ("KB111", {"meetings/2024-08-01-x.YAML": "id: x\n"}, "meetings/2024-08-01-x.YAML", 0),
    ("KB200", {M: meeting(**{"status: held\n": ""})}, M, 1),
    ("KB201", {M: meeting(**{"title: Interior": "titel: Interior"})}, M, 2),
    ("KB202", {M: meeting(**{"topics: [counter-narcotics]": "topics: counter-narcotics"})}, M, 12),
    ("KB203", {M: meeting(**{"status: held": "status: hold"})}, M, 4),
    (
        "KB204",
        {
            M: meeting(
                **{
                    "title: Interior Minister meets the US Ambassador": 'title: "Interior Minister meets \\e[2J the US Ambassador"'
                }
            )
        },
        M,
        2,
    ),
    ("KB300", {M: meeting(**{"id: 2024-07-13-naqvi-blome": "id: naqvi-blome"})}, M, 1),
    (
        "KB301",
        {"people/donald-blome.yml": "id: donald-blome\nname: Donald Blome Again\n"},
        "people/donald-blome.yml",
        1,
    ),
    (
        "KB303",
        {
            "people/mohsin-naqvi.yaml": "id: mohsin-naqvi\nname: Mohsin Naqvi\ncountry: PK\n"
            "former_ids:\n  - donald-blome\n"
        },
        "people/mohsin-naqvi.yaml",
        5,
    ),
    (
        "KB302",
        {M: meeting(APPEND=outcome() + "  - id: dialogue\n    kind: request\n    text: Again.\n    status: open\n")},
        M,
        21,
    ),
    ("KB400", {M: meeting(**{"person: donald-blome": "person: donald-bloom"})}, M, 9),
    ("KB401", {M: meeting(APPEND="host: pk-interior-ministry\n")}, M, 15),
    ("KB402", {M: meeting(**{"[counter-narcotics]": "[counter-narcotic]"})}, M, 12),
    ("KB403", {M: meeting(**{"side: US": "side: UK"})}, M, 10),
    ("KB404", {M: meeting(APPEND="follows: [2024-01-01-nothing]\n")}, M, 15),
    ("KB405", {M: meeting(APPEND=outcome("    by: [nobody-known]\n"))}, M, 21),
    (
        "KB407",
        {
            "people/mohsin-naqvi.yaml": "id: mohsin-naqvi\nname: Mohsin Naqvi\naliases:\n"
            "  - name: محسن نقوی\n    kind: transliteration\n    script: Arabic\n"
        },
        "people/mohsin-naqvi.yaml",
        6,
    ),
    ("KB406", {M: meeting(APPEND=outcome("    follows_up: 2024-07-13-naqvi-blome#no-such\n"))}, M, 21),
    ("KB500", {M: meeting(**{"date: 2024-07-13": "date: 2025-02-30"})}, M, 3),
    ("KB501", {M: meeting(APPEND="end_date: 2024-07-12\n")}, M, 15),
    ("KB502", {M: meeting(APPEND=outcome(due="2024-06"))}, M, 19),
    ("KB503", {M: meeting(**{"2024-07-13\n": "2099-07-13\n", "title: Ambassador": "title: Ambassador"})}, M, 4),
    ("KB504", {M: meeting(**{"status: held\n": "status: held\nlocation: {place: Moscow, country: SU}\n"})}, M, 5),
    ("KB600", {M: meeting(**{"title: Ambassador": "title: Foreign Minister"})}, M, 11),
    (
        "KB601",
        {"meetings/2024-07-14-naqvi-blome.yaml": MEETING.replace("2024-07-13", "2024-07-14")},
        "meetings/2024-07-14-naqvi-blome.yaml",
        3,
    ),
    ("KB602", {M: meeting(APPEND=outcome(status="open"))}, M, 20),
    ("KB603", {M: meeting(**{"  - url: https://example.org/report": "  - publisher: Someone"})}, M, 14),
    ("KB604", {M: meeting(APPEND="  - url: https://example.org/report\n")}, M, 15),
    (
        "KB620",
        {"kb.yaml": "name: Test knowledge base\nour_side: PK\nrequire_archives: true\n"},
        "meetings/2024-07-13-naqvi-blome.yaml",
        27,
    ),
    ("KB621", {M: meeting(APPEND="    archive: 0123456789abcdef\n")}, M, 15),
    ("KB606", {M: meeting(**{"title: Interior Minister meets": "title: 'TODO: a one-line title' #"})}, M, 2),
    (
        "KB605",
        {"people/donald-blome-2.yaml": "id: donald-blome-2\nname: Donald Bloom\n"},
        "people/donald-blome-2.yaml",
        2,
    ),
    ("KB607", {M: meeting(APPEND="unconfirmed:\n  - \"date: 'on Saturday' read as 2024-07-13\"\n")}, M, 16),
    ("KB608", {"people/natalie-baker.yaml": BAKER.format(start="2024-09")}, "people/natalie-baker.yaml", 6),
    ("KB609", {"people/natalie-baker.yaml": BAKER.format(start="1947-03")}, "people/natalie-baker.yaml", 6),
    (
        "KB611",
        {
            "people/mohsin-naqvi.yaml": "id: mohsin-naqvi\nname: Mohsin Naqvi\naliases:\n"
            "  - name: محسن نقوی\n    kind: transliteration\n    script: Cyrl\n"
        },
        "people/mohsin-naqvi.yaml",
        6,
    ),
    (
        "KB612",
        {
            "people/mohsin-naqvi.yaml": "id: mohsin-naqvi\nname: Mohsin Naqvi\naliases:\n"
            "  - name: محسن نقوی\n    kind: spelling\n    native: true\n"
            "  - name: Mohsin Raza Naqvi\n    kind: spelling\n    native: true\n"
        },
        "people/mohsin-naqvi.yaml",
        9,
    ),
    ("KB610", {M: meeting(**{"  - person: mohsin-naqvi\n    side: PK\n    title: Interior Minister\n": ""})}, M, 5),
    (
        "KB613",
        {
            "decisions.yaml": "decisions:\n  - kind: org\n    ids: [pk-interior, pk-interior-2]\n"
            "    judgement: same\n    by: R\n    date: 2026-11-20\n    why: x\n"
        },
        "decisions.yaml",
        3,
    ),
    (
        "KB614",
        {
            "decisions.yaml": "decisions:\n  - kind: person\n    ids: [donald-blome, mohsin-naqvi]\n"
            "    judgement: same\n    by: R\n    date: 2026-11-20\n    why: x\n"
            "  - kind: person\n    ids: [mohsin-naqvi, donald-blome]\n"
            "    judgement: unsure\n    by: R\n    date: 2026-11-20\n    why: x\n"
        },
        "decisions.yaml",
        10,
    ),
]


def test_every_code_has_a_case():
    registry.load_all()
    assert {c[0] for c in CASES} == set(registry.CODES)


@pytest.mark.parametrize("code,files,path,line", CASES, ids=[c[0] for c in CASES])
def test_code_is_reported_at_its_place(code, files, path, line, make_kb, check_json):
    root = make_kb(files)
    if code == "KB106":
        (root / M).write_bytes(MEETING.encode().replace(b"Ambassador\n", b"Ambassador \xff\n", 1))
    if code == "KB110":
        (root / path).mkdir()
    findings, exit_code = check_json(root)
    matching = [f for f in findings if f["code"] == code]
    assert matching, findings
    found = matching[0]
    assert found["path"] == path
    if line is not None:
        assert found["line"] == line, found
    assert found["severity"] == registry.CODES[code].severity
    assert found["message"]
    strict_exit = check_json(root, "--strict")[1]
    assert strict_exit == 1
    if registry.CODES[code].severity == "error":
        assert exit_code == 1
