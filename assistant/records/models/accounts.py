"""Accounts, the people on both sides of each, and who on our team holds which relationship."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.records.enums import DecisionRole, Side, Stance
from assistant.records.models.base import Base, Timestamped, enum_type, utcnow
from assistant.records.models.users import User

MONEY = Numeric(16, 2)


def _rating(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} BETWEEN 1 AND 5", name=f"{column}_1_to_5")


class Account(Timestamped, Base):
    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint("annual_revenue >= 0", name="revenue_not_negative"),
        CheckConstraint(
            "contract_end IS NULL OR contract_start IS NULL OR contract_end >= contract_start",
            name="contract_dates_ordered",
        ),
        _rating("growth_potential"),
        _rating("willingness_to_partner"),
        _rating("global_reach"),
        _rating("best_practice_sharing"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    industry: Mapped[str] = mapped_column(String(100))
    segment: Mapped[str | None] = mapped_column(String(100))
    tier: Mapped[int] = mapped_column(default=1)
    description: Mapped[str | None] = mapped_column(Text)
    annual_revenue: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    # Top performers select strategic accounts by gross profit, not revenue; both are kept.
    gross_profit: Mapped[Decimal | None] = mapped_column(MONEY)
    growth_potential: Mapped[int] = mapped_column(default=3)
    willingness_to_partner: Mapped[int] = mapped_column(default=3)
    global_reach: Mapped[int] = mapped_column(default=3)
    best_practice_sharing: Mapped[int] = mapped_column(default=3)
    # Whether the *customer* has agreed this is a strategic relationship, not just us.
    mutual_agreement: Mapped[bool] = mapped_column(default=False)
    contract_start: Mapped[date | None]
    contract_end: Mapped[date | None]
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    executive_sponsor: Mapped[str | None] = mapped_column(String(200))

    owner: Mapped[User] = relationship()
    stakeholders: Mapped[list[Stakeholder]] = relationship(
        back_populates="account",
        cascade="all, delete-orphan",
        passive_deletes=True,
        foreign_keys="Stakeholder.account_id",
    )


class Stakeholder(Timestamped, Base):
    __tablename__ = "stakeholders"
    __table_args__ = (
        _rating("power"),
        _rating("interest"),
        UniqueConstraint("account_id", "external_id"),
        Index("ix_stakeholders_account_side", "account_id", "side"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    external_id: Mapped[str | None] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    side: Mapped[Side] = mapped_column(enum_type(Side), default=Side.CLIENT)
    department: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(320))
    decision_role: Mapped[DecisionRole | None] = mapped_column(enum_type(DecisionRole))
    power: Mapped[int] = mapped_column(default=3)
    interest: Mapped[int] = mapped_column(default=3)
    stance: Mapped[Stance] = mapped_column(enum_type(Stance), default=Stance.NEUTRAL)
    last_contact_on: Mapped[date | None]
    # Who on our side owns this relationship: a supplier-side stakeholder of the same account.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("stakeholders.id", ondelete="SET NULL"))
    is_active: Mapped[bool] = mapped_column(default=True)
    joined_on: Mapped[date | None]
    left_on: Mapped[date | None]
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("stakeholders.id", ondelete="SET NULL"))

    account: Mapped[Account] = relationship(back_populates="stakeholders", foreign_keys=[account_id])
    owner: Mapped[Stakeholder | None] = relationship(remote_side=[id], foreign_keys=[owner_id])
    stance_history: Mapped[list[StanceChange]] = relationship(
        back_populates="stakeholder",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="StanceChange.effective_on",
    )


class StanceChange(Base):
    """Every stance a stakeholder has held, so "who was our sponsor last year?" has an answer."""

    __tablename__ = "stance_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id", ondelete="CASCADE"), index=True)
    stance: Mapped[Stance] = mapped_column(enum_type(Stance))
    effective_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    stakeholder: Mapped[Stakeholder] = relationship(back_populates="stance_history")


class Coverage(Base):
    """One relationship between a member of our account team and a client stakeholder."""

    __tablename__ = "coverage"
    __table_args__ = (
        _rating("access"),
        _rating("influence"),
        _rating("support"),
        CheckConstraint(
            "ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on", name="coverage_dates_ordered"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    team_member_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id", ondelete="CASCADE"))
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id", ondelete="CASCADE"))
    access: Mapped[int]
    influence: Mapped[int]
    support: Mapped[int]
    started_on: Mapped[date | None]
    ended_on: Mapped[date | None]

    team_member: Mapped[Stakeholder] = relationship(foreign_keys=[team_member_id])
    stakeholder: Mapped[Stakeholder] = relationship(foreign_keys=[stakeholder_id])
