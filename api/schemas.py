"""HTTP shapes the API adds on top of the records and assistant models (which it returns as they are)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from assistant.drafting.models import (
    CharterRevisionDraft,
    CharterTrigger,
    HealthAssessmentDraft,
    MeetingBrief,
    QuarterlyReview,
    TenKeysReview,
)
from assistant.proposals.service import ProposalOut
from assistant.records.schemas import StakeholderIn, UserOut
from assistant.records.schemas.common import RecordRef
from knowledge.curriculum import LessonKind

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
Id = RecordRef


class ApiIn(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- chat ------------------------------------------------------------------------------------------------


class ConversationIn(ApiIn):
    account_id: Id | None = Field(default=None, description="bind the conversation to one account of yours")
    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""


class MessageIn(ApiIn):
    content: Text
    stream: bool = Field(default=False, description="answer as Server-Sent Events instead of one JSON reply")


# --- drafts ----------------------------------------------------------------------------------------------


class MeetingBriefIn(ApiIn):
    stakeholder_ids: list[Id] | None = Field(default=None, max_length=50, description="who attends; default all")
    meeting_date: date | None = Field(default=None, description="default: the next working day")


class CharterRevisionIn(ApiIn):
    trigger: CharterTrigger = CharterTrigger.USER_REQUEST
    request: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4_000)] | None = None


class QuarterlyReviewOut(BaseModel):
    draft: QuarterlyReview
    markdown: str


class MeetingBriefOut(BaseModel):
    draft: MeetingBrief
    markdown: str


class TenKeysReviewOut(BaseModel):
    draft: TenKeysReview
    markdown: str


class HealthAssessmentDraftOut(BaseModel):
    draft: HealthAssessmentDraft
    markdown: str
    proposal: ProposalOut | None = Field(description="the assessment saved as a proposal for you to approve")


class CharterRevisionDraftOut(BaseModel):
    draft: CharterRevisionDraft
    markdown: str
    proposal: ProposalOut | None = Field(
        description="the next charter version saved as a proposal; none when the account has no charter yet"
    )


# --- records extras --------------------------------------------------------------------------------------


class StakeholderReplaceIn(ApiIn):
    successor: StakeholderIn
    left_on: date


class CharterApprovalIn(ApiIn):
    signatory_id: Id
    approved_on: date | None = None


class RejectIn(ApiIn):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2_000)] = ""


# --- learning --------------------------------------------------------------------------------------------


class LessonSummary(BaseModel):
    id: str
    title: str
    kind: LessonKind
    order: int | None
    tags: list[str]
    summary: str
    has_exercise: bool
    quiz_questions: int


class QuizQuestionOut(BaseModel):
    """A quiz question as a learner sees it: without the answer."""

    question: str
    options: list[str]


class LessonOut(LessonSummary):
    body: str
    sections: list[str]
    exercise_prompt: str | None
    quiz: list[QuizQuestionOut]


class QuizIn(ApiIn):
    answers: list[Annotated[int, Field(ge=0, le=100)]] = Field(
        max_length=100, description="the index of the chosen option, one per question, in order"
    )


class ExerciseIn(ApiIn):
    answer: Text


class FeedbackOut(BaseModel):
    lesson_id: str
    score: float = Field(description="share of the rubric points the answer covers, 0 to 1")
    covered: list[str]
    missing: list[str]
    model_answer: str


# --- knowledge -------------------------------------------------------------------------------------------


class DocumentOut(BaseModel):
    source: str = Field(description="the name the document is cited by")
    status: Literal["added", "updated", "unchanged"]
    chunks_written: int


# --- system ----------------------------------------------------------------------------------------------


class MeOut(UserOut):
    backend: str = Field(description="the language model backend that answers your chats")


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"


class CheckOut(BaseModel):
    ok: bool
    detail: str


class Readiness(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, CheckOut]
