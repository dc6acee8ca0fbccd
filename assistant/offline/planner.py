"""From a message and the conversation so far to what an LLM would do: tool calls with arguments, or a reply.

The planner reads the caller's own portfolio to recognise names (an account, or a stakeholder who pins down
the account), masks them for the router, decides the intent (safety rules, then the conversation's state —
a quiz or exercise awaiting an answer, a follow-up — then the router) and fills the tool's arguments.
Anything it cannot fill it asks for instead of guessing.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import pairwise
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from assistant.agent.context import AssistantContext
from assistant.offline import templates
from assistant.offline.arguments import ARGUMENTS, Scene, people_named
from assistant.offline.changes import states_stakeholder_change
from assistant.offline.entities import (
    find_action_title,
    find_note_body,
)
from assistant.offline.followups import coaching_query, continues_coaching
from assistant.offline.learning import lesson_in_history, lesson_in_text, parse_quiz_answers
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
from assistant.offline.questions import (
    READ_INSTEAD,
    asks_about_concept,
    asks_question,
    asks_strategic_fit,
    beyond_the_record,
)
from assistant.offline.router import (
    ACCOUNT_INTENTS,
    ACCOUNT_PLACEHOLDER,
    PERSON_PLACEHOLDER,
    UNKNOWN,
    IntentRouter,
    keyword_intent,
)
from assistant.offline.safety import Refusal, asks_to_skip_approval, refusal_for
from assistant.records.enums import Side
from assistant.records.schemas import AccountSummary, StakeholderOut
from knowledge.curriculum import Lesson
from knowledge.lexical import tokenize as tokenize_words

INTENT_TOOLS = {
    "coaching": "search_curriculum",
    "lesson": "get_lesson",
    "exercise": "get_lesson",
    "quiz": "get_lesson",
    "quiz_answer": "get_lesson",
    "exercise_answer": "grade_exercise",
    "list_accounts": "list_accounts",
    "account_overview": "get_account_overview",
    "stakeholders": "get_stakeholders",
    "charter": "get_charter",
    "metrics": "get_metrics",
    "health_history": "get_health_history",
    "search_notes": "search_account_notes",
    "open_actions": "get_open_actions",
    "early_warnings": "get_early_warnings",
    "meeting_brief": "draft_meeting_brief",
    "quarterly_review": "draft_quarterly_review",
    "ten_keys_review": "review_ten_keys",
    "assess_health": "propose_health_assessment",
    "charter_revision": "propose_charter_revision",
    "log_note": "propose_note",
    "update_stakeholder": "propose_stakeholder_update",
    "add_action": "propose_action_item",
}
# Whether an account is still strategic: its overview, led by whether the customer agrees it is and the record's
# description (its early warnings quote the notes that speak to it).
STRATEGIC_FIT = "strategic_fit"
WRITE_INTENTS = frozenset({"assess_health", "charter_revision", "log_note", "update_stakeholder", "add_action"})
PORTFOLIO_LIMIT = 10_000
# Above this many accounts, a first name alone does not pin down an account (too many reads, too many Helens).
PERSON_INFERENCE_MAX_ACCOUNTS = 25
# Notes read to see which account mentions a name no record holds ("Crestline Foods").
NOTE_INFERENCE_HITS = 6
NOTE_INFERENCE_NAMES = 3
HISTORY_LOOKBACK = 4
HISTORY_ANSWER_CHARS = 400
ASKED_NAMES = 12

_FOLLOW_UP = re.compile(
    r"^\s*(?:and\s+)?(?:what|how)\s+about\b|^\s*and\s+(?:for|at|with|in|on)?\b|^\s*(?:same|now|also)\s+(?:for|with|at)\b"
    r"|^\s*(?:same|ditto)\b",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"\?\s*$|^\s*(?:what|why|how|when|where|who|which|should|can|could|is|are|do|does)\b", re.I)
_PORTFOLIO_WIDE = re.compile(r"\b(?:portfolio|all (?:my |of my )?accounts|every account|each account)\b", re.I)


@dataclass(frozen=True)
class ToolCall:
    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class Plan:
    intent: str
    calls: tuple[ToolCall, ...] = ()
    reply: str | None = None
    account_name: str | None = None
    skip_approval: bool = False
    refusal: Refusal | None = None
    people: tuple[str, ...] = ()
    # What the records do not hold that the answer must say first ("no one named X is on the stakeholder list").
    caveats: tuple[str, ...] = ()


class Planner:
    """Turns a message into a `Plan`; holds only caches (name indexes), so one planner serves every user."""

    def __init__(self, router: IntentRouter, *, curriculum: Sequence[Lesson] = ()) -> None:
        self.router = router
        self.curriculum = list(curriculum)
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

    def scene(self, text: str, history: Sequence[BaseMessage], ctx: AssistantContext) -> Scene:
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
            text = _content(message) if isinstance(message, HumanMessage) else _content(message)[:HISTORY_ANSWER_CHARS]
            found = {m.id for m in index.find(text)}
            if len(found) == 1:
                return by_id.get(found.pop())
            if found:
                return None
        return None

    def plan(self, text: str, history: Sequence[BaseMessage], ctx: AssistantContext) -> Plan:
        text = text.strip()
        if not text:
            return Plan("help", reply=templates.HELP)
        scene = self.scene(text, history, ctx)
        answering = self._answering(scene, history)
        if answering is not None:
            return self.build(answering, scene, history, ctx)
        allowed = (ACCOUNT_PLACEHOLDER, PERSON_PLACEHOLDER, ctx.actor.name.split()[0])
        refusal = refusal_for(_without_payload(scene.masked_known, ctx.today), allowed_names=allowed)
        if refusal is not None:
            return Plan("unsafe", reply=templates.REFUSALS[refusal], refusal=refusal)
        plan = self.build(self.intent(scene, history, ctx), scene, history, ctx)
        caveats = _caveats(scene, plan)
        return replace(plan, caveats=caveats) if caveats else plan

    def _answering(self, scene: Scene, history: Sequence[BaseMessage]) -> str | None:
        """The answer to the quiz or exercise the last reply set, if this message is one (it is graded, never run)."""
        previous = _last(history, AIMessage)
        if previous is None:
            return None
        answer_text = _content(previous)
        if templates.QUIZ_REPLY_HINT in answer_text and parse_quiz_answers(scene.text):
            return "quiz_answer"
        if (
            templates.EXERCISE_REPLY_HINT in answer_text
            and not _QUESTION.search(scene.text)
            and len(scene.text.split()) >= 6
            and keyword_intent(scene.masked) in (None, "exercise_answer")
        ):
            return "exercise_answer"
        return None

    def intent(self, scene: Scene, history: Sequence[BaseMessage], ctx: AssistantContext) -> str:
        earlier = self._earlier_intent(scene, history, ctx)
        if earlier is not None:
            return earlier
        in_scope = scene.account is not None or scene.unknown is not None
        named = bool(scene.accounts or scene.unknown)
        metric = self._names_metric(scene, ctx)
        classified = self.router.classify(
            scene.masked,
            names_account=named,
            names_person=bool(scene.people),
            account_in_scope=in_scope,
            names_metric=metric,
        )
        if scene.unknown is not None and scene.masked != scene.masked_known:
            # An unknown name may be an account ("Halvorsen") or not one at all ("Boston"): read both ways.
            as_typed = self.router.classify(
                scene.masked_known, names_person=bool(scene.people), account_in_scope=in_scope, names_metric=metric
            )
            if as_typed.confidence > classified.confidence:
                classified = as_typed
        found = classified.intent
        names_something = bool(scene.accounts or scene.people or scene.unknown)
        if found in ACCOUNT_INTENTS and continues_coaching(scene.text, history, names_something=names_something):
            return "coaching"
        if scene.source == "notes" and found == UNKNOWN:
            return "search_notes"  # "what do we know about Harborline as a rival?": only its notes say
        absent = scene.absent_person and not scene.people and asks_question(scene.text)
        kept = found == "meeting_brief" or (found == "search_notes" and classified.rule is not None)
        if absent and not kept and found not in WRITE_INTENTS:
            return "stakeholders"  # "what's Dr. Munro's stance?": the stakeholder list says whether she is on it
        if scene.account is not None and found not in WRITE_INTENTS and asks_strategic_fit(scene.text):
            return STRATEGIC_FIT  # "is Riverbend even a strategic account anymore?" is not its health history
        if found == UNKNOWN:
            return "coaching" if _QUESTION.search(scene.text) else UNKNOWN
        if (found in ACCOUNT_INTENTS or found in ("ten_keys_review", "lesson")) and asks_about_concept(scene):
            return "coaching"  # "What is key 4?" asks for an answer; "teach me key 4" for the lesson
        if scene.source == "notes" and found not in ACCOUNT_INTENTS and classified.rule is None:
            return "search_notes"  # its names are only in this account's notes: the question is about them
        if classified.rule is None and found not in WRITE_INTENTS and states_stakeholder_change(scene):
            return "update_stakeholder"  # news about a person told in passing: "Anita has cooled, a skeptic now"
        if found in WRITE_INTENTS and asks_question(scene.text):
            found = READ_INSTEAD[found]  # "Is Raymond a detractor?" asks what the records say; it changes nothing
        if found == "stakeholders" and scene.people and asks_question(scene.text) and beyond_the_record(scene):
            return "search_notes"
        return found

    def _names_metric(self, scene: Scene, ctx: AssistantContext) -> bool:
        """Whether the message names one of the account's metrics by two words of its name ("tenant satisfaction")."""
        if scene.account is None:
            return False
        said = _bigrams(tokenize_words(scene.text))
        if not said:
            return False
        metrics = ctx.records.metrics.list(actor=ctx.actor, account_id=scene.account.id)
        return any(_bigrams(tokenize_words(m.name)) & said for m in metrics)

    def _earlier_intent(self, scene: Scene, history: Sequence[BaseMessage], ctx: AssistantContext) -> str | None:
        """A follow-up ("and what about Northgate?", or just "Acme" after "which account?") repeats the last ask."""
        answered_which = (previous := _last(history, AIMessage)) is not None and _content(previous).startswith(
            templates.ASK_ACCOUNT.split("{", 1)[0]
        )
        only_a_name = bool(scene.accounts) and len(_residue(scene.masked)) <= 1
        short = len(scene.text.split()) <= 8
        if not ((_FOLLOW_UP.search(scene.text) and short) or only_a_name or (answered_which and scene.accounts)):
            return None
        humans = [m for m in history if isinstance(m, HumanMessage)]
        for earlier in reversed(humans[-3:]):
            text = _content(earlier)
            if _FOLLOW_UP.search(text) and len(text.split()) <= 8:
                continue
            portfolio_index = self.account_index(scene.portfolio)
            names = [(m.start, m.end, ACCOUNT_PLACEHOLDER) for m in portfolio_index.find(text)]
            found = self.router.classify(mask(text, names), names_account=bool(names)).intent
            if found in ACCOUNT_INTENTS or found in ("ten_keys_review", "coaching"):
                return found
            return None
        return None

    def build(self, intent: str, scene: Scene, history: Sequence[BaseMessage], ctx: AssistantContext) -> Plan:
        skip = asks_to_skip_approval(scene.text)
        account_name = scene.account.name if scene.account is not None else None
        if intent == "help":
            return Plan(intent, reply=templates.HELP)
        if intent == "out_of_scope":
            return Plan(intent, reply=templates.OUT_OF_SCOPE)
        if skip and intent not in WRITE_INTENTS:
            return Plan("unsafe", reply=templates.SKIP_APPROVAL_ONLY)
        if intent == UNKNOWN:
            return Plan(intent, reply=templates.NOT_UNDERSTOOD)
        if intent == "unsafe":
            refusal = Refusal.OVERRIDE
            return Plan(intent, reply=templates.REFUSALS[refusal], refusal=refusal)
        if intent in ("coaching", "lesson", "exercise", "quiz", "quiz_answer", "exercise_answer"):
            return self._learning(intent, scene, history, ctx)
        if intent == "list_accounts":
            return _call(intent, {}, account_name)
        if intent == "ten_keys_review":
            wide = _PORTFOLIO_WIDE.search(scene.text) and not scene.accounts
            return _call(intent, {} if wide or account_name is None else {"account": account_name}, account_name)
        target = account_name or scene.unknown
        if target is None:
            return Plan(intent, reply=_ask_account(scene.portfolio))
        if intent == STRATEGIC_FIT:
            return Plan(
                intent, calls=(ToolCall("get_account_overview", {"account": target}),), account_name=account_name
            )
        args: dict[str, Any] = {"account": target}
        builder = ARGUMENTS.get(intent)
        if builder is not None:
            extra = builder(scene, ctx)
            if isinstance(extra, str):
                return Plan(intent, reply=extra, account_name=account_name)
            args.update(extra)
        return Plan(
            intent,
            calls=(ToolCall(INTENT_TOOLS[intent], args),),
            account_name=account_name,
            skip_approval=skip and intent in WRITE_INTENTS,
            people=tuple(p.name for p in people_named(scene)),
        )

    def _learning(self, intent: str, scene: Scene, history: Sequence[BaseMessage], ctx: AssistantContext) -> Plan:
        account_name = scene.account.name if scene.account is not None else None
        if intent == "coaching":
            return _call(intent, {"query": coaching_query(scene.text, history)}, account_name)
        answers = [_content(m) for m in history if isinstance(m, AIMessage)]
        lessons = ctx.curriculum or self.curriculum
        lesson = lesson_in_text(scene.text, lessons) if intent != "quiz_answer" else None
        if lesson is None and intent in ("quiz_answer", "exercise_answer", "quiz", "exercise"):
            lesson = lesson_in_history(answers[-2:], lessons)
        if lesson is None:
            if intent == "lesson":
                return _call("coaching", {"query": scene.text}, account_name)
            examples = "“key 3”, “module 5” or “the partnership charter”"
            return Plan(intent, reply=templates.ASK_LESSON.format(examples=examples))
        if intent == "exercise_answer":
            answer = re.sub(r"^\s*(?:here'?s |here is )?my (?:answer|response)[^:]*:\s*", "", scene.text, flags=re.I)
            return _call(intent, {"topic": lesson.id, "answer": answer}, account_name)
        return _call(intent, {"topic": lesson.id}, account_name)


def _caveats(scene: Scene, plan: Plan) -> tuple[str, ...]:
    """What the answer must say the records do not hold, before what they do."""
    found = []
    about_people = plan.intent in ("stakeholders", "search_notes")
    if scene.absent_person is not None and scene.account is not None and about_people:
        absent = templates.ABSENT_PERSON.format(name=scene.absent_person, account=scene.account.name)
        found.append(f"{absent} {templates.WHO_IS_ON_RECORD}" if plan.intent == "stakeholders" else absent)
    if scene.competitor is not None and scene.competitor_unrecorded and scene.account is None:
        found.append(templates.UNRECORDED_COMPETITOR.format(name=scene.competitor))
    return tuple(found)


def _call(intent: str, args: dict[str, Any], account_name: str | None) -> Plan:
    return Plan(intent, calls=(ToolCall(INTENT_TOOLS[intent], args),), account_name=account_name)


def _ask_account(portfolio: Sequence[AccountSummary]) -> str:
    if not portfolio:
        return templates.ASK_ACCOUNT_EMPTY
    names = ", ".join(a.name for a in portfolio[:ASKED_NAMES])
    if len(portfolio) > ASKED_NAMES:
        names += f" and {len(portfolio) - ASKED_NAMES} more"
    return templates.ASK_ACCOUNT.format(names=names)


def _content(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)


def _last(history: Sequence[BaseMessage], kind: type[BaseMessage]) -> BaseMessage | None:
    """The newest message of `kind` with text (an AI message that only called tools has none)."""
    return next((m for m in reversed(history) if isinstance(m, kind) and _content(m).strip()), None)


def _residue(masked: str) -> list[str]:
    """The words of a message besides the names and filler ("Acme please" leaves nothing)."""
    filler = {"please", "the", "account", "for", "at", "with", "on", "ok", "okay", "thanks", "one", "that"}
    return [
        t.norm
        for t in tokens(masked)
        if t.norm not in filler and t.text not in (ACCOUNT_PLACEHOLDER, PERSON_PLACEHOLDER)
    ]


def _may_name_someone(text: str) -> bool:
    return text == text.lower() or any(t.text[:1].isupper() and t.norm not in NOT_NAMES for t in tokens(text))


def _without_payload(text: str, today: date) -> str:
    """The request without the text it asks to record: a note may quote an email, an action may say "send"."""
    body = find_note_body(text)
    if body is not None and keyword_intent(text) == "log_note":
        text = text.replace(body[1:], "")
    title = find_action_title(text, today)
    if title is not None and keyword_intent(text) == "add_action":
        text = text.replace(title[1:], "")
    return text


def _bigrams(words: Sequence[str]) -> set[tuple[str, str]]:
    return set(pairwise(words))
