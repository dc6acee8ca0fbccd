"""Early-warning rules on the demo portfolio: every planted signal fires on its account and nothing fires
where the data does not support it; each rule's threshold is checked on both sides with edited evidence."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assistant.drafting.curriculum import Passages
from assistant.drafting.evidence import AccountEvidence
from assistant.drafting.signals import (
    CHARTER_REVIEW_DAYS,
    CONTRACT_END_DAYS,
    SILENT_SPONSOR_DAYS,
    STALE_DAYS,
    Rule,
    Severity,
    detect_early_warnings,
)
from assistant.records.enums import OpportunityStage, OpportunityType, Stance
from assistant.records.errors import NotFound
from assistant.records.schemas import OpportunityOut
from knowledge.curriculum import Lesson
from tests.drafting.conftest import (
    ACME,
    ALL_ACCOUNTS,
    HALVORSEN,
    NORTHGATE,
    QUANTIS,
    RIVERBEND,
    SOLARA,
    TODAY,
    Demo,
    account_ids,
    assert_citation,
)

# What the demo data supports, account by account (docs/demo-portfolio.md plus what the records also show:
# Acme's charter review falls due in 30 days; Northgate appointed a new SVP for the Lakeside integration).
EXPECTED = {
    ACME: {Rule.LEADERSHIP_CHANGE, Rule.CONTRACT_END_NO_RENEWAL, Rule.CHARTER_REVIEW_DUE},
    NORTHGATE: {Rule.ACQUISITION, Rule.METRIC_BELOW_TARGET, Rule.RISING_DETRACTOR, Rule.LEADERSHIP_CHANGE},
    RIVERBEND: {Rule.NOT_MUTUALLY_STRATEGIC},
    SOLARA: {Rule.SILENT_SPONSOR, Rule.PERCEPTION_GAP},
    QUANTIS: {Rule.LEADERSHIP_CHANGE, Rule.DECISION_MAKER_WITHOUT_OWNER},
    HALVORSEN: {Rule.LEADERSHIP_CHANGE},
}


def evidence(demo: Demo, name: str) -> AccountEvidence:
    return demo.drafting.evidence(demo.owner(name), demo.account(name).id, today=TODAY)


def warnings_of(demo: Demo, name: str) -> dict[Rule, list[str]]:
    found: dict[Rule, list[str]] = {}
    for w in demo.drafting.early_warnings(demo.owner(name), demo.account(name).id, today=TODAY):
        found.setdefault(w.rule, []).append(f"{w.title} {w.detail}")
    return found


@pytest.mark.parametrize("name", ALL_ACCOUNTS)
def test_rules_fire_exactly_where_the_demo_data_supports_them(demo: Demo, name: str) -> None:
    assert set(warnings_of(demo, name)) == EXPECTED[name]


def test_every_rule_fires_somewhere_in_the_demo_except_the_stale_account_rule(demo: Demo) -> None:
    fired = set().union(*EXPECTED.values())
    assert fired == set(Rule) - {Rule.STALE_ACCOUNT}


@pytest.mark.parametrize("name", ALL_ACCOUNTS)
def test_warnings_cite_records_of_their_account_and_a_curriculum_passage(
    demo: Demo, name: str, curriculum: list[Lesson]
) -> None:
    account = demo.account(name)
    ids = account_ids(demo.records, demo.admin, account.id)
    lessons = {lesson.id: lesson for lesson in curriculum}
    for warning in demo.drafting.early_warnings(demo.owner(name), account.id, today=TODAY):
        assert warning.citations, warning.rule
        for citation in [*warning.citations, warning.curriculum]:
            assert_citation(citation, ids, account.id, lessons)
        assert warning.curriculum.kind.value == "curriculum"


def test_acme_leadership_change_names_the_retiring_ceo_and_her_successor(demo: Demo) -> None:
    warnings = demo.drafting.early_warnings(demo.dana, demo.account(ACME).id, today=TODAY)
    leadership = next(w for w in warnings if w.rule is Rule.LEADERSHIP_CHANGE)
    assert "Helen Ortiz (leaving)" in leadership.title and "Daniel Kim (joined)" in leadership.title
    assert "Angela Brooks" not in leadership.title  # she was told of the retirement, she is not retiring
    assert leadership.severity is Severity.HIGH  # a departing sponsor and a successor nobody has met
    assert any("retire" in (c.excerpt or "") for c in leadership.citations)


def test_acme_contract_end_counts_about_twenty_months(demo: Demo) -> None:
    (text,) = warnings_of(demo, ACME)[Rule.CONTRACT_END_NO_RENEWAL]
    assert "about 20 months" in text


def test_northgate_detractor_is_the_cfo_with_rising_power_courted_by_crestline(demo: Demo) -> None:
    warnings = demo.drafting.early_warnings(demo.dana, demo.account(NORTHGATE).id, today=TODAY)
    detractor = next(w for w in warnings if w.rule is Rule.RISING_DETRACTOR)
    assert "Raymond Cole" in detractor.title
    assert "rose from 3 to 5" in detractor.detail
    assert "Crestline" in detractor.detail
    metric = next(w for w in warnings if w.rule is Rule.METRIC_BELOW_TARGET)
    assert metric.subject == "patient_meal_satisfaction"
    assert len(metric.citations) == 2  # the two quarters below target
    acquisition = next(w for w in warnings if w.rule is Rule.ACQUISITION)
    assert "Lakeside" in acquisition.detail


def test_solara_sponsor_silence_and_perception_gap(demo: Demo) -> None:
    found = warnings_of(demo, SOLARA)
    (silent,) = found[Rule.SILENT_SPONSOR]
    assert "Marta Lindqvist" in silent and "94 days" in silent
    (gap,) = found[Rule.PERCEPTION_GAP]
    assert "customer says vulnerable, we say strong" in gap
    assert "value 4 vs 2" in gap and "relationships 4 vs 2" in gap


def test_quantis_new_cio_has_no_owner(demo: Demo) -> None:
    (text,) = warnings_of(demo, QUANTIS)[Rule.DECISION_MAKER_WITHOUT_OWNER]
    assert "Aisha Rahman" in text and "Six-campus room booking" in text


def test_halvorsen_supporter_replaced_by_a_new_vp(demo: Demo) -> None:
    (text,) = warnings_of(demo, HALVORSEN)[Rule.LEADERSHIP_CHANGE]
    assert "Gunnar Lund (left)" in text and "Claire Dubois (joined)" in text and "replaced by Claire Dubois" in text


def test_riverbend_warning_quotes_the_customer(demo: Demo) -> None:
    warnings = demo.drafting.early_warnings(demo.dana, demo.account(RIVERBEND).id, today=TODAY)
    (warning,) = warnings
    assert any("I didn't know we were a strategic account" in (c.excerpt or "") for c in warning.citations)


def test_a_foreign_account_is_not_found(demo: Demo) -> None:
    with pytest.raises(NotFound):
        demo.drafting.early_warnings(demo.marcus, demo.account(ACME).id, today=TODAY)
    with pytest.raises(NotFound):
        demo.drafting.meeting_brief(demo.dana, demo.account(HALVORSEN).id, today=TODAY)


# --- thresholds, both sides, on edited copies of the evidence ------------------------------------------


def rules(ev: AccountEvidence, passages: Passages) -> set[Rule]:
    return {w.rule for w in detect_early_warnings(ev, passages)}


@pytest.fixture(scope="module")
def passages(curriculum: list[Lesson]) -> Passages:
    return Passages(curriculum)


def test_sponsor_silence_threshold(demo: Demo, passages: Passages) -> None:
    ev = evidence(demo, SOLARA)
    marta = next(s for s in ev.stakeholders if s.name == "Marta Lindqvist")
    last = marta.last_contact_on
    assert last is not None
    at_limit = ev.model_copy(update={"today": last + timedelta(days=SILENT_SPONSOR_DAYS)})
    over = ev.model_copy(update={"today": last + timedelta(days=SILENT_SPONSOR_DAYS + 1)})
    assert Rule.SILENT_SPONSOR not in rules(at_limit, passages)
    assert Rule.SILENT_SPONSOR in rules(over, passages)


def test_contract_end_threshold_and_renewal_evidence(demo: Demo, passages: Passages) -> None:
    ev = evidence(demo, ACME)
    end = ev.account.contract_end
    assert end is not None
    far = ev.model_copy(update={"today": end - timedelta(days=CONTRACT_END_DAYS + 1)})
    assert Rule.CONTRACT_END_NO_RENEWAL not in rules(far, passages)
    renewal = OpportunityOut(
        id=0,
        account_id=ev.account_id,
        name="Next phase",
        type=OpportunityType.RENEWAL,
        estimated_value=0,
        stage=OpportunityStage.IDENTIFIED,
        buying_centre="",
        offering="",
        expected_close=None,
        description="",
        stakeholder_ids=[],
    )
    with_renewal = ev.model_copy(update={"opportunities": [*ev.opportunities, renewal]})
    assert Rule.CONTRACT_END_NO_RENEWAL not in rules(with_renewal, passages)
    note = ev.notes[0].model_copy(update={"body": "Agreed to start the renewal conversation in the autumn."})
    talked = ev.model_copy(update={"notes": [note, *ev.notes[1:]]})
    assert Rule.CONTRACT_END_NO_RENEWAL not in rules(talked, passages)


def test_one_period_below_target_is_not_yet_a_warning(demo: Demo, passages: Passages) -> None:
    ev = evidence(demo, NORTHGATE)
    series = next(s for s in ev.metrics if s.metric.key == "patient_meal_satisfaction")
    earlier = series.model_copy(update={"readings": series.readings[:-1]})  # ... 85.7, 81.9: one miss
    edited = ev.model_copy(update={"metrics": [earlier if s is series else s for s in ev.metrics]})
    assert Rule.METRIC_BELOW_TARGET not in rules(edited, passages)


def test_perception_gap_needs_a_worse_customer_view(demo: Demo, passages: Passages) -> None:
    ev = evidence(demo, SOLARA)
    customer = next(a for a in ev.assessments if a.assessor.value == "customer")
    ours = next(a for a in ev.assessments if a.assessor.value == "sam_leader")
    agreeing = customer.model_copy(update={"overall": ours.overall, "zones": ours.zones})
    edited = ev.model_copy(update={"assessments": [agreeing if a is customer else a for a in ev.assessments]})
    assert Rule.PERCEPTION_GAP not in rules(edited, passages)


def test_detractor_without_rising_power_or_competitor_is_not_flagged(demo: Demo, passages: Passages) -> None:
    ev = evidence(demo, NORTHGATE)
    calm_notes = [n for n in ev.notes if "Crestline" not in n.body and "tender" not in n.body]
    quiet = ev.model_copy(update={"stakeholder_events": [], "notes": calm_notes})
    assert Rule.RISING_DETRACTOR not in rules(quiet, passages)


def test_owned_decision_maker_is_not_flagged(demo: Demo, passages: Passages) -> None:
    ev = evidence(demo, QUANTIS)
    owner = next(s for s in ev.stakeholders if s.name == "Dana Reyes")
    owned = [s.model_copy(update={"owner_id": owner.id}) if s.name == "Aisha Rahman" else s for s in ev.stakeholders]
    assert Rule.DECISION_MAKER_WITHOUT_OWNER not in rules(ev.model_copy(update={"stakeholders": owned}), passages)


def test_charter_review_window(demo: Demo, passages: Passages) -> None:
    ev = evidence(demo, ACME)
    assert ev.charter is not None and ev.charter.next_review_due is not None
    due = ev.charter.next_review_due
    at_limit = ev.model_copy(update={"today": due - timedelta(days=CHARTER_REVIEW_DAYS)})
    assert Rule.CHARTER_REVIEW_DUE in rules(at_limit, passages)
    early = ev.model_copy(update={"today": due - timedelta(days=CHARTER_REVIEW_DAYS + 1)})
    assert Rule.CHARTER_REVIEW_DUE not in rules(early, passages)
    late = detect_early_warnings(ev.model_copy(update={"today": due + timedelta(days=3)}), passages)
    overdue = [w for w in late if w.rule is Rule.CHARTER_REVIEW_DUE]
    assert overdue and overdue[0].severity is Severity.MEDIUM and "overdue by 3 days" in overdue[0].title


def test_an_account_with_no_recent_notes_is_stale(demo: Demo, passages: Passages) -> None:
    ev = evidence(demo, QUANTIS)
    old = [n for n in ev.notes if n.occurred_on < TODAY - timedelta(days=STALE_DAYS)]
    assert Rule.STALE_ACCOUNT in rules(ev.model_copy(update={"notes": old}), passages)


def test_a_skeptic_is_not_a_detractor_for_the_competitor_clause(demo: Demo, passages: Passages) -> None:
    # Riverbend's procurement director is a skeptic with power 4 who mentions a rival's rate: not flagged.
    ev = evidence(demo, RIVERBEND)
    frank = next(s for s in ev.stakeholders if s.name == "Frank Delgado")
    assert frank.stance is Stance.SKEPTIC and frank.power >= 4
    assert Rule.RISING_DETRACTOR not in rules(ev, passages)
