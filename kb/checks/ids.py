"""Record ids: equal to the file name, and unique."""

from __future__ import annotations

from kb.checks.registry import ERROR, check, finding


@check("KB300", "id-mismatch", ERROR, reads="one-meeting")
def id_matches_file_name(kb):
    """A record's id differs from its file name.

    A record is found by its file name and referred to by its id; when they differ, one of the
    two is wrong. Rename the file or correct the id (keeping an old person's id in `former_ids`).

    Failing: orgs/us-embassy-islamabad.yaml
        id: us-embassy-pakistan
        name: Embassy of the United States, Islamabad
        country: US

    Passing: orgs/us-embassy-islamabad.yaml
        id: us-embassy-islamabad
        name: Embassy of the United States, Islamabad
        country: US
    """
    for records in (kb.sorted_meetings, kb.people_to_check, kb.orgs_to_check):
        for record in records:
            stem = record.relpath.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            if record.id != stem:
                line, column = record.where("id")
                yield finding(
                    "KB300",
                    record.relpath,
                    line,
                    column,
                    f"id '{record.id}' differs from the file name '{stem}'",
                    f"rename the file to {record.id}.yaml, or set id: {stem}",
                )


@check("KB301", "duplicate-id", ERROR)
def unique_ids(kb):
    """Two records of one kind share an id (e.g. people/a.yaml and people/a.yml).

    References by that id would be ambiguous. Give one of them another id, or merge the two and
    keep the old id under `former_ids`. (The base knowledge base already holds
    people/donald-blome.yaml.)

    Failing: people/donald-blome.yml
        id: donald-blome
        name: Donald A. Blome

    Passing: people/natalie-baker.yml
        id: natalie-baker
        name: Natalie Baker
    """
    for first, second in kb.duplicates:
        line, column = second.where("id")
        yield finding(
            "KB301",
            second.relpath,
            line,
            column,
            f"id '{second.id}' is already used by {first.relpath}",
            "give one of them another id, or merge them and keep the old id in former_ids",
        )


@check("KB303", "former-id-in-use", ERROR, reads="no-meetings")
def former_ids_are_former(kb):
    """A record lists among its `former_ids` an id that is not former: its own, one a record of
    its kind still has, or one another record lists too.

    A former id stands for a record renamed or merged away, and references by it are followed to
    the one record that lists it. Two records naming each other (a cycle), a chain (A lists B,
    which lists C), or two records listing one old id leave it unclear which record a reference
    means. Finish the merge (`kb merge KEEP GONE`), or remove the id from the list that should
    not hold it.

    Failing: people/mohsin-naqvi.yaml
        id: mohsin-naqvi
        name: Mohsin Naqvi
        country: PK
        former_ids: [donald-blome]

    Passing: people/mohsin-naqvi.yaml
        id: mohsin-naqvi
        name: Mohsin Naqvi
        country: PK
        former_ids: [mohsin-raza-naqvi]
    """
    for records in (kb.people_to_check, kb.orgs_to_check):
        for record in records:
            for index, old in enumerate(record.former_ids if isinstance(record.former_ids, list) else []):
                problem = _former_problem(kb, record, old)
                if problem is not None:
                    line, column = record.where("former_ids", index)
                    yield finding("KB303", record.relpath, line, column, *problem)


def _former_problem(kb, record, old) -> tuple[str, str] | None:
    if old == record.id:
        return f"former id '{old}' is this record's own id", "remove it from former_ids"
    current = kb.table(record.kind).get(old)
    if current is not None:
        cycle = record.id in current.former_ids if isinstance(current.former_ids, list) else False
        what = "which lists this record's id in turn (a cycle)" if cycle else "which still exists"
        return (
            f"former id '{old}' is the id of {current.relpath}, {what}",
            f"finish the merge (`kb merge {record.id} {old}`), or remove '{old}' from former_ids",
        )
    owner = kb.resolve_id(record.kind, old)
    if owner is not None and owner != record.id:
        return (
            f"former id '{old}' is listed by {kb.table(record.kind)[owner].relpath} too",
            "keep it in the former_ids of the one record that took the old record's place",
        )
    return None
