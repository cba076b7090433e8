"""Every reference resolves: people, organisations, topics, countries, meetings and outcomes."""

from __future__ import annotations

from functools import cache

from kb.checks.registry import ERROR, check, finding
from kb.model.text import normalise, ranked


@cache
def _countries() -> dict[str, str]:
    from kb.model.countries import iso_names

    return iso_names()


# Codes people write that ISO 3166 spells otherwise.
_COMMON_MISTAKES = {"UK": "GB", "EN": "GB", "USA": "US"}


def country_problem(code: str) -> tuple[str, str] | None:
    countries = _countries()
    if code in countries:
        return None
    if code in _COMMON_MISTAKES:
        right = _COMMON_MISTAKES[code]
        return (f"'{code}' is not an ISO 3166 country code", f"did you mean '{right}' ({countries[right]})?")
    return (
        f"'{code}' is not an ISO 3166 country code",
        "use the two-letter code, e.g. PK (Pakistan), US (United States), GB (United Kingdom)",
    )


def _suggest_person(kb, ref: str) -> str:
    """Alias-aware: 'donald-bloom' finds donald-blome through the alias 'Donald Bloom'."""
    spoken = normalise(ref.replace("-", " "))
    hits = kb.name_index.get(spoken)
    if hits:
        ids = sorted(i for kind, i in hits if kind == "person")
        if ids:
            return f"did you mean '{ids[0]}'? ('{ref.replace('-', ' ')}' is a known name of that person)"
    choices = {p.id: p.id for p in kb.people.values()}
    for person in kb.people.values():
        for name in person.matching_names():
            choices[normalise(name)] = person.id
    best = ranked(spoken, choices, limit=3)
    ids = list(dict.fromkeys(choices[b] for b in best))
    if ids:
        return "did you mean " + " or ".join(f"'{i}'" for i in ids) + "?"
    return "add the person under people/ (kb new person), or correct the id"


def _suggest(ref: str, choices, what: str) -> str:
    best = ranked(ref, choices, limit=3)
    if best:
        return "did you mean " + " or ".join(f"'{b}'" for b in best) + "?"
    return f"add the {what}, or correct the id"


def _party_refs(meeting):
    for outcome in meeting.outcomes:
        for field, parties in (("by", outcome.by), ("to", outcome.to)):
            for j, party in enumerate(parties):
                yield ("outcomes", outcome.index, field, j), party
    for claim in meeting.claims:
        if claim.by:
            yield ("claims", claim.index, "by"), claim.by


@check("KB400", "unknown-person", ERROR, reads="one-meeting")
def known_people(kb):
    """A reference to a person id that has no file under people/.

    Suggestions are alias-aware and fuzzy: `donald-bloom` suggests `donald-blome`, whose record
    lists "Donald Bloom" as a misspelling. Correct the id, or add the person (`kb new person`).

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-bloom, side: US, title: Ambassador}
        sources:
          - url: https://example.org/report

    Passing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        sources:
          - url: https://example.org/report
    """
    known = kb.known("person")
    for meeting in kb.sorted_meetings:
        refs: list[tuple[tuple, str | None]] = [
            (("participants", p.index, "person"), p.person) for p in meeting.participants
        ]
        refs += [(("quotes", q.index, "speaker"), q.speaker) for q in meeting.quotes]
        for path, ref in refs:
            if ref and ref not in known:
                line, column = meeting.where(*path)
                yield finding(
                    "KB400", meeting.relpath, line, column, f"unknown person '{ref}'", _suggest_person(kb, ref)
                )


@check("KB401", "unknown-org", ERROR, reads="one-meeting")
def known_orgs(kb):
    """A reference to an organisation id that has no file under orgs/.

    A meeting's host, a participant's or a role's organisation, an outcome's owner and an
    organisation's parent must name a record under orgs/; the hint suggests the nearest ids.

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        host: pk-interior-ministry
        sources:
          - url: https://example.org/report

    Passing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        host: pk-interior
        sources:
          - url: https://example.org/report
    """
    known = kb.known("org")
    for meeting in kb.sorted_meetings:
        refs: list[tuple[tuple, str | None]] = [(("participants", p.index, "org"), p.org) for p in meeting.participants]
        refs.append((("host",), meeting.host))
        refs += [(("outcomes", o.index, "owner"), o.owner) for o in meeting.outcomes]
        for path, ref in refs:
            if ref and ref not in known and not (path[-1] == "owner" and ref in kb.known("person")):
                line, column = meeting.where(*path)
                yield finding(
                    "KB401",
                    meeting.relpath,
                    line,
                    column,
                    f"unknown organisation '{ref}'",
                    _suggest(ref, known, "organisation under orgs/"),
                )
    for record in kb.people_to_check:
        for role in record.roles:
            if role.org and role.org not in known:
                line, column = record.where("roles", role.index, "org")
                yield finding(
                    "KB401",
                    record.relpath,
                    line,
                    column,
                    f"unknown organisation '{role.org}'",
                    _suggest(role.org, known, "organisation under orgs/"),
                )
    for org in kb.orgs_to_check:
        if org.parent and org.parent not in known:
            line, column = org.where("parent")
            yield finding(
                "KB401",
                org.relpath,
                line,
                column,
                f"unknown organisation '{org.parent}'",
                _suggest(org.parent, known, "organisation under orgs/"),
            )


@check("KB402", "unknown-topic", ERROR, reads="one-meeting")
def known_topics(kb):
    """A meeting topic that is not in the topics vocabulary (topics.yaml).

    A controlled vocabulary keeps `counter-narcotic` and `counter-narcotics` from splitting one
    topic in two. A synonym or near miss is named; add a really new topic to topics.yaml.

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        topics: [counter-narcotic]
        sources:
          - url: https://example.org/report

    Passing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        topics: [counter-narcotics]
        sources:
          - url: https://example.org/report
    """
    if "topics" in kb.broken_ids:
        return
    for meeting in kb.sorted_meetings:
        for i, topic in enumerate(meeting.topic_ids):
            if topic in kb.topics:
                continue
            line, column = meeting.where("topics", i)
            synonym = kb.topic_id(topic)
            if synonym:
                hint = f"'{topic}' is a synonym of the topic '{synonym}': write '{synonym}'"
            else:
                hint = _suggest(topic, list(kb.topics), "topic to topics.yaml")
            yield finding("KB402", meeting.relpath, line, column, f"unknown topic '{topic}'", hint)


@check("KB403", "unknown-country", ERROR, reads="one-meeting")
def known_countries(kb):
    """A country code that is not in ISO 3166-1 (`UK` for the United Kingdom is `GB`).

    Countries are two-letter ISO 3166-1 codes, in records and in kb.yaml's `our_side`, so that
    every country is spelt one way.

    Failing: people/david-lammy.yaml
        id: david-lammy
        name: David Lammy
        country: UK

    Passing: people/david-lammy.yaml
        id: david-lammy
        name: David Lammy
        country: GB
    """

    def places(record):
        if record.kind == "meeting":
            yield ("location", "country"), record.location_country
            for participant in record.participants:
                if participant.side not in kb.orgs:  # an international body's official: its side
                    yield ("participants", participant.index, "side"), participant.side
            for path, party in _party_refs(record):
                if party.isupper() and len(party) == 2:
                    yield path, party
        else:
            yield ("country",), record.country()
            for role in record.roles if record.kind == "person" else ():
                yield ("roles", role.index, "country"), role.country

    for record in [*kb.sorted_meetings, *kb.people_to_check, *kb.orgs_to_check]:
        for path, code in places(record):
            if code and (problem := country_problem(code)):
                line, column = record.where(*path)
                yield finding("KB403", record.relpath, line, column, *problem)
    if not kb.config_problems and (problem := country_problem(kb.our_side)):  # unknown while kb.yaml is broken
        yield finding("KB403", "kb.yaml", 1, 1, *problem)


def _nameable_meetings(kb, referrer, known: set[str]) -> set[str]:
    """The meeting ids a hint about ``referrer`` may suggest: none marked above brief_audience
    (unless the referring meeting is marked as high)."""
    from kb.query.audience import may_be_named

    if kb.config.brief_audience is None:
        return known
    return {
        ident
        for ident in known
        if (target := kb.meetings.get(kb.resolve_id("meeting", ident) or ident)) is not None
        and may_be_named(kb, referrer, target.sensitivity)
    }


@check("KB404", "unknown-meeting", ERROR, reads="one-meeting", meeting_ids=True)
def known_meetings(kb):
    """A reference to a meeting that does not exist (parent, follows, fulfilled_by, revisited_in, updates).

    A link to another meeting must name its id (its file name without `.yaml`); a meeting may not
    refer to itself. The hint suggests the nearest ids.

    Failing: meetings/2024-09-02-naqvi-blome.yaml
        id: 2024-09-02-naqvi-blome
        title: Interior Minister meets the US Ambassador again
        date: 2024-09-02
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        follows: [2024-07-12-naqvi-blome]
        sources:
          - url: https://example.org/report

    Passing: meetings/2024-09-02-naqvi-blome.yaml
        id: 2024-09-02-naqvi-blome
        title: Interior Minister meets the US Ambassador again
        date: 2024-09-02
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        follows: [2024-07-13-naqvi-blome]
        sources:
          - url: https://example.org/report
    """
    known = kb.known("meeting")
    nameable: dict[str | None, set[str]] = {}  # by the referring meeting's marking, all a hint may name
    for meeting in kb.sorted_meetings:
        refs: list[tuple[tuple, str | None]] = [(("parent",), meeting.parent)]
        refs += [(("follows", i), ref) for i, ref in enumerate(meeting.follows)]
        for outcome in meeting.outcomes:
            i = outcome.index
            refs.append((("outcomes", i, "fulfilled_by"), outcome.fulfilled_by))
            refs += [(("outcomes", i, "revisited_in", j), r) for j, r in enumerate(outcome.revisited_in)]
            # Not outcome.updates: that parses every update's date, which this check never reads.
            refs += [(("outcomes", i, "updates", j, "meeting"), ref) for j, ref in outcome.update_meetings()]
        for path, ref in refs:
            if ref and ref not in known:
                line, column = meeting.where(*path)
                marking = meeting.sensitivity
                if not isinstance(marking, str):
                    marking = None if marking is None else repr(marking)
                if marking not in nameable:
                    nameable[marking] = _nameable_meetings(kb, meeting, known)
                yield finding(
                    "KB404",
                    meeting.relpath,
                    line,
                    column,
                    f"unknown meeting '{ref}'",
                    _suggest(ref, nameable[marking], "meeting"),
                )
            elif ref == meeting.id:
                line, column = meeting.where(*path)
                yield finding(
                    "KB404",
                    meeting.relpath,
                    line,
                    column,
                    f"meeting '{ref}' refers to itself",
                    "point at another meeting",
                )


@check("KB405", "unknown-party", ERROR, reads="one-meeting")
def known_parties(kb):
    """An outcome's 'by'/'to' or a claim's 'by' that is neither a country code, a person nor an
    organisation.

    Who committed, to whom, and who claimed what are country codes (`PK`), person ids or
    organisation ids, so that a brief can find every commitment of a side.

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        outcomes:
          - id: dialogue
            kind: commitment
            text: Hold a law enforcement dialogue.
            due: 2024-10
            status: fulfilled
            by: [PK, united-states]
        sources:
          - url: https://example.org/report

    Passing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        outcomes:
          - id: dialogue
            kind: commitment
            text: Hold a law enforcement dialogue.
            due: 2024-10
            status: fulfilled
            by: [PK, US]
        sources:
          - url: https://example.org/report
    """
    people, orgs = kb.known("person"), kb.known("org")
    for meeting in kb.sorted_meetings:
        for path, party in _party_refs(meeting):
            if (party.isupper() and len(party) == 2) or party in people or party in orgs:
                continue
            line, column = meeting.where(*path)
            yield finding(
                "KB405",
                meeting.relpath,
                line,
                column,
                f"'{party}' is not a country code, person or organisation",
                _suggest(party, people | orgs, "person or organisation"),
            )
