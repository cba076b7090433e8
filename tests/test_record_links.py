"""The site's ``record_link`` and ``record_links`` (kb.rendering.templates): a link's label, its
href and the page's base escaped as autoescape escapes them, markup left as it is, every kind of
reference read as the sandbox reads it; what they draw is written out as it is, never escaped
again."""

import pytest
from markupsafe import Markup

from kb.rendering.templates import RenderError, environment


class Ref:
    def __init__(self, href, label):
        self.href, self.label = href, label


def draw(template: str, **values) -> str:
    return environment("html", None).from_string(template).render(**values)


def test_a_link_escapes_its_label_its_href_and_the_base():
    ref = {"href": 'meetings/a"b.html', "label": "A & <B> 'c'"}
    found = draw("{{ record_link(r) }}", r=ref, base="../&/")
    assert found == '<a href="../&amp;/meetings/a&#34;b.html" dir="auto">A &amp; &lt;B&gt; &#39;c&#39;</a>'


def test_a_reference_without_a_page_is_its_label_and_none_is_nothing():
    assert draw("{{ record_link(r) }}", r={"href": "", "label": 'x"y'}, base="") == '<span dir="auto">x&#34;y</span>'
    assert draw("[{{ record_link(r) }}]", r=None, base="") == "[]"
    assert draw("[{{ record_link(r) }}]", r={}, base="") == "[]"


def test_markup_numbers_and_objects_are_read_as_the_sandbox_reads_them():
    refs = [
        {"href": "people/x.html", "label": Markup("<b>X</b>")},
        Ref("orgs/o.html", 7),
        Ref(None, "<n>"),
    ]
    found = draw("{{ record_links(rs) }}", rs=refs, base="")
    assert found == (
        '<a href="people/x.html" dir="auto"><b>X</b></a>, '
        '<a href="orgs/o.html" dir="auto">7</a>, '
        '<span dir="auto">&lt;n&gt;</span>'
    )
    assert draw("{{ record_links(rs) }}", rs=[], base="") == ""


def test_a_reference_without_a_label_is_a_template_error():
    env = environment("html", None)
    with pytest.raises(Exception) as raised:
        env.from_string("{{ record_link(r) }}").render(r={"href": "a.html"}, base="")
    assert "label" in str(raised.value)
    assert not isinstance(raised.value, RenderError)  # raised as Jinja2 raises it; run() names the template


def test_a_link_sees_the_base_set_in_its_loop_or_block():
    template = '{% for r in rs %}{% set base = "in/" %}{{ record_link(r) }} {% endfor %}{{ record_link(rs[0]) }}'
    found = draw(template, rs=[{"href": "a.html", "label": "A"}], base="out/")
    assert found == '<a href="in/a.html" dir="auto">A</a> <a href="out/a.html" dir="auto">A</a>'


def test_links_called_wrongly_fail_as_any_call_does():
    env = environment("html", None)
    for template in ("{{ record_link() }}", "{{ record_link(r, r) }}", "{{ record_links(r, x=1) }}"):
        with pytest.raises(TypeError):
            env.from_string(template).render(r=[], base="")
