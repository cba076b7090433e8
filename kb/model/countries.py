"""Countries by ISO 3166 code or name, from pycountry (a maintained library, not a table we type).

Only names people commonly use that ISO 3166 does not carry are added here ("UK", "Britain",
"Russia"): pycountry already knows official, short and common names and the alpha-3 codes.
"""

from __future__ import annotations

import os
from functools import cache

from kb.model.text import normalise

# Colloquial names and non-ISO codes -> ISO 3166-1 alpha-2.
COLLOQUIAL = {
    "uk": "GB", "u k": "GB", "britain": "GB", "great britain": "GB", "england": "GB",
    "america": "US", "u s": "US", "u s a": "US", "united states of america": "US",
    "russia": "RU", "turkey": "TR", "syria": "SY", "vietnam": "VN", "laos": "LA",
}


@cache
def _by_code() -> dict[str, dict]:
    """ISO 3166-1 countries by alpha-2 code, each the fields pycountry gives it (name, common_name,
    official_name, ...). Read from pycountry's own data file without importing pycountry, whose
    import looks up its installed version and costs more than a brief's other work on a country;
    through pycountry itself if the file is not where pycountry keeps it."""
    import importlib.util
    import json

    try:
        spec = importlib.util.find_spec("pycountry")
        if spec is None or not spec.submodule_search_locations:
            raise OSError("pycountry's data folder not found")
        folder = next(iter(spec.submodule_search_locations))
        with open(os.path.join(folder, "databases", "iso3166-1.json"), "rb") as handle:
            entries = json.load(handle)["3166-1"]
        return {entry["alpha_2"]: entry for entry in entries}
    except (AttributeError, IndexError, TypeError, KeyError, ValueError, OSError):
        import pycountry

        return {c.alpha_2: dict(c) for c in pycountry.countries}


def iso_names() -> dict[str, str]:
    """Every ISO 3166-1 alpha-2 code with its ISO name."""
    return {code: country["name"] for code, country in _by_code().items()}


def name(code: str | None) -> str | None:
    """The everyday name of a country: 'Iran', not 'Iran, Islamic Republic of'. The code itself
    when it is not an ISO 3166 code, so that nothing written in a record is lost."""
    if not code:
        return None
    country = _by_code().get(code)
    if country is None:
        return code
    return country.get("common_name") or country["name"]


def describe(code: str | None) -> dict | None:
    """{code, name} for a brief or timeline context."""
    return {"code": code, "name": name(code)} if code else None


def lookup(text: str) -> str | None:
    """The alpha-2 code for an ISO code (alpha-2 or alpha-3, any case) or a country name."""
    import pycountry

    key = normalise(text)
    if not key:
        return None
    if key in COLLOQUIAL:
        return COLLOQUIAL[key]
    try:
        return pycountry.countries.lookup(text.strip()).alpha_2
    except LookupError:
        pass
    # Names differing only in accents or punctuation: 'Cote d'Ivoire', 'turkiye'.
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value and normalise(value) == key:
                return country.alpha_2
    return None


def all_names() -> list[str]:
    """Every country name, for 'did you mean'."""
    return [country.get("common_name") or country["name"] for country in _by_code().values()]
