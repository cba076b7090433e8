"""Dates with the precision a source supports.

Records write dates in a subset of ISO 8601-2 (EDTF level 1): ``2024``, ``2024-07`` or
``2024-07-13``, optionally followed by ``~`` (approximate) or ``?`` (uncertain). A date is
never more precise than what was written: ``2024-07`` stays a month everywhere it is shown.
The subset is small enough that a dependency would cost more than it saves.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from dataclasses import dataclass

from kb.errors import KBError

PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?[~?]?$"
_RE = re.compile(PATTERN)
_MONTHS = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


_DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

_PARSED: dict = {}
_PARSED_LIMIT = 200_000


class DateError(KBError, ValueError):
    """A date that does not follow the record format or does not exist."""


@dataclass(frozen=True, order=False, slots=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    qualifier: str = ""  # "", "~" approximate, "?" uncertain

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        if isinstance(value, str):
            # Checks parse the same few thousand dates again and again: remember them.
            known = _PARSED.get(value)
            if known is None:
                known = cls._parse(value)
                if len(_PARSED) >= _PARSED_LIMIT:
                    _PARSED.clear()
                _PARSED[value] = known
            return known
        return cls._parse(value)

    @classmethod
    def _parse(cls, value: object) -> PartialDate:
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not _RE.match(value):
            raise DateError(
                f"{value!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD, "
                "adding ~ when approximate or ? when uncertain"
            )
        qualifier = value[-1] if value[-1] in "~?" else ""
        # The pattern matched: the year is the first four digits, then two for each of month and day.
        size = len(value) - len(qualifier)
        year = int(value[:4])
        month = int(value[5:7]) if size > 4 else None
        day = int(value[8:10]) if size > 7 else None
        if year == 0:
            raise DateError(f"{value!r} has year 0000; years run from 0001 to 9999")
        if month is not None and not 1 <= month <= 12:
            raise DateError(f"{value!r} has month {month:02d}; months run from 01 to 12")
        if day is not None and month is not None:  # a day always comes with its month
            last = 29 if month == 2 and calendar.isleap(year) else _DAYS_IN_MONTH[month]
            if not 1 <= day <= last:
                raise DateError(f"{value!r} does not exist: {_MONTHS[month]} {year} has {last} days")
        return cls(year, month, day, qualifier)

    @classmethod
    def try_parse(cls, value: object) -> PartialDate | None:
        try:
            return cls.parse(value)
        except DateError:
            return None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def approximate(self) -> bool:
        return self.qualifier == "~"

    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def sort_key(self) -> tuple:
        """Partial dates sort after the precise dates they contain: July 2024 follows 13 July 2024,
        because an event known only to the month may be any day in it."""
        return (self.year, self.month or 13, self.day or 32)

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text + self.qualifier

    def human(self) -> str:
        """For prose: '13 July 2024', 'July 2024', '2024', 'about July 2024', 'July 2024 (uncertain)'."""
        if self.day and self.month:
            text = f"{self.day} {_MONTHS[self.month]} {self.year}"
        elif self.month:
            text = f"{_MONTHS[self.month]} {self.year}"
        else:
            text = str(self.year)
        if self.qualifier == "~":
            return "about " + text
        if self.qualifier == "?":
            return text + " (uncertain)"
        return text

    def contains(self, day: dt.date) -> bool:
        return self.earliest() <= day <= self.latest()

    def certainly_before(self, other: PartialDate) -> bool:
        return self.latest() < other.earliest()

    def certainly_after_day(self, day: dt.date) -> bool:
        return self.earliest() > day

    def certainly_on_or_before_day(self, day: dt.date) -> bool:
        return self.latest() <= day


def from_option(value: str, option: str) -> PartialDate:
    """A date a user typed for ``option`` (``--date``, ``--since``...): the record format, or a
    DateError that names the option. Every command reads dates through here, as records do."""
    try:
        return PartialDate.parse(value.strip())
    except DateError as error:
        raise DateError(f"{option}: {error}") from None


TODAY_ENV = "KB_TODAY"


def today() -> dt.date:
    """What day it is, for every command, check, view, page and export: ``KB_TODAY`` when set (a
    date as for an option: YYYY-MM-DD, or a month or year meaning its first day), else the clock.
    An option that names the day (``--today``, ``--on``) goes before it, in the command. The one
    place kb reads the date from the clock (a test scans for any other)."""
    value = os.environ.get(TODAY_ENV, "").strip()
    if not value:
        return dt.date.today()
    return from_option(value, TODAY_ENV).earliest()


_WRITTEN_DAY = re.compile(r"\b\d{1,2}(st|nd|rd|th)?\b")


def from_text(text: str, *, year: int = 1, dayfirst: bool = False, fuzzy: bool = False) -> PartialDate | None:
    """A date as people write it in articles and spreadsheets ('13 July 2024', 'July 13th',
    '13/07/2024', 'August 2024'), no more precise than the text: a month when it writes no day.
    ``year`` stands in when the text gives none; ``fuzzy`` skips words around the date. None when
    the text holds no date. Importers read free text through here, never dateutil themselves."""
    from dateutil import parser

    try:
        day = parser.parse(text, default=dt.datetime(year, 1, 1), dayfirst=dayfirst, fuzzy=fuzzy).date()
    except (ValueError, OverflowError):
        return None
    if not _WRITTEN_DAY.search(re.sub(r"\b\d{4}\b", "", text)):
        return PartialDate(day.year, day.month)
    return PartialDate(day.year, day.month, day.day)


# --- spans: "30d", "6w", "6m", "1y" (kb.yaml's cadence and stale_after, kb due's --within) ---------

SPAN_PATTERN = r"^[1-9][0-9]{0,3}[dwmy]$"
_SPAN = re.compile(r"^([1-9][0-9]{0,3})([dwmy])$")


def span(text: object) -> tuple[int, str] | None:
    """'30d', '6w', '6m', '1y' -> (30, 'd'); None for anything else."""
    found = _SPAN.match(text.strip()) if isinstance(text, str) else None
    return (int(found.group(1)), found.group(2)) if found else None


def add_span(day: dt.date, length: tuple[int, str]) -> dt.date:
    """The day ``length`` after ``day``; a month later than 31 January is the last of February.
    A day past the calendar's end (9999-12-31) is its end: no date comes after it."""
    number, unit = length
    if unit in "dw":
        days = number * (7 if unit == "w" else 1)
        return day + dt.timedelta(days=days) if days <= (dt.date.max - day).days else dt.date.max
    months = number * (12 if unit == "y" else 1)
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    if year > dt.MAXYEAR:
        return dt.date.max
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
