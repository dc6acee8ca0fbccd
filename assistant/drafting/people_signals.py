"""Early-warning rules about people: leadership changes, silent sponsors, rising detractors, unowned
decision-makers. Same contract as the account rules in `signals.py`: evidence in, cited warnings out."""

from __future__ import annotations

import re
from datetime import timedelta

from assistant.citations import Claim
from assistant.drafting.curriculum import Passages
from assistant.drafting.evidence import AccountEvidence, cite_note, cite_opportunity, cite_stakeholder
from assistant.drafting.people import (
    DEPARTURE_TERMS,
    acronym,
    announced_departures,
    competitor_pattern,
    is_executive,
    last_contact,
    name_pattern,
    notes_about,
    power_rises,
)
from assistant.drafting.signal_types import (
    COMPETITOR_NOTE_DAYS,
    DETRACTOR_MIN_POWER,
    INFLUENCE_TERMS,
    LEADERSHIP_JOINED_DAYS,
    LEADERSHIP_LEFT_DAYS,
    LEADERSHIP_NOTE_DAYS,
    LEADERSHIP_TERMS,
    MAX_CITED_NOTES,
    RISING_WINDOW_DAYS,
    SILENT_SPONSOR_DAYS,
    SILENT_SPONSOR_HIGH_DAYS,
    EarlyWarning,
    Rule,
    Severity,
    make_warning,
    point,
)
from assistant.drafting.text import ago, first_name, join_names
from assistant.records.enums import Stance


def leadership_change(ev: AccountEvidence, lessons: Passages) -> list[EarlyWarning]:
    today = ev.today
    left = [
        s
        for s in ev.client(active=False)
        if s.left_on is not None and s.left_on >= today - timedelta(days=LEADERSHIP_LEFT_DAYS) and is_executive(s)
    ]
    joined = [
        s
        for s in ev.client()
        if s.joined_on is not None
        and today - timedelta(days=LEADERSHIP_JOINED_DAYS) <= s.joined_on <= today
        and is_executive(s)
    ]
    departures = announced_departures(ev, LEADERSHIP_NOTE_DAYS)
    leaving = [person for person, _ in departures]
    notes = [n for n in ev.notes_since(today - timedelta(days=LEADERSHIP_NOTE_DAYS)) if LEADERSHIP_TERMS.search(n.body)]
    if not (left or joined or notes):
        return []
    points: list[Claim] = []
    for person in left:
        successor = ev.stakeholder(person.replaced_by_id)
        replaced = f", replaced by {successor.name}" if successor else ""
        points.append(
            point(
                f"{person.name} ({person.title}) left {ago(today, person.left_on)}{replaced}.",
                cite_stakeholder(person),
                *([cite_stakeholder(successor)] if successor else []),
            )
        )
    for person, announcement in departures:
        points.append(
            point(
                f"{person.name} ({person.title}) is leaving: a note of {announcement.occurred_on} speaks of "
                "retirement.",
                cite_stakeholder(person),
                cite_note(announcement, DEPARTURE_TERMS.pattern),
            )
        )
    for person in joined:
        contact = (
            "no contact recorded yet"
            if person.last_contact_on is None
            else "last contact " + ago(today, person.last_contact_on)
        )
        points.append(
            point(
                f"{person.name} joined as {person.title} {ago(today, person.joined_on)}; {contact}.",
                cite_stakeholder(person),
            )
        )
    quoted = [cite_note(n, LEADERSHIP_TERMS.pattern) for n in notes[:MAX_CITED_NOTES]]
    points += [point(f"Note of {c.date}: “{c.excerpt}”", c) for c in quoted]
    departing = bool(left or leaving) or any(DEPARTURE_TERMS.search(n.body) for n in notes)
    unmet = not joined or any(p.last_contact_on is None for p in joined)
    people = [*left, *leaving, *joined]
    names = [f"{p.name} ({'leaving' if p in leaving else 'left' if p in left else 'joined'})" for p in people]
    curriculum = (
        lessons.cite("guide-relationship-health", "Questions to take", "successor")
        if leaving or not left
        else lessons.cite("guide-partnership-charter", "When people change", "review")
    )
    return [
        make_warning(
            Rule.LEADERSHIP_CHANGE,
            Severity.HIGH if departing and unmet else Severity.MEDIUM,
            "Leadership change at the client" + (f": {', '.join(names)}" if names else ""),
            points,
            # The title names the people; with nobody named it rests on the notes alone.
            basis=[cite_stakeholder(p) for p in people] or quoted,
            curriculum=curriculum,
            stakeholder_ids=[p.id for p in people],
        )
    ]


def silent_sponsor(ev: AccountEvidence, lessons: Passages) -> list[EarlyWarning]:
    warnings = []
    for sponsor in ev.sponsors():
        last, note = last_contact(ev, sponsor)
        days = None if last is None else (ev.today - last).days
        if days is not None and days <= SILENT_SPONSOR_DAYS:
            continue
        since = [] if last is None else [n for n in ev.notes_since(last) if n is not note]
        attempts = [n for n in since if _refers_to(sponsor.name, sponsor.title, n.body)]
        silence = "no contact is recorded" if days is None else f"the last contact was {days} days ago ({last})"
        basis = [cite_stakeholder(sponsor), *([cite_note(note)] if note else [])]
        points = [point(f"{sponsor.name} ({sponsor.title}) is the client sponsor, and {silence}.", *basis)]
        if attempts:
            shown = attempts[:3]
            dates = join_names(str(n.occurred_on) for n in shown)
            points.append(
                point(
                    f"{len(attempts)} later note(s) record attempts to reach them or their office, the latest on "
                    f"{dates}.",
                    *(cite_note(n, _reference(sponsor.name, sponsor.title)) for n in shown),
                )
            )
        warnings.append(
            make_warning(
                Rule.SILENT_SPONSOR,
                Severity.HIGH if days is None or days > SILENT_SPONSOR_HIGH_DAYS else Severity.MEDIUM,
                f"Sponsor {sponsor.name} silent for {'an unknown time' if days is None else f'{days} days'}",
                points,
                basis=basis,
                curriculum=lessons.cite("guide-relationship-health", "Early detection", "silence"),
                stakeholder_ids=[sponsor.id],
            )
        )
    return warnings


def _refers_to(name: str, title: str | None, text: str) -> bool:
    return re.search(_reference(name, title), text) is not None


def _reference(name: str, title: str | None) -> str:
    """A regex for the person by name or by their office's acronym ("the COO's office")."""
    short = acronym(title)
    return name_pattern(name).pattern + (rf"|\b{short}\b" if short else "")


def rising_detractor(ev: AccountEvidence, lessons: Passages) -> list[EarlyWarning]:
    warnings = []
    since = ev.today - timedelta(days=COMPETITOR_NOTE_DAYS)
    competitors = competitor_pattern(ev)
    for person in ev.client():
        if person.stance not in (Stance.DETRACTOR, Stance.SKEPTIC) or person.power < DETRACTOR_MIN_POWER:
            continue
        rises = power_rises(ev, person)
        about = [n for n in notes_about(ev, person) if n.occurred_on >= since]
        rivals = [n for n in about if competitors.search(n.body)] if person.stance is Stance.DETRACTOR else []
        if not rises and not rivals:
            continue
        context = [n for n in about if INFLUENCE_TERMS.search(n.body) and n not in rivals][:2]
        record = cite_stakeholder(person)
        stance = f"{person.name} ({person.title}) is a {person.stance.value} with power {person.power}."
        points = [point(stance, record)]
        if rises:
            # The rise is in the record's change history; the record shows where it stands now.
            points.append(
                point(
                    f"{person.name}'s power rose from {rises[0]} to {rises[1]} in the last {RISING_WINDOW_DAYS} days.",
                    record,
                )
            )
        if rivals:
            named = sorted({m.group(0) for n in rivals for m in competitors.finditer(n.body)}, key=str.lower)
            shown = rivals[:MAX_CITED_NOTES]
            points.append(
                point(
                    f"{len(rivals)} recent note(s), of {join_names(str(n.occurred_on) for n in shown)}, link "
                    f"{first_name(person.name)} to a competitor ({', '.join(named)}).",
                    *(cite_note(n, competitors.pattern) for n in shown),
                )
            )
        for note in context:
            cited = cite_note(note, INFLUENCE_TERMS.pattern)
            points.append(point(f"Note of {note.occurred_on}: “{cited.excerpt}”", cited))
        warnings.append(
            make_warning(
                Rule.RISING_DETRACTOR,
                Severity.HIGH,
                f"{person.stance.value.capitalize()} {person.name} is gaining influence"
                + (" and a competitor is courting them" if rivals else ""),
                points,
                basis=[record],
                curriculum=lessons.cite("key-03-strategic-relationships", "Why it matters", "detractor"),
                stakeholder_ids=[person.id],
            )
        )
    return warnings


def decision_maker_without_owner(ev: AccountEvidence, lessons: Passages) -> list[EarlyWarning]:
    covered = ev.covered_ids()
    warnings = []
    for person in ev.decision_makers():
        if person.owner_id is not None or person.id in covered:
            continue
        notes = notes_about(ev, person)[:2]
        opportunities = [o for o in ev.open_opportunities() if person.id in o.stakeholder_ids]
        record = cite_stakeholder(person)
        unowned = f"{person.name} ({person.title}) decides, but nobody on our side owns or covers the relationship."
        points = [point(unowned, record)]
        if opportunities:
            points.append(
                point(
                    f"Open opportunities that need {first_name(person.name)}: "
                    f"{join_names(o.name for o in opportunities)}.",
                    *(cite_opportunity(o) for o in opportunities),
                )
            )
        for note in notes:
            cited = cite_note(note, name_pattern(person.name).pattern)
            points.append(point(f"Note of {note.occurred_on}: “{cited.excerpt}”", cited))
        warnings.append(
            make_warning(
                Rule.DECISION_MAKER_WITHOUT_OWNER,
                Severity.MEDIUM,
                f"No relationship owner for decision-maker {person.name}",
                points,
                basis=[record],
                curriculum=lessons.cite("key-03-strategic-relationships", "Pitfalls", "Unowned relationships"),
                stakeholder_ids=[person.id],
            )
        )
    return warnings
