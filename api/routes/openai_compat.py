"""An OpenAI-compatible Chat Completions endpoint, so any OpenAI SDK or chat front end can talk to the coach.

Model `samcoach`. The client keeps the history (nothing is saved but the proposals a turn makes); the account is
named in the conversation, or passed as `metadata: {"account": "acme"}` or `{"account_id": 3}`. Errors on these
paths use OpenAI's error object, so SDKs raise their usual exceptions.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.concurrency import run_in_threadpool
from sse_starlette import EventSourceResponse, ServerSentEvent

from api.deps import MAX_ID, AssistantDep, CurrentUser, RateLimitedUser
from api.errors import OpenAIError, OpenAIErrorBody, log, openai_errors
from api.examples import ChatCompletionBody
from api.openai_models import (
    MODEL_NAME,
    AssistantMessage,
    ChatCompletion,
    ChatCompletionChunk,
    ChatMessageIn,
    Choice,
    ChunkChoice,
    Delta,
    ModelList,
    ModelOut,
    Usage,
)
from api.streaming import iterate_in_thread, prime
from assistant.agent.events import TokenEvent
from assistant.agent.runner import TurnResult
from assistant.llm import LLMUnavailable
from assistant.records.actor import Actor
from assistant.records.errors import InvalidInput, NotFound
from assistant.service import AssistantService

router = APIRouter(prefix="/v1", tags=["openai-compatible"], responses=openai_errors(401, 422))

STREAM_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A `chat.completion`, or with `stream: true` `chat.completion.chunk` events ending in [DONE].",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


@router.get("/models", response_model=ModelList)
def list_models(actor: CurrentUser) -> ModelList:
    return ModelList(data=[ModelOut(id=MODEL_NAME)])


@router.get("/models/{model_id}", response_model=ModelOut, responses=openai_errors(404))
def get_model(actor: CurrentUser, model_id: Annotated[str, Path(max_length=200)]) -> ModelOut:
    if model_id != MODEL_NAME:
        raise NotFound("model", model_id)
    return ModelOut(id=MODEL_NAME)


@router.post(
    "/chat/completions", response_model=ChatCompletion, responses={**STREAM_CONTENT, **openai_errors(404, 429, 503)}
)
async def create_chat_completion(assistant: AssistantDep, actor: RateLimitedUser, data: ChatCompletionBody) -> Any:
    if data.model != MODEL_NAME:
        raise NotFound("model", data.model)
    history, text = split_messages(data.messages)
    account_id = await run_in_threadpool(resolve_account, assistant, actor, data.metadata)
    completion_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    if not data.stream:
        result = await run_in_threadpool(run_turn, assistant, actor, history, text, account_id)
        if result.error is not None and result.retryable:
            raise LLMUnavailable(result.error)
        return ChatCompletion(
            id=completion_id,
            created=created,
            choices=[Choice(message=AssistantMessage(content=result.answer))],
            usage=_usage(result),
        )
    items = await prime(iterate_in_thread(partial(assistant.answer, actor, history, text, account_id=account_id)))
    include_usage = data.stream_options is not None and data.stream_options.include_usage
    return EventSourceResponse(_chunks(items, completion_id, created, include_usage=include_usage), ping=15)


def split_messages(messages: Sequence[ChatMessageIn]) -> tuple[list[tuple[str, str]], str]:
    """(history, text): the earlier user and assistant turns, and the last user message. System prompts are the
    coach's own business and are ignored."""
    turns: list[tuple[str, str]] = [(m.role, m.text()) for m in messages if m.role in ("user", "assistant")]
    if not turns or turns[-1][0] != "user" or not turns[-1][1].strip():
        raise InvalidInput.field("messages", "the last message must be a user message with text")
    return turns[:-1], turns[-1][1]


def resolve_account(assistant: AssistantService, actor: Actor, metadata: Mapping[str, Any] | None) -> int | None:
    if not metadata:
        return None
    if metadata.get("account_id") is not None:
        raw = metadata["account_id"]
        if isinstance(raw, bool) or not str(raw).isdigit() or not 1 <= int(raw) <= MAX_ID:
            raise InvalidInput.field("metadata.account_id", "must be the numeric id of one of your accounts")
        return int(raw)
    name = metadata.get("account")
    if name is None:
        return None
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise InvalidInput.field("metadata.account", "must be the name of one of your accounts")
    found = assistant.records.accounts.find(actor=actor, name=name)
    if found is None:
        raise NotFound("account", name)
    return found.id


def run_turn(
    assistant: AssistantService, actor: Actor, history: list[tuple[str, str]], text: str, account_id: int | None
) -> TurnResult:
    result = TurnResult()
    for item in assistant.answer(actor, history, text, account_id=account_id):
        if isinstance(item, TurnResult):
            result = item
    return result


def _usage(result: TurnResult) -> Usage:
    return Usage(
        prompt_tokens=result.tokens_in,
        completion_tokens=result.tokens_out,
        total_tokens=result.tokens_in + result.tokens_out,
    )


async def _chunks(
    items: AsyncIterator[Any], completion_id: str, created: int, *, include_usage: bool
) -> AsyncIterator[ServerSentEvent]:
    def chunk(delta: Delta, finish: Any = None, usage: Usage | None = None, choices: bool = True) -> ServerSentEvent:
        body = ChatCompletionChunk(
            id=completion_id,
            created=created,
            choices=[ChunkChoice(delta=delta, finish_reason=finish)] if choices else [],
            usage=usage,
        )
        return ServerSentEvent(data=body.model_dump_json(exclude_none=True))

    yield chunk(Delta(role="assistant", content=""))
    result: TurnResult | None = None
    try:
        async for item in items:
            if isinstance(item, TokenEvent):
                yield chunk(Delta(content=item.text))
            elif isinstance(item, TurnResult):
                result = item
    except Exception:
        log.exception("chat completion stream failed")
        result = TurnResult(error="An unexpected error interrupted the answer; it has been logged.", retryable=True)
    if result is not None and result.error is not None:
        if result.retryable:
            error = OpenAIError(error=OpenAIErrorBody(message=result.error, type="server_error", code="unavailable"))
            yield ServerSentEvent(data=error.model_dump_json())
            yield ServerSentEvent(data="[DONE]")
            return
        yield chunk(Delta(content=result.error))
    yield chunk(Delta(), finish="stop")
    if include_usage and result is not None:
        yield chunk(Delta(), usage=_usage(result), choices=False)
    yield ServerSentEvent(data="[DONE]")
