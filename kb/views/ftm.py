"""`kb export ftm`: the knowledge base as FollowTheMoney entities, the model Aleph, OpenAleph and
OpenSanctions read.

    Person                    a person (aliases; a weak alias as weakAlias)
    PublicBody/Organization   an organisation (PublicBody when its kind is a government body)
    Membership                an organisation being part of its parent
    Position, Occupancy       a post, and each role: who held it, from when to when, its status
    Event                     a meeting: its date, place, country, the people and organisations
                              involved, its host as organizer, its summary and topics
    Article, Documentation    a source (the page or document) and its documenting a meeting

Every entity is made by followthemoney itself (``model.make_entity``), every value goes through
its type's cleaning, and every entity is validated against its schema before it is written. A
value the model refuses (a country code it does not know) is left out and reported, never
written unchecked. Ids: kb.views.interchange.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kb.errors import KBError
from kb.model import dates
from kb.model.records import Meeting, Org, Person
from kb.query.audience import Audience
from kb.views.interchange import GOVERNMENT_KINDS, Interchange, Tenure, day, document_id, entity_id, gather, role_status


class Builder:
    """Makes the entities, collecting the values followthemoney refused."""

    def __init__(self) -> None:
        try:
            from followthemoney import model
        except ImportError:
            raise KBError("kb export ftm needs the followthemoney library: pip install 'diplomatic-kb[ftm]'") from None
        self.model = model
        self.entities: list[Any] = []
        self.refused: list[str] = []
        self.documents: set[str] = set()  # the ids of the source documents made

    def make(self, schema: str, ident: str, values: dict[str, Any]) -> Any:
        """An entity of ``schema`` with ``values`` (a property -> a value or a list of values;
        None and empty values are left out), validated; kept for the output."""
        entity = self.model.make_entity(schema)
        entity.id = ident
        for name, value in values.items():
            prop = entity.schema.properties[name]
            for item in value if isinstance(value, list | tuple) else [value]:
                if item is None or item == "":
                    continue
                held = len(entity.get(prop))
                entity.add(prop, item)
                # nothing added: refused by the type's cleaning, or a value already held
                if len(entity.get(prop)) == held and prop.type.clean(item, proxy=entity) is None:
                    self.refused.append(f"{ident}: {name} {item!r}")
        self.check(entity)
        self.entities.append(entity)
        return entity

    def check(self, entity) -> None:
        from followthemoney.exc import InvalidData

        missing = [name for name in sorted(entity.schema.required) if not entity.has(name)]
        try:
            entity.schema.validate(entity.to_dict())
        except InvalidData as error:
            missing.append(str(error))
        if missing:
            raise KBError(f"{entity.id}: not a valid FtM {entity.schema.name} ({', '.join(missing)})")


def _org(builder: Builder, found: Interchange, org: Org) -> None:
    schema = "PublicBody" if org.org_kind in GOVERNMENT_KINDS else "Organization"
    ident = entity_id("org", org.id)
    builder.make(
        schema,
        ident,
        {
            "name": org.name,
            "abbreviation": org.abbreviation,
            "alias": list(org.aliases),
            "country": org.country(),
            "website": org.url,
        },
    )
    parent = found.org_ref(org.parent)
    if parent:
        builder.make(
            "Membership",
            entity_id("parent", org.id),
            {"member": ident, "organization": entity_id("org", parent), "role": "part of"},
        )


def _person(builder: Builder, person: Person) -> None:
    builder.make(
        "Person",
        entity_id("person", person.id),
        {
            "name": person.name,
            "firstName": person.given_name,
            "lastName": person.family_name,
            "alias": [a.name for a in person.aliases if not a.weak],
            "weakAlias": [a.name for a in person.aliases if a.weak],
            "country": person.country(),
            "wikidataId": person.wikidata,
            "notes": person.notes,
        },
    )


def _position(builder: Builder, post_id: str, tenure: Tenure) -> None:
    builder.make(
        "Position",
        post_id,
        {
            "name": tenure.role.title,
            "organization": entity_id("org", tenure.org) if tenure.org else None,
            "country": tenure.role.country,
        },
    )


def _occupancy(builder: Builder, tenure: Tenure, today: dt.date) -> None:
    role = tenure.role
    description = [role.title + (" (acting)" if role.acting else ""), role.note]
    builder.make(
        "Occupancy",
        tenure.role_id,
        {
            "holder": entity_id("person", tenure.person.id),
            "post": tenure.post_id,
            "startDate": day(role.start),
            "endDate": day(role.end),
            "status": role_status(role, today),
            "description": " ".join(d for d in description if d),
        },
    )


def _event(builder: Builder, found: Interchange, meeting: Meeting) -> None:
    people, orgs = found.participants(meeting)
    host = found.org_ref(meeting.host)
    ident = entity_id("meeting", meeting.id)
    builder.make(
        "Event",
        ident,
        {
            "name": meeting.title,
            "date": day(meeting.date),
            "endDate": day(meeting.end_date),
            "country": meeting.location_country,
            "location": meeting.place,
            "involved": [entity_id("person", p) for p in people] + [entity_id("org", o) for o in orgs],
            "organizer": entity_id("org", host) if host else None,
            "summary": meeting.summary,
            "description": f"Meeting {meeting.status}" + (f" ({meeting.mode})" if meeting.mode else ""),
            "keywords": found.topic_labels(meeting),
            "notes": [note.text for note in meeting.notes],
        },
    )
    for source in meeting.sources:
        _source(builder, ident, meeting.id, source)


def _source(builder: Builder, event_id: str, meeting_id: str, source) -> None:
    key = source.url or source.document
    if not key:
        return
    document = document_id(key)
    if document not in builder.documents:
        builder.documents.add(document)
        builder.make(
            "Article",
            document,
            {
                "title": source.title or source.publisher or key,
                "publisher": source.publisher,
                "publishedAt": day(source.published),
                "sourceUrl": source.url,
                "fileName": None if source.url else source.document,
                "retrievedAt": day(source.retrieved),
            },
        )
    builder.make(
        "Documentation",
        entity_id("source", meeting_id, source.number),
        {
            "document": document,
            "entity": event_id,
            "role": "source",
            "summary": source.note,
        },
    )


def entities(kb, audience: Audience, today: dt.date | None = None) -> dict:
    """The context of `kb export ftm`: every entity as FtM's JSON (``entities``), the number of
    each schema (``counts``) and the values followthemoney refused (``refused``)."""
    today = today or dates.today()
    found = gather(kb, audience)
    builder = Builder()
    for org in found.orgs:
        _org(builder, found, org)
    for person in found.people:
        _person(builder, person)
    for post_id, tenure in sorted(found.posts.items()):
        _position(builder, post_id, tenure)
    for tenure in found.tenures:
        _occupancy(builder, tenure, today)
    for meeting in found.meetings:
        _event(builder, found, meeting)
    counts: dict[str, int] = {}
    for entity in builder.entities:
        counts[entity.schema.name] = counts.get(entity.schema.name, 0) + 1
    return {
        "entities": [entity.to_dict() for entity in builder.entities],
        "counts": dict(sorted(counts.items())),
        "refused": builder.refused,
        "audience": audience.summary(),
    }
