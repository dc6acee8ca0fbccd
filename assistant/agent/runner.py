"""Run one chat turn through the agent and translate LangGraph's stream into typed `ChatEvent`s.

The turn runs with database writes refused: tools read freely, and the only writes that can happen are
proposals (which lift the guard deliberately). Citations are checked after the fact: a ref the model wrote
that no tool returned is removed from the answer, so every citation the user sees points to real evidence.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain.agents.middleware.model_call_limit import ModelCallLimitExceededError
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, ToolMessage

from assistant.agent.artifacts import (
    DraftArtifact,
    PassagesArtifact,
    ProposalArtifact,
    ToolArtifact,
)
from assistant.agent.context import AssistantContext
from assistant.agent.events import (
    TOOL_LABELS,
    ChatEvent,
    CitationEvent,
    ErrorEvent,
    FlaggedEvent,
    ProposalEvent,
    TokenEvent,
    ToolEndEvent,
    ToolStartEvent,
)
from assistant.agent.middleware import TokenBudgetExceeded
from assistant.citations import Citation, refs_in
from assistant.conversations.service import ToolCallRecord
from assistant.db import refuse_writes
from assistant.prompts import BUDGET_EXCEEDED, STEP_LIMIT_REACHED
from assistant.proposals.service import ProposalOut
from assistant.settings import LLMSettings

_WORDS = re.compile(r"\S+\s*")


@dataclass
class TurnResult:
    answer: str = ""
    citations: list[Citation] = field(default_factory=list)
    consulted: list[Citation] = field(default_factory=list)
    tool_calls: list[ToolCallRecord] = field(default_factory=list)
    proposals: list[ProposalOut] = field(default_factory=list)
    flagged: list[Citation] = field(default_factory=list)
    dropped_refs: list[str] = field(default_factory=list)
    tokens_in: int = 0
    tokens_out: int = 0
    error: str | None = None
    retryable: bool = False


def summarize(artifact: ToolArtifact | None, name: str) -> str:
    """What a person wants to see in the activity feed: "read 6 notes", "proposal #12 ready"."""
    if artifact is None:
        return f"{name} finished"
    if isinstance(artifact, PassagesArtifact):
        what = "notes" if artifact.tool == "search_account_notes" else "passages"
        return f"read {len(artifact.citations)} {what}"
    if isinstance(artifact, ProposalArtifact):
        return f"proposal #{artifact.proposal.id} {artifact.proposal.status.value}"
    if isinstance(artifact, DraftArtifact):
        return f"{artifact.draft_kind.replace('_', ' ')} drafted from {len(artifact.citations)} pieces of evidence"
    message = getattr(artifact, "message", None)
    if isinstance(message, str):
        return message
    return f"{len(artifact.citations)} records read"


class ChatRunner:
    def __init__(self, agent: Any, *, llm: LLMSettings) -> None:
        self._agent = agent
        self._llm = llm

    def run(self, ctx: AssistantContext, history: Sequence[BaseMessage], text: str) -> Iterator[ChatEvent | TurnResult]:
        """Yield events as they happen; the last item is the `TurnResult`."""
        result = TurnResult()
        collected: dict[str, Citation] = {}
        started: dict[str, tuple[str, dict[str, Any], float]] = {}
        final: AIMessage | None = None
        streamed_tokens = False
        messages = [*history, HumanMessage(text)]
        try:
            with refuse_writes("the assistant changes records only through proposals"):
                stream = self._agent.stream({"messages": messages}, context=ctx, stream_mode=["messages", "updates"])
                for mode, payload in stream:
                    if mode == "messages":
                        chunk, metadata = payload
                        if metadata.get("langgraph_node") == "model" and isinstance(chunk, AIMessageChunk):
                            if isinstance(chunk.content, str) and chunk.content:
                                streamed_tokens = True
                                yield TokenEvent(text=chunk.content)
                        continue
                    for node, update in (payload or {}).items():
                        for message in (update or {}).get("messages", []) if isinstance(update, dict) else []:
                            if isinstance(message, AIMessage):
                                self._count(result, message)
                                for call in message.tool_calls:
                                    started[call["id"] or call["name"]] = (call["name"], call["args"], time.monotonic())
                                    yield ToolStartEvent(
                                        name=call["name"],
                                        args=call["args"],
                                        label=TOOL_LABELS.get(call["name"], call["name"]),
                                    )
                                if not message.tool_calls and node == "model":
                                    final = message
                            elif isinstance(message, ToolMessage):
                                yield from self._tool_done(message, started, result, collected)
        except TokenBudgetExceeded:
            result.error = BUDGET_EXCEEDED.format(limit=self._llm.max_tokens_per_turn)
        except ModelCallLimitExceededError:
            result.error = STEP_LIMIT_REACHED.format(limit=self._llm.max_steps)
        except Exception as exc:
            from assistant.llm import as_unavailable

            unavailable = as_unavailable(exc)
            if unavailable is None:
                raise
            result.error, result.retryable = str(unavailable), True
        if result.error is not None:
            yield ErrorEvent(message=result.error, retryable=result.retryable)
            result.answer = result.error
            yield result
            return
        answer = final.text if final is not None else ""
        answer, result.dropped_refs = _keep_known_refs(answer, collected)
        if not streamed_tokens:
            # Backends that answer in one piece (the offline composer) still stream, word by word.
            for piece in _WORDS.findall(answer):
                yield TokenEvent(text=piece)
        result.answer = answer
        cited = set(refs_in(answer))
        result.citations = [c for ref, c in collected.items() if ref in cited]
        result.consulted = list(collected.values())
        yield result

    def _tool_done(
        self,
        message: ToolMessage,
        started: dict[str, tuple[str, dict[str, Any], float]],
        result: TurnResult,
        collected: dict[str, Citation],
    ) -> Iterator[ChatEvent]:
        name, args, began = started.pop(message.tool_call_id, (message.name or "tool", {}, time.monotonic()))
        artifact = message.artifact if isinstance(message.artifact, ToolArtifact) else None
        summary = summarize(artifact, name)
        if message.status == "error":
            # The model sent arguments the tool could not take; it sees the reason and may try again.
            summary = f"{name} refused its arguments"
        duration = int((time.monotonic() - began) * 1000)
        result.tool_calls.append(ToolCallRecord(name=name, args=_jsonable(args), summary=summary, duration_ms=duration))
        yield ToolEndEvent(name=name, summary=summary, duration_ms=duration)
        if artifact is None:
            return
        for citation in artifact.citations:
            if citation.ref not in collected:
                collected[citation.ref] = citation
                yield CitationEvent(citation=citation)
        for citation in artifact.flagged:
            result.flagged.append(citation)
            yield FlaggedEvent(citation=citation)
        if isinstance(artifact, ProposalArtifact):
            result.proposals.append(artifact.proposal)
            yield ProposalEvent(proposal=artifact.proposal)

    @staticmethod
    def _count(result: TurnResult, message: AIMessage) -> None:
        if message.usage_metadata:
            result.tokens_in += message.usage_metadata["input_tokens"]
            result.tokens_out += message.usage_metadata["output_tokens"]


def _keep_known_refs(answer: str, known: dict[str, Citation]) -> tuple[str, list[str]]:
    """Remove `[kind:id]` refs no tool returned this turn: a citation must point to evidence we showed."""
    dropped = [ref for ref in refs_in(answer) if ref not in known]
    for ref in dropped:
        answer = answer.replace(f"[{ref}]", "")
    return answer, dropped


def _jsonable(args: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v if isinstance(v, str | int | float | bool | list | dict | type(None)) else str(v) for k, v in args.items()
    }
