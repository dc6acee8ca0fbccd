"""The quarterly account review: summary, win-win metrics, health by zone, people changes, risks, growth,
the action plan (open and proposed) and the charter's review status."""

from __future__ import annotations

from datetime import date, timedelta

from assistant.citations import Claim
from assistant.drafting.common import (
    common_gaps,
    metric_claims,
    open_commitments,
    relationship_changes,
    trend,
    warnings_section,
    zones_text,
)
from assistant.drafting.curriculum import Passages
from assistant.drafting.evidence import (
    AccountEvidence,
    cite_account,
    cite_assessment,
    cite_charter,
    cite_opportunity,
    cite_reading,
    cite_stakeholder,
)
from assistant.drafting.models import (
    TREND_WORDS,
    DraftSection,
    MetricStatus,
    ProposedAction,
    QuarterlyReview,
    make_section,
)
from assistant.drafting.people import power_rises
from assistant.drafting.signals import EarlyWarning, Rule, Severity
from assistant.drafting.text import first_name, first_sentence, join_names, lower_first, months_until, number
from assistant.records.enums import Assessor, Zone

QUARTER_DAYS = 91
READINGS_SHOWN = 4
ACTION_DUE_DAYS = {Severity.HIGH: 14, Severity.MEDIUM: 30, Severity.LOW: 45}
REVIEW_SECTIONS = {
    "summary": "Executive summary",
    "metrics": "Win-win metrics against targets",
    "health": "Health by zone and trend",
    "relationships": "Relationship changes this quarter",
    "warnings": "Risks and early warnings",
    "growth": "Growth opportunities",
    "actions": "Action plan",
    "charter": "Charter review status",
}


def build_quarterly_review(ev: AccountEvidence, warnings: list[EarlyWarning], lessons: Passages) -> QuarterlyReview:
    start = ev.today - timedelta(days=QUARTER_DAYS)
    metrics, metric_section = _metrics(ev)
    proposed = _proposed_actions(ev, warnings)
    people = _people_section(ev, start)
    sections = [
        _summary(ev, warnings, people),
        metric_section,
        _health(ev),
        people,
        warnings_section(warnings, key="warnings", title=REVIEW_SECTIONS["warnings"]),
        _growth(ev),
        _actions(ev, proposed, lessons),
        _charter(ev),
    ]
    return QuarterlyReview(
        title="Quarterly account review",
        account_id=ev.account_id,
        account_name=ev.account.name,
        generated_on=ev.today,
        period_start=start,
        period_end=ev.today,
        metrics=metrics,
        warnings=warnings,
        proposed_actions=proposed,
        sections=sections,
        gaps=common_gaps(ev),
    )


def _summary(ev: AccountEvidence, warnings: list[EarlyWarning], people: DraftSection) -> DraftSection:
    claims: list[Claim] = []
    missing: list[str] = []
    ours = ev.latest_assessment(Assessor.SAM_LEADER)
    theirs = ev.latest_assessment(Assessor.CUSTOMER)
    if ours is not None:
        # Say what each cited assessment says (its date, rating and zones), not only the account's name.
        claims.append(
            Claim(
                text=f"Our latest assessment ({ours.assessed_on}) rates the partnership {ours.overall.value}: "
                f"{zones_text(ours)}"
                + (f"; the customer's own rating ({theirs.assessed_on}) is {theirs.overall.value}" if theirs else "")
                + ".",
                citations=[cite_assessment(ours), *([cite_assessment(theirs)] if theirs else [])],
            )
        )
    claims.extend(metric_claims(ev, missing))
    if warnings:
        high = [w for w in warnings if w.severity is Severity.HIGH]
        claims.append(
            Claim(
                text=f"{len(warnings)} early warning(s), {len(high)} high: "
                + "; ".join(w.title for w in warnings[:3])
                + ".",
                citations=[c for w in warnings[:3] for c in w.basis[:2]],
            )
        )
    if people.claims:
        claims.append(
            Claim(
                text=f"{len(people.claims)} relationship change(s) this quarter, including: {people.claims[0].text}",
                citations=people.claims[0].citations,
            )
        )
    opportunities = sorted(ev.open_opportunities(), key=lambda o: -o.estimated_value)
    if opportunities:
        top = opportunities[0]
        claims.append(
            Claim(
                text=f"{len(opportunities)} open opportunities; the largest is {top.name} "
                f"({number(top.estimated_value)}, {top.stage.value}).",
                citations=[cite_opportunity(top)],
            )
        )
    return make_section("summary", REVIEW_SECTIONS["summary"], claims, missing)


def _metrics(ev: AccountEvidence) -> tuple[list[MetricStatus], DraftSection]:
    statuses: list[MetricStatus] = []
    claims: list[Claim] = []
    missing: list[str] = []
    for series in ev.metrics:
        shown = series.readings[-READINGS_SHOWN:]
        latest = shown[-1] if shown else None
        on_target = series.on_target(latest.value) if latest else None
        citations = [cite_reading(series, r) for r in shown]
        statuses.append(
            MetricStatus(
                key=series.metric.key,
                name=series.metric.name,
                unit=series.metric.unit,
                target=series.target,
                readings=[(r.period, r.value) for r in shown],
                on_target=on_target,
                citations=citations,
            )
        )
        if not shown:
            missing.append(f"no readings for {series.metric.name}")
            continue
        if series.target is None:
            missing.append(f"no charter target for {series.metric.name}")
        status = {True: "on target", False: "BELOW target", None: "no target"}[on_target]
        target = f"target {number(series.target)} {series.metric.unit}" if series.target is not None else "no target"
        run = series.periods_below_target()
        streak = f", {run} periods running" if run > 1 else ""
        claims.append(
            Claim(
                text=f"{series.metric.name} ({target}): "
                + ", ".join(f"{r.period} {number(r.value)}" for r in shown)
                + f"; latest {status}{streak}.",
                citations=citations,
            )
        )
    if not ev.metrics:
        missing.append("no success metrics recorded")
    return statuses, make_section("metrics", REVIEW_SECTIONS["metrics"], claims, missing)


def _health(ev: AccountEvidence) -> DraftSection:
    ours = ev.assessments_by(Assessor.SAM_LEADER)
    theirs = ev.latest_assessment(Assessor.CUSTOMER)
    if not ours:
        return make_section("health", REVIEW_SECTIONS["health"], [], ["no health assessment of ours this year"])
    latest, previous = ours[0], (ours[1] if len(ours) > 1 else None)
    claims = [
        Claim(
            text=f"Overall {latest.overall.value} on {latest.assessed_on}"
            + (f", {TREND_WORDS[trend(latest.overall, previous.overall)]} {previous.assessed_on}" if previous else "")
            + ".",
            citations=[cite_assessment(latest), *([cite_assessment(previous)] if previous else [])],
        )
    ]
    for zone in Zone:
        now = latest.zone(zone)
        parts = [f"{zone.value.capitalize()} {now.score}/5"]
        if previous is not None:
            before = previous.zone(zone).score
            parts.append(
                f"previously {before} ({'up' if now.score > before else 'down' if now.score < before else 'same'})"
            )
        if theirs is not None:
            parts.append(f"customer {theirs.zone(zone).score}")
        rationale = f": {now.rationale}" if now.rationale else ""
        claims.append(Claim(text=", ".join(parts) + rationale, citations=[cite_assessment(latest)]))
    return make_section("health", REVIEW_SECTIONS["health"], claims)


def _people_section(ev: AccountEvidence, start: date) -> DraftSection:
    claims = relationship_changes(ev, start)
    for person in ev.client():
        rise = power_rises(ev, person)
        if rise is not None:
            claims.append(
                Claim(
                    text=f"{person.name}'s influence rose: power {rise[0]} → {rise[1]} ({person.stance.value}).",
                    citations=[cite_stakeholder(person)],
                )
            )
    missing = [] if claims else [f"no joins, departures or stance changes recorded since {start}"]
    return make_section("relationships", REVIEW_SECTIONS["relationships"], claims, missing)


def _growth(ev: AccountEvidence) -> DraftSection:
    claims = [
        Claim(
            text=f"{o.name} ({o.type.value.replace('_', ' ')}, {o.stage.value}, {number(o.estimated_value)}"
            + (f", {o.offering}" if o.offering else "")
            + (f", expected close {o.expected_close}" if o.expected_close else "")
            + f"): {first_sentence(o.description)}",
            citations=[cite_opportunity(o)],
        )
        for o in sorted(ev.open_opportunities(), key=lambda o: -o.estimated_value)
    ]
    missing = [] if claims else ["no open opportunities: where could we grow together?"]
    return make_section("growth", REVIEW_SECTIONS["growth"], claims, missing)


def _proposed_actions(ev: AccountEvidence, warnings: list[EarlyWarning]) -> list[ProposedAction]:
    owner = ev.owner_name or "account owner"
    actions = []
    for warning in warnings:
        title = _action_title(ev, warning)
        if title is None:
            continue
        actions.append(
            ProposedAction(
                title=title,
                owner=owner,
                due_on=ev.today + timedelta(days=ACTION_DUE_DAYS[warning.severity]),
                severity=warning.severity,
                reason=warning.title,
                citations=warning.basis,
            )
        )
    return actions


def _action_title(ev: AccountEvidence, warning: EarlyWarning) -> str | None:
    people = [p for p in (ev.stakeholder(i) for i in warning.stakeholder_ids) if p is not None]
    names = join_names(p.name for p in people)
    leaders = ev.sponsors() or ev.decision_makers() or ev.client()
    lead = leaders[0].name if leaders else "the client's leadership"
    end = ev.account.contract_end
    titles = {
        Rule.LEADERSHIP_CHANGE: f"Meet {names or 'the new leaders'} and walk them through the partnership charter",
        Rule.ACQUISITION: "Map the acquired organisation's stakeholders and agree how the integration affects us",
        Rule.CONTRACT_END_NO_RENEWAL: f"Open the next-phase conversation with {lead}"
        + (f" ({months_until(ev.today, end)} months before the contract ends)" if end else ""),
        Rule.SILENT_SPONSOR: f"Re-establish contact with {names}: an executive-to-executive call",
        Rule.METRIC_BELOW_TARGET: f"Agree a dated recovery plan with the customer: {warning.title}",
        Rule.PERCEPTION_GAP: "Review the customer's own rating with them and agree how to close the gap",
        Rule.RISING_DETRACTOR: f"Plan engagement with {names}: listen first, then bring our plan",
        Rule.DECISION_MAKER_WITHOUT_OWNER: f"Name an owner for {names} and arrange an introduction through "
        f"{first_name(lead)}",
        Rule.NOT_MUTUALLY_STRATEGIC: "Test willingness to partner with a senior leader, or reclassify the account",
        Rule.CHARTER_REVIEW_DUE: "Schedule the charter review with the signatories",
        Rule.STALE_ACCOUNT: "Log a note from the last conversation and refresh the client profile",
    }
    return titles.get(warning.rule)


def _actions(ev: AccountEvidence, proposed: list[ProposedAction], lessons: Passages) -> DraftSection:
    existing = open_commitments(ev, key="actions", title=REVIEW_SECTIONS["actions"])
    passage = lessons.cite("guide-planning-toolkit", "Action plan")
    claims = list(existing.claims)
    claims.extend(
        Claim(
            text=f"Proposed: {a.title}; owner {a.owner}, due {a.due_on} ({a.severity.value})"
            + (f", because: {lower_first(a.reason)}." if a.reason else "."),
            citations=[*a.citations[:3], passage],
        )
        for a in proposed
    )
    missing = [] if claims else ["no open or proposed actions"]
    return make_section("actions", REVIEW_SECTIONS["actions"], claims, missing)


def _charter(ev: AccountEvidence) -> DraftSection:
    charter = ev.charter
    if charter is None:
        claims = [Claim(text="No signed charter is in force.", citations=[cite_account(ev.account, "no charter")])]
        return make_section("charter", REVIEW_SECTIONS["charter"], claims, ["no signed partnership charter"])
    due = charter.next_review_due
    if due is None:
        when = "no review date set"
    elif due < ev.today:
        when = f"review overdue since {due}"
    else:
        when = f"next review due {due} (in {(due - ev.today).days} days)"
    signers = [(s, ev.stakeholder(s.stakeholder_id)) for s in charter.signatories]
    left = [s.name for s, p in signers if p is not None and not p.is_active]
    claims = [
        Claim(
            text=f"Charter version {charter.version} ({charter.status.value}, {ev.charter_versions} version(s) in "
            f"all), in force since {charter.effective_on}; {when}.",
            citations=[cite_charter(charter, f"version {charter.version}, effective {charter.effective_on}, {when}")],
        ),
        Claim(
            text="Signatories: "
            + ", ".join(s.name for s, _ in signers)
            + (f"; left since: {', '.join(left)}" if left else "")
            + ".",
            citations=[
                cite_charter(charter, "signed by " + ", ".join(s.name for s, _ in signers)),
                *(cite_stakeholder(p) for _, p in signers if p is not None),
            ],
        ),
    ]
    if ev.open_draft is not None:
        claims.append(
            Claim(text=f"Version {ev.open_draft.version} is an open draft.", citations=[cite_charter(ev.open_draft)])
        )
    return make_section("charter", REVIEW_SECTIONS["charter"], claims)
