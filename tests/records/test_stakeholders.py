"""Stakeholders on both sides, stance history, replacement of leavers, and relationship coverage."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from assistant.records import Records
from assistant.records.enums import DecisionRole, Side, Stance
from assistant.records.errors import Conflict, InvalidInput, NotFound
from assistant.records.schemas import AccountOut, CoverageOut, StakeholderOut, StanceChangeOut
from tests.conftest import Team
from tests.records.conftest import Portfolio, refused_without_change


@pytest.fixture
def account(records: Records, team: Team) -> AccountOut:
    return records.accounts.create(actor=team.dana, data={"name": "Northwind Facilities", "industry": "FM"})


def test_stakeholders_on_both_sides_round_trip(records: Records, team: Team, account: AccountOut) -> None:
    ours = records.stakeholders.create(
        actor=team.dana,
        account_id=account.id,
        data={"name": "Dana Reyes", "side": "supplier", "title": "Account lead", "email": "Dana@Beacon.example"},
    )
    client = records.stakeholders.create(
        actor=team.dana,
        account_id=account.id,
        data={
            "name": "Alex Kim",
            "title": "VP Real Estate",
            "department": "Workplace",
            "decision_role": "decision_maker",
            "power": 5,
            "interest": 4,
            "stance": "supporter",
            "last_contact_on": date(2026, 1, 10),
            "owner_id": ours.id,
        },
    )
    assert isinstance(client, StakeholderOut)
    assert (ours.side, ours.email) == (Side.SUPPLIER, "dana@beacon.example")
    assert (client.side, client.decision_role, client.stance) == (
        Side.CLIENT,
        DecisionRole.DECISION_MAKER,
        Stance.SUPPORTER,
    )
    assert (client.owner_id, client.owner_name, client.is_active) == (ours.id, "Dana Reyes", True)
    assert records.stakeholders.get(actor=team.dana, account_id=account.id, stakeholder_id=client.id) == client

    assert [s.name for s in records.stakeholders.list(actor=team.dana, account_id=account.id)] == [
        "Alex Kim",
        "Dana Reyes",
    ]
    assert [s.id for s in records.stakeholders.list(actor=team.dana, account_id=account.id, side=Side.SUPPLIER)] == [
        ours.id
    ]

    updated = records.stakeholders.update(
        actor=team.dana, account_id=account.id, stakeholder_id=client.id, data={"power": 3, "title": "COO"}
    )
    assert (updated.power, updated.title, updated.interest) == (3, "COO", 4)

    records.stakeholders.delete(actor=team.dana, account_id=account.id, stakeholder_id=client.id)
    with pytest.raises(NotFound):
        records.stakeholders.get(actor=team.dana, account_id=account.id, stakeholder_id=client.id)
    assert [s.id for s in records.stakeholders.list(actor=team.dana, account_id=account.id)] == [ours.id]


def test_relationship_owner_must_be_on_our_side_of_the_same_account(
    records: Records, team: Team, account: AccountOut, engine: Engine
) -> None:
    client = records.stakeholders.create(actor=team.dana, account_id=account.id, data={"name": "Alex Kim"})
    with refused_without_change(engine, InvalidInput, "owner_id"):
        records.stakeholders.create(
            actor=team.dana, account_id=account.id, data={"name": "Sam Lee", "owner_id": client.id}
        )
    with refused_without_change(engine, InvalidInput, "owner_id"):
        records.stakeholders.update(
            actor=team.dana, account_id=account.id, stakeholder_id=client.id, data={"owner_id": client.id}
        )


def test_stance_changes_are_recorded_with_their_dates(records: Records, team: Team, account: AccountOut) -> None:
    cfo = records.stakeholders.create(
        actor=team.dana,
        account_id=account.id,
        data={"name": "Morgan Hale", "stance": "neutral", "joined_on": date(2023, 3, 1)},
    )
    records.stakeholders.update(
        actor=team.dana,
        account_id=account.id,
        stakeholder_id=cfo.id,
        data={"stance": "supporter"},
        effective_on=date(2024, 5, 1),
    )
    # Sending the same stance again is not a change and must not add history.
    records.stakeholders.update(
        actor=team.dana,
        account_id=account.id,
        stakeholder_id=cfo.id,
        data={"stance": "supporter", "power": 4},
        effective_on=date(2024, 6, 1),
    )
    records.stakeholders.update(
        actor=team.dana,
        account_id=account.id,
        stakeholder_id=cfo.id,
        data={"stance": "detractor"},
        effective_on=date(2025, 11, 1),
    )
    history = records.stakeholders.stance_history(actor=team.dana, account_id=account.id, stakeholder_id=cfo.id)
    assert history == [
        StanceChangeOut(stakeholder_id=cfo.id, stance=Stance.NEUTRAL, effective_on=date(2023, 3, 1)),
        StanceChangeOut(stakeholder_id=cfo.id, stance=Stance.SUPPORTER, effective_on=date(2024, 5, 1)),
        StanceChangeOut(stakeholder_id=cfo.id, stance=Stance.DETRACTOR, effective_on=date(2025, 11, 1)),
    ]


def test_who_was_our_sponsor_last_year(records: Records, team: Team, account: AccountOut) -> None:
    ceo = records.stakeholders.create(
        actor=team.dana,
        account_id=account.id,
        data={"name": "Robin Ortiz", "title": "CEO", "stance": "sponsor", "joined_on": date(2019, 1, 1)},
    )
    coo = records.stakeholders.create(
        actor=team.dana,
        account_id=account.id,
        data={"name": "Jamie Fox", "title": "COO", "stance": "neutral", "joined_on": date(2022, 1, 1)},
    )
    records.stakeholders.update(
        actor=team.dana,
        account_id=account.id,
        stakeholder_id=ceo.id,
        data={"stance": "neutral"},
        effective_on=date(2025, 9, 1),
    )
    records.stakeholders.update(
        actor=team.dana,
        account_id=account.id,
        stakeholder_id=coo.id,
        data={"stance": "sponsor"},
        effective_on=date(2025, 9, 1),
    )

    def sponsors_on(day: date) -> list[str]:
        found = records.stakeholders.held_stance_on(
            actor=team.dana, account_id=account.id, stance=Stance.SPONSOR, on=day
        )
        return [s.name for s in found]

    assert sponsors_on(date(2024, 12, 31)) == ["Robin Ortiz"]
    assert sponsors_on(date(2025, 8, 31)) == ["Robin Ortiz"]
    assert sponsors_on(date(2025, 9, 1)) == ["Jamie Fox"]
    assert sponsors_on(date(2018, 6, 1)) == []


def test_replace_keeps_the_leaver_linked_to_the_successor(records: Records, team: Team, account: AccountOut) -> None:
    ceo = records.stakeholders.create(
        actor=team.dana,
        account_id=account.id,
        data={"name": "Robin Ortiz", "title": "CEO", "stance": "sponsor", "power": 5, "joined_on": date(2019, 1, 1)},
    )
    successor = records.stakeholders.replace(
        actor=team.dana,
        account_id=account.id,
        stakeholder_id=ceo.id,
        successor={
            "name": "Taylor Grant",
            "title": "CEO",
            "stance": "neutral",
            "power": 5,
            "joined_on": date(2025, 7, 1),
        },
        left_on=date(2025, 6, 30),
    )
    leaver = records.stakeholders.get(actor=team.dana, account_id=account.id, stakeholder_id=ceo.id)
    assert (leaver.is_active, leaver.left_on, leaver.replaced_by_id) == (False, date(2025, 6, 30), successor.id)
    assert (successor.is_active, successor.title) == (True, "CEO")

    active = records.stakeholders.list(actor=team.dana, account_id=account.id)
    everyone = records.stakeholders.list(actor=team.dana, account_id=account.id, include_inactive=True)
    assert [s.name for s in active] == ["Taylor Grant"]
    assert {s.name for s in everyone} == {"Robin Ortiz", "Taylor Grant"}

    last_year = records.stakeholders.held_stance_on(
        actor=team.dana, account_id=account.id, stance=Stance.SPONSOR, on=date(2025, 1, 1)
    )
    assert [s.name for s in last_year] == ["Robin Ortiz"]
    now = records.stakeholders.held_stance_on(
        actor=team.dana, account_id=account.id, stance=Stance.SPONSOR, on=date(2025, 8, 1)
    )
    assert now == []


def test_replace_refuses_a_leaving_date_before_joining(
    records: Records, team: Team, account: AccountOut, engine: Engine
) -> None:
    ceo = records.stakeholders.create(
        actor=team.dana, account_id=account.id, data={"name": "Robin Ortiz", "joined_on": date(2019, 1, 1)}
    )
    with refused_without_change(engine, InvalidInput, "left_on"):
        records.stakeholders.replace(
            actor=team.dana,
            account_id=account.id,
            stakeholder_id=ceo.id,
            successor={"name": "Taylor Grant"},
            left_on=date(2018, 12, 31),
        )


def test_setting_left_on_marks_a_stakeholder_inactive(records: Records, team: Team, account: AccountOut) -> None:
    person = records.stakeholders.create(actor=team.dana, account_id=account.id, data={"name": "Robin Ortiz"})
    left = records.stakeholders.update(
        actor=team.dana, account_id=account.id, stakeholder_id=person.id, data={"left_on": date(2025, 3, 1)}
    )
    assert (left.is_active, left.left_on) == (False, date(2025, 3, 1))


def test_coverage_maps_our_team_members_to_client_stakeholders(
    records: Records, team: Team, account: AccountOut
) -> None:
    dana = records.stakeholders.create(
        actor=team.dana, account_id=account.id, data={"name": "Dana", "side": "supplier"}
    )
    sam = records.stakeholders.create(actor=team.dana, account_id=account.id, data={"name": "Sam", "side": "supplier"})
    ceo = records.stakeholders.create(actor=team.dana, account_id=account.id, data={"name": "Robin Ortiz"})
    cfo = records.stakeholders.create(actor=team.dana, account_id=account.id, data={"name": "Morgan Hale"})

    def cover(member: StakeholderOut, client: StakeholderOut, **extra: object) -> CoverageOut:
        data = {"team_member_id": member.id, "stakeholder_id": client.id, "access": 4, "influence": 3, "support": 2}
        return records.stakeholders.add_coverage(actor=team.dana, account_id=account.id, data=data | extra)

    first = cover(dana, ceo, started_on=date(2024, 1, 1))
    assert isinstance(first, CoverageOut)
    assert (first.team_member_name, first.stakeholder_name, first.access, first.influence, first.support) == (
        "Dana",
        "Robin Ortiz",
        4,
        3,
        2,
    )
    cover(sam, ceo, access=2)
    cover(dana, cfo, started_on=date(2023, 1, 1), ended_on=date(2024, 12, 31))

    current = records.stakeholders.list_coverage(actor=team.dana, account_id=account.id)
    assert {(c.team_member_name, c.stakeholder_name, c.access) for c in current} == {
        ("Dana", "Robin Ortiz", 4),
        ("Sam", "Robin Ortiz", 2),
    }
    everything = records.stakeholders.list_coverage(actor=team.dana, account_id=account.id, current_only=False)
    assert len(everything) == 3


def test_coverage_refuses_the_wrong_sides_and_bad_dates(
    records: Records, team: Team, account: AccountOut, engine: Engine
) -> None:
    ours = records.stakeholders.create(
        actor=team.dana, account_id=account.id, data={"name": "Dana", "side": "supplier"}
    )
    client = records.stakeholders.create(actor=team.dana, account_id=account.id, data={"name": "Robin Ortiz"})
    base = {"access": 3, "influence": 3, "support": 3}
    with refused_without_change(engine, InvalidInput, "team_member_id"):
        records.stakeholders.add_coverage(
            actor=team.dana,
            account_id=account.id,
            data=base | {"team_member_id": client.id, "stakeholder_id": client.id},
        )
    with refused_without_change(engine, InvalidInput, "stakeholder_id"):
        records.stakeholders.add_coverage(
            actor=team.dana, account_id=account.id, data=base | {"team_member_id": ours.id, "stakeholder_id": ours.id}
        )
    with refused_without_change(engine, InvalidInput, "ended_on"):
        records.stakeholders.add_coverage(
            actor=team.dana,
            account_id=account.id,
            data=base
            | {
                "team_member_id": ours.id,
                "stakeholder_id": client.id,
                "started_on": date(2025, 1, 1),
                "ended_on": date(2024, 1, 1),
            },
        )
    with refused_without_change(engine, InvalidInput, "support"):
        records.stakeholders.add_coverage(
            actor=team.dana,
            account_id=account.id,
            data=base | {"team_member_id": ours.id, "stakeholder_id": client.id, "support": 6},
        )


def test_a_charter_signatory_cannot_be_deleted(records: Records, portfolio: Portfolio, engine: Engine) -> None:
    """Charters keep their signatories; the refusal says what to do instead of quoting a database error."""
    dana = portfolio.dana
    with refused_without_change(engine, Conflict, "stakeholder_id") as caught:
        records.stakeholders.delete(actor=dana.owner, account_id=dana.account.id, stakeholder_id=dana.sponsor.id)
    assert "signatory of charter version 1" in str(caught.value)
    assert "left" in str(caught.value)


def test_duplicate_external_id_on_one_account_is_a_conflict(
    records: Records, team: Team, account: AccountOut, engine: Engine
) -> None:
    records.stakeholders.create(actor=team.dana, account_id=account.id, data={"name": "Robin", "external_id": "C-1"})
    with refused_without_change(engine, Conflict, "external_id"):
        records.stakeholders.create(actor=team.dana, account_id=account.id, data={"name": "Rob", "external_id": "C-1"})
