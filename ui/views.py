"""View models: facade outputs in, pandas frames and small dataclasses out. No Streamlit here, so every
table and chart input is unit-testable; the pages only lay them out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlparse

import pandas as pd

from assistant.citations import Citation
from assistant.drafting.signal_types import EarlyWarning, Rule, Severity
from assistant.proposals.service import ProposalOut
from assistant.records.charter_diff import charter_clauses
from assistant.records.enums import ActionStatus, Assessor, HealthStatus, Side, Stance, Zone
from assistant.records.schemas import (
    AccountOut,
    AccountSummary,
    ActionItemOut,
    CharterDiff,
    CharterOut,
    HealthAssessmentOut,
    NoteOut,
    OpportunityOut,
    StakeholderOut,
)
from assistant.records.services.learning import ProgressOut
from assistant.records.services.metrics import MetricSeries
from assistant.settings import LLMSettings
from knowledge.curriculum import Lesson

HEALTH_ORDER = (HealthStatus.STRONG, HealthStatus.VULNERABLE, HealthStatus.DAMAGED)
HEALTH_RANK = {status: rank for rank, status in enumerate(HEALTH_ORDER)}
ZONES = (Zone.VALUE, Zone.ALIGNMENT, Zone.RELATIONSHIPS, Zone.GROWTH)
RENEWAL_WINDOW_MONTHS = 24
NO_HEALTH = "not assessed"

# Short names for the early-warning rules, as the portfolio's flag columns.
FLAG_LABELS: dict[Rule, str] = {
    Rule.SILENT_SPONSOR: "Silent sponsor",
    Rule.LEADERSHIP_CHANGE: "Leadership change",
    Rule.METRIC_BELOW_TARGET: "Missed metrics",
    Rule.PERCEPTION_GAP: "Customer/our gap",
    Rule.ACQUISITION: "Acquisition",
    Rule.CONTRACT_END_NO_RENEWAL: "Renewal not started",
    Rule.RISING_DETRACTOR: "Rising detractor",
    Rule.DECISION_MAKER_WITHOUT_OWNER: "Uncovered decision-maker",
    Rule.NOT_MUTUALLY_STRATEGIC: "Not mutually strategic",
    Rule.CHARTER_REVIEW_DUE: "Charter review due",
    Rule.STALE_ACCOUNT: "No recent contact",
}
SEVERITY_MARK = {Severity.HIGH: "● high", Severity.MEDIUM: "◐ medium", Severity.LOW: "○ low"}
SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}
TREND_MARK = {
    "improving": "▲ improving",
    "worsening": "▼ worsening",
    "steady": "► steady",
    "first assessment": "• first assessment",
    "no assessment": "–",
}


# --- health ---------------------------------------------------------------------------------------------


def ours(assessments: Iterable[HealthAssessmentOut]) -> list[HealthAssessmentOut]:
    """Our side's assessments (the SAM leader's and the ones the assistant drafted and we approved), newest
    first — the same view the portfolio list takes."""
    return [a for a in assessments if a.assessor is not Assessor.CUSTOMER]


def customers(assessments: Iterable[HealthAssessmentOut]) -> list[HealthAssessmentOut]:
    return [a for a in assessments if a.assessor is Assessor.CUSTOMER]


def zone_total(assessment: HealthAssessmentOut) -> int:
    return sum(z.score for z in assessment.zones)


def health_trend(assessments: Sequence[HealthAssessmentOut]) -> str:
    """Our latest assessment against the one before (`assessments` newest first, as the records return them)."""
    mine = ours(assessments)
    if not mine:
        return "no assessment"
    if len(mine) == 1:
        return "first assessment"
    latest, previous = mine[0], mine[1]
    change = HEALTH_RANK[previous.overall] - HEALTH_RANK[latest.overall]
    if change == 0:
        change = zone_total(latest) - zone_total(previous)
    return "improving" if change > 0 else "worsening" if change < 0 else "steady"


def latest_health(assessments: Sequence[HealthAssessmentOut]) -> HealthStatus | None:
    mine = ours(assessments)
    return mine[0].overall if mine else None


# --- portfolio ------------------------------------------------------------------------------------------


def months_until(today: date, day: date | None) -> int | None:
    if day is None:
        return None
    return (day.year - today.year) * 12 + (day.month - today.month) - (1 if day.day < today.day else 0)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    # The 31st of a shorter month becomes its last day.
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - 28 always exists


def portfolio_frame(
    accounts: Sequence[AccountSummary],
    assessments: Mapping[int, Sequence[HealthAssessmentOut]],
    warnings: Mapping[int, Sequence[EarlyWarning]],
    *,
    today: date,
) -> pd.DataFrame:
    rows = []
    for account in accounts:
        history = assessments.get(account.id, [])
        found = warnings.get(account.id, [])
        health = latest_health(history)
        rows.append(
            {
                "Account": account.name,
                "Health": health.value if health else NO_HEALTH,
                "Trend": TREND_MARK[health_trend(history)],
                "Industry": account.industry,
                "Revenue": account.annual_revenue,
                "Gross profit": account.gross_profit,
                "Growth potential": account.growth_potential,
                "Contract end": account.contract_end,
                "Months left": months_until(today, account.contract_end),
                "Warnings": len(found),
                "High": sum(w.severity is Severity.HIGH for w in found),
                "id": account.id,
            }
        )
    return pd.DataFrame(rows)


def zone_matrix(
    accounts: Sequence[AccountSummary], assessments: Mapping[int, Sequence[HealthAssessmentOut]]
) -> pd.DataFrame:
    """Accounts × zones: our latest score per zone (NaN where the account was never assessed)."""
    data: dict[str, list[float]] = {}
    for account in accounts:
        mine = ours(assessments.get(account.id, []))
        scores = {z.zone: float(z.score) for z in mine[0].zones} if mine else {}
        data[account.name] = [scores.get(zone, float("nan")) for zone in ZONES]
    return pd.DataFrame.from_dict(data, orient="index", columns=[z.value.capitalize() for z in ZONES])


def contract_timeline_frame(
    accounts: Sequence[AccountOut], *, window_months: int = RENEWAL_WINDOW_MONTHS
) -> pd.DataFrame:
    """Each contract as two bars: the term, and the last ~24 months when the renewal conversation should run."""
    rows = []
    for account in accounts:
        if account.contract_end is None:
            continue
        window = add_months(account.contract_end, -window_months)
        start = account.contract_start or window
        if start < window:
            rows.append({"Account": account.name, "Phase": "Contract term", "Start": start, "End": window})
        rows.append(
            {
                "Account": account.name,
                "Phase": f"Renewal window ({window_months} months)",
                "Start": max(window, start),
                "End": account.contract_end,
            }
        )
    return pd.DataFrame(rows, columns=["Account", "Phase", "Start", "End"])


def portfolio_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The portfolio frame as the page shows it: money in millions, warnings as one short cell."""
    if frame.empty:
        return frame
    return pd.DataFrame(
        {
            "Account": frame["Account"],
            "Health": frame["Health"],
            "Trend": frame["Trend"],
            "Revenue ($M)": (frame["Revenue"] / 1e6).round(1),
            "Gross profit ($M)": (frame["Gross profit"].astype(float) / 1e6).round(2),
            "Growth": frame["Growth potential"],
            "Contract end": frame["Contract end"],
            "Months left": frame["Months left"],
            "Warnings": [
                f"{n} ({h} high)" if h else str(n) for n, h in zip(frame["Warnings"], frame["High"], strict=True)
            ],
        }
    )


def flag_badges(warnings: Sequence[EarlyWarning]) -> list[tuple[str, Severity]]:
    """One flag per kind of warning on an account, at its most severe, most severe first."""
    worst: dict[str, Severity] = {}
    for warning in warnings:
        label = FLAG_LABELS.get(warning.rule, warning.rule.value)
        if label not in worst or SEVERITY_RANK[warning.severity] < SEVERITY_RANK[worst[label]]:
            worst[label] = warning.severity
    return sorted(worst.items(), key=lambda item: SEVERITY_RANK[item[1]])


# --- stakeholders ---------------------------------------------------------------------------------------


def stakeholder_frame(people: Sequence[StakeholderOut]) -> pd.DataFrame:
    """Active client-side people: the points of the power × interest map."""
    rows = [
        {
            "Name": p.name,
            "Title": p.title or "",
            "Department": p.department or "",
            "Decision role": p.decision_role.value.replace("_", " ") if p.decision_role else "",
            "Power": p.power,
            "Interest": p.interest,
            "Stance": p.stance.value,
            "Owner": p.owner_name or "no owner",
            "Last contact": p.last_contact_on,
            "id": p.id,
        }
        for p in people
        if p.side is Side.CLIENT and p.is_active
    ]
    columns = ["Name", "Title", "Department", "Decision role", "Power", "Interest", "Stance", "Owner"]
    return pd.DataFrame(rows, columns=[*columns, "Last contact", "id"])


def departed_frame(people: Sequence[StakeholderOut]) -> pd.DataFrame:
    by_id = {p.id: p for p in people}
    rows = [
        {
            "Name": p.name,
            "Title": p.title or "",
            "Left on": p.left_on,
            "Replaced by": by_id[p.replaced_by_id].name if p.replaced_by_id in by_id else "",
            "Stance when they left": p.stance.value,
        }
        for p in people
        if p.side is Side.CLIENT and not p.is_active
    ]
    return pd.DataFrame(rows, columns=["Name", "Title", "Left on", "Replaced by", "Stance when they left"])


def team_frame(people: Sequence[StakeholderOut]) -> pd.DataFrame:
    rows = [
        {"Name": p.name, "Title": p.title or "", "Department": p.department or ""}
        for p in people
        if p.side is Side.SUPPLIER and p.is_active
    ]
    return pd.DataFrame(rows, columns=["Name", "Title", "Department"])


def team_lines(people: Sequence[StakeholderOut]) -> list[str]:
    return [f"**{p.name}**, {p.title or 'no title'}" for p in people if p.side is Side.SUPPLIER and p.is_active]


def departed_lines(people: Sequence[StakeholderOut]) -> list[str]:
    """ "**Carla Mendes** (Site Manager) left 2026-11-01, replaced by Kevin O'Brien; was a supporter" """
    by_id = {p.id: p for p in people}
    lines = []
    for p in people:
        if p.side is not Side.CLIENT or p.is_active:
            continue
        successor = by_id.get(p.replaced_by_id) if p.replaced_by_id else None
        left = f"left {p.left_on}" if p.left_on else "left"
        replaced = f", replaced by {successor.name}" if successor else ", seat not filled"
        lines.append(f"**{p.name}** ({p.title or 'no title'}) {left}{replaced}; was a {p.stance.value}")
    return lines


def stance_counts(people: Sequence[StakeholderOut]) -> dict[str, int]:
    counts = {stance.value: 0 for stance in Stance}
    for p in people:
        if p.side is Side.CLIENT and p.is_active:
            counts[p.stance.value] += 1
    return counts


# --- charter --------------------------------------------------------------------------------------------


def charter_label(charter: CharterOut) -> str:
    when = f", effective {charter.effective_on}" if charter.effective_on else ""
    return f"v{charter.version} ({charter.status.value}{when})"


def clause_name(clause: str) -> str:
    """Clause keys as people read them; commitment keys carry only the first 60 characters of their text."""
    name = clause.replace("_", " ")
    head, _, text = name.partition(": ")
    if head.startswith("commitment") and len(text) >= 60:
        return f"{head}: {text.rstrip()}…"
    return name


def charter_side_by_side(left: CharterOut, right: CharterOut) -> pd.DataFrame:
    """Every clause of two versions (left "Before", right "After"), in reading order, and how it changed."""
    before, after = charter_clauses(left), charter_clauses(right)
    rows = []
    for clause in [*before, *(c for c in after if c not in before)]:
        old, new = before.get(clause, ""), after.get(clause, "")
        rows.append(
            {
                "Clause": clause_name(clause),
                "Change": "" if old == new else ("added" if not old else "removed" if not new else "changed"),
                "Before": old,
                "After": new,
            }
        )
    return pd.DataFrame(rows, columns=["Clause", "Change", "Before", "After"])


def diff_frame(diff: CharterDiff) -> pd.DataFrame:
    rows = [
        {"Clause": clause_name(c.clause), "Change": c.change, "Before": c.before or "", "After": c.after or ""}
        for c in diff.changes
    ]
    return pd.DataFrame(rows, columns=["Clause", "Change", "Before", "After"])


def signatory_frame(charter: CharterOut) -> pd.DataFrame:
    rows = [
        {
            "Signatory": s.name,
            "Title": s.title or "",
            "Side": s.side.value,
            "Approval": f"approved {s.approved_on}" if s.approved_on else "pending",
        }
        for s in charter.signatories
    ]
    return pd.DataFrame(rows, columns=["Signatory", "Title", "Side", "Approval"])


def review_status(charter: CharterOut, today: date) -> tuple[str, str]:
    """(severity, sentence) for the next charter review: "error" when overdue, "warning" within 45 days."""
    if charter.next_review_due is None:
        return "warning", "No review date set: the charter should be revisited at least once a year."
    days = (charter.next_review_due - today).days
    if days < 0:
        return "error", f"Review overdue since {charter.next_review_due} ({-days} days)."
    if days <= 45:
        return "warning", f"Next review due {charter.next_review_due} (in {days} days)."
    return "info", f"Next review due {charter.next_review_due} (in {days} days)."


# --- metrics --------------------------------------------------------------------------------------------


def metric_frame(series: MetricSeries) -> pd.DataFrame:
    rows = [
        {
            "Period": r.period,
            "Period end": r.period_end,
            "Value": r.value,
            "Target": series.target,
            "On target": series.on_target(r.value),
        }
        for r in series.readings
    ]
    return pd.DataFrame(rows, columns=["Period", "Period end", "Value", "Target", "On target"])


def metric_caption(series: MetricSeries) -> str:
    """ "target 85 score /100, higher is better; below target 2 periods running" """
    unit = f" {series.metric.unit}" if series.metric.unit else ""
    direction = "higher is better" if series.metric.direction.value == "higher_is_better" else "lower is better"
    target = f"target {series.target:,g}{unit}" if series.target is not None else "no charter target"
    below = series.periods_below_target()
    missed = f"; below target {below} period{'s' if below != 1 else ''} running" if below else ""
    return f"{target}, {direction}{missed}"


# --- notes, actions, opportunities ----------------------------------------------------------------------


def notes_frame(notes: Sequence[NoteOut]) -> pd.DataFrame:
    rows = [
        {"Date": n.occurred_on, "Kind": n.kind.value.replace("_", " "), "Author": n.author, "Note": n.body, "id": n.id}
        for n in notes
    ]
    return pd.DataFrame(rows, columns=["Date", "Kind", "Author", "Note", "id"])


def actions_frame(actions: Sequence[ActionItemOut], people: Sequence[StakeholderOut], today: date) -> pd.DataFrame:
    names = {p.id: p.name for p in people}
    rows = []
    for a in actions:
        overdue = bool(a.due_on and a.due_on < today and a.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS))
        status = a.status.value.replace("_", " ")
        rows.append(
            {
                "Action": a.title,
                "Owner": a.owner,
                "Due": a.due_on,
                "Status": f"{status} · overdue" if overdue else status,
                "With": names.get(a.stakeholder_id, "") if a.stakeholder_id else "",
            }
        )
    return pd.DataFrame(rows, columns=["Action", "Owner", "Due", "Status", "With"])


def opportunities_frame(opportunities: Sequence[OpportunityOut]) -> pd.DataFrame:
    rows = [
        {
            "Opportunity": o.name,
            "Type": o.type.value.replace("_", " "),
            "Stage": o.stage.value,
            "Value": o.estimated_value,
            "Buying centre": o.buying_centre,
            "Offering": o.offering,
            "Expected close": o.expected_close,
        }
        for o in opportunities
    ]
    return pd.DataFrame(
        rows, columns=["Opportunity", "Type", "Stage", "Value", "Buying centre", "Offering", "Expected close"]
    )


def whitespace_frame(
    opportunities: Sequence[OpportunityOut], people: Sequence[StakeholderOut], offerings: Sequence[str] = ()
) -> pd.DataFrame:
    """Buying centre × offering: each opportunity's stage and value in its cell; blank cells are whitespace.

    Rows are the buying centres named on opportunities plus the client departments on the stakeholder map;
    columns the offerings named on opportunities plus any the caller adds."""
    centres = list(
        dict.fromkeys(
            [o.buying_centre for o in opportunities if o.buying_centre]
            + [p.department for p in people if p.side is Side.CLIENT and p.is_active and p.department]
        )
    )
    columns = list(dict.fromkeys([*offerings, *(o.offering for o in opportunities if o.offering)]))
    cells: dict[str, dict[str, str]] = {centre: dict.fromkeys(columns, "") for centre in centres}
    for o in opportunities:
        if o.buying_centre and o.offering:
            existing = cells[o.buying_centre][o.offering]
            label = f"{o.stage.value} · {_short_money(o.estimated_value)}"
            cells[o.buying_centre][o.offering] = f"{existing}; {label}" if existing else label
    return pd.DataFrame.from_dict(cells, orient="index", columns=columns)


def _short_money(value: float) -> str:
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= limit:
            return f"${value / limit:.3g}{suffix}"
    return f"${value:,.0f}"


# --- health history -------------------------------------------------------------------------------------


def health_history_frame(assessments: Sequence[HealthAssessmentOut]) -> pd.DataFrame:
    """One row per assessment, oldest first: who assessed, the overall status and each zone's score."""
    rows = []
    for a in sorted(assessments, key=lambda a: (a.assessed_on, a.id)):
        row: dict[str, Any] = {
            "Date": a.assessed_on,
            "View": "Customer's view" if a.assessor is Assessor.CUSTOMER else "Our view",
            "Assessor": a.assessor_name or a.assessor.value.replace("_", " "),
            "Overall": a.overall.value,
            "Rank": HEALTH_RANK[a.overall],
        }
        for zone in a.zones:
            row[zone.zone.value.capitalize()] = zone.score
        rows.append(row)
    columns = ["Date", "View", "Assessor", "Overall", "Rank", *(z.value.capitalize() for z in ZONES)]
    return pd.DataFrame(rows, columns=columns)


def zone_comparison_frame(assessments: Sequence[HealthAssessmentOut]) -> pd.DataFrame:
    """Our latest zone scores against the customer's latest, for the perception-gap chart."""
    rows = []
    for view, found in (("Our view", ours(assessments)), ("Customer's view", customers(assessments))):
        if not found:
            continue
        for zone in found[0].zones:
            rows.append({"Zone": zone.zone.value.capitalize(), "View": view, "Score": zone.score})
    return pd.DataFrame(rows, columns=["Zone", "View", "Score"])


# --- chat and proposals ---------------------------------------------------------------------------------


def proposal_diff_frame(proposal: ProposalOut) -> pd.DataFrame:
    rows = [
        {"Field": c.field.replace("_", " "), "Before": _cell(c.before), "After": _cell(c.after)} for c in proposal.diff
    ]
    return pd.DataFrame(rows, columns=["Field", "Before", "After"])


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list | dict):
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return str(value)


def citation_title(citation: Citation) -> str:
    kind = citation.kind.value.replace("_", " ")
    when = f" · {citation.date}" if citation.date and str(citation.date) not in citation.label else ""
    return f"{citation.label} ({kind}{when})"


def citation_source(citation: Citation) -> str:
    """What kind of evidence a citation is, in words a user reads."""
    if citation.kind.value == "curriculum":
        return "curriculum passage"
    if citation.kind.value == "document":
        return "your document"
    return "account record"


def conversation_label(title: str, updated: date | None, conversation_id: int) -> str:
    name = title.strip() or "Untitled conversation"
    name = name if len(name) <= 60 else name[:59] + "…"
    return f"{name} · {updated}" if updated else f"{name} · #{conversation_id}"


# --- learning -------------------------------------------------------------------------------------------


SHORT_TITLE = 40


@dataclass(frozen=True)
class PathStep:
    lesson_id: str
    title: str
    kind: str
    number: int
    read: bool
    quiz_score: float | None
    exercise_score: float | None

    @property
    def done(self) -> bool:
        return self.read and self.quiz_score is not None and self.exercise_score is not None

    @property
    def state(self) -> str:
        if self.done:
            return "done"
        if self.read or self.quiz_score is not None or self.exercise_score is not None:
            return "started"
        return "not started"

    @property
    def short_title(self) -> str:
        """ "Module 1: Trust — the foundation…" → "Module 1: Trust"; long key titles cut at a word."""
        title = self.title.split(" — ")[0]
        if len(title) <= SHORT_TITLE:
            return title
        return title[: title.rfind(" ", 0, SHORT_TITLE)].rstrip(",:;") + "…"


def learning_path(lessons: Sequence[Lesson], progress: Sequence[ProgressOut]) -> list[PathStep]:
    """The six modules, then the ten keys, in order, each with the user's progress."""
    by_id = {p.lesson_id: p for p in progress}
    steps = []
    for kind in ("module", "key"):
        for lesson in sorted((x for x in lessons if x.kind == kind), key=lambda x: (x.order or 0, x.id)):
            found = by_id.get(lesson.id)
            steps.append(
                PathStep(
                    lesson_id=lesson.id,
                    title=lesson.title,
                    kind=kind,
                    number=lesson.order or 0,
                    read=bool(found and found.read),
                    quiz_score=found.quiz_score if found else None,
                    exercise_score=found.exercise_score if found else None,
                )
            )
    return steps


def path_frame(steps: Sequence[PathStep]) -> pd.DataFrame:
    rows = [
        {
            "Lesson": step.short_title,
            "State": step.state,
            "Read": "yes" if step.read else "",
            "Quiz": f"{step.quiz_score:.0%}" if step.quiz_score is not None else "",
            "Exercise": f"{step.exercise_score:.0%}" if step.exercise_score is not None else "",
        }
        for step in steps
    ]
    return pd.DataFrame(rows, columns=["Lesson", "State", "Read", "Quiz", "Exercise"])


def path_completion(steps: Sequence[PathStep]) -> float:
    """Share of the path done, counting reading, quiz and exercise of each lesson as a third each."""
    if not steps:
        return 0.0
    parts = sum(step.read + (step.quiz_score is not None) + (step.exercise_score is not None) for step in steps)
    return parts / (3 * len(steps))


# --- sidebar --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackendView:
    kind: str
    model: str | None
    detail: str


LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


def backend_view(llm: LLMSettings, label: str) -> BackendView:
    """How the sidebar names the backend: offline, local or OpenAI-compatible, and which model — from the
    label the assistant itself reports (a test's scripted model says so)."""
    if label.startswith("scripted"):
        return BackendView(kind="Scripted test model", model=None, detail=label)
    if llm.provider == "offline":
        return BackendView(kind="Offline", model=None, detail=label)
    host = urlparse(llm.base_url).hostname if llm.base_url else None
    kind = "Local model" if host in LOCAL_HOSTS else "OpenAI-compatible"
    return BackendView(kind=kind, model=llm.model, detail=label)


def role_label(role: str) -> str:
    return {"sam_leader": "SAM leader", "manager": "Manager", "admin": "Administrator"}.get(role, role)
