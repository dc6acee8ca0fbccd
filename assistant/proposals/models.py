"""Record changes the assistant proposes and a person approves or rejects."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assistant.records.models.base import Base, enum_type, utcnow


class ProposalKind(StrEnum):
    NOTE = "note"
    STAKEHOLDER_UPDATE = "stakeholder_update"
    HEALTH_ASSESSMENT = "health_assessment"
    CHARTER_REVISION = "charter_revision"
    ACTION_ITEM = "action_item"


class ProposalStatus(StrEnum):
    PENDING = "pending"
    APPLIED = "applied"
    REJECTED = "rejected"
    FAILED = "failed"


class Proposal(Base):
    __tablename__ = "proposals"
    __table_args__ = (Index("ix_proposals_user_status", "user_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id", ondelete="SET NULL"))
    kind: Mapped[ProposalKind] = mapped_column(enum_type(ProposalKind))
    status: Mapped[ProposalStatus] = mapped_column(enum_type(ProposalStatus), default=ProposalStatus.PENDING)
    summary: Mapped[str] = mapped_column(String(500))
    rationale: Mapped[str] = mapped_column(Text, default="")
    # The exact service input the change will be applied with, and the field-by-field diff shown to the user.
    payload: Mapped[dict[str, Any]]
    diff: Mapped[list[Any]] = mapped_column(default=list)
    citations: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    result: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)
