"""API keys: random, shown once, stored as SHA-256 (high-entropy secrets need no slow hash), revocable."""

from __future__ import annotations

import builtins
import hashlib
import hmac
import secrets
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select

from assistant.records.actor import Actor, system_actor
from assistant.records.enums import AuditAction, Channel
from assistant.records.errors import NotFound
from assistant.records.models import ApiKey, User
from assistant.records.models.base import utcnow
from assistant.records.repositories.users import get_user
from assistant.records.schemas import UserOut
from assistant.records.services.base import Service, record_audit

KEY_PREFIX = "sc"


class ApiKeyOut(BaseModel):
    id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewApiKey(BaseModel):
    key: ApiKeyOut
    secret: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _split(token: str) -> tuple[str, str] | None:
    parts = token.strip().split("_", 2)  # the random part may itself contain "_"
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], token.strip()


class ApiKeyService(Service):
    def create(self, *, user_id: int, name: str = "", actor: Actor | None = None) -> NewApiKey:
        prefix = secrets.token_hex(6)
        secret = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
        with self._write() as session:
            get_user(session, user_id)
            key = ApiKey(user_id=user_id, name=name[:100], prefix=prefix, secret_hash=_digest(secret))
            session.add(key)
            session.flush()
            out = ApiKeyOut.model_validate(key, from_attributes=True)
            record_audit(
                session,
                actor or system_actor(Channel.CLI),
                entity="api_key",
                entity_id=key.id,
                action=AuditAction.CREATE,
                account_id=None,
                after=out,
            )
            return NewApiKey(key=out, secret=secret)

    def authenticate(self, token: str) -> UserOut | None:
        """The user a bearer token belongs to, or None (unknown, malformed or revoked: indistinguishable)."""
        parsed = _split(token)
        if parsed is None:
            return None
        prefix, secret = parsed
        with self._read() as session:
            key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
            if key is None or key.revoked_at is not None:
                return None
            if not hmac.compare_digest(key.secret_hash, _digest(secret)):
                return None
            user = session.get(User, key.user_id)
            return UserOut.model_validate(user) if user is not None else None

    def touch(self, token: str) -> None:
        """Record last use; kept apart from `authenticate` so reads never need a write lock."""
        parsed = _split(token)
        if parsed is None:
            return
        with self._write() as session:
            key = session.scalar(select(ApiKey).where(ApiKey.prefix == parsed[0]))
            if key is not None:
                key.last_used_at = utcnow()

    def list(self, *, user_id: int) -> builtins.list[ApiKeyOut]:
        with self._read() as session:
            keys = session.scalars(select(ApiKey).where(ApiKey.user_id == user_id).order_by(ApiKey.id))
            return [ApiKeyOut.model_validate(k, from_attributes=True) for k in keys]

    def revoke(self, *, key_id: int, actor: Actor | None = None) -> ApiKeyOut:
        with self._write() as session:
            key = session.get(ApiKey, key_id)
            if key is None:
                raise NotFound("api key", key_id)
            before = ApiKeyOut.model_validate(key, from_attributes=True)
            key.revoked_at = key.revoked_at or utcnow()
            session.flush()
            after = ApiKeyOut.model_validate(key, from_attributes=True)
            record_audit(
                session,
                actor or system_actor(Channel.CLI),
                entity="api_key",
                entity_id=key_id,
                action=AuditAction.UPDATE,
                account_id=None,
                before=before,
                after=after,
            )
            return after
