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
    "uk": "GB",
    "u k": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "america": "US",
    "u s": "US",
    "u s a": "US",
    "united states of america": "US",
    "russia": "RU",
    "turkey": "TR",
    "syria": "SY",
    "vietnam": "VN",
    "laos": "LA",
}


# ISO 3166-3: countries that no longer exist, by the alpha-2 code they had, with the name people
# use for them (pycountry's own name otherwise). A former code that is a current code again
# (BY, GE, AI) means the current country. XK is the code in common use for Kosovo (user-assigned
# in ISO 3166). CS meant Czechoslovakia until 1993 and Serbia and Montenegro from 2003 to 2006.
HISTORIC_NAMES = {
    "SU": "Soviet Union",
    "YU": "Yugoslavia",
    "ZR": "Zaire",
    "CS": "Czechoslovakia / Serbia and Montenegro",
    "DD": "East Germany",
    "VD": "North Vietnam",
    "YD": "South Yemen",
    "BU": "Burma",
    "HV": "Upper Volta",
    "DY": "Dahomey",
    "RH": "Southern Rhodesia",
    "TP": "East Timor",
    "NH": "New Hebrides",
    "AN": "Netherlands Antilles",
    "PZ": "Panama Canal Zone",
}
USER_ASSIGNED = {"XK": "Kosovo"}
# Names of former countries as records and registers write them, to their ISO 3166-3 code.
HISTORIC_SPELLINGS = {
    "ussr": "SU",
    "u s s r": "SU",
    "soviet union": "SU",
    "union of soviet socialist republics": "SU",
    "yugoslavia": "YU",
    "zaire": "ZR",
    "czechoslovakia": "CS",
    "serbia and montenegro": "CS",
    "german democratic republic": "DD",
    "east germany": "DD",
    "gdr": "DD",
    "north vietnam": "VD",
    "democratic republic of vietnam": "VD",
    "south yemen": "YD",
    "people s democratic republic of yemen": "YD",
    "upper volta": "HV",
    "dahomey": "DY",
    "rhodesia": "RH",
    "southern rhodesia": "RH",
    "zimbabwe rhodesia": "RH",
    "new hebrides": "NH",
    "netherlands antilles": "AN",
    "kosovo": "XK",
}


@cache
def historic() -> dict[str, str]:
    """Former countries (ISO 3166-3) whose code is no current code, and XK, with their names."""
    current = _by_code()
    found: dict[str, str] = {}
    for country in _historic_entries():
        code = country["alpha_2"]
        if code not in current and code not in found:
            found[code] = HISTORIC_NAMES.get(code) or country["name"].split(",")[0]
    found.update(USER_ASSIGNED)
    return found


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


def _historic_entries() -> list[dict]:
    """ISO 3166-3 entries, read from pycountry's data file as _by_code reads ISO 3166-1."""
    import importlib.util
    import json

    try:
        spec = importlib.util.find_spec("pycountry")
        if spec is None or not spec.submodule_search_locations:
            return []
        folder = next(iter(spec.submodule_search_locations))
        with open(os.path.join(folder, "databases", "iso3166-3.json"), "rb") as handle:
            return [entry for entry in json.load(handle)["3166-3"] if "alpha_2" in entry]
    except (AttributeError, IndexError, TypeError, KeyError, ValueError, OSError):
        import pycountry

        return [dict(c) for c in pycountry.historic_countries if getattr(c, "alpha_2", None)]


def iso_names() -> dict[str, str]:
    """Every code a record may use with its name: ISO 3166-1 alpha-2, former countries
    (ISO 3166-3: SU, YU, ZR, CS, DD, ...) and XK for Kosovo."""
    return {**historic(), **{code: country["name"] for code, country in _by_code().items()}}


def name(code: str | None) -> str | None:
    """The everyday name of a country: 'Iran', not 'Iran, Islamic Republic of'. The code itself
    when it is not an ISO 3166 code, so that nothing written in a record is lost."""
    if not code:
        return None
    country = _by_code().get(code)
    if country is None:
        return historic().get(code, code)
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
    if text.strip() in historic():
        return text.strip()
    if key in HISTORIC_SPELLINGS:
        return HISTORIC_SPELLINGS[key]
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
