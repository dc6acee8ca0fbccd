"""Action items and opportunities: the account plan's commitments and growth pipeline."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from assistant.records.actor import Actor
from assistant.records.enums import ActionStatus, AuditAction
from assistant.records.errors import InvalidInput
from assistant.records.models import ActionItem, Opportunity, Stakeholder
from assistant.records.repositories import activity as repo
from assistant.records.repositories.scoping import get_visible_account
from assistant.records.schemas import (
    ActionItemIn,
    ActionItemOut,
    ActionItemUpdate,
    OpportunityIn,
    OpportunityOut,
    OpportunityUpdate,
)
from assistant.records.services.base import Service, parse, record_audit

OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def _account_stakeholder(session: Session, account_id: int, stakeholder_id: int | None, field: str) -> None:
    if stakeholder_id is None:
        return
    person = session.get(Stakeholder, stakeholder_id)
    if person is None or person.account_id != account_id:
        raise InvalidInput.field(field, f"no stakeholder {stakeholder_id} on this account")


class ActionService(Service):
    def list(
        self, *, actor: Actor, account_id: int, status: Sequence[ActionStatus] | None = None
    ) -> builtins.list[ActionItemOut]:
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            return [ActionItemOut.model_validate(a) for a in repo.list_actions(session, account_id, status=status)]

    def list_open(self, *, actor: Actor, account_id: int) -> builtins.list[ActionItemOut]:
        return self.list(actor=actor, account_id=account_id, status=OPEN_STATUSES)

    def create(self, *, actor: Actor, account_id: int, data: ActionItemIn | Mapping[str, Any]) -> ActionItemOut:
        payload = parse(ActionItemIn, data)
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            _account_stakeholder(session, account_id, payload.stakeholder_id, "stakeholder_id")
            item = ActionItem(account_id=account_id, **payload.model_dump())
            session.add(item)
            session.flush()
            out = ActionItemOut.model_validate(item)
            record_audit(
                session,
                actor,
                entity="action_item",
                entity_id=item.id,
                action=AuditAction.CREATE,
                account_id=account_id,
                after=out,
            )
            return out

    def update(
        self, *, actor: Actor, account_id: int, action_id: int, data: ActionItemUpdate | Mapping[str, Any]
    ) -> ActionItemOut:
        changes = parse(ActionItemUpdate, data).model_dump(exclude_unset=True)
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            item = repo.get_action(session, account_id, action_id)
            for required in ("title", "owner", "status"):
                if required in changes and changes[required] is None:
                    raise InvalidInput.field(required, "cannot be empty")
            _account_stakeholder(session, account_id, changes.get("stakeholder_id"), "stakeholder_id")
            before = ActionItemOut.model_validate(item)
            for field, value in changes.items():
                setattr(item, field, value)
            session.flush()
            after = ActionItemOut.model_validate(item)
            record_audit(
                session,
                actor,
                entity="action_item",
                entity_id=action_id,
                action=AuditAction.UPDATE,
                account_id=account_id,
                before=before,
                after=after,
            )
            return after

    def delete(self, *, actor: Actor, account_id: int, action_id: int) -> None:
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            item = repo.get_action(session, account_id, action_id)
            before = ActionItemOut.model_validate(item)
            session.delete(item)
            record_audit(
                session,
                actor,
                entity="action_item",
                entity_id=action_id,
                action=AuditAction.DELETE,
                account_id=account_id,
                before=before,
            )


class OpportunityService(Service):
    def list(self, *, actor: Actor, account_id: int) -> builtins.list[OpportunityOut]:
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            return [repo.opportunity_out(o) for o in repo.list_opportunities(session, account_id)]

    def create(self, *, actor: Actor, account_id: int, data: OpportunityIn | Mapping[str, Any]) -> OpportunityOut:
        payload = parse(OpportunityIn, data)
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            opportunity = Opportunity(account_id=account_id, **payload.model_dump(exclude={"stakeholder_ids"}))
            opportunity.stakeholders = self._people(session, account_id, payload.stakeholder_ids)
            session.add(opportunity)
            session.flush()
            out = repo.opportunity_out(opportunity)
            record_audit(
                session,
                actor,
                entity="opportunity",
                entity_id=opportunity.id,
                action=AuditAction.CREATE,
                account_id=account_id,
                after=out,
            )
            return out

    def update(
        self,
        *,
        actor: Actor,
        account_id: int,
        opportunity_id: int,
        data: OpportunityUpdate | Mapping[str, Any],
    ) -> OpportunityOut:
        changes = parse(OpportunityUpdate, data).model_dump(exclude_unset=True)
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            opportunity = repo.get_opportunity(session, account_id, opportunity_id)
            for required in ("name", "type", "estimated_value", "stage"):
                if required in changes and changes[required] is None:
                    raise InvalidInput.field(required, "cannot be empty")
            before = repo.opportunity_out(opportunity)
            people = changes.pop("stakeholder_ids", None)
            if people is not None:
                opportunity.stakeholders = self._people(session, account_id, people)
            for field, value in changes.items():
                setattr(opportunity, field, value)
            session.flush()
            after = repo.opportunity_out(opportunity)
            record_audit(
                session,
                actor,
                entity="opportunity",
                entity_id=opportunity_id,
                action=AuditAction.UPDATE,
                account_id=account_id,
                before=before,
                after=after,
            )
            return after

    def delete(self, *, actor: Actor, account_id: int, opportunity_id: int) -> None:
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            opportunity = repo.get_opportunity(session, account_id, opportunity_id)
            before = repo.opportunity_out(opportunity)
            session.delete(opportunity)
            record_audit(
                session,
                actor,
                entity="opportunity",
                entity_id=opportunity_id,
                action=AuditAction.DELETE,
                account_id=account_id,
                before=before,
            )

    @staticmethod
    def _people(session: Session, account_id: int, ids: Sequence[int]) -> builtins.list[Stakeholder]:
        for index, stakeholder_id in enumerate(ids):
            _account_stakeholder(session, account_id, stakeholder_id, f"stakeholder_ids.{index}")
        return [p for p in (session.get(Stakeholder, i) for i in dict.fromkeys(ids)) if p is not None]
