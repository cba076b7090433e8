"""The typed views of a record are derived from its data: a filtered copy gives filtered views."""

import datetime as dt

from kb.model.dates import PartialDate
from kb.model.records import Alias, Meeting, Participant, Person
from kb.query.asof import restrict
from kb.query.audience import Audience


def _meeting() -> Meeting:
    return Meeting(
        "meeting",
        "meetings/m.yaml",
        {
            "id": "2024-07-13-m",
            "title": "Talks",
            "date": "2024-07-13",
            "status": "held",
            "sensitivity": "GREEN",
            "participants": [
                {"person": "a", "side": "US", "role": "lead"},
                {"org": "o", "side": "PK", "title": "Minister"},
            ],
            "sources": [
                {"url": "https://example.org/1", "published": "2024-07-13"},
                {"url": "https://example.org/2", "published": "2024-09", "retrieved": "2024-10-01"},
            ],
            "quotes": [
                {"speaker": "a", "text": "open", "source": 2},
                {"speaker": "a", "text": "secret", "source": 1, "sensitivity": "RED"},
            ],
            "outcomes": [
                {
                    "id": "visas",
                    "kind": "commitment",
                    "text": "Visas",
                    "status": "fulfilled",
                    "updates": [
                        {"date": "2024-08", "status": "in-progress", "note": "begun"},
                        {"date": "2024-11-02", "status": "fulfilled", "meeting": "2024-11-02-x"},
                    ],
                }
            ],
        },
    )


def test_typed_views():
    meeting = _meeting()
    assert meeting.participants == (
        Participant("a", None, "US", None, "lead", 0),
        Participant(None, "o", "PK", "Minister", None, 1),
    )
    assert meeting.participants[0].lead and not meeting.participants[1].lead
    assert [s.number for s in meeting.sources] == [1, 2]
    assert meeting.sources[1].published == PartialDate(2024, 9)
    assert meeting.sources[1].retrieved == PartialDate(2024, 10, 1)
    updates = meeting.outcomes[0].updates
    assert [(u.date, u.status, u.meeting) for u in updates] == [
        (PartialDate(2024, 8), "in-progress", None),
        (PartialDate(2024, 11, 2), "fulfilled", "2024-11-02-x"),
    ]
    assert meeting.outcomes[0].status_on(dt.date(2024, 10, 1)) == "in-progress"


def test_audience_copy_gives_filtered_views():
    meeting = _meeting()
    assert len(meeting.quotes) == 2  # the original's views are built first: the copy must not share them
    copy = Audience("AMBER").meeting(meeting)
    assert copy is not None
    assert [q.text for q in copy.quotes] == ["open"]
    assert [q.text for q in meeting.quotes] == ["open", "secret"]


def test_as_of_copy_gives_filtered_views():
    meeting = _meeting()
    assert len(meeting.sources) == 2 and len(meeting.outcomes[0].updates) == 2
    copy = restrict(meeting, dt.date(2024, 10, 15))
    assert copy is not None
    # The later source is cut but keeps the number quotes cite; the later update is cut too.
    assert [(s.url, s.number) for s in copy.sources] == [("https://example.org/1", 1), ("https://example.org/2", 2)]
    copy = restrict(meeting, dt.date(2024, 8, 31))
    assert [s.number for s in copy.sources] == [1]
    assert [u.status for u in copy.outcomes[0].updates] == ["in-progress"]
    assert copy.outcomes[0].status == "in-progress"


def test_person_aliases():
    person = Person(
        "person",
        "people/p.yaml",
        {
            "id": "p",
            "name": "Asif Durrani",
            "aliases": [{"name": "Asif Durani", "kind": "spelling"}, {"name": "Durrani", "kind": "weak"}],
        },
    )
    assert person.aliases == (Alias("Asif Durani", "spelling"), Alias("Durrani", "weak"))
    assert person.matching_names() == ["Asif Durrani", "Asif Durani"]
