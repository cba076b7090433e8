"""`kb dedupe` proposals with their reasons, `kb decide` and the decisions file: its validation
(located findings), KB605 silenced by a `different` judgement, comments and line endings kept."""

import datetime as dt
import json
import subprocess

import pytest

TODAY = dt.date.today().isoformat()

# Duplicates as imports and hurried hands leave them, beside the repository's own people.
DUPLICATES = {
    # an Urdu form drafted as a new person, with a copy's id
    "people/mohsin-naqvi-2.yaml": "id: mohsin-naqvi-2\nname: Мохсин Накви\ncountry: PK\n",
    # a misspelling that is also a recorded alias, with the same post at the same time
    "people/donald-bloom.yaml": (
        "id: donald-bloom\nname: Donald Bloom\ncountry: US\nroles:\n"
        "  - title: US Ambassador\n    post: us-chief-of-mission-pakistan\n"
        "    start: 2024-07\n    end: 2024-08\n"
    ),
    # the same name, another country and another century: never strong
    "people/donald-blome-1890.yaml": (
        "id: donald-blome-1890\nname: Donald Blome\ncountry: GB\nroles:\n"
        "  - title: Consul\n    start: 1890\n    end: 1895\n"
    ),
    # one part of a name shared: no candidate at all
    "people/saqib-naqvi.yaml": "id: saqib-naqvi\nname: Saqib Naqvi\ncountry: PK\n",
    # an organisation recorded twice under two spellings
    "orgs/pk-anti-narcotics-force-2.yaml": (
        "id: pk-anti-narcotics-force-2\nname: Anti-Narcotics Force Pakistan\nabbreviation: ANF\ncountry: PK\n"
    ),
}


@pytest.fixture
def repo(repo):
    root = repo
    for relpath, text in DUPLICATES.items():
        (root / relpath).write_text(text, encoding="utf-8")
    return root


def proposals(run_kb, root, *args):
    result = run_kb("dedupe", "--format", "json", *args, kb=root)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_pairs_are_proposed_with_their_reasons_best_first(repo, run_kb):
    found = proposals(run_kb, repo)
    assert [
        (p["kind"], p["ids"], p["score"], p["strength"], [r["code"] for r in p["reasons"]]) for p in found["pairs"]
    ] == [
        (
            "org",
            ["pk-anti-narcotics-force", "pk-anti-narcotics-force-2"],
            1.0,
            "strong",
            ["shared-name", "similar-id", "same-country"],
        ),
        ("person", ["mohsin-naqvi", "mohsin-naqvi-2"], 1.0, "strong", ["written-form", "similar-id", "same-country"]),
        ("person", ["donald-blome", "donald-bloom"], 0.95, "strong", ["shared-name", "same-country", "same-post"]),
        # the same name, but another country and another era: listed (KB605 reports the name), never strong
        ("person", ["donald-blome", "donald-blome-1890"], 0.0, "weak", ["shared-name", "other-country", "other-era"]),
    ]
    by_ids = {tuple(p["ids"]): p for p in found["pairs"]}
    assert set(by_ids) == {
        ("mohsin-naqvi", "mohsin-naqvi-2"),
        ("donald-blome", "donald-bloom"),
        ("pk-anti-narcotics-force", "pk-anti-narcotics-force-2"),
        ("donald-blome", "donald-blome-1890"),
    }
    urdu = by_ids[("mohsin-naqvi", "mohsin-naqvi-2")]
    assert (urdu["strength"], [r["text"] for r in urdu["reasons"]]) == (
        "strong",
        [
            "'Mohsin Naqvi' and 'Мохсин Накви' match part by part (another script, spelling or a fuller form; 100%)",
            "ids mohsin-naqvi and mohsin-naqvi-2 differ only by a number",
            "both of PK",
        ],
    )
    bloom = by_ids[("donald-blome", "donald-bloom")]
    assert (bloom["score"], [r["text"] for r in bloom["reasons"]]) == (
        0.95,
        [
            "both are named 'Donald Bloom'",
            "both of US",
            "both held the post us-chief-of-mission-pakistan at overlapping times",
        ],
    )
    assert bloom["records"][0]["meetings"] == 1 and bloom["records"][1]["meetings"] == 0
    other_era = by_ids[("donald-blome", "donald-blome-1890")]
    assert other_era["strength"] == "weak"
    assert [r["text"] for r in other_era["reasons"]] == [
        "both are named 'Donald Blome'",
        "donald-blome is of US, donald-blome-1890 of GB",
        "known from 2022–2025 and 1890–1895: 127 years apart",
    ]
    assert (
        by_ids[("pk-anti-narcotics-force", "pk-anti-narcotics-force-2")]["reasons"][0]["text"] == "both are named 'ANF'"
    )
    # --kind and --min-score
    assert [p["kind"] for p in proposals(run_kb, repo, "--kind", "org")["pairs"]] == ["org"]
    # the three pairs scored 1.0, 1.0 and 0.95 above; the other-era pair (0.0) is left out
    assert [p["ids"] for p in proposals(run_kb, repo, "--min-score", "0.75")["pairs"]] == [
        ["pk-anti-narcotics-force", "pk-anti-narcotics-force-2"],
        ["mohsin-naqvi", "mohsin-naqvi-2"],
        ["donald-blome", "donald-bloom"],
    ]


def test_a_name_alone_never_makes_a_strong_pair_across_countries(make_kb, run_kb):
    root = make_kb(
        {
            "people/oscar-arias.yaml": "id: oscar-arias\nname: Oscar Arias\ncountry: CR\n",
            "people/oscar-arias-2.yaml": "id: oscar-arias-2\nname: Oscar Arias\ncountry: PA\n",
            "orgs/sd-interior.yaml": "id: sd-interior\nname: Ministry of Interior\ncountry: SD\n",
            "orgs/ss-interior.yaml": "id: ss-interior\nname: Ministry of Interior\ncountry: SS\n",
        }
    )
    pairs = proposals(run_kb, root)["pairs"]
    # the people are listed (KB605 reports their name) but weak; the organisations not at all
    assert [(p["ids"], p["strength"]) for p in pairs] == [(["oscar-arias", "oscar-arias-2"], "weak")]


def test_the_text_lists_each_pair_with_its_reasons(repo, run_kb):
    result = run_kb("dedupe", "--kind", "person", "--min-score", "0.9", kb=repo)
    assert result.exit_code == 0
    assert result.output.startswith("2 pairs of people that may be one record, best first:\n\n")
    assert (
        "0.95 strong   person donald-blome ~ donald-bloom\n"
        "    donald-blome: Donald Blome (US; Ambassador to Pakistan; 1 meeting 2024-07-13)\n"
        "    donald-bloom: Donald Bloom (US; US Ambassador; 0 meetings)\n"
        "    + both are named 'Donald Bloom'\n"
        "    + both of US\n"
        "    + both held the post us-chief-of-mission-pakistan at overlapping times\n"
    ) in result.output
    assert "`kb merge mohsin-naqvi mohsin-naqvi-2`" in result.output


def test_judged_pairs_are_not_proposed_again(repo, run_kb):
    result = run_kb(
        "decide",
        "different",
        "donald-blome",
        "donald-blome-1890",
        "--why",
        "A consul of the 1890s",
        "--by",
        "A Reviewer",
        "--date",
        "2026-11-20",
        kb=repo,
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        "decisions.yaml: donald-blome and donald-blome-1890 judged different by A Reviewer on 2026-11-20\n"
    )
    assert (
        run_kb(
            "decide", "unsure", "pk-anti-narcotics-force", "ANF", "--why", "Cannot tell", "--by", "R", kb=repo
        ).exit_code
        == 2
    )  # "ANF" names both: ids are needed
    assert (
        run_kb(
            "decide",
            "unsure",
            "pk-anti-narcotics-force",
            "pk-anti-narcotics-force-2",
            "--why",
            "Cannot tell",
            "--by",
            "R",
            kb=repo,
        ).exit_code
        == 0
    )
    ids = [p["ids"] for p in proposals(run_kb, repo)["pairs"]]
    assert ids == [["mohsin-naqvi", "mohsin-naqvi-2"], ["donald-blome", "donald-bloom"]]
    assert len(proposals(run_kb, repo, "--all")["pairs"]) == 4
    assert (
        (repo / "decisions.yaml").read_text(encoding="utf-8")
        == f"""\
# yaml-language-server: $schema=kb/schemas/decisions.schema.json
# Judgements on pairs of records that may be one: `kb dedupe` proposes pairs not judged yet;
# `kb decide` and `kb merge` add judgements here.
decisions:
  - kind: person
    ids:
      - donald-blome
      - donald-blome-1890
    judgement: different
    by: A Reviewer
    date: 2026-11-20
    why: A consul of the 1890s
  - kind: org
    ids:
      - pk-anti-narcotics-force
      - pk-anti-narcotics-force-2
    judgement: unsure
    by: R
    date: {TODAY}
    why: Cannot tell
"""
    )
    assert run_kb("fmt", "--check", kb=repo).exit_code == 0


def test_a_pair_is_judged_once_unless_replaced(make_kb, run_kb):
    root = make_kb({"people/donald-bloom.yaml": "id: donald-bloom\nname: Donald Bloom\ncountry: US\n"})
    assert (
        run_kb("decide", "unsure", "donald-blome", "donald-bloom", "--why", "Maybe", "--by", "R", kb=root).exit_code
        == 0
    )
    again = run_kb("decide", "different", "donald-bloom", "donald-blome", "--why", "No", "--by", "S", kb=root)
    assert again.exit_code == 2
    assert again.output == (
        f"kb: error: donald-bloom and donald-blome were judged already: unsure (R, {TODAY}: "
        "Maybe); pass --replace to judge them again\n"
    )
    replaced = run_kb(
        "decide", "different", "donald-bloom", "donald-blome", "--why", "No", "--by", "S", "--replace", kb=root
    )
    assert replaced.exit_code == 0
    assert replaced.output.endswith("(was unsure)\n")
    text = (root / "decisions.yaml").read_text()
    assert text.count("judgement:") == 1 and "judgement: different" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("same", "donald-blome", "mohsin-naqvi"), "say why (--why TEXT)"),
        (
            ("same", "donald-blome", "pk-interior", "--why", "x"),
            "'donald-blome' is a person and 'pk-interior' an organisation",
        ),
        (
            ("same", "donald-blome", "Donald Bloom", "--why", "x"),
            "'donald-blome' and 'Donald Bloom' are both donald-blome",
        ),
        (("same", "donald-blome", "nobody-at-all", "--why", "x"), "no person or organisation matches 'nobody-at-all'"),
        (
            ("same", "donald-blome", "mohsin-naqvi", "--why", "x", "--date", "2999-01-01"),
            "--date 2999-01-01 is in the future",
        ),
    ],
)
def test_decide_refuses_what_it_cannot_record(make_kb, run_kb, args, message):
    root = make_kb()
    result = run_kb("decide", *args, kb=root)
    assert result.exit_code == 2
    assert message in result.output
    assert not (root / "decisions.yaml").exists()


def test_who_judges_defaults_to_git_user_name(make_kb, run_kb, monkeypatch):
    root = make_kb()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "config", "user.name", "Git Judge"], check=True)
    run_kb("decide", "different", "donald-blome", "mohsin-naqvi", "--why", "Two people", kb=root)
    assert "    by: Git Judge\n" in (root / "decisions.yaml").read_text()


def test_a_different_judgement_silences_kb605_for_that_pair(make_kb, check_json, run_kb):
    root = make_kb({"people/donald-bloom.yaml": "id: donald-bloom\nname: Donald Bloom\ncountry: US\n"})
    findings, _ = check_json(root)
    assert [(f["code"], f["path"]) for f in findings] == [("KB605", "people/donald-bloom.yaml")]
    assert findings[0]["hint"] == (
        "if they are one person, `kb merge donald-blome donald-bloom`; if not, "
        "`kb decide different donald-blome donald-bloom --why ...` (`kb dedupe` lists "
        "such pairs)"
    )
    run_kb("decide", "unsure", "donald-blome", "donald-bloom", "--why", "Maybe", "--by", "R", kb=root)
    assert [f["code"] for f in check_json(root)[0]] == ["KB605"]  # unsure silences nothing
    run_kb("decide", "different", "donald-blome", "donald-bloom", "--why", "Two men", "--by", "R", "--replace", kb=root)
    assert check_json(root, "--strict") == ([], 0)
    # with a third person of the name, the pairs not judged are still reported
    (root / "people/donald-bloom-2.yaml").write_text("id: donald-bloom-2\nname: Donald Bloom\ncountry: US\n")
    findings, _ = check_json(root)
    assert [f["message"] for f in findings] == [
        "the name 'donald bloom' belongs to donald-blome, donald-bloom, donald-bloom-2"
    ]


DECISION = """\
  - kind: person
    ids:
      - {a}
      - {b}
    judgement: {judgement}
    by: R
    date: 2026-11-20
    why: Because.
"""


def decisions(*entries):
    return "decisions:\n" + "".join(DECISION.format(a=a, b=b, judgement=j) for a, b, j in entries)


def test_the_decisions_file_is_validated_with_located_findings(make_kb, check_json):
    root = make_kb(
        {
            "decisions.yaml": decisions(
                ("donald-blome", "donald-blom", "different"),
                ("donald-blome", "mohsin-naqvi", "different"),
                ("mohsin-naqvi", "donald-blome", "same"),
            )
        }
    )
    findings, code = check_json(root)
    assert code == 1
    assert [(f["code"], f["line"], f["column"], f["message"], f["hint"]) for f in findings] == [
        ("KB613", 5, 9, "unknown person 'donald-blom'", "did you mean 'donald-blome'?"),
        (
            "KB614",
            22,
            16,
            "mohsin-naqvi and donald-blome judged same here, but different in judgement 2",
            "keep the judgement that holds and remove the other",
        ),
    ]
    bad = make_kb({"decisions.yaml": decisions(("donald-blome", "mohsin-naqvi", "maybe"))})
    findings, _ = check_json(bad)
    assert [(f["code"], f["path"], f["line"], f["column"]) for f in findings] == [("KB203", "decisions.yaml", 6, 16)]
    assert "did you mean" in findings[0]["hint"] or "allowed" in findings[0]["hint"]


def test_a_former_id_is_a_known_id_and_a_merged_different_pair_is_a_conflict(make_kb, check_json):
    root = make_kb(
        {
            "people/donald-blome.yaml": "id: donald-blome\nname: Donald Blome\ncountry: US\nformer_ids: [donald-bloom]\n",
            "decisions.yaml": decisions(("donald-blome", "donald-bloom", "different")),
        }
    )
    findings, _ = check_json(root)
    assert [(f["code"], f["message"]) for f in findings] == [
        ("KB614", "donald-blome and donald-bloom were judged different, but both are now the record donald-blome")
    ]


def test_appending_keeps_the_files_comments_and_line_endings(make_kb, run_kb):
    text = "# Reviewed weekly.\n" + decisions(("donald-blome", "mohsin-naqvi", "different")).replace(
        "why: Because.", "why: Because.  # see the minutes"
    )
    root = make_kb({"people/donald-bloom.yaml": "id: donald-bloom\nname: Donald Bloom\ncountry: US\n"})
    (root / "decisions.yaml").write_bytes(text.replace("\n", "\r\n").encode())
    result = run_kb(
        "decide",
        "same",
        "donald-blome",
        "donald-bloom",
        "--why",
        "A misspelling",
        "--by",
        "R",
        "--date",
        "2026-11-21",
        kb=root,
    )
    assert result.exit_code == 0, result.output
    assert (root / "decisions.yaml").read_bytes() == (
        text
        + DECISION.format(a="donald-blome", b="donald-bloom", judgement="same")
        .replace("2026-11-20", "2026-11-21")
        .replace("Because.", "A misspelling")
    ).replace("\n", "\r\n").encode()


def test_decide_interactively(repo, run_kb):
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "config", "user.name", "Desk"], check=True)
    result = run_kb("dedupe", "--decide", "--kind", "person", input="k\nd\nOne is a 19th-century consul\nq\n", kb=repo)
    assert result.exit_code == 0, result.output
    assert "[1/3] 1.00 strong   person mohsin-naqvi ~ mohsin-naqvi-2" in result.output
    assert result.output.endswith("1 judgement recorded in decisions.yaml\n")
    text = (repo / "decisions.yaml").read_text()
    assert "      - donald-blome\n      - donald-bloom\n    judgement: different\n    by: Desk\n" in text
    remaining = [p["ids"] for p in proposals(run_kb, repo, "--kind", "person")["pairs"]]
    assert remaining == [["mohsin-naqvi", "mohsin-naqvi-2"], ["donald-blome", "donald-blome-1890"]]


def test_nothing_to_review(make_kb, run_kb):
    result = run_kb("dedupe", kb=make_kb())
    assert result.output == "No people and organisations to review: no undecided pair looks like one record.\n"


def test_a_withheld_meeting_counts_for_nothing(make_kb, run_kb):
    """Both in one meeting marked RED: for a GREEN audience the meeting is not named, counted or
    dated, and does not speak against the pair."""
    root = make_kb({"people/donald-bloom.yaml": "id: donald-bloom\nname: Donald Bloom\ncountry: US\n"})
    path = root / "meetings/2024-07-13-naqvi-blome.yaml"
    path.write_text(
        path.read_text()
        .replace("topics: [counter-narcotics]", "  - person: donald-bloom\n    side: US\ntopics: [counter-narcotics]")
        .replace("status: held", "status: held\nsensitivity: RED")
    )
    everyone = proposals(run_kb, root)["pairs"][0]
    assert everyone["reasons"][-1]["text"] == "both took part in 2024-07-13-naqvi-blome"
    green = run_kb("dedupe", "--audience", "GREEN", "--format", "json", kb=root).output
    assert "2024-07-13" not in green
    pair = json.loads(green)["pairs"][0]
    assert [r["code"] for r in pair["reasons"]] == ["shared-name", "same-country"]
    assert [r["meetings"] for r in pair["records"]] == [0, 0]


def test_fathers_and_sons_and_conflicting_initials_are_no_pair(make_kb, run_kb):
    people = {
        "hamad-bin-isa-al-khalifa": "Hamad bin Isa Al Khalifa",
        "isa-al-khalifa": "Isa Al Khalifa",
        "hamad-bin-khalifa-al-thani": "Hamad bin Khalifa Al Thani",
        "t-bin-hamad-al-thani": "T. bin Hamad Al Thani",
        "fredrik-reinfeldt": "Fredrik Reinfeldt",
        "j-fredrik-reinfeldt": "J. Fredrik Reinfeldt",
    }
    root = make_kb({f"people/{ident}.yaml": f"id: {ident}\nname: {name}\n" for ident, name in people.items()})
    assert [p["ids"] for p in proposals(run_kb, root)["pairs"]] == [["fredrik-reinfeldt", "j-fredrik-reinfeldt"]]


def test_kb_diff_shows_a_judgement_in_words(make_kb, run_kb):
    root = make_kb()
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "records"]):
        subprocess.run(
            ["git", "-C", str(root), "-c", "user.name=R", "-c", "user.email=r@example.org", *args],
            check=True,
            capture_output=True,
        )
    run_kb(
        "decide",
        "different",
        "donald-blome",
        "mohsin-naqvi",
        "--why",
        "Two people",
        "--by",
        "R",
        "--date",
        "2026-11-20",
        kb=root,
    )
    assert run_kb("diff", "HEAD", kb=root).output == (
        "Changes from HEAD to the working tree:\n  decisions.yaml added (decisions.yaml)\n"
    )
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=R", "-c", "user.email=r@example.org", "commit", "-qm", "judged"],
        check=True,
    )
    run_kb("decide", "unsure", "donald-blome", "pk-interior", "--why", "x", kb=root)  # refused: two kinds
    (root / "people/donald-bloom.yaml").write_text("id: donald-bloom\nname: Donald Bloom\ncountry: US\n")
    run_kb(
        "decide",
        "unsure",
        "donald-blome",
        "donald-bloom",
        "--why",
        "Maybe",
        "--by",
        "R",
        "--date",
        "2026-11-21",
        kb=root,
    )
    assert run_kb("diff", "HEAD", kb=root).output == (
        "Changes from HEAD to the working tree:\n"
        "  decisions.yaml: judgement 'donald-blome and donald-bloom unsure' (R, 2026-11-21: Maybe) added\n"
        "  person donald-bloom added (people/donald-bloom.yaml): 'Donald Bloom'\n"
        "      country: US\n"
    )


def test_decide_refuses_an_output_file(repo, run_kb, tmp_path):
    """--decide asks on the terminal and writes decisions.yaml; a report file would be silently ignored,
    so it is refused before anything is asked or written."""
    before = sorted(p.name for p in repo.iterdir())
    result = run_kb("dedupe", "--decide", "-o", str(tmp_path / "pairs.json"), input="s\n", kb=repo)
    assert result.exit_code == 2
    assert "--decide asks pair by pair on the terminal" in result.output
    assert "leave out -o" in result.output
    assert not (tmp_path / "pairs.json").exists()
    assert sorted(p.name for p in repo.iterdir()) == before
