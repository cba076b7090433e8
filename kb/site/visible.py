"""The knowledge base as one audience may see it: the only input of every page of a site.

Every meeting goes through :class:`kb.query.audience.Audience` (a meeting above the audience is
gone, with every reference to it; parts above it are cut); a person's notes and aliases above the
audience are dropped (the rule is kb.query.audience's, the one `kb diff`, search and every command
follow; the problems page's findings go through its ``screen_findings``). Pages, charts, graphs and the search index are all built from this copy and
never from the records as read, so no file of the site can hold what the audience may not read,
and the search index's statistics (items, terms, lengths) are those of the audience's own `kb
search` index: nothing withheld weighs in a ranking.
"""

from __future__ import annotations

from kb.model.plaincopy import plain_copy
from kb.model.records import KnowledgeBase, Org, Person, Topic
from kb.query.audience import Audience


def visible_kb(kb: KnowledgeBase, readers: Audience) -> tuple[KnowledgeBase, set[str]]:
    """(the audience's copy of ``kb``, the ids of the meetings withheld from it)."""
    shown = {m.id for m in kb.meetings.values() if readers.may_see(m)}
    meetings = readers.copies(kb.sorted_meetings, shown)  # each made when first read
    people = []
    for person in kb.people.values():
        person = readers.person(person)
        people.append(Person(person.kind, person.relpath, plain_copy(person.data), person.positions))
    orgs = [Org(o.kind, o.relpath, o.data, o.positions) for o in kb.orgs.values()]
    topics = [Topic(t.id, t.label, t.synonyms, t.index) for t in kb.topics.values()]
    copy = KnowledgeBase(kb.root, kb.config, [*meetings, *people, *orgs], topics, [], kb.broken_ids)
    copy.use_cache = kb.use_cache  # as --no-cache chose (compiled templates)
    # Each copy keeps its meeting's date and id, and ``meetings`` holds one meeting an id, in that
    # order: the copy's meetings sorted (each sort key made again) are the same list.
    copy.sorted_meetings = meetings
    return copy, set(kb.meetings) - shown
