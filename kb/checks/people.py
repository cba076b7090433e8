"""People recorded twice, and names that would match two people."""

from __future__ import annotations

from kb.checks.registry import WARNING, check, finding


@check("KB605", "duplicate-person", WARNING, reads="no-meetings")
def no_duplicate_people(kb):
    """Two people share a name or a (non-weak) alias: one person recorded twice, or an alias that would
    make matching ambiguous.

    Merge them, keeping the old id in `former_ids`; if they really are two people, mark the shared
    alias as `kind: weak` so it is never used for matching. (The base knowledge base's
    donald-blome lists "Donald Bloom" as an alias.)

    Failing: people/donald-bloom.yaml
        id: donald-bloom
        name: Donald Bloom
        country: US

    Passing: people/david-lammy.yaml
        id: david-lammy
        name: David Lammy
        country: GB
    """
    for name, owners in sorted(kb.name_index.items()):
        people = sorted(i for kind, i in owners if kind == "person")
        if len(people) > 1:
            later = kb.people[people[-1]]
            line, column = later.where("name")
            yield finding("KB605", later.relpath, line, column,
                          f"the name '{name}' belongs to {', '.join(people)}",
                          "if they are one person, merge the records and list the old id under former_ids; "
                          "otherwise mark the shared alias as weak")
