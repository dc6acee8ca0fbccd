"""From a message and the conversation so far to what an LLM would do: tool calls with arguments, or a reply.

The planner reads the caller's own portfolio to recognise names (an account, or a stakeholder who pins down
the account), masks them for the router, decides the intent (safety rules, then the conversation's state —
a quiz or exercise awaiting an answer, a follow-up — then the router) and fills the tool's arguments.
Anything it cannot fill it asks for instead of guessing.
"""

from __future__ import annotations

import re
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
    NameIndex,
    mask,
    tokens,
)
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
from assistant.offline.scenes import SceneReader
from assistant.records.schemas import AccountSummary
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
        self.scenes = SceneReader()

    def scene(self, text: str, history: Sequence[BaseMessage], ctx: AssistantContext) -> Scene:
        return self.scenes.read(text, history, ctx)

    def account_index(self, portfolio: Sequence[AccountSummary]) -> NameIndex:
        return self.scenes.account_index(portfolio)

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
        answer_text = previous.text
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
        answered_which = (previous := _last(history, AIMessage)) is not None and previous.text.startswith(
            templates.ASK_ACCOUNT.split("{", 1)[0]
        )
        only_a_name = bool(scene.accounts) and len(_residue(scene.masked)) <= 1
        short = len(scene.text.split()) <= 8
        if not ((_FOLLOW_UP.search(scene.text) and short) or only_a_name or (answered_which and scene.accounts)):
            return None
        humans = [m for m in history if isinstance(m, HumanMessage)]
        for earlier in reversed(humans[-3:]):
            text = earlier.text
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
            if isinstance(extra, str) and skip:
                # "Just close it, no confirmation": nothing to propose from this message, and a question back
                # would read as if the change could go through unapproved; say that it cannot.
                return Plan("unsafe", reply=templates.SKIP_APPROVAL_ONLY)
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
        answers = [m.text for m in history if isinstance(m, AIMessage)]
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


def _last(history: Sequence[BaseMessage], kind: type[BaseMessage]) -> BaseMessage | None:
    """The newest message of `kind` with text (an AI message that only called tools has none)."""
    return next((m for m in reversed(history) if isinstance(m, kind) and m.text.strip()), None)


def _residue(masked: str) -> list[str]:
    """The words of a message besides the names and filler ("Acme please" leaves nothing)."""
    filler = {"please", "the", "account", "for", "at", "with", "on", "ok", "okay", "thanks", "one", "that"}
    return [
        t.norm
        for t in tokens(masked)
        if t.norm not in filler and t.text not in (ACCOUNT_PLACEHOLDER, PERSON_PLACEHOLDER)
    ]


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
