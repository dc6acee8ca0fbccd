"""The arguments of each tool call, filled from what the planner recognised in the message (its `Scene`).

A builder returns the arguments, or a question back to the user when something it needs is missing (who to
update, what the note says); it never guesses a value the message does not give.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.agent.context import AssistantContext
from assistant.offline import templates
from assistant.offline.dates import find_dates
from assistant.offline.entities import (
    charter_trigger,
    find_action_title,
    find_decision_role,
    find_health_status,
    find_note_body,
    find_owner,
    find_rating,
    find_stance,
    find_title,
    find_zone_scores,
    note_kind,
)
from assistant.offline.names import Mention
from assistant.records.enums import Side
from assistant.records.schemas import AccountSummary, StakeholderOut

_CONTACT = re.compile(
    r"\b(?:spoke|spoken|talked|met|meeting|called|call|caught up|last contact|saw|heard from)\b", re.I
)
# Words that ask for a search of the notes rather than say what it is about.
NOTES_CUES = frozenset(
    """what did do does we i you they discuss discussed discussing talk talked talking about say said says find search
    look looking through notes note for any the in our last mention mentioning mentioned mentions anything
    logged log have has had with pull up call calls meeting meetings came come when regarding re on of at to all
    please me show anyone time spoke speak spoken told tell recently lately latest ever something a an is are was
    were there and or my from that this these those will would could should can as how why which who where""".split()
)
_QUERY_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9&'’-]*")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@dataclass
class Scene:
    """What the planner recognised in one message."""

    text: str
    masked: str
    portfolio: list[AccountSummary]
    # Only the recognised names masked (an unknown name stays as typed): what the safety rules read.
    masked_known: str = ""
    accounts: list[Mention] = field(default_factory=list)
    people: list[Mention] = field(default_factory=list)
    stakeholders: list[StakeholderOut] = field(default_factory=list)
    account: AccountSummary | None = None
    unknown: str | None = None
    # How the account in scope was found: named, bound, person, notes, only, history (None: no account).
    source: str | None = None
    # A person asked about whom the account's stakeholder list does not hold ("Dr. Patricia Munro's stance").
    absent_person: str | None = None
    # A competitor asked about (never read as a missing account), and whether a search of the portfolio's notes
    # found none that names it.
    competitor: str | None = None
    competitor_unrecorded: bool = False


def people_named(scene: Scene, *, client_only: bool = False) -> list[StakeholderOut]:
    by_id = {p.id: p for p in scene.stakeholders}
    found = [by_id[m.id] for m in scene.people if m.id in by_id]
    unique = list({p.id: p for p in found}.values())
    return [p for p in unique if p.side is Side.CLIENT] if client_only else unique


def _meeting_brief(scene: Scene, ctx: AssistantContext) -> dict[str, Any]:
    args: dict[str, Any] = {}
    people = [p.name for p in people_named(scene) if p.is_active]
    if people:
        args["stakeholders"] = people
    upcoming = [d.value for d in find_dates(scene.text, ctx.today) if d.value >= ctx.today]
    if upcoming:
        args["meeting_date"] = upcoming[0].isoformat()
    return args


def _search_notes(scene: Scene, ctx: AssistantContext) -> dict[str, Any]:
    return {"query": notes_query(scene.text, [(m.start, m.end) for m in scene.accounts])}


def notes_query(text: str, drop: Sequence[tuple[int, int]] = ()) -> str:
    """What a notes search is about: the message's whole words, without the account's name and the words that
    only ask for a search ("what did we discuss about ..."). Words are cut at their boundaries, never inside
    ("follow-up" stays whole)."""
    words = []
    for match in _QUERY_WORD.finditer(text):
        if any(start <= match.start() < end for start, end in drop):
            continue
        word = _POSSESSIVE.sub("", match.group(0).rstrip("-'’"))
        if len(word) > 1 and word.lower() not in NOTES_CUES:
            words.append(word)
    return " ".join(words) or "recent conversations and decisions"


def _stakeholder_update(scene: Scene, ctx: AssistantContext) -> dict[str, Any] | str:
    account = scene.account.name if scene.account is not None else "the account"
    people = people_named(scene)
    if not people:
        client = [p.name for p in scene.stakeholders if p.side is Side.CLIENT and p.is_active][:3]
        examples = ", ".join(f"“{name}”" for name in client) or "“Helen Ortiz”"
        return templates.ASK_PERSON.format(account=account, examples=examples)
    person = people[0]
    args: dict[str, Any] = {"stakeholder": person.name}
    # The stance and title are read from the text after the person's name, so "Helen said Raymond is now
    # a detractor" updates Raymond, the person the clause is about, when he is named second.
    first = next(m for m in scene.people if m.id == person.id)
    clause = scene.text[first.start :]
    fields: dict[str, Any] = {
        "stance": find_stance(clause),
        "power": find_rating(clause, "power"),
        "interest": find_rating(clause, "interest"),
        "title": find_title(clause),
        "decision_role": find_decision_role(clause),
    }
    if _CONTACT.search(scene.text):
        past = [d.value for d in find_dates(scene.text, ctx.today) if d.value <= ctx.today]
        fields["last_contact_on"] = (past[0] if past else ctx.today).isoformat()
    changes = {k: v for k, v in fields.items() if v is not None}
    if not changes:
        return templates.ASK_CHANGE.format(person=person.name)
    args.update(changes)
    args["rationale"] = f"The user said: “{scene.text}”"
    return args


def _note(scene: Scene, ctx: AssistantContext) -> dict[str, Any] | str:
    body = find_note_body(scene.text)
    if body is None:
        return templates.ASK_NOTE.format(account=scene.account.name if scene.account else "Acme")
    args: dict[str, Any] = {"body": body, "kind": note_kind(scene.text)}
    past = [d.value for d in find_dates(scene.text, ctx.today) if d.value <= ctx.today]
    if past:
        args["occurred_on"] = past[0].isoformat()
    body_start = scene.text.find(body[1:]) - 1
    mentioned = [
        p.name for p in people_named(scene) if any(m.id == p.id and m.start >= body_start for m in scene.people)
    ]
    if mentioned:
        args["mentioned"] = mentioned
    return args


def _action(scene: Scene, ctx: AssistantContext) -> dict[str, Any] | str:
    account_words = [scene.account.name] if scene.account is not None else []
    account_words += [scene.text[m.start : m.end] for m in scene.accounts]
    title = find_action_title(scene.text, ctx.today, remove=account_words)
    if title is None:
        return templates.ASK_ACTION.format(account=scene.account.name if scene.account else "Acme")
    args: dict[str, Any] = {"title": title}
    owner = find_owner(scene.text) or _owner_named(scene)
    people = people_named(scene)
    if owner is not None and not any(owner.lower() in w.lower() for w in account_words):
        owner_match = next((p for p in people if owner.lower() in p.name.lower().split()), None)
        args["owner"] = owner_match.name if owner_match is not None else owner
    upcoming = [d.value for d in find_dates(scene.text, ctx.today) if d.value >= ctx.today]
    if upcoming:
        args["due_on"] = upcoming[0].isoformat()
    client = [p for p in people if p.side is Side.CLIENT and p.is_active and p.name != args.get("owner")]
    if client:
        args["stakeholder"] = client[0].name
    args["rationale"] = f"The user asked: “{scene.text}”"
    return args


_FOR_BEFORE = re.compile(r"\bfor\s+$", re.IGNORECASE)
_OWNER_AFTER = re.compile(r"^(?:\s*[:–—]|\s+-\s|\s+to\s)")


def _owner_named(scene: Scene) -> str | None:
    """A person of the account named as who the action is for: "a to-do for Luis Moreno: ...", "for Tanya Wells
    to check the rota". Only a recognised person counts: "an action for Acme: ..." names where, not who."""
    for mention in scene.people:
        before, after = scene.text[: mention.start], scene.text[mention.end :]
        if _FOR_BEFORE.search(before) and _OWNER_AFTER.match(after):
            return mention.name
    return None


def _assessment(scene: Scene, ctx: AssistantContext) -> dict[str, Any]:
    args: dict[str, Any] = {}
    statuses = set(re.findall(r"\b(strong|vulnerable|damaged)\b", scene.text.lower()))
    if len(statuses) == 1:
        args["overall"] = find_health_status(scene.text)
    zones = find_zone_scores(scene.text)
    if zones:
        args["zone_scores"] = zones
    if args:
        args["rationale"] = f"The user's judgement: “{scene.text}”"
    return args


def _charter_revision(scene: Scene, ctx: AssistantContext) -> dict[str, Any]:
    return {"trigger": charter_trigger(scene.text), "request": scene.text}


ARGUMENTS: dict[str, Callable[[Scene, AssistantContext], dict[str, Any] | str]] = {
    "meeting_brief": _meeting_brief,
    "search_notes": _search_notes,
    "update_stakeholder": _stakeholder_update,
    "log_note": _note,
    "add_action": _action,
    "assess_health": _assessment,
    "charter_revision": _charter_revision,
}
