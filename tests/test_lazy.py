"""Meetings read from the cache decode their data only when it is read; what every command reads
of every meeting (its head) is the same as what the data says, and a released meeting reads
back the same."""

from kb.model.records import Meeting, unpack_data
from kb.store import loader


def _fields(meeting: Meeting) -> tuple:
    return (
        meeting.id,
        meeting.date,
        meeting.status,
        meeting.get("sensitivity"),
        meeting.get("host"),
        meeting.get("former_ids"),
        meeting.location_country,
        meeting.person_ids(),
        meeting.org_ids(),
        meeting.sides(),
        meeting.people_and_sides(),
        meeting.sort_key(),
    )


def test_meetings_from_the_cache_are_decoded_when_read(repo):
    fresh = loader.load(repo)  # reads every file and writes the cache
    warm = loader.load(repo)
    assert set(warm.meetings) == set(fresh.meetings)
    for meeting in warm.meetings.values():
        assert meeting.blob is not None and meeting.head is not None
    # Indexes, sorting and the people met run on the heads alone.
    assert [m.id for m in warm.sorted_meetings] == [m.id for m in fresh.sorted_meetings]
    assert warm.meetings_by_person.keys() == fresh.meetings_by_person.keys()
    assert all(not _decoded(m) for m in warm.meetings.values())
    for ident, meeting in warm.meetings.items():
        plain = Meeting(meeting.kind, meeting.relpath, fresh.meetings[ident].data)  # no head: read from its data
        assert _fields(meeting) == _fields(plain)
        assert meeting.data == plain.data == unpack_data(meeting.blob)


def test_a_released_meeting_reads_back_the_same(repo):
    loader.load(repo)
    kb = loader.load(repo)
    meeting = max(kb.meetings.values(), key=lambda m: len(m.blob))
    participants, outcomes, data = meeting.participants, meeting.outcomes, meeting.data
    position = meeting.where("outcomes", 0, "id")
    meeting.release()
    assert not _decoded(meeting)
    assert meeting.where("outcomes", 0, "id") == position  # read from a copy of the data, not kept
    assert not _decoded(meeting)
    assert meeting.participants == participants and meeting.data == data
    assert [o.data for o in meeting.outcomes] == [o.data for o in outcomes]
    copy = Meeting(meeting.kind, meeting.relpath, dict(meeting.data), meeting.positions)
    copy.release()  # a record holding its own data keeps it
    assert copy.data == data


def _decoded(meeting: Meeting) -> bool:
    try:
        Meeting.data.__get__(meeting)
    except AttributeError:
        return False
    return True


def test_a_pass_over_every_meeting_lets_go_of_what_each_step_decoded(repo):
    """In a large knowledge base checks going through every meeting see ReleasingMeetings: what a
    step of the pass decoded (the meeting it yields, those looked up meanwhile) is released when
    the pass moves on; a meeting decoded before the pass stays decoded."""
    from kb.checks.runner import ReleasingView

    loader.load(repo)
    kb = loader.load(repo)
    view = ReleasingView(kb)
    ids = sorted(kb.meetings)
    kept = kb.meetings[ids[0]]
    assert kept.data  # decoded before the pass
    looked_up = kb.meetings[ids[-1]]
    seen = []
    for meeting in view.meetings.values():
        assert meeting.data["id"] == meeting.id  # decodes it
        if not seen:
            assert view.meetings[looked_up.id] is looked_up and looked_up.data
        else:
            assert not _decoded(seen[-1]) or seen[-1] is kept  # the step before let go of it
        seen.append(meeting)
    assert len(seen) == len(ids) == len(view.meetings) and set(view.meetings) == set(ids)
    assert _decoded(kept)
    assert [m.id for m in kb.meetings.values() if _decoded(m)] == [kept.id]
    assert view.config is kb.config  # the rest is the knowledge base's own
