"""A draft meeting record from a news article's plain text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kb.importing import existing, statements, when
from kb.importing.draft import Draft, Eras, Existing, ProposedOrg, ProposedPerson, family_name, in_layout
from kb.importing.names import HONORIFICS, ORG_WORDS, STOPWORDS, TITLE_ANCHORS, Match, PersonIndex, mentions
from kb.importing.places import countries_in, dateline, normalised_words, place_country
from kb.importing.text import Article, clean
from kb.model import names
from kb.model.text import normalise

_BOTH = re.compile(r"\b(both|two sides|two parties|two countries|two nations|they|the sides|and the)\b", re.I)
_PLACE_IN = re.compile(r"\b(?:meeting|met|meet|talks|held|hosted)\b[^.]*?\bin ([A-Z][a-z]+(?: [A-Z][a-z]+)?)")


@dataclass
class Person:
    """A person the article names: known (matched) or proposed."""

    id: str
    name: str
    first: int  # index of the sentence that first names them
    match: Match | None = None
    proposed: ProposedPerson | None = None
    title: str | None = None
    titles: list[str] = field(default_factory=list)
    country: str | None = None
    sentences: set[int] = field(default_factory=set)
    called: set[str] = field(default_factory=set)  # normalised ways the text refers to them


def draft(  # noqa: C901 -- long: an article's parts drafted in reading order; importing is being rewritten
    kb,
    text: str,
    *,
    url: str | None = None,
    published: dt.date | None = None,
    publisher: str | None = None,
    source_name: str = "the article",
) -> Draft:
    article = clean(text)
    messages: list[str] = []
    unconfirmed: list[str] = []
    if article.dropped:
        messages.append(
            f"dropped {len(article.dropped)} line(s) of page furniture "
            f"({_short(article.dropped[0])}{', ...' if len(article.dropped) > 1 else ''})"
        )

    place, dateline_date, article = _date_line(article)
    sentences = article.sentences()
    if not place:
        for sentence in sentences:
            match = _PLACE_IN.search(sentence)
            if match and place_country(match.group(1)):
                place = match.group(1)
                break

    date = when.meeting_date(sentences, dateline_date, published)
    if date.date is None:
        messages.append(f"date: not found ({date.note})")
        unconfirmed.append(f"date: {date.note}; fill it in from the sources")
    else:
        evidence = f" from '{date.evidence}'" if date.evidence else ""
        messages.append(f"date: {date.date}{evidence} ({date.note})")
        if not date.certain:
            unconfirmed.append(f"date: {date.date}{evidence}: {date.note}; confirm from another source")

    bodies = Bodies(kb, source_name)
    people = _people(kb, sentences, date.date, source_name, bodies)
    eras = Eras(kb)
    for person in people.values():
        if person.match:
            messages.append(person.match.describe())
            if not person.match.certain:
                unconfirmed.append(
                    f"participant {person.id}: {person.match.describe()}; confirm, and add "
                    f"'{person.match.written}' as an alias if right"
                )
            if date.date is not None:
                eras.check(person.id, date.date.year, "participant", person.match.written, unconfirmed, messages)
        else:
            title = f" ({person.title})" if person.title else ""
            messages.append(f"proposed new person: {person.id} '{person.name}'{title}")
            unconfirmed.append(
                f"participant {person.id}: '{person.name}' is not a known person; "
                f"confirm and add people/{person.id}.yaml"
            )

    countries = countries_in(" ".join(filter(None, [article.headline, article.body])))
    participants = _participants(kb, people, date.date, countries, kb.our_side, unconfirmed)
    orgs = _orgs(kb, article.body)
    for org in bodies.found.values():
        of = f" ({org.country})" if org.country else ""
        messages.append(f"proposed new organisation: {org.id} '{org.name}'{of}")
    topics = _topics(kb, " ".join(filter(None, [article.headline, article.body])))
    if countries:
        messages.append("countries: " + ", ".join(countries))
    if orgs:
        messages.append("organisations: " + ", ".join(orgs))
    if topics:
        messages.append("topics: " + ", ".join(topics))

    record: dict = {}
    leads = [p for p in participants if p.get("role") == "lead"]
    ours = next((p for p in leads if kb.is_ours(p["side"])), leads[0] if leads else None)
    theirs = next((p for p in leads if p is not ours), None)
    leads_known_as = [family_name(kb, p["person"], people[p["person"]].name) for p in (ours, theirs) if p]
    record["id"] = names.meeting_id(date.date, leads_known_as)
    record["title"] = _title(kb, people, ours, theirs)
    if date.date is not None:
        record["date"] = str(date.date)
    record["status"] = "held"
    country = place_country(place) if place else None
    if place and country:
        record["location"] = (
            {"place": place, "country": country} if normalise(place) != normalise(country) else {"country": country}
        )
        mode = kb.mode_in(country, [p["side"] for p in leads])
        if mode:
            record["mode"] = mode
        messages.append(f"place: {place} ({country})")
    elif place:
        messages.append(f"place: {place} (country unknown)")
        unconfirmed.append(f"location: the article names '{place}'; add location with its country code")
    record["participants"] = participants
    if topics:
        record["topics"] = topics
    outcomes = _outcomes(sentences, date.date, participants, people, unconfirmed)
    record["summary"] = _summary(kb, people, ours, theirs, place, date.date, topics, len(outcomes))
    unconfirmed.append("summary: generated by kb import from the facts found; rewrite it from the sources")
    if outcomes:
        record["outcomes"] = outcomes
    claims = statements.claims(sentences)
    if claims:
        record["claims"] = [{"text": c.text, "figures": c.figures} for c in claims]
        unconfirmed.append(
            f"claims: {len(claims)} drafted from the article's sentences with figures; "
            "rewrite each in neutral words and attribute it (by:)"
        )
    quotes = _quotes(sentences, people, participants, messages, unconfirmed)
    if quotes:
        record["quotes"] = quotes
    source = _source(url, publisher, article.headline, published, source_name)
    if not url:
        unconfirmed.append("sources: no url given; add the article's address (url:)")
    record["sources"] = [source]
    record["unconfirmed"] = unconfirmed

    record = in_layout("meeting", record)  # written as `kb fmt` would write it
    result = Draft(
        record, messages, [p.proposed for p in people.values() if p.proposed], orgs=list(bodies.found.values())
    )
    known = [p.id for p in people.values() if p.match]
    recorded = existing.find(kb, date.date, known, published, unknown=len(result.people))
    if recorded is not None:
        named = set(recorded.person_ids())
        result.existing = Existing(
            recorded,
            source,
            existing.holds_source(recorded, source) is not None,
            [p.id for p in people.values() if p.id not in named],
        )
    return result


def _date_line(article: Article) -> tuple[str | None, str | None, Article]:
    """The place and date an article's opening gives, and the article without the date line.

    A wire dateline before the text ('ISLAMABAD: ...', 'DOHA, Aug 13 (Reuters) - ...') or a
    press release's date line, alone on its line or before the text ('London: August 13, 2024',
    '13 August 2024 –'). A date line is taken out of the text, so that its figures are never
    drafted as a claim; a place the line names is kept only when its country is known."""
    lines = ([article.headline] if article.headline else []) + article.paragraphs[:3]
    for number, line in enumerate(lines):
        found = when.date_line(line)
        if found is None:
            continue
        place, date, length = found
        if place and not place_country(place):
            place = None
        rest = line.strip()[length:].strip()
        return (
            _as_written(place) if place else None,
            date,
            _without_line(article, number - (1 if article.headline else 0), rest),
        )
    for paragraph in article.paragraphs[:2]:
        datelined = dateline(paragraph)
        if datelined:
            return datelined[0], datelined[1], article
    return None, None, article


def _as_written(place: str) -> str:
    """'ISLAMABAD' as 'Islamabad'; a place written in capitals and small letters is kept."""
    return " ".join(w.capitalize() for w in place.split()) if place.isupper() else place


def _without_line(article: Article, index: int, rest: str) -> Article:
    """The article with line ``index`` of its paragraphs (-1: the headline) cut to ``rest``."""
    if index < 0:
        return Article(None, ([rest] if rest else []) + article.paragraphs, article.dropped)
    paragraphs = list(article.paragraphs)
    paragraphs[index : index + 1] = [rest] if rest else []
    return Article(article.headline, paragraphs, article.dropped)


def _short(text: str) -> str:
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


# Words before a name (and its title) that recall someone rather than report them present:
# 'in the era of President X', 'since the days of ...', 'in the words of ...'.
_RECALLED = re.compile(
    r"\b(?:era|days|time|times|tenure|rule|reign|words|legacy|vision|memory|administration|government)\s+of\s+"
    r"(?:the\s+)?(?:late\s+|then\s+|former\s+)?(?:[A-Z][\w’'\-]*\s+){0,5}$"
)
# 'As Prime Minister X once said, ...': a saying recalled, not a remark at the meeting.
_AS_BEFORE = re.compile(r"(?:^|[,;]\s*)[Aa]s\s+(?:the\s+)?(?:late\s+|then\s+|former\s+)?(?:[A-Z][\w’'\-]*\s+){0,5}$")
_AS_AFTER = re.compile(
    r"\s+(?:once|famously|often|had\s+once|had|has)\s+(?:said|put\s+it|remarked|noted|observed|wrote)\b"
)


def _in_passing(sentence: str, mention) -> bool:
    """Whether the sentence only recalls the person named: 'in the era of President X', 'as
    Prime Minister X once said'."""
    before = sentence[: mention.start]
    if _RECALLED.search(before):
        return True
    return bool(_AS_BEFORE.search(before) and _AS_AFTER.match(sentence, mention.end))


def _without_full_stop(name: str) -> str:
    """'Abdul Aziz Ibrahimi.' (a name ending its sentence) as 'Abdul Aziz Ibrahimi'; an initial's
    full stop ('George W.') is kept."""
    last = name.split()[-1] if name.split() else ""
    return name[:-1] if name.endswith(".") and len(last.rstrip(".")) > 1 and "." not in last[:-1] else name


_BODY_WORD = re.compile(r"\s+([A-Z][\w’'-]*)")
_BODY_OF = re.compile(r"\s+(?:of|for|on)\s+(?:the\s+)?((?:[A-Z][\w’'-]*)(?:\s+[A-Z][\w’'-]*){0,3})")


class Bodies:
    """Organisations an article names where a person's name could stand ('Chairman of the
    Independent Electoral Commission'): each is proposed as an organisation, never a person."""

    def __init__(self, kb, source_name: str):
        self.kb = kb
        self.source_name = source_name
        self.found: dict[str, ProposedOrg] = {}

    def add(self, sentence: str, mention) -> tuple[int, int, str]:
        """Propose the body the mention names; the span of the sentence it covers, and the title
        written before it ('Chairman of the')."""
        start, end = _body_start(sentence, mention.start), mention.end
        while (word := _BODY_WORD.match(sentence, end)) and normalise(word.group(1)) in ORG_WORDS:
            end = word.end()
        key = normalise(sentence[start:end])  # one body, with or without 'of Afghanistan'
        country = mention.country or _country_before(sentence[:start])
        named = _BODY_OF.match(sentence, end)
        if named and (place := countries_in(named.group(1))):
            country = country or next(iter(place))
            end = named.end()
        name = sentence[start:end].rstrip(".")
        known = self.found.get(key)
        if known is not None:
            known.country = known.country or country
        elif not self._known(name, key):
            wanted, n = names.org_id(name), 2
            org_id = wanted
            while org_id in self.kb.orgs or org_id in {o.id for o in self.found.values()}:
                org_id, n = f"{wanted}-{n}", n + 1
            self.found[key] = ProposedOrg(org_id, name, country, self.source_name)
        absorbed = sentence[start : mention.start].strip()  # 'National' of 'Chairman National Disaster ...'
        title = (mention.title or "").removesuffix(absorbed).strip() if absorbed else (mention.title or "")
        return start, end, title

    def _known(self, name: str, key: str) -> bool:
        """Whether the knowledge base holds the organisation, by id or by a name it records."""
        return bool(self.kb.resolve_id("org", names.org_id(name))) or any(
            kind == "org" for found in (normalise(name), key) for kind, _ in self.kb.name_index.get(found, ())
        )


_WORD_BEFORE = re.compile(r"([A-Z][\w’'-]*)\s+$")


def _body_start(sentence: str, start: int) -> int:
    """Where a body's name begins: its capitalised words before the mention ('the National
    Narcotics Coordination Centre'), up to a title's anchor ('Chairman'), an honorific, a
    possessive or a small word ('the')."""
    while (word := _WORD_BEFORE.search(sentence, 0, start)) and not (
        normalise(word.group(1)) in TITLE_ANCHORS | HONORIFICS | STOPWORDS or re.search(r"['’]s$", word.group(1))
    ):
        start = word.start()
    return start


def _country_before(text: str) -> str | None:
    """The country of a possessive just before a body: "Afghanistan's Independent ..."."""
    match = re.search(r"([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})['’]s\s+$", text)
    return next(iter(countries_in(match.group(1))), None) if match else None


def _people(kb, sentences: list[str], date, source_name: str, bodies: Bodies) -> dict[str, Person]:  # noqa: C901 -- long: one pass over sentences claiming mentions; importing is being rewritten
    index = PersonIndex.of(kb)
    people: dict[str, Person] = {}
    proposed_by_name: dict[str, str] = {}
    for number, sentence in enumerate(sentences):
        claimed: list[tuple[int, int]] = []
        after_body: tuple[int, str] | None = None  # where a body's name ends, and the title it gives
        for mention in mentions(sentence):
            if mention.passing or _in_passing(
                sentence, mention
            ):  # 'during President X's tenure': not someone who was there
                claimed.append((mention.start, mention.end))
                continue
            mention.name = _without_full_stop(mention.name)
            matches = index.exact(mention.name)
            if not matches and mention.followed_by_org_word:  # 'Independent Electoral Commission'
                start, end, title = bodies.add(sentence, mention)
                claimed.append((start, end))
                after_body = (end, f"{title} {sentence[start:end]}".strip())
                continue
            if after_body and not mention.title and not sentence[after_body[0] : mention.start].strip():
                mention.title = after_body[1]  # 'Chairman of the Independent Electoral Commission Abdul ...'
            after_body = None
            if not matches:
                matches = index.fuzzy(mention.name)[:1]
            if matches:
                match = matches[0]
                person = people.setdefault(
                    match.person,
                    Person(
                        match.person,
                        kb.people[match.person].name if match.person in kb.people else mention.name,
                        number,
                        match,
                    ),
                )
                if person.match and not person.match.certain and match.certain:
                    person.match = match
            elif mention.title:
                key = normalise(mention.name)
                person_id = proposed_by_name.get(key) or _free_id(kb, people, names.person_id(mention.name))
                proposed_by_name[key] = person_id
                person = people.setdefault(person_id, Person(person_id, mention.name, number))
                if person.proposed is None:
                    person.proposed = ProposedPerson(
                        person_id, mention.name, mention.title, mention.country, source_name
                    )
            else:
                continue
            claimed.append((mention.start, mention.end))
            person.sentences.add(number)
            person.called.add(normalise(mention.name))
            if mention.title:
                person.titles.append(mention.title)
            if mention.title and not person.title:
                person.title = mention.title
                if person.proposed:
                    person.proposed.title = mention.title
            person.country = person.country or mention.country
            if person.proposed and not person.proposed.country:
                person.proposed.country = mention.country
        for start, _key, match in index.find_in(sentence):
            if any(a <= start < b for a, b in claimed):
                continue
            person = people.setdefault(match.person, Person(match.person, kb.people[match.person].name, number, match))
            person.sentences.add(number)
    # Each sentence's words are read once: the sentences naming a surname are looked up, not
    # searched for each person (quadratic: a minute for an article naming 2,000 people).
    sentences_of: dict[str, set[int]] = {}
    for number, sentence in enumerate(sentences):
        for word, _ in normalised_words(sentence):
            sentences_of.setdefault(word, set()).add(number)
    for person in people.values():
        surname = normalise(family_name(kb, person.id, person.name))
        person.called.add(surname)
        person.sentences |= sentences_of.get(surname, set())
    return dict(sorted(people.items(), key=lambda item: item[1].first))


def _free_id(kb, people: dict, wanted: str) -> str:
    candidate, n = wanted, 2
    while candidate in kb.people or candidate in people or kb.resolve_id("person", candidate):
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate


def _participants(
    kb, people: dict[str, Person], date, countries: dict, our_side: str, unconfirmed: list[str]
) -> list[dict]:
    participants = []
    sides_with_lead = set()
    for person in people.values():
        record = kb.people.get(person.id)
        side = (record.country() if record is not None else None) or person.country
        if not side:
            side = next(iter(countries), our_side)
            unconfirmed.append(f"participant {person.id}: side {side} guessed from the countries the article names")
        entry = {"person": person.id}
        org = _org_at(record, date, person.titles) if record is not None and date is not None else None
        if org:
            entry["org"] = org
        entry["side"] = side
        if person.title:
            entry["title"] = person.title
        entry["role"] = "delegation" if side in sides_with_lead else "lead"
        sides_with_lead.add(side)
        participants.append(entry)
    if len(participants) > 2:
        unconfirmed.append("participants: roles guessed (the first person named on each side is the lead)")
    return participants


def _org_at(person, date, titles: list[str]) -> str | None:
    """The organisation of the role the article's title names, or of the only role held then."""
    from rapidfuzz import fuzz

    held = [r for r in person.roles_on(date) if r.org]
    named = [r for r in held if any(fuzz.token_set_ratio(normalise(t), normalise(r.title)) >= 80 for t in titles)]
    if len(named) == 1 or (len(named) > 1 and len({r.org for r in named}) == 1):
        return named[0].org
    if len(held) == 1:
        return held[0].org
    return None


def _orgs(kb, text: str) -> list[str]:
    found: dict[str, int] = {}
    words = " " + " ".join(w for w, _ in normalised_words(text)) + " "
    for key, owners in kb.name_index.items():
        for kind, org_id in owners:
            if kind != "org":
                continue
            name = kb.orgs[org_id]
            abbreviation = name.get("abbreviation")
            if abbreviation and normalise(abbreviation) == key and abbreviation.isupper():
                match = re.search(rf"(?<![\w]){re.escape(abbreviation)}(?![a-z])", text)
                position = match.start() if match else -1
            else:
                position = words.find(f" {key} ")
            if position >= 0:
                found[org_id] = min(found.get(org_id, position), position)
    return sorted(found, key=lambda org_id: found[org_id])


def _topics(kb, text: str) -> list[str]:
    words = " " + " ".join(w for w, _ in normalised_words(text.replace("-", " "))) + " "
    found: dict[str, int] = {}
    for name, topic in kb.topic_names.items():
        key = " " + name.replace("-", " ") + " "
        position = words.find(key)
        if position >= 0:
            found[topic] = min(found.get(topic, position), position)
    return sorted(found, key=lambda topic: found[topic])


def _title(kb, people: dict[str, Person], ours, theirs) -> str:
    def describe(participant) -> str:
        person = people[participant["person"]]
        surname = family_name(kb, person.id, person.name)
        short = [t for t in person.titles if len(t.split()) <= 5]
        if not short:
            return person.name
        title = min(short, key=lambda t: (not t[0].isupper(), len(t.split())))
        return f"{title[0].upper()}{title[1:]} {surname}"

    if ours and theirs:
        return f"{describe(ours)} meets {describe(theirs)}"
    if ours:
        return f"Meeting of {describe(ours)}"
    return "Meeting reported in the press"


def _outcomes(
    sentences: list[str], date, participants: list[dict], people: dict[str, Person], unconfirmed: list[str]
) -> list[dict]:
    leads = [p["side"] for p in participants if p.get("role") == "lead"]
    outcomes = []
    used: set[str] = set()
    for draft in statements.commitments(sentences):
        outcome_id = statements.outcome_id(draft.text)
        base, n = outcome_id, 2
        while outcome_id in used:
            outcome_id, n = f"{base}-{n}", n + 1
        used.add(outcome_id)
        entry: dict[str, object] = {"id": outcome_id, "kind": draft.kind, "text": draft.text}
        if draft.kind == "request":
            entry.update(_request_parties(draft, participants, people))
        else:
            by = _committed_by(draft.text, sentences[draft.sentence_index], leads, people)
            if by:
                entry["by"] = by
        due, note = when.due_date(sentences[draft.sentence_index], date)
        if due is not None:
            entry["due"] = str(due)
        entry["status"] = "open"
        detail = f"; due: {note}" if note else ""
        unconfirmed.append(
            f"outcome {outcome_id}: drafted from the article's words ('{draft.cue}'){detail}; rewrite and confirm"
        )
        outcomes.append(entry)
    return outcomes


def _committed_by(clause: str, sentence: str, leads: list[str], people: dict[str, Person]) -> list[str]:
    if _BOTH.search(clause.split(" agree")[0]) or _BOTH.search(sentence.split(" agree")[0]):
        return list(dict.fromkeys(leads))
    named = countries_in(clause.split(" will")[0].split(" agree")[0])
    return [c for c in named if c in leads][:1]


def _request_parties(draft, participants: list[dict], people: dict[str, Person]) -> dict[str, list[str]]:
    """A request's ``by`` (the side that asked) and ``to`` (the side asked, whose move it now
    is), each read from the words naming them; a side the words do not name is left out."""
    parties = {}
    for field_name, words in (("by", draft.asker), ("to", draft.asked)):
        side = _side_named(words, participants, people) if words else None
        if side:
            parties[field_name] = [side]
    if parties.get("by") == parties.get("to"):
        parties.pop("by", None)  # 'the minister asked the ministry to ...': one side, asked
    return parties


def _side_named(words: str, participants: list[dict], people: dict[str, Person]) -> str | None:
    """The side the words name: a participant's ('Naqvi'), else a country's ('the UK', 'the
    Qatari side')."""
    spoken = f" {normalise(words)} "
    for participant in participants:
        person = people.get(participant["person"])
        if person and any(f" {name} " in spoken for name in person.called if name):
            return participant["side"]
    bare = re.sub(r"^(?:the|The)\s+", "", words.strip())
    # 'the UK', 'the Qatari side'; 'the Americans'; a capital standing for its government ('Washington')
    for named in (countries_in(words), countries_in(re.sub(r"s$", "", bare)), {place_country(bare): 1}):
        side = next((code for code in named if code), None)
        if side:
            return side
    spoken = spoken.strip().removeprefix("the ").strip()  # 'the minister': the one side whose title says so
    titled = {p["side"] for p in participants if spoken and spoken in normalise(p.get("title") or "").split()}
    return titled.pop() if len(titled) == 1 else None


def _quotes(sentences, people: dict[str, Person], participants, messages, unconfirmed) -> list[dict]:
    found = []
    for quote in statements.quotes(sentences):
        speaker, how = _speaker(quote, sentences, people, participants)
        if not speaker:
            messages.append(f"quote left out, speaker unclear: '{quote.text[:50]}…'")
            continue
        found.append({"speaker": speaker, "text": quote.text, "source": 1})
        if how:
            unconfirmed.append(f"quote by {speaker}: speaker read from '{quote.said_by}' ({how}); confirm")
    return found


def _speaker(quote, sentences, people: dict[str, Person], participants) -> tuple[str | None, str]:
    words = normalise(quote.said_by or "")
    if not words:
        return None, ""
    if words in ("he", "she"):
        for number in (quote.sentence_index, quote.sentence_index - 1):
            named = [p.id for p in people.values() if number in p.sentences]
            if len(named) == 1:
                return named[0], "a pronoun, the person named just before"
        return None, ""
    for person in people.values():
        if any(f" {name} " in f" {words} " for name in person.called):
            return person.id, ""
    for participant in participants:
        title = normalise(participant.get("title") or "")
        spoken = words.removeprefix("the ").strip()
        if title and spoken and (spoken in title or title in spoken):
            return participant["person"], "a title"
    return None, ""


def _summary(kb, people, ours, theirs, place, date, topics: list[str], outcome_count: int) -> str:
    def who(participant) -> str:
        person = people[participant["person"]]
        return f"{person.name} ({participant['title']})" if participant.get("title") else person.name

    parts = []
    if ours and theirs:
        parts.append(f"{who(ours)} met {who(theirs)}")
    elif ours:
        parts.append(f"A meeting of {who(ours)}")
    else:
        parts.append("A meeting")
    if place:
        parts.append(f"in {place}")
    if date is not None:
        parts.append(f"({date.human()})")
    text = " ".join(parts) + "."
    if topics:
        labels = [kb.topics[t].label for t in topics if t in kb.topics]
        text += " Topics reported: " + ", ".join(labels) + "."
    if outcome_count:
        text += f" The report states {outcome_count} agreement(s), commitment(s) or request(s), drafted below."
    return text


def _source(url, publisher, headline, published, source_name) -> dict:
    source: dict = {}
    if url:
        source["url"] = url
    else:
        source["document"] = source_name
    if publisher:
        source["publisher"] = publisher
    if headline:
        source["title"] = headline
    if published:
        source["published"] = published.isoformat()
    return source
