"""Bounded fuzzing of reading and checking: whatever the bytes, kb reports, it never crashes."""

import textwrap
from pathlib import Path

import yaml
from conftest import BASE_FILES, write_kb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.checks import runner as check
from kb.store import loader

MEETING_PATH = "meetings/2024-07-13-naqvi-blome.yaml"
SEED = textwrap.dedent(BASE_FILES[MEETING_PATH]).encode()
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def check_bytes(root: Path, raw: bytes) -> list:
    (root / MEETING_PATH).write_bytes(raw)
    kb = loader.load(root)
    findings = check.run(kb)
    for finding in findings:
        assert finding.path and finding.code and finding.message
    return findings


@st.composite
def mutated(draw):
    data = bytearray(SEED)
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = draw(
            st.sampled_from(
                [
                    b"\t",
                    b":",
                    b"- ",
                    b"[",
                    b"{",
                    b"&a ",
                    b"*a",
                    b"!!",
                    b"\n",
                    b"  ",
                    b"'",
                    b'"',
                    b"#",
                    b"---\n",
                    b"\xff",
                    b"\x00",
                    b"2025-02-30",
                    b"~",
                    b"?",
                ]
            )
            | st.binary(max_size=4)
        )
        if action == "insert":
            data[position:position] = chunk
        elif action == "delete":
            del data[position : position + len(chunk)]
        else:
            data[position : position + len(chunk)] = chunk
    return bytes(data)


@FUZZ
@given(raw=mutated())
def test_mutated_records_never_crash(tmp_path_factory, raw):
    root = write_kb(tmp_path_factory.mktemp("kb"), {})
    check_bytes(root, raw)


ids = st.sampled_from(["mohsin-naqvi", "donald-blome", "donald-bloom", "pk-interior", "nobody", "x"])
dates = st.one_of(
    st.sampled_from(
        ["2024", "2024-07", "2024-07-13", "2024-07-13~", "2024-07?", "2025-02-30", "2024-13", "1999-12-31"]
    ),
    st.integers(1000, 9999),
)
countries = st.sampled_from(["PK", "US", "GB", "UK", "NO", "ZZ"])
status = st.sampled_from(["held", "planned", "cancelled", "open", "hold"])
outcome_status = st.sampled_from(["open", "in-progress", "fulfilled", "lapsed", "superseded"])


@st.composite
def meetings(draw):
    outcomes = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "id": st.sampled_from(["a", "b"]),
                    "kind": st.sampled_from(["commitment", "agreement"]),
                    "text": st.text(min_size=1, max_size=20),
                    "status": outcome_status,
                },
                optional={
                    "due": dates,
                    "by": st.lists(st.one_of(ids, countries), max_size=2),
                    "owner": ids,
                    "follows_up": st.sampled_from(["2024-07-13-naqvi-blome#dialogue", "x#y"]),
                    "updates": st.lists(st.fixed_dictionaries({"date": dates, "status": outcome_status}), max_size=2),
                },
            ),
            max_size=3,
        )
    )
    return draw(
        st.fixed_dictionaries(
            {
                "id": st.just("2024-07-13-naqvi-blome"),
                "title": st.text(min_size=1, max_size=30),
                "date": dates,
                "status": status,
                "participants": st.lists(
                    st.fixed_dictionaries(
                        {"side": countries},
                        optional={"person": ids, "org": ids, "title": st.text(min_size=1, max_size=20)},
                    ),
                    min_size=1,
                    max_size=4,
                ),
                "sources": st.lists(
                    st.fixed_dictionaries(
                        {}, optional={"url": st.just("https://example.org/x"), "published": dates, "retrieved": dates}
                    ),
                    min_size=1,
                    max_size=3,
                ),
            },
            optional={
                "end_date": dates,
                "topics": st.lists(st.sampled_from(["counter-narcotics", "anti-narcotics", "x"]), max_size=3),
                "outcomes": st.just(outcomes),
                "follows": st.lists(ids, max_size=2),
                "location": st.fixed_dictionaries({"country": countries}),
            },
        )
    )


@FUZZ
@given(record=meetings())
def test_generated_records_never_crash(tmp_path_factory, record):
    root = write_kb(tmp_path_factory.mktemp("kb"), {})
    check_bytes(root, yaml.safe_dump(record, allow_unicode=True).encode())
