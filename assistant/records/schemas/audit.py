from __future__ import annotations

from datetime import datetime
from typing import Any

from assistant.records.enums import AuditAction, Channel
from assistant.records.schemas.common import OutModel


class AuditEventOut(OutModel):
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    channel: Channel
    entity: str
    entity_id: int
    action: AuditAction
    account_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
