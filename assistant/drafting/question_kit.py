"""The building blocks of brief questions: a candidate question, who to address, and the fallback questions."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.citations import Citation
from assistant.drafting.curriculum import Passages
from assistant.drafting.evidence import AccountEvidence, cite_account, cite_action, cite_assessment, cite_stakeholder
from assistant.drafting.people import announced_departures
from assistant.drafting.signal_types import LEADERSHIP_NOTE_DAYS
from assistant.drafting.text import join_names
from assistant.records.schemas import StakeholderOut

TEMPERATURE = "Questions to take"  # guide-relationship-health: the TRUE NORTH temperature questions
SHOWN = 3  # records a fallback question names and cites


@dataclass
class Candidate:
    priority: int
    ask: str  # asked of anyone other than the subject
    why: str
    citations: list[Citation]
    curriculum: Citation
    preferred: list[StakeholderOut]
    subject_id: int | None = None  # the person the question is about
    ask_subject: str = ""  # the wording when the subject is the addressee ("" = never ask the subject)
    exclude: set[int] = field(default_factory=set)


def default_addressees(ev: AccountEvidence) -> list[StakeholderOut]:
    """Who a forward-looking question goes to: sponsors, then decision-makers we know, then the most powerful.

    People announced as leaving come last: their answer will not outlast them.
    """
    leaving = {p.id for p, _ in announced_departures(ev, LEADERSHIP_NOTE_DAYS)}
    known = [p for p in ev.decision_makers() if p.last_contact_on is not None]
    ordered = [*ev.sponsors(), *known, *ev.decision_makers(), *ev.client()]
    unique = list({p.id: p for p in ordered}.values())
    return [p for p in unique if p.id not in leaving] + [p for p in unique if p.id in leaving]


def short_name(ev: AccountEvidence) -> str:
    return ev.account.name.split()[0]


# Always-useful questions from the curriculum: (ask, why, lesson, section, sentence), used only to reach the minimum.
FILLERS = (
    (
        "How would you rate our partnership today: strong, vulnerable or damaged, and why?",
        "A health reading in the client's own words, to compare with ours.",
        ("guide-relationship-health", "Taking a health reading", "own view"),
    ),
    (
        "Which decisions in the next year matter most to you, and who else will be involved in them?",
        "Know the decision team before the decisions are made.",
        ("key-03-strategic-relationships", "Questions to ask", "Who decides"),
    ),
    (
        "Can I schedule time with the appropriate people from both our organisations?",
        "Broaden the relationship beyond the people we already see.",
        ("guide-relationship-health", TEMPERATURE, "schedule"),
    ),
    (
        "What is changing in your business this year that we should plan for together?",
        "Plans made with the customer in the room are the ones that get executed.",
        ("key-08-customer-engagement", "Questions to ask", None),
    ),
    (
        "Is there anything we have promised that you are still waiting for?",
        "Forgotten commitments cost credibility; check the open action items before the meeting.",
        ("guide-meeting-preparation", "List open commitments", None),
    ),
)


def fillers(ev: AccountEvidence, lessons: Passages) -> list[Candidate]:
    """The always-useful questions, each with the records that make it pertinent here and a `why` that says
    what those records show."""
    evidence = [_health_basis(ev), _decision_basis(ev), _contact_basis(ev), _business_basis(ev), _promise_basis(ev)]
    return [
        Candidate(
            priority=90 + index,
            ask=ask,
            why=why if not shown else f"{why.rstrip('.')}: {shown}.",
            citations=citations,
            curriculum=lessons.cite(*passage),
            preferred=default_addressees(ev),
        )
        for index, ((ask, why, passage), (shown, citations)) in enumerate(zip(FILLERS, evidence, strict=True))
    ]


Basis = tuple[str, list[Citation]]  # what the records show, in words, and the records


def _health_basis(ev: AccountEvidence) -> Basis:
    latest = ev.assessments[0] if ev.assessments else None
    if latest is None:
        return "", [cite_account(ev.account, "no health assessment")]
    return f"the latest reading, {latest.overall.value} on {latest.assessed_on}", [cite_assessment(latest)]


def _decision_basis(ev: AccountEvidence) -> Basis:
    makers = ev.decision_makers()[:SHOWN]
    if not makers:
        return "", [cite_account(ev.account, "no client decision-maker on record")]
    return f"the map names {_people(makers)} as decision-makers", [cite_stakeholder(p) for p in makers]


def _contact_basis(ev: AccountEvidence) -> Basis:
    seen = sorted((p for p in ev.client() if p.last_contact_on), key=lambda p: p.last_contact_on or ev.today)
    recent = seen[::-1][:SHOWN]
    if not recent:
        return "", [cite_account(ev.account, "no client contact on record")]
    return f"most recent contacts are {_people(recent)}", [cite_stakeholder(p) for p in recent]


def _business_basis(ev: AccountEvidence) -> Basis:
    account = ev.account
    shown = f"what changes in {account.industry.lower()} changes what {account.name} needs from us"
    return shown, [cite_account(account, f"{account.name}: {account.industry}")]


def _promise_basis(ev: AccountEvidence) -> Basis:
    actions = ev.open_actions()[:SHOWN]
    if not actions:
        return "", [cite_account(ev.account, "no open action items")]
    shown = join_names(f"{a.title} ({a.owner}, due {a.due_on or 'unset'})" for a in actions)
    return f"open items include {shown}", [cite_action(a) for a in actions]


def _people(people: list[StakeholderOut]) -> str:
    return join_names(f"{p.name} ({p.title})" if p.title else p.name for p in people)
