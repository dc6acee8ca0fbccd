"""Drafting is read-only, and what it proposes is valid for the records services that would save it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select

from assistant.db import WriteRefused, permit_writes
from assistant.drafting import CharterTrigger
from assistant.records.enums import Assessor
from assistant.tables import metadata
from knowledge.curriculum import Lesson
from tests.drafting.conftest import ALL_ACCOUNTS, HALVORSEN, NORTHGATE, TODAY, Demo, build_demo


@pytest.fixture(scope="module")
def writable(curriculum: list[Lesson]) -> Iterator[Demo]:
    """A demo database of this module's own, because these tests save drafts."""
    built = build_demo(curriculum)
    yield built
    built.engine.dispose()


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in metadata.sorted_tables}


def test_drafting_never_writes(writable: Demo) -> None:
    before = row_counts(writable.engine)
    for name in ALL_ACCOUNTS:
        actor, account_id = writable.owner(name), writable.account(name).id
        writable.drafting.meeting_brief(actor, account_id, today=TODAY)
        writable.drafting.health_assessment(actor, account_id, today=TODAY)
        writable.drafting.charter_revision(actor, account_id, trigger=CharterTrigger.ANNUAL_REVIEW, today=TODAY)
        writable.drafting.quarterly_review(actor, account_id, today=TODAY)
        writable.drafting.ten_keys_review(actor, account_id, today=TODAY)
    writable.drafting.ten_keys_review(writable.priya, None, today=TODAY)
    assert row_counts(writable.engine) == before


def test_evidence_is_read_with_writes_refused(writable: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    account = writable.account(NORTHGATE)
    real = writable.records.notes.list

    def list_then_write(**kwargs: object) -> object:
        writable.records.notes.create(
            actor=writable.dana, account_id=account.id, data={"occurred_on": TODAY, "author": "x", "body": "y"}
        )
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(writable.records.notes, "list", list_then_write)
    with pytest.raises(WriteRefused):
        writable.drafting.meeting_brief(writable.dana, account.id, today=TODAY)


@pytest.mark.parametrize("name", ALL_ACCOUNTS)
def test_health_draft_saves_as_an_assistant_assessment(writable: Demo, name: str) -> None:
    actor, account_id = writable.owner(name), writable.account(name).id
    draft = writable.drafting.health_assessment(actor, account_id, today=TODAY)
    with permit_writes():
        saved = writable.records.health.create(actor=actor, account_id=account_id, data=draft.to_assessment_in())
    assert saved.assessor is Assessor.ASSISTANT and saved.overall is draft.overall
    assert {z.zone: z.score for z in saved.zones} == {z.zone: z.score for z in draft.zones}


def test_charter_revision_saves_as_a_draft_with_the_same_diff(writable: Demo) -> None:
    account = writable.account(HALVORSEN)
    draft = writable.drafting.charter_revision(writable.marcus, account.id, trigger="new_stakeholder", today=TODAY)
    assert draft.proposed is not None and draft.diff is not None and draft.current_version is not None
    with permit_writes():
        stored = writable.records.charters.create_draft(
            actor=writable.marcus, account_id=account.id, data=draft.proposed
        )
    diff = writable.records.charters.diff(
        actor=writable.marcus, account_id=account.id, from_version=draft.current_version, to_version=stored.version
    )
    assert stored.version == draft.diff.to_version
    assert [(c.clause, c.change, c.after) for c in diff.changes] == [
        (c.clause, c.change, c.after) for c in draft.diff.changes
    ]
    assert sorted(s.name for s in stored.signatories) == sorted(draft.approvers)
