"""Partnership charters: versioned drafts, signatory approval, and clause diffs.

A signed charter is never edited. A change starts a new draft version (carrying the signatories over);
only the signatories can approve it, and when the last one has, it becomes the signed charter and the old
one is marked superseded. Every version is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from assistant.clock import today
from assistant.records.actor import Actor
from assistant.records.charter_diff import diff_charters
from assistant.records.enums import AuditAction, CharterStatus
from assistant.records.errors import Conflict, InvalidInput
from assistant.records.models import Charter, CharterSignatory, CharterTarget, Stakeholder
from assistant.records.repositories import charters as repo
from assistant.records.repositories.scoping import get_visible_account
from assistant.records.schemas import CharterDiff, CharterIn, CharterOut
from assistant.records.services.base import Service, parse, record_audit

ANNUAL_REVIEW = timedelta(days=365)


class CharterService(Service):
    def list_versions(self, *, actor: Actor, account_id: int) -> list[CharterOut]:
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            return [repo.charter_out(c) for c in repo.list_charters(session, account_id)]

    def get_version(self, *, actor: Actor, account_id: int, version: int) -> CharterOut:
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            return repo.charter_out(repo.get_charter_version(session, account_id, version))

    def current(self, *, actor: Actor, account_id: int) -> CharterOut | None:
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            charter = repo.current_charter(session, account_id)
            return repo.charter_out(charter) if charter is not None else None

    def open_draft(self, *, actor: Actor, account_id: int) -> CharterOut | None:
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            draft = repo.open_draft(session, account_id)
            return repo.charter_out(draft) if draft is not None else None

    def create_draft(self, *, actor: Actor, account_id: int, data: CharterIn | Mapping[str, Any]) -> CharterOut:
        payload = parse(CharterIn, data)
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            if repo.open_draft(session, account_id) is not None:
                raise Conflict("status", "this account already has an open charter draft; revise or approve it")
            parent = repo.current_charter(session, account_id)
            signatory_ids = payload.signatory_ids or (
                [s.stakeholder_id for s in parent.signatories] if parent is not None else []
            )
            charter = Charter(
                account_id=account_id,
                version=repo.next_version(session, account_id),
                status=CharterStatus.DRAFT,
                parent_id=parent.id if parent is not None else None,
                created_by=actor.name,
            )
            session.add(charter)
            self._apply_content(session, charter, payload, signatory_ids)
            return self._saved(session, actor, charter, AuditAction.CREATE)

    def update_draft(
        self, *, actor: Actor, account_id: int, version: int, data: CharterIn | Mapping[str, Any]
    ) -> CharterOut:
        payload = parse(CharterIn, data)
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            charter = repo.get_charter_version(session, account_id, version)
            if charter.status is not CharterStatus.DRAFT:
                raise Conflict("status", f"version {version} is {charter.status.value}; only drafts can be edited")
            before = repo.charter_out(charter)
            signatory_ids = payload.signatory_ids or [s.stakeholder_id for s in charter.signatories]
            charter.targets.clear()
            charter.signatories.clear()
            session.flush()
            self._apply_content(session, charter, payload, signatory_ids)
            return self._saved(session, actor, charter, AuditAction.UPDATE, before=before)

    def propose(self, *, actor: Actor, account_id: int, version: int) -> CharterOut:
        """Send a draft to its signatories. Content is frozen from here on."""
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            charter = repo.get_charter_version(session, account_id, version)
            if charter.status is not CharterStatus.DRAFT:
                raise Conflict("status", f"version {version} is {charter.status.value}, not a draft")
            if not charter.signatories:
                raise InvalidInput.field("signatory_ids", "a charter needs at least one signatory before proposing")
            before = repo.charter_out(charter)
            charter.status = CharterStatus.PROPOSED
            return self._saved(session, actor, charter, AuditAction.UPDATE, before=before)

    def approve(
        self,
        *,
        actor: Actor,
        account_id: int,
        version: int,
        signatory_id: int,
        approved_on: date | None = None,
    ) -> CharterOut:
        """Record one signatory's approval; the last approval signs the version and supersedes the old one."""
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            charter = repo.get_charter_version(session, account_id, version)
            if charter.status is not CharterStatus.PROPOSED:
                raise Conflict("status", f"version {version} is {charter.status.value}; propose it before approving")
            signatory = next((s for s in charter.signatories if s.stakeholder_id == signatory_id), None)
            if signatory is None:
                raise Conflict("signatory_id", "only the charter's signatories can approve it")
            if signatory.approved_on is not None:
                raise Conflict("signatory_id", f"{signatory.stakeholder.name} has already approved")
            if not signatory.stakeholder.is_active:
                raise Conflict(
                    "signatory_id", f"{signatory.stakeholder.name} has left; revise the draft with their successor"
                )
            before = repo.charter_out(charter)
            day = approved_on or today()
            signatory.approved_on = day
            if all(s.approved_on is not None for s in charter.signatories):
                self._sign(session, charter, day)
            return self._saved(session, actor, charter, AuditAction.UPDATE, before=before)

    def diff(self, *, actor: Actor, account_id: int, from_version: int, to_version: int) -> CharterDiff:
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            old = repo.charter_out(repo.get_charter_version(session, account_id, from_version))
            new = repo.charter_out(repo.get_charter_version(session, account_id, to_version))
            return diff_charters(old, new)

    @staticmethod
    def _sign(session: Session, charter: Charter, day: date) -> None:
        previous = repo.current_charter(session, charter.account_id)
        if previous is not None and previous.id != charter.id:
            previous.status = CharterStatus.SUPERSEDED
        charter.status = CharterStatus.SIGNED
        charter.effective_on = charter.effective_on or day
        # The governance team revisits the charter at least once a year.
        if charter.next_review_due is None or charter.next_review_due > charter.effective_on + ANNUAL_REVIEW:
            charter.next_review_due = charter.effective_on + ANNUAL_REVIEW

    @staticmethod
    def _apply_content(session: Session, charter: Charter, payload: CharterIn, signatory_ids: list[int]) -> None:
        content = payload.model_dump(exclude={"targets", "signatory_ids", "commitments", "key_players"})
        for field, value in content.items():
            setattr(charter, field, value)
        charter.commitments = [c.model_dump(mode="json") for c in payload.commitments]
        charter.key_players = [k.model_dump(mode="json") for k in payload.key_players]
        if (
            payload.effective_on
            and payload.next_review_due
            and payload.next_review_due > payload.effective_on + ANNUAL_REVIEW
        ):
            raise InvalidInput.field("next_review_due", "review the charter at least once a year after it takes effect")
        metrics = repo.metrics_by_key(session, charter.account_id)
        for index, target in enumerate(payload.targets):
            metric = metrics.get(target.metric_key)
            if metric is None:
                raise InvalidInput.field(f"targets.{index}.metric_key", f"unknown metric {target.metric_key!r}")
            charter.targets.append(CharterTarget(metric_id=metric.id, target=target.target))
        for index, stakeholder_id in enumerate(dict.fromkeys(signatory_ids)):
            stakeholder = session.get(Stakeholder, stakeholder_id)
            if stakeholder is None or stakeholder.account_id != charter.account_id:
                raise InvalidInput.field(f"signatory_ids.{index}", f"no stakeholder {stakeholder_id} on this account")
            if not stakeholder.is_active:
                raise InvalidInput.field(f"signatory_ids.{index}", f"{stakeholder.name} has left; choose a successor")
            charter.signatories.append(CharterSignatory(stakeholder_id=stakeholder_id))

    @classmethod
    def _saved(
        cls, session: Session, actor: Actor, charter: Charter, action: AuditAction, *, before: CharterOut | None = None
    ) -> CharterOut:
        """Every charter change ends the same way: flushed, read back whole, and audited with both versions."""
        session.flush()
        after = cls._reload(session, charter)
        record_audit(
            session,
            actor,
            entity="charter",
            entity_id=charter.id,
            action=action,
            account_id=charter.account_id,
            before=before,
            after=after,
        )
        return after

    @staticmethod
    def _reload(session: Session, charter: Charter) -> CharterOut:
        session.expire(charter)
        return repo.charter_out(repo.get_charter_version(session, charter.account_id, charter.version))
