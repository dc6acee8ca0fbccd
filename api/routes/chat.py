"""Conversations with the coach: create, list, read the history, and send a message (streamed or not).

Streaming answers are Server-Sent Events: `event:` is the ChatEvent type (token, tool_start, tool_end,
citation, proposal, flagged, error, done) and `data:` its JSON. The last event is `done`, carrying the saved
answer. If the model backend fails, the stream ends with an `error` event (retryable) and nothing of the
turn is saved, so the message can simply be sent again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from sse_starlette import EventSourceResponse, ServerSentEvent

from api.deps import MAX_ID, AssistantDep, CurrentUser, RateLimitedUser, RecordId
from api.errors import log, problems
from api.examples import ConversationBody, MessageBody
from api.streaming import iterate_in_thread, prime
from assistant.agent.events import ChatEvent, ErrorEvent
from assistant.conversations.service import ConversationOut
from assistant.service import ChatReply

router = APIRouter(prefix="/v1/conversations", tags=["chat"], responses=problems(401, 404, 422))

SSE_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The reply: JSON by default, Server-Sent Events with `stream: true`.",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


@router.post("", status_code=201, response_model=ConversationOut)
def start_conversation(assistant: AssistantDep, actor: CurrentUser, data: ConversationBody) -> ConversationOut:
    """A new conversation, optionally bound to one account of yours."""
    return assistant.start_conversation(actor, account_id=data.account_id, title=data.title)


@router.get("", response_model=list[ConversationOut])
def list_conversations(
    assistant: AssistantDep,
    actor: CurrentUser,
    account_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[ConversationOut]:
    """Your conversations, most recently active first (without their messages)."""
    return assistant.conversations.list(actor=actor, account_id=account_id, limit=limit)


@router.get("/{conversation_id}", response_model=ConversationOut)
def get_conversation(assistant: AssistantDep, actor: CurrentUser, conversation_id: RecordId) -> ConversationOut:
    """The conversation with every message, its tool calls and citations."""
    return assistant.conversations.get(actor=actor, conversation_id=conversation_id)


@router.post("/{conversation_id}/messages", response_model=ChatReply, responses={**SSE_CONTENT, **problems(429, 503)})
async def send_message(
    assistant: AssistantDep, actor: RateLimitedUser, conversation_id: RecordId, data: MessageBody
) -> Any:
    """Send a message and get the coach's answer, as one JSON reply or streamed as Server-Sent Events."""
    if not data.stream:
        # A backend failure raises LLMUnavailable (a 503) and saves nothing of the turn.
        return await run_in_threadpool(assistant.ask, actor, conversation_id, data.content, keep_failed=False)
    turn = partial(assistant.chat, actor, conversation_id, data.content, keep_failed=False)
    events = await prime(iterate_in_thread(turn))
    return EventSourceResponse(_sse(events), ping=15)


async def _sse(events: AsyncIterator[ChatEvent]) -> AsyncIterator[ServerSentEvent]:
    number = 0
    try:
        async for event in events:
            number += 1
            yield ServerSentEvent(data=event.model_dump_json(), event=event.type, id=str(number))
    except Exception:
        # The turn broke after the stream started: say so in-band; the status line has already been sent.
        log.exception("chat stream failed")
        error = ErrorEvent(message="An unexpected error interrupted the answer; it has been logged.")
        yield ServerSentEvent(data=error.model_dump_json(), event=error.type, id=str(number + 1))
