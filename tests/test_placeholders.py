"""KB606's quick test of a record: it never skips one that holds a placeholder."""

from hypothesis import given
from hypothesis import strategies as st

from kb.checks.placeholders import may_hold_placeholders, placeholders

TEXT = st.one_of(st.text(max_size=8), st.sampled_from(["TODO", " TODO: a title", "\tTODO", "ÜTODO", "to do", "TODO🙂",
                                                       "née TODO", "\u00a0TODO"]))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT)
DATA = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(TEXT, inner, max_size=4)), max_leaves=20)


@given(DATA)
def test_a_record_with_a_placeholder_is_never_skipped(data):
    if list(placeholders(data)):
        assert may_hold_placeholders(data)


def test_a_record_without_the_marker_is_skipped():
    assert not may_hold_placeholders({"title": "Minister meets", "participants": [{"person": "x", "n": 3}]})
    assert may_hold_placeholders({"sources": [{"note": "  TODO: the date"}]})
