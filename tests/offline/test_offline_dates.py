"""Dates as people type them, resolved against a fixed Monday."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.offline.dates import find_date, find_dates

MONDAY = date(2025, 11, 24)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the meeting is tomorrow", date(2025, 11, 25)),
        ("we spoke yesterday", date(2025, 11, 23)),
        ("today", MONDAY),
        ("next Tuesday", date(2025, 12, 2)),
        ("on Tuesday", date(2025, 11, 25)),
        ("by Friday", date(2025, 11, 28)),
        ("this Monday", MONDAY),
        ("last Tuesday", date(2025, 11, 18)),
        ("on 3 December", date(2025, 12, 3)),
        ("December 3rd", date(2025, 12, 3)),
        ("3rd of Dec 2026", date(2026, 12, 3)),
        ("on 3 November", date(2025, 11, 3)),
        ("due 2026-01-15", date(2026, 1, 15)),
        ("in two weeks", date(2025, 12, 8)),
        ("3 days ago", date(2025, 11, 21)),
        ("next week", date(2025, 12, 1)),
        ("next month", date(2025, 12, 1)),
        ("end of month", date(2025, 11, 30)),
        ("by the end of next month", date(2025, 12, 31)),
        ("by the 15th", date(2025, 12, 15)),
    ],
)
def test_date_phrases_resolve_against_today(text: str, expected: date) -> None:
    assert find_date(text, MONDAY) == expected


@pytest.mark.parametrize(
    "text",
    ["patient satisfaction is down", "the monthly review", "a sunny site visit", "we may renew", "wed to the plan"],
)
def test_words_that_merely_look_like_dates_are_not_dates(text: str) -> None:
    assert find_dates(text, MONDAY) == []


def test_several_dates_come_back_in_order_of_mention() -> None:
    found = find_dates("moved from 3 December to next Tuesday", MONDAY)
    assert [d.value for d in found] == [date(2025, 12, 3), date(2025, 12, 2)]
    assert [d.text for d in found] == ["3 December", "next Tuesday"]
