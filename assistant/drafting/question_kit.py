"""The building blocks of brief questions: a candidate question, who to address, and the fallback questions."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.citations import Citation
from assistant.drafting.curriculum import Passages
from assistant.drafting.evidence import AccountEvidence, cite_account, cite_assessment
from assistant.drafting.people import announced_departures
from assistant.drafting.signal_types import LEADERSHIP_NOTE_DAYS
from assistant.records.schemas import StakeholderOut

TEMPERATURE = "Questions to take"  # guide-relationship-health: the TRUE NORTH temperature questions


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
    latest = ev.assessments[0] if ev.assessments else None
    basis = [
        cite_assessment(latest) if latest else cite_account(ev.account, "no health assessment"),
        cite_account(ev.account, f"{len(ev.client())} client stakeholders on record"),
        cite_account(ev.account, f"our executive sponsor: {ev.account.executive_sponsor or 'none'}"),
        cite_account(ev.account, f"industry: {ev.account.industry}"),
        cite_account(ev.account, f"{len(ev.open_actions())} open action items"),
    ]
    return [
        Candidate(
            priority=90 + index,
            ask=ask,
            why=why,
            citations=[citation],
            curriculum=lessons.cite(*passage),
            preferred=default_addressees(ev),
        )
        for index, ((ask, why, passage), citation) in enumerate(zip(FILLERS, basis, strict=True))
    ]
