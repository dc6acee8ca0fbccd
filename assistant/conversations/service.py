"""Conversations belong to the user who started them; a bound conversation stays about one account."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.citations import Citation
from assistant.conversations.models import ChatMessage, Conversation, MessageRole
from assistant.db import read_session, write_transaction
from assistant.records.actor import Actor
from assistant.records.errors import NotFound
from assistant.records.models.base import utcnow
from assistant.records.repositories.scoping import get_visible_account


class ToolCallRecord(BaseModel):
    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    summary: str = ""
    duration_ms: int = 0


class MessageOut(BaseModel):
    id: int
    role: MessageRole
    content: str
    tool_calls: list[ToolCallRecord]
    citations: list[Citation]
    proposal_ids: list[int]
    backend: str
    tokens_in: int
    tokens_out: int
    latency_ms: int
    error: str | None
    created_at: datetime

    @classmethod
    def of(cls, message: ChatMessage) -> MessageOut:
        return cls.model_validate({f: getattr(message, f) for f in cls.model_fields})


class ConversationOut(BaseModel):
    id: int
    user_id: int
    account_id: int | None
    title: str
    created_at: datetime
    updated_at: datetime
    messages: list[MessageOut] = Field(default_factory=list)


def _out(conversation: Conversation, *, with_messages: bool) -> ConversationOut:
    return ConversationOut(
        id=conversation.id,
        user_id=conversation.user_id,
        account_id=conversation.account_id,
        title=conversation.title,
        created_at=conversation.created_at,
        updated_at=conversation.updated_at,
        messages=[MessageOut.of(m) for m in conversation.messages] if with_messages else [],
    )


class ConversationService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def create(self, *, actor: Actor, account_id: int | None = None, title: str = "") -> ConversationOut:
        with write_transaction(self._sessions) as session:
            if account_id is not None:
                get_visible_account(session, actor, account_id)
            conversation = Conversation(user_id=actor.user_id, account_id=account_id, title=title[:200])
            session.add(conversation)
            session.flush()
            return _out(conversation, with_messages=False)

    def list(self, *, actor: Actor, account_id: int | None = None, limit: int = 50) -> builtins.list[ConversationOut]:
        with read_session(self._sessions) as session:
            stmt = (
                select(Conversation)
                .where(Conversation.user_id == actor.user_id)
                .order_by(Conversation.updated_at.desc(), Conversation.id.desc())
                .limit(limit)
            )
            if account_id is not None:
                stmt = stmt.where(Conversation.account_id == account_id)
            return [_out(c, with_messages=False) for c in session.scalars(stmt)]

    def get(self, *, actor: Actor, conversation_id: int) -> ConversationOut:
        with read_session(self._sessions) as session:
            return _out(self._owned(session, actor, conversation_id), with_messages=True)

    def add_message(
        self,
        *,
        actor: Actor,
        conversation_id: int,
        role: MessageRole,
        content: str,
        tool_calls: Sequence[ToolCallRecord] = (),
        citations: Sequence[Citation] = (),
        proposal_ids: Sequence[int] = (),
        backend: str = "",
        tokens_in: int = 0,
        tokens_out: int = 0,
        latency_ms: int = 0,
        error: str | None = None,
    ) -> MessageOut:
        with write_transaction(self._sessions) as session:
            conversation = self._owned(session, actor, conversation_id)
            if not conversation.title and role is MessageRole.USER:
                conversation.title = content.strip().splitlines()[0][:120] if content.strip() else ""
            message = ChatMessage(
                conversation_id=conversation_id,
                role=role,
                content=content,
                tool_calls=[t.model_dump(mode="json") for t in tool_calls],
                citations=[c.model_dump(mode="json") for c in citations],
                proposal_ids=list(proposal_ids),
                backend=backend,
                tokens_in=tokens_in,
                tokens_out=tokens_out,
                latency_ms=latency_ms,
                error=error,
            )
            session.add(message)
            conversation.updated_at = utcnow()
            session.flush()
            return MessageOut.of(message)

    @staticmethod
    def _owned(session: Session, actor: Actor, conversation_id: int) -> Conversation:
        conversation = session.get(Conversation, conversation_id)
        if conversation is None or conversation.user_id != actor.user_id:
            raise NotFound("conversation", conversation_id)
        if conversation.account_id is not None:
            # The account may have moved out of the user's portfolio since; the conversation goes with it.
            try:
                get_visible_account(session, actor, conversation.account_id)
            except NotFound:
                raise NotFound("conversation", conversation_id) from None
        return conversation
