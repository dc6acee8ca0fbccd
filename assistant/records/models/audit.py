"""The audit trail: who changed what, when, through which channel, with before and after values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from assistant.records.enums import AuditAction, Channel
from assistant.records.models.base import Base, enum_type, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(200))
    channel: Mapped[Channel] = mapped_column(enum_type(Channel))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int]
    action: Mapped[AuditAction] = mapped_column(enum_type(AuditAction))
    # Not a foreign key: the trail must outlive the account it describes.
    account_id: Mapped[int | None] = mapped_column(index=True)
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
