"""The meeting brief: what changed, health, warnings, the stakeholder map and its gaps, commitments, questions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from assistant.citations import Claim
from assistant.drafting.common import (
    common_gaps,
    health_snapshot,
    no_sponsor,
    note_claim,
    open_commitments,
    relationship_changes,
    warnings_section,
)
from assistant.drafting.curriculum import Passages
from assistant.drafting.evidence import (
    AccountEvidence,
    cite_account,
    cite_assessment,
    cite_charter,
    cite_note,
    cite_reading,
    cite_stakeholder,
)
from assistant.drafting.latest_word import latest_word
from assistant.drafting.models import DraftSection, MeetingBrief, make_section
from assistant.drafting.people import DEPARTURE_TERMS, announced_departures
from assistant.drafting.questions import build_questions
from assistant.drafting.signals import LEADERSHIP_NOTE_DAYS, EarlyWarning
from assistant.drafting.text import ago, lower_first, number
from assistant.records.enums import Assessor, DecisionRole, NoteKind, Stance

CHANGE_WINDOW_DAYS = 30  # at least this far back, or to the last meeting if that is longer ago
MAX_CHANGE_NOTES = 12
UNCONTACTED_DAYS = 90
FINANCE = ("finance", "cfo", "chief financial")
# The brief's sections, in order; the renderer and the tests rely on these keys and titles.
BRIEF_SECTIONS = {
    "what_changed": "What changed since the last meeting",
    "health": "Health snapshot",
    "warnings": "Early warnings",
    "stakeholders": "Stakeholder map and gaps",
    "commitments": "Open commitments",
    "questions": "Questions to ask",
}


def build_meeting_brief(
    ev: AccountEvidence,
    warnings: list[EarlyWarning],
    lessons: Passages,
    *,
    attendee_ids: Sequence[int] = (),
    meeting_date: date | None = None,
) -> MeetingBrief:
    attendees = [p for p in (ev.stakeholder(i) for i in attendee_ids) if p is not None]
    questions = build_questions(ev, warnings, lessons, attendees)
    return MeetingBrief(
        title="Meeting brief",
        account_id=ev.account_id,
        account_name=ev.account.name,
        generated_on=ev.today,
        meeting_date=meeting_date or ev.today,
        attendee_ids=[p.id for p in attendees],
        attendees=[p.name for p in attendees],
        warnings=warnings,
        questions=questions,
        gaps=common_gaps(ev),
        sections=[
            what_changed(ev, [p.id for p in attendees]),
            health_snapshot(ev, key="health", title=BRIEF_SECTIONS["health"]),
            warnings_section(warnings, key="warnings", title=BRIEF_SECTIONS["warnings"]),
            stakeholder_map(ev, [p.id for p in attendees]),
            open_commitments(ev, key="commitments", title=BRIEF_SECTIONS["commitments"]),
            make_section("questions", BRIEF_SECTIONS["questions"], [q.claim() for q in questions]),
        ],
    )


def what_changed(ev: AccountEvidence, attendee_ids: list[int]) -> DraftSection:
    """Notes, people changes, readings and assessments since the last meeting (or the last 30 days)."""
    meetings = [
        n
        for n in ev.notes
        if n.kind is NoteKind.MEETING and (not attendee_ids or set(n.mentioned_ids) & set(attendee_ids))
    ]
    floor = ev.today - timedelta(days=CHANGE_WINDOW_DAYS)
    since = min(meetings[0].occurred_on, floor) if meetings else floor
    claims: list[Claim] = []
    if meetings:
        claims.append(
            Claim(
                text=f"The last meeting on record was on {meetings[0].occurred_on}; this covers everything since "
                f"{since}.",
                citations=[note_claim(meetings[0]).citations[0]],
            )
        )
    claims.extend(relationship_changes(ev, since))
    recent = ev.notes_since(since)
    claims.extend(note_claim(n) for n in recent[:MAX_CHANGE_NOTES])
    for series in ev.metrics:
        for reading in series.readings:
            if since <= reading.period_end <= ev.today:
                status = {True: "on target", False: "below target", None: "no target"}[series.on_target(reading.value)]
                claims.append(
                    Claim(
                        text=f"New reading: {series.metric.name} {reading.period} {number(reading.value)} "
                        f"{series.metric.unit} ({status}).",
                        citations=[cite_reading(series, reading)],
                    )
                )
    for assessment in ev.assessments:
        if assessment.assessed_on >= since:
            who = "The customer" if assessment.assessor is Assessor.CUSTOMER else assessment.assessor_name or "We"
            claims.append(
                Claim(
                    text=f"{who} rated the partnership {assessment.overall.value} on {assessment.assessed_on}.",
                    citations=[cite_assessment(assessment)],
                )
            )
    missing = []
    if not recent:
        missing.append(f"no notes since {since}: add a note from your last conversation")
    elif len(recent) > MAX_CHANGE_NOTES:
        missing.append(f"{len(recent) - MAX_CHANGE_NOTES} older notes of the period are not listed")
    return make_section("what_changed", BRIEF_SECTIONS["what_changed"], claims, missing)


def stakeholder_map(ev: AccountEvidence, attendee_ids: Sequence[int] = ()) -> DraftSection:
    """Every client stakeholder's record; for the people you are meeting, also what they last said."""
    claims: list[Claim] = []
    covered = coverage_by_stakeholder(ev)
    for person in ev.client():
        role = person.decision_role.value.replace("_", " ") if person.decision_role else "role unknown"
        team = ", ".join(covered.get(person.id, [])) or "nobody"
        claims.append(
            Claim(
                text=f"{person.name}, {person.title or 'no title'}: {role}, {person.stance.value}, "
                f"power {person.power}; owner {person.owner_name or 'none'}; covered by {team}; "
                f"last contact {ago(ev.today, person.last_contact_on)}.",
                citations=[cite_stakeholder(person)],
            )
        )
        said = latest_word(ev, person) if person.id in attendee_ids else None
        if said is not None:
            claims.append(
                Claim(
                    text=f"Latest on {person.name} ({said.note.kind.value}, {said.note.occurred_on}): {said.text}",
                    citations=[cite_note(said.note, re.escape(said.anchor))],
                )
            )
    claims.extend(map_gaps(ev, covered))
    missing = [] if ev.client() else ["no client stakeholders: add the people who decide, approve and influence"]
    return make_section("stakeholders", BRIEF_SECTIONS["stakeholders"], claims, missing)


def coverage_by_stakeholder(ev: AccountEvidence) -> dict[int, list[str]]:
    """Client stakeholder id → the names of our team members who hold that relationship now."""
    covered: dict[int, list[str]] = {}
    for row in ev.coverage:
        covered.setdefault(row.stakeholder_id, []).append(row.team_member_name)
    return covered


def map_gaps(ev: AccountEvidence, covered: dict[int, list[str]] | None = None) -> list[Claim]:
    """The holes in the relationship map, each stated as a gap with the records that show it."""
    covered = coverage_by_stakeholder(ev) if covered is None else covered
    gaps: list[Claim] = []
    people = ev.client()
    if people and not ev.sponsors():
        text, citations = no_sponsor(ev)
        gaps.append(Claim(text=f"Gap: {lower_first(text)}.", citations=citations))
    for person in ev.decision_makers():
        lacking = [what for what, ok in (("owner", person.owner_id), ("coverage", person.id in covered)) if not ok]
        if lacking:
            gaps.append(
                Claim(
                    text=f"Gap: decision-maker {person.name} has no relationship {' and no '.join(lacking)} "
                    f"({person.title or 'no title'}, power {person.power}).",
                    citations=[cite_stakeholder(person)],
                )
            )
        if person.last_contact_on is None or (ev.today - person.last_contact_on).days > UNCONTACTED_DAYS:
            gaps.append(
                Claim(
                    text=f"Gap: decision-maker {person.name} "
                    + (
                        "has never been contacted."
                        if person.last_contact_on is None
                        else f"was last contacted {ago(ev.today, person.last_contact_on)}."
                    ),
                    citations=[cite_stakeholder(person)],
                )
            )
    for person, note in announced_departures(ev, LEADERSHIP_NOTE_DAYS):
        gaps.append(
            Claim(
                text=f"Gap: {person.name} ({person.stance.value}, {person.title}) is leaving; secure the relationship "
                "with whoever takes over.",
                citations=[cite_stakeholder(person), cite_note(note, DEPARTURE_TERMS.pattern)],
            )
        )
    if people and not any(_in_finance(p.department, p.title) for p in people):
        gaps.append(
            Claim(
                text="Gap: nobody in the client's finance function is on the map.",
                citations=[cite_account(ev.account, "no client stakeholder in finance")],
            )
        )
    for person in people:
        if person.stance in (Stance.DETRACTOR, Stance.SKEPTIC) and person.power >= 3:
            gaps.append(
                Claim(
                    text=f"Watch: {person.name} is a {person.stance.value} with power {person.power}.",
                    citations=[cite_stakeholder(person)],
                )
            )
    if ev.charter is not None:
        for signatory in ev.charter.signatories:
            signer = ev.stakeholder(signatory.stakeholder_id)
            if signer is not None and not signer.is_active:
                gaps.append(
                    Claim(
                        text=f"Gap: {signer.name} has left but still signs charter version {ev.charter.version}.",
                        citations=[cite_stakeholder(signer), cite_charter(ev.charter)],
                    )
                )
    if people and not any(p.decision_role is DecisionRole.DECISION_MAKER for p in people):
        gaps.append(
            Claim(
                text="Gap: no client decision-maker is identified.",
                citations=[cite_account(ev.account, "no decision-maker on record")],
            )
        )
    return gaps


def _in_finance(department: str | None, title: str | None) -> bool:
    text = f"{department or ''} {title or ''}".lower()
    return any(word in text for word in FINANCE)
