"""Turning the names people type ("acme", "Raymond") into records of the caller's portfolio."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from assistant.agent.artifacts import NotFoundArtifact
from assistant.agent.context import AssistantContext
from assistant.records.errors import NotFound
from assistant.records.schemas import AccountOut, StakeholderOut

MATCH_THRESHOLD = 80


class Unresolved(Exception):
    """A name that matches nothing (or too much) in scope; the message is the tool's answer."""

    def __init__(self, tool: str, message: str) -> None:
        super().__init__(message)
        self.artifact = NotFoundArtifact(tool=tool, message=message)


def resolve_account(ctx: AssistantContext, name: str | None, *, tool: str) -> AccountOut:
    accounts = dict(ctx.records.accounts.names(actor=ctx.actor))
    if ctx.account_id is not None:
        bound = accounts.get(ctx.account_id)
        if bound is None:
            raise Unresolved(tool, "The account of this conversation is no longer in your portfolio.")
        if name and _score(name, bound) < MATCH_THRESHOLD and str(ctx.account_id) != name.strip():
            raise Unresolved(
                tool,
                f"This conversation is about {bound}; I can only use that account's records here. "
                "Start a new conversation to discuss another account.",
            )
        return ctx.records.accounts.get(actor=ctx.actor, account_id=ctx.account_id)
    if not name or not name.strip():
        raise Unresolved(tool, f"Which account? Your portfolio: {', '.join(accounts.values()) or 'none'}.")
    if name.strip().isdigit() and int(name) in accounts:
        return ctx.records.accounts.get(actor=ctx.actor, account_id=int(name))
    exact = ctx.records.accounts.find(actor=ctx.actor, name=name)
    if exact is not None:
        return exact
    best = process.extractOne(name, accounts, scorer=fuzz.WRatio)
    if best is not None and best[1] >= MATCH_THRESHOLD:
        return ctx.records.accounts.get(actor=ctx.actor, account_id=int(best[2]))
    # Same words whether the account does not exist or belongs to someone else: existence must not leak.
    raise Unresolved(tool, f"No account matching {name!r} in your portfolio.")


def resolve_stakeholder(
    ctx: AssistantContext, account: AccountOut, name: str, *, tool: str, include_inactive: bool = False
) -> StakeholderOut:
    people = ctx.records.stakeholders.list(actor=ctx.actor, account_id=account.id, include_inactive=include_inactive)
    if name.strip().isdigit():
        try:
            return ctx.records.stakeholders.get(actor=ctx.actor, account_id=account.id, stakeholder_id=int(name))
        except NotFound:
            pass
    best = process.extractOne(name, {p.id: p.name for p in people}, scorer=fuzz.WRatio)
    if best is not None and best[1] >= MATCH_THRESHOLD:
        return next(p for p in people if p.id == best[2])
    raise Unresolved(tool, f"No stakeholder matching {name!r} on {account.name}.")


def _score(query: str, candidate: str) -> float:
    return float(fuzz.WRatio(query.lower(), candidate.lower()))
