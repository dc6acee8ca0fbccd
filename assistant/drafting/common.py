"""Sections and gap checks that several drafts share: health snapshot, warnings, commitments, people changes."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from assistant.agent.untrusted import looks_like_injection
from assistant.citations import Citation, Claim
from assistant.drafting.evidence import (
    AccountEvidence,
    cite_account,
    cite_action,
    cite_assessment,
    cite_note,
    cite_reading,
    cite_stakeholder,
)
from assistant.drafting.models import DraftSection, Trend, make_section
from assistant.drafting.signals import HEALTH_RANK, STALE_DAYS, EarlyWarning
from assistant.drafting.text import join_names, number, sentences, shorten
from assistant.records.enums import Assessor, HealthStatus, Zone
from assistant.records.schemas import CharterOut, HealthAssessmentOut, NoteOut, OpportunityOut
from assistant.records.services.metrics import MetricSeries

OURS = (Assessor.SAM_LEADER,)
MAX_NOTE_CHARS = 260
FLAGGED_NOTE = (
    "⚠ this note contains instructions addressed to an AI assistant, which were not followed; it is not quoted here."
)


def trend(current: HealthStatus, previous: HealthStatus | None) -> Trend:
    if previous is None:
        return "first reading"
    delta = HEALTH_RANK[previous] - HEALTH_RANK[current]
    return "better" if delta > 0 else "worse" if delta < 0 else "same"


def zones_text(assessment: HealthAssessmentOut) -> str:
    return ", ".join(f"{z.value} {assessment.zone(z).score}" for z in Zone)


def note_claim(note: NoteOut) -> Claim:
    """The note's first sentences, unless it holds instructions addressed to an AI: those are never quoted."""
    if looks_like_injection(note.body):
        return Claim(
            text=f"{note.occurred_on} ({note.kind.value}, {note.author}): {FLAGGED_NOTE}",
            citations=[cite_note(note)],
        )
    text = shorten(" ".join(sentences(note.body)[:2]), MAX_NOTE_CHARS)
    return Claim(text=f"{note.occurred_on} ({note.kind.value}, {note.author}): {text}", citations=[cite_note(note)])


def common_gaps(ev: AccountEvidence) -> list[str]:
    """The abstentions every draft shows at the top: what is missing, and what to add."""
    gaps = []
    if not ev.notes_since(ev.today - timedelta(days=STALE_DAYS)):
        gaps.append(f"No notes in the last {STALE_DAYS} days: add a note from your last conversation.")
    if not ev.metrics:
        gaps.append("No success metrics are recorded: agree the charter's key measures and record them.")
    for series in ev.metrics:
        if not series.readings:
            gaps.append(f"No metric readings for {series.metric.name}: record the latest reading.")
    if not ev.client():
        gaps.append("No client stakeholders are recorded: add the people who decide, approve and influence.")
    if ev.latest_assessment(*OURS) is None:
        gaps.append("No health assessment is recorded: take a health reading (strong, vulnerable or damaged).")
    if ev.charter is None:
        gaps.append("No signed partnership charter: agree one with the customer.")
    return gaps


def health_snapshot(ev: AccountEvidence, *, key: str = "health", title: str = "Health snapshot") -> DraftSection:
    claims: list[Claim] = []
    missing: list[str] = []
    ours = ev.assessments_by(*OURS)
    if ours:
        latest = ours[0]
        claims.append(
            Claim(
                text=f"Our latest assessment ({latest.assessed_on}, {latest.assessor_name or 'SAM leader'}) rates the "
                f"partnership {latest.overall.value}: {zones_text(latest)}.",
                citations=[cite_assessment(latest)],
            )
        )
        if len(ours) > 1:
            previous = ours[1]
            direction = trend(latest.overall, previous.overall)
            moved = {"better": "has improved from", "worse": "has worsened from", "same": "is unchanged from"}[
                direction
            ]
            claims.append(
                Claim(
                    text=f"The rating {moved} {previous.overall.value} on {previous.assessed_on} to "
                    f"{latest.overall.value} on {latest.assessed_on}.",
                    citations=[cite_assessment(latest), cite_assessment(previous)],
                )
            )
    else:
        missing.append("no health assessment of ours: take a health reading")
    theirs = ev.latest_assessment(Assessor.CUSTOMER)
    if theirs is not None:
        agree = ours and ours[0].overall is theirs.overall
        claims.append(
            Claim(
                text=f"The customer's own latest rating ({theirs.assessed_on}) is {theirs.overall.value}: "
                f"{zones_text(theirs)}" + (", matching ours." if agree else "."),
                citations=[cite_assessment(theirs)],
            )
        )
    else:
        missing.append("no customer-stated rating: ask the customer how they rate the partnership")
    claims.extend(metric_claims(ev, missing))
    return make_section(key, title, claims, missing)


def metric_claims(ev: AccountEvidence, missing: list[str]) -> list[Claim]:
    measured = [s for s in ev.metrics if s.target is not None and s.readings]
    if not measured:
        missing.append("no charter metric readings against targets")
        return []
    below = [s for s in measured if s.latest and s.on_target(s.latest.value) is False]
    text = f"{len(measured) - len(below)} of {len(measured)} charter metrics are on target at their latest reading"
    # The count rests on one reading per metric: name each, so every citation states the fact it adds.
    text += ": " + readings_text(measured)
    return [Claim(text=text + ".", citations=[cite_reading(s, s.readings[-1]) for s in measured])]


def readings_text(measured: list[MetricSeries]) -> str:
    """Each metric's latest reading against its target, as the reading's own record states it."""
    parts = []
    for series in measured:
        latest = series.readings[-1]
        below = ", below target" if series.on_target(latest.value) is False else ""
        parts.append(
            f"{series.metric.name} {latest.period}: {number(latest.value)} (target {number(series.target or 0)}{below})"
        )
    return "; ".join(parts)


def targets_text(charter: CharterOut) -> str:
    """The charter's targets as its record lists them: metric name and target value."""
    return "; ".join(f"{t.metric_name} {number(t.target)}" for t in charter.targets)


def opportunity_text(opportunity: OpportunityOut) -> str:
    return f"{opportunity.name} ({opportunity.stage.value})"


def no_sponsor(ev: AccountEvidence, shown: int = 3) -> tuple[str, list[Citation]]:
    """The missing sponsor, said with the records that show it: the most powerful client stakeholders and
    where each stands."""
    people = ev.client()[:shown]
    text = "No active client sponsor is recorded"
    if people:
        text += "; the most powerful client stakeholders are " + join_names(
            f"{p.name} ({p.stance.value}, power {p.power})" for p in people
        )
        return text, [cite_stakeholder(p) for p in people]
    return text, [cite_account(ev.account, "no client stakeholder with stance sponsor")]


def warnings_section(
    warnings: list[EarlyWarning], *, key: str = "warnings", title: str = "Early warnings"
) -> DraftSection:
    # Each warning is one bullet, its title and every point citing only the records that sentence rests on.
    per_warning = [w.claims() for w in warnings]
    return make_section(
        key, title, [c for claims in per_warning for c in claims], groups=[len(claims) for claims in per_warning]
    )


def open_commitments(ev: AccountEvidence, *, key: str = "commitments", title: str = "Open commitments") -> DraftSection:
    claims = []
    for action in ev.open_actions():
        if action.due_on is None:
            when = "no due date"
        elif action.due_on < ev.today:
            when = f"OVERDUE by {(ev.today - action.due_on).days} days (due {action.due_on})"
        else:
            when = f"due {action.due_on}"
        claims.append(
            Claim(
                text=f"{action.title}: owner {action.owner}, {when}, {action.status.value.replace('_', ' ')}.",
                citations=[cite_action(action)],
            )
        )
    missing = [] if claims else ["no open action items are recorded"]
    return make_section(key, title, claims, missing)


def relationship_changes(ev: AccountEvidence, since: date) -> list[Claim]:
    """Joins, departures and stance changes of client stakeholders on or after `since`."""
    claims = []
    for person in ev.client(active=None):
        if person.joined_on is not None and since <= person.joined_on <= ev.today:
            claims.append(
                Claim(
                    text=f"{person.name} joined as {person.title or 'a new stakeholder'} on {person.joined_on} "
                    f"({person.stance.value}; owner {person.owner_name or 'none'}).",
                    citations=[cite_stakeholder(person)],
                )
            )
        if person.left_on is not None and since <= person.left_on <= ev.today:
            successor = ev.stakeholder(person.replaced_by_id)
            claims.append(
                Claim(
                    text=f"{person.name} ({person.title}) left on {person.left_on}"
                    + (f", replaced by {successor.name}." if successor else "."),
                    citations=[cite_stakeholder(person), *([cite_stakeholder(successor)] if successor else [])],
                )
            )
        history = ev.stance_history.get(person.id, [])
        for previous, change in itertools.pairwise(history):
            if since <= change.effective_on <= ev.today and change.stance != previous.stance:
                claims.append(
                    Claim(
                        text=f"{person.name} moved from {previous.stance.value} to {change.stance.value} "
                        f"on {change.effective_on}.",
                        citations=[cite_stakeholder(person)],
                    )
                )
    return claims
