"""The fast reader: YAML 1.2 values, positions, and hostile input turned into findings."""

import math

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from kb.store import yamlread
from kb.store.yamlread import parse_bytes, plain_scalar


def parse(text: str):
    return parse_bytes(text.encode("utf-8"), "x.yaml")


def codes(text: str) -> list[str]:
    return [f.code for f in parse(text).findings]


def test_yaml_12_scalars():
    data = parse("a: NO\nb: 010\nc: yes\nd: 2024-07-13\ne: true\nf: ~\ng: 1.5\nh: '7'\n").data
    assert data == {"a": "NO", "b": 10, "c": "yes", "d": "2024-07-13", "e": True, "f": None, "g": 1.5, "h": "7"}


def test_positions_of_keys_and_values():
    parsed = parse("id: x\nparticipants:\n  - person: someone\n    side: PK\n")
    assert parsed.where(("participants", 0, "person")) == (3, 13)
    assert parsed.where(("participants", 0, "side"), at_key=True) == (4, 5)
    # an unknown path falls back to its closest known parent
    assert parsed.where(("participants", 0, "nothing")) == (3, 5)


def test_bom_and_crlf_are_read():
    parsed = parse_bytes("\ufeffid: x\r\nname: Ünal Ölçer\r\n".encode("utf-8"), "x.yaml")
    assert parsed.data == {"id": "x", "name": "Ünal Ölçer"} and not parsed.findings


def test_unsafe_tag_is_reported_not_constructed():
    parsed = parse("a: !!python/object/apply:os.system ['echo hacked']\n")
    assert [f.code for f in parsed.findings] == ["KB103"]
    assert parsed.data == {"a": None}


def test_alias_bomb_is_bounded():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    assert codes("\n".join(lines) + "\n") == ["KB108"]


def test_deep_nesting_is_refused_before_parsing():
    assert codes("a: " + "[" * 100_000 + "]" * 100_000 + "\n") == ["KB108"]
    assert codes("a: " + "[" * 60 + "]" * 60 + "\n") == ["KB108"]


def test_structural_problems():
    assert codes("") == ["KB109"]
    assert codes("# just a comment\n") == ["KB109"]
    assert codes("- a\n- b\n") == ["KB109"]
    assert codes("a: 1\n---\nb: 2\n") == ["KB104"]
    assert codes("a: 1\na: 2\n") == ["KB102"]
    assert codes("a:\n\t- b\n") == ["KB101"]
    assert codes("a: [b\n") == ["KB100"]
    assert codes("<<<<<<< HEAD\na: 1\n=======\na: 2\n>>>>>>> x\n") == ["KB105"]
    assert parse_bytes(b"a: \xff\n", "x.yaml").findings[0].code == "KB106"


@given(st.integers())
def test_integers_read_back(n):
    assert plain_scalar(str(n)) == n


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_read_back(x):
    assert plain_scalar(repr(x)) == x or (math.isclose(plain_scalar(repr(x)), x))


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
def test_quoted_strings_stay_strings(text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    parsed = parse(f'a: "{escaped}"\n')
    assert parsed.data == {"a": text}


@given(st.binary(max_size=300))
def test_any_bytes_give_data_or_findings(raw):
    parsed = parse_bytes(raw, "x.yaml")
    assert parsed.data is not None or parsed.findings
    for finding in parsed.findings:
        assert finding.path == "x.yaml" and finding.line >= 0


@pytest.mark.parametrize(
    "error",
    [
        yaml.scanner.ScannerError("while increasing flow level", None, "exceeded maximum nesting depth", None),
        yaml.parser.ParserError(None, None, "maximum recursion depth reached", None),
        RecursionError("maximum recursion depth exceeded"),
    ],
    ids=["libyaml-limit", "parser-wording", "python-stack"],
)
def test_any_parser_depth_error_is_too_complex(monkeypatch, error):
    """Whichever way a PyYAML/libyaml version refuses deep nesting, the finding is KB108."""

    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr(yaml, "parse", refuse)
    assert codes("a: " + "[" * 500 + "]" * 500 + "\n") == ["KB108"]


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for number, child in enumerate(value):
            yield from _paths(child, (*path, number))


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet="abc xyz-", max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(alphabet="abcdef", min_size=1, max_size=4), children, max_size=4)
    ),
    max_leaves=25,
)


@given(
    st.dictionaries(st.text(alphabet="abcdef", min_size=1, max_size=4), _values, min_size=1, max_size=5), st.booleans()
)
def test_every_value_has_its_own_position(data, flow):
    """Positions are kept as numbers only, the paths found again by walking the data: every path
    of the data has one, each where the text puts it, and a path that is not there falls back to
    the closest one that is."""
    import marshal

    from kb.model.positions import Positions

    text = yaml.safe_dump(data, default_flow_style=flow, sort_keys=False, width=1000)
    parsed = parse(text)
    assert parsed.data == data and not parsed.findings
    paths = list(_paths(data))
    assert list(parsed.positions) == paths
    lines = text.splitlines()
    again = Positions(marshal.loads(marshal.dumps(parsed.data)), parsed.positions.blob)  # as the cache gives it
    for path in paths:
        line, column = parsed.where(path)
        assert again.where(path) == (line, column)
        assert again.where((*path, "missing", 3)) == (line, column)
        if path and isinstance(path[-1], str):
            key_line, key_column = parsed.where(path, at_key=True)
            assert lines[key_line - 1][key_column - 1 :].lstrip("'\"").startswith(path[-1])


def test_validation_leaves_the_data_as_read():
    """The schema's defaults are not written into the data (a participant without a role keeps
    none), so the data stays that of the file and its positions."""
    from kb.store.files import validate_bytes

    text = (
        "id: 2024-07-13-x\ntitle: A meeting\ndate: 2024-07-13\nstatus: held\n"
        "participants:\n  - {person: someone, side: PK}\n  - {person: other, side: US, role: lead}\n"
        "sources:\n  - url: https://example.org/report\n"
    )
    result = validate_bytes(text.encode("utf-8"), "meetings/2024-07-13-x.yaml", "meeting")
    assert not result.findings
    assert result.data["participants"] == [
        {"person": "someone", "side": "PK"},
        {"person": "other", "side": "US", "role": "lead"},
    ]
    assert result.positions.where(("participants", 1, "role")) == (7, 37)
    assert result.positions.where(("sources", 0, "url"), at_key=True) == (9, 5)


@given(
    st.text(alphabet="0123456789-+.eExob_:~ ", min_size=1, max_size=12)
    | st.dates().map(str)
    | st.builds(lambda d, q: f"{d}{q}", st.dates().map(str), st.sampled_from(["", "~", "?"]))
)
def test_texts_settled_as_dates_are_no_number(text):
    """plain_scalar takes a text starting with a digit and holding a '-' (a date) as text without
    its patterns: the patterns agree that no such text (without an exponent) is a number."""
    if text[:1].isdigit() and "-" in text and "e" not in text.lower():
        assert plain_scalar(text) == text
        assert not any(
            p.match(text)
            for p in (yamlread._INT, yamlread._FLOAT, yamlread._OCT, yamlread._HEX, yamlread._INF, yamlread._NAN)
        )
