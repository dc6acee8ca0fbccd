"""Input and output shapes of partnership charters, success metrics and readings."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from assistant.records.enums import CharterStatus, MetricDirection, Side
from assistant.records.schemas.common import InModel, LongText, Name, OutModel, RecordRef, ShortText

MetricKey = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9_]{0,79}$")]
Period = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2])|-H[12])?$")]


class MetricIn(InModel):
    key: MetricKey
    name: Name
    unit: ShortText = ""
    direction: MetricDirection = MetricDirection.HIGHER_IS_BETTER
    description: LongText | None = None


class MetricOut(OutModel):
    id: int
    account_id: int
    key: str
    name: str
    unit: str
    direction: MetricDirection
    description: str | None


class ReadingIn(InModel):
    period: Period = Field(description="2026-Q3, 2026-07, 2026-H2 or 2026")
    period_end: date
    value: float = Field(allow_inf_nan=False)
    source: ShortText = ""


class ReadingOut(OutModel):
    id: int
    metric_id: int
    period: str
    period_end: date
    value: float
    source: str


class Commitment(InModel):
    party: Side
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2_000)]


class KeyPlayer(InModel):
    name: Name
    side: Side
    role: ShortText = ""


class TargetIn(InModel):
    metric_key: MetricKey
    target: float = Field(allow_inf_nan=False)


class CharterIn(InModel):
    """The content of a charter version. Status, version number and approvals are the service's business."""

    purpose: LongText = ""
    values: LongText = ""
    vision: LongText = ""
    mission: LongText = ""
    customer_win: LongText = ""
    supplier_win: LongText = ""
    commitments: list[Commitment] = Field(default_factory=list, max_length=100)
    key_players: list[KeyPlayer] = Field(default_factory=list, max_length=100)
    governance_cadence: ShortText = ""
    governance_agenda: LongText = ""
    effective_on: date | None = None
    next_review_due: date | None = None
    targets: list[TargetIn] = Field(default_factory=list, max_length=100)
    signatory_ids: list[RecordRef] = Field(default_factory=list, max_length=20)
    change_reason: LongText | None = None

    @field_validator("targets")
    @classmethod
    def _one_target_per_metric(cls, value: list[TargetIn]) -> list[TargetIn]:
        keys = [t.metric_key for t in value]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"metric listed twice: {', '.join(duplicates)}")
        return value


class TargetOut(OutModel):
    metric_id: int
    metric_key: str
    metric_name: str
    unit: str
    direction: MetricDirection
    target: float


class SignatoryOut(OutModel):
    stakeholder_id: int
    name: str
    title: str | None
    side: Side
    approved_on: date | None


class CharterOut(OutModel):
    id: int
    account_id: int
    version: int
    status: CharterStatus
    purpose: str
    values: str
    vision: str
    mission: str
    customer_win: str
    supplier_win: str
    commitments: list[Commitment]
    key_players: list[KeyPlayer]
    governance_cadence: str
    governance_agenda: str
    effective_on: date | None
    next_review_due: date | None
    parent_id: int | None
    change_reason: str | None
    created_by: str
    targets: list[TargetOut]
    signatories: list[SignatoryOut]


class ClauseChange(OutModel):
    clause: str
    change: Literal["added", "removed", "changed"]
    before: str | None
    after: str | None


class CharterDiff(OutModel):
    account_id: int
    from_version: int
    to_version: int
    changes: list[ClauseChange]
