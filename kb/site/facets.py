"""Facets of the site's lists (meetings, people, organisations): country, year, topic, person.

Each value has a key (``country:PK``, ``year:2025``, ``topic:extradition``,
``person:donald-blome``); the page lists every value (a button with its key and label) with how
many rows hold it, and each row carries its values in ``data-facets`` as their numbers in that
list (``0 4 9``: a tenth of the size of the keys, for lists of thousands); and site.js narrows the list as values are chosen (several values of one facet: any of them;
of several facets: all of them) and counts again (each facet's values among the rows the other
facets' choices leave), in the browser, with no network. The search
page draws the same facets from the search index (kb/site/search.py).

- a meeting: the countries it belongs to (kb.query.scope's rule), its year, its topics, the
  counterparts met in person;
- a person or an organisation: its country, and the years and topics of its meetings.

All of it is read off the audience's copy of the records, so no value names what the audience
may not read; values are sorted (years newest first, others by count, then label), so the same
records give the same bytes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import chain

from kb.model import countries
from kb.model.records import Meeting
from kb.query import scope

FACETS = (("country", "Country"), ("year", "Year"), ("topic", "Topic"), ("person", "Person"))

Key = tuple[str, str, str]  # (facet, value, label)


def _country(code: str) -> Key:
    return ("country", code, countries.name(code) or code)


def _topic(kb, topic: str) -> Key:
    return ("topic", topic, kb.topics[topic].label if topic in kb.topics else topic)


def meeting_keys(kb, meeting: Meeting, parts: tuple | None = None) -> list[Key]:
    """A meeting's keys; ``parts``: the countries it belongs to (sorted) and its counterparts met in
    person, when they are known already (kb.site.pages.Site.facet_parts)."""
    codes, people = parts if parts is not None else (sorted(scope.meeting_countries(kb, meeting)), None)
    keys = [_country(code) for code in codes]
    keys.append(("year", str(meeting.date.year), str(meeting.date.year)))
    keys.extend(_topic(kb, t) for t in dict.fromkeys(meeting.topic_ids))
    for person in people if people is not None else scope.counterpart_people(kb, meeting):
        if person in kb.people:
            keys.append(("person", person, kb.people[person].name))
    return keys


def party_keys(kb, country: str | None, meetings: Iterable[Meeting]) -> list[Key]:
    """A person's or organisation's keys: its country, the years and topics of its meetings."""
    meetings = list(meetings)
    keys = [_country(country)] if country else []
    keys.extend(("year", year, year) for year in sorted({str(m.date.year) for m in meetings}, reverse=True))
    topics = dict.fromkeys(t for m in meetings for t in m.topic_ids)
    keys.extend(_topic(kb, t) for t in topics)
    return keys


def attribute(keys: list[Key], numbers: dict[Key, str]) -> str:
    """The row's ``data-facets``: the numbers of its values in the panel (``numbers``), each once."""
    return " ".join(dict.fromkeys(map(numbers.__getitem__, keys)))


def numbers(groups: list[dict]) -> dict[Key, str]:
    """Each value, as rows hold it (facet, value, label) -> its number, as text: its place among
    the panel's values, in order."""
    found: dict[Key, str] = {}
    for group in groups:
        facet = group["facet"]
        for value in group["values"]:
            found[facet, value["key"][len(facet) + 1 :], value["label"]] = str(len(found))
    return found


def panel(rows: list[list[Key]]) -> list[dict]:
    """Each facet with values: its values (key, label, how many rows hold it), years newest first,
    the others most held first, then by label. (A value's label is a function of the value.)"""
    counts = Counter(chain.from_iterable(map(dict.fromkeys, rows)))  # each row's values once, counted in C
    groups = []
    for facet, title in FACETS:
        values = [(value, label, count) for (f, value, label), count in counts.items() if f == facet]
        if facet == "year":
            values.sort(key=lambda v: v[0], reverse=True)
        else:
            values.sort(key=lambda v: (-v[2], v[1], v[0]))
        if values:
            groups.append(
                {
                    "facet": facet,
                    "title": title,
                    "values": [{"key": f"{facet}:{v}", "label": label, "count": n} for v, label, n in values],
                }
            )
    return groups
