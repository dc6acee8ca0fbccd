"""Health assessments: ours, the customer's and the assistant's, each zone scored with evidence."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from assistant.records.actor import Actor
from assistant.records.enums import Assessor, AuditAction, EvidenceKind
from assistant.records.errors import InvalidInput
from assistant.records.models import HealthAssessment, ZoneScore
from assistant.records.repositories import activity as repo
from assistant.records.repositories.scoping import get_visible_account
from assistant.records.schemas import HealthAssessmentIn, HealthAssessmentOut
from assistant.records.services.base import Service, parse, record_audit


class HealthService(Service):
    def list(
        self, *, actor: Actor, account_id: int, assessor: Assessor | None = None, limit: int = 50
    ) -> builtins.list[HealthAssessmentOut]:
        """Newest first."""
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            found = repo.list_assessments(session, account_id, assessor=assessor, limit=limit)
            return [HealthAssessmentOut.model_validate(a) for a in found]

    def get(self, *, actor: Actor, account_id: int, assessment_id: int) -> HealthAssessmentOut:
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            return HealthAssessmentOut.model_validate(repo.get_assessment(session, account_id, assessment_id))

    def create(
        self, *, actor: Actor, account_id: int, data: HealthAssessmentIn | Mapping[str, Any]
    ) -> HealthAssessmentOut:
        payload = parse(HealthAssessmentIn, data)
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            for kind in EvidenceKind:
                wanted = [ref.id for ref in payload.evidence if ref.kind is kind]
                found = repo.existing_evidence_ids(session, account_id, kind, wanted, not_after=payload.assessed_on)
                missing = sorted(set(wanted) - found)
                if missing:
                    raise InvalidInput.field(
                        "evidence",
                        f"{kind.value} {', '.join(map(str, missing))} not found on this account "
                        f"on or before {payload.assessed_on}",
                    )
            assessment = HealthAssessment(
                account_id=account_id,
                **payload.model_dump(mode="json", exclude={"zones", "evidence", "assessed_on"}),
                assessed_on=payload.assessed_on,
                evidence=[ref.model_dump(mode="json") for ref in payload.evidence],
                zones=[ZoneScore(**z.model_dump()) for z in payload.zones],
            )
            session.add(assessment)
            session.flush()
            out = HealthAssessmentOut.model_validate(assessment)
            record_audit(
                session,
                actor,
                entity="health_assessment",
                entity_id=assessment.id,
                action=AuditAction.CREATE,
                account_id=account_id,
                after=out,
            )
            return out
