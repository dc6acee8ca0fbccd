"""Questions for a meeting brief: each follows from a signal in the evidence, addressed to the right person.

Every question carries the records behind it and a curriculum passage. Signal questions come first (most
severe first); the health-reading and scheduling questions of the TRUE NORTH article fill a brief up to
the minimum when the evidence raises fewer than five.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.drafting.curriculum import Passages
from assistant.drafting.evidence import (
    AccountEvidence,
    cite_note,
    cite_opportunity,
    cite_stakeholder,
)
from assistant.drafting.models import Question
from assistant.drafting.people import DEPARTURE_TERMS, announced_departures, is_executive, last_contact
from assistant.drafting.question_kit import TEMPERATURE, Candidate, default_addressees, fillers, short_name
from assistant.drafting.signals import (
    LEADERSHIP_JOINED_DAYS,
    LEADERSHIP_LEFT_DAYS,
    LEADERSHIP_NOTE_DAYS,
    SEVERITY_ORDER,
    EarlyWarning,
    Rule,
)
from assistant.drafting.text import first_name, first_sentence, lower_first, months_until, number
from assistant.records.enums import Assessor, OpportunityType, Zone
from assistant.records.schemas import StakeholderOut

MIN_QUESTIONS = 5
MAX_QUESTIONS = 10
NEWCOMER_PRIORITY = 45
TRIAL_PRIORITY = 30


def build_questions(
    ev: AccountEvidence,
    warnings: Sequence[EarlyWarning],
    lessons: Passages,
    attendees: Sequence[StakeholderOut] = (),
) -> list[Question]:
    """Between MIN_QUESTIONS and MAX_QUESTIONS questions, one per subject, most urgent first."""
    by_rule: dict[Rule, list[EarlyWarning]] = {}
    for warning in warnings:
        by_rule.setdefault(warning.rule, []).append(warning)
    signals = sorted(_signal_questions(ev, by_rule, lessons), key=lambda c: c.priority)
    chosen: list[Question] = []
    subjects: set[int] = set()
    for candidate in signals:
        if candidate.subject_id is not None and candidate.subject_id in subjects:
            continue
        chosen.append(_address(candidate, list(attendees)))
        if candidate.subject_id is not None:
            subjects.add(candidate.subject_id)
        if len(chosen) == MAX_QUESTIONS:
            return chosen
    for filler in fillers(ev, lessons)[: max(0, MIN_QUESTIONS - len(chosen))]:
        chosen.append(_address(filler, list(attendees)))
    return chosen


def _address(candidate: Candidate, attendees: list[StakeholderOut]) -> Question:
    """The preferred person among those attending (or anyone preferred when no attendees are given)."""
    pool = attendees or candidate.preferred
    ranked = [p for p in candidate.preferred if p in pool] + [p for p in pool if p not in candidate.preferred]
    for person in ranked:
        if person.id == candidate.subject_id and candidate.ask_subject:
            return _question(candidate, person, candidate.ask_subject)
        if person.id != candidate.subject_id and person.id not in candidate.exclude:
            return _question(candidate, person, candidate.ask)
    return _question(candidate, None, candidate.ask)


def _question(candidate: Candidate, person: StakeholderOut | None, text: str) -> Question:
    return Question(
        to=person.name if person else "any",
        stakeholder_id=person.id if person else None,
        question=text,
        why=candidate.why,
        citations=candidate.citations,
        curriculum=candidate.curriculum,
    )


def _signal_questions(
    ev: AccountEvidence, by_rule: dict[Rule, list[EarlyWarning]], lessons: Passages
) -> list[Candidate]:
    rank = {rule: SEVERITY_ORDER[ws[0].severity] * 20 + index for index, (rule, ws) in enumerate(by_rule.items())}
    leaders = default_addressees(ev)
    found: list[Candidate] = []
    if Rule.LEADERSHIP_CHANGE in by_rule:
        unowned = {i for w in by_rule.get(Rule.DECISION_MAKER_WITHOUT_OWNER, []) for i in w.stakeholder_ids}
        found.extend(_leadership(ev, rank[Rule.LEADERSHIP_CHANGE], leaders, unowned, lessons))
    found.extend(_newcomers(ev, leaders, lessons))
    found.extend(_trials(ev, lessons))
    for rule, warnings in by_rule.items():
        for warning in warnings:
            candidate = _for_warning(ev, warning, rank[rule], leaders, lessons)
            if candidate is not None:
                found.append(candidate)
    return found


def _for_warning(
    ev: AccountEvidence, warning: EarlyWarning, priority: int, leaders: list[StakeholderOut], lessons: Passages
) -> Candidate | None:
    # A question restates the warning's headline, so it cites the records behind the title.
    rule, cites = warning.rule, warning.basis
    person = ev.stakeholder(warning.stakeholder_ids[0]) if warning.stakeholder_ids else None
    if rule is Rule.ACQUISITION:
        return Candidate(
            priority=priority,
            ask=f"I understand {short_name(ev)} is pursuing an acquisition: how will it change what you need from us, "
            "and who will decide on suppliers during the integration?",
            why="An ownership change redraws the supplier map and the decision team.",
            citations=cites,
            curriculum=lessons.cite("guide-relationship-health", TEMPERATURE, "acquisition"),
            preferred=leaders,
        )
    if rule is Rule.CONTRACT_END_NO_RENEWAL:
        end = ev.account.contract_end
        return Candidate(
            priority=priority,
            ask=f"We are about {months_until(ev.today, end) if end else 0} months from the end of our agreement; "
            "shall we begin discussing the next phase of our relationship now?",
            why=f"The contract ends on {end} and no renewal conversation is logged.",
            citations=cites,
            curriculum=lessons.cite("guide-relationship-health", TEMPERATURE, "24 months"),
            preferred=leaders,
        )
    if rule is Rule.SILENT_SPONSOR and person is not None:
        last, _ = last_contact(ev, person)
        days = f"{(ev.today - last).days} days" if last else "a long time"
        return Candidate(
            priority=priority,
            subject_id=person.id,
            ask_subject=f"It has been {days} since we last spoke: how do you see the partnership today, and what "
            "should we be doing differently?",
            ask=f"We have not heard from {person.name} for {days}: is there something we should know, and how can "
            f"we get time with {first_name(person.name)}?",
            why="A sponsor who goes quiet is a warning signal; ask before the silence becomes a decision.",
            citations=cites,
            curriculum=lessons.cite("guide-relationship-health", "Listening for what is not said", "name it"),
            preferred=[person, *leaders],
        )
    if rule is Rule.DECISION_MAKER_WITHOUT_OWNER and person is not None:
        return Candidate(
            priority=priority,
            subject_id=person.id,
            ask_subject="What matters most to you in the decisions ahead, and how would you like us to work with you?",
            ask=f"Would you introduce us to {person.name}, your new {person.title}? What does "
            f"{first_name(person.name)} care about most?",
            why=f"{person.name} decides, and nobody on our side owns the relationship.",
            citations=cites,
            curriculum=lessons.cite("key-03-strategic-relationships", "Questions to ask", "joined or left"),
            preferred=[*ev.sponsors(), *leaders],
        )
    if rule is Rule.RISING_DETRACTOR and person is not None:
        return Candidate(
            priority=priority,
            subject_id=person.id,
            ask_subject="What would you need to see from us to regard the partnership as good value, and how should "
            "we measure it?",
            ask=f"How does {person.name} see us now, and what would change {first_name(person.name)}'s view before "
            "decisions are made?",
            why=warning.title + ".",
            citations=cites,
            curriculum=lessons.cite("key-03-strategic-relationships", "Questions to ask", "detractors"),
            preferred=[*ev.sponsors(), *leaders],
        )
    if rule is Rule.METRIC_BELOW_TARGET:
        series = next((s for s in ev.metrics if s.metric.key == warning.subject), None)
        shown = (
            f"{series.metric.name} has been below its {number(series.target or 0)} target for "
            f"{series.periods_below_target()} periods running (latest {number(series.latest.value)})"
            if series is not None and series.latest is not None
            else warning.title
        )
        return Candidate(
            priority=priority,
            ask=f"{shown}. Does our recovery plan address what matters most to you?",
            why="Missing a charter measure twice running needs a plan the customer recognises.",
            citations=cites,
            curriculum=lessons.cite("key-09-performance-metrics", "Questions to ask", "misses its target"),
            preferred=leaders,
        )
    if rule is Rule.PERCEPTION_GAP:
        return _gap_question(ev, warning, priority, leaders, lessons)
    if rule is Rule.NOT_MUTUALLY_STRATEGIC:
        return Candidate(
            priority=priority,
            ask=f"What would make this partnership strategic for {short_name(ev)}, and who in your leadership "
            "should we talk to about shared goals?",
            why="The customer has not agreed that the account is strategic.",
            citations=cites,
            curriculum=lessons.cite("key-01-define-strategic-account", "Questions to ask", "know it is"),
            preferred=leaders,
        )
    if rule is Rule.CHARTER_REVIEW_DUE:
        due = ev.charter.next_review_due if ev.charter else None
        return Candidate(
            priority=priority,
            ask=f"Our charter review is due on {due}: can we schedule it with the signatories and anyone new to the "
            "partnership?",
            why=warning.title + ".",
            citations=cites,
            curriculum=lessons.cite("guide-partnership-charter", "Keeping the charter current", "once a year"),
            preferred=leaders,
        )
    if rule is Rule.STALE_ACCOUNT:
        return Candidate(
            priority=priority,
            ask="What has changed for you since we last spoke?",
            why=warning.title + ": the client profile may be out of date.",
            citations=cites,
            curriculum=lessons.cite("guide-meeting-preparation", "Review what has changed"),
            preferred=leaders,
        )
    return None  # leadership change is handled person by person in _leadership


def _leadership(
    ev: AccountEvidence, priority: int, leaders: list[StakeholderOut], skip: set[int], lessons: Passages
) -> list[Candidate]:
    found = []
    joiners = [
        p
        for p in ev.client()
        if p.joined_on is not None and (ev.today - p.joined_on).days <= LEADERSHIP_JOINED_DAYS and is_executive(p)
    ]
    leaving = announced_departures(ev, LEADERSHIP_NOTE_DAYS)
    if leaving:
        person, note = leaving[0]
        successor = next((j for j in joiners if j.id != person.id), None)
        citations = [cite_note(note, DEPARTURE_TERMS.pattern), cite_stakeholder(person)]
        if successor is not None:
            citations.append(cite_stakeholder(successor))
            arrival = (
                f" and {successor.name} has joined as {successor.title}: what are {first_name(successor.name)}'s "
                "priorities, and would you introduce us?"
            )
            skip = skip | {successor.id}
        else:
            arrival = ". Has a successor been named, and where are they coming from?"
        found.append(
            Candidate(
                priority=priority,
                subject_id=person.id,
                ask_subject="I understand you are retiring" + arrival,
                ask=f"I understand {first_name(person.name)} is retiring" + arrival,
                why=f"{person.name} ({person.title}) is leaving; the partnership depends on who takes over and how "
                "quickly we meet them.",
                citations=citations,
                curriculum=lessons.cite("guide-relationship-health", TEMPERATURE, "successor"),
                preferred=[person, *leaders],
            )
        )
    for person in ev.client(active=False):
        successor = ev.stakeholder(person.replaced_by_id)
        if successor is None or not successor.is_active or successor.id in skip or not is_executive(person):
            continue
        if person.left_on is None or (ev.today - person.left_on).days > LEADERSHIP_LEFT_DAYS:
            continue
        found.append(
            Candidate(
                priority=priority,
                subject_id=successor.id,
                ask_subject=f"You have taken over from {person.name}: what would you change in how we work together, "
                "and can we walk through the partnership charter together?",
                ask=f"How is {successor.name} settling in after {person.name}'s departure, and what should we know "
                f"about {first_name(successor.name)}'s priorities?",
                why=f"{successor.name} replaced {person.name} and did not co-author the charter.",
                citations=[cite_stakeholder(successor), cite_stakeholder(person)],
                curriculum=lessons.cite("guide-partnership-charter", "When people change", "re-selling"),
                preferred=[successor, *leaders],
            )
        )
        skip = skip | {successor.id}
    found.extend(_hearing_about(ev, p, priority, leaders, lessons) for p in joiners if p.id not in skip)
    return found


def _newcomers(ev: AccountEvidence, leaders: list[StakeholderOut], lessons: Passages) -> list[Candidate]:
    """Recent arrivals below the executive level, such as a new site manager."""
    return [
        _hearing_about(ev, p, NEWCOMER_PRIORITY, leaders, lessons)
        for p in ev.client()
        if p.joined_on is not None and (ev.today - p.joined_on).days <= LEADERSHIP_JOINED_DAYS and not is_executive(p)
    ]


def _hearing_about(
    ev: AccountEvidence, person: StakeholderOut, priority: int, leaders: list[StakeholderOut], lessons: Passages
) -> Candidate:
    notes = [n for n in ev.notes if person.id in n.mentioned_ids][:2]
    return Candidate(
        priority=priority,
        subject_id=person.id,
        ask=f"What are you hearing about {person.name}, the new {person.title}, that I should know?",
        why=f"{person.name} joined on {person.joined_on}; a new face changes how the partnership is seen.",
        citations=[cite_stakeholder(person), *(cite_note(n) for n in notes)],
        curriculum=lessons.cite("guide-relationship-health", TEMPERATURE, "new site manager"),
        preferred=leaders,
    )


def _trials(ev: AccountEvidence, lessons: Passages) -> list[Candidate]:
    """Open innovation offers: the TRUE NORTH "would you be one of three trial sites?" question."""
    found = []
    for opportunity in ev.open_opportunities():
        if opportunity.type is not OpportunityType.INNOVATION:
            continue
        people = [p for p in default_addressees(ev) if p.id in opportunity.stakeholder_ids]
        keyword = next((w for w in opportunity.name.split() if len(w) >= 6), opportunity.name)
        notes = [n for n in ev.notes if keyword.lower() in n.body.lower()][:2]
        trial = "trial" in f"{opportunity.name} {opportunity.description}".lower()
        invite = (
            f"Would {short_name(ev)} be one of the trial sites?"
            if trial
            else f"Would {short_name(ev)} work on it with us?"
        )
        found.append(
            Candidate(
                priority=TRIAL_PRIORITY,
                ask=f"We are trialling something new: {lower_first(first_sentence(opportunity.description))} {invite}",
                why=f"The offer “{opportunity.name}” is open at stage {opportunity.stage.value}; co-innovation is a "
                "growth signal and a reason to meet.",
                citations=[cite_opportunity(opportunity), *(cite_note(n) for n in notes)],
                curriculum=lessons.cite("guide-relationship-health", TEMPERATURE, "trial"),
                preferred=people or default_addressees(ev),
            )
        )
    return found


def _gap_question(
    ev: AccountEvidence, warning: EarlyWarning, priority: int, leaders: list[StakeholderOut], lessons: Passages
) -> Candidate:
    theirs, ours = ev.latest_assessment(Assessor.CUSTOMER), ev.latest_assessment(Assessor.SAM_LEADER)
    focus = ""
    if theirs is not None and ours is not None:
        worst = max(Zone, key=lambda z: ours.zone(z).score - theirs.zone(z).score)
        focus = f", especially on {worst.value}"
    rating = theirs.overall.value if theirs else "lower than ours"
    return Candidate(
        priority=priority,
        ask=f"Your own rating of the partnership is {rating} while ours is "
        f"{ours.overall.value if ours else 'higher'}: where do we fall short{focus}?",
        why="More than half of providers do not know how their clients really rate the relationship.",
        citations=warning.basis,
        curriculum=lessons.cite("guide-relationship-health", "Taking a health reading", "own view"),
        preferred=leaders,
    )
