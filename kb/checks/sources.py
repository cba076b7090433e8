"""Sources can be found again."""

from __future__ import annotations

from kb.checks.registry import ERROR, WARNING, check, finding
from kb.store import archives


@check("KB603", "source-not-locatable", ERROR, reads="one-meeting")
def sources_are_locatable(kb):
    """A source with neither a url nor a document reference: nobody could find it again.

    A source is only worth citing if a reader can find it: give its `url`, or for a paper source a
    `document` reference.

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        sources:
          - publisher: Dawn

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
            publisher: Dawn
    """
    for meeting in kb.sorted_meetings:
        for source in meeting.sources:
            if not source.url and not source.document:
                line, column = meeting.where("sources", source.index)
                yield finding(
                    "KB603",
                    meeting.relpath,
                    line,
                    column,
                    "source has neither a url nor a document",
                    "add 'url:' (the page) or 'document:' (a reference to a paper document)",
                )


@check("KB604", "duplicate-source", WARNING, reads="one-meeting")
def sources_are_distinct(kb):
    """The same url listed twice among one meeting's sources.

    Each report is one source; a url listed twice is usually a copy-and-paste slip. Remove the
    repeat.

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        sources:
          - url: https://example.org/report
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
          - url: https://example.net/another-report
    """
    for meeting in kb.sorted_meetings:
        seen: dict[str, int] = {}
        for source in meeting.sources:
            url, index = source.url, source.index
            if url and url in seen:
                line, column = meeting.where("sources", index, "url")
                yield finding(
                    "KB604",
                    meeting.relpath,
                    line,
                    column,
                    f"this url is already source {seen[url] + 1}",
                    "remove the repeated source",
                )
            elif url:
                seen[url] = index


@check("KB620", "source-not-archived", WARNING, reads="one-meeting")
def sources_are_archived(kb):
    """A source url with no stored copy and no public web archive's copy (only with `require_archives: true`).

    News pages vanish. Keep a copy with `kb sources archive` (it adds `archive:`), or give the
    address of a public web archive's copy in `archived:` (web.archive.org, archive.today,
    archive.ph). The check is off unless kb.yaml says `require_archives: true`: archiving needs the
    network, and a knowledge base that cannot fetch its sources should not fail `kb check --strict`.

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        sources:
          - url: https://example.org/report
    With: kb.yaml
        name: Test knowledge base
        our_side: PK
        require_archives: true

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
            archived: https://web.archive.org/web/2024/https://example.org/report
    With: kb.yaml
        name: Test knowledge base
        our_side: PK
        require_archives: true
    """
    if not kb.config.require_archives:
        return
    for meeting in kb.sorted_meetings:
        for source in meeting.sources:
            if source.url and not source.archive and not source.archived:
                line, column = meeting.where("sources", source.index, "url")
                yield finding(
                    "KB620",
                    meeting.relpath,
                    line,
                    column,
                    "source has no stored copy and no web archive's copy",
                    "run `kb sources archive`, or add 'archived:' with a web.archive.org or archive.ph address",
                )


@check("KB621", "archive-missing", ERROR, reads="meetings")
def archives_exist(kb):
    """A source's `archive:` names a stored copy that is not in sources/.

    `archive: <hash>` links a source to `sources/<hash>.md`, written by `kb sources archive`. The
    file was deleted, or not committed, or the hash was mistyped: run `kb sources archive --refresh
    URL` to fetch the page again, or restore the file from git.

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        sources:
          - url: https://example.org/report
            archive: 0123456789abcdef

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
    # Most meetings name no stored copy, and their heads say so: only those naming one that is
    # missing are decoded (a pass decoding every meeting would hold them all).
    missing = _Missing(kb.root)
    for meeting in kb.sorted_meetings:
        if not any(missing(key) for key in meeting.archive_keys()):
            continue
        for source in meeting.sources:
            if source.archive and missing(source.archive):
                line, column = meeting.where("sources", source.index, "archive")
                yield finding(
                    "KB621",
                    meeting.relpath,
                    line,
                    column,
                    f"no stored copy sources/{source.archive}.md",
                    "restore it from git, or fetch the page again: `kb sources archive --refresh URL`",
                )


class _Missing:
    """Whether a stored copy is missing from sources/, each copy looked for once."""

    def __init__(self, root):
        self.root = root
        self.known: dict[str, bool] = {}

    def __call__(self, key: str) -> bool:
        if key not in self.known:
            self.known[key] = not archives.path_of(self.root, key).is_file()
        return self.known[key]
