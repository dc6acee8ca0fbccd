"""The charter revision draft: the next version as a `CharterIn`, its clause diff and a cited reason per change.

The current signed content is carried over and only what the trigger calls for changes: departed
signatories and key players are replaced by their recorded successors (and new client decision-makers
join the key players), a metric below target gets a recovery commitment, and the annual review refreshes
the review date. Saving the proposal is another module's job; drafting never writes.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from assistant.citations import Citation, Claim
from assistant.drafting.common import common_gaps
from assistant.drafting.curriculum import Passages
from assistant.drafting.evidence import AccountEvidence, cite_account, cite_charter, cite_note, cite_reading
from assistant.drafting.evidence import cite_stakeholder as cite_person
from assistant.drafting.models import (
    ASSISTANT_NAME,
    ChangeRationale,
    CharterRevisionDraft,
    CharterTrigger,
    make_section,
)
from assistant.drafting.people import DEPARTURE_TERMS, announced_departures
from assistant.drafting.text import number, sentences
from assistant.records.charter_diff import TEXT_CLAUSES, diff_charters
from assistant.records.enums import CharterStatus, MetricDirection, Side
from assistant.records.schemas import (
    CharterIn,
    CharterOut,
    Commitment,
    KeyPlayer,
    SignatoryOut,
    StakeholderOut,
    TargetIn,
    TargetOut,
)

REVIEW_INTERVAL = timedelta(days=365)
DEPARTURE_NOTE_DAYS = 120
PEOPLE_WORDS = re.compile(r"signator|stakeholder|key player|successor|replac|new (?:ceo|cio|cfo|coo|vp)", re.I)
METRIC_WORDS = re.compile(r"metric|target|recover|kpi|measure|miss", re.I)
REVIEW_WORDS = re.compile(r"review|annual|date|renew", re.I)


def build_charter_revision(
    ev: AccountEvidence, lessons: Passages, *, trigger: CharterTrigger, request: str | None = None
) -> CharterRevisionDraft:
    draft = CharterRevisionDraft(
        title="Charter revision (proposed)",
        account_id=ev.account_id,
        account_name=ev.account.name,
        generated_on=ev.today,
        trigger=trigger,
        request=request,
        gaps=common_gaps(ev),
    )
    if ev.open_draft is not None:
        draft.gaps.append(
            f"Charter version {ev.open_draft.version} is already an open draft: revise that draft rather than "
            "starting another."
        )
    if ev.charter is None:
        return _first_draft_outline(ev, lessons, draft)
    return _revision(ev, ev.charter, lessons, draft)


def _revision(
    ev: AccountEvidence, current: CharterOut, lessons: Passages, draft: CharterRevisionDraft
) -> CharterRevisionDraft:
    proposed = CharterIn(
        **current.model_dump(include=_CONTENT_FIELDS),
        commitments=list(current.commitments),
        key_players=list(current.key_players),
        effective_on=None,  # a new version takes effect when its last signatory approves
        next_review_due=current.next_review_due
        if current.next_review_due and current.next_review_due > ev.today
        else None,
        targets=[TargetIn(metric_key=t.metric_key, target=t.target) for t in current.targets],
        signatory_ids=[s.stakeholder_id for s in current.signatories],
    )
    reasons: dict[str, list[Claim]] = {}
    summary: list[Claim] = []
    wanted = _wanted(draft.trigger, draft.request)
    if "people" in wanted:
        summary.extend(_people(ev, current, proposed, reasons))
    if "metrics" in wanted:
        summary.extend(_recovery(ev, proposed, reasons))
    if "review" in wanted:
        due = ev.today + REVIEW_INTERVAL
        proposed.next_review_due = due
        reasons["next_review_due"] = [
            Claim(
                text=f"Annual review: the next review moves to {due}, a year from now.",
                citations=[cite_charter(current, f"next review due {current.next_review_due}")],
            )
        ]
    label = draft.trigger.value.replace("_", " ")
    proposed.change_reason = draft.request or f"{label.capitalize()}: " + (
        "; ".join(c.text for claims in reasons.values() for c in claims)[:1500] or "no change found"
    )
    preview = _preview(ev, current, proposed)
    diff = diff_charters(current, preview)
    draft.proposed = proposed
    draft.current_version = current.version
    draft.diff = diff
    passage = lessons.cite("guide-partnership-charter", "Keeping the charter current", "signatories")
    draft.changes = [
        ChangeRationale(
            clause=change.clause,
            change=change.change,
            before=change.before,
            after=change.after,
            rationale=reasons.get(change.clause) or [_default_reason(change.clause, current)],
        )
        for change in diff.changes
    ]
    draft.approvers = [s.name for s in preview.signatories]
    if not any(key in reasons for key in (c.clause for c in diff.changes) if key != "effective_on"):
        summary.append(
            Claim(
                text=f"Nothing in the records calls for a change under the {label} trigger; the proposal carries "
                f"version {current.version} over unchanged apart from its dates.",
                citations=[cite_charter(current)],
            )
        )
    summary.insert(
        0,
        Claim(
            text=f"Proposed version {preview.version} revises signed version {current.version} ({label}); "
            f"{len(diff.changes)} clause change(s).",
            citations=[cite_charter(current), passage],
        ),
    )
    draft.sections = [
        make_section("summary", "Summary", summary),
        make_section("changes", "Clause-by-clause changes", [_change_claim(c) for c in draft.changes]),
        make_section(
            "approvers",
            "Signatories who must approve",
            [
                Claim(text=f"{s.name} ({s.title or s.side.value}) must approve.", citations=[_signatory_cite(ev, s)])
                for s in preview.signatories
            ]
            + [Claim(text="Any variation from the charter needs the signatories' authorisation.", citations=[passage])],
            [] if preview.signatories else ["no signatories: name senior leaders from both sides"],
        ),
    ]
    return draft


# The charter's own words; the dates are set when it is signed, not drafted.
_CONTENT_FIELDS = set(TEXT_CLAUSES) - {"effective_on", "next_review_due"}


def _wanted(trigger: CharterTrigger, request: str | None) -> set[str]:
    if trigger is CharterTrigger.NEW_STAKEHOLDER:
        return {"people"}
    if trigger is CharterTrigger.MISSED_METRIC:
        return {"metrics"}
    if trigger is CharterTrigger.ANNUAL_REVIEW:
        return {"people", "metrics", "review"}
    topics = (("people", PEOPLE_WORDS), ("metrics", METRIC_WORDS), ("review", REVIEW_WORDS))
    return {name for name, words in topics if words.search(request or "")}


def _people(
    ev: AccountEvidence, current: CharterOut, proposed: CharterIn, reasons: dict[str, list[Claim]]
) -> list[Claim]:
    notes: list[Claim] = []
    signatory_ids: list[int] = []
    for signatory in current.signatories:
        person = ev.stakeholder(signatory.stakeholder_id)
        if person is None or person.is_active:
            signatory_ids.append(signatory.stakeholder_id)
            continue
        successor = _successor(ev, person)
        cites = [cite_person(person), cite_charter(current)]
        if successor is not None:
            signatory_ids.append(successor.id)
            reason = Claim(
                text=f"{person.name} left on {person.left_on} and was replaced by {successor.name} "
                f"({successor.title}), who becomes a signatory in their place.",
                citations=[*cites, cite_person(successor)],
            )
            reasons[f"signatory: {successor.name}"] = [reason]
        else:
            reason = Claim(text=f"{person.name} left on {person.left_on}; no successor is recorded.", citations=cites)
        reasons[f"signatory: {person.name}"] = [reason]
    proposed.signatory_ids = list(dict.fromkeys(signatory_ids))
    players: list[KeyPlayer] = []
    for player in proposed.key_players:
        person = _by_name(ev, player.name)
        successor = _successor(ev, person) if person is not None and not person.is_active else None
        if person is not None and not person.is_active:
            cites = [cite_person(person)]
            if successor is not None:
                players.append(KeyPlayer(name=successor.name, side=player.side, role=successor.title or player.role))
                text = f"{person.name} left on {person.left_on}; {successor.name} takes the seat as a key player."
                reasons[f"key player: {successor.name}"] = [
                    Claim(text=text, citations=[*cites, cite_person(successor)])
                ]
            else:
                text = f"{person.name} left on {person.left_on}; removed from the key players."
            reasons[f"key player: {person.name}"] = [Claim(text=text, citations=cites)]
            continue
        players.append(player)
    named = {p.name for p in players}
    for person in ev.decision_makers():
        effective = current.effective_on or date.min
        if person.name in named or person.joined_on is None or person.joined_on <= effective:
            continue
        players.append(KeyPlayer(name=person.name, side=Side.CLIENT, role=person.title or "decision-maker"))
        reasons[f"key player: {person.name}"] = [
            Claim(
                text=f"{person.name} joined as {person.title} on {person.joined_on}, after this charter took effect; "
                "review the charter with them and add them as a key player.",
                citations=[cite_person(person), cite_charter(current)],
            )
        ]
    proposed.key_players = players
    for person, note in announced_departures(ev, DEPARTURE_NOTE_DAYS):
        if person.id in proposed.signatory_ids:
            notes.append(
                Claim(
                    text=f"{person.name} signs this charter and is leaving: once a successor is in post, route this "
                    "version to them and make them a signatory.",
                    citations=[cite_person(person), cite_note(note, DEPARTURE_TERMS.pattern)],
                )
            )
    return notes


def _recovery(ev: AccountEvidence, proposed: CharterIn, reasons: dict[str, list[Claim]]) -> list[Claim]:
    below = [
        s for s in ev.metrics if s.target is not None and s.latest is not None and s.on_target(s.latest.value) is False
    ]
    if not below:
        return [
            Claim(
                text="Every charter metric is on target at its latest reading; no recovery commitment is needed.",
                citations=[cite_reading(s, s.readings[-1]) for s in ev.series_with_readings()]
                or [cite_account(ev.account, "no metric readings")],
            )
        ]
    for series in below:
        run = max(1, series.periods_below_target())
        text = (
            f"Recovery plan for {series.metric.name}: return to the {number(series.target or 0)} "
            f"{series.metric.unit} target within two reporting periods, with progress reviewed monthly by the key "
            "players."
        )
        proposed.commitments.append(Commitment(party=Side.SUPPLIER, text=text))
        reasons[f"commitment (supplier): {text[:60]}"] = [
            Claim(
                text=f"{series.metric.name} has missed its target for {run} period(s): "
                + ", ".join(f"{r.period} {number(r.value)}" for r in series.readings[-run:])
                + ". The target stays; the recovery is committed in writing.",
                citations=[cite_reading(series, r) for r in series.readings[-run:]],
            )
        ]
    return []


def _successor(ev: AccountEvidence, person: StakeholderOut) -> StakeholderOut | None:
    successor = ev.stakeholder(person.replaced_by_id)
    return successor if successor is not None and successor.is_active else None


def _by_name(ev: AccountEvidence, name: str) -> StakeholderOut | None:
    return next((s for s in ev.stakeholders if s.name.casefold() == name.casefold()), None)


def _preview(ev: AccountEvidence, current: CharterOut, proposed: CharterIn) -> CharterOut:
    """The proposed version shaped like a stored one, so `charter_diff` can compare clause by clause."""
    targets = {t.metric_key: t for t in current.targets}
    people = [p for p in (ev.stakeholder(i) for i in proposed.signatory_ids) if p is not None]
    return CharterOut(
        id=0,
        account_id=ev.account_id,
        version=max(ev.charter_versions, current.version) + 1,
        status=CharterStatus.DRAFT,
        **proposed.model_dump(include=_CONTENT_FIELDS),
        commitments=proposed.commitments,
        key_players=proposed.key_players,
        effective_on=proposed.effective_on,
        next_review_due=proposed.next_review_due,
        parent_id=current.id,
        change_reason=proposed.change_reason,
        created_by=ASSISTANT_NAME,
        targets=[
            targets[t.metric_key].model_copy(update={"target": t.target}) if t.metric_key in targets else _target(t)
            for t in proposed.targets
        ],
        signatories=[
            SignatoryOut(stakeholder_id=p.id, name=p.name, title=p.title, side=p.side, approved_on=None) for p in people
        ],
    )


def _target(target: TargetIn) -> TargetOut:
    return TargetOut(
        metric_id=0,
        metric_key=target.metric_key,
        metric_name=target.metric_key,
        unit="",
        direction=MetricDirection.HIGHER_IS_BETTER,
        target=target.target,
    )


def _default_reason(clause: str, current: CharterOut) -> Claim:
    if clause == "effective_on":
        text = "The new version takes effect when every signatory has approved it."
    elif clause == "next_review_due":
        text = "The review date is set again when the new version is signed (at most a year after it takes effect)."
    else:
        text = "Carried over from the current version with this change."
    return Claim(text=text, citations=[cite_charter(current)])


def _change_claim(change: ChangeRationale) -> Claim:
    before = f" (was: {change.before})" if change.before else ""
    after = f": {change.after}" if change.after else ""
    why = " ".join(c.text for c in change.rationale)
    citations = [c for claim in change.rationale for c in claim.citations]
    return Claim(text=f"{change.clause} {change.change}{after}{before}. Why: {why}", citations=citations)


def _signatory_cite(ev: AccountEvidence, signatory: SignatoryOut) -> Citation:
    person = ev.stakeholder(signatory.stakeholder_id)
    return cite_person(person) if person is not None else cite_account(ev.account, signatory.name)


def _first_draft_outline(ev: AccountEvidence, lessons: Passages, draft: CharterRevisionDraft) -> CharterRevisionDraft:
    heading, text = lessons.section("guide-partnership-charter", "What a partnership charter contains")
    elements = [s for s in sentences(text) if ":" in s and len(s) < 200]
    passage = lessons.cite("guide-partnership-charter", heading)
    draft.outline = elements
    leaders = [p for p in ev.client() if p.decision_role is not None and p.power >= 4][:4]
    evidence = [
        Claim(text=f"Candidate key player and signatory: {p.name} ({p.title}).", citations=[cite_person(p)])
        for p in leaders
    ] + [
        Claim(text=f"Candidate success metric: {s.metric.name}.", citations=[cite_reading(s, s.readings[-1])])
        for s in ev.series_with_readings()
    ]
    draft.sections = [
        make_section(
            "summary",
            "Summary",
            [
                Claim(
                    text=f"{ev.account.name} has no signed partnership charter, so there is nothing to revise; "
                    "a first-draft outline follows instead.",
                    citations=[cite_account(ev.account, "no signed charter"), passage],
                )
            ],
        ),
        make_section(
            "outline",
            "First-draft outline",
            [Claim(text=element, citations=[passage]) for element in elements] + evidence,
            ["each party's win, in the customer's words", "targets for the success metrics", "signatories"],
        ),
    ]
    return draft
