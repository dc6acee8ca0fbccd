"""The health assessment draft: each zone scored 1-5 by explicit rules over the evidence, every point cited.

Rules (start, then adjustments; each zone is clamped to 1-5):
- Value: no charter metric with readings -> 3 (no evidence, no score above 3). Any metric below target for
  two periods or more -> 2 (1 if two or more metrics); else any metric below target now -> 3; else 4, or 5
  when more than half of the metrics improved on their previous reading.
- Alignment: 3; +1 signed charter with targets (-1 without any signed charter); +1 mutual agreement that
  the account is strategic (-2 without); -1 charter review overdue; -1 a signatory left or a client
  decision-maker joined after the charter took effect; -1 an acquisition or merger at the client.
- Relationships: 3; +1 an active sponsor contacted within 60 days (-1 sponsor silent, -1 no sponsor); -1 a
  decision-maker without owner or coverage; -2 a detractor gaining influence (else -1 any detractor with
  power >= 4); +1 at least 70% of powerful (>= 4) client stakeholders contacted within 90 days; -1 a
  high-severity leadership change.
- Growth: 2; +1 open opportunities; +1 one of them qualified or proposed; +1 co-innovation (an innovation
  opportunity or a note of the last 180 days); +1 joint planning notes in the last 180 days; -1 each for a
  contract end without renewal talk, a metric below target two periods running, no mutual agreement.
Overall: damaged when a zone is 1, the mean is below 2.5 or three or more warnings are high; strong when the
mean is at least 3.75, no zone is below 3 and no warning is high; vulnerable otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from assistant.citations import Citation, Claim
from assistant.drafting.common import (
    common_gaps,
    no_sponsor,
    opportunity_text,
    readings_text,
    targets_text,
    trend,
    zones_text,
)
from assistant.drafting.curriculum import Passages
from assistant.drafting.evidence import (
    AccountEvidence,
    cite_account,
    cite_agreement,
    cite_assessment,
    cite_charter,
    cite_note,
    cite_opportunity,
    cite_reading,
    cite_stakeholder,
)
from assistant.drafting.models import TREND_WORDS, HealthAssessmentDraft, ZoneDraft, make_section
from assistant.drafting.signal_types import BELOW_TARGET_PERIODS
from assistant.drafting.signals import EarlyWarning, Rule, Severity
from assistant.drafting.text import any_term, join_names, lower_first, number
from assistant.records.enums import (
    Assessor,
    HealthStatus,
    MetricDirection,
    OpportunityStage,
    OpportunityType,
    Stance,
    Zone,
)
from assistant.records.schemas import HealthAssessmentOut

CONTACT_DAYS = 90
SPONSOR_CONTACT_DAYS = 60
BREADTH_SHARE = 0.7
POWERFUL = 4
ACTIVITY_DAYS = 180
STRONG_MEAN = 3.75
DAMAGED_MEAN = 2.5
DAMAGED_HIGH_WARNINGS = 3  # this many high-severity warnings at once means trust is already being lost
CO_INNOVATION = any_term([r"innovation", r"co-?creat\w*", r"co-?innovat\w*", r"joint (?:pilot|trial)", r"prototype"])
JOINT_PLANNING = any_term(
    [r"joint (?:account )?planning", r"planning (?:session|workshop)", r"account planning", r"roadmap", r"co-?creat\w*"]
)
ZONE_TITLES = {
    Zone.VALUE: "Value",
    Zone.ALIGNMENT: "Alignment",
    Zone.RELATIONSHIPS: "Relationships",
    Zone.GROWTH: "Growth",
}


@dataclass
class _Score:
    zone: Zone
    score: int
    claims: list[Claim] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    points: list[int] = field(default_factory=list)

    def headline(self) -> Claim | None:
        """The claim that moved the score most, a penalty first: what a summary should say about the zone."""
        if not self.claims:
            return None
        index = min(range(len(self.points)), key=lambda i: (self.points[i] >= 0, -abs(self.points[i]), i))
        return self.claims[index]

    def add(self, points: int, text: str, citations: list[Citation]) -> None:
        self.points.append(points)
        self.score += points
        sign = f" ({points:+d})" if points else ""
        self.claims.append(Claim(text=text + sign, citations=citations))

    def clamped(self) -> int:
        return max(1, min(5, self.score))


def build_health_assessment(
    ev: AccountEvidence, warnings: list[EarlyWarning], lessons: Passages
) -> HealthAssessmentDraft:
    scores = [_value(ev), _alignment(ev, warnings), _relationships(ev, warnings), _growth(ev, warnings)]
    values = [s.clamped() for s in scores]
    mean = sum(values) / len(values)
    high = sum(w.severity is Severity.HIGH for w in warnings)
    if min(values) <= 1 or mean < DAMAGED_MEAN or high >= DAMAGED_HIGH_WARNINGS:
        overall = HealthStatus.DAMAGED
    elif mean >= STRONG_MEAN and min(values) >= 3 and high == 0:
        overall = HealthStatus.STRONG
    else:
        overall = HealthStatus.VULNERABLE
    previous = next(iter(ev.assessments_by(Assessor.SAM_LEADER, Assessor.ASSISTANT)), None)
    customer = ev.latest_assessment(Assessor.CUSTOMER)
    zones = [
        ZoneDraft(
            zone=s.zone,
            score=s.clamped(),
            rationale=[*s.claims, _zone_passage(lessons, s.zone)],
            previous=previous.zone(s.zone).score if previous else None,
            customer=customer.zone(s.zone).score if customer else None,
        )
        for s in scores
    ]
    high_warnings = [w for w in warnings if w.severity is Severity.HIGH]
    # The rating is computed from the zones below; what it means is the curriculum's, and each high warning
    # that weighs on it is its own claim with its own records.
    summary = [
        Claim(
            text=f"Proposed overall health state: {overall.value} (zone mean {mean:.2f}, lowest zone {min(values)}, "
            f"{high} high-severity warning(s)).",
            citations=[
                lessons.cite("guide-relationship-health", "The three relationship health states", overall.value)
            ],
        ),
        *(Claim(text=f"High-severity warning: {w.title}.", citations=[*w.basis, w.curriculum]) for w in high_warnings),
        *(
            Claim(text=f"{ZONE_TITLES[s.zone]} {s.clamped()}/5: {top.text}", citations=top.citations)
            for s in scores
            if (top := s.headline()) is not None
        ),
    ]
    trend_claims, trend_missing = _trend(previous, overall, zones)
    gap_claims, gap_missing = _perception(customer, overall, zones, lessons)
    sections = [
        make_section("summary", "Summary", summary),
        *(
            make_section(s.zone.value, f"{ZONE_TITLES[s.zone]} ({s.clamped()}/5)", z.rationale, s.missing)
            for s, z in zip(scores, zones, strict=True)
        ),
        make_section("trend", "Trend against the previous assessment", trend_claims, trend_missing),
        make_section("perception", "Perception gap against the customer's view", gap_claims, gap_missing),
    ]
    return HealthAssessmentDraft(
        title="Health assessment (proposed)",
        account_id=ev.account_id,
        account_name=ev.account.name,
        generated_on=ev.today,
        overall=overall,
        zones=zones,
        trend=trend(overall, previous.overall if previous else None),
        previous_overall=previous.overall if previous else None,
        customer_overall=customer.overall if customer else None,
        sections=sections,
        gaps=common_gaps(ev),
    )


def _zone_passage(lessons: Passages, zone: Zone) -> Claim:
    citation = lessons.cite("guide-performance-zones", f"The {ZONE_TITLES[zone]} zone")
    return Claim(text=f"What the {ZONE_TITLES[zone]} zone asks: {citation.excerpt}", citations=[citation])


def _value(ev: AccountEvidence) -> _Score:
    score = _Score(Zone.VALUE, 3)
    measured = [s for s in ev.metrics if s.target is not None and s.readings]
    if not measured:
        score.missing.append("no charter metric readings against targets: value stays at 3 until there are")
        return score
    persistent = [s for s in measured if s.periods_below_target() >= BELOW_TARGET_PERIODS]
    below = [s for s in measured if s.latest and s.on_target(s.latest.value) is False]
    if persistent:
        score.score = 2 if len(persistent) == 1 else 1
        for s in persistent:
            run = s.periods_below_target()
            score.add(
                0,
                f"{s.metric.name} below its {number(s.target or 0)} target for {run} periods running",
                [cite_reading(s, r) for r in s.readings[-run:]],
            )
        return score
    if below:
        for s in below:
            latest = s.readings[-1]
            score.add(
                0,
                f"{s.metric.name} is below target at {number(latest.value)} vs {number(s.target or 0)}",
                [cite_reading(s, latest)],
            )
        return score
    improving = [
        s
        for s in measured
        if len(s.readings) > 1 and _improved(s.metric.direction, s.readings[-2].value, s.readings[-1].value)
    ]
    score.score = 5 if len(improving) * 2 > len(measured) else 4
    score.add(
        0,
        f"All {len(measured)} charter metrics are on target at their latest reading ({readings_text(measured)}); "
        f"{len(improving)} improved on the previous one",
        [cite_reading(s, s.readings[-1]) for s in measured],
    )
    return score


def _improved(direction: MetricDirection, before: float, after: float) -> bool:
    return after > before if direction is MetricDirection.HIGHER_IS_BETTER else after < before


def _alignment(ev: AccountEvidence, warnings: list[EarlyWarning]) -> _Score:
    score = _Score(Zone.ALIGNMENT, 3)
    charter = ev.charter
    if charter is None:
        score.add(-1, "No signed partnership charter is in force", [cite_account(ev.account, "no signed charter")])
        score.missing.append("no signed charter: agree what win-win means with the customer")
    elif charter.targets:
        score.add(
            1,
            f"Charter version {charter.version} is signed with {len(charter.targets)} measurable targets",
            [cite_charter(charter, targets_text(charter))],
        )
    else:
        score.add(0, f"Charter version {charter.version} is signed but sets no metric targets", [cite_charter(charter)])
    if ev.account.mutual_agreement:
        score.add(1, "The customer agrees the account is strategic", [cite_agreement(ev.account)])
    else:
        score.add(
            -2,
            "The customer does not agree the account is strategic",
            [cite_agreement(ev.account)],
        )
    if charter is not None and charter.next_review_due is not None and charter.next_review_due < ev.today:
        review = cite_charter(charter, f"next review due {charter.next_review_due}")
        score.add(-1, f"The charter review was due on {charter.next_review_due}", [review])
    if charter is not None:
        signatories = [ev.stakeholder(s.stakeholder_id) for s in charter.signatories]
        changed = [p for p in signatories if p is not None and not p.is_active]
        joined = [
            p
            for p in ev.decision_makers()
            if charter.effective_on and p.joined_on and p.joined_on > charter.effective_on
        ]
        people = [*changed, *joined]
        if people:
            score.add(
                -1,
                "People changed since the charter was signed: "
                + ", ".join(f"{p.name} ({'left' if not p.is_active else 'joined'})" for p in people),
                [cite_charter(charter), *(cite_stakeholder(p) for p in people)],
            )
    acquisition = next((w for w in warnings if w.rule is Rule.ACQUISITION), None)
    if acquisition is not None:
        # Quote the note that reports it: the acquisition is the customer's news, not our inference.
        source = acquisition.basis[0]
        score.add(
            -1,
            "An acquisition or merger may change what the customer needs from the charter"
            + (f" (noted on {source.date}: “{source.excerpt}”)" if source.excerpt else ""),
            acquisition.basis,
        )
    return score


def _relationships(ev: AccountEvidence, warnings: list[EarlyWarning]) -> _Score:
    score = _Score(Zone.RELATIONSHIPS, 3)
    by_rule = {w.rule: w for w in warnings}
    sponsors = ev.sponsors()
    if Rule.SILENT_SPONSOR in by_rule:
        score.add(-1, by_rule[Rule.SILENT_SPONSOR].title, by_rule[Rule.SILENT_SPONSOR].basis)
    elif sponsors:
        score.add(
            1,
            f"Active sponsor {sponsors[0].name} was contacted within {SPONSOR_CONTACT_DAYS} days",
            [cite_stakeholder(sponsors[0])],
        )
    elif ev.client():
        text, citations = no_sponsor(ev)
        score.add(-1, text, citations)
    uncovered = [p for p in ev.decision_makers() if p.owner_id is None or p.id not in ev.covered_ids()]
    if uncovered:
        score.add(
            -1,
            "Decision-makers without a relationship owner or coverage: " + ", ".join(p.name for p in uncovered),
            [cite_stakeholder(p) for p in uncovered],
        )
    if Rule.RISING_DETRACTOR in by_rule:
        score.add(-2, by_rule[Rule.RISING_DETRACTOR].title, by_rule[Rule.RISING_DETRACTOR].basis)
    else:
        detractors = [p for p in ev.client() if p.stance is Stance.DETRACTOR and p.power >= POWERFUL]
        if detractors:
            score.add(
                -1,
                "Powerful detractor(s): " + ", ".join(f"{p.name} ({p.title}, power {p.power})" for p in detractors),
                [cite_stakeholder(p) for p in detractors],
            )
    powerful = [p for p in ev.client() if p.power >= POWERFUL]
    recent = [p for p in powerful if p.last_contact_on and (ev.today - p.last_contact_on).days <= CONTACT_DAYS]
    if powerful:
        points = 1 if len(recent) >= BREADTH_SHARE * len(powerful) else 0
        # Name each person with the last-contact date their record holds, so every citation carries its fact.
        contacts = "; ".join(f"{p.name}, last contact {p.last_contact_on or 'never'}" for p in powerful)
        score.add(
            points,
            f"{len(recent)} of {len(powerful)} powerful client stakeholders were contacted in the last "
            f"{CONTACT_DAYS} days ({contacts})",
            [cite_stakeholder(p) for p in powerful],
        )
    else:
        score.missing.append("no powerful client stakeholders recorded: map who decides and approves")
    leadership = by_rule.get(Rule.LEADERSHIP_CHANGE)
    if leadership is not None and leadership.severity is Severity.HIGH:
        score.add(-1, leadership.title, leadership.basis)
    return score


def _growth(ev: AccountEvidence, warnings: list[EarlyWarning]) -> _Score:
    score = _Score(Zone.GROWTH, 2)
    since = ev.today - timedelta(days=ACTIVITY_DAYS)
    open_opps = ev.open_opportunities()
    if open_opps:
        shown = open_opps[:4]
        score.add(
            1,
            f"{len(open_opps)} open opportunities: " + "; ".join(opportunity_text(o) for o in shown),
            [cite_opportunity(o) for o in shown],
        )
        advanced = [o for o in open_opps if o.stage in (OpportunityStage.QUALIFIED, OpportunityStage.PROPOSED)]
        if advanced:
            score.add(
                1,
                "Qualified or proposed: " + ", ".join(o.name for o in advanced),
                [cite_opportunity(o) for o in advanced],
            )
    else:
        score.missing.append("no open opportunities recorded")
    innovation = [o for o in open_opps if o.type is OpportunityType.INNOVATION]
    innovation_notes = [n for n in ev.notes_since(since) if CO_INNOVATION.search(n.body)][:2]
    if innovation or innovation_notes:
        found = [f"the {o.stage.value} offer “{o.name}”" for o in innovation]
        found += [f"notes of {join_names(str(n.occurred_on) for n in innovation_notes)}"] if innovation_notes else []
        score.add(
            1,
            "Co-innovation with the customer is under way: " + join_names(found),
            [
                *(cite_opportunity(o) for o in innovation),
                *(cite_note(n, CO_INNOVATION.pattern) for n in innovation_notes),
            ],
        )
    planning = [n for n in ev.notes_since(since) if JOINT_PLANNING.search(n.body)]
    if planning:
        latest = planning[:3]
        score.add(
            1,
            f"{len(planning)} joint planning note(s) in the last {ACTIVITY_DAYS} days, the latest of "
            + join_names(str(n.occurred_on) for n in latest),
            [cite_note(n, JOINT_PLANNING.pattern) for n in latest],
        )
    else:
        score.missing.append(f"no note of joint planning with the customer in the last {ACTIVITY_DAYS} days")
    penalties = {
        Rule.CONTRACT_END_NO_RENEWAL: "Growth waits on the renewal",
        Rule.METRIC_BELOW_TARGET: "Growth waits on recovering a charter metric",
        Rule.NOT_MUTUALLY_STRATEGIC: "Without mutual agreement the customer has little reason to grow with us",
    }
    for rule, text in penalties.items():
        warning = next((w for w in warnings if w.rule is rule), None)
        if warning is not None:
            # The penalty restates the warning's headline: the records behind it, and the passage on why it matters.
            score.add(-1, f"{text}: {lower_first(warning.title)}", [*warning.basis[:3], warning.curriculum])
    return score


def _trend(
    previous: HealthAssessmentOut | None, overall: HealthStatus, zones: list[ZoneDraft]
) -> tuple[list[Claim], list[str]]:
    if previous is None:
        return [], ["no previous assessment of ours to compare with"]
    moves = ", ".join(f"{z.zone.value} {z.previous} → {z.score}" for z in zones if z.previous is not None)
    return [
        Claim(
            text=f"Against our previous assessment ({previous.assessed_on}, {previous.overall.value}: "
            f"{zones_text(previous)}) the proposal is {TREND_WORDS[trend(overall, previous.overall)]} it: {moves}.",
            citations=[cite_assessment(previous)],
        )
    ], []


def _perception(
    customer: HealthAssessmentOut | None, overall: HealthStatus, zones: list[ZoneDraft], lessons: Passages
) -> tuple[list[Claim], list[str]]:
    if customer is None:
        return [], ["no customer-stated assessment: ask the customer to rate the partnership"]
    gaps = [
        f"{z.zone.value} {z.score} vs {z.customer}" for z in zones if z.customer is not None and z.score != z.customer
    ]
    same = customer.overall is overall
    return [
        Claim(
            text=f"The customer's latest rating ({customer.assessed_on}) is {customer.overall.value}"
            + (", the same overall as this proposal" if same else f", against {overall.value} proposed here")
            + (f"; zones that differ (proposed vs theirs): {', '.join(gaps)}." if gaps else "."),
            citations=[
                cite_assessment(customer),
                lessons.cite("guide-relationship-health", "What the Ask Forensics", "More than 50%"),
            ],
        )
    ], []
