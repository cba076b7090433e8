"""`kb fmt`: one canonical layout, idempotent, losing no value and no comment."""

import json
import os
import re
import shutil
import textwrap
from collections import Counter

import pytest
from conftest import REPO, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.authoring import formatting as fmt
from kb.store import files
from kb.store.yamlread import parse_bytes
from kb.store.yamlstyle import can_be_plain


def data_of(text: str):
    parsed = parse_bytes(text.encode("utf-8"), "x.yaml")
    assert parsed.data is not None, parsed.findings
    return parsed.data


MESSY = """\
# yaml-language-server: $schema=../schemas/meeting.schema.json

title: 'Naqvi meets Blome'   # as the ministry put it
status: held
id: 2024-07-13-naqvi-blome
date: '2024-07-13'
participants: [{side: US, person: donald-blome}, {person: mohsin-naqvi, side: PK, role: lead}]

# reported by two outlets
sources:
- url: https://example.org/a   # the first
  publisher: "Example"
-   publisher: Other
    url: https://example.org/b
summary: |
    Line one.
      Indented more.
topics: [counter-narcotics]
"""

CANONICAL = """\
# yaml-language-server: $schema=../schemas/meeting.schema.json

id: 2024-07-13-naqvi-blome
title: Naqvi meets Blome  # as the ministry put it
date: 2024-07-13
status: held
participants:
  - person: donald-blome
    side: US
  - person: mohsin-naqvi
    side: PK
    role: lead
topics:
  - counter-narcotics
summary: |
  Line one.
    Indented more.

# reported by two outlets
sources:
  - url: https://example.org/a  # the first
    publisher: Example
  - url: https://example.org/b
    publisher: Other
"""


def test_canonical_layout():
    assert fmt.format_text(MESSY, "meeting") == CANONICAL


def test_quotes_stay_where_a_plain_value_would_read_differently():
    text = "id: x\nname: 'NO'\ngiven_name: '010'\nfamily_name: 'yes'\nsort_name: 'a: b'\nnotes: '2024'\n"
    out = fmt.format_text(text, "person")
    assert out == text
    assert data_of(out) == data_of(text)


def test_unknown_keys_follow_known_ones_in_their_order():
    out = fmt.format_text("zeta: 1\nname: A\nalpha: 2\nid: a\n", "person")
    assert out == "id: a\nname: A\nzeta: 1\nalpha: 2\n"


def test_file_that_does_not_parse_is_refused():
    with pytest.raises(fmt.FormatError, match="line 2: YAML syntax error"):
        fmt.format_text("id: [unclosed\n", "meeting")


def test_anchors_are_refused_not_expanded():
    with pytest.raises(fmt.FormatError, match="anchors"):
        fmt.format_text("id: &a x\nname: *a\n", "person")


def test_every_record_in_the_repository_is_kept_and_stable():
    for relpath, kind in files.discover(REPO):
        before = (REPO / relpath).read_text(encoding="utf-8")
        once = fmt.format_text(before, kind)
        assert fmt.format_text(once, kind) == once, relpath
        assert data_of(once) == data_of(before), relpath
        assert fmt.comments(once) == fmt.comments(before), relpath


# -- generated records, in every style a person might type ------------------------------------

WORDS = st.text(
    st.characters(categories=["L", "N", "P", "S"], exclude_characters="\x85\u2028\u2029"), min_size=1, max_size=12
)
TEXT = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)
IDS = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,12}\Z")
DATES = st.one_of(st.sampled_from(["2024-07-13", "2024-07", "2024", "2025-01-31~", "2023?"]), st.integers(1990, 2030))


def meetings():
    participant = st.fixed_dictionaries(
        {"person": IDS, "side": st.sampled_from(["PK", "US", "GB", "NO"])},
        optional={"title": TEXT, "role": st.sampled_from(["lead", "delegation"])},
    )
    outcome = st.fixed_dictionaries(
        {
            "id": IDS,
            "kind": st.sampled_from(["commitment", "request"]),
            "text": TEXT,
            "status": st.sampled_from(["open", "fulfilled"]),
        },
        optional={"by": st.lists(st.sampled_from(["PK", "US", "mohsin-naqvi"]), max_size=3), "due": DATES},
    )
    return st.fixed_dictionaries(
        {
            "id": IDS,
            "title": TEXT,
            "date": DATES,
            "status": st.sampled_from(["held", "planned"]),
            "participants": st.lists(participant, min_size=1, max_size=3),
            "sources": st.lists(
                st.fixed_dictionaries(
                    {"url": IDS.map(lambda s: "https://example.org/" + s)}, optional={"publisher": TEXT}
                ),
                min_size=1,
                max_size=2,
            ),
        },
        optional={
            "location": st.fixed_dictionaries({"country": st.just("PK")}, optional={"place": TEXT}),
            "topics": st.lists(IDS, max_size=3, unique=True),
            "summary": TEXT,
            "outcomes": st.lists(outcome, max_size=2),
            "notes": st.lists(st.fixed_dictionaries({"text": TEXT}), max_size=2),
        },
    )


def people():
    role = st.fixed_dictionaries({"title": TEXT}, optional={"post": IDS, "start": DATES, "acting": st.booleans()})
    alias = st.fixed_dictionaries({"name": TEXT, "kind": st.sampled_from(["spelling", "weak"])})
    return st.fixed_dictionaries(
        {"id": IDS, "name": TEXT},
        optional={
            "aliases": st.lists(alias, max_size=3),
            "country": st.just("NO"),
            "roles": st.lists(role, max_size=2),
            "notes": TEXT,
        },
    )


class Writer:
    """Writes data as YAML the way a person might: shuffled keys, any indentation, flow or block
    lists, any quotes, block scalars, comments and blank lines wherever they are allowed."""

    def __init__(self, draw):
        self.draw = draw
        self.map_indent = draw(st.sampled_from([2, 4]))
        self.seq_offset = draw(st.sampled_from([0, 2]))
        self.lines = []  # (text, may_take_comment, starts_entry)

    def scalar(self, value, flow=False) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        styles = ["double", "single"]
        if can_be_plain(value) and not (flow and any(c in value for c in ",[]{}")):
            styles.append("plain")
        style = self.draw(st.sampled_from(styles))
        if style == "plain":
            return value
        if style == "single":
            return "'" + value.replace("'", "''") + "'"
        return json.dumps(value, ensure_ascii=False)

    def add(self, text, comment_ok=True, entry=True):
        self.lines.append((text, comment_ok, entry))

    def mapping(self, data: dict, indent: int, first_prefix=None):
        keys = self.draw(st.permutations(list(data)))
        for i, key in enumerate(keys):
            prefix = first_prefix if i == 0 and first_prefix is not None else " " * indent
            self.value(f"{prefix}{key}:", data[key], indent, entry=not (i == 0 and first_prefix))

    def value(self, head, value, indent, entry=True):
        scalars_only = isinstance(value, (list, dict)) and all(
            not isinstance(v, (list, dict)) for v in (value.values() if isinstance(value, dict) else value)
        )
        if isinstance(value, dict):
            if not value or (scalars_only and self.draw(st.booleans())):
                inner = ", ".join(f"{k}: {self.scalar(v, True)}" for k, v in value.items())
                self.add(f"{head} {{{inner}}}", entry=entry)
            else:
                self.add(head, entry=entry)
                self.mapping(value, indent + self.map_indent)
        elif isinstance(value, list):
            if not value or (scalars_only and self.draw(st.booleans())):
                self.add(f"{head} [{', '.join(self.scalar(v, True) for v in value)}]", entry=entry)
            else:
                self.add(head, entry=entry)
                column = indent + self.seq_offset
                for item in value:
                    if isinstance(item, dict) and item:
                        self.mapping(item, column + 2, first_prefix=" " * column + "- ")
                    else:
                        self.value(" " * column + "-", item, column)
        elif (
            isinstance(value, str)
            and " " in value.strip()
            and self.draw(st.integers(0, 4)) == 0
            and value == " ".join(value.split())
            and "\t" not in value
        ):
            # a literal block scalar holding the same text over two lines would change it, so
            # a folded one: one line break between lines reads as a space
            first, _, rest = value.partition(" ")
            self.add(f"{head} >-", comment_ok=True, entry=entry)
            self.add(" " * (indent + 2) + first, comment_ok=False, entry=False)
            self.add(" " * (indent + 2) + rest, comment_ok=False, entry=False)
        else:
            self.add(f"{head} {self.scalar(value)}", entry=entry)

    def text(self) -> str:
        out = []
        for number, (line, comment_ok, entry) in enumerate(self.lines):
            if entry:
                for _ in range(self.draw(st.integers(0, 2))):
                    choice = self.draw(st.sampled_from(["blank", "comment"]))
                    # indented no deeper than the entry below, or it would belong to a block scalar above
                    depth = len(line) - len(line.lstrip(" "))
                    out.append(
                        ""
                        if choice == "blank"
                        else " " * self.draw(st.integers(0, depth)) + f"# note {number} {self.draw(WORDS)}"
                    )
            if comment_ok and self.draw(st.booleans()):
                line += " " * self.draw(st.integers(1, 3)) + f"# eol {number}"
            out.append(line)
        return "\n".join(out) + "\n"


@st.composite
def written(draw, records):
    data = draw(records)
    writer = Writer(draw)
    writer.mapping(data, 0)
    return data, writer.text()


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(written(meetings()).map(lambda x: ("meeting",) + x), written(people()).map(lambda x: ("person",) + x)))
def test_fmt_keeps_every_value_and_comment_and_is_idempotent(case):
    kind, data, text = case
    assert data_of(text) == data  # the generator wrote what it meant to
    once = fmt.format_text(text, kind)
    assert data_of(once) == data
    assert fmt.comments(once) == fmt.comments(text)
    # a comment after a block scalar's header (>-  # eol) is part of that header line, kept verbatim;
    # a plain scalar that merely ends in '>-' is no header
    in_headers = len(re.findall(r"(?m)^ *(?:- +)?(?:[a-z_]+: +)?>- +# eol", text))
    assert Counter(fmt.comments(text)).total() == text.count("# note") + text.count("# eol") - in_headers
    assert fmt.format_text(once, kind) == once


# -- the command -------------------------------------------------------------------------------


def test_check_lists_files_and_writes_nothing(make_kb, run_kb):
    root = make_kb({"people/jane-doe.yaml": "name: Jane Doe\nid: jane-doe\n"})
    before = (root / "people/jane-doe.yaml").read_text()
    result = run_kb("fmt", "--check", kb=root)
    assert result.exit_code == 1
    assert "would reformat people/jane-doe.yaml" in result.output
    assert (root / "people/jane-doe.yaml").read_text() == before


def test_diff_shows_the_change(make_kb, run_kb):
    root = make_kb({"people/jane-doe.yaml": "name: Jane Doe\nid: jane-doe\n"})
    path = root / "people/jane-doe.yaml"
    result = run_kb("fmt", "--diff", str(path), kb=root)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:3] == ["--- a/people/jane-doe.yaml", "+++ b/people/jane-doe.yaml", "@@ -1,2 +1,2 @@"]
    assert [line[1:] for line in lines[3:] if line[:1] in " +"] == ["id: jane-doe", "name: Jane Doe"]
    assert path.read_text() == "name: Jane Doe\nid: jane-doe\n"


def test_fmt_writes_then_check_passes(make_kb, run_kb):
    root = make_kb({"people/jane-doe.yaml": "name: Jane Doe\nid: jane-doe  # kept\n"})
    result = run_kb("fmt", kb=root)
    assert result.exit_code == 0, result.output
    assert "reformatted people/jane-doe.yaml" in result.output
    assert (root / "people/jane-doe.yaml").read_text() == "id: jane-doe  # kept\nname: Jane Doe\n"
    assert run_kb("fmt", "--check", kb=root).exit_code == 0
    assert run_kb("check", kb=root).exit_code == 0


def test_a_broken_file_is_reported_and_left_alone(make_kb, run_kb):
    root = make_kb({"people/broken.yaml": "id: [broken\n"})
    result = run_kb("fmt", kb=root)
    assert result.exit_code == 1
    assert "cannot format people/broken.yaml: line 2" in result.output
    assert (root / "people/broken.yaml").read_text() == "id: [broken\n"


def test_paths_that_are_not_records_are_skipped(make_kb, run_kb):
    root = make_kb()
    workflow = root / ".github/workflows/kb.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("on: [push]\njobs: {}\n")
    result = run_kb("fmt", str(workflow), str(root / "people"), kb=root)
    assert result.exit_code == 0, result.output
    assert workflow.read_text() == "on: [push]\njobs: {}\n"


def test_failure_while_writing_leaves_the_original(make_kb, run_kb, monkeypatch):
    messy = "name: Jane Doe\nid: jane-doe\n"
    root = make_kb({"people/jane-doe.yaml": messy})

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        run_kb("fmt", kb=root)
    assert (root / "people/jane-doe.yaml").read_text() == messy
    assert sorted(p.name for p in (root / "people").iterdir()) == [
        "donald-blome.yaml",
        "jane-doe.yaml",
        "mohsin-naqvi.yaml",
    ]


def test_the_repository_formats_without_loss(tmp_path, run_kb):
    copy = tmp_path / "repo"
    for relpath, _kind in files.discover(REPO):
        (copy / relpath).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / relpath, copy / relpath)
    before = {relpath: data_of((copy / relpath).read_text()) for relpath, _ in files.discover(copy)}
    assert run_kb("fmt", kb=copy).exit_code == 0
    after = {relpath: data_of((copy / relpath).read_text()) for relpath, _ in files.discover(copy)}
    assert after == before
    assert run_kb("fmt", "--check", kb=copy).exit_code == 0


def test_new_records_are_already_formatted(make_kb, run_kb):
    root = make_kb()
    run_kb("new", "person", "--name", "Jane Q. Doe", "--country", "GB", "--title", "Director: Crime", kb=root)
    run_kb("new", "meeting", "--date", "2024-08", "--with", "Jane Q. Doe", "--with", "Donald Bloom", kb=root)
    result = run_kb(
        "fmt", "--check", str(root / "people/jane-doe.yaml"), str(root / "meetings/2024-08-doe-blome.yaml"), kb=root
    )
    assert result.exit_code == 0, result.output
    assert "0 files would be reformatted, 2 unchanged" in result.output
    assert (
        textwrap.dedent("""\
        participants:
          - person: jane-doe
            side: GB
            title: "Director: Crime"
            role: lead
          - person: donald-blome
            side: US
            title: Ambassador to Pakistan
            role: lead
        """)
        in (root / "meetings/2024-08-doe-blome.yaml").read_text()
    )
