"""Portfolio scoping: a SAM leader sees only their accounts, a manager their team's, an admin everything.

Outside the portfolio every answer is NotFound, exactly as for a record that does not exist, so existence
never leaks; and refused writes change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine

from assistant.records import Records
from assistant.records.actor import Actor
from assistant.records.enums import Channel, Role, Stance
from assistant.records.errors import NotFound
from assistant.records.services.users import actor_for
from tests.conftest import Team
from tests.records.conftest import AccountFixture, Portfolio, database_snapshot, zone_scores

Op = Callable[[Records, Actor, AccountFixture, AccountFixture], Any]
NOTE = {"occurred_on": date(2026, 1, 2), "author": "Dana", "body": "Peeking"}
READING = {"period": "2026-Q1", "period_end": date(2026, 3, 31), "value": 1}
ASSESSMENT = {"assessed_on": date(2026, 1, 2), "overall": "strong", "assessor": "sam_leader", "zones": zone_scores()}

# (name, operation) pairs: `theirs` is Marcus's account, `mine` is Dana's. Each must be refused for Dana.
FOREIGN_ACCOUNT_OPS: list[tuple[str, Op]] = [
    ("accounts.get", lambda r, a, t, m: r.accounts.get(actor=a, account_id=t.account.id)),
    ("accounts.update", lambda r, a, t, m: r.accounts.update(actor=a, account_id=t.account.id, data={"tier": 3})),
    ("accounts.delete", lambda r, a, t, m: r.accounts.delete(actor=a, account_id=t.account.id)),
    ("stakeholders.list", lambda r, a, t, m: r.stakeholders.list(actor=a, account_id=t.account.id)),
    (
        "stakeholders.get",
        lambda r, a, t, m: r.stakeholders.get(actor=a, account_id=t.account.id, stakeholder_id=t.sponsor.id),
    ),
    (
        "stakeholders.create",
        lambda r, a, t, m: r.stakeholders.create(actor=a, account_id=t.account.id, data={"name": "Spy"}),
    ),
    (
        "stakeholders.update",
        lambda r, a, t, m: r.stakeholders.update(
            actor=a, account_id=t.account.id, stakeholder_id=t.sponsor.id, data={"stance": "detractor"}
        ),
    ),
    (
        "stakeholders.delete",
        lambda r, a, t, m: r.stakeholders.delete(actor=a, account_id=t.account.id, stakeholder_id=t.skeptic.id),
    ),
    (
        "stakeholders.replace",
        lambda r, a, t, m: r.stakeholders.replace(
            actor=a,
            account_id=t.account.id,
            stakeholder_id=t.sponsor.id,
            successor={"name": "X"},
            left_on=date(2026, 1, 1),
        ),
    ),
    (
        "stakeholders.held_stance_on",
        lambda r, a, t, m: r.stakeholders.held_stance_on(
            actor=a, account_id=t.account.id, stance=Stance.SPONSOR, on=date(2025, 1, 1)
        ),
    ),
    (
        "stakeholders.stance_history",
        lambda r, a, t, m: r.stakeholders.stance_history(actor=a, account_id=t.account.id, stakeholder_id=t.sponsor.id),
    ),
    ("stakeholders.list_coverage", lambda r, a, t, m: r.stakeholders.list_coverage(actor=a, account_id=t.account.id)),
    (
        "stakeholders.add_coverage",
        lambda r, a, t, m: r.stakeholders.add_coverage(
            actor=a,
            account_id=t.account.id,
            data={
                "team_member_id": t.our_lead.id,
                "stakeholder_id": t.skeptic.id,
                "access": 1,
                "influence": 1,
                "support": 1,
            },
        ),
    ),
    ("notes.list", lambda r, a, t, m: r.notes.list(actor=a, account_id=t.account.id)),
    ("notes.count", lambda r, a, t, m: r.notes.count(actor=a, account_id=t.account.id)),
    ("notes.get", lambda r, a, t, m: r.notes.get(actor=a, note_id=t.note.id)),
    ("notes.create", lambda r, a, t, m: r.notes.create(actor=a, account_id=t.account.id, data=NOTE)),
    ("notes.update", lambda r, a, t, m: r.notes.update(actor=a, note_id=t.note.id, data={"body": "mine now"})),
    ("notes.delete", lambda r, a, t, m: r.notes.delete(actor=a, note_id=t.note.id)),
    ("charters.list_versions", lambda r, a, t, m: r.charters.list_versions(actor=a, account_id=t.account.id)),
    ("charters.get_version", lambda r, a, t, m: r.charters.get_version(actor=a, account_id=t.account.id, version=1)),
    ("charters.current", lambda r, a, t, m: r.charters.current(actor=a, account_id=t.account.id)),
    ("charters.open_draft", lambda r, a, t, m: r.charters.open_draft(actor=a, account_id=t.account.id)),
    (
        "charters.create_draft",
        lambda r, a, t, m: r.charters.create_draft(actor=a, account_id=t.account.id, data={"purpose": "ours"}),
    ),
    (
        "charters.update_draft",
        lambda r, a, t, m: r.charters.update_draft(actor=a, account_id=t.account.id, version=1, data={"purpose": "x"}),
    ),
    ("charters.propose", lambda r, a, t, m: r.charters.propose(actor=a, account_id=t.account.id, version=1)),
    (
        "charters.approve",
        lambda r, a, t, m: r.charters.approve(actor=a, account_id=t.account.id, version=1, signatory_id=t.sponsor.id),
    ),
    (
        "charters.diff",
        lambda r, a, t, m: r.charters.diff(actor=a, account_id=t.account.id, from_version=1, to_version=1),
    ),
    ("metrics.list", lambda r, a, t, m: r.metrics.list(actor=a, account_id=t.account.id)),
    (
        "metrics.create",
        lambda r, a, t, m: r.metrics.create(actor=a, account_id=t.account.id, data={"key": "spy", "name": "Spy"}),
    ),
    (
        "metrics.record_reading",
        lambda r, a, t, m: r.metrics.record_reading(
            actor=a, account_id=t.account.id, metric_id=t.metric.id, data=READING
        ),
    ),
    ("metrics.readings", lambda r, a, t, m: r.metrics.readings(actor=a, account_id=t.account.id)),
    ("metrics.series", lambda r, a, t, m: r.metrics.series(actor=a, account_id=t.account.id)),
    ("health.list", lambda r, a, t, m: r.health.list(actor=a, account_id=t.account.id)),
    (
        "health.get",
        lambda r, a, t, m: r.health.get(actor=a, account_id=t.account.id, assessment_id=t.assessment_id),
    ),
    ("health.create", lambda r, a, t, m: r.health.create(actor=a, account_id=t.account.id, data=ASSESSMENT)),
    ("actions.list", lambda r, a, t, m: r.actions.list(actor=a, account_id=t.account.id)),
    ("actions.list_open", lambda r, a, t, m: r.actions.list_open(actor=a, account_id=t.account.id)),
    (
        "actions.create",
        lambda r, a, t, m: r.actions.create(actor=a, account_id=t.account.id, data={"title": "x", "owner": "y"}),
    ),
    (
        "actions.update",
        lambda r, a, t, m: r.actions.update(
            actor=a, account_id=t.account.id, action_id=t.action_id, data={"status": "done"}
        ),
    ),
    ("actions.delete", lambda r, a, t, m: r.actions.delete(actor=a, account_id=t.account.id, action_id=t.action_id)),
    ("opportunities.list", lambda r, a, t, m: r.opportunities.list(actor=a, account_id=t.account.id)),
    (
        "opportunities.create",
        lambda r, a, t, m: r.opportunities.create(
            actor=a, account_id=t.account.id, data={"name": "x", "type": "renewal"}
        ),
    ),
    (
        "opportunities.update",
        lambda r, a, t, m: r.opportunities.update(
            actor=a, account_id=t.account.id, opportunity_id=t.opportunity_id, data={"stage": "lost"}
        ),
    ),
    (
        "opportunities.delete",
        lambda r, a, t, m: r.opportunities.delete(actor=a, account_id=t.account.id, opportunity_id=t.opportunity_id),
    ),
    ("audit.list", lambda r, a, t, m: r.audit.list(actor=a, account_id=t.account.id)),
]

# Dana's own account id with one of Marcus's record ids smuggled in: the record is not on her account.
SMUGGLED_ID_OPS: list[tuple[str, Op]] = [
    (
        "stakeholders.get",
        lambda r, a, t, m: r.stakeholders.get(actor=a, account_id=m.account.id, stakeholder_id=t.sponsor.id),
    ),
    (
        "stakeholders.update",
        lambda r, a, t, m: r.stakeholders.update(
            actor=a, account_id=m.account.id, stakeholder_id=t.sponsor.id, data={"stance": "detractor"}
        ),
    ),
    (
        "stakeholders.delete",
        lambda r, a, t, m: r.stakeholders.delete(actor=a, account_id=m.account.id, stakeholder_id=t.skeptic.id),
    ),
    (
        "stakeholders.replace",
        lambda r, a, t, m: r.stakeholders.replace(
            actor=a,
            account_id=m.account.id,
            stakeholder_id=t.sponsor.id,
            successor={"name": "X"},
            left_on=date(2026, 1, 1),
        ),
    ),
    (
        "stakeholders.stance_history",
        lambda r, a, t, m: r.stakeholders.stance_history(actor=a, account_id=m.account.id, stakeholder_id=t.sponsor.id),
    ),
    (
        "stakeholders.add_coverage",
        lambda r, a, t, m: r.stakeholders.add_coverage(
            actor=a,
            account_id=m.account.id,
            data={
                "team_member_id": m.our_lead.id,
                "stakeholder_id": t.skeptic.id,
                "access": 1,
                "influence": 1,
                "support": 1,
            },
        ),
    ),
    (
        "health.get",
        lambda r, a, t, m: r.health.get(actor=a, account_id=m.account.id, assessment_id=t.assessment_id),
    ),
    (
        "metrics.record_reading",
        lambda r, a, t, m: r.metrics.record_reading(
            actor=a, account_id=m.account.id, metric_id=t.metric.id, data=READING
        ),
    ),
    (
        "actions.update",
        lambda r, a, t, m: r.actions.update(
            actor=a, account_id=m.account.id, action_id=t.action_id, data={"status": "done"}
        ),
    ),
    ("actions.delete", lambda r, a, t, m: r.actions.delete(actor=a, account_id=m.account.id, action_id=t.action_id)),
    (
        "opportunities.update",
        lambda r, a, t, m: r.opportunities.update(
            actor=a, account_id=m.account.id, opportunity_id=t.opportunity_id, data={"stage": "lost"}
        ),
    ),
    (
        "opportunities.delete",
        lambda r, a, t, m: r.opportunities.delete(actor=a, account_id=m.account.id, opportunity_id=t.opportunity_id),
    ),
]


def _assert_every_op_is_not_found(
    records: Records, engine: Engine, actor: Actor, portfolio: Portfolio, ops: list[tuple[str, Op]]
) -> None:
    before = database_snapshot(engine)
    leaked = []
    for name, op in ops:
        try:
            op(records, actor, portfolio.marcus, portfolio.dana)
        except NotFound as exc:
            # The message has the shape of a plain miss and never mentions permissions.
            assert str(exc) == f"{exc.entity} {exc.key!r} not found", name
            continue
        except Exception as exc:
            leaked.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        leaked.append(f"{name}: succeeded")
    assert leaked == []
    assert database_snapshot(engine) == before


def test_a_sam_leader_cannot_reach_a_colleagues_account_in_any_way(
    records: Records, team: Team, portfolio: Portfolio, engine: Engine
) -> None:
    _assert_every_op_is_not_found(records, engine, team.dana, portfolio, FOREIGN_ACCOUNT_OPS)


def test_a_record_id_from_another_account_is_not_found_under_ones_own(
    records: Records, team: Team, portfolio: Portfolio, engine: Engine
) -> None:
    _assert_every_op_is_not_found(records, engine, team.dana, portfolio, SMUGGLED_ID_OPS)


def test_a_note_outside_the_portfolio_looks_exactly_like_a_missing_note(
    records: Records, team: Team, portfolio: Portfolio
) -> None:
    """Regression: the error used to name the note's account, revealing that the note exists."""
    theirs = portfolio.marcus.note.id
    with pytest.raises(NotFound) as foreign:
        records.notes.get(actor=team.dana, note_id=theirs)
    with pytest.raises(NotFound) as missing:
        records.notes.get(actor=team.dana, note_id=999_999)
    assert (foreign.value.entity, str(foreign.value)) == ("note", f"note {theirs} not found")
    assert missing.value.entity == "note"
    for write in (
        lambda: records.notes.update(actor=team.dana, note_id=theirs, data={"body": "x"}),
        lambda: records.notes.delete(actor=team.dana, note_id=theirs),
    ):
        with pytest.raises(NotFound, match=f"^note {theirs} not found$"):
            write()


def test_listing_and_finding_are_scoped(records: Records, team: Team, portfolio: Portfolio) -> None:
    dana, marcus = portfolio.dana.account, portfolio.marcus.account
    assert [a.id for a in records.accounts.list(actor=team.dana)] == [dana.id]
    assert [a.id for a in records.accounts.list(actor=team.marcus)] == [marcus.id]
    assert records.accounts.visible_ids(actor=team.dana) == [dana.id]
    assert records.accounts.find(actor=team.dana, name=marcus.name) is None
    assert records.accounts.list(actor=team.dana, query="Globex") == []


def test_a_manager_sees_the_whole_team_and_an_admin_sees_everything(
    records: Records, team: Team, portfolio: Portfolio
) -> None:
    dana, marcus = portfolio.dana, portfolio.marcus
    outsider = records.users.create(data={"name": "Olu", "email": "olu@beacon.example"})
    outside = records.accounts.create(
        actor=actor_for(outsider, Channel.CLI), data={"name": "Initech", "industry": "Software"}
    )

    assert {a.name for a in records.accounts.list(actor=team.priya)} == {"Northwind Facilities", "Globex Logistics"}
    assert {a.name for a in records.accounts.list(actor=team.admin)} == {
        "Northwind Facilities",
        "Globex Logistics",
        "Initech",
    }
    for fixture in (dana, marcus):
        assert records.accounts.get(actor=team.priya, account_id=fixture.account.id) == fixture.account
        assert records.notes.get(actor=team.priya, note_id=fixture.note.id) == fixture.note
        assert records.charters.current(actor=team.priya, account_id=fixture.account.id) == fixture.charter
    with pytest.raises(NotFound):
        records.accounts.get(actor=team.priya, account_id=outside.id)
    assert records.accounts.get(actor=team.admin, account_id=outside.id) == outside


def test_a_managers_view_reaches_reports_of_reports(records: Records, team: Team) -> None:
    director = records.users.create(data={"name": "Dee", "email": "dee@beacon.example", "role": Role.MANAGER})
    lead = records.users.create(
        data={"name": "Max", "email": "max@beacon.example", "role": Role.MANAGER, "manager_id": director.id}
    )
    leader = records.users.create(data={"name": "Ana", "email": "ana@beacon.example", "manager_id": lead.id})
    account = records.accounts.create(
        actor=actor_for(leader, Channel.CLI), data={"name": "Umbrella", "industry": "Pharma"}
    )

    assert [a.id for a in records.accounts.list(actor=actor_for(director, Channel.CLI))] == [account.id]
    assert [a.id for a in records.accounts.list(actor=actor_for(lead, Channel.CLI))] == [account.id]
    assert records.accounts.list(actor=team.priya) == []
