"""People recorded twice, and names that would match two people."""

from __future__ import annotations

from kb.checks.registry import WARNING, check, finding


@check("KB605", "duplicate-person", WARNING, reads="no-meetings")
def no_duplicate_people(kb):
    """Two people share a name or a (non-weak) alias: one person recorded twice, or an alias that would
    make matching ambiguous.

    `kb dedupe` lists such pairs with the reasons to think them one. If they are one person, `kb merge
    KEEP GONE` makes them one record (the old id kept in `former_ids`); if they really are two
    people, `kb decide different A B --why ...` records it in decisions.yaml and silences this
    warning for the pair, or mark the shared alias as `kind: weak` so it is never used for
    matching. (The base knowledge base's donald-blome lists "Donald Bloom" as an alias.)

    Failing: people/donald-bloom.yaml
        id: donald-bloom
        name: Donald Bloom
        country: US

    Passing: people/david-lammy.yaml
        id: david-lammy
        name: David Lammy
        country: GB
    """
    from kb.model.decisions import Judgements

    judged = Judgements(kb)
    for name, owners in sorted(kb.name_index.items()):
        people = sorted(i for kind, i in owners if kind == "person")
        # A pair judged different in decisions.yaml is two people: no longer reported.
        people = [p for p in people if any(q != p and not judged.different("person", p, q) for q in people)]
        if len(people) > 1:
            later = kb.people[people[-1]]
            line, column = later.where("name")
            yield finding(
                "KB605",
                later.relpath,
                line,
                column,
                f"the name '{name}' belongs to {', '.join(people)}",
                f"if they are one person, `kb merge {people[0]} {people[-1]}`; if not, "
                f"`kb decide different {people[0]} {people[-1]} --why ...` (`kb dedupe` lists such pairs)",
            )
