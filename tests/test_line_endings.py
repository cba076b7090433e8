"""Imports keep a record's line endings, and attach a report to a meeting only when its
counterparts match."""

import yaml

STORY = (
    "ISLAMABAD: Interior Minister Mohsin Naqvi met US Ambassador Donald Blome on Saturday to discuss "
    "counter-narcotics cooperation.\n"
)


def test_a_source_added_to_a_crlf_record_keeps_every_line_crlf(make_kb, run_kb):
    root = make_kb()
    path = root / "meetings/2024-07-13-naqvi-blome.yaml"
    original = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    path.write_bytes(original)
    result = run_kb(
        "import", "article", "-", "--published", "2024-07-14", "--url", "https://example.org/a", kb=root, input=STORY
    )
    assert result.exit_code == 0, result.output
    assert "added source 2 to meetings/2024-07-13-naqvi-blome.yaml" in result.output
    after = path.read_bytes()
    assert after.startswith(original)
    assert after.count(b"\n") == after.count(b"\r\n") and b"https://example.org/a" in after
    assert run_kb("check", str(path), kb=root).exit_code == 0


PEOPLE = {
    f"people/{i}.yaml": f"id: {i}\nname: {n}\ncountry: {c}\n"
    for i, n, c in [
        ("karen-pierce", "Karen Pierce", "GB"),
        ("jane-marriott", "Jane Marriott", "GB"),
        ("jiang-zaidong", "Jiang Zaidong", "CN"),
    ]
}


def test_our_own_minister_alone_does_not_make_a_report_of_another_event_a_source(make_kb, run_kb):
    root = make_kb(PEOPLE)
    story = "ISLAMABAD: Interior Minister Mohsin Naqvi chaired a meeting on security on Sunday.\n"
    result = run_kb(
        "import",
        "article",
        "-",
        "--published",
        "2024-07-15",
        "--url",
        "https://example.org/b",
        "--dry-run",
        kb=root,
        input=story,
    )
    assert result.exit_code == 0, result.output
    assert "proposing it as a new source" not in result.output


def test_two_of_five_people_in_common_the_next_day_is_another_event(make_kb, run_kb):
    root = make_kb(PEOPLE)
    story = (
        "ISLAMABAD: Interior Minister Mohsin Naqvi hosted a dinner on Sunday for US Ambassador Donald Blome, "
        "British High Commissioner Jane Marriott, Deputy High Commissioner Karen Pierce and Chinese "
        "Ambassador Jiang Zaidong.\n"
    )
    result = run_kb(
        "import",
        "article",
        "-",
        "--published",
        "2024-07-15",
        "--url",
        "https://example.org/c",
        "--dry-run",
        kb=root,
        input=story,
    )
    assert result.exit_code == 0, result.output
    assert "proposing it as a new source" not in result.output
    draft = yaml.load(result.output, Loader=yaml.BaseLoader)
    assert {p["person"] for p in draft["participants"]} == {
        "mohsin-naqvi",
        "donald-blome",
        "jane-marriott",
        "karen-pierce",
        "jiang-zaidong",
    }
