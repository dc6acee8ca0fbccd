"""What happens on an account over time: notes, health assessments, action items, opportunities."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.records.enums import (
    ActionOrigin,
    ActionStatus,
    Assessor,
    HealthStatus,
    NoteKind,
    OpportunityStage,
    OpportunityType,
    Zone,
)
from assistant.records.models.accounts import MONEY, Stakeholder
from assistant.records.models.base import Base, Timestamped, enum_type

note_mentions = Table(
    "note_mentions",
    Base.metadata,
    Column("note_id", ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True),
    Column("stakeholder_id", ForeignKey("stakeholders.id", ondelete="CASCADE"), primary_key=True),
)

opportunity_stakeholders = Table(
    "opportunity_stakeholders",
    Base.metadata,
    Column("opportunity_id", ForeignKey("opportunities.id", ondelete="CASCADE"), primary_key=True),
    Column("stakeholder_id", ForeignKey("stakeholders.id", ondelete="CASCADE"), primary_key=True),
)


class Note(Timestamped, Base):
    __tablename__ = "notes"
    __table_args__ = (
        UniqueConstraint("account_id", "external_id"),
        Index("ix_notes_account_date", "account_id", "occurred_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    external_id: Mapped[str | None] = mapped_column(String(100))
    occurred_on: Mapped[date]
    author: Mapped[str] = mapped_column(String(200))
    kind: Mapped[NoteKind] = mapped_column(enum_type(NoteKind), default=NoteKind.OBSERVATION)
    body: Mapped[str] = mapped_column(Text)

    mentions: Mapped[list[Stakeholder]] = relationship(secondary=note_mentions)


class HealthAssessment(Base):
    __tablename__ = "health_assessments"
    __table_args__ = (Index("ix_health_account_date", "account_id", "assessed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    assessed_on: Mapped[date]
    overall: Mapped[HealthStatus] = mapped_column(enum_type(HealthStatus))
    # Who assessed: our view and the customer's own view are kept apart to show the perception gap.
    assessor: Mapped[Assessor] = mapped_column(enum_type(Assessor))
    assessor_name: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    # [{"kind": "note"|"metric_reading"|"stakeholder", "id": int}]
    evidence: Mapped[list[Any]] = mapped_column(default=list)

    # Ordered, or a read returns zones in whatever order the backend's index scan yields (SQLite: alphabetical).
    zones: Mapped[list[ZoneScore]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", passive_deletes=True, order_by="ZoneScore.id"
    )


class ZoneScore(Base):
    __tablename__ = "zone_scores"
    __table_args__ = (
        UniqueConstraint("assessment_id", "zone"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_1_to_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("health_assessments.id", ondelete="CASCADE"))
    zone: Mapped[Zone] = mapped_column(enum_type(Zone))
    score: Mapped[int]
    rationale: Mapped[str] = mapped_column(Text, default="")

    assessment: Mapped[HealthAssessment] = relationship(back_populates="zones")


class ActionItem(Timestamped, Base):
    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(enum_type(ActionStatus), default=ActionStatus.OPEN)
    origin: Mapped[ActionOrigin] = mapped_column(enum_type(ActionOrigin), default=ActionOrigin.PLAN)
    stakeholder_id: Mapped[int | None] = mapped_column(ForeignKey("stakeholders.id", ondelete="SET NULL"))

    stakeholder: Mapped[Stakeholder | None] = relationship()


class Opportunity(Timestamped, Base):
    __tablename__ = "opportunities"
    __table_args__ = (CheckConstraint("estimated_value >= 0", name="value_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[OpportunityType] = mapped_column(enum_type(OpportunityType))
    estimated_value: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    stage: Mapped[OpportunityStage] = mapped_column(enum_type(OpportunityStage), default=OpportunityStage.IDENTIFIED)
    # The whitespace map: which client buying centre and which of our offerings the opportunity sits in.
    buying_centre: Mapped[str] = mapped_column(String(100), default="")
    offering: Mapped[str] = mapped_column(String(100), default="")
    expected_close: Mapped[date | None]
    description: Mapped[str] = mapped_column(Text, default="")

    stakeholders: Mapped[list[Stakeholder]] = relationship(secondary=opportunity_stakeholders)
