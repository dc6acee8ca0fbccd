"""Fixtures for the records tests: a populated two-leader portfolio and a whole-database snapshot.

Every records test runs once per backend through the `db_url` fixture of `tests/conftest.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select

from assistant.records import Records
from assistant.records.actor import Actor
from assistant.records.enums import Side, Zone
from assistant.records.errors import Conflict, InvalidInput
from assistant.records.schemas import AccountOut, CharterOut, MetricOut, NoteOut, StakeholderOut
from assistant.tables import metadata
from tests.conftest import Team

# Fixed dates keep the tests independent of the day they run on.
JAN_2026 = date(2026, 1, 15)


def zone_scores(value: int = 4, alignment: int = 4, relationships: int = 3, growth: int = 2) -> list[dict[str, Any]]:
    scores = {Zone.VALUE: value, Zone.ALIGNMENT: alignment, Zone.RELATIONSHIPS: relationships, Zone.GROWTH: growth}
    return [
        {"zone": zone, "score": score, "rationale": f"{zone.value} scored {score}"} for zone, score in scores.items()
    ]


def database_snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (audit events included), ordered by primary key: stronger than row counts."""
    with engine.connect() as conn:
        return {
            table.name: [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key.columns)).all()]
            for table in metadata.sorted_tables
        }


def table_counts(engine: Engine) -> dict[str, int]:
    return {name: len(rows) for name, rows in database_snapshot(engine).items()}


def error_fields(error: InvalidInput | Conflict) -> list[str]:
    if isinstance(error, InvalidInput):
        return [e.field for e in error.errors]
    return [error.field]


@contextmanager
def refused_without_change(
    engine: Engine, error: type[InvalidInput | Conflict], field: str
) -> Iterator[pytest.ExceptionInfo[InvalidInput | Conflict]]:
    """The block must raise `error` naming `field`, and leave every table exactly as it was."""
    before = database_snapshot(engine)
    with pytest.raises(error) as caught:
        yield caught
    assert field in error_fields(caught.value), f"{field!r} not named in {caught.value}"
    assert field in str(caught.value)
    assert database_snapshot(engine) == before


@dataclass(frozen=True)
class AccountFixture:
    """One account with something of every kind on it."""

    owner: Actor
    account: AccountOut
    sponsor: StakeholderOut
    skeptic: StakeholderOut
    our_lead: StakeholderOut
    metric: MetricOut
    reading_id: int
    charter: CharterOut
    note: NoteOut
    assessment_id: int
    action_id: int
    opportunity_id: int
    coverage_id: int


@dataclass(frozen=True)
class Portfolio:
    dana: AccountFixture
    marcus: AccountFixture


def build_account(records: Records, owner: Actor, name: str) -> AccountFixture:
    account = records.accounts.create(
        actor=owner,
        data={
            "name": name,
            "industry": "Facilities management",
            "annual_revenue": 12_000_000,
            "gross_profit": 3_100_000,
            "contract_start": date(2024, 1, 1),
            "contract_end": date(2027, 12, 31),
        },
    )
    add = records.stakeholders.create
    sponsor = add(
        actor=owner,
        account_id=account.id,
        data={"name": f"{name} CEO", "title": "CEO", "stance": "sponsor", "power": 5, "joined_on": date(2020, 1, 1)},
    )
    skeptic = add(
        actor=owner,
        account_id=account.id,
        data={"name": f"{name} CFO", "title": "CFO", "stance": "skeptic", "power": 4, "joined_on": date(2021, 1, 1)},
    )
    our_lead = add(
        actor=owner,
        account_id=account.id,
        data={"name": f"{owner.name} (ours)", "side": Side.SUPPLIER, "title": "Account lead"},
    )
    coverage = records.stakeholders.add_coverage(
        actor=owner,
        account_id=account.id,
        data={"team_member_id": our_lead.id, "stakeholder_id": sponsor.id, "access": 4, "influence": 3, "support": 5},
    )
    metric = records.metrics.create(
        actor=owner, account_id=account.id, data={"key": "tenant_satisfaction", "name": "Tenant satisfaction"}
    )
    reading = records.metrics.record_reading(
        actor=owner,
        account_id=account.id,
        metric_id=metric.id,
        data={"period": "2025-Q4", "period_end": date(2025, 12, 31), "value": 81, "source": "survey"},
    )
    records.charters.create_draft(
        actor=owner,
        account_id=account.id,
        data={
            "purpose": "Run every building as if it were our own",
            "targets": [{"metric_key": "tenant_satisfaction", "target": 85}],
            "signatory_ids": [sponsor.id],
            "effective_on": date(2025, 1, 1),
        },
    )
    records.charters.propose(actor=owner, account_id=account.id, version=1)
    charter = records.charters.approve(
        actor=owner, account_id=account.id, version=1, signatory_id=sponsor.id, approved_on=date(2025, 1, 1)
    )
    note = records.notes.create(
        actor=owner,
        account_id=account.id,
        data={
            "occurred_on": JAN_2026,
            "author": owner.name,
            "kind": "meeting",
            "body": "Quarterly review: the CFO questioned the valet pricing.",
            "mentioned_ids": [skeptic.id],
        },
    )
    assessment = records.health.create(
        actor=owner,
        account_id=account.id,
        data={
            "assessed_on": JAN_2026,
            "overall": "vulnerable",
            "assessor": "sam_leader",
            "zones": zone_scores(),
            "evidence": [{"kind": "note", "id": note.id}],
        },
    )
    action = records.actions.create(
        actor=owner, account_id=account.id, data={"title": "Meet the CFO", "owner": owner.name}
    )
    opportunity = records.opportunities.create(
        actor=owner,
        account_id=account.id,
        data={"name": "EV charging", "type": "innovation", "estimated_value": 250_000, "stakeholder_ids": [sponsor.id]},
    )
    return AccountFixture(
        owner=owner,
        account=account,
        sponsor=sponsor,
        skeptic=skeptic,
        our_lead=our_lead,
        metric=metric,
        reading_id=reading.id,
        charter=charter,
        note=note,
        assessment_id=assessment.id,
        action_id=action.id,
        opportunity_id=opportunity.id,
        coverage_id=coverage.id,
    )


@pytest.fixture
def portfolio(records: Records, team: Team) -> Portfolio:
    """Dana owns Northwind, Marcus owns Globex; both report to Priya."""
    return Portfolio(
        dana=build_account(records, team.dana, "Northwind Facilities"),
        marcus=build_account(records, team.marcus, "Globex Logistics"),
    )
