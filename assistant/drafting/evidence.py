"""Evidence: everything a draft may say about one account, read through the services as the actor.

`gather_evidence` is the only place drafting reads records. Every read is scoped by the actor, so an
account outside the portfolio raises `NotFound` like any other read; everything a draft cites comes from
the `AccountEvidence` it was given. The `cite_*` helpers turn a record into the `Citation` a claim carries.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from pydantic import BaseModel, Field

from assistant.citations import Citation, SourceKind
from assistant.drafting.text import first_sentence, number, sentence_about, shorten
from assistant.records import Records
from assistant.records.actor import Actor
from assistant.records.enums import ActionStatus, Assessor, DecisionRole, OpportunityStage, Side, Stance
from assistant.records.schemas import (
    AccountOut,
    ActionItemOut,
    AuditEventOut,
    CharterOut,
    CoverageOut,
    HealthAssessmentOut,
    NoteOut,
    OpportunityOut,
    ReadingOut,
    StakeholderOut,
    StanceChangeOut,
)
from assistant.records.services.metrics import MetricSeries

NOTES_WINDOW_DAYS = 365
AUDIT_WINDOW_DAYS = 180
MAX_NOTES = 2_000
MAX_AUDIT_EVENTS = 1_000
OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class AccountEvidence(BaseModel):
    """What code found on one account as of `today`: the only material a draft may cite."""

    today: date
    account: AccountOut
    owner_name: str = ""
    stakeholders: list[StakeholderOut] = Field(description="both sides, active and inactive")
    stance_history: dict[int, list[StanceChangeOut]] = Field(default_factory=dict, description="client side")
    coverage: list[CoverageOut] = Field(description="current coverage rows")
    charter: CharterOut | None = Field(default=None, description="the signed charter in force")
    open_draft: CharterOut | None = None
    charter_versions: int = 0
    metrics: list[MetricSeries] = Field(default_factory=list)
    notes: list[NoteOut] = Field(default_factory=list, description="the last 365 days, newest first")
    assessments: list[HealthAssessmentOut] = Field(default_factory=list, description="all assessors, newest first")
    actions: list[ActionItemOut] = Field(default_factory=list)
    opportunities: list[OpportunityOut] = Field(default_factory=list)
    stakeholder_events: list[AuditEventOut] = Field(default_factory=list, description="recent stakeholder audit")

    @property
    def account_id(self) -> int:
        return self.account.id

    def stakeholder(self, stakeholder_id: int | None) -> StakeholderOut | None:
        return next((s for s in self.stakeholders if s.id == stakeholder_id), None)

    def client(self, *, active: bool | None = True) -> list[StakeholderOut]:
        """Client-side stakeholders, strongest first; `active=None` returns everyone."""
        people = [s for s in self.stakeholders if s.side is Side.CLIENT and (active is None or s.is_active is active)]
        return sorted(people, key=lambda s: (-s.power, s.name))

    def sponsors(self) -> list[StakeholderOut]:
        return [s for s in self.client() if s.stance is Stance.SPONSOR]

    def decision_makers(self) -> list[StakeholderOut]:
        return [s for s in self.client() if s.decision_role is DecisionRole.DECISION_MAKER]

    def covered_ids(self) -> set[int]:
        return {c.stakeholder_id for c in self.coverage}

    def notes_since(self, since: date) -> list[NoteOut]:
        return [n for n in self.notes if n.occurred_on >= since]

    def latest_assessment(self, *assessors: Assessor) -> HealthAssessmentOut | None:
        return next((a for a in self.assessments if a.assessor in assessors), None)

    def assessments_by(self, *assessors: Assessor) -> list[HealthAssessmentOut]:
        return [a for a in self.assessments if a.assessor in assessors]

    def open_actions(self) -> list[ActionItemOut]:
        found = [a for a in self.actions if a.status in OPEN_ACTION_STATUSES]
        return sorted(found, key=lambda a: (a.due_on is None, a.due_on or self.today, a.id))

    def open_opportunities(self) -> list[OpportunityOut]:
        closed = (OpportunityStage.WON, OpportunityStage.LOST)
        return [o for o in self.opportunities if o.stage not in closed]

    def series_with_readings(self) -> list[MetricSeries]:
        return [s for s in self.metrics if s.readings]


def gather_evidence(records: Records, actor: Actor, account_id: int, *, today: date) -> AccountEvidence:
    """Read one account's evidence as `actor` (a foreign or missing account raises `NotFound`)."""
    account = records.accounts.get(actor=actor, account_id=account_id)
    stakeholders = records.stakeholders.list(actor=actor, account_id=account_id, include_inactive=True)
    history = {
        s.id: records.stakeholders.stance_history(actor=actor, account_id=account_id, stakeholder_id=s.id)
        for s in stakeholders
        if s.side is Side.CLIENT
    }
    versions = records.charters.list_versions(actor=actor, account_id=account_id)
    notes = records.notes.list(
        actor=actor,
        account_id=account_id,
        since=today - timedelta(days=NOTES_WINDOW_DAYS),
        until=today,
        limit=MAX_NOTES,
    )
    events = records.audit.list(actor=actor, account_id=account_id, entity="stakeholder", limit=MAX_AUDIT_EVENTS)
    # Only a lower bound: loaders and imports stamp events with the wall clock, which may be after `today`.
    recent = [e for e in events if e.at.date() >= today - timedelta(days=AUDIT_WINDOW_DAYS)]
    return AccountEvidence(
        today=today,
        account=account,
        owner_name=records.users.get(user_id=account.owner_id).name,
        stakeholders=stakeholders,
        stance_history=history,
        coverage=records.stakeholders.list_coverage(actor=actor, account_id=account_id),
        charter=records.charters.current(actor=actor, account_id=account_id),
        open_draft=records.charters.open_draft(actor=actor, account_id=account_id),
        charter_versions=len(versions),
        metrics=records.metrics.series(actor=actor, account_id=account_id, until=today),
        notes=notes,
        assessments=[
            a for a in records.health.list(actor=actor, account_id=account_id, limit=200) if a.assessed_on <= today
        ],
        actions=records.actions.list(actor=actor, account_id=account_id),
        opportunities=records.opportunities.list(actor=actor, account_id=account_id),
        stakeholder_events=recent,
    )


def cite_account(account: AccountOut, excerpt: str | None = None) -> Citation:
    return Citation(
        kind=SourceKind.ACCOUNT,
        id=str(account.id),
        label=f"{account.name} account record",
        account_id=account.id,
        excerpt=excerpt,
    )


def cite_agreement(account: AccountOut) -> Citation:
    """The account record's mutual-agreement flag, in the words a claim about it uses."""
    return cite_account(
        account,
        "mutual agreement: the customer agrees the account is strategic"
        if account.mutual_agreement
        else "no mutual agreement: the customer does not agree the account is strategic",
    )


def cite_note(note: NoteOut, about: str | None = None) -> Citation:
    """Cite a note; the excerpt is the sentence about `about` (a regex or phrase) when one matches."""
    pattern = re.compile(about, re.IGNORECASE) if about else None
    return Citation(
        kind=SourceKind.NOTE,
        id=str(note.id),
        label=f"note {note.id}, {note.occurred_on.isoformat()}",
        date=note.occurred_on,
        account_id=note.account_id,
        excerpt=sentence_about(note.body, pattern, limit=300),
    )


def cite_stakeholder(person: StakeholderOut) -> Citation:
    role = person.decision_role.value.replace("_", " ") if person.decision_role else person.side.value
    return Citation(
        kind=SourceKind.STAKEHOLDER,
        id=str(person.id),
        label=f"{person.name} ({person.title or person.side.value})",
        date=person.last_contact_on,
        account_id=person.account_id,
        excerpt=(
            f"{person.name}, {person.title or 'no title'}: {role}, stance {person.stance.value}, power {person.power}, "
            f"last contact {person.last_contact_on or 'never'}, "
            f"owner {person.owner_name or 'none'}{'' if person.is_active else f', left {person.left_on}'}"
        ),
    )


def cite_reading(series: MetricSeries, reading: ReadingOut) -> Citation:
    target = f"target {number(series.target)}" if series.target is not None else "no target"
    return Citation(
        kind=SourceKind.METRIC_READING,
        id=str(reading.id),
        label=f"{series.metric.name} {reading.period}",
        date=reading.period_end,
        account_id=series.metric.account_id,
        excerpt=f"{series.metric.name} {reading.period}: {number(reading.value)} {series.metric.unit} ({target})",
    )


def cite_charter(charter: CharterOut, excerpt: str | None = None) -> Citation:
    return Citation(
        kind=SourceKind.CHARTER,
        id=str(charter.id),
        label=f"charter v{charter.version} ({charter.status.value})",
        date=charter.effective_on,
        account_id=charter.account_id,
        excerpt=shorten(excerpt or first_sentence(charter.purpose or charter.mission or charter.customer_win), 300),
    )


def cite_assessment(assessment: HealthAssessmentOut) -> Citation:
    zones = ", ".join(f"{z.zone.value} {z.score}" for z in assessment.zones)
    return Citation(
        kind=SourceKind.ASSESSMENT,
        id=str(assessment.id),
        label=f"{assessment.assessor.value.replace('_', ' ')} assessment {assessment.assessed_on.isoformat()}",
        date=assessment.assessed_on,
        account_id=assessment.account_id,
        excerpt=shorten(f"{assessment.overall.value} ({zones}). {assessment.summary}", 300),
    )


def cite_action(action: ActionItemOut) -> Citation:
    return Citation(
        kind=SourceKind.ACTION,
        id=str(action.id),
        label=f"action {action.id}: {shorten(action.title, 40)}",
        date=action.due_on,
        account_id=action.account_id,
        excerpt=f"{action.title}; owner {action.owner}, due {action.due_on or 'unset'}, {action.status.value}",
    )


def cite_opportunity(opportunity: OpportunityOut) -> Citation:
    return Citation(
        kind=SourceKind.OPPORTUNITY,
        id=str(opportunity.id),
        label=f"opportunity: {shorten(opportunity.name, 50)}",
        date=opportunity.expected_close,
        account_id=opportunity.account_id,
        excerpt=shorten(
            f"{opportunity.name} ({opportunity.type.value}, {opportunity.stage.value}, "
            f"{number(opportunity.estimated_value)}). {first_sentence(opportunity.description)}",
            300,
        ),
    )
