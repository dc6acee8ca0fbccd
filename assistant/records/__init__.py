"""The records domain: what a strategic account manager works from.

`build_records(sessions)` wires every service over one session factory; callers use the `Records` bundle.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from assistant.records.services.accounts import AccountService
from assistant.records.services.audit import AuditService
from assistant.records.services.charters import CharterService
from assistant.records.services.health import HealthService
from assistant.records.services.keys import ApiKeyService
from assistant.records.services.learning import LearningService
from assistant.records.services.metrics import MetricService
from assistant.records.services.notes import NoteListener, NoteService
from assistant.records.services.plans import ActionService, OpportunityService
from assistant.records.services.stakeholders import StakeholderService
from assistant.records.services.users import UserService


@dataclass(frozen=True)
class Records:
    accounts: AccountService
    stakeholders: StakeholderService
    charters: CharterService
    metrics: MetricService
    notes: NoteService
    health: HealthService
    actions: ActionService
    opportunities: OpportunityService
    users: UserService
    audit: AuditService
    keys: ApiKeyService
    learning: LearningService


def build_records(sessions: sessionmaker[Session], *, note_listener: NoteListener | None = None) -> Records:
    return Records(
        accounts=AccountService(sessions),
        stakeholders=StakeholderService(sessions),
        charters=CharterService(sessions),
        metrics=MetricService(sessions),
        notes=NoteService(sessions, listener=note_listener),
        health=HealthService(sessions),
        actions=ActionService(sessions),
        opportunities=OpportunityService(sessions),
        users=UserService(sessions),
        audit=AuditService(sessions),
        keys=ApiKeyService(sessions),
        learning=LearningService(sessions),
    )


__all__ = ["NoteListener", "Records", "build_records"]
