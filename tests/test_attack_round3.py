"""Trust under attack, third round: `kb import holders`, `kb merge` and the edits of existing
records, the other imports' hostile cells, and `kb site serve`'s requests. Each hostile file is
refused with a sentence naming the file, the row and what to change (exit 2, nothing written), or
written so that every value reads back as the plain string it was."""

from __future__ import annotations

import csv
import io
import json

import pytest


def records(root) -> dict[str, bytes]:
    """Every file of the knowledge base (the cache left out), with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".kb-cache" not in p.parts
    }


HEADER = "person,post,country,start,end\n"
SAID_CONTROL = "(it could rewrite a reader's terminal or reorder the text); remove it from the file"

# -- kb import holders: a hostile reference file is refused by row, and nothing written -------------


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (HEADER + "John Smith\n", "h.csv row 2: the row has 1 cell, the header 5; give every column"),
        (HEADER + "John Smith,Minister\n", "h.csv row 2: the row has 2 cells, the header 5; give every column"),
        (
            HEADER + "John \x1b[2JSmith,Minister,PK,2020,\n",
            f"h.csv row 2: the person 'John \\x1b[2JSmith' holds the control character U+001B {SAID_CONTROL}",
        ),
        (
            HEADER + "John Smith,Minister\x00,PK,2020,\n",
            f"h.csv row 2: the post 'Minister\\x00' holds the control character U+0000 {SAID_CONTROL}",
        ),
        (
            HEADER + "Donald Blome,Envoy \u202eyoj,US,2026,\n",
            f"h.csv row 2: the post 'Envoy \\u202eyoj' holds the control character U+202E {SAID_CONTROL}",
        ),
        (
            "person,post,country,start,end,aliases\nJohn Smith,Minister,PK,2020,,J\x9bSmith\n",
            f"h.csv row 2: the aliases 'J\\x9bSmith' holds the control character U+009B {SAID_CONTROL}",
        ),
        (
            HEADER + "John Smith,Minister,PK,0000,\n",
            "h.csv row 2: start: '0000' has year 0000; years run from 0001 to 9999",
        ),
        (
            HEADER + "John Smith,Minister,PK,2021-05-02,2021-04\n",
            "h.csv row 2: the end 2021-04 is before the start 2021-05-02",
        ),
        (
            "person,post,country,start,end,wikidata\nJohn Smith,Minister,PK,2020,,wikidata:P31\n",
            "h.csv row 2: 'wikidata:P31' is not a Wikidata id (Q followed by digits)",
        ),
    ],
)
def test_a_hostile_holders_csv_is_refused_by_row_and_nothing_written(run_kb, repo, tmp_path, text, said):
    """A name or post cleaned of a control character would be another name: refused with the row,
    as a short row is (it was a KeyError), before any file is written."""
    source = tmp_path / "h.csv"
    source.write_bytes(text.encode("utf-8"))
    before = records(repo)
    result = run_kb("import", "holders", source, kb=repo)
    assert (result.exit_code, result.stderr, result.stdout) == (2, f"kb: error: {said}\n", "")
    assert records(repo) == before


@pytest.mark.parametrize(
    ("lines", "said"),
    [
        (['{"id": "a", "schema": "Person", "properties": [1]}'], 'the entity\'s properties are not an object; write "properties": {"name": [...]}'),
        (
            ['{"id": "a", "schema": "Person", "properties": {"name": "John Smith"}}'],
            "the property 'name' is not a list of strings; FollowTheMoney gives every property a list, as in \"name\": [\"...\"]",
        ),
        (
            ['{"id": "a", "schema": "Person", "properties": {"name": [{"x": 1}]}}'],
            "the property 'name' is not a list of strings; FollowTheMoney gives every property a list, as in \"name\": [\"...\"]",
        ),
    ],
)  # fmt: skip
def test_a_followthemoney_entity_of_another_shape_is_refused_by_line(run_kb, repo, tmp_path, lines, said):
    """Properties as a list was an internal error; a name given as a string was read as its first
    letter ('J' is not a full name), one given as an object was written as its Python text."""
    occupancy = {"id": "c", "schema": "Occupancy", "properties": {"holder": ["a"], "post": ["b"]}}
    position = {"id": "b", "schema": "Position", "properties": {"name": ["Minister"], "country": ["pk"]}}
    source = tmp_path / "h.json"
    source.write_text("\n".join([*lines, json.dumps(position), json.dumps(occupancy)]) + "\n", encoding="utf-8")
    before = records(repo)
    result = run_kb("import", "holders", source, kb=repo)
    assert (result.exit_code, result.stderr) == (2, f"kb: error: {source}:1: {said}\n")
    assert records(repo) == before


def _ftm(name: str) -> str:
    entities = [
        {"id": "a", "schema": "Person", "properties": {"name": [name]}},
        {"id": "b", "schema": "Position", "properties": {"name": ["Minister of Finance"], "country": ["pk"]}},
        {"id": "c", "schema": "Occupancy", "properties": {"holder": ["a"], "post": ["b"], "startDate": ["2020"]}},
    ]
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entities)


def test_a_followthemoney_name_holding_a_line_separator_is_one_line(run_kb, repo, tmp_path):
    """JSON text may hold U+2028 raw: it ends no line of a JSON lines file (it was read as two
    lines, neither of them JSON); in the name it is a space, as every run of white space is."""
    source = tmp_path / "h.jsonl"
    source.write_text("\ufeff" + _ftm("Asad\u2028Umar"), encoding="utf-8")
    result = run_kb("import", "holders", source, kb=repo)
    assert (result.exit_code, result.stdout) == (0, "wrote people/asad-umar.yaml\n")
    assert "name: Asad Umar\n" in (repo / "people/asad-umar.yaml").read_text(encoding="utf-8")


def test_a_holders_csv_cell_spanning_lines_and_cr_line_ends_are_read_as_csv(run_kb, repo, tmp_path):
    """csv reads its own line ends: a quoted cell over two lines is one cell (its line break a
    space), and old Mac line ends (CR alone) end rows; the rows were cut at every line break first."""
    source = tmp_path / "h.csv"
    source.write_bytes(b'person,post,country,start,end\r"Asad\rUmar",Minister of Finance,PK,2018-08-20,2019-04-18\r')
    result = run_kb("import", "holders", source, kb=repo)
    assert (result.exit_code, result.stdout) == (0, "wrote people/asad-umar.yaml\n")
    assert run_kb("check", kb=repo).exit_code == 0 and run_kb("fmt", "--check", kb=repo).exit_code == 0


def test_an_update_that_cannot_be_proved_leaves_the_new_people_unwritten(run_kb, repo, tmp_path):
    """The edits of recorded people are proved before any file is written: one that cannot be (a
    record not in kb fmt's layout) stops the import with nothing written, where the new people of
    the file were written first."""
    person = repo / "people/donald-blome.yaml"
    person.write_text(person.read_text(encoding="utf-8").replace("name: Donald Blome", "name:  Donald Blome"))
    source = tmp_path / "h.csv"
    source.write_text(HEADER + "Asad Umar,Minister of Finance,PK,2018,\nDonald Blome,Envoy,US,2026,\n")
    before = records(repo)
    result = run_kb("import", "holders", source, kb=repo)
    said = (
        "kb: error: people/donald-blome.yaml is not in kb's canonical layout, so editing it could change lines "
        "the edit does not touch; run `kb fmt people/donald-blome.yaml`, then try again\n"
    )
    assert (result.exit_code, result.stderr, result.stdout) == (2, said, "")
    assert records(repo) == before


@pytest.mark.parametrize(
    ("name", "written"), [("../../etc/passwd Smith", "etc-passwd-smith"), ("/etc/cron.d/x Smith", "etc-cron-d-x-smith")]
)
def test_a_name_like_a_path_writes_inside_people_only(run_kb, repo, tmp_path, name, written):
    """Held: a record's file name is the slug of the name, never the name."""
    source = tmp_path / "h.csv"
    source.write_text(HEADER + f"{name},Minister,PK,2020,\n", encoding="utf-8")
    before = set(records(repo))
    result = run_kb("import", "holders", source, kb=repo)
    assert (result.exit_code, result.stdout) == (0, f"wrote people/{written}.yaml\n")
    assert set(records(repo)) - before == {f"people/{written}.yaml"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.csv", "kb"]


def test_a_formula_in_a_holders_cell_is_text_in_every_delimited_list(run_kb, repo, tmp_path):
    """A name and a post that a spreadsheet would run as formulas are kept as the file gives them
    (they are text in YAML), and `kb list people -o people.tsv` writes them as text, as the CSV
    formats do; the TSV wrote them bare."""
    source = tmp_path / "h.csv"
    source.write_text(HEADER + "=cmd|calc!A1 Smith,@SUM(1+1) Minister,PK,2020,\n", encoding="utf-8")
    assert run_kb("import", "holders", source, kb=repo).exit_code == 0
    assert _read_back(repo, "people/cmd-calc-a1-smith.yaml")["name"] == "=cmd|calc!A1 Smith"
    listed = tmp_path / "people.tsv"
    assert run_kb("list", "people", "-o", listed, kb=repo).exit_code == 0
    (line,) = [line for line in listed.read_text(encoding="utf-8").splitlines() if line.startswith("cmd-calc-a1-smith")]
    assert line == "cmd-calc-a1-smith\t'=cmd|calc!A1 Smith\tPK\t'@SUM(1+1) Minister\t0\t"


def test_rows_of_one_wikidata_id_under_another_spelling_keep_it_as_an_alias(run_kb, repo, tmp_path):
    """One id, one person: the rows are one record, as before, and the spelling of the second row
    is its alias (it was dropped, so a trip naming "Asad Omar" found nobody)."""
    source = tmp_path / "h.csv"
    source.write_text(
        "person,post,country,start,end,wikidata\n"
        "Asad Umar,Minister of Finance,PK,2018,2019,Q1\nAsad Omar,Minister of Planning,PK,2021,2022,Q1\n",
        encoding="utf-8",
    )
    result = run_kb("import", "holders", source, kb=repo)
    assert (result.exit_code, result.stdout) == (0, "wrote people/asad-umar.yaml\n")
    person = _read_back(repo, "people/asad-umar.yaml")
    assert (person["name"], person["aliases"]) == ("Asad Umar", [{"name": "Asad Omar", "kind": "spelling"}])
    assert [r["title"] for r in person["roles"]] == ["Minister of Finance", "Minister of Planning"]
    assert run_kb("check", kb=repo).exit_code == 0


def test_a_holders_cell_over_csvs_limit_is_refused_not_a_crash(run_kb, repo, tmp_path):
    """A cell of 200,000 characters passes csv's limit: it was an internal error; now refused as
    `kb import csv` refuses it."""
    source = tmp_path / "h.csv"
    source.write_text(HEADER + "John Smith," + "M" * 200_000 + ",PK,2020,\n", encoding="utf-8")
    result = run_kb("import", "holders", source, kb=repo)
    said = f"kb: error: {source}: not readable as CSV (field larger than field limit (131072))\n"
    assert (result.exit_code, result.stderr) == (2, said)


def test_a_holders_file_in_another_encoding_is_refused_at_its_byte_or_read_as_utf16(run_kb, repo, tmp_path):
    """Windows-1252 is refused at the line and column of its first byte that is not UTF-8 (it was
    the file alone); a spreadsheet's "Unicode text" (UTF-16) is read, as `kb import csv` reads it."""
    source = tmp_path / "h.csv"
    source.write_bytes(
        (HEADER + "Asad Umar,Minister of Finance,PK,2018,\nJos\u00e9 Smith,Minister,PK,2020,\n").encode("cp1252")
    )
    before = records(repo)
    result = run_kb("import", "holders", source, kb=repo)
    said = f"kb: error: {source}:3:4: not UTF-8 text (byte 0xe9); save the file as UTF-8\n"
    assert (result.exit_code, result.stderr) == (2, said) and records(repo) == before
    source.write_bytes((HEADER + "Asad Umar,Minister of Finance,PK,2018,\r\n").encode("utf-16"))
    result = run_kb("import", "holders", source, kb=repo)
    assert (result.exit_code, result.stdout) == (0, "wrote people/asad-umar.yaml\n")


def test_two_wikidata_ids_for_one_recorded_name_write_neither(run_kb, repo, tmp_path):
    """The file says two people (two ids) are named Mohsin Naqvi, and kb records one, without an
    id: both were taken for him, the first one's roles dropped and the second's id written. Now
    neither is written and the import says what decides."""
    source = tmp_path / "h.csv"
    source.write_text(
        "person,post,country,start,end,wikidata\n"
        "Mohsin Naqvi,Chief Minister of Punjab,PK,2023-01-22,2024-02-26,Q111\n"
        "Mohsin Naqvi,Chairman of the Cricket Board,PK,2024-02-06,,Q222\n",
        encoding="utf-8",
    )
    before = records(repo)
    result = run_kb("import", "holders", source, kb=repo)
    said = (
        "h.csv row 3: the file gives 'Mohsin Naqvi' two Wikidata ids (Q111, Q222), and kb records one such "
        "person without an id (mohsin-naqvi): add the right id to people/mohsin-naqvi.yaml (identifiers: "
        "wikidata), and the other tenures are imported as another person; nothing written for this person\n"
        "0 people created, 0 people updated (0 roles added), 1 person not placed\n"
    )
    assert (result.exit_code, result.stderr, result.stdout) == (1, said, "")
    assert records(repo) == before


def test_two_wikidata_ids_for_one_new_name_are_two_people_and_say_so(run_kb, repo, tmp_path):
    """Different ids, never one person: the note says the ids decided (it said no id did)."""
    source = tmp_path / "h.csv"
    source.write_text(
        "person,post,country,start,end,wikidata\n"
        "Asad Umar,Minister of Finance,PK,2018,2019,Q1\nAsad Umar,Minister of Planning,PK,2021,2022,Q2\n",
        encoding="utf-8",
    )
    result = run_kb("import", "holders", source, kb=repo)
    assert (result.exit_code, result.stdout) == (0, "wrote people/asad-umar.yaml\nwrote people/asad-umar-2.yaml\n")
    note = (
        "notes: Posts and dates from the office-holders reference h.csv. The file names another 'Asad Umar' with "
        "another Wikidata id, kept as another person.\n"
    )
    for relpath, qid in (("people/asad-umar.yaml", "Q1"), ("people/asad-umar-2.yaml", "Q2")):
        text = (repo / relpath).read_text(encoding="utf-8")
        assert f"  wikidata: {qid}\n" in text and text.endswith(note)


def test_a_person_saved_in_an_editor_during_the_import_is_kept(run_kb, repo, tmp_path, monkeypatch):
    """Held: the file is saved between kb's read and its rename; the save stays, nothing of the
    import is written over it, and the message says to run it again (which then adds the role)."""
    from kb.store import atomic

    person = repo / "people/donald-blome.yaml"
    saved = person.read_text(encoding="utf-8") + "# saved in an editor meanwhile\n"
    write = atomic.write_bytes

    def save_first(path, data, **kwargs):
        if path == person and not person.read_text(encoding="utf-8").endswith("meanwhile\n"):
            person.write_text(saved, encoding="utf-8")
        return write(path, data, **kwargs)

    monkeypatch.setattr(atomic, "write_bytes", save_first)
    source = tmp_path / "h.csv"
    source.write_text(HEADER + "Donald Blome,Envoy,US,2026,\n", encoding="utf-8")
    result = run_kb("import", "holders", source, kb=repo)
    said = (
        "kb: error: people/donald-blome.yaml changed on disk after kb read it (an editor's save?); nothing was "
        "written: run the command again\n"
    )
    assert (result.exit_code, result.stderr) == (2, said)
    assert person.read_text(encoding="utf-8") == saved
    result = run_kb("import", "holders", source, kb=repo)
    assert result.exit_code == 0 and result.stdout == "added 1 role to people/donald-blome.yaml\n"
    assert person.read_text(encoding="utf-8").endswith("meanwhile\n") and "title: Envoy" in person.read_text()


# -- an edit through a link: refused by name, the link and its target as they were ----------------


LINK_SAID = "is a symbolic link, and kb never writes records through links: replace the link with the file it points to"


def _link_person(repo, where: str):
    """people/donald-blome.yaml made a link (to a file, or through a linked folder) inside the
    knowledge base, where kb check reads it."""
    if where == "file":
        (repo / "store").mkdir()
        (repo / "people/donald-blome.yaml").rename(repo / "store/donald-blome.yaml")
        (repo / "people/donald-blome.yaml").symlink_to("../store/donald-blome.yaml")
        return repo / "store/donald-blome.yaml"
    return repo / "people/donald-blome.yaml"


def test_holders_never_edit_a_person_through_a_link(run_kb, repo, tmp_path):
    """The file is a link to a record inside the knowledge base: it was read through the link and
    refused at the rename as "changed on disk (an editor's save?)": run again, refused again."""
    target = _link_person(repo, "file")
    assert run_kb("check", kb=repo).exit_code == 0
    source = tmp_path / "h.csv"
    source.write_text(HEADER + "Donald Blome,Envoy,US,2026,\n")
    before = records(repo)
    result = run_kb("import", "holders", source, kb=repo)
    said = f"kb: error: people/donald-blome.yaml {LINK_SAID}\n"
    assert (result.exit_code, result.stderr) == (2, said)
    assert records(repo) == before and (repo / "people/donald-blome.yaml").is_symlink() and target.is_file()


def test_a_link_at_a_new_persons_name_is_passed_over(run_kb, repo, tmp_path):
    """A link planted where a new person's file would go (pointing nowhere, so it did not count as
    taken): the import stopped half-way, after writing the people before it. The name is taken,
    the person written beside it, the link and its target's place left as they were."""
    link = repo / "people/john-smith.yaml"
    link.symlink_to(tmp_path / "made-through-the-link.yaml")
    source = tmp_path / "h.csv"
    source.write_text(HEADER + "Asad Umar,Minister,PK,2020,\nJohn Smith,Minister,PK,2020,\n", encoding="utf-8")
    result = run_kb("import", "holders", source, kb=repo)
    assert (result.exit_code, result.stdout) == (0, "wrote people/asad-umar.yaml\nwrote people/john-smith-2.yaml\n")
    assert link.is_symlink() and not (tmp_path / "made-through-the-link.yaml").exists()


def test_a_merge_never_writes_through_a_link(run_kb, repo):
    """A meeting that names GONE is a link: the merge is refused before anything is written (it
    stopped half-way, saying "a file changed on disk while kb was writing", when the link came
    after a written file)."""
    (repo / "people/nat-baker.yaml").write_text("id: nat-baker\nname: Nat Baker\ncountry: US\n", encoding="utf-8")
    meeting = repo / "meetings/2026-01-24-naqvi-baker.yaml"
    text = meeting.read_text(encoding="utf-8").replace("natalie-baker", "nat-baker")
    (repo / "store").mkdir()
    (repo / "store" / meeting.name).write_text(text, encoding="utf-8")
    meeting.unlink()
    meeting.symlink_to(f"../store/{meeting.name}")
    before = records(repo)
    result = run_kb("merge", "natalie-baker", "nat-baker", "--why", "one diplomat", "--by", "tester", kb=repo)
    said = f"kb: error: meetings/{meeting.name} {LINK_SAID}; nothing was merged\n"
    assert (result.exit_code, result.stderr) == (2, said)
    assert records(repo) == before and meeting.is_symlink()


def test_a_merge_refuses_a_link_planted_after_its_plan(run_kb, repo, monkeypatch):
    """Between the plan (every file proved) and the writing, a file is swapped for a link to a
    copy of itself: refused before the first file is written, never written through."""
    from kb.authoring import merging

    (repo / "people/nat-baker.yaml").write_text("id: nat-baker\nname: Nat Baker\ncountry: US\n", encoding="utf-8")
    meeting = repo / "meetings/2026-01-24-naqvi-baker.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("natalie-baker", "nat-baker"), encoding="utf-8")
    planned = merging.plan

    def plan_then_plant(*args, **kwargs):
        result = planned(*args, **kwargs)
        assert [e.relpath for e in result.edits][:2] == [f"meetings/{meeting.name}", "people/natalie-baker.yaml"]
        person = repo / "people/natalie-baker.yaml"
        (repo / "elsewhere.yaml").write_bytes(person.read_bytes())
        person.unlink()
        person.symlink_to(repo / "elsewhere.yaml")
        return result

    monkeypatch.setattr(merging, "plan", plan_then_plant)
    before = records(repo)
    result = run_kb("merge", "natalie-baker", "nat-baker", "--why", "one diplomat", "--by", "tester", kb=repo)
    said = (
        "kb: error: people/natalie-baker.yaml changed on disk after kb read it (an editor's save?); nothing was "
        "written: run the command again\n"
    )
    assert (result.exit_code, result.stderr) == (2, said)
    after = records(repo)
    assert after.pop("elsewhere.yaml") == before["people/natalie-baker.yaml"]
    assert after == before and (repo / "people/natalie-baker.yaml").is_symlink()


# -- kb dedupe --decide: a decisions file it cannot write in is said before the first question ----

PLANTED = (
    "decisions:\n  - kind: person\n    ids: [donald-blome, natalie-baker]\n    judgement: different\n"
    "    by: x\n    date: 2024-01-01\n    why: y\n    evil: !!python/object/apply:os.system ['id']\n"
)


@pytest.mark.parametrize("planted", ["hostile content", "a link"])
def test_dedupe_decide_refuses_a_decisions_file_it_cannot_use_before_asking(run_kb, repo, planted):
    """A decisions.yaml planted with a field and a tag of no schema, or made a link to a file in
    the knowledge base: `kb decide` refused it; `kb dedupe --decide` asked its questions and then
    appended to the planted file, or failed only once the judgement was typed."""
    (repo / "people/nat-baker.yaml").write_text("id: nat-baker\nname: Natalie Baker\ncountry: US\n", encoding="utf-8")
    decisions = repo / "decisions.yaml"
    if planted == "a link":
        (repo / "store").mkdir()
        (repo / "store/decisions.yaml").write_text("decisions: []\n", encoding="utf-8")
        decisions.symlink_to("store/decisions.yaml")
        said = f"kb: error: decisions.yaml {LINK_SAID}\n"
    else:
        decisions.write_text(PLANTED, encoding="utf-8")
        said = (
            "kb: warning: 1 file could not be read and is left out (first: decisions.yaml); run `kb check` for details\n"
            "kb: error: decisions.yaml:8:11: the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed "
            "in a record; the judgements in decisions.yaml are not used until it is valid, so nothing was written "
            "(fix it: `kb check decisions.yaml`)\n"
        )
    before = records(repo)
    result = run_kb("dedupe", "--decide", "--by", "tester", kb=repo, input="s\none person\n")
    assert (result.exit_code, result.stderr, result.stdout) == (2, said, "")
    assert records(repo) == before


# -- long cells: written on one line, as kb fmt writes them, and editable afterwards --------------


def _csv(rows: list[tuple[str, ...]], end: str = "\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=end)
    writer.writerow(["Date", "With", "Purpose"])
    writer.writerows(rows)
    return buffer.getvalue()


HOSTILE_CELLS = [
    "<script>alert(1)</script> talks",
    "&anchor *ref !!python/object:os.system {a: b}",
    "!!python/object/apply:os.system ['id']",
    "{a: b}",
    "--- | > @x `y` %YAML 1.1",
    "'quoted' \"dq\" # not a comment: yes",
    "=cmd|' /C calc'!A0",
]


def _read_back(root, relpath: str) -> dict:
    from kb.store.yamlread import parse_bytes

    parsed = parse_bytes((root / relpath).read_bytes(), relpath)
    assert parsed.findings == []
    return parsed.data


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_hostile_spreadsheet_cells_are_written_as_plain_strings(run_kb, repo, tmp_path, end):
    """Markup, YAML's own syntax and a formula are text: each purpose reads back as the string it
    was, whatever the file's line ends; the drafts pass kb check and kb fmt --check."""
    rows = [(f"2024-03-{n + 1:02d}", "Jane Marriott", cell) for n, cell in enumerate(HOSTILE_CELLS)]
    source = tmp_path / "m.csv"
    source.write_bytes(_csv(rows, end).encode("utf-8"))
    args = ("--map", "date=Date", "--map", "with=With", "--map", "purpose=Purpose")
    result = run_kb("import", "csv", source, *args, kb=repo)
    assert result.exit_code == 0, result.output
    written = [line.rsplit(" ", 1)[1] for line in result.stdout.splitlines() if ": wrote meetings/" in line]
    assert [_read_back(repo, relpath)["summary"] for relpath in written] == HOSTILE_CELLS
    assert run_kb("check", kb=repo).exit_code == 0
    assert run_kb("fmt", "--check", kb=repo).exit_code == 0


def test_a_cell_longer_than_a_line_is_one_line_as_kb_fmt_writes_it_and_can_be_edited(run_kb, repo, tmp_path):
    """A cell of 5,000 characters was written on a line of its own after `summary: ` (a trailing
    space), which kb fmt --check then refused; and a record holding a line
    over 4,096 characters could never be edited (`kb update` asked for kb fmt, which changed nothing)."""
    long = "x" * 5000
    source = tmp_path / "m.csv"
    source.write_text(_csv([("2024-03-01", "Jane Marriott", long + " {a: b}")]), encoding="utf-8")
    args = ("--map", "date=Date", "--map", "with=With", "--map", "purpose=Purpose")
    assert run_kb("import", "csv", source, *args, kb=repo).exit_code == 0
    (written,) = (repo / "meetings").glob("2024-03-01-*.yaml")
    assert f"\nsummary: '{long} {{a: b}}'\n" in written.read_text(encoding="utf-8")
    assert run_kb("fmt", "--check", kb=repo).exit_code == 0
    meeting = repo / "meetings/2025-11-13-naqvi-biggar.yaml"
    text = meeting.read_text(encoding="utf-8")
    start = text.index("summary: >-\n")
    end = text.index("\n", text.index("\n  ", start) + 1)
    while text[end + 1 : end + 3] == "  ":
        end = text.index("\n", end + 1)
    meeting.write_text(text[:start] + f"summary: {long}" + text[end:], encoding="utf-8")
    assert run_kb("fmt", "--check", kb=repo).exit_code == 0
    result = run_kb("update", "2025-11-13-naqvi-biggar#five-mous", "in-progress", "--note", "drafts exchanged", kb=repo)
    assert result.exit_code == 0, result.output
    assert f"summary: {long}\n" in meeting.read_text(encoding="utf-8")
    assert run_kb("fmt", "--check", kb=repo).exit_code == 0 and run_kb("check", kb=repo).exit_code == 0


def test_hostile_remarks_of_a_trip_are_written_as_plain_strings(run_kb, repo, tmp_path, check_json):
    """A travels file's remarks and locale hold markup (as XML escapes), YAML's syntax, a bidi
    override and a C1 control (allowed in XML 1.0): the text is kept, the two characters removed
    and said, and every draft passes kb check and kb fmt --check."""
    from xml.sax.saxutils import escape

    trips = [*HOSTILE_CELLS, "Met with Prime Minister Henri\u202e Queuille.\x9b31m"]
    items = "".join(
        f'<trip role="secretary" who="acheson-dean-gooderham"><id>{9000 + n}</id><name>Dean Gooderham Acheson</name>'
        f"<start-date>1949-05-{n + 10}</start-date><end-date>1949-05-{n + 10}</end-date>"
        f'<country id="france">France</country><locale>{escape("&anchor *ref" if n == 1 else "Paris")}</locale>'
        f"<remarks>{escape(remark)}</remarks></trip>\n"
        for n, remark in enumerate(trips)
    )
    source = tmp_path / "acheson.xml"
    source.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<trips>\n{items}</trips>\n', encoding="utf-8")
    result = run_kb("import", "trips", source, "--create-people", kb=repo)
    assert result.exit_code == 0, result.output
    said = (
        "kb: warning: meetings/1949-05-17-dean-gooderham-acheson.yaml: removed control characters or bidirectional "
        "overrides from title, summary (they could rewrite a reader's terminal or reorder the text)\n"
    )
    assert said in result.stderr
    written = sorted((repo / "meetings").glob("1949-*.yaml"))
    read = [_read_back(repo, f"meetings/{p.name}") for p in written]
    assert [m["summary"] for m in read] == [*HOSTILE_CELLS, "Met with Prime Minister Henri Queuille.31m"]
    assert read[1]["location"] == {"place": "&anchor *ref", "country": "FR"}
    findings, _code = check_json(repo)
    assert [f for f in findings if f["severity"] == "error"] == []
    assert run_kb("fmt", "--check", kb=repo).exit_code == 0


# -- kb site serve: an address holding a NUL, form fields holding YAML's syntax ------------------


def _frame_headers(port: int, path: str) -> tuple[str | None, str | None]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        response = conn.getresponse()
        response.read()
        return response.getheader("X-Frame-Options"), response.getheader("Content-Security-Policy")
    finally:
        conn.close()


def _raw_get(port: int, path: str) -> tuple[int, bytes]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_the_server_answers_an_address_holding_a_nul_as_not_found(repo, tmp_path, run_kb):
    """`%00` in the address reached open() (ValueError: embedded null byte): the request got no
    answer and the server's terminal a traceback. A page's `<img src="http://127.0.0.1:PORT/%00">`
    is enough. Now 404, as any other address outside the site; a page in the output folder that is
    not UTF-8 (kb did not write it) is served as its bytes. No answer may be framed by another
    site (a framed form's button under a lure posts with the site's own origin and token: it was
    allowed). And the add-a-meeting form writes fields holding YAML's own syntax and markup as
    plain strings."""
    import re
    from html import unescape

    from test_site_addmeeting import FORM, message, post, seal, token
    from test_site_forms import _start, form_fields, request

    process, port = _start(repo, tmp_path / "site", "--interval", "0.2", "--today", "2026-02-01")
    try:
        for path in ("/%00", "/index.html%00", "/meetings/%00.html", "/%2e%2e/%00"):
            assert request(port, "GET", path)[0] == 404, path
        assert request(port, "GET", "/index.html")[0] == 200
        for path in ("/_kb/add-meeting", "/meetings/2025-11-13-naqvi-biggar.html", "/graph.js", "/%00"):
            assert _frame_headers(port, path) == ("DENY", "frame-ancestors 'none'"), path
        # a source whose address kb check refuses (a space) was written; now refused, nothing written
        meeting = repo / "meetings/2025-11-13-naqvi-biggar.yaml"
        before = meeting.read_bytes()
        _status, page = request(port, "GET", "/meetings/2025-11-13-naqvi-biggar.html")
        hidden = form_fields(page, "/_kb/source")
        status, answer = request(port, "POST", "/_kb/source", {**hidden, "url": "https://example.org/a b\nc"})
        said = (
            "'https://example.org/a b c' is not a web address; give one starting with https:// or http://, "
            "with no space or line break"
        )
        assert status == 400 and said in unescape(answer) and meeting.read_bytes() == before
        # pages kb did not write, not in UTF-8: served as their bytes (they were a traceback and no answer)
        for planted in ("planted.html", "meetings/planted.html"):
            (tmp_path / "site" / planted).write_bytes(b"\xff\xfe<p>theirs</p>")
            assert _raw_get(port, f"/{planted}") == (200, b"\xff\xfe<p>theirs</p>"), planted
        fields = {
            **FORM,
            "token": token(port),
            "title": HOSTILE_CELLS[1],
            "place": "Islamabad\r\nLyon",
            "summary": "--- | > <script>alert(1)</script> %YAML 1.1\r\n# not a comment",
            "publisher": "!!binary AAAA",
            "url": "https://example.org/a?x=<b>&y='\"",
            "action": "check",
        }
        status, raw = request(port, "POST", "/_kb/add-meeting", fields)
        page = unescape(raw)
        assert status == 200 and "<script>alert" not in raw and "&lt;script&gt;alert" in raw, message(page)
        status, page = post(port, {**fields, "action": "save", "seal": seal(page)})
        assert status == 200, message(page)
        (relpath,) = re.findall(r"meetings/[^ ,]+\.yaml", message(page))
    finally:
        process.terminate()
        _out, errors = process.communicate(timeout=30)
    assert "Traceback" not in errors and "Error" not in errors, errors
    meeting = _read_back(repo, relpath)
    assert (meeting["title"], meeting["location"]["place"], meeting["summary"]) == (
        HOSTILE_CELLS[1],
        "Islamabad Lyon",
        "--- | > <script>alert(1)</script> %YAML 1.1 # not a comment",
    )
    assert meeting["sources"] == [
        {"url": unescape(fields["url"]), "publisher": "!!binary AAAA", "published": "2026-01-15"}
    ]
    assert run_kb("check", kb=repo).exit_code == 0 and run_kb("fmt", "--check", kb=repo).exit_code == 0


# -- a pipe where a record goes: refused as a file kb cannot read, never waited on ----------------


@pytest.mark.parametrize("command", [("check", "--format", "json"), ("list", "meetings"), ("search", "naqvi")])
def test_a_pipe_named_like_a_record_is_not_read(repo, command):
    """A named pipe in meetings/ (a local user's, or left by a tool): every command waited for a
    writer that never came. Now KB110 for kb check, and left out and said by the others."""
    import os
    import subprocess
    import sys

    os.mkfifo(repo / "meetings/zz-pipe.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "kb", "--kb", str(repo), *command], capture_output=True, text=True, timeout=120
    )
    if command[0] == "check":
        found = [f for f in json.loads(result.stdout) if f["path"] == "meetings/zz-pipe.yaml"]
        assert result.returncode == 1 and [(f["code"], f["message"], f["hint"]) for f in found] == [
            (
                "KB110",
                "not a plain file (a pipe, socket or device); it is not read",
                "remove it: records are plain files",
            )
        ]
    else:
        said = (
            "kb: warning: 1 file could not be read and is left out (first: meetings/zz-pipe.yaml); "
            "run `kb check` for details\n"
        )
        assert (result.returncode, result.stderr) == (0, said)


# -- kb import article: an address the records' schema refuses is refused before anything is written


@pytest.mark.parametrize("url", ["https://example.org/z\n- url: https://evil.example", "https://example.org/a b"])
def test_an_article_address_kb_check_would_refuse_is_refused_first(run_kb, repo, tmp_path, url):
    """An address with a line break or a space was written (quoted: YAML was safe) and then failed
    kb check (KB203); the error quoting it shows the line break as an escape."""
    text = tmp_path / "article.txt"
    text.write_text("LONDON, March 3 (APP): Interior Minister Mohsin Naqvi met Graeme Biggar on Monday.\n")
    before = records(repo)
    result = run_kb("import", "article", text, "--published", "2026-03-04", "--url", url, kb=repo)
    shown = url.replace("\n", "\\n")
    said = f"kb: error: --url {shown}: give the article's http(s) address, with no space or line break\n"
    assert (result.exit_code, result.stderr) == (2, said)
    assert records(repo) == before


def test_a_spreadsheet_address_kb_check_would_refuse_is_noted_not_written(run_kb, repo, tmp_path, check_json):
    """A url cell holding a space or a `javascript:` address was written as the source's url, and
    kb check then refused the draft (KB203). The draft keeps the row as its source and says what
    the cell held."""
    source = tmp_path / "u.csv"
    source.write_text(
        "Date,With,Purpose,Link\n2024-03-01,Jane Marriott,Talks,https://x.org/a b\n"
        "2024-03-02,Jane Marriott,Talks,javascript:alert(1)\n2024-03-03,Jane Marriott,Talks,https://x.org/c\n",
        encoding="utf-8",
    )
    maps = ("--map", "date=Date", "--map", "with=With", "--map", "purpose=Purpose", "--map", "url=Link")
    assert run_kb("import", "csv", source, *maps, kb=repo).exit_code == 0
    findings, _code = check_json(repo)
    assert [f for f in findings if f["severity"] == "error"] == []
    read = {day: _read_back(repo, f"meetings/2024-03-0{day}-marriott.yaml") for day in (1, 2, 3)}
    assert [read[day]["sources"] for day in (1, 2, 3)] == [
        [{"document": "u.csv row 2"}],
        [{"document": "u.csv row 3"}],
        [{"document": "u.csv row 4", "url": "https://x.org/c"}],
    ]
    assert (
        "u.csv row 3: the url 'javascript:alert(1)' is not an http(s) address, so the source names the row only; "
        "add the report's address (https://...) if there is one"
    ) in read[2]["unconfirmed"]


def test_an_address_without_a_host_is_refused_by_the_one_rule(make_kb, run_kb, check_json):
    """The schema's url rule is the one every writer asks (kb.store.schemas.is_url): an address
    with no host ('https:///report') fails kb check, and kb import article refuses it too."""
    import textwrap

    from conftest import BASE_FILES

    meeting = "meetings/2024-07-13-naqvi-blome.yaml"
    text = textwrap.dedent(BASE_FILES[meeting]).replace("url: https://example.org/report", "url: https:///report")
    root = make_kb({meeting: text})
    findings, code = check_json(root)
    assert code == 1
    assert [(f["code"], f["message"]) for f in findings] == [
        ("KB203", "'url' 'https:///report' is not an http(s) address")
    ]
    result = run_kb("import", "article", "-", "--url", "https:///report", kb=root, input="A report.\n")
    assert result.exit_code == 2
    assert "https:///report" in result.stderr and "Traceback" not in result.output
