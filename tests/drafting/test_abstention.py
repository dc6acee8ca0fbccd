"""Abstention: on an account with no notes, no readings, no assessments and no charter, every draft says what
is missing and asks for it, and makes no claim it cannot cite."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from assistant.citations import SourceKind
from assistant.db import build_engine, build_session_factory
from assistant.drafting import DraftingService
from assistant.drafting.models import Draft
from assistant.drafting.render import to_markdown
from assistant.drafting.signals import Rule
from assistant.records import build_records
from assistant.records.actor import Actor
from assistant.records.enums import Channel, DecisionRole, Side
from assistant.records.services.users import actor_for
from assistant.tables import metadata
from knowledge.curriculum import Lesson
from tests.drafting.conftest import TODAY, AccountIds, account_ids, assert_grounded

EVIDENCE_KINDS = {SourceKind.NOTE, SourceKind.METRIC_READING, SourceKind.ASSESSMENT, SourceKind.CHARTER}


@dataclass
class Thin:
    drafting: DraftingService
    actor: Actor
    sparse_id: int  # one stakeholder and a metric, nothing else
    empty_id: int  # nothing at all
    sparse_ids: AccountIds
    empty_ids: AccountIds


@pytest.fixture(scope="module")
def thin(curriculum: list[Lesson]) -> Iterator[Thin]:
    engine = build_engine("sqlite://")
    metadata.create_all(engine)
    records = build_records(build_session_factory(engine))
    user = records.users.create(data={"name": "Dana Reyes", "email": "dana@beacon.example"})
    actor = actor_for(user, Channel.CLI)
    sparse = records.accounts.create(actor=actor, data={"name": "Sparse Co", "industry": "Retail"})
    records.stakeholders.create(
        actor=actor,
        account_id=sparse.id,
        data={"name": "Pat Lee", "title": "COO", "side": Side.CLIENT, "decision_role": DecisionRole.DECISION_MAKER},
    )
    records.metrics.create(actor=actor, account_id=sparse.id, data={"key": "on_time", "name": "On-time delivery"})
    empty = records.accounts.create(actor=actor, data={"name": "Empty Co", "industry": "Retail"})
    yield Thin(
        drafting=DraftingService(records, curriculum=curriculum),
        actor=actor,
        sparse_id=sparse.id,
        empty_id=empty.id,
        sparse_ids=account_ids(records, actor, sparse.id),
        empty_ids=account_ids(records, actor, empty.id),
    )
    engine.dispose()


def drafts(thin: Thin, account_id: int) -> list[Draft]:
    service, actor = thin.drafting, thin.actor
    return [
        service.meeting_brief(actor, account_id, today=TODAY),
        service.health_assessment(actor, account_id, today=TODAY),
        service.charter_revision(actor, account_id, trigger="annual_review", today=TODAY),
        service.quarterly_review(actor, account_id, today=TODAY),
        service.ten_keys_review(actor, account_id, today=TODAY),
    ]


@pytest.mark.parametrize("which", ["sparse", "empty"])
def test_thin_accounts_yield_gaps_and_no_invented_claims(thin: Thin, which: str, curriculum: list[Lesson]) -> None:
    account_id = thin.sparse_id if which == "sparse" else thin.empty_id
    ids = thin.sparse_ids if which == "sparse" else thin.empty_ids
    lessons = {lesson.id: lesson for lesson in curriculum}
    for draft in drafts(thin, account_id):
        assert any(gap.startswith("No notes in the last 90 days") for gap in draft.gaps), draft.kind
        assert any("No signed partnership charter" in gap for gap in draft.gaps)
        assert_grounded(draft, ids, account_id, lessons)
        cited = {c.kind for c in draft.citations()}
        assert not cited & EVIDENCE_KINDS, f"{draft.kind} cites evidence the account does not have: {cited}"
        assert "Gaps in the evidence" in to_markdown(draft)


def test_missing_readings_are_named(thin: Thin) -> None:
    brief = thin.drafting.meeting_brief(thin.actor, thin.sparse_id, today=TODAY)
    assert "No metric readings for On-time delivery: record the latest reading." in brief.gaps
    assert not brief.section("what_changed").claims
    assert brief.section("what_changed").missing
    assert brief.section("health").missing and brief.section("commitments").missing


def test_only_rules_backed_by_the_records_fire_without_evidence(thin: Thin) -> None:
    # No notes (stale), mutual agreement not recorded (the default) and an unowned decision-maker: nothing else.
    warnings = thin.drafting.early_warnings(thin.actor, thin.sparse_id, today=TODAY)
    expected = {Rule.STALE_ACCOUNT, Rule.NOT_MUTUALLY_STRATEGIC, Rule.DECISION_MAKER_WITHOUT_OWNER}
    assert {w.rule for w in warnings} == expected
    empty = thin.drafting.early_warnings(thin.actor, thin.empty_id, today=TODAY)
    assert {w.rule for w in empty} == {Rule.STALE_ACCOUNT, Rule.NOT_MUTUALLY_STRATEGIC}


def test_health_without_evidence_stays_at_three_and_says_why(thin: Thin) -> None:
    draft = thin.drafting.health_assessment(thin.actor, thin.sparse_id, today=TODAY)
    value = next(z for z in draft.zones if z.zone.value == "value")
    assert value.score == 3
    assert draft.section("value").missing
    assert draft.trend == "first reading" and draft.section("trend").missing


def test_charter_revision_without_a_charter_proposes_an_outline(thin: Thin) -> None:
    draft = thin.drafting.charter_revision(thin.actor, thin.sparse_id, trigger="new_stakeholder", today=TODAY)
    assert draft.proposed is None and draft.diff is None
    assert draft.outline and any("win" in element.lower() for element in draft.outline)
    assert "no signed partnership charter" in draft.summary
    assert draft.section("outline").missing


def test_brief_still_offers_questions_from_the_curriculum(thin: Thin) -> None:
    brief = thin.drafting.meeting_brief(thin.actor, thin.empty_id, today=TODAY)
    assert len(brief.questions) >= 5
    assert all(q.citations and q.curriculum for q in brief.questions)
