"""Countries by ISO 3166 code or name, from pycountry (a maintained library, not a table we type).

Only names people commonly use that ISO 3166 does not carry are added here ("UK", "Britain",
"Russia"): pycountry already knows official, short and common names and the alpha-3 codes.
"""

from __future__ import annotations

import datetime as dt
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


# --- the country of a date ----------------------------------------------------------------------
# Which country a place was in depends on the day. Each line: a country of today, the former
# country (ISO 3166-3 code) its territory belonged to or was named as, and the days that was so
# (first day, first day no longer). The former country's own days are in FORMER_DAYS. Dates are
# the days sovereignty changed (independence declared and taken effect, or the dissolution); the
# Baltic states count from the USSR's recognition (1991-09-06). Belgrade from 1992-04-27 to
# 2003-02-03 is in the Federal Republic of Yugoslavia, which kept YU (ISO withdrew YU in 2003);
# Serbia and Montenegro (2003-02-04 to 2006-06-04) is CS, as ISO 3166-3 wrote it (CSXX, "SCG").
# West Germany was DE all along; the former GDR's places (DD) are told apart by region in
# kb/importing/places.py. Where one current country holds places of two former ones (Hanoi
# and Saigon, Aden and Sanaa) the table has no line: the row's own country says which.
_SOVIET_END = "1991-12-26"
SUCCESSIONS: tuple[tuple[str, str, str, str], ...] = (
    *((code, "SU", "1922-12-30", _SOVIET_END) for code in ("RU", "UA", "BY", "KZ", "UZ", "KG", "TJ", "TM")),
    *((code, "SU", "1922-12-30", _SOVIET_END) for code in ("AM", "AZ", "GE", "MD")),
    *((code, "SU", "1940-08-03", "1991-09-06") for code in ("EE", "LV", "LT")),
    ("SI", "YU", "1918-12-01", "1991-06-25"),
    ("HR", "YU", "1918-12-01", "1991-06-25"),
    ("MK", "YU", "1918-12-01", "1991-09-08"),
    ("BA", "YU", "1918-12-01", "1992-03-03"),
    ("RS", "YU", "1918-12-01", "2003-02-04"),
    ("ME", "YU", "1918-12-01", "2003-02-04"),
    ("XK", "YU", "1918-12-01", "2003-02-04"),
    ("RS", "CS", "2003-02-04", "2006-06-05"),
    ("ME", "CS", "2003-02-04", "2006-06-03"),
    ("XK", "CS", "2003-02-04", "2006-06-05"),
    ("XK", "RS", "2006-06-05", "2008-02-17"),
    ("CZ", "CS", "1918-10-28", "1993-01-01"),
    ("SK", "CS", "1918-10-28", "1993-01-01"),
    ("CD", "ZR", "1971-10-27", "1997-05-17"),
    ("MM", "BU", "1948-01-04", "1989-06-18"),
    ("BF", "HV", "1958-12-11", "1984-08-04"),
    ("BJ", "DY", "1960-08-01", "1975-11-30"),
    ("ZW", "RH", "1965-11-11", "1980-04-18"),
    ("TL", "TP", "1975-11-28", "2002-05-20"),
    ("VU", "NH", "1906-10-20", "1980-07-30"),
    *((code, "AN", "1954-12-15", "2010-10-10") for code in ("CW", "SX", "BQ")),
)
# The days each former country existed (first day, first day no longer); CS twice.
FORMER_DAYS: dict[str, tuple[tuple[str, str], ...]] = {
    "SU": (("1922-12-30", _SOVIET_END),),
    "YU": (("1918-12-01", "2003-02-04"),),
    "CS": (("1918-10-28", "1993-01-01"), ("2003-02-04", "2006-06-05")),
    "DD": (("1949-10-07", "1990-10-03"),),
    "ZR": (("1971-10-27", "1997-05-17"),),
    "VD": (("1945-09-02", "1976-07-02"),),
    "YD": (("1967-11-30", "1990-05-22"),),
    "BU": (("1948-01-04", "1989-06-18"),),
    "HV": (("1958-12-11", "1984-08-04"),),
    "DY": (("1960-08-01", "1975-11-30"),),
    "RH": (("1965-11-11", "1980-04-18"),),
    "TP": (("1975-11-28", "2002-05-20"),),
    "NH": (("1906-10-20", "1980-07-30"),),
    "AN": (("1954-12-15", "2010-10-10"),),
    "PZ": (("1903-11-18", "1979-10-01"),),
}
# Days on which a current country did not exist as such (part of, or named as, the former one).
_EAST_GERMANY = ("1949-10-07", "1990-10-03")


def on_date(code: str, day: dt.date) -> str:
    """The code of the country that held a place of ``code`` (today's country) on ``day``:
    RU in 1973 is SU, RS in 1995 YU and in 2004 CS, CZ in 1990 CS. Unchanged otherwise."""
    iso = day.isoformat()
    for current, former, first, until in SUCCESSIONS:
        if current == code and first <= iso < until:
            return former
    return code


def east_german(day: dt.date) -> bool:
    """Whether a place of the former GDR was in East Germany (DD) on ``day``."""
    return _EAST_GERMANY[0] <= day.isoformat() < _EAST_GERMANY[1]


def existed(code: str, day: dt.date) -> bool:
    """Whether the country ``code`` existed as such on ``day``: not RU in 1975 (SU), not SU in
    1995. Codes kb knows no dates of always existed."""
    iso = day.isoformat()
    if code in FORMER_DAYS:
        return any(first <= iso < until for first, until in FORMER_DAYS[code])
    return on_date(code, day) == code


def successors_then(code: str, day: dt.date) -> list[str]:
    """The code(s) to write instead of ``code`` for ``day`` (for a check's hint): SU in 1995 ->
    the countries that followed it; RU in 1975 -> SU."""
    iso = day.isoformat()
    if code in FORMER_DAYS:
        return sorted({c for c, f, first, until in SUCCESSIONS if f == code and iso >= until})
    return [on_date(code, day)]
