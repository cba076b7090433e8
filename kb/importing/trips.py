"""The Office of the Historian's travels of presidents and secretaries of state (history.state.gov):
one meeting per ``<trip>``, drafted as a spreadsheet row is (kb/importing/spreadsheet.py).

Each trip gives the traveller (``<name>``, on our side, leading), ``<start-date>`` and
``<end-date>``, the country visited (``<country id="france">France</country>``: its text first,
then its slug when the text is no name kb knows exactly, former countries by their ISO 3166-3
code), the city (``<locale>``) and ``<remarks>`` ("Met with President X and Foreign Minister Y;
attended ..."), which name the people met and the events attended; a trip that names no one met
is the event it attended. Trips are numbered by their ``<id>``, so that messages and the
meeting's source point to the trip.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from kb.errors import KBError
from kb.importing import spreadsheet
from kb.importing.places import country_code

PUBLISHER = "Office of the Historian, U.S. Department of State"
MAPPING = {
    "date": "start-date",
    "end_date": "end-date",
    "country": "country",
    "place": "locale",
    "place_country": "country",
    "remarks": "remarks",
    "minister": "name",
}


class TripsError(KBError, ValueError):
    """The file is not the Office of the Historian's travels XML."""


def rows(path: Path) -> list[tuple[str, int, dict[str, str]]]:
    """(file name, trip number, cells by kb field) of every ``<trip>`` of the file."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        line, column = error.position
        raise TripsError(
            f"{path}:{line}:{column}: not well-formed XML ({error.msg}); is it the travels file itself?"
        ) from None
    except OSError as error:
        raise TripsError(f"{path}: cannot read the file ({error.strerror})") from None
    if root.tag != "trips":
        raise TripsError(
            f"{path}: the root element is <{root.tag}>, not <trips>: this is not a travels file "
            "(e.g. secretary-travels/acheson-dean-gooderham.xml)"
        )
    found = []
    for number, trip in enumerate(root.iter("trip"), start=1):
        cells = {field: " ".join((trip.findtext(tag) or "").split()) for field, tag in MAPPING.items()}
        country = trip.find("country")
        slug = (country.get("id") or "").replace("-", " ") if country is not None else ""
        if slug and _slug_first(cells["country"], slug):
            cells["country"] = slug  # 'Kirghizia' as the register wrote it then: its slug says kyrgyzstan
        cells["place_country"] = cells["country"]  # the country visited: where the trip's meetings were
        ident = (trip.findtext("id") or "").strip()
        found.append((path.name, int(ident) if ident.isdigit() else number, cells))
    return found


def _slug_first(text: str, slug: str) -> bool:
    """Whether the country's slug is read rather than its text: the text when it is a name kb
    knows exactly, else the slug when it is ('byelorussia' -> belarus), else the text as the
    country libraries read it ('Palestinian Authority'), else the slug. The libraries' tables
    (a second of loading) are asked only for what neither spells exactly."""
    if text and country_code(text, fuzzy=False):
        return False
    return bool(country_code(slug, fuzzy=False)) or not text or country_code(text) is None


def read(kb, paths: list[Path], publisher: str | None = None) -> spreadsheet.Imported:
    return spreadsheet.draft_rows(
        kb,
        (row for path in paths for row in rows(path)),
        MAPPING,
        publisher=publisher or PUBLISHER,
        label="trip",
        name_files=True,
    )
