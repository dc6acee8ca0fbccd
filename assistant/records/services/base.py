"""What every records service shares: transactions, input parsing, audit events, portfolio checks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from assistant.db import read_session, write_transaction
from assistant.records.actor import Actor
from assistant.records.enums import AuditAction
from assistant.records.errors import Conflict, InvalidInput
from assistant.records.models import AuditEvent

In = TypeVar("In", bound=BaseModel)


def parse(model: type[In], data: In | Mapping[str, Any]) -> In:
    """Accept a ready model or raw mapping; either way the caller gets field-named errors."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput.from_validation(exc) from exc


def snapshot(out: BaseModel | None) -> dict[str, Any] | None:
    return out.model_dump(mode="json") if out is not None else None


def record_audit(
    session: Session,
    actor: Actor,
    *,
    entity: str,
    entity_id: int,
    action: AuditAction,
    account_id: int | None,
    before: BaseModel | None = None,
    after: BaseModel | None = None,
) -> None:
    session.add(
        AuditEvent(
            actor_id=actor.user_id or None,
            actor_name=actor.name,
            channel=actor.channel,
            entity=entity,
            entity_id=entity_id,
            action=action,
            account_id=account_id,
            before=snapshot(before),
            after=snapshot(after),
        )
    )


class Service:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    @contextmanager
    def _write(self) -> Iterator[Session]:
        try:
            with write_transaction(self._sessions) as session:
                yield session
        except IntegrityError as exc:
            # Races past our own checks (two writers, same unique name) still end in a clear message.
            raise Conflict("record", f"conflicts with an existing record ({exc.orig})") from exc

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with read_session(self._sessions) as session:
            yield session
