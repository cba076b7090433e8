"""Writing systems of names: ISO 15924 script codes, BCP 47 language tags, and the script a name
is written in, read from its letters.

The codes come from pycountry's ISO 15924 and ISO 639-3 data (a maintained source, not a table
we type), read only when a name's script or language is looked at. A letter's script is read from
its Unicode name, which begins with the script's English name as ISO 15924 gives it ("ARABIC
LETTER MEEM", "CYRILLIC SMALL LETTER A"); the CJK ideographs are the one exception (Hani).
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import cache

# Unicode's bidirectional formatting characters. Embeddings, overrides and isolates reorder all
# the text after them (a name could make the rest of a line read backwards); the marks (ALM, LRM,
# RLM) only steer the characters beside them.
BIDI_REORDERING = "".join(map(chr, (*range(0x202A, 0x202F), *range(0x2066, 0x206A))))
BIDI_MARKS = "\u061c\u200e\u200f"
# Codes that name a variant or a mixture of other scripts: the scripts whose letters they allow.
COVERS = {
    "Aran": {"Arab"},
    "Cyrs": {"Cyrl"},
    "Latf": {"Latn"},
    "Latg": {"Latn"},
    "Syre": {"Syrc"},
    "Syrj": {"Syrc"},
    "Syrn": {"Syrc"},
    "Hans": {"Hani"},
    "Hant": {"Hani"},
    "Hanb": {"Hani", "Bopo"},
    "Hrkt": {"Hira", "Kana"},
    "Jpan": {"Hani", "Hira", "Kana"},
    "Kore": {"Hang", "Hani"},
}
_LANGUAGE_TAG = re.compile(
    r"^(?P<language>[a-z]{2,3})(?:-(?P<script>[A-Za-z]{4}))?"
    r"(?:-(?P<region>[A-Za-z]{2}|[0-9]{3}))?(?:-(?:[0-9A-Za-z]{5,8}|[0-9][0-9A-Za-z]{3}))*$"
)


def _pycountry_data(name: str, key: str) -> list[dict]:
    """Entries of one of pycountry's ISO databases, read from its data file without importing
    pycountry (see kb.model.countries)."""
    import importlib.util
    import json

    spec = importlib.util.find_spec("pycountry")
    if spec is None or not spec.submodule_search_locations:
        return []
    folder = next(iter(spec.submodule_search_locations))
    try:
        with open(os.path.join(folder, "databases", f"{name}.json"), "rb") as handle:
            return json.load(handle)[key]
    except (OSError, ValueError, KeyError):
        return []


@cache
def scripts() -> dict[str, str]:
    """ISO 15924 codes (Arab, Cyrl, Deva, Hans, ...) with their names."""
    return {entry["alpha_4"]: entry["name"] for entry in _pycountry_data("iso15924", "15924")}


@cache
def languages() -> dict[str, str]:
    """ISO 639 codes to the code a BCP 47 tag starts with: ISO 639-1's two letters where the
    language has them ("urd" -> "ur"), else its three."""
    codes = {}
    for entry in _pycountry_data("iso639-3", "639-3"):
        tag = entry.get("alpha_2") or entry["alpha_3"]
        codes[entry["alpha_3"]] = codes[tag] = tag
    return codes


@cache
def _by_unicode_name() -> dict[str, str]:
    """The first word of Unicode's letter names (ARABIC, CYRILLIC, ...) to the script's code."""
    found = {"CJK": "Hani"}
    for code, name in scripts().items():
        word = re.sub(r"[^A-Z]", "", name.split(" ")[0].upper())
        if "variant" not in name and word not in found:
            found[word] = code
    return found


def scripts_in(text: str) -> set[str]:
    """The scripts of the letters in ``text`` (marks, digits, spaces and punctuation belong to none)."""
    table = _by_unicode_name()
    found = set()
    for character in text:
        if unicodedata.category(character).startswith("L"):
            code = table.get(unicodedata.name(character, "").split(" ")[0])
            if code:
                found.add(code)
    return found


def infer(text: str) -> str | None:
    """The script ``text`` is written in: one code for its letters (Jpan for Japanese kanji and
    kana, Kore for Hangul with hanja), None when it mixes scripts or has no letters."""
    found = scripts_in(text)
    if found & {"Hira", "Kana"} and found <= COVERS["Jpan"]:
        return "Jpan"
    if "Hang" in found and found <= COVERS["Kore"]:
        return "Kore"
    return next(iter(found)) if len(found) == 1 else None


def contradicts(script: str, text: str) -> set[str]:
    """The scripts of letters in ``text`` that ``script`` does not allow (none when it is right)."""
    return scripts_in(text) - ({script} | COVERS.get(script, set()))


def script_problem(code: str) -> tuple[str, str] | None:
    """(message, hint) when ``code`` is not an ISO 15924 script code."""
    if code in scripts():
        return None
    from kb.model.text import did_you_mean

    known = scripts()
    cased = code[:1].upper() + code[1:].lower()
    guess = cased if cased in known else did_you_mean(code, list(known))
    hint = f"did you mean {guess} ({known[guess]})? " if guess else ""
    return (
        f"'{code}' is not an ISO 15924 script code",
        f"{hint}a script is four letters, capitalised: Arab, Cyrl, Deva, Hans, Latn",
    )


def language_problem(tag: str) -> tuple[str, str] | None:
    """(message, hint) when ``tag`` is not a BCP 47 language tag of a known language, script and region."""
    from kb.model import countries

    form = "a language tag is an ISO 639 code with an optional script and region: ur, ar, zh-Hans, sr-Latn, pa-Arab-PK"
    match = _LANGUAGE_TAG.match(tag)
    if not match:
        hint = f"subtags are joined by '-': {tag.replace('_', '-')}; " if "_" in tag else ""
        return f"'{tag}' is not a BCP 47 language tag", hint + form
    language = match["language"].lower()
    if languages().get(language) != language:
        if language in languages():
            return (
                f"'{language}' is written '{languages()[language]}' in a language tag",
                "BCP 47 uses the two-letter ISO 639-1 code where a language has one",
            )
        return f"'{language}' is not an ISO 639 language code", form
    script = match["script"]
    if script and script_problem(script.title()):
        return f"'{script}' in '{tag}' is not an ISO 15924 script code", form
    region = match["region"]
    if region and not region.isdigit() and region.upper() not in countries.iso_names():
        return f"'{region}' in '{tag}' is not an ISO 3166 country code", form
    return None


def tag_script(tag: str | None) -> str | None:
    """The script subtag of a language tag ('Arab' in 'pa-Arab-PK'), if it has one."""
    match = _LANGUAGE_TAG.match(tag or "")
    return match["script"].title() if match and match["script"] else None
