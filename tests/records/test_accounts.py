"""Accounts and users through their services: what goes in comes back out, as pydantic models."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import BaseModel
from sqlalchemy import Engine

from assistant.records import Records
from assistant.records.enums import Channel, HealthStatus, Role
from assistant.records.errors import Conflict, InvalidInput, NotFound
from assistant.records.models import Base
from assistant.records.schemas import AccountOut, AccountSummary, UserOut
from tests.conftest import Team
from tests.records.conftest import Portfolio, table_counts, zone_scores


def _is_plain_model(value: object) -> bool:
    return isinstance(value, BaseModel) and not isinstance(value, Base)


def test_account_round_trip_create_get_list_update_delete(records: Records, team: Team) -> None:
    created = records.accounts.create(
        actor=team.dana,
        data={
            "name": "Northwind Facilities",
            "industry": "Facilities management",
            "segment": "Enterprise",
            "tier": 1,
            "annual_revenue": 12_500_000,
            "gross_profit": 3_200_000,
            "growth_potential": 5,
            "willingness_to_partner": 4,
            "global_reach": 2,
            "best_practice_sharing": 5,
            "mutual_agreement": True,
            "contract_start": date(2024, 1, 1),
            "contract_end": date(2027, 6, 30),
            "executive_sponsor": "Priya Nair",
        },
    )
    assert isinstance(created, AccountOut) and _is_plain_model(created)
    assert created.owner_id == team.dana.user_id
    assert created.gross_profit == 3_200_000
    assert created.mutual_agreement is True

    assert records.accounts.get(actor=team.dana, account_id=created.id) == created

    [summary] = records.accounts.list(actor=team.dana)
    assert isinstance(summary, AccountSummary)
    assert (summary.name, summary.owner_name, summary.annual_revenue) == ("Northwind Facilities", "Dana Reyes", 12.5e6)

    updated = records.accounts.update(
        actor=team.dana, account_id=created.id, data={"gross_profit": 3_600_000, "tier": 2}
    )
    assert (updated.gross_profit, updated.tier) == (3_600_000, 2)
    assert updated.model_dump(exclude={"gross_profit", "tier"}) == created.model_dump(exclude={"gross_profit", "tier"})
    assert records.accounts.get(actor=team.dana, account_id=created.id) == updated

    records.accounts.delete(actor=team.dana, account_id=created.id)
    with pytest.raises(NotFound):
        records.accounts.get(actor=team.dana, account_id=created.id)
    assert records.accounts.list(actor=team.dana) == []


def test_update_can_clear_an_optional_field(records: Records, team: Team) -> None:
    account = records.accounts.create(
        actor=team.dana, data={"name": "Acme", "industry": "Retail", "executive_sponsor": "Jo"}
    )
    cleared = records.accounts.update(actor=team.dana, account_id=account.id, data={"executive_sponsor": None})
    assert cleared.executive_sponsor is None


def test_manager_may_assign_an_account_to_a_report(records: Records, team: Team) -> None:
    account = records.accounts.create(
        actor=team.priya, data={"name": "Acme", "industry": "Retail", "owner_id": team.marcus.user_id}
    )
    assert account.owner_id == team.marcus.user_id
    assert records.accounts.get(actor=team.marcus, account_id=account.id).id == account.id


def test_sam_leader_cannot_hand_an_account_to_a_colleague(records: Records, team: Team, engine: Engine) -> None:
    before = table_counts(engine)
    with pytest.raises(InvalidInput, match="owner_id"):
        records.accounts.create(
            actor=team.dana, data={"name": "Acme", "industry": "Retail", "owner_id": team.marcus.user_id}
        )
    account = records.accounts.create(actor=team.dana, data={"name": "Acme", "industry": "Retail"})
    with pytest.raises(InvalidInput, match="owner_id"):
        records.accounts.update(actor=team.dana, account_id=account.id, data={"owner_id": team.marcus.user_id})
    with pytest.raises(InvalidInput, match="owner_id"):
        records.accounts.update(actor=team.dana, account_id=account.id, data={"owner_id": None})
    assert records.accounts.get(actor=team.dana, account_id=account.id).owner_id == team.dana.user_id
    assert table_counts(engine)["accounts"] == before["accounts"] + 1


def test_find_resolves_a_typed_name_within_the_portfolio(records: Records, team: Team) -> None:
    northwind = records.accounts.create(actor=team.dana, data={"name": "Northwind Facilities", "industry": "FM"})
    records.accounts.create(actor=team.dana, data={"name": "Northern Rail", "industry": "Transport"})
    records.accounts.create(actor=team.marcus, data={"name": "Globex Logistics", "industry": "Logistics"})

    assert records.accounts.find(actor=team.dana, name="  NORTHWIND facilities ") == northwind
    assert records.accounts.find(actor=team.dana, name="wind") == northwind
    assert records.accounts.find(actor=team.dana, name="north") is None  # ambiguous
    assert records.accounts.find(actor=team.dana, name="globex") is None  # not hers
    assert records.accounts.find(actor=team.priya, name="globex") is not None


def test_list_filters_by_name_and_industry_and_pages(records: Records, team: Team) -> None:
    for name, industry in [("Acme", "Retail"), ("Beta", "Retail"), ("Cobalt", "Mining"), ("Delta", "Airline")]:
        records.accounts.create(actor=team.dana, data={"name": name, "industry": industry})

    assert [a.name for a in records.accounts.list(actor=team.dana)] == ["Acme", "Beta", "Cobalt", "Delta"]
    assert [a.name for a in records.accounts.list(actor=team.dana, industry="retail")] == ["Acme", "Beta"]
    assert [a.name for a in records.accounts.list(actor=team.dana, query="ob")] == ["Cobalt"]
    assert [a.name for a in records.accounts.list(actor=team.dana, limit=2, offset=1)] == ["Beta", "Cobalt"]


def test_summary_shows_our_latest_health_not_the_customers(records: Records, team: Team) -> None:
    account = records.accounts.create(actor=team.dana, data={"name": "Acme", "industry": "Retail"})
    for on, overall, assessor in [
        (date(2025, 6, 1), "strong", "sam_leader"),
        (date(2025, 9, 1), "vulnerable", "sam_leader"),
        (date(2025, 10, 1), "damaged", "customer"),
    ]:
        records.health.create(
            actor=team.dana,
            account_id=account.id,
            data={"assessed_on": on, "overall": overall, "assessor": assessor, "zones": zone_scores()},
        )
    [summary] = records.accounts.list(actor=team.dana)
    assert (summary.latest_health, summary.latest_health_on) == (HealthStatus.VULNERABLE, date(2025, 9, 1))


def test_deleting_an_account_removes_all_its_records_and_spares_the_others(
    records: Records, portfolio: Portfolio, engine: Engine
) -> None:
    """Regression: on PostgreSQL the RESTRICT key from charter signatories used to block the cascade."""
    before = table_counts(engine)
    records.accounts.delete(actor=portfolio.dana.owner, account_id=portfolio.dana.account.id)
    after = table_counts(engine)

    for table, count in after.items():
        if table in ("users", "audit_events"):
            continue
        assert count == before[table] // 2, table  # Globex holds exactly half of every table
    assert after["audit_events"] == before["audit_events"] + 1
    marcus = portfolio.marcus
    assert records.charters.current(actor=marcus.owner, account_id=marcus.account.id) == marcus.charter
    assert records.notes.get(actor=marcus.owner, note_id=marcus.note.id) == marcus.note


@pytest.mark.usefixtures("team")
def test_user_create_get_list_and_email_lookup(records: Records) -> None:
    user = records.users.create(data={"name": "Lee Wong", "email": "  Lee.Wong@Beacon.example "})
    assert isinstance(user, UserOut) and _is_plain_model(user)
    assert (user.email, user.role, user.manager_id, user.auto_approve) == (
        "lee.wong@beacon.example",
        Role.SAM_LEADER,
        None,
        [],
    )
    assert records.users.get(user_id=user.id) == user
    assert records.users.get_by_email(email="LEE.WONG@beacon.example") == user
    assert records.users.find_by_email(email="nobody@beacon.example") is None
    assert [u.name for u in records.users.list()] == [
        "Priya Nair",
        "Dana Reyes",
        "Marcus Bell",
        "Sam Admin",
        "Lee Wong",
    ]
    with pytest.raises(NotFound):
        records.users.get(user_id=10_000)
    with pytest.raises(NotFound):
        records.users.get_by_email(email="nobody@beacon.example")


@pytest.mark.usefixtures("team")
def test_user_duplicate_email_is_a_conflict_whatever_the_case(records: Records) -> None:
    with pytest.raises(Conflict, match="email"):
        records.users.create(data={"name": "Dana Again", "email": "DANA@beacon.example"})
    assert len(records.users.list()) == 4


def test_user_cannot_report_to_a_sam_leader(records: Records, team: Team) -> None:
    with pytest.raises(InvalidInput, match="manager_id"):
        records.users.create(data={"name": "Lee", "email": "lee@beacon.example", "manager_id": team.dana.user_id})
    assert len(records.users.list()) == 4


def test_auto_approve_allows_low_risk_kinds_and_never_charters(records: Records, team: Team) -> None:
    updated = records.users.set_auto_approve(user_id=team.dana.user_id, kinds=["note", "action_item", "note"])
    assert updated.auto_approve == ["action_item", "note"]
    with pytest.raises(InvalidInput, match="auto_approve"):
        records.users.set_auto_approve(user_id=team.dana.user_id, kinds=["charter"])
    assert records.users.get(user_id=team.dana.user_id).auto_approve == ["action_item", "note"]


def test_actor_for_an_email_carries_role_and_channel(records: Records, team: Team) -> None:
    actor = records.users.actor(email="priya@beacon.example", channel=Channel.API)
    assert (actor.user_id, actor.name, actor.role, actor.channel) == (
        team.priya.user_id,
        "Priya Nair",
        Role.MANAGER,
        Channel.API,
    )
