"""Every check code is documented, and its documentation's examples are true.

Each code's documentation (kb/model/findings.py describes its form) has a summary, a text, a
failing and a passing example. Written into the small base knowledge base of conftest.py, the
failing example makes `kb check` report exactly that code, in exactly that file, and nothing else;
the passing example leaves the knowledge base clean.
"""

import re

import pytest
from conftest import REPO

from kb.checks import registry
from kb.model.findings import parse_doc

registry.load_all()
ALL = sorted(registry.CODES)

# Failing examples that cannot be written as text: they are described in words, and the
# reporting itself is tested in test_check_codes.py.
DESCRIBED = {
    "KB106": "invalid UTF-8 is bytes, not text",
    "KB107": "a file over 1 MB is too large to show",
    "KB110": "a folder named like a record is not a file",
}


def test_every_code_is_documented():
    for name in ALL:
        entry = registry.CODES[name]
        assert entry.summary.endswith("."), name
        assert len(entry.text) > 40, f"{name}: say why it matters and how to fix it"
        failing, passing = entry.example(True), entry.example(False)
        assert failing and passing, f"{name} needs a failing and a passing example"
        assert [e.failing for e in entry.examples] == [True, False], name
        assert bool(failing.described) == (name in DESCRIBED), name
        assert passing.files, name


def _kb_with(make_kb, example):
    return make_kb(dict(example.files))


@pytest.mark.parametrize("name", [c for c in ALL if c not in DESCRIBED])
def test_failing_example_reports_its_code(name, make_kb, check_json):
    example = registry.CODES[name].example(True)
    findings, _ = check_json(_kb_with(make_kb, example))
    assert {(f["path"], f["code"]) for f in findings} == {(example.path, name)}, findings


@pytest.mark.parametrize("name", ALL)
def test_passing_example_is_clean(name, make_kb, check_json):
    findings, exit_code = check_json(_kb_with(make_kb, registry.CODES[name].example(False)), "--strict")
    assert findings == []
    assert exit_code == 0


def test_the_base_knowledge_base_is_clean(make_kb, check_json):
    assert check_json(make_kb()) == ([], 0)


def test_parse_doc_reads_every_part():
    summary, text, examples = parse_doc("""A summary
    on two lines.

    Why it matters.

    Failing: people/a.yaml
        id: a
        name:\tA
    With: orgs/b.yaml
        id: b

    Passing, described: words
    on two lines.
    """)
    assert summary == "A summary on two lines."
    assert text == "Why it matters."
    assert examples[0].failing and examples[0].files == (
        ("people/a.yaml", "id: a\nname:\tA\n"),
        ("orgs/b.yaml", "id: b\n"),
    )
    assert examples[1].described == "words on two lines." and not examples[1].failing


def test_text_after_the_examples_is_refused():
    with pytest.raises(ValueError):
        parse_doc("Summary.\n\nFailing: a.yaml\n    id: a\nnot indented\n")


def test_explain_prints_the_documentation(run_kb):
    result = run_kb("check", "--explain", "kb400")
    assert result.exit_code == 0
    entry = registry.CODES["KB400"]
    assert result.output.startswith("KB400 unknown-person (error)\n\n" + entry.summary + "\n")
    assert "Failing: meetings/2024-07-13-naqvi-blome.yaml\n    id: 2024-07-13-naqvi-blome\n" in result.output
    assert "person: donald-bloom" in result.output and "Passing: " in result.output
    assert run_kb("check", "--explain", "unknown-person").output == result.output


def test_explain_a_described_example(run_kb):
    result = run_kb("check", "--explain", "KB106")
    assert "Failing: orgs/pk-foreign-office.yaml saved in Latin-1" in result.output


@pytest.mark.parametrize(
    "wrong,suggestion", [("KB4O0", "KB400 (unknown-person)"), ("unknown-persn", "unknown-person (KB400)")]
)
def test_explain_an_unknown_code(wrong, suggestion, run_kb):
    result = run_kb("check", "--explain", wrong)
    assert result.exit_code == 2
    assert f"unknown check code '{wrong}'; did you mean {suggestion}?" in result.output


def test_markdown_only_with_list(make_kb, run_kb):
    result = run_kb("check", "--format", "markdown", kb=make_kb())
    assert result.exit_code == 2


def test_list_as_json(run_kb):
    import json

    listed = json.loads(run_kb("check", "--list", "--format", "json").output)
    assert [c["code"] for c in listed] == ALL


def test_readme_table_is_generated_from_the_registry(run_kb):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert registry.update_readme(readme) == readme, (
        "README.md's table of check codes differs from the registry: regenerate it with "
        "`python -m kb.checks.registry README.md`"
    )
    assert run_kb("check", "--list", "--format", "markdown").output in readme
    rows = re.findall(r"^\| (KB\d{3}) \|", readme, re.M)
    assert rows == ALL
