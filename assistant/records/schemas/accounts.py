"""Input and output shapes of accounts, stakeholders and relationship coverage."""

from __future__ import annotations

from datetime import date

from pydantic import Field, ValidationInfo, field_validator

from assistant.records.enums import DecisionRole, HealthStatus, Side, Stance
from assistant.records.schemas.common import (
    Email,
    InModel,
    LongText,
    Money,
    Name,
    OutModel,
    Rating,
    RecordRef,
    ShortText,
)


def _not_before(value: date | None, info: ValidationInfo, start_field: str) -> date | None:
    start = info.data.get(start_field)
    if value is not None and start is not None and value < start:
        raise ValueError(f"must not be before {start_field} ({start.isoformat()})")
    return value


class AccountIn(InModel):
    name: Name
    industry: Name
    external_id: ShortText | None = None
    segment: ShortText | None = None
    tier: int = Field(default=1, ge=1, le=3)
    description: LongText | None = None
    annual_revenue: Money = 0
    gross_profit: float | None = Field(default=None, ge=-1e13, le=1e13)
    growth_potential: Rating = 3
    willingness_to_partner: Rating = 3
    global_reach: Rating = 3
    best_practice_sharing: Rating = 3
    mutual_agreement: bool = False
    contract_start: date | None = None
    contract_end: date | None = None
    owner_id: RecordRef | None = Field(default=None, description="defaults to the acting user")
    executive_sponsor: ShortText | None = None

    @field_validator("contract_end")
    @classmethod
    def _end_after_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _not_before(value, info, "contract_start")


class AccountUpdate(InModel):
    """Partial update: only the fields sent are changed. Cross-field rules are checked after merging."""

    name: Name | None = None
    industry: Name | None = None
    external_id: ShortText | None = None
    segment: ShortText | None = None
    tier: int | None = Field(default=None, ge=1, le=3)
    description: LongText | None = None
    annual_revenue: Money | None = None
    gross_profit: float | None = Field(default=None, ge=-1e13, le=1e13)
    growth_potential: Rating | None = None
    willingness_to_partner: Rating | None = None
    global_reach: Rating | None = None
    best_practice_sharing: Rating | None = None
    mutual_agreement: bool | None = None
    contract_start: date | None = None
    contract_end: date | None = None
    owner_id: RecordRef | None = None
    executive_sponsor: ShortText | None = None


class AccountOut(OutModel):
    id: int
    name: str
    external_id: str | None
    industry: str
    segment: str | None
    tier: int
    description: str | None
    annual_revenue: float
    gross_profit: float | None
    growth_potential: int
    willingness_to_partner: int
    global_reach: int
    best_practice_sharing: int
    mutual_agreement: bool
    contract_start: date | None
    contract_end: date | None
    owner_id: int
    executive_sponsor: str | None


class AccountSummary(OutModel):
    """One row of the portfolio list."""

    id: int
    name: str
    industry: str
    tier: int
    owner_name: str
    annual_revenue: float
    gross_profit: float | None
    growth_potential: int
    contract_end: date | None
    mutual_agreement: bool
    latest_health: HealthStatus | None = None
    latest_health_on: date | None = None


class StakeholderIn(InModel):
    name: Name
    title: ShortText | None = None
    side: Side = Side.CLIENT
    external_id: ShortText | None = None
    department: ShortText | None = None
    email: Email | None = None
    decision_role: DecisionRole | None = None
    power: Rating = 3
    interest: Rating = 3
    stance: Stance = Stance.NEUTRAL
    last_contact_on: date | None = None
    owner_id: RecordRef | None = Field(default=None, description="supplier-side stakeholder who owns the relationship")
    is_active: bool = True
    joined_on: date | None = None
    left_on: date | None = None
    replaced_by_id: RecordRef | None = None

    @field_validator("left_on")
    @classmethod
    def _left_after_joined(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _not_before(value, info, "joined_on")


class StakeholderUpdate(InModel):
    name: Name | None = None
    title: ShortText | None = None
    external_id: ShortText | None = None
    department: ShortText | None = None
    email: Email | None = None
    decision_role: DecisionRole | None = None
    power: Rating | None = None
    interest: Rating | None = None
    stance: Stance | None = None
    last_contact_on: date | None = None
    owner_id: RecordRef | None = None
    is_active: bool | None = None
    joined_on: date | None = None
    left_on: date | None = None
    replaced_by_id: RecordRef | None = None


class StakeholderOut(OutModel):
    id: int
    account_id: int
    external_id: str | None
    name: str
    title: str | None
    side: Side
    department: str | None
    email: str | None
    decision_role: DecisionRole | None
    power: int
    interest: int
    stance: Stance
    last_contact_on: date | None
    owner_id: int | None
    owner_name: str | None = None
    is_active: bool
    joined_on: date | None
    left_on: date | None
    replaced_by_id: int | None


class StanceChangeOut(OutModel):
    stakeholder_id: int
    stance: Stance
    effective_on: date


class CoverageIn(InModel):
    team_member_id: RecordRef
    stakeholder_id: RecordRef
    access: Rating
    influence: Rating
    support: Rating
    started_on: date | None = None
    ended_on: date | None = None

    @field_validator("ended_on")
    @classmethod
    def _ended_after_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _not_before(value, info, "started_on")


class CoverageOut(OutModel):
    id: int
    account_id: int
    team_member_id: int
    team_member_name: str
    stakeholder_id: int
    stakeholder_name: str
    access: int
    influence: int
    support: int
    started_on: date | None
    ended_on: date | None
