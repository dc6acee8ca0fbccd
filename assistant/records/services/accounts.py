"""Accounts: create, read, update and delete within the caller's portfolio."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from assistant.records.actor import Actor
from assistant.records.enums import AuditAction, Role
from assistant.records.errors import Conflict, InvalidInput
from assistant.records.models import Account, Charter
from assistant.records.repositories import accounts as repo
from assistant.records.repositories.scoping import get_visible_account, team_user_ids, visible_account_ids
from assistant.records.repositories.users import get_user
from assistant.records.schemas import AccountIn, AccountOut, AccountSummary, AccountUpdate
from assistant.records.services.base import Service, parse, record_audit


class AccountService(Service):
    def list(
        self,
        *,
        actor: Actor,
        query: str | None = None,
        industry: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> builtins.list[AccountSummary]:
        with self._read() as session:
            return repo.list_account_summaries(
                session, actor, query=query, industry=industry, limit=limit, offset=offset
            )

    def names(self, *, actor: Actor) -> builtins.list[tuple[int, str]]:
        """(id, name) of every account in the portfolio: the cheap list name matching needs."""
        with self._read() as session:
            return repo.visible_account_names(session, actor)

    def visible_ids(self, *, actor: Actor) -> builtins.list[int]:
        with self._read() as session:
            return visible_account_ids(session, actor)

    def get(self, *, actor: Actor, account_id: int) -> AccountOut:
        with self._read() as session:
            return AccountOut.model_validate(get_visible_account(session, actor, account_id))

    def find(self, *, actor: Actor, name: str) -> AccountOut | None:
        """Resolve a name a person typed ("acme") to one account of their portfolio, if unambiguous."""
        with self._read() as session:
            account = repo.find_visible_account_by_name(session, actor, name)
            return AccountOut.model_validate(account) if account is not None else None

    def lookup(self, *, actor: Actor, key: str) -> AccountOut | None:
        """Exact match on CRM external id or (case-insensitive) name, within the portfolio: for imports."""
        with self._read() as session:
            account = repo.find_visible_account_by_key(session, actor, key)
            return AccountOut.model_validate(account) if account is not None else None

    def create(self, *, actor: Actor, data: AccountIn | Mapping[str, Any]) -> AccountOut:
        payload = parse(AccountIn, data)
        with self._write() as session:
            owner_id = payload.owner_id or actor.user_id
            self._check_owner(session, actor, owner_id)
            if repo.account_name_exists(session, payload.name):
                raise Conflict("name", f"an account named {payload.name!r} already exists")
            account = Account(**payload.model_dump(exclude={"owner_id"}), owner_id=owner_id)
            session.add(account)
            session.flush()
            out = AccountOut.model_validate(account)
            record_audit(
                session,
                actor,
                entity="account",
                entity_id=account.id,
                action=AuditAction.CREATE,
                account_id=account.id,
                after=out,
            )
            return out

    def update(self, *, actor: Actor, account_id: int, data: AccountUpdate | Mapping[str, Any]) -> AccountOut:
        changes = parse(AccountUpdate, data).model_dump(exclude_unset=True)
        with self._write() as session:
            account = get_visible_account(session, actor, account_id)
            before = AccountOut.model_validate(account)
            if "name" in changes and changes["name"] is None:
                raise InvalidInput.field("name", "cannot be empty")
            if "industry" in changes and changes["industry"] is None:
                raise InvalidInput.field("industry", "cannot be empty")
            if changes.get("name") and repo.account_name_exists(session, changes["name"], exclude_id=account_id):
                raise Conflict("name", f"an account named {changes['name']!r} already exists")
            if "owner_id" in changes:
                if changes["owner_id"] is None:
                    raise InvalidInput.field("owner_id", "an account always has an owner")
                self._check_owner(session, actor, changes["owner_id"])
            merged = before.model_dump() | changes
            start, end = merged["contract_start"], merged["contract_end"]
            if start is not None and end is not None and end < start:
                raise InvalidInput.field("contract_end", f"must not be before contract_start ({start})")
            for field, value in changes.items():
                setattr(account, field, value)
            session.flush()
            after = AccountOut.model_validate(account)
            record_audit(
                session,
                actor,
                entity="account",
                entity_id=account_id,
                action=AuditAction.UPDATE,
                account_id=account_id,
                before=before,
                after=after,
            )
            return after

    def delete(self, *, actor: Actor, account_id: int) -> None:
        with self._write() as session:
            account = get_visible_account(session, actor, account_id)
            before = AccountOut.model_validate(account)
            # Charters go first: their signatories hold a RESTRICT key on stakeholders, and PostgreSQL checks
            # it before the account's cascade reaches the charters (SQLite happened to cascade in our favour).
            session.execute(delete(Charter).where(Charter.account_id == account_id))
            session.delete(account)
            record_audit(
                session,
                actor,
                entity="account",
                entity_id=account_id,
                action=AuditAction.DELETE,
                account_id=account_id,
                before=before,
            )

    @staticmethod
    def _check_owner(session: Session, actor: Actor, owner_id: int) -> None:
        owner = get_user(session, owner_id)
        allowed = (
            actor.role is Role.ADMIN
            or owner.id == actor.user_id
            or (actor.role is Role.MANAGER and owner.id in team_user_ids(session, actor.user_id))
        )
        if not allowed:
            raise InvalidInput.field("owner_id", "you can only assign accounts within your own team")
