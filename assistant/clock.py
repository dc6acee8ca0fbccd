"""The one place that decides what "today" is, so dates are local and tests can pass their own."""

from __future__ import annotations

from datetime import date, datetime


def today() -> date:
    return datetime.now().astimezone().date()
