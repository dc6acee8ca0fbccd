"""Stakeholders on both sides, their stance history, and relationship coverage by our team."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from assistant.clock import today
from assistant.records.actor import Actor
from assistant.records.enums import AuditAction, Side, Stance
from assistant.records.errors import Conflict, InvalidInput
from assistant.records.models import Coverage, Stakeholder, StanceChange
from assistant.records.repositories import accounts as repo
from assistant.records.repositories.charters import charter_version_signed_by
from assistant.records.repositories.scoping import get_visible_account
from assistant.records.schemas import (
    CoverageIn,
    CoverageOut,
    StakeholderIn,
    StakeholderOut,
    StakeholderUpdate,
    StanceChangeOut,
)
from assistant.records.services.base import Service, parse, record_audit


class StakeholderService(Service):
    def list(
        self,
        *,
        actor: Actor,
        account_id: int,
        side: Side | None = None,
        include_inactive: bool = False,
    ) -> builtins.list[StakeholderOut]:
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            found = repo.list_stakeholders(session, account_id, side=side, include_inactive=include_inactive)
            return [repo.stakeholder_out(s) for s in found]

    def get(self, *, actor: Actor, account_id: int, stakeholder_id: int) -> StakeholderOut:
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            return repo.stakeholder_out(repo.get_stakeholder(session, account_id, stakeholder_id))

    def create(self, *, actor: Actor, account_id: int, data: StakeholderIn | Mapping[str, Any]) -> StakeholderOut:
        payload = parse(StakeholderIn, data)
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            return self._create(session, actor, account_id, payload)

    def update(
        self,
        *,
        actor: Actor,
        account_id: int,
        stakeholder_id: int,
        data: StakeholderUpdate | Mapping[str, Any],
        effective_on: date | None = None,
    ) -> StakeholderOut:
        changes = parse(StakeholderUpdate, data).model_dump(exclude_unset=True)
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            stakeholder = repo.get_stakeholder(session, account_id, stakeholder_id)
            before = repo.stakeholder_out(stakeholder)
            for required in ("name", "power", "interest", "stance", "is_active"):
                if required in changes and changes[required] is None:
                    raise InvalidInput.field(required, "cannot be empty")
            merged = before.model_dump() | changes
            if merged["joined_on"] and merged["left_on"] and merged["left_on"] < merged["joined_on"]:
                raise InvalidInput.field("left_on", f"must not be before joined_on ({merged['joined_on']})")
            self._check_links(session, account_id, merged, self_id=stakeholder_id)
            if changes.get("left_on") is not None and "is_active" not in changes:
                changes["is_active"] = False
            for field, value in changes.items():
                setattr(stakeholder, field, value)
            if "stance" in changes and changes["stance"] != before.stance:
                session.add(
                    StanceChange(
                        stakeholder_id=stakeholder_id,
                        stance=changes["stance"],
                        effective_on=effective_on or today(),
                    )
                )
            session.flush()
            session.refresh(stakeholder)
            after = repo.stakeholder_out(stakeholder)
            record_audit(
                session,
                actor,
                entity="stakeholder",
                entity_id=stakeholder_id,
                action=AuditAction.UPDATE,
                account_id=account_id,
                before=before,
                after=after,
            )
            return after

    def replace(
        self,
        *,
        actor: Actor,
        account_id: int,
        stakeholder_id: int,
        successor: StakeholderIn | Mapping[str, Any],
        left_on: date,
    ) -> StakeholderOut:
        """Someone left and someone else took the seat: keep both, linked, so history stays answerable."""
        payload = parse(StakeholderIn, successor)
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            leaver = repo.get_stakeholder(session, account_id, stakeholder_id)
            if leaver.replaced_by_id is not None:
                raise Conflict("stakeholder_id", f"{leaver.name} was already replaced; update the successor instead")
            if leaver.joined_on and left_on < leaver.joined_on:
                raise InvalidInput.field("left_on", f"must not be before joined_on ({leaver.joined_on})")
            before = repo.stakeholder_out(leaver)
            new = self._create(session, actor, account_id, payload)
            leaver.is_active = False
            leaver.left_on = left_on
            leaver.replaced_by_id = new.id
            # The relationships our team held with the leaver end when they leave.
            for coverage in repo.open_coverage_of(session, stakeholder_id):
                coverage.ended_on = max(left_on, coverage.started_on or left_on)
            session.flush()
            record_audit(
                session,
                actor,
                entity="stakeholder",
                entity_id=stakeholder_id,
                action=AuditAction.UPDATE,
                account_id=account_id,
                before=before,
                after=repo.stakeholder_out(leaver),
            )
            return new

    def delete(self, *, actor: Actor, account_id: int, stakeholder_id: int) -> None:
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            stakeholder = repo.get_stakeholder(session, account_id, stakeholder_id)
            signed = charter_version_signed_by(session, stakeholder_id)
            if signed is not None:
                # The key is RESTRICT on purpose (charters keep their signatories); say so instead of a raw DB error.
                raise Conflict(
                    "stakeholder_id",
                    f"{stakeholder.name} is a signatory of charter version {signed}; "
                    "mark them as left or replace them instead of deleting",
                )
            before = repo.stakeholder_out(stakeholder)
            session.delete(stakeholder)
            record_audit(
                session,
                actor,
                entity="stakeholder",
                entity_id=stakeholder_id,
                action=AuditAction.DELETE,
                account_id=account_id,
                before=before,
            )

    def held_stance_on(
        self, *, actor: Actor, account_id: int, stance: Stance, on: date
    ) -> builtins.list[StakeholderOut]:
        """Answers "who was our sponsor on <date>?" from the stance history."""
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            return [repo.stakeholder_out(s) for s in repo.stakeholders_with_stance_on(session, account_id, stance, on)]

    def stance_history(self, *, actor: Actor, account_id: int, stakeholder_id: int) -> builtins.list[StanceChangeOut]:
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            stakeholder = repo.get_stakeholder(session, account_id, stakeholder_id)
            return [StanceChangeOut.model_validate(c) for c in stakeholder.stance_history]

    def list_coverage(self, *, actor: Actor, account_id: int, current_only: bool = True) -> builtins.list[CoverageOut]:
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            return repo.list_coverage(session, account_id, current_only=current_only)

    def add_coverage(self, *, actor: Actor, account_id: int, data: CoverageIn | Mapping[str, Any]) -> CoverageOut:
        payload = parse(CoverageIn, data)
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            member = repo.get_stakeholder(session, account_id, payload.team_member_id)
            client = repo.get_stakeholder(session, account_id, payload.stakeholder_id)
            if member.side is not Side.SUPPLIER:
                raise InvalidInput.field("team_member_id", "must be a member of our (supplier) team")
            if client.side is not Side.CLIENT:
                raise InvalidInput.field("stakeholder_id", "must be a client-side stakeholder")
            coverage = Coverage(account_id=account_id, **payload.model_dump())
            session.add(coverage)
            session.flush()
            session.refresh(coverage)
            out = repo.coverage_out(coverage)
            record_audit(
                session,
                actor,
                entity="coverage",
                entity_id=coverage.id,
                action=AuditAction.CREATE,
                account_id=account_id,
                after=out,
            )
            return out

    def _create(self, session: Session, actor: Actor, account_id: int, payload: StakeholderIn) -> StakeholderOut:
        self._check_links(session, account_id, payload.model_dump(), self_id=None)
        if payload.external_id and repo.get_stakeholder_by_external_id(session, account_id, payload.external_id):
            raise Conflict("external_id", f"stakeholder {payload.external_id!r} already exists on this account")
        stakeholder = Stakeholder(account_id=account_id, **payload.model_dump())
        if payload.left_on is not None:
            stakeholder.is_active = False
        session.add(stakeholder)
        session.flush()
        session.add(
            StanceChange(
                stakeholder_id=stakeholder.id,
                stance=payload.stance,
                effective_on=payload.joined_on or today(),
            )
        )
        session.flush()
        session.refresh(stakeholder)
        out = repo.stakeholder_out(stakeholder)
        record_audit(
            session,
            actor,
            entity="stakeholder",
            entity_id=stakeholder.id,
            action=AuditAction.CREATE,
            account_id=account_id,
            after=out,
        )
        return out

    @staticmethod
    def _check_links(session: Session, account_id: int, values: Mapping[str, Any], *, self_id: int | None) -> None:
        owner_id = values.get("owner_id")
        if owner_id is not None:
            if owner_id == self_id:
                raise InvalidInput.field("owner_id", "a stakeholder cannot own their own relationship")
            owner = session.get(Stakeholder, owner_id)
            if owner is None or owner.account_id != account_id or owner.side is not Side.SUPPLIER:
                raise InvalidInput.field("owner_id", "must be a supplier-side team member of this account")
        replaced_by = values.get("replaced_by_id")
        if replaced_by is not None:
            successor = session.get(Stakeholder, replaced_by)
            if successor is None or successor.account_id != account_id or replaced_by == self_id:
                raise InvalidInput.field("replaced_by_id", "must be another stakeholder of this account")
