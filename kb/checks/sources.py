"""Sources can be found again."""

from __future__ import annotations

from kb.checks.registry import ERROR, WARNING, check, finding


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
