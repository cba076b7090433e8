"""Find a record from what a user types: an id, a former id, a name or an alias."""

from __future__ import annotations

from kb.errors import KBError
from kb.model.text import normalise, ranked

TABLES = {"meeting": "meetings", "person": "people", "org": "orgs"}


class NotFound(KBError, LookupError):
    """Nothing, or more than one record, answers to the reference; the message says which."""


def resolve(kb, ref: str, kinds=("person", "org", "meeting")) -> tuple[str, str]:
    """(kind, id) of the one record that ``ref`` names."""
    for kind in kinds:
        found = kb.resolve_id(kind, ref)
        if found:
            return kind, found
    owners = sorted(hit for hit in kb.name_index.get(normalise(ref), set()) if hit[0] in kinds)
    if len(owners) == 1:
        return owners[0]
    if not owners and "person" in kinds:
        from kb.model import names

        # The name in another script or spelling, part by part (kb.model.names).
        owners = [("person", i) for i in names.best_matches(ref, ((p.id, p.matching_names())
                                                                   for p in kb.people.values()))]
        if len(owners) == 1:
            return owners[0]
    if owners:
        raise NotFound(f"'{ref}' names more than one record: " + ", ".join(i for _, i in owners)
                       + "; use the id")
    words = {"meeting": "meeting", "person": "person", "org": "organisation"}
    raise NotFound(f"no {' or '.join(words[k] for k in kinds)} '{ref}'" + _suggestion(kb, ref, kinds))


def _suggestion(kb, ref: str, kinds) -> str:
    choices: dict[str, str] = {}
    for kind in kinds:
        for record in getattr(kb, TABLES[kind]).values():
            choices[record.id] = record.id
            for name in getattr(record, "matching_names", lambda: [])():
                choices[normalise(name)] = record.id
    best = list(dict.fromkeys(choices[c] for c in ranked(normalise(ref.replace("-", " ")) or ref, choices)))
    return "; did you mean " + " or ".join(f"'{b}'" for b in best) + "?" if best else ""
