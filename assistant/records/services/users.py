"""Users of SAM Coach and the actor every other service call carries."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import Any

from assistant.records.actor import Actor, system_actor
from assistant.records.enums import AuditAction, Channel, Role
from assistant.records.errors import Conflict, InvalidInput, NotFound
from assistant.records.models import User
from assistant.records.repositories import users as repo
from assistant.records.schemas import UserIn, UserOut
from assistant.records.services.base import Service, parse, record_audit

# Low-risk proposal kinds a user may let the assistant apply without asking; charters never qualify.
AUTO_APPROVABLE = frozenset({"note", "action_item"})


def actor_for(user: UserOut, channel: Channel) -> Actor:
    return Actor(user_id=user.id, name=user.name, role=user.role, channel=channel)


class UserService(Service):
    def create(self, *, data: UserIn | Mapping[str, Any], actor: Actor | None = None) -> UserOut:
        """`actor` is who adds the user; without one (bootstrap, demo) the audit trail says "system"."""
        payload = parse(UserIn, data)
        with self._write() as session:
            if repo.get_user_by_email(session, payload.email) is not None:
                raise Conflict("email", f"a user with email {payload.email} already exists")
            if payload.manager_id is not None:
                manager = repo.get_user(session, payload.manager_id)
                if manager.role is Role.SAM_LEADER:
                    raise InvalidInput.field("manager_id", f"{manager.name} is not a manager")
            user = User(**payload.model_dump())
            session.add(user)
            session.flush()
            out = UserOut.model_validate(user)
            record_audit(
                session,
                actor or system_actor(Channel.CLI),
                entity="user",
                entity_id=user.id,
                action=AuditAction.CREATE,
                account_id=None,
                after=out,
            )
            return out

    def get(self, *, user_id: int) -> UserOut:
        with self._read() as session:
            return UserOut.model_validate(repo.get_user(session, user_id))

    def get_by_email(self, *, email: str) -> UserOut:
        with self._read() as session:
            user = repo.get_user_by_email(session, email)
            if user is None:
                raise NotFound("user", email)
            return UserOut.model_validate(user)

    def find_by_email(self, *, email: str) -> UserOut | None:
        with self._read() as session:
            user = repo.get_user_by_email(session, email)
            return UserOut.model_validate(user) if user is not None else None

    def list(self) -> builtins.list[UserOut]:
        with self._read() as session:
            return [UserOut.model_validate(u) for u in repo.list_users(session)]

    def actor(self, *, email: str, channel: Channel) -> Actor:
        return actor_for(self.get_by_email(email=email), channel)

    def set_auto_approve(self, *, user_id: int, kinds: Sequence[str], actor: Actor | None = None) -> UserOut:
        unknown = sorted(set(kinds) - AUTO_APPROVABLE)
        if unknown:
            raise InvalidInput.field(
                "auto_approve",
                f"cannot auto-approve {', '.join(unknown)}; allowed: {', '.join(sorted(AUTO_APPROVABLE))}",
            )
        with self._write() as session:
            user = repo.get_user(session, user_id)
            before = UserOut.model_validate(user)
            user.auto_approve = sorted(set(kinds))
            session.flush()
            after = UserOut.model_validate(user)
            record_audit(
                session,
                actor or system_actor(Channel.CLI),
                entity="user",
                entity_id=user_id,
                action=AuditAction.UPDATE,
                account_id=None,
                before=before,
                after=after,
            )
            return after
