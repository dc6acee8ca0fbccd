"""Typed events of one chat turn, streamed to every surface (CLI, SSE, Streamlit) in the same shape."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from assistant.citations import Citation
from assistant.conversations.service import MessageOut
from assistant.proposals.service import ProposalOut


class TokenEvent(BaseModel):
    type: Literal["token"] = "token"
    text: str


class ToolStartEvent(BaseModel):
    type: Literal["tool_start"] = "tool_start"
    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    label: str


class ToolEndEvent(BaseModel):
    type: Literal["tool_end"] = "tool_end"
    name: str
    summary: str
    duration_ms: int = 0


class CitationEvent(BaseModel):
    type: Literal["citation"] = "citation"
    citation: Citation


class ProposalEvent(BaseModel):
    type: Literal["proposal"] = "proposal"
    proposal: ProposalOut


class FlaggedEvent(BaseModel):
    """An untrusted passage that contained instructions; it was shown as data and not obeyed."""

    type: Literal["flagged"] = "flagged"
    citation: Citation


class DoneEvent(BaseModel):
    type: Literal["done"] = "done"
    message: MessageOut


class ErrorEvent(BaseModel):
    type: Literal["error"] = "error"
    message: str
    retryable: bool = False


ChatEvent = Annotated[
    TokenEvent | ToolStartEvent | ToolEndEvent | CitationEvent | ProposalEvent | FlaggedEvent | DoneEvent | ErrorEvent,
    Field(discriminator="type"),
]

TOOL_LABELS = {
    "list_accounts": "listing your accounts",
    "get_account_overview": "reading the account overview",
    "get_stakeholders": "reading the stakeholder map",
    "get_charter": "reading the partnership charter",
    "get_metrics": "reading success metrics",
    "get_health_history": "reading health assessments",
    "search_account_notes": "searching account notes",
    "search_curriculum": "searching the curriculum",
    "get_open_actions": "reading open actions",
    "get_early_warnings": "checking early-warning signals",
    "draft_meeting_brief": "drafting the meeting brief",
    "draft_quarterly_review": "drafting the quarterly review",
    "review_ten_keys": "reviewing the plan against the ten keys",
    "propose_note": "preparing a note for your approval",
    "propose_stakeholder_update": "preparing a stakeholder update for your approval",
    "propose_health_assessment": "preparing a health assessment for your approval",
    "propose_charter_revision": "preparing a charter revision for your approval",
    "propose_action_item": "preparing an action item for your approval",
    "get_lesson": "opening the lesson",
    "grade_exercise": "checking your answer against the rubric",
}
