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
