"""Evidence references: every account claim points to a record, every coaching claim to a passage.

A `Citation` is what the user can click (and what the eval suite checks): the kind and id of the source, a
short label, the date for dated records, the account it belongs to (so a citation outside the account in
scope is detectable), and an excerpt of the supporting text.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

from pydantic import BaseModel, Field


class SourceKind(StrEnum):
    NOTE = "note"
    METRIC_READING = "metric_reading"
    STAKEHOLDER = "stakeholder"
    CHARTER = "charter"
    ASSESSMENT = "assessment"
    ACTION = "action"
    OPPORTUNITY = "opportunity"
    ACCOUNT = "account"
    CURRICULUM = "curriculum"
    DOCUMENT = "document"


# Records that belong to one account; curriculum and documents belong to none.
ACCOUNT_KINDS = frozenset(
    {
        SourceKind.NOTE,
        SourceKind.METRIC_READING,
        SourceKind.STAKEHOLDER,
        SourceKind.CHARTER,
        SourceKind.ASSESSMENT,
        SourceKind.ACTION,
        SourceKind.OPPORTUNITY,
        SourceKind.ACCOUNT,
    }
)

REF_PATTERN = re.compile(r"\[((?:" + "|".join(k.value for k in SourceKind) + r"):[^\]\s]+)\]")


class Citation(BaseModel):
    kind: SourceKind
    id: str = Field(description="record id, or curriculum id such as key-03-strategic-relationships")
    label: str
    date: dt.date | None = None
    account_id: int | None = None
    section: str | None = None
    excerpt: str | None = Field(default=None, description="the text that supports the claim")

    @property
    def ref(self) -> str:
        """The token a model writes to cite this source, e.g. `note:123`."""
        return f"{self.kind.value}:{self.id}"

    @property
    def is_account_record(self) -> bool:
        return self.kind in ACCOUNT_KINDS


class Claim(BaseModel):
    """One sentence and the evidence behind it."""

    text: str
    citations: list[Citation] = Field(default_factory=list)

    def markdown(self) -> str:
        refs = " ".join(f"[{c.label}]" for c in self.citations)
        return f"{self.text} {refs}".strip()


def refs_in(text: str) -> list[str]:
    """Every `[kind:id]` token cited in model-written text, in order."""
    return REF_PATTERN.findall(text)
