"""The audit trail: every write says who, through what, to which record, with before and after values."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from assistant.records import Records
from assistant.records.enums import AuditAction, Channel
from assistant.records.errors import InvalidInput, NotFound
from assistant.records.schemas import AuditEventOut
from tests.conftest import Team
from tests.records.conftest import Portfolio, table_counts, zone_scores


def _events(records: Records, team: Team) -> list[AuditEventOut]:
    """Account events oldest first, as seen by the admin (user events are checked on their own)."""
    return [e for e in reversed(records.audit.list(actor=team.admin, limit=1_000)) if e.entity != "user"]


def test_creating_users_and_changing_their_settings_is_audited(records: Records, team: Team) -> None:
    records.users.set_auto_approve(user_id=team.dana.user_id, kinds=["note"], actor=team.admin)
    events = [e for e in records.audit.list(actor=team.admin, limit=1_000) if e.entity == "user"]
    created = [e for e in events if e.action is AuditAction.CREATE]
    assert {e.entity_id for e in created} == {
        team.dana.user_id,
        team.marcus.user_id,
        team.priya.user_id,
        team.admin.user_id,
    }
    assert all(e.actor_name == "system" and e.actor_id is None for e in created)
    [update] = [e for e in events if e.action is AuditAction.UPDATE]
    assert update.actor_id == team.admin.user_id
    assert update.before is not None and update.after is not None
    assert update.before["auto_approve"] == [] and update.after["auto_approve"] == ["note"]


def test_every_write_records_actor_channel_entity_and_values(records: Records, team: Team) -> None:
    api = team.dana.via(Channel.API)
    assistant = team.dana.via(Channel.ASSISTANT)
    ui = team.dana.via(Channel.UI)

    account = records.accounts.create(actor=api, data={"name": "Acme", "industry": "Retail"})
    ceo = records.stakeholders.create(actor=api, account_id=account.id, data={"name": "Robin", "stance": "sponsor"})
    ours = records.stakeholders.create(actor=api, account_id=account.id, data={"name": "Dana", "side": "supplier"})
    coverage = records.stakeholders.add_coverage(
        actor=ui,
        account_id=account.id,
        data={"team_member_id": ours.id, "stakeholder_id": ceo.id, "access": 3, "influence": 3, "support": 3},
    )
    metric = records.metrics.create(actor=api, account_id=account.id, data={"key": "nps", "name": "NPS"})
    reading = records.metrics.record_reading(
        actor=api,
        account_id=account.id,
        metric_id=metric.id,
        data={"period": "2025-Q4", "period_end": date(2025, 12, 31), "value": 31},
    )
    charter = records.charters.create_draft(
        actor=api, account_id=account.id, data={"purpose": "Grow together", "signatory_ids": [ceo.id]}
    )
    note = records.notes.create(
        actor=assistant,
        account_id=account.id,
        data={"occurred_on": date(2026, 1, 5), "author": "Dana", "body": "Sponsor happy", "mentioned_ids": [ceo.id]},
    )
    assessment = records.health.create(
        actor=ui,
        account_id=account.id,
        data={"assessed_on": date(2026, 1, 6), "overall": "strong", "assessor": "sam_leader", "zones": zone_scores()},
    )
    action = records.actions.create(actor=ui, account_id=account.id, data={"title": "Call", "owner": "Dana"})
    opportunity = records.opportunities.create(
        actor=ui, account_id=account.id, data={"name": "Renewal", "type": "renewal"}
    )

    expected = [
        ("account", account.id, api),
        ("stakeholder", ceo.id, api),
        ("stakeholder", ours.id, api),
        ("coverage", coverage.id, ui),
        ("metric", metric.id, api),
        ("metric_reading", reading.id, api),
        ("charter", charter.id, api),
        ("note", note.id, assistant),
        ("health_assessment", assessment.id, ui),
        ("action_item", action.id, ui),
        ("opportunity", opportunity.id, ui),
    ]
    events = _events(records, team)
    assert [(e.entity, e.entity_id, e.channel) for e in events] == [(n, i, a.channel) for n, i, a in expected]
    for event in events:
        assert (event.actor_id, event.actor_name, event.action) == (team.dana.user_id, "Dana Reyes", AuditAction.CREATE)
        assert event.account_id == account.id
        assert event.before is None and event.after is not None
        assert event.after["id"] == event.entity_id
        assert event.at.tzinfo is not None
    assert events[0].after == account.model_dump(mode="json")
    assert events[7].after is not None and events[7].after["mentioned_ids"] == [ceo.id]


def test_update_records_before_and_after(records: Records, team: Team, portfolio: Portfolio) -> None:
    dana = portfolio.dana
    records.accounts.update(actor=dana.owner, account_id=dana.account.id, data={"gross_profit": 4_000_000})
    records.stakeholders.update(
        actor=dana.owner.via(Channel.UI),
        account_id=dana.account.id,
        stakeholder_id=dana.skeptic.id,
        data={"stance": "supporter"},
    )
    records.notes.update(actor=dana.owner, note_id=dana.note.id, data={"body": "Corrected minutes"})
    records.actions.update(
        actor=dana.owner, account_id=dana.account.id, action_id=dana.action_id, data={"status": "in_progress"}
    )
    records.opportunities.update(
        actor=dana.owner, account_id=dana.account.id, opportunity_id=dana.opportunity_id, data={"stage": "qualified"}
    )
    records.metrics.record_reading(
        actor=dana.owner,
        account_id=dana.account.id,
        metric_id=dana.metric.id,
        data={"period": "2025-Q4", "period_end": date(2025, 12, 31), "value": 79},
    )

    updates = [e for e in _events(records, team) if e.action is AuditAction.UPDATE and e.account_id == dana.account.id]
    changed = {(e.entity, e.entity_id): e for e in updates[-6:]}
    expectations = {
        ("account", dana.account.id): ("gross_profit", 3_100_000, 4_000_000),
        ("stakeholder", dana.skeptic.id): ("stance", "skeptic", "supporter"),
        ("note", dana.note.id): ("body", dana.note.body, "Corrected minutes"),
        ("action_item", dana.action_id): ("status", "open", "in_progress"),
        ("opportunity", dana.opportunity_id): ("stage", "identified", "qualified"),
        ("metric_reading", dana.reading_id): ("value", 81, 79),
    }
    assert set(changed) == set(expectations)
    for key, (field, old, new) in expectations.items():
        event = changed[key]
        assert event.before is not None and event.after is not None
        assert (event.before[field], event.after[field]) == (old, new), key
        assert event.actor_name == "Dana Reyes"
    assert changed[("stakeholder", dana.skeptic.id)].channel is Channel.UI


def test_charter_lifecycle_is_audited_step_by_step(records: Records, team: Team, portfolio: Portfolio) -> None:
    dana = portfolio.dana
    charter_events = [e for e in _events(records, team) if e.entity == "charter" and e.account_id == dana.account.id]
    assert [e.action for e in charter_events] == [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.UPDATE]
    propose, approve = charter_events[1], charter_events[2]
    assert propose.before is not None and propose.after is not None
    assert (propose.before["status"], propose.after["status"]) == ("draft", "proposed")
    assert approve.before is not None and approve.after is not None
    assert (approve.before["status"], approve.after["status"]) == ("proposed", "signed")
    assert approve.after["signatories"][0]["approved_on"] == "2025-01-01"


def test_delete_records_the_values_that_were_removed(records: Records, team: Team, portfolio: Portfolio) -> None:
    dana = portfolio.dana
    records.notes.delete(actor=dana.owner, note_id=dana.note.id)
    records.actions.delete(actor=dana.owner, account_id=dana.account.id, action_id=dana.action_id)
    records.opportunities.delete(actor=dana.owner, account_id=dana.account.id, opportunity_id=dana.opportunity_id)
    records.stakeholders.delete(actor=dana.owner, account_id=dana.account.id, stakeholder_id=dana.our_lead.id)
    records.accounts.delete(actor=dana.owner.via(Channel.API), account_id=dana.account.id)

    deletes = [e for e in _events(records, team) if e.action is AuditAction.DELETE]
    assert [(e.entity, e.entity_id) for e in deletes] == [
        ("note", dana.note.id),
        ("action_item", dana.action_id),
        ("opportunity", dana.opportunity_id),
        ("stakeholder", dana.our_lead.id),
        ("account", dana.account.id),
    ]
    assert all(e.after is None and e.before is not None and e.actor_id == team.dana.user_id for e in deletes)
    assert deletes[0].before == dana.note.model_dump(mode="json")
    assert deletes[-1].before is not None and deletes[-1].before["name"] == "Northwind Facilities"
    assert deletes[-1].channel is Channel.API


def test_a_failed_write_leaves_no_audit_event(records: Records, portfolio: Portfolio, engine: Engine) -> None:
    dana = portfolio.dana
    before = table_counts(engine)["audit_events"]
    with pytest.raises(InvalidInput):
        records.notes.create(
            actor=dana.owner,
            account_id=dana.account.id,
            data={"occurred_on": date(2026, 1, 1), "author": "Dana", "body": "x", "mentioned_ids": [999_999]},
        )
    with pytest.raises(InvalidInput):
        records.accounts.update(actor=dana.owner, account_id=dana.account.id, data={"contract_end": date(2020, 1, 1)})
    with pytest.raises(NotFound):
        records.accounts.delete(actor=dana.owner, account_id=portfolio.marcus.account.id)
    assert table_counts(engine)["audit_events"] == before


def test_audit_listing_is_scoped_to_the_portfolio(records: Records, team: Team, portfolio: Portfolio) -> None:
    dana_account, marcus_account = portfolio.dana.account.id, portfolio.marcus.account.id

    def accounts_seen(actor_events: list[AuditEventOut]) -> set[int | None]:
        return {e.account_id for e in actor_events}

    assert accounts_seen(records.audit.list(actor=team.dana, limit=1_000)) == {dana_account}
    assert accounts_seen(records.audit.list(actor=team.marcus, limit=1_000)) == {marcus_account}
    assert accounts_seen(records.audit.list(actor=team.priya, limit=1_000)) == {dana_account, marcus_account}
    # The admin also sees user administration, which belongs to no account.
    assert accounts_seen(records.audit.list(actor=team.admin, limit=1_000)) == {dana_account, marcus_account, None}
    with pytest.raises(NotFound):
        records.audit.list(actor=team.dana, account_id=marcus_account)

    notes = records.audit.list(actor=team.dana, account_id=dana_account, entity="note")
    assert [(e.entity, e.entity_id) for e in notes] == [("note", portfolio.dana.note.id)]
    one = records.audit.list(actor=team.dana, entity="stakeholder", entity_id=portfolio.dana.sponsor.id)
    assert [e.action for e in one] == [AuditAction.CREATE]
    assert len(records.audit.list(actor=team.dana, limit=3)) == 3


def test_the_trail_outlives_a_deleted_account(records: Records, team: Team, portfolio: Portfolio) -> None:
    dana_account = portfolio.dana.account.id
    records.accounts.delete(actor=team.dana, account_id=dana_account)
    kept = [e for e in records.audit.list(actor=team.admin, limit=1_000) if e.account_id == dana_account]
    assert kept[0].action is AuditAction.DELETE and kept[0].entity == "account"
    assert any(e.entity == "note" and e.action is AuditAction.CREATE for e in kept)
    # Once the account is gone it is no longer in Dana's portfolio, so her scoped view no longer shows it.
    assert records.audit.list(actor=team.dana) == []
