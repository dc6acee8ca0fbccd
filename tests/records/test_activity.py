"""Notes (with mentions), health assessments, action items and opportunities through their services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from sqlalchemy import Engine

from assistant.db import build_session_factory
from assistant.records import Records, build_records
from assistant.records.enums import (
    ActionOrigin,
    ActionStatus,
    Assessor,
    EvidenceKind,
    HealthStatus,
    NoteKind,
    OpportunityStage,
    OpportunityType,
    Zone,
)
from assistant.records.errors import InvalidInput, NotFound
from assistant.records.schemas import (
    AccountOut,
    ActionItemOut,
    EvidenceRef,
    HealthAssessmentOut,
    NoteOut,
    OpportunityOut,
    StakeholderOut,
)
from tests.conftest import Team
from tests.records.conftest import Portfolio, refused_without_change, zone_scores


@dataclass(frozen=True)
class Account:
    account: AccountOut
    ceo: StakeholderOut
    cfo: StakeholderOut


@pytest.fixture
def acme(records: Records, team: Team) -> Account:
    account = records.accounts.create(actor=team.dana, data={"name": "Acme", "industry": "Retail"})
    ceo = records.stakeholders.create(actor=team.dana, account_id=account.id, data={"name": "Robin Ortiz"})
    cfo = records.stakeholders.create(actor=team.dana, account_id=account.id, data={"name": "Morgan Hale"})
    return Account(account, ceo, cfo)


def _note(records: Records, team: Team, account_id: int, on: date, body: str, **extra: object) -> NoteOut:
    data = {"occurred_on": on, "author": "Dana Reyes", "body": body} | extra
    return records.notes.create(actor=team.dana, account_id=account_id, data=data)


def test_note_round_trip_with_mentions(records: Records, team: Team, acme: Account) -> None:
    note = _note(
        records,
        team,
        acme.account.id,
        date(2026, 1, 12),
        "  CEO announced she retires in June; CFO pushing for a tender.  ",
        kind="meeting",
        mentioned_ids=[acme.cfo.id, acme.ceo.id, acme.cfo.id],
    )
    assert isinstance(note, NoteOut)
    assert note.body == "CEO announced she retires in June; CFO pushing for a tender."
    assert (note.kind, note.author, note.occurred_on) == (NoteKind.MEETING, "Dana Reyes", date(2026, 1, 12))
    assert note.mentioned_ids == sorted([acme.ceo.id, acme.cfo.id])
    assert records.notes.get(actor=team.dana, note_id=note.id) == note

    updated = records.notes.update(
        actor=team.dana, note_id=note.id, data={"kind": "call", "mentioned_ids": [acme.ceo.id]}
    )
    assert (updated.kind, updated.mentioned_ids, updated.body) == (NoteKind.CALL, [acme.ceo.id], note.body)
    assert updated.updated_at >= note.updated_at

    records.notes.delete(actor=team.dana, note_id=note.id)
    with pytest.raises(NotFound, match=f"note {note.id}"):
        records.notes.get(actor=team.dana, note_id=note.id)
    assert records.notes.count(actor=team.dana, account_id=acme.account.id) == 0


def test_notes_list_newest_first_with_filters(records: Records, team: Team, acme: Account) -> None:
    account_id = acme.account.id
    _note(records, team, account_id, date(2025, 10, 1), "Acquisition rumours in the trade press")
    _note(records, team, account_id, date(2025, 12, 1), "Metrics missed for the second quarter")
    _note(records, team, account_id, date(2026, 1, 5), "Competitor courting the CFO", kind="observation")

    def bodies(**filters: object) -> list[str]:
        return [n.body for n in records.notes.list(actor=team.dana, account_id=account_id, **filters)]

    assert bodies() == [
        "Competitor courting the CFO",
        "Metrics missed for the second quarter",
        "Acquisition rumours in the trade press",
    ]
    assert bodies(since=date(2025, 11, 1)) == ["Competitor courting the CFO", "Metrics missed for the second quarter"]
    assert bodies(until=date(2025, 11, 1)) == ["Acquisition rumours in the trade press"]
    assert bodies(text="COMPETITOR") == ["Competitor courting the CFO"]
    assert bodies(limit=1, offset=1) == ["Metrics missed for the second quarter"]
    assert records.notes.count(actor=team.dana, account_id=account_id) == 3


def test_get_many_leaves_out_notes_outside_the_portfolio(records: Records, portfolio: Portfolio) -> None:
    dana, marcus = portfolio.dana, portfolio.marcus
    found = records.notes.get_many(actor=dana.owner, note_ids=[marcus.note.id, dana.note.id, 999_999, dana.note.id])
    assert found == [dana.note]


@dataclass
class RecordingListener:
    saved: list[NoteOut] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    fail: bool = False

    def note_saved(self, note: NoteOut) -> None:
        if self.fail:
            raise RuntimeError("index down")
        self.saved.append(note)

    def note_deleted(self, note_id: int) -> None:
        if self.fail:
            raise RuntimeError("index down")
        self.deleted.append(note_id)


def test_note_listener_hears_committed_changes_only(engine: Engine, team: Team, acme: Account) -> None:
    listener = RecordingListener()
    records = build_records(build_session_factory(engine), note_listener=listener)
    note = _note(records, team, acme.account.id, date(2026, 1, 5), "Innovation trial offered")
    updated = records.notes.update(actor=team.dana, note_id=note.id, data={"body": "Innovation trial accepted"})
    with pytest.raises(InvalidInput):
        _note(records, team, acme.account.id, date(2026, 1, 6), "   ")
    records.notes.delete(actor=team.dana, note_id=note.id)
    assert listener.saved == [note, updated]
    assert listener.deleted == [note.id]


def test_a_failing_listener_never_loses_the_note(
    engine: Engine, team: Team, acme: Account, caplog: pytest.LogCaptureFixture
) -> None:
    records = build_records(build_session_factory(engine), note_listener=RecordingListener(fail=True))
    note = _note(records, team, acme.account.id, date(2026, 1, 5), "Sponsor silent for 90 days")
    assert records.notes.get(actor=team.dana, note_id=note.id) == note
    assert "samcoach reindex" in caplog.text


@pytest.mark.parametrize(
    ("assessor", "overall"),
    [
        (Assessor.SAM_LEADER, HealthStatus.VULNERABLE),
        (Assessor.CUSTOMER, HealthStatus.STRONG),
        (Assessor.ASSISTANT, HealthStatus.DAMAGED),
    ],
)
def test_health_assessment_scores_all_four_zones_with_evidence(
    records: Records, team: Team, acme: Account, assessor: Assessor, overall: HealthStatus
) -> None:
    account_id = acme.account.id
    note = _note(records, team, account_id, date(2025, 12, 1), "Metrics missed twice")
    metric = records.metrics.create(actor=team.dana, account_id=account_id, data={"key": "uptime", "name": "Uptime"})
    reading = records.metrics.record_reading(
        actor=team.dana,
        account_id=account_id,
        metric_id=metric.id,
        data={"period": "2025-Q4", "period_end": date(2025, 12, 31), "value": 97.1},
    )
    created = records.health.create(
        actor=team.dana,
        account_id=account_id,
        data={
            "assessed_on": date(2026, 1, 10),
            "overall": overall,
            "assessor": assessor,
            "assessor_name": "Robin Ortiz" if assessor is Assessor.CUSTOMER else "Dana Reyes",
            "summary": "Value slipping while the relationship holds",
            "zones": zone_scores(value=2, alignment=3, relationships=5, growth=1),
            "evidence": [
                {"kind": "note", "id": note.id},
                {"kind": "metric_reading", "id": reading.id},
                {"kind": "stakeholder", "id": acme.cfo.id},
            ],
        },
    )
    assert isinstance(created, HealthAssessmentOut)
    assert (created.overall, created.assessor) == (overall, assessor)
    assert {z.zone: z.score for z in created.zones} == {
        Zone.VALUE: 2,
        Zone.ALIGNMENT: 3,
        Zone.RELATIONSHIPS: 5,
        Zone.GROWTH: 1,
    }
    assert created.zone(Zone.GROWTH).rationale == "growth scored 1"
    assert created.evidence == [
        EvidenceRef(kind=EvidenceKind.NOTE, id=note.id),
        EvidenceRef(kind=EvidenceKind.METRIC_READING, id=reading.id),
        EvidenceRef(kind=EvidenceKind.STAKEHOLDER, id=acme.cfo.id),
    ]
    assert records.health.get(actor=team.dana, account_id=account_id, assessment_id=created.id) == created


def test_health_list_is_newest_first_and_filters_by_assessor(records: Records, team: Team, acme: Account) -> None:
    account_id = acme.account.id
    for on, assessor, overall in [
        (date(2025, 6, 1), "sam_leader", "strong"),
        (date(2025, 9, 1), "customer", "vulnerable"),
        (date(2025, 12, 1), "sam_leader", "vulnerable"),
    ]:
        records.health.create(
            actor=team.dana,
            account_id=account_id,
            data={"assessed_on": on, "overall": overall, "assessor": assessor, "zones": zone_scores()},
        )
    listed = records.health.list(actor=team.dana, account_id=account_id)
    assert [a.assessed_on for a in listed] == [date(2025, 12, 1), date(2025, 9, 1), date(2025, 6, 1)]
    ours = records.health.list(actor=team.dana, account_id=account_id, assessor=Assessor.SAM_LEADER, limit=1)
    assert [(a.assessed_on, a.overall) for a in ours] == [(date(2025, 12, 1), HealthStatus.VULNERABLE)]
    with pytest.raises(NotFound):
        records.health.get(actor=team.dana, account_id=account_id, assessment_id=999_999)


def test_evidence_that_does_not_exist_is_refused(records: Records, team: Team, acme: Account, engine: Engine) -> None:
    data = {
        "assessed_on": date(2026, 1, 10),
        "overall": "strong",
        "assessor": "sam_leader",
        "zones": zone_scores(),
        "evidence": [{"kind": "metric_reading", "id": 424_242}],
    }
    with refused_without_change(engine, InvalidInput, "evidence") as caught:
        records.health.create(actor=team.dana, account_id=acme.account.id, data=data)
    assert "metric_reading 424242 not found" in str(caught.value)


def test_action_items_round_trip(records: Records, team: Team, acme: Account) -> None:
    account_id = acme.account.id
    first = records.actions.create(
        actor=team.dana,
        account_id=account_id,
        data={
            "title": "Meet the incoming CEO",
            "owner": "Dana Reyes",
            "due_on": date(2026, 2, 1),
            "origin": "assessment",
            "stakeholder_id": acme.ceo.id,
        },
    )
    assert isinstance(first, ActionItemOut)
    assert (first.status, first.origin, first.stakeholder_id) == (
        ActionStatus.OPEN,
        ActionOrigin.ASSESSMENT,
        acme.ceo.id,
    )
    second = records.actions.create(
        actor=team.dana,
        account_id=account_id,
        data={"title": "Send QBR deck", "owner": "Sam", "due_on": date(2026, 1, 20)},
    )
    undated = records.actions.create(actor=team.dana, account_id=account_id, data={"title": "Tidy CRM", "owner": "Sam"})

    assert [a.id for a in records.actions.list(actor=team.dana, account_id=account_id)] == [
        second.id,
        first.id,
        undated.id,
    ]
    done = records.actions.update(actor=team.dana, account_id=account_id, action_id=second.id, data={"status": "done"})
    assert (done.status, done.title) == (ActionStatus.DONE, "Send QBR deck")
    assert [a.id for a in records.actions.list_open(actor=team.dana, account_id=account_id)] == [first.id, undated.id]
    assert [a.id for a in records.actions.list(actor=team.dana, account_id=account_id, status=[ActionStatus.DONE])] == [
        second.id
    ]

    records.actions.delete(actor=team.dana, account_id=account_id, action_id=undated.id)
    assert [a.id for a in records.actions.list(actor=team.dana, account_id=account_id)] == [second.id, first.id]
    with pytest.raises(NotFound):
        records.actions.update(actor=team.dana, account_id=account_id, action_id=undated.id, data={"status": "done"})


def test_action_linked_to_a_stakeholder_of_another_account_is_refused(
    records: Records, portfolio: Portfolio, engine: Engine
) -> None:
    dana, marcus = portfolio.dana, portfolio.marcus
    with refused_without_change(engine, InvalidInput, "stakeholder_id"):
        records.actions.create(
            actor=dana.owner,
            account_id=dana.account.id,
            data={"title": "Call", "owner": "Dana", "stakeholder_id": marcus.sponsor.id},
        )
    with refused_without_change(engine, InvalidInput, "stakeholder_id"):
        records.actions.update(
            actor=dana.owner,
            account_id=dana.account.id,
            action_id=dana.action_id,
            data={"stakeholder_id": marcus.sponsor.id},
        )


def test_opportunities_round_trip_with_whitespace_cell_and_stakeholders(
    records: Records, team: Team, acme: Account
) -> None:
    account_id = acme.account.id
    renewal = records.opportunities.create(
        actor=team.dana,
        account_id=account_id,
        data={
            "name": "2027 renewal",
            "type": "renewal",
            "estimated_value": 4_000_000,
            "stage": "qualified",
            "buying_centre": "Real estate",
            "offering": "Valet parking",
            "expected_close": date(2027, 3, 31),
            "stakeholder_ids": [acme.cfo.id, acme.ceo.id],
        },
    )
    assert isinstance(renewal, OpportunityOut)
    assert (renewal.type, renewal.stage, renewal.buying_centre, renewal.offering) == (
        OpportunityType.RENEWAL,
        OpportunityStage.QUALIFIED,
        "Real estate",
        "Valet parking",
    )
    assert renewal.stakeholder_ids == sorted([acme.ceo.id, acme.cfo.id])
    trial = records.opportunities.create(
        actor=team.dana,
        account_id=account_id,
        data={"name": "EV charging trial", "type": "innovation", "estimated_value": 150_000},
    )
    assert [o.id for o in records.opportunities.list(actor=team.dana, account_id=account_id)] == [renewal.id, trial.id]

    won = records.opportunities.update(
        actor=team.dana,
        account_id=account_id,
        opportunity_id=trial.id,
        data={"stage": "won", "estimated_value": 5_000_000, "stakeholder_ids": [acme.ceo.id]},
    )
    assert (won.stage, won.estimated_value, won.stakeholder_ids) == (OpportunityStage.WON, 5_000_000, [acme.ceo.id])
    assert [o.id for o in records.opportunities.list(actor=team.dana, account_id=account_id)] == [trial.id, renewal.id]

    records.opportunities.delete(actor=team.dana, account_id=account_id, opportunity_id=renewal.id)
    assert [o.id for o in records.opportunities.list(actor=team.dana, account_id=account_id)] == [trial.id]
    # The people linked to a deleted opportunity stay.
    assert (
        records.stakeholders.get(actor=team.dana, account_id=account_id, stakeholder_id=acme.cfo.id).name
        == "Morgan Hale"
    )
