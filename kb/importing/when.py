"""When a meeting happened, and when a commitment falls due, as precisely as the text says.

A weekday ("on Saturday") becomes a day only against the publication date, and a text with no
date at all gives only the month of publication, marked approximate. Nothing is made more
precise than its evidence.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from kb.model import dates
from kb.model.dates import PartialDate, from_text

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_FULL_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{4}}-\d{{2}}-\d{{2}})\b"
)
# A press release's or a wire report's date line, alone on its line or before the text:
# 'London: August 13, 2024', 'ISLAMABAD, Aug 13 (Reuters) -', '13 August 2024 –',
# 'Islamabad (13 August 2024):'. The place is optional; a separator or the line's end must follow.
_LINE_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?(?:\s+\d{{4}})?)"
)
_DATE_LINE = re.compile(
    rf"(?:(?P<place>[A-Z][\w’'.\- ]{{1,40}}?)\s*(?:[:,]\s*|\(\s*(?={_LINE_DATE}\s*\))))?"
    rf"(?P<date>{_LINE_DATE})\)?\s*(?:\((?P<agency>[\w .&/-]{{1,30}})\))?"
    r"(?:\s*$|\s*[:—–]\s*|\s+--?\s*|\s*,\s*$)"
)


def date_line(line: str) -> tuple[str | None, str, int] | None:
    """(place or None, date text, length) when ``line`` opens with a date line and, unless the
    line holds nothing else, a separator (':', a dash) after it."""
    match = _DATE_LINE.match(line.strip())
    if not match:
        return None
    place = match.group("place")
    if place and any(ch.isdigit() for ch in place):
        return None
    return (place.strip() if place else None), match.group("date"), match.end()


_MONTH_YEAR = re.compile(rf"\b(?:in\s+)?(?:early\s+|mid-?\s*|late\s+)?({_MONTH})\s+(\d{{4}})\b")
_WEEKDAY = re.compile(r"\b(?:on\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_RELATIVE_DAY = re.compile(r"\b(yesterday|today|earlier today|this morning|this evening|tonight)\b", re.I)
# Words of a sentence that reports the meeting itself.
MEETING_WORDS = re.compile(
    r"\b(met|meet|meets|meeting|called on|call on|talks|discuss\w*|held|hosted|visit\w*|received)\b", re.I
)


@dataclass
class Found:
    date: PartialDate | None
    evidence: str  # what the text says, quoted
    note: str  # how it was read, for the person who confirms it
    certain: bool  # explicit in the text; otherwise a person must confirm it


def meeting_date(sentences: list[str], dateline_date: str | None, published: dt.date | None) -> Found:  # noqa: C901 -- the date sources in order of trust, first hit wins; reads as the list it is
    """The date of the meeting an article reports."""
    if dateline_date:
        day = _parse_day(dateline_date, published)
        if day:
            return Found(
                PartialDate(day.year, day.month, day.day),
                dateline_date,
                "from the dateline",
                published is not None or _has_year(dateline_date),
            )
    for sentence in sentences:
        if not MEETING_WORDS.search(sentence):
            continue
        for full in _FULL_DATE.finditer(sentence):
            day = _parse_day(full.group(), published)
            if day and (published is None or day <= published):
                certain = _has_year(full.group())
                note = (
                    "stated in the text" if certain else f"no year given; read as {day.year} from the publication date"
                )
                return Found(PartialDate(day.year, day.month, day.day), full.group(), note, certain)
        match = _WEEKDAY.search(sentence)
        if match:
            weekday = WEEKDAYS[match.group(1).lower()]
            if published is None:
                return Found(None, match.group(), "a weekday; pass --published DATE to place it", False)
            day = published - dt.timedelta(days=(published.weekday() - weekday) % 7)
            return Found(
                PartialDate(day.year, day.month, day.day),
                match.group(),
                f"read as {day.isoformat()}, the {match.group(1)} on or before publication ({published.isoformat()})",
                False,
            )
        match = _RELATIVE_DAY.search(sentence)
        if match:
            if published is None:
                return Found(None, match.group(), "relative to publication; pass --published DATE", False)
            day = published - dt.timedelta(days=1 if match.group(1).lower() == "yesterday" else 0)
            return Found(
                PartialDate(day.year, day.month, day.day),
                match.group(),
                f"read as {day.isoformat()} from the publication date ({published.isoformat()})",
                False,
            )
        match = _MONTH_YEAR.search(sentence)
        if match:
            month = MONTHS[match.group(1).lower().rstrip(".")]
            return Found(PartialDate(int(match.group(2)), month), match.group(), "only the month is stated", True)
    if published:
        return Found(
            PartialDate(published.year, published.month, qualifier="~"),
            "",
            f"the article gives no date; about the month of publication ({published.isoformat()})",
            False,
        )
    return Found(None, "", "the article gives no date and no --published date was given", False)


def without_dates(text: str) -> str:
    """``text`` with each written day ('August 13, 2024', '13 July') blanked out."""
    return _FULL_DATE.sub(lambda match: " " * len(match.group()), text)


def _has_year(text: str) -> bool:
    return bool(re.search(r"\d{4}", text))


def _parse_day(text: str, published: dt.date | None) -> dt.date | None:
    """A written day ('13 July 2024', 'July 13th', '2024-07-13'); without a year, the latest
    such day on or before publication."""
    reference = published or dates.today()
    found = from_text(text, year=reference.year, fuzzy=True)
    if found is None:
        return None
    parsed = found.earliest()
    if not _has_year(text) and parsed > reference:
        try:
            parsed = parsed.replace(year=parsed.year - 1)
        except ValueError:
            return None
    if not _has_year(text) and published is None:
        return None  # a day without a year and nothing to place it against
    return parsed


_DUE_MONTH = re.compile(
    rf"\b(?:in|by|during|before|until|from|early|late|mid-?|end of)\s+(?:early\s+|mid-?\s*|late\s+|the end of\s+)?({_MONTH})(?:\s+(\d{{4}}))?(?!\s+\d{{1,2}}\b)"
)
_DUE_YEAR = re.compile(r"\b(?:in|by|during|before)\s+(?:early\s+|late\s+|the end of\s+)?(\d{4})\b")
_DUE_NEXT = re.compile(r"\bnext (month|year)\b", re.I)
_DUE_THIS_YEAR = re.compile(r"\b(?:by the end of (?:the|this) year|this year|later this year)\b", re.I)
_NO_DATE = re.compile(
    r"\b(soon|shortly|in the near future|in the coming (?:days|weeks|months)|at an early date|"
    r"without delay|going forward)\b",
    re.I,
)


def due_date(sentence: str, meeting: PartialDate | None) -> tuple[PartialDate | None, str]:
    """The due date a commitment states, and a note on how it was read. 'in October' is the next
    October on or after the meeting's month; 'soon' or 'shortly' has no due date, and says so."""
    match = _DUE_MONTH.search(sentence)
    if match:
        month = MONTHS[match.group(1).lower().rstrip(".")]
        if match.group(2):
            return PartialDate(int(match.group(2)), month), f"'{match.group().strip()}'"
        if meeting is None:
            return None, f"'{match.group().strip()}' has no year and the meeting has no date"
        year = meeting.year if (meeting.month or 1) <= month else meeting.year + 1
        return (
            PartialDate(year, month),
            f"'{match.group().strip().rstrip('.')}' read as {year}-{month:02d}, the next {calendar.month_name[month]} after the meeting",
        )
    match = _DUE_YEAR.search(sentence)
    if match and (meeting is None or int(match.group(1)) >= meeting.year):
        return PartialDate(int(match.group(1))), f"'{match.group().strip()}'"
    if meeting is not None:
        match = _DUE_NEXT.search(sentence)
        if match and meeting.month:
            if match.group(1).lower() == "year":
                return PartialDate(meeting.year + 1), f"'{match.group()}'"
            year, month = (meeting.year, meeting.month + 1) if meeting.month < 12 else (meeting.year + 1, 1)
            return PartialDate(year, month), f"'{match.group()}' read as {year}-{month:02d}"
        match = _DUE_THIS_YEAR.search(sentence)
        if match:
            return PartialDate(meeting.year), f"'{match.group()}'"
    match = _NO_DATE.search(sentence)
    if match:
        return None, f"'{match.group()}': no due date stated"
    return None, ""
