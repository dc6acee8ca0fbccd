"""The shape of the demo data files, as pydantic models that refuse unknown fields.

Dates in the files are offsets from the day the demo is loaded ("-34d", "+610d", "today"), so the data never
goes stale; `on_day` and `last_quarters` turn them into calendar dates for a given "today".
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from assistant.records.enums import (
    ActionOrigin,
    ActionStatus,
    Assessor,
    DecisionRole,
    HealthStatus,
    MetricDirection,
    NoteKind,
    OpportunityStage,
    OpportunityType,
    Role,
    Side,
    Stance,
    Zone,
)

QUARTERS = 4

_RELATIVE = re.compile(r"^(?:today|([+-])(\d{1,5})d)$")


def _day_offset(value: Any) -> int:
    if isinstance(value, str):
        match = _RELATIVE.match(value.strip())
        if match is not None:
            sign, days = match.groups()
            return 0 if days is None else (-int(days) if sign == "-" else int(days))
    raise ValueError(f"expected a relative date such as '-34d', '+610d' or 'today', got {value!r}")


RelDay = Annotated[int, BeforeValidator(_day_offset)]
"""Days from the load date: '-34d' is 34 days ago, '+610d' is 610 days ahead."""

Rating = Annotated[int, Field(ge=1, le=5)]
Offering = Literal[
    "Valet & Mobility",
    "Food & Nutrition",
    "Facilities Management",
    "Workplace Technology",
    "Energy & Sustainability",
    "Security Services",
]


def on_day(today: date, offset: int) -> date:
    return today + timedelta(days=offset)


def last_quarters(today: date, count: int = QUARTERS) -> list[tuple[str, date]]:
    """The last `count` completed calendar quarters as (label, last day), oldest first."""
    year, quarter = today.year, (today.month - 1) // 3
    found: list[tuple[str, date]] = []
    for _ in range(count):
        quarter -= 1
        if quarter < 0:
            year, quarter = year - 1, 3
        month = 3 * quarter + 3
        found.append((f"{year}-Q{quarter + 1}", date(year, month, calendar.monthrange(year, month)[1])))
    return found[::-1]


class SpecModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class UserSpec(SpecModel):
    name: str
    email: str
    role: Role
    manager: str | None = Field(default=None, description="email of the user's manager, listed earlier")


class PeopleFile(SpecModel):
    users: list[UserSpec] = Field(min_length=1)


class AccountSpec(SpecModel):
    name: str
    industry: str
    segment: str
    tier: int = Field(ge=1, le=3)
    description: str
    annual_revenue: float = Field(ge=0)
    gross_profit: float
    growth_potential: Rating
    willingness_to_partner: Rating
    global_reach: Rating
    best_practice_sharing: Rating
    mutual_agreement: bool
    contract_start: RelDay
    contract_end: RelDay
    owner: str = Field(description="email of the SAM leader who owns the account")
    executive_sponsor: str = Field(description="our executive sponsor, by name")


class Replacement(SpecModel):
    name: str = Field(description="the stakeholder (listed earlier) whose seat this one takes")
    left: RelDay


class StakeholderChange(SpecModel):
    """A later change, made through the service so it lands in the audit trail and stance history."""

    when: RelDay
    power: Rating | None = None
    interest: Rating | None = None
    stance: Stance | None = None
    title: str | None = None


class StakeholderSpec(SpecModel):
    name: str
    title: str
    side: Side = Side.CLIENT
    department: str
    email: str | None = None
    decision_role: DecisionRole | None = None
    power: Rating = 3
    interest: Rating = 3
    stance: Stance = Stance.NEUTRAL
    last_contact: RelDay | None = None
    owner: str | None = Field(default=None, description="supplier-side stakeholder who owns the relationship")
    # Required so stance history starts on a real date rather than the day the demo happens to be loaded.
    joined: RelDay
    left: RelDay | None = None
    replaces: Replacement | None = None
    changes: list[StakeholderChange] = Field(default_factory=list)


class CoverageSpec(SpecModel):
    member: str
    stakeholder: str
    access: Rating
    influence: Rating
    support: Rating
    since: RelDay | None = None
    until: RelDay | None = None


class MetricSpec(SpecModel):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_]{0,79}$")
    name: str
    unit: str
    direction: MetricDirection
    description: str
    source: str
    values: list[float] = Field(min_length=QUARTERS, max_length=QUARTERS, description="last 4 quarters, oldest first")


class Signature(SpecModel):
    name: str
    when: RelDay


class CommitmentSpec(SpecModel):
    party: Side
    text: str


class KeyPlayerSpec(SpecModel):
    name: str
    side: Side
    role: str


class CharterSpec(SpecModel):
    effective: RelDay
    next_review: RelDay
    signed_by: list[Signature] = Field(min_length=1)
    change_reason: str | None = None
    purpose: str
    values: str
    vision: str
    mission: str
    customer_win: str
    supplier_win: str
    commitments: list[CommitmentSpec] = Field(min_length=2)
    key_players: list[KeyPlayerSpec] = Field(min_length=2)
    governance_cadence: str
    governance_agenda: str
    targets: dict[str, float]


class NoteSpec(SpecModel):
    key: str | None = Field(default=None, description="local label that assessments cite as evidence")
    when: RelDay
    kind: NoteKind
    author: str
    mentions: list[str] = Field(default_factory=list)
    body: str = Field(min_length=1)


class ZoneSpec(SpecModel):
    score: Rating
    rationale: str = Field(min_length=1)


class AssessmentSpec(SpecModel):
    when: RelDay
    assessor: Assessor
    by: str = Field(description="who made the assessment (ours: the SAM leader; customer: who gave the rating)")
    overall: HealthStatus
    summary: str
    zones: dict[Zone, ZoneSpec]
    evidence: list[str] = Field(
        default_factory=list, description="'note:<key>', 'stakeholder:<name>' or 'reading:<metric key>'"
    )


class ActionSpec(SpecModel):
    title: str
    owner: str
    due: RelDay | None = None
    status: ActionStatus = ActionStatus.OPEN
    origin: ActionOrigin = ActionOrigin.PLAN
    stakeholder: str | None = None


class OpportunitySpec(SpecModel):
    name: str
    type: OpportunityType
    value: float = Field(ge=0)
    stage: OpportunityStage
    buying_centre: str
    offering: Offering
    close: RelDay | None = None
    description: str
    stakeholders: list[str] = Field(default_factory=list)


class AccountFile(SpecModel):
    account: AccountSpec
    stakeholders: list[StakeholderSpec] = Field(min_length=1)
    coverage: list[CoverageSpec] = Field(default_factory=list)
    metrics: list[MetricSpec] = Field(min_length=1)
    charters: list[CharterSpec] = Field(min_length=1, description="versions, oldest first")
    notes: list[NoteSpec] = Field(default_factory=list)
    assessments: list[AssessmentSpec] = Field(default_factory=list)
    actions: list[ActionSpec] = Field(default_factory=list)
    opportunities: list[OpportunitySpec] = Field(default_factory=list)
