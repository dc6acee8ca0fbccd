"""Who and what a message is about: the names in it (accounts of the caller's portfolio, their stakeholders)
and the account in scope, named or inferred. The planner decides what to do; this reads the scene it acts in.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from assistant.agent.context import AssistantContext
from assistant.offline.arguments import Scene
from assistant.offline.names import (
    NOT_NAMES,
    Named,
    NameIndex,
    Unknown,
    account_candidate,
    mask,
    tokens,
    unknown_names,
)
from assistant.offline.outsiders import asked_as_competitor, named_as_competitor, person_asked_about
from assistant.offline.router import ACCOUNT_PLACEHOLDER, PERSON_PLACEHOLDER
from assistant.records.enums import Side
from assistant.records.schemas import AccountSummary, StakeholderOut

PORTFOLIO_LIMIT = 10_000
# Above this many accounts, a first name alone does not pin down an account (too many reads, too many Helens).
PERSON_INFERENCE_MAX_ACCOUNTS = 25
# Notes read to see which account mentions a name no record holds ("Crestline Foods").
NOTE_INFERENCE_HITS = 6
NOTE_INFERENCE_NAMES = 3
HISTORY_LOOKBACK = 4
HISTORY_ANSWER_CHARS = 400


class SceneReader:
    """Reads the scene of a message; holds only the name indexes it caches, so one reader serves every user."""

    def __init__(self) -> None:
        self._indexes: OrderedDict[tuple[Any, ...], NameIndex] = OrderedDict()
        self._lock = threading.Lock()

    def _index(self, key: tuple[Any, ...], items: Sequence[Named], *, people: bool) -> NameIndex:
        with self._lock:
            index = self._indexes.get(key)
            if index is None:
                index = NameIndex(items, people=people)
                self._indexes[key] = index
                while len(self._indexes) > 64:
                    self._indexes.popitem(last=False)
            return index

    def account_index(self, portfolio: Sequence[AccountSummary]) -> NameIndex:
        key = ("accounts", *((a.id, a.name) for a in portfolio))
        return self._index(key, [Named(a.id, a.name) for a in portfolio], people=False)

    def read(self, text: str, history: Sequence[BaseMessage], ctx: AssistantContext) -> Scene:
        """Names in the message, and the account in scope: named > bound > pinned by a person > an unknown name
        where an account name stands (answered "not in your portfolio", never replaced by another account;
        unless it is asked about as a competitor, or the notes speak of it as one) >
        pinned by the notes that mention the message's other names ("Crestline Foods will bid") > only account >
        (no unknown name) the one account the last messages were about."""
        portfolio = ctx.records.accounts.list(actor=ctx.actor, limit=PORTFOLIO_LIMIT)
        by_id = {a.id: a for a in portfolio}
        scene = Scene(text=text, masked=text, portfolio=portfolio)
        scene.accounts = self.account_index(portfolio).find(text)
        small = len(portfolio) <= PERSON_INFERENCE_MAX_ACCOUNTS
        if scene.accounts:
            scene.account, scene.source = by_id.get(scene.accounts[0].id), "named"
        elif ctx.account_id is not None:
            scene.account, scene.source = by_id.get(ctx.account_id), "bound"
        elif small and _may_name_someone(text):
            self._infer_account_from_people(scene, ctx, by_id)
        if scene.account is None:
            known = [(m.start, m.end) for m in (*scene.accounts, *scene.people)]
            unknowns = unknown_names(text, known)
            candidate = account_candidate(unknowns)
            if candidate is not None and self._is_competitor(candidate.text, scene, ctx, search=small):
                candidate = None  # "what margins does Sodexo run?": a competitor, not an account missing
            if candidate is not None:
                scene.unknown = candidate.text
            elif small and unknowns and self._infer_account_from_notes(scene, ctx, unknowns, by_id):
                pass
            elif len(portfolio) == 1:
                scene.account, scene.source = portfolio[0], "only"
            elif not unknowns:
                scene.account = self._account_from_history(history, portfolio)
                scene.source = "history" if scene.account is not None else None
        if scene.account is not None and not scene.stakeholders:
            scene.stakeholders = ctx.records.stakeholders.list(
                actor=ctx.actor, account_id=scene.account.id, include_inactive=True
            )
            people = [Named(p.id, p.name, p.account_id) for p in scene.stakeholders if p.name != ctx.actor.name]
            scene.people = NameIndex(people, people=True).find(text)
        if scene.account is not None:
            known = [(m.start, m.end) for m in (*scene.accounts, *scene.people)]
            scene.absent_person = person_asked_about(text, unknown_names(text, known))
        spans = [(m.start, m.end, ACCOUNT_PLACEHOLDER) for m in scene.accounts]
        spans += [(m.start, m.end, PERSON_PLACEHOLDER) for m in scene.people]
        scene.masked_known = mask(text, spans)
        start = text.find(scene.unknown) if scene.unknown is not None else -1
        if scene.unknown is not None and start >= 0:
            # An unrecognised name where an account name would stand: the router also reads it as one.
            spans.append((start, start + len(scene.unknown), ACCOUNT_PLACEHOLDER))
        scene.masked = mask(text, spans)
        return scene

    def _is_competitor(self, name: str, scene: Scene, ctx: AssistantContext, *, search: bool) -> bool:
        """A name asked about as a competitor, or one the portfolio's notes speak of as one; notes whether any
        note names it at all (the answer says so when none does)."""
        excerpts: list[str] = []
        if search:
            ids = [a.id for a in scene.portfolio]
            hits = ctx.retrieval.search_notes(name, account_ids=ids, k=NOTE_INFERENCE_HITS)
            pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
            excerpts = [c.excerpt or "" for c in hits if pattern.search(c.excerpt or "")]
        if not (asked_as_competitor(scene.text) or named_as_competitor(name, excerpts)):
            return False
        # Only a search that found nothing may say that no note names it.
        scene.competitor, scene.competitor_unrecorded = name, search and not excerpts
        return True

    def _infer_account_from_notes(
        self, scene: Scene, ctx: AssistantContext, names: Sequence[Unknown], by_id: dict[int, AccountSummary]
    ) -> bool:
        """Names that are no account or stakeholder ("Crestline Foods", "Lakeside") pin down the account whose
        notes mention them, when only one account's notes do."""
        found: set[int] = set()
        ids = [a.id for a in scene.portfolio]
        # The first word of a message is capitalised whatever it is ("Compare Acme with ..."): not a name alone.
        named = [n for n in names if n.start > 0 or " " in n.text][:NOTE_INFERENCE_NAMES]
        for name in named:
            pattern = re.compile(rf"(?<!\w){re.escape(name.text)}(?!\w)")
            hits = ctx.retrieval.search_notes(name.text, account_ids=ids, k=NOTE_INFERENCE_HITS)
            found.update(c.account_id for c in hits if c.account_id is not None and pattern.search(c.excerpt or ""))
        if len(found) != 1:
            return False
        scene.account, scene.source = by_id.get(found.pop()), "notes"
        return scene.account is not None

    def _infer_account_from_people(self, scene: Scene, ctx: AssistantContext, by_id: dict[int, AccountSummary]) -> None:
        """A client stakeholder's name pins down the account when it is unique across the portfolio."""
        everyone: list[StakeholderOut] = []
        for account in scene.portfolio:
            everyone += ctx.records.stakeholders.list(actor=ctx.actor, account_id=account.id)
        client = [Named(p.id, p.name, p.account_id) for p in everyone if p.side is Side.CLIENT]
        found = NameIndex(client, people=True).find(scene.text)
        accounts = {m.account_id for m in found}
        if len(accounts) == 1:
            account_id = accounts.pop()
            scene.account = by_id.get(account_id) if account_id is not None else None
            scene.source = "person"
            scene.people = found
            scene.stakeholders = [p for p in everyone if p.account_id == account_id]

    def _account_from_history(
        self, history: Sequence[BaseMessage], portfolio: Sequence[AccountSummary]
    ) -> AccountSummary | None:
        """The one account the last few messages were about, if they were about exactly one."""
        index = self.account_index(portfolio)
        by_id = {a.id: a for a in portfolio}
        for message in list(history)[-HISTORY_LOOKBACK:][::-1]:
            if not isinstance(message, HumanMessage | AIMessage):
                continue
            # An answer names its account up front (a brief's title, an overview's first line); reading all of
            # a long draft would cost more than it tells.
            said = str(message.text)
            text = said if isinstance(message, HumanMessage) else said[:HISTORY_ANSWER_CHARS]
            found = {m.id for m in index.find(text)}
            if len(found) == 1:
                return by_id.get(found.pop())
            if found:
                return None
        return None


def _may_name_someone(text: str) -> bool:
    return text == text.lower() or any(t.text[:1].isupper() and t.norm not in NOT_NAMES for t in tokens(text))
