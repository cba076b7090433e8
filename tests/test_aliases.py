"""Names in other scripts: aliases with a script, a language and a native flag; the native name
beside the name in briefs, `kb show` and the site; checks; markings; right-to-left text kept safe."""

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.model import scripts
from kb.rendering.output import terminal_safe

NAQVI = "محسن نقوی"


def person(aliases: str, country: str = "PK") -> dict:
    return {
        "people/mohsin-naqvi.yaml": f"""\
        id: mohsin-naqvi
        name: Mohsin Naqvi
        country: {country}
        aliases:
{aliases}
        roles:
          - title: Interior Minister
            post: pk-interior-minister
            org: pk-interior
            start: 2024-03-11
        """
    }


SEVERAL = """\
          - name: محسن نقوي
            kind: transliteration
            lang: ar
          - name: Мохсин Накви
            kind: transliteration
            script: Cyrl
            lang: ru
          - name: محسن نقوی
            kind: transliteration
            lang: ur
            native: true
          - name: मोहसिन नक़वी
            kind: transliteration
            lang: hi"""


# -- the letters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "script"),
    [
        (NAQVI, "Arab"),
        ("محسن نقوي", "Arab"),
        ("Сергей Лавров", "Cyrl"),
        ("मोहसिन नक़वी", "Deva"),
        ("王毅", "Hani"),
        ("岸田 文雄", "Hani"),
        ("きしだ ふみお", "Jpan"),
        ("岸田文雄 きしだ", "Jpan"),
        ("윤석열", "Kore"),
        ("Κυριάκος Μητσοτάκης", "Grek"),
        ("בנימין נתניהו", "Hebr"),
        ("মহসিন নকভি", "Beng"),
        ("ਮੋਹਸਿਨ ਨਕਵੀ", "Guru"),
        ("Ərdoğan", "Latn"),
        ("Mohsin نقوی", None),
        ("", None),
        ("1970 –", None),
    ],
)
def test_the_script_is_read_from_the_letters(name, script):
    assert scripts.infer(name) == script


@given(st.text(st.characters(categories=("L", "M", "N", "P", "Z")), max_size=30))
def test_an_inferred_script_never_contradicts_its_text(text):
    found = scripts.infer(text)
    if found:
        assert scripts.contradicts(found, text) == set()
        assert found in scripts.scripts()


@pytest.mark.parametrize(
    ("tag", "problem"),
    [
        ("ur", None),
        ("zh-Hans", None),
        ("pa-Arab-PK", None),
        ("sr-latn", None),
        ("es-419", None),
        ("urd", "'urd' is written 'ur' in a language tag"),
        ("xx", "'xx' is not an ISO 639 language code"),
        ("ur_PK", "'ur_PK' is not a BCP 47 language tag"),
        ("en-UK", "'UK' in 'en-UK' is not an ISO 3166 country code"),
        ("pa-Arbc", "'Arbc' in 'pa-Arbc' is not an ISO 15924 script code"),
    ],
)
def test_language_tags(tag, problem):
    found = scripts.language_problem(tag)
    assert (found[0] if found else None) == problem


# -- the native name in briefs and kb show ---------------------------------------------------------------


def test_brief_shows_the_native_name_beside_the_name(run_kb, repo):
    md = run_kb("brief", "mohsin-naqvi", "--format", "md", kb=repo).output.splitlines()
    assert md[2] == f"# Brief: Mohsin Naqvi ({NAQVI})"
    assert "- **Also written:** Syed Mohsin Raza Naqvi, Mohsin Raza Naqvi" in md  # not the native name again
    text = run_kb("brief", "mohsin-naqvi", "--format", "text", kb=repo).output.splitlines()
    assert text[3].strip() == f"Brief: Mohsin Naqvi ({NAQVI})"
    html = run_kb("brief", "mohsin-naqvi", "--format", "html", kb=repo).output
    assert f'<h1>Brief: Mohsin Naqvi (<bdi dir="auto" lang="ur">{NAQVI}</bdi>)</h1>' in html
    assert (
        '<dt>Also written</dt><dd><bdi dir="auto">Syed Mohsin Raza Naqvi</bdi>, '
        '<bdi dir="auto">Mohsin Raza Naqvi</bdi></dd>'
    ) in html
    subject = json.loads(run_kb("brief", "mohsin-naqvi", "--format", "json", kb=repo).output)["subject"]
    assert subject["native"] == {"name": NAQVI, "script": "Arab", "lang": "ur"}
    assert subject["aliases"] == ["Syed Mohsin Raza Naqvi", "Mohsin Raza Naqvi"]
    # a person without one: no native name, nothing beside the name
    other = json.loads(run_kb("brief", "donald-blome", "--format", "json", kb=repo).output)["subject"]
    assert other["native"] is None
    assert run_kb("brief", "donald-blome", "--format", "md", kb=repo).output.splitlines()[2] == "# Brief: Donald Blome"


def test_show_gives_the_native_name(run_kb, repo):
    lines = run_kb("show", "mohsin-naqvi", kb=repo).output.splitlines()
    assert lines[0] == f"Mohsin Naqvi ({NAQVI})  PK"
    assert lines[1] == f"also written: Syed Mohsin Raza Naqvi, Mohsin Raza Naqvi, Naqvi, {NAQVI}"
    data = json.loads(run_kb("show", "mohsin-naqvi", "--format", "json", kb=repo).output)
    assert data["native"] == {"name": NAQVI, "script": "Arab", "lang": "ur"}
    assert run_kb("show", NAQVI, kb=repo).output.splitlines()[0] == lines[0]  # found by it, too


def test_the_alias_marked_native_is_shown_among_several(run_kb, make_kb):
    kb = make_kb(person(SEVERAL))
    assert run_kb("check", kb=kb).exit_code == 0
    assert (
        run_kb("brief", "mohsin-naqvi", "--format", "md", kb=kb).output.splitlines()[2]
        == f"# Brief: Mohsin Naqvi ({NAQVI})"
    )
    # the script is read from the letters when not given
    subject = json.loads(run_kb("brief", "mohsin-naqvi", "--format", "json", kb=kb).output)["subject"]
    assert subject["native"] == {"name": NAQVI, "script": "Arab", "lang": "ur"}
    assert subject["aliases"] == ["محسن نقوي", "Мохсин Накви", "मोहसिन नक़वी"]


def test_the_site_marks_the_language_of_the_native_name(run_kb, repo, tmp_path):
    out = tmp_path / "site"
    assert run_kb("site", "build", "-o", out, kb=repo).exit_code == 0
    page = (out / "people/mohsin-naqvi.html").read_text(encoding="utf-8")
    assert f'<h1 dir="auto">Mohsin Naqvi (<bdi dir="auto" lang="ur">{NAQVI}</bdi>)</h1>' in page
    assert f'<span dir="auto" lang="ur">{NAQVI}</span> <span class="kind">(transliteration)</span>' in page


# -- checks ---------------------------------------------------------------------------------------------


def test_checks_locate_wrong_scripts_languages_and_native_flags(run_kb, make_kb):
    kb = make_kb(
        person("""\
          - name: محسن نقوی
            kind: transliteration
            script: Arabic
            lang: urd
            native: true
          - name: Мохсин Накви
            kind: transliteration
            script: Arab
          - name: मोहसिन नक़वी
            kind: transliteration
            script: Deva
            lang: hi-Arab
            native: true""")
    )
    result = run_kb("check", "--format", "json", kb=kb)
    found = [(f["line"], f["column"], f["code"], f["message"], f["hint"]) for f in json.loads(result.output)]
    assert found == [
        (
            7,
            13,
            "KB407",
            "'Arabic' is not an ISO 15924 script code",
            "did you mean Arab (Arabic)? a script is four letters, capitalised: Arab, Cyrl, Deva, Hans, Latn",
        ),
        (
            8,
            11,
            "KB407",
            "'urd' is written 'ur' in a language tag",
            "BCP 47 uses the two-letter ISO 639-1 code where a language has one",
        ),
        (12, 13, "KB611", "the alias is written in Cyrl, not Arab as its script says", "write script: Cyrl"),
        (
            16,
            11,
            "KB611",
            "the language tag 'hi-Arab' is in the script Arab, the alias says Deva",
            "make them agree, or leave script out",
        ),
        (
            17,
            13,
            "KB612",
            "a second alias is marked native; briefs show the first (line 9)",
            "mark only the name in the person's own language and script as native",
        ),
    ]
    assert result.exit_code == 1


def test_a_declared_variant_script_covers_its_letters(run_kb, make_kb):
    kb = make_kb(
        person("""\
          - name: 王毅
            kind: transliteration
            script: Hans
            lang: zh-Hans
          - name: 岸田文雄 きしだ
            kind: transliteration
            script: Jpan
          - name: محسن نقوی
            kind: transliteration
            script: Aran
            lang: ur""")
    )
    assert json.loads(run_kb("check", "--format", "json", kb=kb).output) == []


# -- markings -------------------------------------------------------------------------------------------


def test_a_marked_native_name_is_withheld_from_a_lower_audience(run_kb, make_kb):
    kb = make_kb(
        person("""\
          - name: محسن نقوی
            kind: transliteration
            lang: ur
            native: true
            sensitivity: AMBER""")
    )
    green = json.loads(run_kb("brief", "mohsin-naqvi", "--format", "json", "--audience", "GREEN", kb=kb).output)
    assert green["subject"]["native"] is None and green["subject"]["aliases"] == []
    assert green["audience"]["withheld"]["aliases"] == 1
    assert green["audience"]["banner"] == "TLP:GREEN — 1 item marked above GREEN withheld (1 alias)"
    for args in (
        ("brief", "mohsin-naqvi", "--format", "html"),
        ("show", "mohsin-naqvi", "--format", "json"),
        ("search", "نقوی"),
    ):
        assert NAQVI not in run_kb(*args, "--audience", "GREEN", kb=kb).output, args
    # (the name still finds him, as any spelling of his name in another script does)
    assert run_kb("show", NAQVI, "--audience", "GREEN", kb=kb).output.splitlines()[0] == "Mohsin Naqvi  PK"
    amber = json.loads(run_kb("brief", "mohsin-naqvi", "--format", "json", "--audience", "AMBER", kb=kb).output)
    assert amber["subject"]["native"] == {"name": NAQVI, "script": "Arab", "lang": "ur"}


# -- right to left, safely --------------------------------------------------------------------------------


def test_a_bidirectional_override_is_refused(run_kb, make_kb):
    kb = make_kb(
        person("""\
          - name: "محسن\\u202e نقوی"
            kind: transliteration""")
    )
    found = json.loads(run_kb("check", "--format", "json", kb=kb).output)
    assert [(f["code"], f["line"], f["message"]) for f in found] == [
        ("KB204", 5, "aliases.0.name holds the control character U+202E")
    ]


def test_a_terminal_never_gets_a_bidirectional_control(run_kb, make_kb):
    kb = make_kb(
        person("""\
          - name: "محسن نقوی\\u200f"
            kind: transliteration
            native: true""")
    )
    assert run_kb("check", kb=kb).exit_code == 0  # a mark steers only its neighbours
    assert run_kb("show", "mohsin-naqvi", kb=kb).output.splitlines()[0] == f"Mohsin Naqvi ({NAQVI}\\u200f)  PK"
    for character in scripts.BIDI_REORDERING + scripts.BIDI_MARKS:
        assert unicodedata.category(character) == "Cf"
        assert terminal_safe(f"a{character}b") == f"a\\u{ord(character):04x}b"
    assert terminal_safe(NAQVI) == NAQVI
