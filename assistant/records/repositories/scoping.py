"""Portfolio scoping: which accounts an actor may see. Every account-scoped query goes through here."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from assistant.records.actor import Actor
from assistant.records.enums import Role
from assistant.records.errors import NotFound
from assistant.records.models import Account, User


def team_user_ids(session: Session, user_id: int) -> set[int]:
    """The user and everyone reporting to them, directly or through other managers."""
    seen = {user_id}
    frontier = [user_id]
    while frontier:
        reports = session.scalars(select(User.id).where(User.manager_id.in_(frontier))).all()
        frontier = [r for r in reports if r not in seen]
        seen.update(frontier)
    return seen


def account_scope(session: Session, actor: Actor) -> ColumnElement[bool]:
    if actor.role is Role.ADMIN:
        return true()
    if actor.role is Role.MANAGER:
        return Account.owner_id.in_(team_user_ids(session, actor.user_id))
    return Account.owner_id == actor.user_id


def visible_account_ids(session: Session, actor: Actor) -> list[int]:
    return list(session.scalars(select(Account.id).where(account_scope(session, actor)).order_by(Account.id)))


def get_visible_account(session: Session, actor: Actor, account_id: int) -> Account:
    account = session.scalar(select(Account).where(Account.id == account_id, account_scope(session, actor)))
    if account is None:
        raise NotFound("account", account_id)
    return account
