"""Bad input is refused with an error naming the field, and the database is left exactly as it was.

Each case runs against a populated portfolio, so "unchanged" covers every table and the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine

from assistant.records import Records
from assistant.records.errors import Conflict, InvalidInput
from tests.records.conftest import AccountFixture, Portfolio, refused_without_change, zone_scores

Call = Callable[[Records, AccountFixture, AccountFixture], Any]


@dataclass(frozen=True)
class Case:
    name: str
    call: Call
    field: str
    error: type[InvalidInput | Conflict] = InvalidInput


def _account(**fields: Any) -> dict[str, Any]:
    return {"name": "Initech", "industry": "Software"} | fields


def _note(**fields: Any) -> dict[str, Any]:
    return {"occurred_on": date(2026, 1, 2), "author": "Dana", "body": "Met the CFO"} | fields


def _assessment(**fields: Any) -> dict[str, Any]:
    return {
        "assessed_on": date(2026, 1, 2),
        "overall": "strong",
        "assessor": "sam_leader",
        "zones": zone_scores(),
    } | fields


def _reading(**fields: Any) -> dict[str, Any]:
    return {"period": "2026-Q1", "period_end": date(2026, 3, 31), "value": 80} | fields


# `mine` is Dana's Northwind account (she acts), `theirs` Marcus's Globex account.
CASES = [
    Case(
        "negative revenue",
        lambda r, mine, theirs: r.accounts.create(actor=mine.owner, data=_account(annual_revenue=-1)),
        "annual_revenue",
    ),
    Case(
        "negative revenue on update",
        lambda r, mine, theirs: r.accounts.update(
            actor=mine.owner, account_id=mine.account.id, data={"annual_revenue": -5}
        ),
        "annual_revenue",
    ),
    Case(
        "contract end before start",
        lambda r, mine, theirs: r.accounts.create(
            actor=mine.owner, data=_account(contract_start=date(2026, 1, 1), contract_end=date(2025, 12, 31))
        ),
        "contract_end",
    ),
    Case(
        "contract end moved before the stored start",
        lambda r, mine, theirs: r.accounts.update(
            actor=mine.owner, account_id=mine.account.id, data={"contract_end": date(2023, 12, 31)}
        ),
        "contract_end",
    ),
    Case(
        "contract start moved after the stored end",
        lambda r, mine, theirs: r.accounts.update(
            actor=mine.owner, account_id=mine.account.id, data={"contract_start": date(2028, 1, 1)}
        ),
        "contract_end",
    ),
    Case("tier 4", lambda r, mine, theirs: r.accounts.create(actor=mine.owner, data=_account(tier=4)), "tier"),
    Case(
        "growth potential 0",
        lambda r, mine, theirs: r.accounts.create(actor=mine.owner, data=_account(growth_potential=0)),
        "growth_potential",
    ),
    Case(
        "blank account name",
        lambda r, mine, theirs: r.accounts.create(actor=mine.owner, data=_account(name="   ")),
        "name",
    ),
    Case(
        "account name removed on update",
        lambda r, mine, theirs: r.accounts.update(actor=mine.owner, account_id=mine.account.id, data={"name": None}),
        "name",
    ),
    Case(
        "duplicate account name, other case",
        lambda r, mine, theirs: r.accounts.create(actor=mine.owner, data=_account(name="NORTHWIND facilities")),
        "name",
        Conflict,
    ),
    Case(
        "duplicate account name of an account outside the portfolio",
        lambda r, mine, theirs: r.accounts.create(actor=mine.owner, data=_account(name="globex logistics")),
        "name",
        Conflict,
    ),
    Case(
        "rename onto an existing account",
        lambda r, mine, theirs: r.accounts.update(
            actor=mine.owner, account_id=mine.account.id, data={"name": "Globex LOGISTICS"}
        ),
        "name",
        Conflict,
    ),
    Case(
        "extra unknown field",
        lambda r, mine, theirs: r.accounts.create(actor=mine.owner, data=_account(nickname="NW")),
        "nickname",
    ),
    Case(
        "revenue as text",
        lambda r, mine, theirs: r.accounts.create(actor=mine.owner, data=_account(annual_revenue="lots")),
        "annual_revenue",
    ),
    Case(
        "power 9",
        lambda r, mine, theirs: r.stakeholders.create(
            actor=mine.owner, account_id=mine.account.id, data={"name": "Ann", "power": 9}
        ),
        "power",
    ),
    Case(
        "interest 0",
        lambda r, mine, theirs: r.stakeholders.create(
            actor=mine.owner, account_id=mine.account.id, data={"name": "Ann", "interest": 0}
        ),
        "interest",
    ),
    Case(
        "power 9 on update",
        lambda r, mine, theirs: r.stakeholders.update(
            actor=mine.owner, account_id=mine.account.id, stakeholder_id=mine.sponsor.id, data={"power": 9}
        ),
        "power",
    ),
    Case(
        "unknown stance fan",
        lambda r, mine, theirs: r.stakeholders.create(
            actor=mine.owner, account_id=mine.account.id, data={"name": "Ann", "stance": "fan"}
        ),
        "stance",
    ),
    Case(
        "unknown stance fan on update",
        lambda r, mine, theirs: r.stakeholders.update(
            actor=mine.owner, account_id=mine.account.id, stakeholder_id=mine.skeptic.id, data={"stance": "fan"}
        ),
        "stance",
    ),
    Case(
        "unknown side",
        lambda r, mine, theirs: r.stakeholders.create(
            actor=mine.owner, account_id=mine.account.id, data={"name": "Ann", "side": "partner"}
        ),
        "side",
    ),
    Case(
        "unknown decision role",
        lambda r, mine, theirs: r.stakeholders.create(
            actor=mine.owner, account_id=mine.account.id, data={"name": "Ann", "decision_role": "boss"}
        ),
        "decision_role",
    ),
    Case(
        "malformed email",
        lambda r, mine, theirs: r.stakeholders.create(
            actor=mine.owner, account_id=mine.account.id, data={"name": "Ann", "email": "ann-at-acme"}
        ),
        "email",
    ),
    Case(
        "left before joining",
        lambda r, mine, theirs: r.stakeholders.create(
            actor=mine.owner,
            account_id=mine.account.id,
            data={"name": "Ann", "joined_on": date(2025, 1, 1), "left_on": date(2024, 1, 1)},
        ),
        "left_on",
    ),
    Case(
        "left before the stored joining date",
        lambda r, mine, theirs: r.stakeholders.update(
            actor=mine.owner,
            account_id=mine.account.id,
            stakeholder_id=mine.sponsor.id,
            data={"left_on": date(2019, 1, 1)},
        ),
        "left_on",
    ),
    Case(
        "successor from another account",
        lambda r, mine, theirs: r.stakeholders.update(
            actor=mine.owner,
            account_id=mine.account.id,
            stakeholder_id=mine.sponsor.id,
            data={"replaced_by_id": theirs.sponsor.id},
        ),
        "replaced_by_id",
    ),
    Case(
        "coverage with a client as team member",
        lambda r, mine, theirs: r.stakeholders.add_coverage(
            actor=mine.owner,
            account_id=mine.account.id,
            data={
                "team_member_id": mine.skeptic.id,
                "stakeholder_id": mine.sponsor.id,
                "access": 3,
                "influence": 3,
                "support": 3,
            },
        ),
        "team_member_id",
    ),
    Case(
        "unknown note kind",
        lambda r, mine, theirs: r.notes.create(actor=mine.owner, account_id=mine.account.id, data=_note(kind="memo")),
        "kind",
    ),
    Case(
        "empty note body",
        lambda r, mine, theirs: r.notes.create(actor=mine.owner, account_id=mine.account.id, data=_note(body="  \n ")),
        "body",
    ),
    Case(
        "empty note body on update",
        lambda r, mine, theirs: r.notes.update(actor=mine.owner, note_id=mine.note.id, data={"body": ""}),
        "body",
    ),
    Case(
        "note without a date",
        lambda r, mine, theirs: r.notes.create(
            actor=mine.owner, account_id=mine.account.id, data={"author": "Dana", "body": "x"}
        ),
        "occurred_on",
    ),
    Case(
        "mentioned stakeholder from another account",
        lambda r, mine, theirs: r.notes.create(
            actor=mine.owner,
            account_id=mine.account.id,
            data=_note(mentioned_ids=[mine.sponsor.id, theirs.sponsor.id]),
        ),
        "mentioned_ids.1",
    ),
    Case(
        "mentioned stakeholder from another account on update",
        lambda r, mine, theirs: r.notes.update(
            actor=mine.owner, note_id=mine.note.id, data={"body": "Edited", "mentioned_ids": [theirs.skeptic.id]}
        ),
        "mentioned_ids.0",
    ),
    Case(
        "health assessment missing a zone",
        lambda r, mine, theirs: r.health.create(
            actor=mine.owner, account_id=mine.account.id, data=_assessment(zones=zone_scores()[:3])
        ),
        "zones",
    ),
    Case(
        "health assessment scoring a zone twice",
        lambda r, mine, theirs: r.health.create(
            actor=mine.owner,
            account_id=mine.account.id,
            data=_assessment(zones=[*zone_scores()[:3], zone_scores()[0]]),
        ),
        "zones",
    ),
    Case(
        "health zone score 6",
        lambda r, mine, theirs: r.health.create(
            actor=mine.owner, account_id=mine.account.id, data=_assessment(zones=zone_scores(value=6))
        ),
        "zones.0.score",
    ),
    Case(
        "unknown overall health",
        lambda r, mine, theirs: r.health.create(
            actor=mine.owner, account_id=mine.account.id, data=_assessment(overall="fine")
        ),
        "overall",
    ),
    Case(
        "evidence note of another account",
        lambda r, mine, theirs: r.health.create(
            actor=mine.owner,
            account_id=mine.account.id,
            data=_assessment(evidence=[{"kind": "note", "id": mine.note.id}, {"kind": "note", "id": theirs.note.id}]),
        ),
        "evidence",
    ),
    Case(
        "evidence stakeholder of another account",
        lambda r, mine, theirs: r.health.create(
            actor=mine.owner,
            account_id=mine.account.id,
            data=_assessment(evidence=[{"kind": "stakeholder", "id": theirs.sponsor.id}]),
        ),
        "evidence",
    ),
    Case(
        "reading period 2026-Q5",
        lambda r, mine, theirs: r.metrics.record_reading(
            actor=mine.owner, account_id=mine.account.id, metric_id=mine.metric.id, data=_reading(period="2026-Q5")
        ),
        "period",
    ),
    Case(
        "reading value not a number",
        lambda r, mine, theirs: r.metrics.record_reading(
            actor=mine.owner, account_id=mine.account.id, metric_id=mine.metric.id, data=_reading(value=float("nan"))
        ),
        "value",
    ),
    Case(
        "metric key with spaces",
        lambda r, mine, theirs: r.metrics.create(
            actor=mine.owner, account_id=mine.account.id, data={"key": "on time rate", "name": "On-time rate"}
        ),
        "key",
    ),
    Case(
        "duplicate metric key",
        lambda r, mine, theirs: r.metrics.create(
            actor=mine.owner, account_id=mine.account.id, data={"key": "tenant_satisfaction", "name": "Again"}
        ),
        "key",
        Conflict,
    ),
    Case(
        "charter review more than a year out",
        lambda r, mine, theirs: r.charters.create_draft(
            actor=mine.owner,
            account_id=mine.account.id,
            data={"effective_on": date(2026, 1, 1), "next_review_due": date(2027, 6, 1)},
        ),
        "next_review_due",
    ),
    Case(
        "unknown commitment party",
        lambda r, mine, theirs: r.charters.create_draft(
            actor=mine.owner,
            account_id=mine.account.id,
            data={"commitments": [{"party": "both", "text": "Be nice"}]},
        ),
        "commitments.0.party",
    ),
    Case(
        "negative opportunity value",
        lambda r, mine, theirs: r.opportunities.create(
            actor=mine.owner,
            account_id=mine.account.id,
            data={"name": "Upsell", "type": "cross_sell", "estimated_value": -10},
        ),
        "estimated_value",
    ),
    Case(
        "unknown opportunity type",
        lambda r, mine, theirs: r.opportunities.create(
            actor=mine.owner, account_id=mine.account.id, data={"name": "Upsell", "type": "upsell"}
        ),
        "type",
    ),
    Case(
        "opportunity stakeholder from another account",
        lambda r, mine, theirs: r.opportunities.update(
            actor=mine.owner,
            account_id=mine.account.id,
            opportunity_id=mine.opportunity_id,
            data={"stage": "won", "stakeholder_ids": [mine.sponsor.id, theirs.sponsor.id]},
        ),
        "stakeholder_ids.1",
    ),
    Case(
        "unknown action status",
        lambda r, mine, theirs: r.actions.update(
            actor=mine.owner, account_id=mine.account.id, action_id=mine.action_id, data={"status": "someday"}
        ),
        "status",
    ),
    Case(
        "action without an owner",
        lambda r, mine, theirs: r.actions.create(actor=mine.owner, account_id=mine.account.id, data={"title": "Call"}),
        "owner",
    ),
]


def test_bad_input_is_refused_naming_the_field_and_changes_nothing(
    records: Records, portfolio: Portfolio, engine: Engine
) -> None:
    """One portfolio serves every case (each must leave it untouched); all failures are reported together."""
    problems = []
    for case in CASES:
        try:
            with refused_without_change(engine, case.error, case.field):
                case.call(records, portfolio.dana, portfolio.marcus)
        except (Exception, pytest.fail.Exception) as exc:
            problems.append(f"{case.name}: {type(exc).__name__}: {exc}")
    assert problems == []


def test_every_bad_field_is_reported_at_once(records: Records, portfolio: Portfolio, engine: Engine) -> None:
    data = {"name": "Ann", "power": 9, "interest": 0, "stance": "fan", "side": "partner"}
    with refused_without_change(engine, InvalidInput, "power") as caught:
        records.stakeholders.create(actor=portfolio.dana.owner, account_id=portfolio.dana.account.id, data=data)
    assert sorted(e.field for e in caught.value.errors) == ["interest", "power", "side", "stance"]
