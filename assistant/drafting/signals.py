"""Early-warning rules: the seeds' warning signals, decided by code over `AccountEvidence`.

Each rule is a small function with its thresholds as named constants. A warning cites the records that
triggered it and one curriculum passage that teaches what to do about it. Rules only ever read evidence;
where the evidence is absent they stay silent (a missing record is a gap for the drafts, not a warning).
The rules about people live in `people_signals.py`; the vocabulary and thresholds in `signal_types.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from assistant.drafting.curriculum import Passages, default_passages
from assistant.drafting.evidence import (
    AccountEvidence,
    cite_account,
    cite_agreement,
    cite_assessment,
    cite_charter,
    cite_note,
    cite_reading,
)
from assistant.drafting.people_signals import (
    decision_maker_without_owner,
    leadership_change,
    rising_detractor,
    silent_sponsor,
)
from assistant.drafting.signal_types import (
    ACQUISITION_NOTE_DAYS,
    ACQUISITION_TERMS,
    BELOW_TARGET_HIGH_SHORTFALL,
    BELOW_TARGET_PERIODS,
    CHARTER_REVIEW_DAYS,
    CONTRACT_END_DAYS,
    CONTRACT_URGENT_DAYS,
    HEALTH_RANK,
    LEADERSHIP_JOINED_DAYS,
    LEADERSHIP_LEFT_DAYS,
    LEADERSHIP_NOTE_DAYS,
    MAX_CITED_NOTES,
    NOT_STRATEGIC_TERMS,
    RENEWAL_NOTE_DAYS,
    RENEWAL_TERMS,
    SEVERITY_ORDER,
    SILENT_SPONSOR_DAYS,
    STALE_DAYS,
    STRATEGIC_TERMS,
    ZONE_GAP_POINTS,
    EarlyWarning,
    Rule,
    Severity,
    make_warning,
    point,
)
from assistant.drafting.text import months_until, number
from assistant.records.enums import Assessor, OpportunityType, Zone

RuleFn = Callable[[AccountEvidence, Passages], list[EarlyWarning]]


def detect_early_warnings(evidence: AccountEvidence, passages: Passages | None = None) -> list[EarlyWarning]:
    """Every rule over the evidence, most severe first (then in rule order)."""
    lessons = passages or default_passages()
    found = [warning for rule in RULES for warning in rule(evidence, lessons)]
    order = {rule: index for index, rule in enumerate(Rule)}
    return sorted(found, key=lambda w: (SEVERITY_ORDER[w.severity], order[w.rule]))


def acquisition(ev: AccountEvidence, lessons: Passages) -> list[EarlyWarning]:
    notes = [
        n for n in ev.notes_since(ev.today - timedelta(days=ACQUISITION_NOTE_DAYS)) if ACQUISITION_TERMS.search(n.body)
    ]
    if not notes:
        return []
    # Notes are newest first: quote the first mention, then the latest few, each citing the note it quotes.
    first, later = notes[-1], notes[: MAX_CITED_NOTES - 1][::-1]
    source = cite_note(first, ACQUISITION_TERMS.pattern)
    curriculum = lessons.cite("guide-relationship-health", "Questions to take", "acquisition")
    points = [point(f"Note of {first.occurred_on}: “{source.excerpt}”", source)]
    for note in later:
        if note is not first:
            cited = cite_note(note, ACQUISITION_TERMS.pattern)
            points.append(point(f"Note of {note.occurred_on}: “{cited.excerpt}”", cited))
    points.append(
        point("Check with the client how the acquisition changes who decides and what it needs from us.", curriculum)
    )
    return [
        make_warning(
            Rule.ACQUISITION,
            Severity.HIGH,
            f"Acquisition or merger at the client, first noted on {first.occurred_on}",
            points,
            basis=[source],
            curriculum=curriculum,
        )
    ]


def contract_end_no_renewal(ev: AccountEvidence, lessons: Passages) -> list[EarlyWarning]:
    end = ev.account.contract_end
    if end is None or (end - ev.today).days > CONTRACT_END_DAYS:
        return []
    talked = [n for n in ev.notes_since(ev.today - timedelta(days=RENEWAL_NOTE_DAYS)) if RENEWAL_TERMS.search(n.body)]
    renewal = [o for o in ev.opportunities if o.type is OpportunityType.RENEWAL]
    if talked or renewal:
        return []
    days = (end - ev.today).days
    when = f"ended {-days} days ago" if days < 0 else f"ends on {end} (about {months_until(ev.today, end)} months)"
    start = ev.account.contract_start
    term = f"runs from {start} to {end}" if start else f"ends on {end}"
    record = cite_account(ev.account, f"contract {start or 'start unknown'} to {end}")
    # The absence of a renewal talk has no record of its own: it rides on the contract term it is about.
    detail = point(
        f"The contract {term}; no note of the last {RENEWAL_NOTE_DAYS} days mentions renewal, an extension or "
        "the next phase, and there is no renewal opportunity.",
        record,
    )
    return [
        make_warning(
            Rule.CONTRACT_END_NO_RENEWAL,
            Severity.HIGH if days <= CONTRACT_URGENT_DAYS else Severity.MEDIUM,
            f"Contract {when} and no renewal conversation is logged",
            [detail],
            basis=[record],
            curriculum=lessons.cite("guide-relationship-health", "Questions to take", "24 months"),
        )
    ]


def metric_below_target(ev: AccountEvidence, lessons: Passages) -> list[EarlyWarning]:
    warnings = []
    for series in ev.metrics:
        run = series.periods_below_target()
        if series.target is None or run < BELOW_TARGET_PERIODS:
            continue
        missed = series.readings[-run:]
        latest = missed[-1].value
        shortfall = abs(latest - series.target) / abs(series.target) if series.target else 1.0
        values = ", ".join(f"{r.period} {number(r.value)}" for r in missed)
        unit = series.metric.unit
        readings = [cite_reading(series, r) for r in missed]
        warnings.append(
            make_warning(
                Rule.METRIC_BELOW_TARGET,
                Severity.HIGH
                if run > BELOW_TARGET_PERIODS or shortfall > BELOW_TARGET_HIGH_SHORTFALL
                else Severity.MEDIUM,
                f"{series.metric.name} below target for {run} periods running",
                [point(f"Target {number(series.target)} {unit}; readings {values}.", *readings)],
                basis=readings,
                curriculum=lessons.cite("key-09-performance-metrics", "How to practise it", "trigger"),
                subject=series.metric.key,
            )
        )
    return warnings


def perception_gap(ev: AccountEvidence, lessons: Passages) -> list[EarlyWarning]:
    theirs = ev.latest_assessment(Assessor.CUSTOMER)
    ours = ev.latest_assessment(Assessor.SAM_LEADER) or ev.latest_assessment(Assessor.ASSISTANT)
    if theirs is None or ours is None:
        return []
    overall_gap = HEALTH_RANK[theirs.overall] - HEALTH_RANK[ours.overall]
    zone_gaps = {
        zone: ours.zone(zone).score - theirs.zone(zone).score
        for zone in Zone
        if ours.zone(zone).score - theirs.zone(zone).score >= ZONE_GAP_POINTS
    }
    if overall_gap <= 0 and not zone_gaps:
        return []
    zones = ", ".join(f"{zone.value} {ours.zone(zone).score} vs {theirs.zone(zone).score}" for zone in zone_gaps)
    both = [cite_assessment(theirs), cite_assessment(ours)]
    # One sentence: the zone gaps only make sense next to the two readings they compare.
    apart = f"; zones at least {ZONE_GAP_POINTS} points apart (ours vs theirs): {zones}" if zones else ""
    points = [
        point(
            f"The customer rated the partnership {theirs.overall.value} on {theirs.assessed_on}; our latest "
            f"assessment ({ours.assessed_on}) says {ours.overall.value}{apart}.",
            *both,
        )
    ]
    evidence_notes = {ref.id for ref in theirs.evidence if ref.kind.value == "note"}
    for note in (n for n in ev.notes if n.id in evidence_notes):
        cited = cite_note(note)
        points.append(point(f"The customer's rating rests on the note of {note.occurred_on}: “{cited.excerpt}”", cited))
    return [
        make_warning(
            Rule.PERCEPTION_GAP,
            Severity.HIGH if overall_gap > 0 and zone_gaps else Severity.MEDIUM,
            f"Perception gap: the customer says {theirs.overall.value}, we say {ours.overall.value}",
            points,
            basis=both,
            curriculum=lessons.cite("guide-relationship-health", "What the Ask Forensics", "More than 50%"),
        )
    ]


def not_mutually_strategic(ev: AccountEvidence, lessons: Passages) -> list[EarlyWarning]:
    if ev.account.mutual_agreement:
        return []
    said = [n for n in ev.notes if NOT_STRATEGIC_TERMS.search(n.body)]
    notes = [*said, *(n for n in ev.notes if STRATEGIC_TERMS.search(n.body) and n not in said)][:3]
    record = cite_agreement(ev.account)
    points = [point("The account record shows no mutual agreement that the relationship is strategic.", record)]
    for note in notes:
        cited = cite_note(note, NOT_STRATEGIC_TERMS.pattern if note in said else "strategic")
        points.append(point(f"Note of {note.occurred_on}: “{cited.excerpt}”", cited))
    return [
        make_warning(
            Rule.NOT_MUTUALLY_STRATEGIC,
            Severity.MEDIUM,
            "The customer does not agree the account is strategic",
            points,
            basis=[record],
            curriculum=lessons.cite("key-01-define-strategic-account", "Why it matters", "did not know"),
        )
    ]


def charter_review_due(ev: AccountEvidence, lessons: Passages) -> list[EarlyWarning]:
    charter = ev.charter
    if charter is None or charter.next_review_due is None:
        return []
    days = (charter.next_review_due - ev.today).days
    if days > CHARTER_REVIEW_DAYS:
        return []
    when = f"overdue by {-days} days" if days < 0 else f"due in {days} days"
    record = cite_charter(charter, f"next review due {charter.next_review_due}")
    return [
        make_warning(
            Rule.CHARTER_REVIEW_DUE,
            Severity.MEDIUM if days < 0 else Severity.LOW,
            f"Charter review {when}",
            [point(f"Charter version {charter.version} is due for review on {charter.next_review_due}.", record)],
            basis=[record],
            curriculum=lessons.cite("guide-partnership-charter", "Keeping the charter current", "once a year"),
        )
    ]


def stale_account(ev: AccountEvidence, lessons: Passages) -> list[EarlyWarning]:
    if ev.notes_since(ev.today - timedelta(days=STALE_DAYS)):
        return []
    last = ev.notes[0] if ev.notes else None
    record = cite_account(ev.account, f"no notes since {ev.today - timedelta(days=STALE_DAYS)}")
    detail = (
        point(f"The last note is from {last.occurred_on}.", cite_note(last))
        if last
        else point("No note of the last year is recorded.", record)
    )
    return [
        make_warning(
            Rule.STALE_ACCOUNT,
            Severity.MEDIUM,
            f"No notes in the last {STALE_DAYS} days",
            [detail],
            basis=[record],
            curriculum=lessons.cite("guide-meeting-preparation", "Keep the client profile current", "fluid"),
        )
    ]


RULES: tuple[RuleFn, ...] = (
    leadership_change,
    acquisition,
    contract_end_no_renewal,
    silent_sponsor,
    metric_below_target,
    perception_gap,
    rising_detractor,
    decision_maker_without_owner,
    not_mutually_strategic,
    charter_review_due,
    stale_account,
)


__all__ = [
    "HEALTH_RANK",
    "LEADERSHIP_JOINED_DAYS",
    "LEADERSHIP_LEFT_DAYS",
    "LEADERSHIP_NOTE_DAYS",
    "RULES",
    "SEVERITY_ORDER",
    "SILENT_SPONSOR_DAYS",
    "STALE_DAYS",
    "EarlyWarning",
    "Rule",
    "Severity",
    "detect_early_warnings",
]
