import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.model.dates import DateError, PartialDate


def test_precision_is_kept():
    assert PartialDate.parse("2024-07").precision == "month"
    assert str(PartialDate.parse("2024-07")) == "2024-07"
    assert PartialDate.parse(2024).human() == "2024"
    assert PartialDate.parse("2024-07-13~").human() == "about 13 July 2024"
    assert PartialDate.parse("2024-07?").human() == "July 2024 (uncertain)"


@pytest.mark.parametrize("bad", ["2025-02-30", "2024-13", "2024-00-10", "24-07-13", "July 2024", "", None, [2024]])
def test_bad_dates(bad):
    with pytest.raises(DateError):
        PartialDate.parse(bad)


def test_leap_day():
    assert PartialDate.parse("2024-02-29").latest() == dt.date(2024, 2, 29)


def test_partial_dates_sort_after_the_days_they_contain():
    days = ["2024-07", "2024-07-31", "2024", "2024-06-01"]
    ordered = sorted(days, key=lambda d: PartialDate.parse(d).sort_key())
    assert ordered == ["2024-06-01", "2024-07-31", "2024-07", "2024"]


def test_ranges():
    month = PartialDate.parse("2024-10")
    assert month.earliest() == dt.date(2024, 10, 1) and month.latest() == dt.date(2024, 10, 31)
    assert PartialDate.parse("2024-06").certainly_before(PartialDate.parse("2024-07-13"))
    assert not PartialDate.parse("2024-07").certainly_before(PartialDate.parse("2024-07-13"))


@given(
    st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from(["day", "month", "year"]),
    st.sampled_from(["", "~", "?"]),
)
def test_text_round_trip(day, precision, qualifier):
    text = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[precision] + qualifier
    parsed = PartialDate.parse(text)
    assert str(parsed) == text
    assert parsed.contains(day)


@pytest.mark.parametrize(
    ("text", "kwargs", "expected"),
    [
        ("13 July 2024", {}, "2024-07-13"),
        ("August 13, 2024", {}, "2024-08-13"),
        ("August 2024", {}, "2024-08"),
        ("13/07/2024", {"dayfirst": True}, "2024-07-13"),
        ("07/13/2024", {}, "2024-07-13"),
        ("ISLAMABAD, July 13", {"year": 2024, "fuzzy": True}, "2024-07-13"),
        ("no date here", {}, None),
    ],
)
def test_free_text_dates_are_read_into_partial_dates_no_more_precise_than_written(text, kwargs, expected):
    from kb.model.dates import from_text

    found = from_text(text, **kwargs)
    assert (str(found) if found else None) == expected


# Each command's date option, with the rest of a command line that would otherwise run.
DATE_OPTIONS = [
    ["timeline", "mohsin-naqvi", "--since", "{}"],
    ["brief", "mohsin-naqvi", "--as-of", "{}"],
    ["list", "meetings", "--since", "{}"],
    ["new", "meeting", "--with", "mohsin-naqvi", "--date", "{}"],
    ["new", "person", "--name", "A Person", "--start", "{}"],
]


@pytest.mark.parametrize("command", DATE_OPTIONS, ids=lambda c: " ".join(c[:2]))
def test_every_date_option_is_read_by_the_one_parser(make_kb, run_kb, command):
    root = make_kb()
    option = command[-2]
    for bad, reason in [
        ("2025-02-30", "'2025-02-30' does not exist: February 2025 has 28 days"),
        (
            "13 July 2024",
            "'13 July 2024' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD, adding ~ when approximate or ? when uncertain",
        ),
    ]:
        result = run_kb(*[part.format(bad) for part in command], kb=root)
        assert result.exit_code == 2, result.output
        assert f"{option}: {reason}" in " ".join(result.output.split())
