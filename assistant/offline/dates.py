"""Dates as people type them ("tomorrow", "next Tuesday", "on 3 December", "2025-12-03"), resolved against today.

Conventions, chosen to match how account managers schedule:
- a bare weekday ("Tuesday", "on Friday", "by Friday") is the next such day after today ("this Friday" may be
  today); "next Tuesday" is the Tuesday of next calendar week;
- a day and month without a year is the nearest such date to today (so "3 December" in late November is next
  week, and "3 November" in late November is three weeks ago);
- "next week" is Monday of next week, "next month" the first of next month, "end of (the) month" its last day.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
_WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thur?s?|fri|sat|sun)\b"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("iso", r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
        ("day_month", rf"\b(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}\b{_YEAR}"),
        ("month_day", rf"\b{_MONTH}\s+(?:the\s+)?{_DAY}\b{_YEAR}"),
        ("relative_day", r"\b(?P<word>day after tomorrow|today|tonight|tomorrow|yesterday)\b"),
        ("next_weekday", rf"\bnext\s+{_WEEKDAY}\b"),
        ("last_weekday", rf"\blast\s+{_WEEKDAY}\b"),
        ("this_weekday", rf"\bthis\s+{_WEEKDAY}\b"),
        ("weekday", rf"\b{_WEEKDAY}\b"),
        ("in_units", r"\bin\s+(?P<count>\d+|a|an|one|two|three|four|five|six)\s+(?P<unit>day|week|month)s?\b"),
        ("ago", r"\b(?P<count>\d+|a|an|one|two|three|four|five|six)\s+(?P<unit>day|week|month)s?\s+ago\b"),
        ("end_of_month", r"\bend\s+of\s+(?:the\s+)?(?P<which>next\s+)?month\b"),
        ("next_unit", r"\bnext\s+(?P<unit>week|month)\b"),
        ("last_unit", r"\blast\s+(?P<unit>week|month)\b"),
        ("the_nth", r"\b(?:by|on|before|due)\s+the\s+(?P<day>\d{1,2})(?:st|nd|rd|th)\b"),
    )
)
# Short weekday words that are also ordinary words never count on their own ("sat", "wed").
_AMBIGUOUS_WEEKDAY_WORDS = {"sat", "wed", "sun", "mon"}


@dataclass(frozen=True)
class DateMention:
    value: date
    start: int
    end: int
    text: str


def find_dates(text: str, today: date) -> list[DateMention]:
    """Every date mentioned in `text`, in order of appearance; overlapping phrases count once."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for name, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            value = _resolve(name, match, today)
            if value is None:
                continue
            taken.append((match.start(), match.end()))
            found.append(DateMention(value, match.start(), match.end(), match.group(0)))
    return sorted(found, key=lambda mention: mention.start)


def find_date(text: str, today: date) -> date | None:
    found = find_dates(text, today)
    return found[0].value if found else None


def _resolve(name: str, match: re.Match[str], today: date) -> date | None:
    groups = match.groupdict()
    if name == "iso":
        return _safe_date(int(groups["year"]), int(groups["month"]), int(groups["day"]))
    if name in ("day_month", "month_day"):
        month = _month_number(groups["month"])
        day = int(groups["day"])
        if groups.get("year"):
            return _safe_date(int(groups["year"]), month, day)
        return _nearest(today, month, day)
    if name == "relative_day":
        offsets = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1, "day after tomorrow": 2}
        return today + timedelta(days=offsets[groups["word"].lower()])
    if name.endswith("weekday"):
        if name == "weekday" and match.group(0).lower() in _AMBIGUOUS_WEEKDAY_WORDS:
            return None
        return _weekday(name, _weekday_number(groups["weekday"]), today)
    if name in ("in_units", "ago"):
        count = _count(groups["count"])
        sign = -1 if name == "ago" else 1
        return _shift(today, groups["unit"].lower(), sign * count)
    if name in ("next_unit", "last_unit"):
        sign = 1 if name == "next_unit" else -1
        if groups["unit"].lower() == "week":
            return today - timedelta(days=today.weekday()) + timedelta(weeks=sign)
        first = _add_months(today.replace(day=1), sign)
        return first
    if name == "end_of_month":
        base = _add_months(today.replace(day=1), 1 if groups.get("which") else 0)
        return base.replace(day=monthrange(base.year, base.month)[1])
    if name == "the_nth":
        day = int(groups["day"])
        candidate = _safe_date(today.year, today.month, day)
        if candidate is None or candidate < today:
            following = _add_months(today.replace(day=1), 1)
            candidate = _safe_date(following.year, following.month, day)
        return candidate
    return None


def _weekday(kind: str, weekday: int, today: date) -> date:
    ahead = (weekday - today.weekday()) % 7
    if kind == "next_weekday":
        monday_next_week = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
        return monday_next_week + timedelta(days=weekday)
    if kind == "last_weekday":
        behind = (today.weekday() - weekday) % 7 or 7
        return today - timedelta(days=behind)
    if kind == "this_weekday":
        return today + timedelta(days=ahead)
    return today + timedelta(days=ahead or 7)


def _nearest(today: date, month: int, day: int) -> date | None:
    candidates = [d for d in (_safe_date(today.year + k, month, day) for k in (-1, 0, 1)) if d is not None]
    return min(candidates, key=lambda d: abs((d - today).days)) if candidates else None


def _shift(today: date, unit: str, count: int) -> date:
    if unit == "day":
        return today + timedelta(days=count)
    if unit == "week":
        return today + timedelta(weeks=count)
    shifted = _add_months(today.replace(day=1), count)
    return shifted.replace(day=min(today.day, monthrange(shifted.year, shifted.month)[1]))


def _add_months(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_number(word: str) -> int:
    prefix = word.lower()[:3]
    return next(number for number, month in enumerate(MONTHS, start=1) if month.startswith(prefix))


def _weekday_number(word: str) -> int:
    prefix = word.lower()[:3]
    return next(number for number, day in enumerate(WEEKDAYS) if day.startswith(prefix))


def _count(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]
