"""Input and output shapes of notes, health assessments, action items and opportunities."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field, field_validator

from assistant.records.enums import (
    ActionOrigin,
    ActionStatus,
    Assessor,
    EvidenceKind,
    HealthStatus,
    NoteKind,
    OpportunityStage,
    OpportunityType,
    Zone,
)
from assistant.records.schemas.common import (
    Body,
    InModel,
    LongText,
    Money,
    Name,
    OutModel,
    Rating,
    RecordRef,
    ShortText,
)


class NoteIn(InModel):
    occurred_on: date
    author: Name
    kind: NoteKind = NoteKind.OBSERVATION
    body: Body
    external_id: ShortText | None = None
    mentioned_ids: list[RecordRef] = Field(default_factory=list, max_length=50)


class NoteUpdate(InModel):
    occurred_on: date | None = None
    author: Name | None = None
    kind: NoteKind | None = None
    body: Body | None = None
    mentioned_ids: list[RecordRef] | None = Field(default=None, max_length=50)


class NoteOut(OutModel):
    id: int
    account_id: int
    external_id: str | None
    occurred_on: date
    author: str
    kind: NoteKind
    body: str
    mentioned_ids: list[int]
    created_at: datetime
    updated_at: datetime


class EvidenceRef(InModel):
    kind: EvidenceKind
    id: RecordRef


class ZoneScoreIn(InModel):
    zone: Zone
    score: Rating
    rationale: LongText = ""


class HealthAssessmentIn(InModel):
    assessed_on: date
    overall: HealthStatus
    assessor: Assessor
    assessor_name: ShortText = ""
    summary: LongText = ""
    zones: list[ZoneScoreIn] = Field(min_length=4, max_length=4)
    evidence: list[EvidenceRef] = Field(default_factory=list, max_length=200)

    @field_validator("zones")
    @classmethod
    def _every_zone_once(cls, value: list[ZoneScoreIn]) -> list[ZoneScoreIn]:
        if {z.zone for z in value} != set(Zone):
            raise ValueError("score each zone (value, alignment, relationships, growth) exactly once")
        return value


class ZoneScoreOut(OutModel):
    zone: Zone
    score: int
    rationale: str


class HealthAssessmentOut(OutModel):
    id: int
    account_id: int
    assessed_on: date
    overall: HealthStatus
    assessor: Assessor
    assessor_name: str
    summary: str
    zones: list[ZoneScoreOut]
    evidence: list[EvidenceRef]

    def zone(self, zone: Zone) -> ZoneScoreOut:
        return next(z for z in self.zones if z.zone == zone)


class ActionItemIn(InModel):
    title: Name
    owner: Name
    due_on: date | None = None
    status: ActionStatus = ActionStatus.OPEN
    origin: ActionOrigin = ActionOrigin.PLAN
    stakeholder_id: RecordRef | None = None


class ActionItemUpdate(InModel):
    title: Name | None = None
    owner: Name | None = None
    due_on: date | None = None
    status: ActionStatus | None = None
    stakeholder_id: RecordRef | None = None


class ActionItemOut(OutModel):
    id: int
    account_id: int
    title: str
    owner: str
    due_on: date | None
    status: ActionStatus
    origin: ActionOrigin
    stakeholder_id: int | None
    created_at: datetime


class OpportunityIn(InModel):
    name: Name
    type: OpportunityType
    estimated_value: Money = 0
    stage: OpportunityStage = OpportunityStage.IDENTIFIED
    buying_centre: ShortText = ""
    offering: ShortText = ""
    expected_close: date | None = None
    description: LongText = ""
    stakeholder_ids: list[RecordRef] = Field(default_factory=list, max_length=50)


class OpportunityUpdate(InModel):
    name: Name | None = None
    type: OpportunityType | None = None
    estimated_value: Money | None = None
    stage: OpportunityStage | None = None
    buying_centre: ShortText | None = None
    offering: ShortText | None = None
    expected_close: date | None = None
    description: LongText | None = None
    stakeholder_ids: list[RecordRef] | None = Field(default=None, max_length=50)


class OpportunityOut(OutModel):
    id: int
    account_id: int
    name: str
    type: OpportunityType
    estimated_value: float
    stage: OpportunityStage
    buying_centre: str
    offering: str
    expected_close: date | None
    description: str
    stakeholder_ids: list[int]
