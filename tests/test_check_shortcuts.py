"""The quick tests some checks make before the full one never skip what the full one would report."""

from hypothesis import given
from hypothesis import strategies as st

from kb.checks.dates import may_precede
from kb.checks.placeholders import may_hold_placeholders, placeholders
from kb.model import characters
from kb.model.dates import DateError, PartialDate
from kb.model.records import marshalled, pack_data

TEXT = st.one_of(
    st.text(max_size=8),
    st.sampled_from(["TODO", " TODO: a title", "\tTODO", "ÜTODO", "to do", "TODO🙂", "née TODO", "\u00a0TODO"]),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=20,
)


@given(DATA)
def test_a_record_with_a_placeholder_is_never_skipped(data):
    if list(placeholders(data)):
        assert may_hold_placeholders(data)
        # searched in the record's blob (the workers' meetings, the cache's) as in the data
        assert may_hold_placeholders(None, marshalled(pack_data(data)))


def test_a_record_without_the_marker_is_skipped():
    assert not may_hold_placeholders({"title": "Minister meets", "participants": [{"person": "x", "n": 3}]})
    assert may_hold_placeholders({"sources": [{"note": "  TODO: the date"}]})


DATE_TEXT = st.builds(
    lambda year, month, day, qualifier, precision: (
        f"{year:04d}"
        + (f"-{month:02d}" if precision > 0 else "")
        + (f"-{day:02d}" if precision > 1 else "")
        + qualifier
    ),
    st.integers(1000, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.sampled_from(["", "~", "?"]),
    st.integers(0, 2),
)


def _parsed(text):
    try:
        return PartialDate.parse(text)
    except DateError:
        return None


@given(DATE_TEXT, DATE_TEXT)
def test_dates_in_order_as_text_are_never_inverted(earlier, later):
    first, then = _parsed(earlier), _parsed(later)
    if first and then and then.certainly_before(first):
        assert may_precede(later, earlier)


def test_dates_that_are_not_text_are_always_compared():
    assert may_precede(2024, "2025") and may_precede("2024", 2023)
    assert not may_precede("2024-07-13", "2024-07") and may_precede("2024-07", "2024-07-13")


DATED = """\
id: 2024-07-13-naqvi-blome
title: Interior Minister meets the US Ambassador
date: 2024-07-13
status: held
participants:
  - {person: mohsin-naqvi, side: PK, title: Interior Minister}
  - {person: donald-blome, side: US, title: Ambassador}
outcomes:
  - {id: same-month, kind: commitment, text: A., due: 2024-07, status: fulfilled}
  - {id: before, kind: commitment, text: B., due: 2024-06-30, status: fulfilled}
  - {id: after, kind: commitment, text: C., due: 2024-10, status: fulfilled}
sources:
  - {url: "https://example.org/1", published: 2024-07-14, retrieved: 2024-07-13}
  - {url: "https://example.org/2", published: 2024-07-14, retrieved: 2024-07}
  - {url: "https://example.org/3", published: 2024-07-14, retrieved: 2024-07-15}
  - {url: "https://example.org/4", published: 2024-07-14~, retrieved: 2024-06}
"""


def test_inverted_dates_in_the_data_are_reported_and_only_those(make_kb, check_json):
    root = make_kb({"meetings/2024-07-13-naqvi-blome.yaml": DATED})
    findings, _exit = check_json(root)
    found = [(f["code"], f["line"], f["column"], f["message"]) for f in findings if f["code"] in ("KB501", "KB502")]
    assert found == [
        ("KB502", 10, 51, "outcome 'before' is due 2024-06-30, before the meeting (2024-07-13)"),
        ("KB501", 13, 70, "the source was retrieved before it was published (2024-07-13 < 2024-07-14)"),
        ("KB501", 16, 71, "the source was retrieved before it was published (2024-06 < 2024-07-14~)"),
    ]


# Bytes around those that begin a refused character, so that most draws come near one.
NEAR_REFUSED = st.binary(max_size=12) | st.lists(
    st.sampled_from(
        [0x5C, 0xC2, 0xE2, 0x80, 0x81, 0x9F, 0xA0, 0xA6, 0xA9, 0xAA, 0xAE, 0xAF, 0x7F, 0, 9, 10, 13, 0x1F, 0x41]
    ),
    max_size=8,
).map(bytes)


@given(NEAR_REFUSED)
def test_the_quick_test_of_refused_characters_agrees_with_the_pattern(raw):
    assert characters.may_hold(raw) == (characters.MAY_HOLD.search(raw) is not None)


def test_every_refused_character_is_seen_by_the_quick_test():
    # A raw carriage return is a line break to YAML (no text holds it but through an escape).
    refused = [chr(c) for c in range(0x110000) if characters.REFUSED.match(chr(c)) and c != 0x0D]
    assert len(refused) == 71
    for character in refused:
        assert characters.may_hold(f"title: a{character}b\n".encode())
    assert characters.may_hold(b'title: "an escape \\t"')
    assert not characters.may_hold("title: Qu\u00e9bec \u2014 plain text, \u0627\u0631\u062f\u0648\n".encode())
