"""`AssistantService`: the one facade the CLI, the API, the UI and the eval suite call.

Evals score exactly what users get because every surface goes through these methods: chat turns (streamed as
typed events and persisted with their tool calls and citations), cited drafts, coaching, proposals, search.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from pydantic import BaseModel

from assistant.agent.context import AssistantContext
from assistant.agent.events import ChatEvent, DoneEvent
from assistant.agent.operations.coaching import find_lesson, grade_exercise
from assistant.agent.runner import ChatRunner, TurnResult
from assistant.citations import Citation, Claim
from assistant.clock import today
from assistant.conversations.models import MessageRole
from assistant.conversations.service import ConversationOut, ConversationService, MessageOut
from assistant.drafting.models import (
    CharterRevisionDraft,
    HealthAssessmentDraft,
    MeetingBrief,
    QuarterlyReview,
    TenKeysReview,
)
from assistant.drafting.signal_types import EarlyWarning
from assistant.proposals.models import ProposalStatus
from assistant.proposals.service import ProposalOut, ProposalService
from assistant.records import Records
from assistant.records.actor import Actor
from assistant.records.errors import NotFound
from assistant.retrieval import Retrieval

if TYPE_CHECKING:
    from assistant.agent.artifacts import FeedbackArtifact
    from assistant.agent.context import Drafter
    from knowledge.curriculum import Lesson
    from knowledge.sync import IngestReport, Progress

HISTORY_TURNS = 10


class ChatReply(BaseModel):
    """A finished turn, for callers that do not stream."""

    conversation_id: int
    message: MessageOut
    proposals: list[ProposalOut]
    flagged: list[Citation]
    error: str | None = None
    retryable: bool = False


class QuizResult(BaseModel):
    lesson_id: str
    correct: int
    total: int
    feedback: list[str]


@dataclass
class AssistantService:
    records: Records
    retrieval: Retrieval
    drafting: Drafter
    proposals: ProposalService
    conversations: ConversationService
    runner: ChatRunner
    curriculum: list[Lesson]
    backend: str
    clock: Callable[[], date] = today

    # --- chat ------------------------------------------------------------------------------------------

    def context(
        self, actor: Actor, *, account_id: int | None = None, conversation_id: int | None = None
    ) -> AssistantContext:
        return AssistantContext(
            actor=actor,
            records=self.records,
            retrieval=self.retrieval,
            drafting=self.drafting,
            proposals=self.proposals,
            today=self.clock(),
            account_id=account_id,
            conversation_id=conversation_id,
            curriculum=self.curriculum,
        )

    def start_conversation(self, actor: Actor, *, account_id: int | None = None, title: str = "") -> ConversationOut:
        return self.conversations.create(actor=actor, account_id=account_id, title=title)

    def chat(self, actor: Actor, conversation_id: int, text: str, *, keep_failed: bool = True) -> Iterator[ChatEvent]:
        """One turn, streamed. The user's message and the answer are persisted; the last event is `done`.

        With `keep_failed=False` (the HTTP API) a turn the backend could not answer (a retryable error) leaves
        no trace: the user's message is only saved with the answer, and the stream ends with the `error` event.
        """
        conversation = self.conversations.get(actor=actor, conversation_id=conversation_id)
        if not text.strip():
            raise ValueError("message must not be empty")
        history = _history(conversation)
        if keep_failed:
            self.conversations.add_message(
                actor=actor, conversation_id=conversation_id, role=MessageRole.USER, content=text
            )
        ctx = self.context(actor, account_id=conversation.account_id, conversation_id=conversation_id)
        started = time.monotonic()
        result = TurnResult()
        for item in self.runner.run(ctx, history, text):
            if isinstance(item, TurnResult):
                result = item
            else:
                yield item
        if result.error is not None:
            self._withdraw(actor, result.proposals)
            if result.retryable and not keep_failed:
                return
        if not keep_failed:
            self.conversations.add_message(
                actor=actor, conversation_id=conversation_id, role=MessageRole.USER, content=text
            )
        message = self.conversations.add_message(
            actor=actor,
            conversation_id=conversation_id,
            role=MessageRole.ASSISTANT,
            content=result.answer,
            tool_calls=result.tool_calls,
            citations=result.citations or result.consulted,
            proposal_ids=[p.id for p in result.proposals],
            backend=self.backend,
            tokens_in=result.tokens_in,
            tokens_out=result.tokens_out,
            latency_ms=int((time.monotonic() - started) * 1000),
            error=result.error,
        )
        yield DoneEvent(message=message)

    def answer(
        self, actor: Actor, history: Sequence[tuple[str, str]], text: str, *, account_id: int | None = None
    ) -> Iterator[ChatEvent | TurnResult]:
        """A turn over a history the caller keeps (the OpenAI-compatible endpoint): nothing is persisted but the
        proposals it makes. `history` is (role, content) pairs with role "user" or "assistant"; the last item
        yielded is the `TurnResult`."""
        if not text.strip():
            raise ValueError("message must not be empty")
        if account_id is not None:
            self.records.accounts.get(actor=actor, account_id=account_id)
        messages: list[BaseMessage] = [
            HumanMessage(content) if role == "user" else AIMessage(content) for role, content in history if content
        ]
        result: TurnResult | None = None
        for item in self.runner.run(self.context(actor, account_id=account_id), messages[-2 * HISTORY_TURNS :], text):
            if isinstance(item, TurnResult):
                result = item
            yield item
        if result is not None and result.error is not None:
            self._withdraw(actor, result.proposals)

    def ask(self, actor: Actor, conversation_id: int, text: str, *, keep_failed: bool = True) -> ChatReply:
        """The same turn, collected: for the non-streaming API, the CLI's one-shot commands and the evals.

        With `keep_failed=False` a turn the backend could not answer raises `LLMUnavailable` and saves nothing.
        """
        done: MessageOut | None = None
        error, retryable = None, False
        proposals: list[ProposalOut] = []
        flagged: list[Citation] = []
        for event in self.chat(actor, conversation_id, text, keep_failed=keep_failed):
            if event.type == "done":
                done = event.message
            elif event.type == "proposal":
                proposals.append(event.proposal)
            elif event.type == "flagged":
                flagged.append(event.citation)
            elif event.type == "error":
                error, retryable = event.message, event.retryable
        if done is None:  # only a turn that failed with keep_failed=False ends without `done`
            from assistant.llm import LLMUnavailable

            raise LLMUnavailable(error or "the language model backend did not answer")
        return ChatReply(
            conversation_id=conversation_id,
            message=done,
            proposals=proposals,
            flagged=flagged,
            error=error,
            retryable=retryable,
        )

    def _withdraw(self, actor: Actor, proposals: Sequence[ProposalOut]) -> None:
        """A turn that failed leaves no half-finished work behind: its pending proposals are withdrawn."""
        for proposal in proposals:
            if proposal.status is ProposalStatus.PENDING:
                self.proposals.reject(actor=actor, proposal_id=proposal.id, reason="the turn that proposed this failed")

    # --- drafts ----------------------------------------------------------------------------------------

    def early_warnings(self, actor: Actor, account_id: int) -> list[EarlyWarning]:
        return self.drafting.early_warnings(actor, account_id, today=self.clock())

    def stakeholder_gaps(self, actor: Actor, account_id: int) -> list[Claim]:
        return self.drafting.stakeholder_gaps(actor, account_id, today=self.clock())

    def conversations_of(self, actor: Actor, *, account_id: int | None = None) -> list[ConversationOut]:
        """The caller's conversations (about one account, or all), newest first."""
        return self.conversations.list(actor=actor, account_id=account_id)

    def conversation(self, actor: Actor, conversation_id: int) -> ConversationOut:
        return self.conversations.get(actor=actor, conversation_id=conversation_id)

    def proposal(self, actor: Actor, proposal_id: int) -> ProposalOut:
        return self.proposals.get(actor=actor, proposal_id=proposal_id)

    def meeting_brief(
        self,
        actor: Actor,
        account_id: int,
        *,
        stakeholder_ids: list[int] | None = None,
        meeting_date: date | None = None,
    ) -> MeetingBrief:
        return self.drafting.meeting_brief(
            actor, account_id, stakeholder_ids=stakeholder_ids, meeting_date=meeting_date, today=self.clock()
        )

    def quarterly_review(self, actor: Actor, account_id: int) -> QuarterlyReview:
        return self.drafting.quarterly_review(actor, account_id, today=self.clock())

    def ten_keys_review(self, actor: Actor, account_id: int | None = None) -> TenKeysReview:
        return self.drafting.ten_keys_review(actor, account_id, today=self.clock())

    def health_assessment(
        self, actor: Actor, account_id: int, *, propose: bool = True
    ) -> tuple[HealthAssessmentDraft, ProposalOut | None]:
        """The evidence-based assessment, saved as a proposal the user approves (unless `propose=False`)."""
        draft = self.drafting.health_assessment(actor, account_id, today=self.clock())
        if not propose:
            return draft, None
        proposal = self.proposals.propose_health_assessment(
            actor=actor,
            account_id=account_id,
            assessment=draft.to_assessment_in(),
            rationale=draft.summary,
            citations=draft.citations(),
        )
        return draft, proposal

    def charter_revision(
        self,
        actor: Actor,
        account_id: int,
        *,
        trigger: str = "user_request",
        request: str | None = None,
        propose: bool = True,
    ) -> tuple[CharterRevisionDraft, ProposalOut | None]:
        draft = self.drafting.charter_revision(actor, account_id, trigger=trigger, request=request, today=self.clock())
        if not propose or draft.proposed is None:
            return draft, None
        proposal = self.proposals.propose_charter_revision(
            actor=actor,
            account_id=account_id,
            charter=draft.proposed,
            rationale=draft.summary,
            citations=draft.citations(),
        )
        return draft, proposal

    # --- coaching --------------------------------------------------------------------------------------

    def lessons(self) -> list[Lesson]:
        return list(self.curriculum)

    def lesson(self, lesson_id: str) -> Lesson:
        lesson = find_lesson(self.curriculum, lesson_id)
        if lesson is None:
            raise NotFound("lesson", lesson_id)
        return lesson

    def grade_exercise(self, lesson_id: str, answer: str) -> FeedbackArtifact:
        if not answer.strip():
            raise ValueError("answer must not be empty")
        return grade_exercise(self.lesson(lesson_id), answer)

    def check_quiz(self, lesson_id: str, answers: Sequence[int]) -> QuizResult:
        lesson = self.lesson(lesson_id)
        if len(answers) != len(lesson.quiz):
            raise ValueError(f"answers: expected {len(lesson.quiz)} answers, got {len(answers)}")
        feedback, correct = [], 0
        for number, (question, answer) in enumerate(zip(lesson.quiz, answers, strict=True), start=1):
            if answer == question.answer:
                correct += 1
                feedback.append(f"{number}. Correct — {question.explanation}")
            else:
                right = question.options[question.answer]
                feedback.append(f"{number}. Not quite: the answer is “{right}”. {question.explanation}")
        return QuizResult(lesson_id=lesson.id, correct=correct, total=len(lesson.quiz), feedback=feedback)

    # --- proposals -------------------------------------------------------------------------------------

    def list_proposals(
        self, actor: Actor, *, status: ProposalStatus | None = None, account_id: int | None = None
    ) -> list[ProposalOut]:
        return self.proposals.list(actor=actor, status=status, account_id=account_id)

    def approve(self, actor: Actor, proposal_id: int) -> ProposalOut:
        return self.proposals.approve(actor=actor, proposal_id=proposal_id)

    def reject(self, actor: Actor, proposal_id: int, reason: str = "") -> ProposalOut:
        return self.proposals.reject(actor=actor, proposal_id=proposal_id, reason=reason)

    # --- knowledge -------------------------------------------------------------------------------------

    def search(
        self, actor: Actor, query: str, *, k: int = 5, account_id: int | None = None, include_notes: bool = True
    ) -> list[Citation]:
        """Curriculum and documents for everyone; notes only of accounts in the caller's portfolio."""
        if account_id is not None:
            self.records.accounts.get(actor=actor, account_id=account_id)
            scope = [account_id]
        else:
            scope = self.records.accounts.visible_ids(actor=actor)
        if not include_notes:
            return self.retrieval.search(query, k=k, kinds=("curriculum", "document"))
        return self.retrieval.search(query, k=k, kinds=("curriculum", "document", "note"), account_ids=scope)

    def ingest(self, paths: Sequence[Path], *, progress: Progress | None = None) -> IngestReport:
        return self.retrieval.ingest(paths, progress=progress)


def _history(conversation: ConversationOut) -> list[BaseMessage]:
    """The last turns as plain messages: enough for follow-ups, bounded so a long thread stays cheap."""
    recent = conversation.messages[-2 * HISTORY_TURNS :]
    return [
        HumanMessage(m.content) if m.role is MessageRole.USER else AIMessage(m.content) for m in recent if m.content
    ]
