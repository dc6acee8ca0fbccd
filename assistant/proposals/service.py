"""Proposals: the only way the assistant changes a record.

A proposal stores the exact service input of the intended change and a field-by-field diff against the
record as it is now. Approval applies it through the ordinary records services, acting as the approving
user on the `assistant` channel, inside one transaction together with the proposal's new status; if the
change fails nothing is applied and the proposal is marked failed with the reason. A user may let the
assistant apply low-risk kinds (notes, action items) without asking; charters always wait for a person.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.citations import Citation
from assistant.db import permit_writes, read_session, write_transaction
from assistant.proposals.models import Proposal, ProposalKind, ProposalStatus
from assistant.records import Records
from assistant.records.actor import Actor
from assistant.records.charter_diff import charter_clauses, diff_charters
from assistant.records.enums import Channel
from assistant.records.errors import Conflict, NotFound, RecordsError
from assistant.records.models.base import utcnow
from assistant.records.repositories.scoping import get_visible_account, visible_account_ids
from assistant.records.schemas import (
    ActionItemIn,
    CharterIn,
    CharterOut,
    HealthAssessmentIn,
    NoteIn,
    SignatoryOut,
    StakeholderUpdate,
    TargetOut,
)
from assistant.records.services.base import parse
from assistant.records.services.users import AUTO_APPROVABLE

NEVER_AUTO_APPROVED = frozenset({ProposalKind.CHARTER_REVISION, ProposalKind.HEALTH_ASSESSMENT})


class FieldChange(BaseModel):
    field: str
    before: Any = None
    after: Any = None


class ProposalOut(BaseModel):
    id: int
    user_id: int
    account_id: int
    conversation_id: int | None
    kind: ProposalKind
    status: ProposalStatus
    summary: str
    rationale: str
    payload: dict[str, Any]
    diff: list[FieldChange]
    citations: list[Citation]
    created_at: datetime
    decided_at: datetime | None
    result: dict[str, Any] | None
    error: str | None

    @classmethod
    def of(cls, proposal: Proposal) -> ProposalOut:
        return cls.model_validate(
            {
                **{f: getattr(proposal, f) for f in cls.model_fields if f not in ("diff", "citations")},
                "diff": proposal.diff,
                "citations": proposal.citations,
            }
        )


def _diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    return [FieldChange(field=k, before=before.get(k), after=v) for k, v in after.items() if before.get(k) != v]


def _noun(kind: str) -> str:
    """ "an observation", "a customer feedback": proposals are read by people."""
    words = kind.replace("_", " ")
    return f"{'an' if words[:1] in 'aeiou' else 'a'} {words}"


def _json(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_unset=False)


class ProposalService:
    def __init__(self, sessions: sessionmaker[Session], records: Records) -> None:
        self._sessions = sessions
        self._records = records

    # --- proposing -------------------------------------------------------------------------------------

    def propose_note(
        self,
        *,
        actor: Actor,
        account_id: int,
        note: NoteIn | Mapping[str, Any],
        rationale: str = "",
        citations: Sequence[Citation] = (),
        conversation_id: int | None = None,
    ) -> ProposalOut:
        payload = parse(NoteIn, note)
        diff = [FieldChange(field=k, after=v) for k, v in _json(payload).items() if v not in (None, [], "")]
        return self._create(
            actor,
            account_id,
            ProposalKind.NOTE,
            f"Add {_noun(payload.kind.value)} note dated {payload.occurred_on}",
            {"note": _json(payload)},
            diff,
            rationale,
            citations,
            conversation_id,
        )

    def propose_action_item(
        self,
        *,
        actor: Actor,
        account_id: int,
        item: ActionItemIn | Mapping[str, Any],
        rationale: str = "",
        citations: Sequence[Citation] = (),
        conversation_id: int | None = None,
    ) -> ProposalOut:
        payload = parse(ActionItemIn, item)
        if payload.stakeholder_id is not None:
            self._records.stakeholders.get(actor=actor, account_id=account_id, stakeholder_id=payload.stakeholder_id)
        diff = [FieldChange(field=k, after=v) for k, v in _json(payload).items() if v not in (None, [], "")]
        return self._create(
            actor,
            account_id,
            ProposalKind.ACTION_ITEM,
            f"Add action: {payload.title} ({payload.owner})",
            {"item": _json(payload)},
            diff,
            rationale,
            citations,
            conversation_id,
        )

    def propose_stakeholder_update(
        self,
        *,
        actor: Actor,
        account_id: int,
        stakeholder_id: int,
        changes: StakeholderUpdate | Mapping[str, Any],
        rationale: str = "",
        citations: Sequence[Citation] = (),
        conversation_id: int | None = None,
    ) -> ProposalOut:
        payload = parse(StakeholderUpdate, changes)
        wanted = payload.model_dump(mode="json", exclude_unset=True)
        if not wanted:
            raise Conflict("changes", "nothing to change")
        current = self._records.stakeholders.get(actor=actor, account_id=account_id, stakeholder_id=stakeholder_id)
        diff = _diff(current.model_dump(mode="json"), wanted)
        if not diff:
            raise Conflict("changes", f"{current.name} already has these values")
        summary = f"Update {current.name}: " + ", ".join(f"{c.field} {c.before} → {c.after}" for c in diff)
        return self._create(
            actor,
            account_id,
            ProposalKind.STAKEHOLDER_UPDATE,
            summary[:500],
            {"stakeholder_id": stakeholder_id, "changes": wanted},
            diff,
            rationale,
            citations,
            conversation_id,
        )

    def propose_health_assessment(
        self,
        *,
        actor: Actor,
        account_id: int,
        assessment: HealthAssessmentIn | Mapping[str, Any],
        rationale: str = "",
        citations: Sequence[Citation] = (),
        conversation_id: int | None = None,
    ) -> ProposalOut:
        payload = parse(HealthAssessmentIn, assessment)
        latest = self._records.health.list(actor=actor, account_id=account_id, assessor=payload.assessor, limit=1)
        before = (
            {"overall": latest[0].overall.value, **{z.zone.value: z.score for z in latest[0].zones}} if latest else {}
        )
        after = {"overall": payload.overall.value, **{z.zone.value: z.score for z in payload.zones}}
        diff = [FieldChange(field=k, before=before.get(k), after=v) for k, v in after.items()]
        zones = ", ".join(f"{z.zone.value} {z.score}" for z in payload.zones)
        return self._create(
            actor,
            account_id,
            ProposalKind.HEALTH_ASSESSMENT,
            f"Record health assessment: {payload.overall.value} ({zones})",
            {"assessment": _json(payload)},
            diff,
            rationale,
            citations,
            conversation_id,
        )

    def propose_charter_revision(
        self,
        *,
        actor: Actor,
        account_id: int,
        charter: CharterIn | Mapping[str, Any],
        rationale: str = "",
        citations: Sequence[Citation] = (),
        conversation_id: int | None = None,
    ) -> ProposalOut:
        payload = parse(CharterIn, charter)
        current = self._records.charters.current(actor=actor, account_id=account_id)
        preview = self.preview_charter(actor=actor, account_id=account_id, charter=payload, current=current)
        if current is None:
            diff = [FieldChange(field=clause, after=text) for clause, text in charter_clauses(preview).items()]
        else:
            diff = [
                FieldChange(field=c.clause, before=c.before, after=c.after)
                for c in diff_charters(current, preview).changes
            ]
        signatories = ", ".join(s.name for s in preview.signatories) or "no signatories yet"
        return self._create(
            actor,
            account_id,
            ProposalKind.CHARTER_REVISION,
            f"Draft charter v{preview.version} ({len(diff)} clause changes; approval needed from {signatories})"[:500],
            {"charter": _json(payload)},
            diff,
            rationale,
            citations,
            conversation_id,
        )

    def preview_charter(
        self, *, actor: Actor, account_id: int, charter: CharterIn, current: CharterOut | None
    ) -> CharterOut:
        """The proposed content shaped like a stored version, so it can be diffed clause by clause."""
        metrics = {m.key: m for m in self._records.metrics.list(actor=actor, account_id=account_id)}
        people = {
            s.id: s for s in self._records.stakeholders.list(actor=actor, account_id=account_id, include_inactive=True)
        }
        signatory_ids = charter.signatory_ids or ([s.stakeholder_id for s in current.signatories] if current else [])
        return CharterOut(
            id=0,
            account_id=account_id,
            version=(current.version + 1) if current else 1,
            status="draft",
            parent_id=current.id if current else None,
            created_by=actor.name,
            **charter.model_dump(exclude={"targets", "signatory_ids"}),
            targets=[
                TargetOut(
                    metric_id=metrics[t.metric_key].id,
                    metric_key=t.metric_key,
                    metric_name=metrics[t.metric_key].name,
                    unit=metrics[t.metric_key].unit,
                    direction=metrics[t.metric_key].direction,
                    target=t.target,
                )
                for t in charter.targets
                if t.metric_key in metrics
            ],
            signatories=[
                SignatoryOut(
                    stakeholder_id=i, name=people[i].name, title=people[i].title, side=people[i].side, approved_on=None
                )
                for i in signatory_ids
                if i in people
            ],
        )

    # --- reading ---------------------------------------------------------------------------------------

    def list(
        self, *, actor: Actor, status: ProposalStatus | None = None, account_id: int | None = None, limit: int = 100
    ) -> builtins.list[ProposalOut]:
        with read_session(self._sessions) as session:
            visible = visible_account_ids(session, actor)
            stmt = select(Proposal).where(Proposal.account_id.in_(visible)).order_by(Proposal.id.desc()).limit(limit)
            if status is not None:
                stmt = stmt.where(Proposal.status == status)
            if account_id is not None:
                stmt = stmt.where(Proposal.account_id == account_id)
            return [ProposalOut.of(p) for p in session.scalars(stmt)]

    def get(self, *, actor: Actor, proposal_id: int) -> ProposalOut:
        with read_session(self._sessions) as session:
            return ProposalOut.of(self._visible(session, actor, proposal_id))

    # --- deciding --------------------------------------------------------------------------------------

    def approve(self, *, actor: Actor, proposal_id: int) -> ProposalOut:
        """Apply the change and mark the proposal applied, in one transaction; if the change is refused
        nothing is applied and the proposal is marked failed with the reason."""
        with read_session(self._sessions) as session:
            self._pending(session, actor, proposal_id)
        try:
            with permit_writes(), write_transaction(self._sessions) as session:
                proposal = self._pending(session, actor, proposal_id)
                proposal.result = self._apply(actor.via(Channel.ASSISTANT), proposal)
                self._decide(proposal, actor, ProposalStatus.APPLIED)
                session.flush()
                return ProposalOut.of(proposal)
        except RecordsError as exc:
            return self._finish(actor, proposal_id, ProposalStatus.FAILED, str(exc))

    def reject(self, *, actor: Actor, proposal_id: int, reason: str = "") -> ProposalOut:
        return self._finish(actor, proposal_id, ProposalStatus.REJECTED, reason or None)

    # --- internals -------------------------------------------------------------------------------------

    def _create(
        self,
        actor: Actor,
        account_id: int,
        kind: ProposalKind,
        summary: str,
        payload: dict[str, Any],
        diff: builtins.list[FieldChange],
        rationale: str,
        citations: Sequence[Citation],
        conversation_id: int | None,
    ) -> ProposalOut:
        with permit_writes(), write_transaction(self._sessions) as session:
            get_visible_account(session, actor, account_id)
            proposal = Proposal(
                user_id=actor.user_id,
                account_id=account_id,
                conversation_id=conversation_id,
                kind=kind,
                summary=summary,
                rationale=rationale[:4000],
                payload=payload,
                diff=[c.model_dump(mode="json") for c in diff],
                citations=[c.model_dump(mode="json") for c in citations],
            )
            session.add(proposal)
            session.flush()
            created = ProposalOut.of(proposal)
        user = self._records.users.get(user_id=actor.user_id)
        if kind.value in AUTO_APPROVABLE and kind.value in user.auto_approve and kind not in NEVER_AUTO_APPROVED:
            return self.approve(actor=actor, proposal_id=created.id)
        return created

    def _apply(self, actor: Actor, proposal: Proposal) -> dict[str, Any]:
        records, account_id, payload = self._records, proposal.account_id, proposal.payload
        if proposal.kind is ProposalKind.NOTE:
            note = records.notes.create(actor=actor, account_id=account_id, data=payload["note"])
            return {"entity": "note", "id": note.id}
        if proposal.kind is ProposalKind.ACTION_ITEM:
            item = records.actions.create(actor=actor, account_id=account_id, data=payload["item"])
            return {"entity": "action_item", "id": item.id}
        if proposal.kind is ProposalKind.STAKEHOLDER_UPDATE:
            person = records.stakeholders.update(
                actor=actor, account_id=account_id, stakeholder_id=payload["stakeholder_id"], data=payload["changes"]
            )
            return {"entity": "stakeholder", "id": person.id}
        if proposal.kind is ProposalKind.HEALTH_ASSESSMENT:
            assessment = records.health.create(actor=actor, account_id=account_id, data=payload["assessment"])
            return {"entity": "health_assessment", "id": assessment.id}
        draft = records.charters.create_draft(actor=actor, account_id=account_id, data=payload["charter"])
        return {"entity": "charter", "id": draft.id, "version": draft.version}

    def _finish(self, actor: Actor, proposal_id: int, status: ProposalStatus, error: str | None) -> ProposalOut:
        with permit_writes(), write_transaction(self._sessions) as session:
            proposal = self._pending(session, actor, proposal_id)
            self._decide(proposal, actor, status)
            proposal.error = error
            session.flush()
            return ProposalOut.of(proposal)

    @staticmethod
    def _decide(proposal: Proposal, actor: Actor, status: ProposalStatus) -> None:
        proposal.status = status
        proposal.decided_at = utcnow()
        proposal.decided_by_id = actor.user_id

    def _visible(self, session: Session, actor: Actor, proposal_id: int) -> Proposal:
        proposal = session.get(Proposal, proposal_id)
        if proposal is None or proposal.account_id not in visible_account_ids(session, actor):
            raise NotFound("proposal", proposal_id)
        return proposal

    def _pending(self, session: Session, actor: Actor, proposal_id: int) -> Proposal:
        proposal = self._visible(session, actor, proposal_id)
        if proposal.status is not ProposalStatus.PENDING:
            raise Conflict("status", f"proposal {proposal_id} is already {proposal.status.value}")
        return proposal
