"""Queries over notes, health assessments, action items, opportunities and the audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from assistant.records.enums import ActionStatus, Assessor, EvidenceKind
from assistant.records.errors import NotFound
from assistant.records.models import (
    ActionItem,
    AuditEvent,
    HealthAssessment,
    Metric,
    MetricReading,
    Note,
    Opportunity,
    Stakeholder,
)
from assistant.records.repositories.accounts import like_escape
from assistant.records.schemas import NoteOut, OpportunityOut


def list_notes(
    session: Session,
    account_id: int,
    *,
    since: date | None = None,
    until: date | None = None,
    text: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Note]:
    stmt = (
        select(Note)
        .where(Note.account_id == account_id)
        .options(selectinload(Note.mentions))
        .order_by(Note.occurred_on.desc(), Note.id.desc())
        .limit(limit)
        .offset(offset)
    )
    if since is not None:
        stmt = stmt.where(Note.occurred_on >= since)
    if until is not None:
        stmt = stmt.where(Note.occurred_on <= until)
    if text:
        stmt = stmt.where(Note.body.ilike(f"%{like_escape(text)}%", escape="\\"))
    return list(session.scalars(stmt))


def count_notes(session: Session, account_id: int) -> int:
    return session.scalar(select(func.count(Note.id)).where(Note.account_id == account_id)) or 0


def get_note(session: Session, note_id: int) -> Note:
    note = session.scalar(select(Note).where(Note.id == note_id).options(selectinload(Note.mentions)))
    if note is None:
        raise NotFound("note", note_id)
    return note


def find_note_by_external_id(session: Session, account_id: int, external_id: str) -> Note | None:
    return session.scalar(select(Note).where(Note.account_id == account_id, Note.external_id == external_id))


def note_out(note: Note) -> NoteOut:
    return NoteOut.model_validate(
        {
            **{f: getattr(note, f) for f in NoteOut.model_fields if f != "mentioned_ids"},
            "mentioned_ids": sorted(s.id for s in note.mentions),
        }
    )


def list_assessments(
    session: Session, account_id: int, *, assessor: Assessor | None = None, limit: int = 50
) -> list[HealthAssessment]:
    stmt = (
        select(HealthAssessment)
        .where(HealthAssessment.account_id == account_id)
        .options(selectinload(HealthAssessment.zones))
        .order_by(HealthAssessment.assessed_on.desc(), HealthAssessment.id.desc())
        .limit(limit)
    )
    if assessor is not None:
        stmt = stmt.where(HealthAssessment.assessor == assessor)
    return list(session.scalars(stmt))


def get_assessment(session: Session, account_id: int, assessment_id: int) -> HealthAssessment:
    found = session.scalar(
        select(HealthAssessment)
        .where(HealthAssessment.id == assessment_id, HealthAssessment.account_id == account_id)
        .options(selectinload(HealthAssessment.zones))
    )
    if found is None:
        raise NotFound("health assessment", assessment_id)
    return found


def existing_evidence_ids(
    session: Session, account_id: int, kind: EvidenceKind, ids: Sequence[int], *, not_after: date | None = None
) -> set[int]:
    """Which of `ids` exist *and belong to this account* (and, for dated evidence, are not later than
    `not_after`): evidence never crosses accounts, and an assessment cannot rest on what had not happened yet."""
    if not ids:
        return set()
    if kind is EvidenceKind.NOTE:
        stmt = select(Note.id).where(Note.account_id == account_id, Note.id.in_(ids))
        if not_after is not None:
            stmt = stmt.where(Note.occurred_on <= not_after)
    elif kind is EvidenceKind.STAKEHOLDER:
        stmt = select(Stakeholder.id).where(Stakeholder.account_id == account_id, Stakeholder.id.in_(ids))
    else:
        stmt = (
            select(MetricReading.id)
            .join(Metric, Metric.id == MetricReading.metric_id)
            .where(Metric.account_id == account_id, MetricReading.id.in_(ids))
        )
        if not_after is not None:
            stmt = stmt.where(MetricReading.period_end <= not_after)
    return set(session.scalars(stmt))


def list_actions(
    session: Session, account_id: int, *, status: Sequence[ActionStatus] | None = None, limit: int = 200
) -> list[ActionItem]:
    stmt = (
        select(ActionItem)
        .where(ActionItem.account_id == account_id)
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
        .limit(limit)
    )
    if status:
        stmt = stmt.where(ActionItem.status.in_(list(status)))
    return list(session.scalars(stmt))


def get_action(session: Session, account_id: int, action_id: int) -> ActionItem:
    found = session.scalar(select(ActionItem).where(ActionItem.id == action_id, ActionItem.account_id == account_id))
    if found is None:
        raise NotFound("action item", action_id)
    return found


def list_opportunities(session: Session, account_id: int) -> list[Opportunity]:
    return list(
        session.scalars(
            select(Opportunity)
            .where(Opportunity.account_id == account_id)
            .options(selectinload(Opportunity.stakeholders))
            .order_by(Opportunity.estimated_value.desc(), Opportunity.id)
        )
    )


def get_opportunity(session: Session, account_id: int, opportunity_id: int) -> Opportunity:
    found = session.scalar(
        select(Opportunity)
        .where(Opportunity.id == opportunity_id, Opportunity.account_id == account_id)
        .options(selectinload(Opportunity.stakeholders))
    )
    if found is None:
        raise NotFound("opportunity", opportunity_id)
    return found


def opportunity_out(opportunity: Opportunity) -> OpportunityOut:
    return OpportunityOut.model_validate(
        {
            **{f: getattr(opportunity, f) for f in OpportunityOut.model_fields if f != "stakeholder_ids"},
            "stakeholder_ids": sorted(s.id for s in opportunity.stakeholders),
        }
    )


def list_audit_events(
    session: Session,
    *,
    account_ids: Sequence[int] | None = None,
    entity: str | None = None,
    entity_id: int | None = None,
    limit: int = 100,
) -> list[AuditEvent]:
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if account_ids is not None:
        stmt = stmt.where(AuditEvent.account_id.in_(list(account_ids)))
    if entity is not None:
        stmt = stmt.where(AuditEvent.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    return list(session.scalars(stmt))
