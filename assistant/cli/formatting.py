"""Small renderers shared by CLI commands."""

from __future__ import annotations

from datetime import date

from assistant.records.enums import HealthStatus

HEALTH_STYLE = {HealthStatus.STRONG: "green", HealthStatus.VULNERABLE: "yellow", HealthStatus.DAMAGED: "red"}


def money(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 1_000_000:
        return f"${value / 1_000_000:.1f}M"
    if abs(value) >= 1_000:
        return f"${value / 1_000:.0f}K"
    return f"${value:,.0f}"


def health(status: HealthStatus | None) -> str:
    if status is None:
        return "[dim]not assessed[/dim]"
    return f"[{HEALTH_STYLE[status]}]{status.value}[/{HEALTH_STYLE[status]}]"


def months_until(day: date | None, today: date) -> str:
    if day is None:
        return "-"
    months = (day.year - today.year) * 12 + (day.month - today.month)
    return f"{day.isoformat()} ({months:+d} mo)"
