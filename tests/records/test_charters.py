"""Partnership charters (versioned, approved by their signatories), success metrics and readings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine

from assistant.records import Records
from assistant.records.actor import Actor
from assistant.records.enums import CharterStatus, MetricDirection, Side
from assistant.records.errors import Conflict, InvalidInput, NotFound
from assistant.records.schemas import CharterOut, MetricOut, ReadingOut, StakeholderOut
from tests.conftest import Team
from tests.records.conftest import refused_without_change

SIGNED_ON = date(2025, 1, 10)


@dataclass(frozen=True)
class CharterSetup:
    actor: Actor
    account_id: int
    ceo: StakeholderOut
    our_vp: StakeholderOut
    outsider: StakeholderOut
    satisfaction: MetricOut
    response: MetricOut


@pytest.fixture
def setup(records: Records, team: Team) -> CharterSetup:
    actor = team.dana
    account = records.accounts.create(actor=actor, data={"name": "Northwind Facilities", "industry": "FM"})

    def person(name: str, side: Side = Side.CLIENT) -> StakeholderOut:
        return records.stakeholders.create(actor=actor, account_id=account.id, data={"name": name, "side": side})

    def metric(key: str, name: str, direction: MetricDirection, unit: str) -> MetricOut:
        data = {"key": key, "name": name, "direction": direction, "unit": unit}
        return records.metrics.create(actor=actor, account_id=account.id, data=data)

    return CharterSetup(
        actor=actor,
        account_id=account.id,
        ceo=person("Robin Ortiz"),
        our_vp=person("Priya Nair", Side.SUPPLIER),
        outsider=person("Casey Doe"),
        satisfaction=metric("tenant_satisfaction", "Tenant satisfaction", MetricDirection.HIGHER_IS_BETTER, "%"),
        response=metric("response_minutes", "Response time", MetricDirection.LOWER_IS_BETTER, "min"),
    )


def charter_content(setup: CharterSetup, **changes: object) -> dict[str, object]:
    content: dict[str, object] = {
        "purpose": "Run every building as if it were our own",
        "values": "Candour, reliability",
        "vision": "The most trusted facilities partner in the region",
        "mission": "Tenants never think about parking",
        "customer_win": "Tenant satisfaction above 85%",
        "supplier_win": "Renewal and two new sites a year",
        "commitments": [
            {"party": "client", "text": "Share occupancy forecasts every quarter"},
            {"party": "supplier", "text": "Staff every site to forecast"},
        ],
        "key_players": [{"name": "Robin Ortiz", "side": "client", "role": "Executive sponsor"}],
        "governance_cadence": "Quarterly business review",
        "governance_agenda": "Metrics, risks, innovation pipeline",
        "targets": [
            {"metric_key": "tenant_satisfaction", "target": 85},
            {"metric_key": "response_minutes", "target": 10},
        ],
        "signatory_ids": [setup.ceo.id, setup.our_vp.id],
        "effective_on": SIGNED_ON,
    }
    return content | changes


def sign(records: Records, setup: CharterSetup, version: int, on: date = SIGNED_ON) -> CharterOut:
    records.charters.propose(actor=setup.actor, account_id=setup.account_id, version=version)
    charter = records.charters.get_version(actor=setup.actor, account_id=setup.account_id, version=version)
    for signatory in charter.signatories:
        charter = records.charters.approve(
            actor=setup.actor,
            account_id=setup.account_id,
            version=version,
            signatory_id=signatory.stakeholder_id,
            approved_on=on,
        )
    return charter


def test_draft_propose_and_approval_by_each_signatory_signs_the_charter(records: Records, setup: CharterSetup) -> None:
    draft = records.charters.create_draft(actor=setup.actor, account_id=setup.account_id, data=charter_content(setup))
    assert isinstance(draft, CharterOut)
    assert (draft.version, draft.status, draft.parent_id, draft.created_by) == (
        1,
        CharterStatus.DRAFT,
        None,
        "Dana Reyes",
    )
    assert [(t.metric_key, t.target, t.unit) for t in draft.targets] == [
        ("response_minutes", 10, "min"),
        ("tenant_satisfaction", 85, "%"),
    ]
    assert {s.name for s in draft.signatories} == {"Robin Ortiz", "Priya Nair"}
    assert draft.commitments[0].text == "Share occupancy forecasts every quarter"
    assert records.charters.current(actor=setup.actor, account_id=setup.account_id) is None
    assert records.charters.open_draft(actor=setup.actor, account_id=setup.account_id) == draft

    proposed = records.charters.propose(actor=setup.actor, account_id=setup.account_id, version=1)
    assert proposed.status is CharterStatus.PROPOSED

    half = records.charters.approve(
        actor=setup.actor, account_id=setup.account_id, version=1, signatory_id=setup.ceo.id, approved_on=SIGNED_ON
    )
    assert half.status is CharterStatus.PROPOSED
    assert {s.name: s.approved_on for s in half.signatories} == {"Robin Ortiz": SIGNED_ON, "Priya Nair": None}
    assert records.charters.current(actor=setup.actor, account_id=setup.account_id) is None

    signed = records.charters.approve(
        actor=setup.actor,
        account_id=setup.account_id,
        version=1,
        signatory_id=setup.our_vp.id,
        approved_on=SIGNED_ON + timedelta(days=3),
    )
    assert signed.status is CharterStatus.SIGNED
    assert signed.effective_on == SIGNED_ON
    assert signed.next_review_due is not None and signed.next_review_due <= SIGNED_ON + timedelta(days=366)
    assert records.charters.current(actor=setup.actor, account_id=setup.account_id) == signed
    assert records.charters.open_draft(actor=setup.actor, account_id=setup.account_id) is None


def test_signing_without_a_date_takes_effect_on_the_last_approval(records: Records, setup: CharterSetup) -> None:
    content = charter_content(setup, effective_on=None, signatory_ids=[setup.ceo.id])
    records.charters.create_draft(actor=setup.actor, account_id=setup.account_id, data=content)
    signed = sign(records, setup, 1, on=date(2025, 3, 1))
    assert (signed.effective_on, signed.next_review_due) == (date(2025, 3, 1), date(2025, 3, 1) + timedelta(days=365))


def test_next_review_is_due_at_most_a_year_after_the_effective_date(
    records: Records, setup: CharterSetup, engine: Engine
) -> None:
    too_late = charter_content(setup, next_review_due=SIGNED_ON + timedelta(days=400))
    with refused_without_change(engine, InvalidInput, "next_review_due"):
        records.charters.create_draft(actor=setup.actor, account_id=setup.account_id, data=too_late)

    sooner = SIGNED_ON + timedelta(days=180)
    records.charters.create_draft(
        actor=setup.actor, account_id=setup.account_id, data=charter_content(setup, next_review_due=sooner)
    )
    assert sign(records, setup, 1).next_review_due == sooner


def test_change_to_signed_charter_is_a_new_draft_until_every_signatory_approves(
    records: Records, setup: CharterSetup
) -> None:
    records.charters.create_draft(actor=setup.actor, account_id=setup.account_id, data=charter_content(setup))
    v1 = sign(records, setup, 1)

    revised = charter_content(
        setup,
        signatory_ids=[],  # empty: carry the signatories of the signed version over
        targets=[{"metric_key": "tenant_satisfaction", "target": 88}, {"metric_key": "response_minutes", "target": 10}],
        effective_on=date(2026, 1, 1),
        change_reason="Satisfaction target raised after a strong year",
    )
    v2 = records.charters.create_draft(actor=setup.actor, account_id=setup.account_id, data=revised)
    assert (v2.version, v2.status, v2.parent_id) == (2, CharterStatus.DRAFT, v1.id)
    assert [s.stakeholder_id for s in v2.signatories] == [s.stakeholder_id for s in v1.signatories]
    assert all(s.approved_on is None for s in v2.signatories)
    assert records.charters.current(actor=setup.actor, account_id=setup.account_id) == v1

    with pytest.raises(Conflict, match="status"):
        records.charters.create_draft(actor=setup.actor, account_id=setup.account_id, data=revised)

    records.charters.propose(actor=setup.actor, account_id=setup.account_id, version=2)
    records.charters.approve(actor=setup.actor, account_id=setup.account_id, version=2, signatory_id=setup.ceo.id)
    still = records.charters.get_version(actor=setup.actor, account_id=setup.account_id, version=1)
    assert still.status is CharterStatus.SIGNED
    assert records.charters.current(actor=setup.actor, account_id=setup.account_id) == still

    signed_v2 = records.charters.approve(
        actor=setup.actor, account_id=setup.account_id, version=2, signatory_id=setup.our_vp.id
    )
    assert signed_v2.status is CharterStatus.SIGNED
    assert records.charters.current(actor=setup.actor, account_id=setup.account_id) == signed_v2

    versions = records.charters.list_versions(actor=setup.actor, account_id=setup.account_id)
    assert [(c.version, c.status) for c in versions] == [(1, CharterStatus.SUPERSEDED), (2, CharterStatus.SIGNED)]
    kept = versions[0]
    assert kept.model_dump(exclude={"status"}) == v1.model_dump(exclude={"status"})


def test_only_a_signatory_can_approve(records: Records, setup: CharterSetup, engine: Engine) -> None:
    records.charters.create_draft(actor=setup.actor, account_id=setup.account_id, data=charter_content(setup))
    records.charters.propose(actor=setup.actor, account_id=setup.account_id, version=1)
    with refused_without_change(engine, Conflict, "signatory_id") as caught:
        records.charters.approve(
            actor=setup.actor, account_id=setup.account_id, version=1, signatory_id=setup.outsider.id
        )
    assert "only the charter's signatories" in str(caught.value)


def test_a_signatory_cannot_approve_twice(records: Records, setup: CharterSetup, engine: Engine) -> None:
    records.charters.create_draft(actor=setup.actor, account_id=setup.account_id, data=charter_content(setup))
    records.charters.propose(actor=setup.actor, account_id=setup.account_id, version=1)
    records.charters.approve(actor=setup.actor, account_id=setup.account_id, version=1, signatory_id=setup.ceo.id)
    with refused_without_change(engine, Conflict, "signatory_id") as caught:
        records.charters.approve(actor=setup.actor, account_id=setup.account_id, version=1, signatory_id=setup.ceo.id)
    assert "Robin Ortiz has already approved" in str(caught.value)


def test_a_draft_must_be_proposed_before_approval(records: Records, setup: CharterSetup, engine: Engine) -> None:
    records.charters.create_draft(actor=setup.actor, account_id=setup.account_id, data=charter_content(setup))
    with refused_without_change(engine, Conflict, "status"):
        records.charters.approve(actor=setup.actor, account_id=setup.account_id, version=1, signatory_id=setup.ceo.id)


def test_a_draft_without_signatories_cannot_be_proposed(records: Records, setup: CharterSetup, engine: Engine) -> None:
    records.charters.create_draft(
        actor=setup.actor, account_id=setup.account_id, data=charter_content(setup, signatory_ids=[])
    )
    with refused_without_change(engine, InvalidInput, "signatory_ids"):
        records.charters.propose(actor=setup.actor, account_id=setup.account_id, version=1)


def test_drafts_can_be_edited_but_proposed_and_signed_versions_cannot(
    records: Records, setup: CharterSetup, engine: Engine
) -> None:
    records.charters.create_draft(actor=setup.actor, account_id=setup.account_id, data=charter_content(setup))
    edited = records.charters.update_draft(
        actor=setup.actor,
        account_id=setup.account_id,
        version=1,
        data=charter_content(
            setup, purpose="Fewer complaints", targets=[{"metric_key": "response_minutes", "target": 8}]
        ),
    )
    assert edited.purpose == "Fewer complaints"
    assert [(t.metric_key, t.target) for t in edited.targets] == [("response_minutes", 8)]

    records.charters.propose(actor=setup.actor, account_id=setup.account_id, version=1)
    with refused_without_change(engine, Conflict, "status") as caught:
        records.charters.update_draft(
            actor=setup.actor, account_id=setup.account_id, version=1, data=charter_content(setup, purpose="Sneaky")
        )
    assert "proposed" in str(caught.value)
    with refused_without_change(engine, Conflict, "status"):
        records.charters.propose(actor=setup.actor, account_id=setup.account_id, version=1)

    for signatory in (setup.ceo, setup.our_vp):
        records.charters.approve(actor=setup.actor, account_id=setup.account_id, version=1, signatory_id=signatory.id)
    with refused_without_change(engine, Conflict, "status") as caught:
        records.charters.update_draft(
            actor=setup.actor, account_id=setup.account_id, version=1, data=charter_content(setup, purpose="Sneaky")
        )
    assert "signed" in str(caught.value)


def test_diff_names_the_changed_targets_commitments_and_signatories(records: Records, setup: CharterSetup) -> None:
    records.charters.create_draft(actor=setup.actor, account_id=setup.account_id, data=charter_content(setup))
    sign(records, setup, 1)
    cfo = records.stakeholders.create(
        actor=setup.actor, account_id=setup.account_id, data={"name": "Morgan Hale", "title": "CFO"}
    )
    revised = charter_content(
        setup,
        targets=[{"metric_key": "tenant_satisfaction", "target": 88}],
        commitments=[
            {"party": "client", "text": "Share occupancy forecasts every quarter"},
            {"party": "supplier", "text": "Pilot EV charging at two sites"},
        ],
        signatory_ids=[setup.ceo.id, cfo.id],
    )
    records.charters.create_draft(actor=setup.actor, account_id=setup.account_id, data=revised)

    diff = records.charters.diff(actor=setup.actor, account_id=setup.account_id, from_version=1, to_version=2)
    changes = {(c.clause, c.change): (c.before, c.after) for c in diff.changes}
    assert (diff.from_version, diff.to_version) == (1, 2)
    assert changes[("target: tenant_satisfaction", "changed")] == ("85 %", "88 %")
    assert changes[("target: response_minutes", "removed")] == ("10 min", None)
    assert ("commitment (supplier): Staff every site to forecast", "removed") in changes
    assert ("commitment (supplier): Pilot EV charging at two sites", "added") in changes
    assert ("signatory: Priya Nair", "removed") in changes
    assert changes[("signatory: Morgan Hale", "added")] == (None, "CFO (client)")
    # Signed v1 carries a review date the new draft does not have yet.
    assert {clause for clause, _ in changes} == {
        "target: tenant_satisfaction",
        "target: response_minutes",
        "commitment (supplier): Staff every site to forecast",
        "commitment (supplier): Pilot EV charging at two sites",
        "signatory: Priya Nair",
        "signatory: Morgan Hale",
        "next_review_due",
    }


def test_a_signatory_who_left_blocks_carrying_signatories_over(
    records: Records, setup: CharterSetup, engine: Engine
) -> None:
    records.charters.create_draft(actor=setup.actor, account_id=setup.account_id, data=charter_content(setup))
    sign(records, setup, 1)
    records.stakeholders.replace(
        actor=setup.actor,
        account_id=setup.account_id,
        stakeholder_id=setup.ceo.id,
        successor={"name": "Taylor Grant", "title": "CEO"},
        left_on=date(2025, 6, 30),
    )
    with refused_without_change(engine, InvalidInput, "signatory_ids.0") as caught:
        records.charters.create_draft(
            actor=setup.actor, account_id=setup.account_id, data=charter_content(setup, signatory_ids=[])
        )
    assert "Robin Ortiz has left; choose a successor" in str(caught.value)


def test_unknown_metric_in_targets_names_the_position(records: Records, setup: CharterSetup, engine: Engine) -> None:
    content = charter_content(
        setup,
        targets=[{"metric_key": "tenant_satisfaction", "target": 85}, {"metric_key": "parking_uptime", "target": 99}],
    )
    with refused_without_change(engine, InvalidInput, "targets.1.metric_key") as caught:
        records.charters.create_draft(actor=setup.actor, account_id=setup.account_id, data=content)
    assert "parking_uptime" in str(caught.value)


def test_the_same_metric_twice_in_targets_is_refused(records: Records, setup: CharterSetup, engine: Engine) -> None:
    content = charter_content(
        setup,
        targets=[{"metric_key": "response_minutes", "target": 9}, {"metric_key": "response_minutes", "target": 10}],
    )
    with refused_without_change(engine, InvalidInput, "targets"):
        records.charters.create_draft(actor=setup.actor, account_id=setup.account_id, data=content)


def test_a_failing_draft_writes_nothing_even_after_valid_targets(
    records: Records, setup: CharterSetup, engine: Engine
) -> None:
    """Atomicity: the charter row and its targets are staged before the bad signatory is found."""
    content = charter_content(setup, signatory_ids=[setup.ceo.id, 999_999])
    with refused_without_change(engine, InvalidInput, "signatory_ids.1"):
        records.charters.create_draft(actor=setup.actor, account_id=setup.account_id, data=content)
    assert records.charters.list_versions(actor=setup.actor, account_id=setup.account_id) == []


def test_a_failing_draft_edit_keeps_the_previous_content(records: Records, setup: CharterSetup, engine: Engine) -> None:
    draft = records.charters.create_draft(actor=setup.actor, account_id=setup.account_id, data=charter_content(setup))
    bad = charter_content(setup, purpose="Changed", signatory_ids=[setup.ceo.id, 999_999])
    with refused_without_change(engine, InvalidInput, "signatory_ids.1"):
        records.charters.update_draft(actor=setup.actor, account_id=setup.account_id, version=1, data=bad)
    assert records.charters.get_version(actor=setup.actor, account_id=setup.account_id, version=1) == draft


def test_signatory_from_another_account_is_refused(
    records: Records, team: Team, setup: CharterSetup, engine: Engine
) -> None:
    other = records.accounts.create(actor=team.dana, data={"name": "Other", "industry": "Retail"})
    stranger = records.stakeholders.create(actor=team.dana, account_id=other.id, data={"name": "Stranger"})
    with refused_without_change(engine, InvalidInput, "signatory_ids.1"):
        records.charters.create_draft(
            actor=setup.actor,
            account_id=setup.account_id,
            data=charter_content(setup, signatory_ids=[setup.ceo.id, stranger.id]),
        )


def test_unknown_version_is_not_found(records: Records, setup: CharterSetup) -> None:
    with pytest.raises(NotFound, match="charter version 7"):
        records.charters.get_version(actor=setup.actor, account_id=setup.account_id, version=7)


def test_metrics_and_readings_round_trip(records: Records, setup: CharterSetup, engine: Engine) -> None:
    metrics = records.metrics.list(actor=setup.actor, account_id=setup.account_id)
    assert [(m.key, m.direction) for m in metrics] == [
        ("response_minutes", MetricDirection.LOWER_IS_BETTER),
        ("tenant_satisfaction", MetricDirection.HIGHER_IS_BETTER),
    ]
    first = records.metrics.record_reading(
        actor=setup.actor,
        account_id=setup.account_id,
        metric_id=setup.satisfaction.id,
        data={"period": "2025-Q1", "period_end": date(2025, 3, 31), "value": 82.5, "source": "tenant survey"},
    )
    assert isinstance(first, ReadingOut)
    assert (first.period, first.value, first.source) == ("2025-Q1", 82.5, "tenant survey")

    corrected = records.metrics.record_reading(
        actor=setup.actor,
        account_id=setup.account_id,
        metric_id=setup.satisfaction.id,
        data={"period": "2025-Q1", "period_end": date(2025, 3, 31), "value": 83.0, "source": "corrected survey"},
    )
    assert (corrected.id, corrected.value) == (first.id, 83.0)
    assert records.metrics.readings(actor=setup.actor, account_id=setup.account_id) == [corrected]

    with refused_without_change(engine, Conflict, "key"):
        records.metrics.create(
            actor=setup.actor, account_id=setup.account_id, data={"key": "response_minutes", "name": "Again"}
        )


def test_series_compares_readings_with_the_signed_targets(records: Records, setup: CharterSetup) -> None:
    records.charters.create_draft(actor=setup.actor, account_id=setup.account_id, data=charter_content(setup))
    sign(records, setup, 1)
    for period, end, satisfaction, response in [
        ("2025-Q1", date(2025, 3, 31), 86, 9),
        ("2025-Q2", date(2025, 6, 30), 84, 11),
        ("2025-Q3", date(2025, 9, 30), 83, 12),
    ]:
        for metric, value in ((setup.satisfaction, satisfaction), (setup.response, response)):
            records.metrics.record_reading(
                actor=setup.actor,
                account_id=setup.account_id,
                metric_id=metric.id,
                data={"period": period, "period_end": end, "value": value},
            )
    series = {s.metric.key: s for s in records.metrics.series(actor=setup.actor, account_id=setup.account_id)}
    satisfaction, response = series["tenant_satisfaction"], series["response_minutes"]
    assert (satisfaction.target, response.target) == (85, 10)
    assert [r.period for r in satisfaction.readings] == ["2025-Q1", "2025-Q2", "2025-Q3"]
    assert satisfaction.latest is not None and satisfaction.latest.value == 83
    assert (satisfaction.periods_below_target(), response.periods_below_target()) == (2, 2)
    assert response.on_target(9) is True and response.on_target(11) is False

    until_q1 = records.metrics.series(actor=setup.actor, account_id=setup.account_id, until=date(2025, 3, 31))
    assert all(len(s.readings) == 1 for s in until_q1)


def test_reading_for_a_metric_of_another_account_is_not_found(
    records: Records, team: Team, setup: CharterSetup
) -> None:
    other = records.accounts.create(actor=team.dana, data={"name": "Other", "industry": "Retail"})
    before = records.metrics.readings(actor=setup.actor, account_id=setup.account_id)
    with pytest.raises(NotFound, match="metric"):
        records.metrics.record_reading(
            actor=setup.actor,
            account_id=other.id,
            metric_id=setup.satisfaction.id,
            data={"period": "2025-Q1", "period_end": date(2025, 3, 31), "value": 1},
        )
    assert records.metrics.readings(actor=setup.actor, account_id=setup.account_id) == before
