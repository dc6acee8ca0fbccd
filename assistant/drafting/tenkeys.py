"""The ten-keys plan review: a verdict per key from the evidence found (or missing), with the next step.

Verdicts are `strong`, `partial`, `weak` or `unknown` (no evidence either way); each key cites its
curriculum file, and every verdict lists what was found (cited) and what is missing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from assistant.citations import Citation, Claim
from assistant.drafting.common import opportunity_text, readings_text, targets_text
from assistant.drafting.curriculum import Passages
from assistant.drafting.evidence import (
    AccountEvidence,
    cite_account,
    cite_action,
    cite_agreement,
    cite_assessment,
    cite_charter,
    cite_note,
    cite_opportunity,
    cite_reading,
    cite_stakeholder,
)
from assistant.drafting.models import AccountKeys, DraftSection, KeyVerdict, Verdict, make_section
from assistant.drafting.signals import EarlyWarning, Rule, Severity
from assistant.drafting.text import any_term, join_names, lower_first, shorten
from assistant.records.enums import Assessor, OpportunityStage, Zone

PLANNING_TERMS = any_term(
    [
        r"joint (?:account )?planning",
        r"planning (?:session|workshop)",
        r"account planning",
        r"workshops?",
        r"co-?creat\w*",
    ]
)
RECENT_DAYS = 180
QUOTE_CHARS = 160
READING_FRESH_DAYS = 120


@dataclass
class _Finding:
    verdict: Verdict
    found: list[Claim] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Key:
    number: int
    lesson: str
    practice: str  # the "How to practise it" bullet the next step cites
    next_step: str
    judge: Callable[[AccountEvidence, list[EarlyWarning]], _Finding]


def review_keys(ev: AccountEvidence, warnings: list[EarlyWarning], lessons: Passages) -> list[KeyVerdict]:
    verdicts = []
    for key in KEYS:
        finding = key.judge(ev, warnings)
        practice = lessons.cite(key.lesson, "How to practise it", key.practice)
        step = (
            "Keep it up: " + key.next_step[0].lower() + key.next_step[1:]
            if finding.verdict == "strong"
            else key.next_step
        )
        verdicts.append(
            KeyVerdict(
                key=key.number,
                name=lessons.lesson(key.lesson).title.split(": ", 1)[-1],
                verdict=finding.verdict,
                found=finding.found,
                missing=finding.missing,
                next_step=Claim(text=step, citations=[practice]),
                curriculum=lessons.cite(key.lesson, "What it is"),
            )
        )
    return verdicts


def key_sections(verdicts: list[KeyVerdict]) -> list[DraftSection]:
    counts = Counter(v.verdict for v in verdicts)
    weakest = [f"key {v.key}" for v in verdicts if v.verdict in ("weak", "unknown")]
    summary = Claim(
        text=f"Verdicts: {counts['strong']} strong, {counts['partial']} partial, {counts['weak']} weak, "
        f"{counts['unknown']} unknown." + (f" Start with {join_names(weakest)}." if weakest else ""),
        citations=[v.curriculum for v in verdicts if v.verdict in ("weak", "unknown")][:3] or [verdicts[0].curriculum],
    )
    sections = [make_section("summary", "Summary", [summary])]
    for v in verdicts:
        claims = [*v.found, *([v.next_step] if v.next_step else [])]
        sections.append(make_section(f"key-{v.key}", f"Key {v.key}: {v.name} ({v.verdict})", claims, v.missing))
    return sections


def portfolio_sections(accounts: list[AccountKeys], evidence: dict[int, AccountEvidence]) -> list[DraftSection]:
    """A summary line per key naming the accounts at each verdict, then one section per account whose verdicts
    cite the evidence found (or the key's passage, for evidence missing) and whose next steps cite the practice."""
    sections = []
    summary: list[Claim] = []
    for key in range(1, 11):
        verdicts = [(a, next(v for v in a.keys if v.key == key)) for a in accounts]
        by_verdict = {
            verdict: [a.account_name for a, v in verdicts if v.verdict == verdict] for verdict in VERDICT_ORDER
        }
        spread = "; ".join(f"{verdict} at {join_names(names)}" for verdict, names in by_verdict.items() if names)
        first = verdicts[0][1]
        summary.append(
            Claim(
                text=f"Key {key} ({first.name}): {spread}.",
                # Each account is named with the account record; its section below cites the evidence itself.
                citations=[
                    first.curriculum,
                    *(cite_account(evidence[a.account_id].account, _basis(v)) for a, v in verdicts),
                ],
            )
        )
    sections.append(make_section("summary", "Portfolio summary", summary))
    for account in accounts:
        claims = [claim for v in account.keys for claim in _verdict_claims(v)]
        groups = [len(_verdict_claims(v)) for v in account.keys]
        missing = [f"key {v.key}: {m}" for v in account.keys for m in v.missing]
        sections.append(
            make_section(f"account-{account.account_id}", account.account_name, claims, missing, groups=groups)
        )
    return sections


VERDICT_ORDER: tuple[Verdict, ...] = ("strong", "partial", "weak", "unknown")


def _verdict_claims(verdict: KeyVerdict) -> list[Claim]:
    """The verdict with the first finding behind it (or, with none, what is missing, against the key's
    passage), then the next step citing the practice."""
    head = f"Key {verdict.key} ({verdict.name}): {verdict.verdict}"
    if verdict.found:
        found = verdict.found[0]
        claims = [Claim(text=f"{head}; {lower_first(found.text)}", citations=list(found.citations))]
    else:
        gap = f"; missing: {verdict.missing[0]}." if verdict.missing else "."
        claims = [Claim(text=head + gap, citations=[verdict.curriculum])]
    if verdict.next_step is not None:
        step = verdict.next_step
        claims.append(Claim(text=f"Next: {step.text}", citations=list(step.citations)))
    return claims


def _basis(verdict: KeyVerdict) -> str:
    """What the verdict rests on, as the excerpt of the account citation that names the account."""
    if verdict.found:
        return f"key {verdict.key} {verdict.verdict}: {verdict.found[0].text}"
    return f"key {verdict.key} {verdict.verdict}: missing {verdict.missing[0] if verdict.missing else 'evidence'}"


def _said(text: str, *citations: Citation) -> Claim:
    return Claim(text=text, citations=list(citations))


def _names(ev: AccountEvidence, stakeholder_ids: list[int]) -> str:
    return join_names(p.name for p in (ev.stakeholder(i) for i in stakeholder_ids) if p is not None)


def _key1(ev: AccountEvidence, warnings: list[EarlyWarning]) -> _Finding:
    if ev.account.mutual_agreement:
        agreed = _said("The customer agrees the account is strategic.", cite_agreement(ev.account))
        return _Finding("strong", [agreed])
    notes = [cite_note(n, "strategic") for n in ev.notes if "strategic" in n.body.lower()][:2]
    refused = cite_agreement(ev.account)
    return _Finding("weak", [_said("The customer does not agree the account is strategic.", refused, *notes)])


def _key2(ev: AccountEvidence, warnings: list[EarlyWarning]) -> _Finding:
    found, missing = [], []
    if ev.charter is not None and ev.charter.customer_win:
        win = ev.charter.customer_win
        found.append(_said(f"The charter states the customer's win: {win}", cite_charter(ev.charter, win)))
    else:
        missing.append("no written statement of what the customer values (the charter's customer win)")
    theirs = ev.latest_assessment(Assessor.CUSTOMER)
    if theirs is not None:
        text = f"The customer rated the partnership themselves on {theirs.assessed_on} ({theirs.overall.value})."
        found.append(_said(text, cite_assessment(theirs)))
    else:
        missing.append("no customer-stated assessment to validate what the customer values")
    verdict: Verdict = "strong" if len(found) == 2 else "partial" if found else "unknown"
    return _Finding(verdict, found, missing)


def _key3(ev: AccountEvidence, warnings: list[EarlyWarning]) -> _Finding:
    sponsors = ev.sponsors()
    found = [
        _said(f"Sponsor: {p.name} ({p.title}), last contact {p.last_contact_on}.", cite_stakeholder(p))
        for p in sponsors[:2]
    ]
    missing = [] if sponsors else ["no active client sponsor"]
    issues = [
        w.title
        for w in warnings
        if w.rule in (Rule.SILENT_SPONSOR, Rule.RISING_DETRACTOR)
        or (w.rule is Rule.LEADERSHIP_CHANGE and w.severity is Severity.HIGH)
    ]
    makers = ev.decision_makers()
    covered = [p for p in makers if p.owner_id is not None and p.id in ev.covered_ids()]
    issues.extend(f"decision-maker {p.name} has no owner or no coverage" for p in makers if p not in covered)
    missing.extend(issues)
    if covered:
        owned = join_names(f"{p.name} (owner {p.owner_name})" for p in covered)
        text = f"{len(covered)} of {len(makers)} decision-makers have an owner and coverage: {owned}."
        found.append(_said(text, *(cite_stakeholder(p) for p in covered)))
    if not ev.client():
        return _Finding("unknown", found, [*missing, "no client stakeholders recorded"])
    bad = len(issues) + (0 if sponsors else 1)
    verdict: Verdict = "strong" if bad == 0 else "weak" if bad >= 2 or not sponsors else "partial"
    return _Finding(verdict, found, missing)


def _key4(ev: AccountEvidence, warnings: list[EarlyWarning]) -> _Finding:
    theirs = ev.latest_assessment(Assessor.CUSTOMER)
    if theirs is None:
        return _Finding(
            "unknown", [], ["no customer-stated view of our value: ask how they rate us against alternatives"]
        )
    score = theirs.zone(Zone.VALUE)
    claim = _said(f"The customer scores our value {score.score}/5: {score.rationale}", cite_assessment(theirs))
    verdict: Verdict = "strong" if score.score >= 4 else "partial" if score.score == 3 else "weak"
    return _Finding(verdict, [claim])


def _key5(ev: AccountEvidence, warnings: list[EarlyWarning]) -> _Finding:
    opportunities = [o for o in ev.open_opportunities() if o.stakeholder_ids]
    actions = ev.open_actions()
    found, missing = [], []
    if opportunities:
        shown = opportunities[:3]
        linked = "; ".join(f"{o.name} ({_names(ev, o.stakeholder_ids)})" for o in shown)
        text = f"{len(opportunities)} open opportunities are linked to named stakeholders: {linked}."
        found.append(_said(text, *(cite_opportunity(o) for o in shown)))
    else:
        missing.append("no opportunities linked to stakeholders")
    if actions:
        owned = "; ".join(f"{a.title} (owner {a.owner})" for a in actions[:3])
        found.append(
            _said(f"{len(actions)} open account-plan actions have owners: {owned}.", *map(cite_action, actions[:3]))
        )
    else:
        missing.append("no open account-plan actions")
    verdict: Verdict = "strong" if len(found) == 2 else "partial" if found else "weak"
    return _Finding(verdict, found, missing)


def _key6(ev: AccountEvidence, warnings: list[EarlyWarning]) -> _Finding:
    charter = ev.charter
    if charter is None:
        return _Finding("weak", [], ["no signed charter aligning both sides' objectives"])
    targets = targets_text(charter)
    text = f"Charter version {charter.version} states both wins and {len(charter.targets)} targets" + (
        f": {targets}." if targets else "."
    )
    missing = []
    if charter.next_review_due is not None and charter.next_review_due < ev.today:
        missing.append("charter review overdue")
    if not ev.account.mutual_agreement:
        missing.append("the customer has not agreed the objectives make this a strategic partnership")
    if not charter.targets:
        missing.append("no measurable targets in the charter")
    return _Finding("partial" if missing else "strong", [_said(text, cite_charter(charter, targets))], missing)


GROWTH_BLOCKERS = {
    Rule.CONTRACT_END_NO_RENEWAL: "contract end approaching with no renewal conversation",
    Rule.NOT_MUTUALLY_STRATEGIC: "the customer does not agree the account is strategic",
    Rule.METRIC_BELOW_TARGET: "a charter metric below target must recover before growth",
}


def _key7(ev: AccountEvidence, warnings: list[EarlyWarning]) -> _Finding:
    rules = {w.rule for w in warnings}
    missing = [text for rule, text in GROWTH_BLOCKERS.items() if rule in rules]
    opportunities = ev.open_opportunities()
    if not opportunities:
        return _Finding("weak", [], [*missing, "no open growth opportunities"])
    advanced = [o for o in opportunities if o.stage in (OpportunityStage.QUALIFIED, OpportunityStage.PROPOSED)]
    shown = opportunities[:4]
    text = (
        f"{len(opportunities)} open opportunities, {len(advanced)} qualified or proposed: "
        + "; ".join(opportunity_text(o) for o in shown)
        + "."
    )
    found = [_said(text, *(cite_opportunity(o) for o in shown))]
    strong = len(opportunities) >= 2 and advanced and not missing
    return _Finding("strong" if strong else "partial", found, missing)


def _key8(ev: AccountEvidence, warnings: list[EarlyWarning]) -> _Finding:
    planning = [n for n in ev.notes if PLANNING_TERMS.search(n.body)]
    recent = [n for n in planning if n.occurred_on >= ev.today - timedelta(days=RECENT_DAYS)]
    if not planning:
        return _Finding("weak", [], ["no notes of joint planning or workshops with the customer in the last year"])
    cited = [cite_note(n, PLANNING_TERMS.pattern) for n in planning[:3]]
    # Quote the latest one: the count alone says nothing a reader (or a checker) can find in the note.
    text = (
        f"{len(planning)} note(s) of joint planning or workshops this year, {len(recent)} in the last {RECENT_DAYS} "
        f"days; the latest, of {planning[0].occurred_on}: “{shorten(cited[0].excerpt or '', QUOTE_CHARS)}”"
    )
    claim = _said(text, *cited)
    missing = [] if len(recent) >= 2 else [f"fewer than two joint planning sessions in the last {RECENT_DAYS} days"]
    return _Finding("strong" if not missing else "partial", [claim], missing)


def _key9(ev: AccountEvidence, warnings: list[EarlyWarning]) -> _Finding:
    targeted = [s for s in ev.metrics if s.target is not None]
    if not targeted:
        return _Finding("weak", [], ["no charter targets for the success metrics"])
    fresh = [s for s in targeted if s.latest and (ev.today - s.latest.period_end).days <= READING_FRESH_DAYS]
    if not fresh:
        return _Finding("unknown", [], [f"no reading in the last {READING_FRESH_DAYS} days for any target"])
    text = (
        f"{len(fresh)} of {len(targeted)} targeted metrics have a reading from the last {READING_FRESH_DAYS} days: "
        f"{readings_text(fresh)}."
    )
    found = [_said(text, *(cite_reading(s, s.readings[-1]) for s in fresh))]
    missing = [f"no recent reading for {s.metric.name}" for s in targeted if s not in fresh]
    if any(w.rule is Rule.METRIC_BELOW_TARGET for w in warnings):
        missing.append("a metric is below target two periods running")
    return _Finding("strong" if not missing else "partial", found, missing)


def _key10(ev: AccountEvidence, warnings: list[EarlyWarning]) -> _Finding:
    name = ev.account.executive_sponsor
    if not name:
        return _Finding("weak", [], ["no executive sponsor on our side"])
    since = ev.today - timedelta(days=RECENT_DAYS)
    notes = [n for n in ev.notes_since(since) if name.lower() in n.body.lower() or n.author == name]
    found = [_said(f"Our executive sponsor is {name}.", cite_account(ev.account, f"sponsor {name}"))]
    if not notes:
        return _Finding("partial", found, [f"no note of {name} with the customer in the last {RECENT_DAYS} days"])
    shown = notes[:2]
    text = (
        f"{name} took part in {len(notes)} recorded interaction(s) in the last {RECENT_DAYS} days, the latest on "
        f"{join_names(str(n.occurred_on) for n in shown)}."
    )
    found.append(_said(text, *(cite_note(n, re.escape(name)) for n in shown)))
    return _Finding("strong", found)


KEYS = (
    _Key(
        1,
        "key-01-define-strategic-account",
        "Ask the customer",
        "Ask a senior customer leader whether they want a strategic relationship, and record the answer.",
        _key1,
    ),
    _Key(
        2,
        "key-02-customer-value",
        "hypotheses",
        "Validate what each key stakeholder values, and ask the customer to rate the partnership.",
        _key2,
    ),
    _Key(
        3,
        "key-03-strategic-relationships",
        "Map coverage",
        "Name an owner for every decision-maker and keep the sponsor engaged.",
        _key3,
    ),
    _Key(
        4,
        "key-04-differentiate-value",
        "competitive assessment",
        "Ask the customer how they rate our value against their alternatives, and build the message on it.",
        _key4,
    ),
    _Key(
        5,
        "key-05-account-and-opportunity-planning",
        "account check",
        "Link every open opportunity to the account objectives and an owned action.",
        _key5,
    ),
    _Key(
        6,
        "key-06-align-objectives",
        "strategy map",
        "Refresh the charter's objectives with the customer and keep its review on schedule.",
        _key6,
    ),
    _Key(
        7,
        "key-07-growth-strategy",
        "Secure the core",
        "Secure the core (renewal and health) and qualify the next growth opportunity.",
        _key7,
    ),
    _Key(
        8,
        "key-08-customer-engagement",
        "sponsor",
        "Hold a joint planning session with customer leaders in the room.",
        _key8,
    ),
    _Key(
        9,
        "key-09-performance-metrics",
        "Start from the charter",
        "Agree targets for the charter's measures and record a reading every quarter.",
        _key9,
    ),
    _Key(
        10,
        "key-10-coaching-and-sponsorship",
        "Coach with questions",
        "Involve our executive sponsor with the customer this quarter.",
        _key10,
    ),
)
