"""Every string a Markdown or Mermaid template is given is escaped before it sees it
(kb.rendering.templates.escape_strings): at any depth, under any key, in lists and dicts."""

from hypothesis import given
from hypothesis import strategies as st

from kb.rendering.templates import escape_strings

KEYS = st.sampled_from(["url", "title", "name", "items", "x"])
LEAVES = st.one_of(st.text(max_size=5), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none())
CONTEXTS = st.recursive(
    LEAVES,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=30,
)


def expected(value, key=None):
    """What escaping means, written plainly: each string marked by how it was escaped."""
    if isinstance(value, str):
        return ("url", value) if key == "url" else ("text", value)
    if isinstance(value, dict):
        return {k: expected(item, k) for k, item in value.items()}
    if isinstance(value, list):
        return [expected(item, key) for item in value]
    return value


@given(CONTEXTS)
def test_every_string_is_escaped_once_and_nothing_else_changes(context):
    found = escape_strings(context, lambda text: ("text", text), lambda text: ("url", text))
    assert found == expected(context)


def test_a_string_subclass_is_escaped_as_a_string():
    class Name(str):
        pass

    found = escape_strings({"a": [Name("x")], "url": Name("u")}, str.upper, lambda u: "<" + u + ">")
    assert found == {"a": ["X"], "url": "<u>"}
