"""The compiled schema check: never looser than the full validator, and it accepts valid records."""

import copy
from pathlib import Path

import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.store import schemas
from kb.store.files import discover
from kb.store.schemacode import Unsupported, compile_schema
from kb.store.yamlread import parse_bytes

ROOT = Path(__file__).resolve().parent.parent


def _records() -> list[tuple[str, dict]]:
    found = []
    for relpath, kind in discover(ROOT):
        if kind in schemas.KINDS:
            data = parse_bytes((ROOT / relpath).read_bytes(), relpath).data
            if data is not None:
                found.append((kind, data))
    return found


RECORDS = _records()


def full_valid(kind: str, data) -> bool:
    return not any(True for _error in schemas._validator(kind).iter_errors(data))


def test_every_kind_compiles_and_accepts_the_repositorys_records():
    assert all(schemas._fast_validator(kind) is not None for kind in schemas.KINDS)
    assert {kind for kind, _data in RECORDS} >= {"meeting", "person", "org", "topics", "config"}
    for kind, data in RECORDS:
        assert schemas.fast_valid(kind, data) == full_valid(kind, data)


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 12000),
    st.floats(allow_nan=False),
    st.just(2024.0),
    st.sampled_from(
        [
            "",
            " ",
            "x",
            "X",
            "a-b",
            "AB",
            "PK",
            "PK\n",
            "abc\n",
            "2024",
            "2024-02-30",
            "2024-13",
            "2024-07-13~",
            "2024-7",
            "https://x",
            "http://x y",
            "held",
            "lead",
            "statement",
            "commitment",
            "open",
            "CLEAR",
            "RED",
            "weak",
            "x" * 130,
            "x" * 401,
            "some-id#outcome",
        ]
    ),
    st.text(max_size=4),
    st.lists(st.sampled_from(["a", "b", 1, True, None]), max_size=3),
    st.dictionaries(st.sampled_from(["id", "text", "x"]), st.sampled_from(["a", 1, None]), max_size=2),
)
KEYS = st.sampled_from(
    [
        "id",
        "name",
        "title",
        "text",
        "kind",
        "status",
        "role",
        "side",
        "person",
        "org",
        "date",
        "due",
        "url",
        "extra",
        "sensitivity",
        "speaker",
        "source",
        "post",
        "start",
        "end",
        "topics",
    ]
)


def _containers(value, found):
    if isinstance(value, (dict, list)):
        found.append(value)
        for child in value.values() if isinstance(value, dict) else value:
            _containers(child, found)
    return found


@settings(max_examples=examples(400), suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    record=st.sampled_from(RECORDS),
    edits=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 3), KEYS, VALUES), min_size=1, max_size=3),
)
def test_the_compiled_check_never_accepts_what_the_full_validator_rejects(record, edits):
    kind, data = record
    data = copy.deepcopy(data)
    for where, how, key, value in edits:
        containers = _containers(data, [])
        target = containers[where % len(containers)]
        if isinstance(target, dict):
            keys = list(target)
            if how == 0 and keys:
                del target[keys[where % len(keys)]]
            elif how == 1 or not keys:
                target[key] = value
            else:
                target[keys[where % len(keys)]] = value
        elif target:
            if how == 0:
                del target[where % len(target)]
            elif how == 1:
                target.append(copy.deepcopy(target[where % len(target)]))
            else:
                target[where % len(target)] = value
    if schemas.fast_valid(kind, data):
        assert full_valid(kind, data)


@pytest.mark.parametrize(
    "schema",
    [
        {"not": {"type": "string"}},
        {"type": "object", "additionalProperties": {"type": "string"}},
        {"enum": [1, 2]},
        {"type": "string", "format": "email"},
        {"$ref": "other.schema.json#/$defs/x"},
        {"type": "tuple"},
    ],
)
def test_a_keyword_it_does_not_take_is_refused_not_ignored(schema):
    with pytest.raises(Unsupported):
        compile_schema(schema, {})


def test_keywords_mean_what_they_mean_in_json_schema():
    valid = compile_schema(
        {
            "type": "object",
            "required": ["a"],
            "additionalProperties": False,
            "properties": {
                "a": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 3},
                "n": {"type": "integer", "minimum": 1, "maximum": 9},
                "l": {"type": "array", "items": {"enum": ["x", "y"]}, "uniqueItems": True, "minItems": 1},
                "k": {
                    "if": {"properties": {"kind": {"const": "s"}}},
                    "then": {"required": ["t"]},
                    "else": {"required": ["u"]},
                },
                "o": {"anyOf": [{"required": ["p"]}, {"required": ["q"]}]},
            },
        },
        {},
    )
    assert valid({"a": "ab"}) and valid({"a": "ab\n"})  # `$` matches before a final newline, as in re.search
    assert not valid({"a": "abcd"}) and not valid({"a": "Ab"}) and not valid({}) and not valid({"a": "a", "z": 1})
    assert valid({"a": "a", "n": 5}) and not valid({"a": "a", "n": 0}) and not valid({"a": "a", "n": True})
    assert valid({"a": "a", "l": ["x", "y"]}) and not valid({"a": "a", "l": ["x", "x"]})
    assert not valid({"a": "a", "l": []}) and not valid({"a": "a", "l": ["z"]})
    assert valid({"a": "a", "k": {"kind": "s", "t": 1}}) and not valid({"a": "a", "k": {"kind": "s", "u": 1}})
    assert valid({"a": "a", "k": {"kind": "r", "u": 1}}) and not valid(
        {"a": "a", "k": {"u": 1}}
    )  # no kind: the if holds
    assert valid({"a": "a", "o": {"q": 1}}) and not valid({"a": "a", "o": {"r": 1}})
    assert not valid(["a"]) and not valid("a")
