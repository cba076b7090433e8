"""Record ids: equal to the file name, and unique."""

from __future__ import annotations

from kb.checks.registry import ERROR, check, finding


@check("KB300", "id-mismatch", ERROR, reads="one-meeting")
def id_matches_file_name(kb):
    """A record's id differs from its file name.

    Failing: ``people/donald-blome.yaml`` with ``id: donald-bloom``.
    Passing: ``people/donald-blome.yaml`` with ``id: donald-blome``.
    """
    for records in (kb.sorted_meetings, kb.people_to_check, kb.orgs_to_check):
        for record in records:
            stem = record.relpath.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            if record.id != stem:
                line, column = record.where("id")
                yield finding("KB300", record.relpath, line, column,
                              f"id '{record.id}' differs from the file name '{stem}'",
                              f"rename the file to {record.id}.yaml, or set id: {stem}")


@check("KB301", "duplicate-id", ERROR)
def unique_ids(kb):
    """Two records of one kind share an id (e.g. people/a.yaml and people/a.yml)."""
    for first, second in kb.duplicates:
        line, column = second.where("id")
        yield finding("KB301", second.relpath, line, column,
                      f"id '{second.id}' is already used by {first.relpath}",
                      "give one of them another id, or merge them and keep the old id in former_ids")
