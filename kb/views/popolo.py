"""`kb export popolo`: people, organisations, posts, memberships and meetings as Popolo JSON
(http://www.popoloproject.com), the format of parliamentary and government people data.

One document holds the five collections, as EveryPolitician's files do: ``persons``,
``organizations``, ``posts``, ``memberships`` (a person's roles: who held which post in which
organisation, from when to when) and ``events`` (the meetings: their people as ``attendees``,
their host as ``organization_id``). Ids are those of `kb export ftm` (kb.views.interchange);
each record also carries its kb id as an identifier of the scheme ``kb``.
"""

from __future__ import annotations

from kb.model import countries
from kb.model.records import Meeting, Org, Person
from kb.query.audience import Audience
from kb.views.interchange import Interchange, Tenure, day, entity_id, gather


def _kb(ident: str) -> list[dict]:
    return [{"scheme": "kb", "identifier": ident}]


def _compact(record: dict) -> dict:
    """``record`` without the keys that have no value (Popolo leaves an unknown out)."""
    return {key: value for key, value in record.items() if value not in (None, "", [])}


def _person(person: Person) -> dict:
    other_names = [
        _compact({"name": alias.name, "note": "weak alias: not for matching" if alias.weak else alias.kind})
        for alias in person.aliases
    ]
    identifiers = _kb(person.id) + ([{"scheme": "wikidata", "identifier": person.wikidata}] if person.wikidata else [])
    return _compact(
        {
            "id": entity_id("person", person.id),
            "name": person.name,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "sort_name": person.sort_name,
            "other_names": other_names,
            "identifiers": identifiers,
            "national_identity": countries.name(person.country()) if person.country() else None,
        }
    )


def _organization(found: Interchange, org: Org) -> dict:
    parent = found.org_ref(org.parent)
    other_names = [{"name": name} for name in org.aliases]
    if org.abbreviation:
        other_names.append({"name": org.abbreviation, "note": "abbreviation"})
    return _compact(
        {
            "id": entity_id("org", org.id),
            "name": org.name,
            "other_names": other_names,
            "identifiers": _kb(org.id),
            "classification": org.org_kind,
            "parent_id": entity_id("org", parent) if parent else None,
            "links": [{"url": org.url, "note": "website"}] if org.url else [],
        }
    )


def _post(post_id: str, tenure: Tenure) -> dict:
    return _compact(
        {
            "id": post_id,
            "label": tenure.role.title,
            "organization_id": entity_id("org", tenure.org) if tenure.org else None,
        }
    )


def _membership(tenure: Tenure) -> dict:
    role = tenure.role
    return _compact(
        {
            "id": tenure.role_id,
            "label": role.title + (" (acting)" if role.acting else ""),
            "role": role.title,
            "person_id": entity_id("person", tenure.person.id),
            "organization_id": entity_id("org", tenure.org) if tenure.org else None,
            "post_id": tenure.post_id,
            "start_date": day(role.start),
            "end_date": day(role.end),
        }
    )


def _event(found: Interchange, meeting: Meeting, names: dict[str, str]) -> dict:
    people, _orgs = found.participants(meeting)
    host = found.org_ref(meeting.host)
    country = meeting.location_country
    where = ", ".join(p for p in (meeting.place, countries.name(country) if country else None) if p)
    sources = [
        _compact({"url": source.url, "note": source.title or source.publisher})
        for source in meeting.sources
        if source.url
    ]
    return _compact(
        {
            "id": entity_id("meeting", meeting.id),
            "name": meeting.title,
            "description": meeting.summary,
            "start_date": day(meeting.date),
            "end_date": day(meeting.end_date),
            "location": where,
            "status": meeting.status,
            "classification": "meeting",
            "identifiers": _kb(meeting.id),
            "organization_id": entity_id("org", host) if host else None,
            "attendees": [{"id": entity_id("person", p), "name": names[p]} for p in people if p in names],
            "sources": sources,
        }
    )


def document(kb, audience: Audience) -> dict:
    """The context of `kb export popolo`: the Popolo document (``popolo``) and the audience part."""
    found = gather(kb, audience)
    names = {person.id: person.name for person in found.people}
    popolo = {
        "persons": [_person(person) for person in found.people],
        "organizations": [_organization(found, org) for org in found.orgs],
        "posts": [_post(post_id, tenure) for post_id, tenure in sorted(found.posts.items())],
        "memberships": [_membership(tenure) for tenure in found.tenures],
        "events": [_event(found, meeting, names) for meeting in found.meetings],
    }
    return {"popolo": popolo, "audience": audience.summary()}
