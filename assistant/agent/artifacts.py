"""What each tool hands back besides its text: structured results with their citations.

The model reads a tool's text; the surfaces (streamed citations, proposal cards), the offline composer and the
eval suite read the artifact. Every artifact carries the citations its text refers to.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from assistant.citations import Citation
from assistant.drafting.models import Draft
from assistant.drafting.signal_types import EarlyWarning
from assistant.proposals.service import ProposalOut
from assistant.records.schemas import (
    AccountOut,
    AccountSummary,
    ActionItemOut,
    CharterOut,
    CoverageOut,
    HealthAssessmentOut,
    StakeholderOut,
)
from assistant.records.services.metrics import MetricSeries


class ToolArtifact(BaseModel):
    tool: str
    citations: list[Citation] = Field(default_factory=list)
    account: AccountOut | None = None
    # Untrusted passages that looked like instructions: shown to the user as flagged, never obeyed.
    flagged: list[Citation] = Field(default_factory=list)


class NotFoundArtifact(ToolArtifact):
    message: str


class AccountsArtifact(ToolArtifact):
    accounts: list[AccountSummary]


class OverviewArtifact(ToolArtifact):
    ours: HealthAssessmentOut | None = None
    customers: HealthAssessmentOut | None = None
    warnings: list[EarlyWarning] = Field(default_factory=list)
    open_actions: int = 0
    notes_last_90_days: int = 0
    counted_actions: list[Citation] = Field(default_factory=list)  # the open actions behind `open_actions`
    latest_note: Citation | None = None  # the newest of the `notes_last_90_days`


class StakeholdersArtifact(ToolArtifact):
    stakeholders: list[StakeholderOut]
    coverage: list[CoverageOut]
    gaps: list[str]


class CharterArtifact(ToolArtifact):
    current: CharterOut | None
    draft: CharterOut | None


class MetricsArtifact(ToolArtifact):
    series: list[MetricSeries]


class HealthHistoryArtifact(ToolArtifact):
    assessments: list[HealthAssessmentOut]


class PassagesArtifact(ToolArtifact):
    """Search results (notes or curriculum); the passages are in `citations`, best first."""

    query: str


class ActionsArtifact(ToolArtifact):
    actions: list[ActionItemOut]


class WarningsArtifact(ToolArtifact):
    warnings: list[EarlyWarning] = Field(default_factory=list)
    # Our latest health assessment: the state the warnings are read against ("vulnerable, and ...").
    ours: HealthAssessmentOut | None = None


class DraftArtifact(ToolArtifact):
    draft_kind: str
    draft: Draft = Field(description="the drafting model (MeetingBrief, QuarterlyReview, ...)")
    markdown: str


class ProposalArtifact(ToolArtifact):
    proposal: ProposalOut
    # The cited draft a proposal was built from (a charter revision's summary, clause changes and signatories),
    # so an answer can show the reasoning behind the diff; empty when the proposal has no draft.
    draft_markdown: str = ""


class LessonArtifact(ToolArtifact):
    lesson_id: str
    title: str
    summary: str
    exercise_prompt: str | None = None
    quiz: list[dict[str, Any]] = Field(default_factory=list)


class FeedbackArtifact(ToolArtifact):
    lesson_id: str
    covered: list[str]
    missing: list[str]
    score: float
    model_answer: str
