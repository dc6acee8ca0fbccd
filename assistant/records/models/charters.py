"""The partnership charter (versioned), its success metrics and their readings over time."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.records.enums import CharterStatus, MetricDirection
from assistant.records.models.accounts import Stakeholder
from assistant.records.models.base import Base, Timestamped, enum_type, utcnow


class Metric(Base):
    """A key success metric of an account. Readings belong to the metric, targets to a charter version,
    so history survives charter revisions."""

    __tablename__ = "metrics"
    __table_args__ = (UniqueConstraint("account_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40), default="")
    direction: Mapped[MetricDirection] = mapped_column(
        enum_type(MetricDirection), default=MetricDirection.HIGHER_IS_BETTER
    )
    description: Mapped[str | None] = mapped_column(Text)

    readings: Mapped[list[MetricReading]] = relationship(
        back_populates="metric",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="MetricReading.period_end",
    )


class MetricReading(Base):
    __tablename__ = "metric_readings"
    __table_args__ = (UniqueConstraint("metric_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metrics.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(20))
    period_end: Mapped[date]
    value: Mapped[float]
    source: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    metric: Mapped[Metric] = relationship(back_populates="readings")


class Charter(Timestamped, Base):
    """One version of an account's partnership charter. Signed versions are never edited: a change makes a
    new draft version that the signatories approve."""

    __tablename__ = "charters"
    __table_args__ = (UniqueConstraint("account_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    status: Mapped[CharterStatus] = mapped_column(enum_type(CharterStatus), default=CharterStatus.DRAFT)
    purpose: Mapped[str] = mapped_column(Text, default="")
    values: Mapped[str] = mapped_column(Text, default="")
    vision: Mapped[str] = mapped_column(Text, default="")
    mission: Mapped[str] = mapped_column(Text, default="")
    customer_win: Mapped[str] = mapped_column(Text, default="")
    supplier_win: Mapped[str] = mapped_column(Text, default="")
    # [{"party": "client"|"supplier", "text": ...}]
    commitments: Mapped[list[Any]] = mapped_column(default=list)
    # [{"name": ..., "side": ..., "role": ...}]
    key_players: Mapped[list[Any]] = mapped_column(default=list)
    governance_cadence: Mapped[str] = mapped_column(String(200), default="")
    governance_agenda: Mapped[str] = mapped_column(Text, default="")
    effective_on: Mapped[date | None]
    next_review_due: Mapped[date | None]
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("charters.id", ondelete="SET NULL"))
    change_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200), default="")

    targets: Mapped[list[CharterTarget]] = relationship(
        back_populates="charter", cascade="all, delete-orphan", passive_deletes=True
    )
    signatories: Mapped[list[CharterSignatory]] = relationship(
        back_populates="charter", cascade="all, delete-orphan", passive_deletes=True
    )


class CharterTarget(Base):
    __tablename__ = "charter_targets"
    __table_args__ = (UniqueConstraint("charter_id", "metric_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(ForeignKey("charters.id", ondelete="CASCADE"), index=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metrics.id", ondelete="CASCADE"))
    target: Mapped[float]

    charter: Mapped[Charter] = relationship(back_populates="targets")
    metric: Mapped[Metric] = relationship()


class CharterSignatory(Base):
    __tablename__ = "charter_signatories"
    __table_args__ = (UniqueConstraint("charter_id", "stakeholder_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(ForeignKey("charters.id", ondelete="CASCADE"), index=True)
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id", ondelete="RESTRICT"))
    approved_on: Mapped[date | None]

    charter: Mapped[Charter] = relationship(back_populates="signatories")
    stakeholder: Mapped[Stakeholder] = relationship()
