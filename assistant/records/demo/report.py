"""What a run of the demo loader did, for the CLI and for tests."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from pydantic import BaseModel, Field


class AccountCounts(BaseModel):
    stakeholders: int = 0
    coverage: int = 0
    metrics: int = 0
    readings: int = 0
    charter_versions: int = 0
    notes: int = 0
    assessments: int = 0
    actions: int = 0
    opportunities: int = 0


class DemoReport(BaseModel):
    """What one run of the loader did. `created_nothing` is true on a re-run over a complete demo."""

    today: date
    users_created: list[str] = Field(default_factory=list)
    users_existing: list[str] = Field(default_factory=list)
    accounts_created: list[str] = Field(default_factory=list)
    accounts_skipped: list[str] = Field(default_factory=list)
    # Half-loaded by an interrupted run: deleted and loaded again (they also appear in accounts_created).
    accounts_reloaded: list[str] = Field(default_factory=list)
    counts: dict[str, AccountCounts] = Field(default_factory=dict)
    messages: list[str] = Field(default_factory=list)

    @property
    def created_nothing(self) -> bool:
        return not self.users_created and not self.accounts_created

    def totals(self) -> AccountCounts:
        summed: defaultdict[str, int] = defaultdict(int)
        for counts in self.counts.values():
            for name, value in counts.model_dump().items():
                summed[name] += value
        return AccountCounts(**summed)

    def summary(self) -> str:
        """A short human-readable account of the run, for the CLI."""
        return "\n".join(self._lines())

    def _lines(self) -> list[str]:
        if self.created_nothing:
            return ["The demo portfolio is already loaded; nothing was created.", *self.messages]
        out = [f"Demo portfolio loaded as of {self.today.isoformat()}."]
        if self.users_created:
            out.append(f"Users created: {', '.join(self.users_created)}")
        for name, counts in self.counts.items():
            parts = ", ".join(f"{value} {label.replace('_', ' ')}" for label, value in counts.model_dump().items())
            out.append(f"{name}: {parts}")
        if self.accounts_skipped:
            out.append(f"Already present, left as they were: {', '.join(self.accounts_skipped)}")
        return out + self.messages
