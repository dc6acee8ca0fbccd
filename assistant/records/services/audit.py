"""Reading the audit trail, scoped like everything else to the caller's portfolio."""

from __future__ import annotations

import builtins

from assistant.records.actor import Actor
from assistant.records.enums import Role
from assistant.records.repositories import activity as repo
from assistant.records.repositories.scoping import get_visible_account, visible_account_ids
from assistant.records.schemas import AuditEventOut
from assistant.records.services.base import Service


class AuditService(Service):
    def list(
        self,
        *,
        actor: Actor,
        account_id: int | None = None,
        entity: str | None = None,
        entity_id: int | None = None,
        limit: int = 100,
    ) -> builtins.list[AuditEventOut]:
        with self._read() as session:
            if account_id is not None:
                get_visible_account(session, actor, account_id)
                scope: builtins.list[int] | None = [account_id]
            else:
                scope = None if actor.role is Role.ADMIN else visible_account_ids(session, actor)
            events = repo.list_audit_events(session, account_ids=scope, entity=entity, entity_id=entity_id, limit=limit)
            return [AuditEventOut.model_validate(e) for e in events]
