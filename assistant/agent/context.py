"""The per-run context every tool receives (through `ToolRuntime[AssistantContext]`), never a global.

It fixes who is asking (the actor, whose portfolio bounds every read), which account a bound conversation is
about, and the services the tools may use. Record changes go through `proposals` only; the runner also
refuses any other database write for the duration of the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, runtime_checkable

from assistant.citations import Claim
from assistant.drafting.models import (
    CharterRevisionDraft,
    HealthAssessmentDraft,
    MeetingBrief,
    QuarterlyReview,
    TenKeysReview,
)
from assistant.drafting.signal_types import EarlyWarning
from assistant.proposals.service import ProposalService
from assistant.records import Records
from assistant.records.actor import Actor
from assistant.retrieval import Retrieval
from knowledge.curriculum import Lesson


@runtime_checkable
class Drafter(Protocol):
    """What the tools need from the drafting service (deterministic, cited drafts)."""

    def early_warnings(self, actor: Actor, account_id: int, *, today: date | None = None) -> list[EarlyWarning]: ...

    def stakeholder_gaps(self, actor: Actor, account_id: int, *, today: date | None = None) -> list[Claim]: ...

    def meeting_brief(
        self,
        actor: Actor,
        account_id: int,
        *,
        stakeholder_ids: list[int] | None = None,
        meeting_date: date | None = None,
        today: date | None = None,
    ) -> MeetingBrief: ...

    def health_assessment(
        self, actor: Actor, account_id: int, *, today: date | None = None
    ) -> HealthAssessmentDraft: ...

    def charter_revision(
        self, actor: Actor, account_id: int, *, trigger: str, request: str | None = None, today: date | None = None
    ) -> CharterRevisionDraft: ...

    def quarterly_review(self, actor: Actor, account_id: int, *, today: date | None = None) -> QuarterlyReview: ...

    def ten_keys_review(self, actor: Actor, account_id: int | None, *, today: date | None = None) -> TenKeysReview: ...


@dataclass
class AssistantContext:
    actor: Actor
    records: Records
    retrieval: Retrieval
    drafting: Drafter
    proposals: ProposalService
    today: date
    account_id: int | None = None
    conversation_id: int | None = None
    curriculum: list[Lesson] = field(default_factory=list)
