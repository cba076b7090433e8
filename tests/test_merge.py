"""`kb merge KEEP GONE` on a copy of this repository and on small knowledge bases: every reference
rewritten (found through kb.model.references, which must cover the schemas), former ids, names
and roles carried over, files kept byte for byte where nothing changes, refusals that write
nothing, and `kb diff` showing the merge as one change."""

import datetime as dt
import json
import re
import subprocess
import textwrap

import pytest

from kb.model import references
from kb.store import schemas

GIT = ["git", "-c", "user.name=A Reviewer", "-c", "user.email=r@example.org"]


def git(root, *args):
    return subprocess.run([*GIT, "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def commit(root, message="records"):
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main")
        git(root, "config", "user.name", "A Reviewer")  # who judges, unless --by says
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)


def files_of(root):
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts and ".kb-cache" not in p.parts
    }


def point_at(root, old, new, skip):
    """Every line of the knowledge base whose value is the id ``old`` (a `key: old` or `- old`
    line) made to name ``new``, except in the file ``skip``: what a duplicate record leaves behind."""
    line = re.compile(rf"^(\s*(?:- )?(?:[a-z_]+: )?|\s*- ){re.escape(old)}(\r?)$", re.M)
    changed = []
    for path in sorted(
        [root / "kb.yaml", *root.glob("meetings/*.yaml"), *root.glob("people/*.yaml"), *root.glob("orgs/*.yaml")]
    ):
        if path.relative_to(root).as_posix() == skip:
            continue
        text = path.read_bytes().decode("utf-8")
        new_text = line.sub(
            lambda m: f"{m.group(1)}{new}{m.group(2)}" if not m.group(1).strip().startswith("id:") else m.group(0), text
        )
        if new_text != text:
            path.write_bytes(new_text.encode("utf-8"))
            changed.append(path.relative_to(root).as_posix())
    return changed


DUPLICATE_PERSON = """\
# yaml-language-server: $schema=../kb/schemas/person.schema.json
# Drafted from a press report; the same minister as mohsin-naqvi?
id: m-naqvi
name: Muhsin Nakvi
aliases:
  - name: Мохсин Накви
    kind: transliteration
  - name: Nakvi
    kind: weak
country: PK
roles:
  - title: Chief Minister of Punjab (caretaker)
    post: pk-chief-minister-punjab
    country: PK
    start: 2023-01-22
    end: 2024-02-26
"""


def test_a_person_merge_rewrites_every_reference_and_restores_the_records(repo, run_kb):
    root = repo
    original = files_of(root)
    # one meeting file with Windows line endings, kept so by the merge
    crlf = "meetings/2025-12-06-naqvi-baker.yaml"
    original[crlf] = original[crlf].replace(b"\n", b"\r\n")
    (root / crlf).write_bytes(original[crlf])
    (root / "people/m-naqvi.yaml").write_text(DUPLICATE_PERSON, encoding="utf-8")
    pointed = point_at(root, "mohsin-naqvi", "m-naqvi", "people/mohsin-naqvi.yaml")
    assert pointed == [
        "meetings/2024-07-13-naqvi-blome.yaml",
        "meetings/2025-11-13-naqvi-biggar.yaml",
        "meetings/2025-12-06-naqvi-baker.yaml",
        "meetings/2026-01-24-naqvi-baker.yaml",
    ]
    # a comment of the user's in the record kept
    keep_path = root / "people/mohsin-naqvi.yaml"
    keep_text = keep_path.read_text(encoding="utf-8").replace(
        "\nroles:\n", "\n# Roles from official notifications.\nroles:\n"
    )
    keep_path.write_text(keep_text, encoding="utf-8")
    commit(root)

    proposed = json.loads(run_kb("dedupe", "--format", "json", kb=root).output)["pairs"]
    assert [(p["ids"], p["strength"], [r["code"] for r in p["reasons"]]) for p in proposed] == [
        (["m-naqvi", "mohsin-naqvi"], "possible", ["written-form", "same-country"])
    ]

    result = run_kb("merge", "mohsin-naqvi", "m-naqvi", "--why", "One minister; Nakvi is a misspelling", kb=root)
    assert result.exit_code == 0, result.output
    assert result.output == (
        "merged person m-naqvi into mohsin-naqvi: 6 files changed, people/m-naqvi.yaml deleted\n"
        "  ! 1 comment(s) in people/m-naqvi.yaml were deleted with it:\n"
        "      # Drafted from a press report; the same minister as mohsin-naqvi?\n"
    )
    after = files_of(root)
    # every reference is back to what the repository says, byte for byte (CRLF kept)
    for relpath in pointed:
        assert after[relpath] == original[relpath], relpath
    assert "people/m-naqvi.yaml" not in after
    merged = after["people/mohsin-naqvi.yaml"].decode("utf-8")
    assert "# Roles from official notifications.\nroles:\n" in merged
    assert (
        "  - name: Naqvi\n    kind: weak\n"
        "  - name: محسن نقوی\n    kind: transliteration\n    script: Arab\n    lang: ur\n    native: true\n"
        "    note: His name in Urdu, as the Urdu-language press and the federal government write it.\n"
        "  - name: Muhsin Nakvi\n    kind: spelling\n    note: The name of m-naqvi, merged into this record.\n"
        "  - name: Мохсин Накви\n    kind: transliteration\n"
        "  - name: Nakvi\n    kind: weak\n"
        "country: PK\n# Roles from official notifications.\nroles:\n"
    ) in merged
    assert "  - title: Chief Minister of Punjab (caretaker)\n    post: pk-chief-minister-punjab\n" in merged
    assert "former_ids:\n  - m-naqvi\n" in merged
    decisions = after["decisions.yaml"].decode("utf-8")
    assert decisions.endswith(
        textwrap.dedent("""\
        decisions:
          - kind: person
            ids:
              - mohsin-naqvi
              - m-naqvi
            judgement: same
            by: A Reviewer
            date: {today}
            why: One minister; Nakvi is a misspelling
        """).format(today=dt.date.today().isoformat())
    )
    checked = json.loads(run_kb("check", "--format", "json", kb=root).output)
    assert [f for f in checked if f["severity"] == "error"] == []
    assert run_kb("fmt", "--check", kb=root).exit_code == 0
    diff = run_kb("diff", "HEAD", kb=root)
    assert diff.output == (
        "Changes from HEAD to the working tree:\n"
        "  person m-naqvi merged into mohsin-naqvi (people/m-naqvi.yaml -> people/mohsin-naqvi.yaml): "
        "15 references in 4 records rewritten; judged the same in decisions.yaml\n"
    )
    assert run_kb("dedupe", "--format", "json", kb=root).output.count('"ids"') == 0
    # a reference by the old id still finds the person
    assert run_kb("show", "m-naqvi", "--format", "json", kb=root).exit_code == 0


DUPLICATE_ORG = """\
id: pk-interior-ministry
name: Interior Ministry
abbreviation: MoI
country: PK
kind: ministry
"""


KEEP_ORG_AFTER = """\
# yaml-language-server: $schema=../kb/schemas/org.schema.json
id: pk-ministry-of-interior
name: Ministry of Interior
abbreviation: MoI
aliases:
  - Ministry of Interior and Narcotics Control
  - Interior Ministry
  - Interior Division
kind: ministry
country: PK
former_ids:
  - pk-interior-ministry
url: https://www.interior.gov.pk
"""


def test_an_organisation_merge_rewrites_every_kind_of_reference(repo, run_kb):
    root = repo
    original = files_of(root)
    (root / "orgs/pk-interior-ministry.yaml").write_text(DUPLICATE_ORG, encoding="utf-8")
    pointed = point_at(root, "pk-ministry-of-interior", "pk-interior-ministry", "orgs/pk-ministry-of-interior.yaml")
    # kb.yaml's our_org, meetings (host, participants' org, outcome owners), roles' org, parents
    assert "kb.yaml" in pointed and "people/khurram-ali-agha.yaml" in pointed and "orgs/pk-nacta.yaml" in pointed
    assert len(pointed) == 13
    commit(root)
    before = files_of(root)
    dry = run_kb(
        "merge", "pk-ministry-of-interior", "pk-interior-ministry", "--why", "One ministry", "--dry-run", kb=root
    )
    assert dry.exit_code == 0, dry.output
    assert files_of(root) == before  # nothing written
    lines = dry.output.splitlines()
    assert lines[0] == "kb merge pk-ministry-of-interior pk-interior-ministry would change:"
    assert "  kb.yaml (our_org)" in lines and "  orgs/pk-interior-ministry.yaml (deleted)" in lines
    assert "  meetings/2025-11-13-naqvi-biggar.yaml (7 references)" in lines
    assert "-host: pk-interior-ministry" in lines and "+host: pk-ministry-of-interior" in lines

    result = run_kb("merge", "pk-ministry-of-interior", "pk-interior-ministry", "--why", "One ministry", kb=root)
    assert result.exit_code == 0, result.output
    after = files_of(root)
    for relpath in pointed:
        assert after[relpath] == original[relpath], relpath
    assert after["orgs/pk-ministry-of-interior.yaml"].decode("utf-8") == KEEP_ORG_AFTER
    assert run_kb("fmt", "--check", kb=root).exit_code == 0
    checked = json.loads(run_kb("check", "--format", "json", kb=root).output)
    assert [f for f in checked if f["severity"] == "error"] == []
    changes = json.loads(run_kb("diff", "HEAD", "--format", "json", kb=root).output)["changes"]
    assert [(c["change"], c["old"], c["id"]) for c in changes] == [
        ("merged", "pk-interior-ministry", "pk-ministry-of-interior")
    ]


def test_the_reference_table_covers_every_id_field_of_the_schemas():
    """Every field a schema declares as an id ('ref'), or a free string of ids (a party), is in
    the table of references or declared to name something else: a new field naming a person or
    organisation cannot be forgotten by `kb merge`."""

    def walk(node, path, found, defs):
        if "$ref" in node:
            target = node["$ref"]
            if target.endswith("/ref"):
                found.add(path)
                return
            if target.startswith("#/$defs/"):
                walk(defs[target.rsplit("/", 1)[1]], path, found, defs)
            return
        if node.get("type") == "array" and "items" in node:
            walk(node["items"], (*path, "*"), found, defs)
        if node.get("type") == "string" and path and path[-1] in ("by", "*") and path[-2:] != ("figures", "*"):
            found.add(path)
        for key, sub in node.get("properties", {}).items():
            walk(sub, (*path, key), found, defs)

    declared = {(kind, path) for kind, path, _kinds in references.REFERENCES} | set(references.NOT_PEOPLE_OR_ORGS)
    for kind in ("meeting", "person", "org", "config", "topics", "decisions"):
        schema = schemas.schema(kind)
        found: set[tuple] = set()
        walk(schema, (), found, schema.get("$defs", {}))
        missing = {(kind, path) for path in found} - declared
        assert not missing, missing


def _small(make_kb, extra):
    return make_kb(
        {
            "people/donald-bloom.yaml": """\
            id: donald-bloom
            name: Donald Bloom
            country: US
            """,
            **extra,
        }
    )


def test_dry_run_writes_nothing_and_shows_the_changed_lines(make_kb, run_kb):
    root = _small(make_kb, {})
    before = files_of(root)
    result = run_kb(
        "merge", "donald-blome", "donald-bloom", "--why", "A misspelling", "--dry-run", "--by", "R", kb=root
    )
    assert result.exit_code == 0, result.output
    assert files_of(root) == before
    assert result.output.splitlines()[:5] == [
        "kb merge donald-blome donald-bloom would change:",
        "  people/donald-blome.yaml (merged record)",
        "  decisions.yaml (judgement 'same')",
        "  people/donald-bloom.yaml (deleted)",
        "",
    ]
    assert "+former_ids:\n+  - donald-bloom\n" in result.output
    assert "deleted file people/donald-bloom.yaml\n" in result.output


def test_a_merge_refused_for_different_countries_writes_nothing_unless_forced(make_kb, run_kb):
    root = _small(make_kb, {"people/donald-bloom.yaml": "id: donald-bloom\nname: Donald Bloom\ncountry: GB\n"})
    before = files_of(root)
    result = run_kb("merge", "donald-blome", "donald-bloom", "--why", "x", kb=root)
    assert result.exit_code == 2
    assert result.output == (
        "kb: error: donald-blome and donald-bloom disagree: country: donald-blome has US, "
        "donald-bloom has GB. Settle it in the records first (or pass --force to merge anyway, "
        "keeping KEEP's values)\n"
    )
    assert files_of(root) == before
    forced = run_kb("merge", "donald-blome", "donald-bloom", "--why", "x", "--force", kb=root)
    assert forced.exit_code == 0, forced.output
    assert "country: US\n" in (root / "people/donald-blome.yaml").read_text()


def test_a_pair_judged_different_is_never_merged(make_kb, run_kb):
    root = _small(make_kb, {})
    assert (
        run_kb(
            "decide", "different", "donald-blome", "donald-bloom", "--why", "Two men", "--by", "R", kb=root
        ).exit_code
        == 0
    )
    before = files_of(root)
    for force in ((), ("--force",)):
        result = run_kb("merge", "donald-blome", "donald-bloom", "--why", "x", *force, kb=root)
        assert result.exit_code == 2
        assert "were judged different in decisions.yaml: different (R, " in result.output
        assert files_of(root) == before


def test_two_people_in_one_meeting_are_a_conflict(make_kb, run_kb):
    root = _small(make_kb, {})
    path = root / "meetings/2024-07-13-naqvi-blome.yaml"
    original = path.read_text()
    path.write_text(
        original.replace(
            "topics: [counter-narcotics]", "  - person: donald-bloom\n    side: US\ntopics: [counter-narcotics]"
        )
    )
    result = run_kb("merge", "donald-blome", "donald-bloom", "--why", "x", kb=root)
    assert result.exit_code == 2
    assert "both take part in the meeting 2024-07-13-naqvi-blome" in result.output
    forced = run_kb("merge", "donald-blome", "donald-bloom", "--why", "x", "--force", kb=root)
    assert forced.exit_code == 0, forced.output
    assert path.read_text() == original  # GONE's entry removed, KEEP's kept


def test_a_file_changed_while_merging_is_never_overwritten(make_kb, run_kb, monkeypatch):
    from kb.authoring import merging

    root = _small(make_kb, {})
    keep = root / "people/donald-blome.yaml"
    planned = merging.plan

    def plan_then_edit(*args, **kwargs):
        result = planned(*args, **kwargs)
        keep.write_text(keep.read_text() + "# saved by an editor meanwhile\n")
        return result

    monkeypatch.setattr(merging, "plan", plan_then_edit)
    before = files_of(root)
    result = run_kb("merge", "donald-blome", "donald-bloom", "--why", "x", kb=root)
    assert result.exit_code == 2
    assert result.output == (
        "kb: error: people/donald-blome.yaml changed on disk after kb read it (an editor's "
        "save?); nothing was written: run the command again\n"
    )
    after = files_of(root)
    assert after.pop("people/donald-blome.yaml").endswith(b"# saved by an editor meanwhile\n")
    before.pop("people/donald-blome.yaml")
    assert after == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("donald-blome", "donald-blom"),
            "no person or organisation with the id 'donald-blom' (GONE); did you mean 'donald-blome'?",
        ),
        (("donald-blome", "donald-blome"), "KEEP and GONE are both donald-blome: name two records"),
        (("donald-blome", "pk-interior"), "no person or organisation with the id 'pk-interior' (GONE)"),
        (("donald-blome", "donald-bloom"), "say why donald-blome and donald-bloom are one (--why TEXT)"),
    ],
)
def test_usage_errors(make_kb, run_kb, args, message):
    root = _small(make_kb, {})
    before = files_of(root)
    result = run_kb("merge", *args, kb=root)
    assert result.exit_code == 2
    assert message in result.output
    assert files_of(root) == before


def test_a_record_not_in_kb_fmt_layout_is_refused(make_kb, run_kb):
    root = _small(make_kb, {"people/donald-blome.yaml": "id:   donald-blome\nname: Donald Blome\ncountry: US\n"})
    result = run_kb("merge", "donald-blome", "donald-bloom", "--why", "x", kb=root)
    assert result.exit_code == 2
    assert "people/donald-blome.yaml is not in kb's canonical layout" in result.output
    assert (root / "people/donald-bloom.yaml").exists()


def test_a_role_recorded_under_both_organisations_is_kept_once(make_kb, run_kb):
    role = "  - title: Interior Minister\n    post: pk-interior-minister\n    org: {org}\n    start: 2024-03-11\n"
    root = make_kb(
        {
            "orgs/pk-interior-2.yaml": "id: pk-interior-2\nname: Interior Ministry\ncountry: PK\n",
            "people/mohsin-naqvi.yaml": (
                "id: mohsin-naqvi\nname: Mohsin Naqvi\ncountry: PK\nroles:\n"
                + role.format(org="pk-interior")
                + role.format(org="pk-interior-2")
            ),
        }
    )
    result = run_kb("merge", "pk-interior", "pk-interior-2", "--why", "One ministry", "--by", "R", kb=root)
    assert result.exit_code == 0, result.output
    assert (root / "people/mohsin-naqvi.yaml").read_text() == (
        "id: mohsin-naqvi\nname: Mohsin Naqvi\ncountry: PK\nroles:\n" + role.format(org="pk-interior")
    )
    assert (root / "orgs/pk-interior.yaml").read_text() == (
        "id: pk-interior\nname: Ministry of Interior\naliases:\n  - Interior Ministry\ncountry: PK\n"
        "former_ids:\n  - pk-interior-2\n"
    )


def test_notes_are_joined_in_their_style_and_the_higher_marking_kept(make_kb, run_kb):
    keep = (
        "id: donald-blome\nname: Donald Blome\ncountry: US\nnotes: >-\n  Career Foreign Service officer, "
        "previously US Ambassador to Tunisia; he began his\n  assignment in Islamabad in May 2022.\n"
    )
    root = _small(
        make_kb,
        {
            "people/donald-blome.yaml": keep,
            "people/donald-bloom.yaml": (
                "id: donald-bloom\nname: Donald Bloom\ncountry: US\nnotes: Drafted from a "
                "GNN report of the meeting of 13 July 2024, which spells the ambassador's name "
                "so. It gives no other detail.\nsensitivity: AMBER\n"
            ),
        },
    )
    result = run_kb("merge", "donald-blome", "donald-bloom", "--why", "A misspelling", "--by", "R", kb=root)
    assert result.exit_code == 0, result.output
    expected = keep.replace("country: US\n", "country: US\nformer_ids:\n  - donald-bloom\n").replace(
        "name: Donald Blome\n",
        "name: Donald Blome\naliases:\n  - name: Donald Bloom\n    kind: spelling\n"
        "    note: The name of donald-bloom, merged into this record.\n",
    )
    assert (root / "people/donald-blome.yaml").read_text() == expected + (
        "\n  Drafted from a GNN report of the meeting of 13 July 2024, which spells the ambassador's name so.\n"
        "  It gives no other detail.\nsensitivity: AMBER\n"
    )
    assert run_kb("fmt", "--check", root / "people/donald-blome.yaml", kb=root).exit_code == 0


def test_a_pair_judged_the_same_is_merged_without_a_second_judgement(make_kb, run_kb):
    root = _small(make_kb, {})
    assert (
        run_kb(
            "decide", "same", "donald-bloom", "donald-blome", "--why", "A misspelling", "--by", "R", kb=root
        ).exit_code
        == 0
    )
    judged = (root / "decisions.yaml").read_bytes()
    result = run_kb("merge", "donald-blome", "donald-bloom", kb=root)  # no --why needed
    assert result.exit_code == 0, result.output
    assert result.output == (
        "merged person donald-bloom into donald-blome: 1 file changed, people/donald-bloom.yaml deleted\n"
    )
    assert (root / "decisions.yaml").read_bytes() == judged
