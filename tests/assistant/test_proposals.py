"""Proposals: the assistant's only way to change records, applied in one transaction on approval."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from assistant.proposals.models import ProposalKind, ProposalStatus
from assistant.proposals.service import ProposalService
from assistant.records import Records
from assistant.records.actor import Actor
from assistant.records.enums import Channel, Stance
from assistant.records.errors import Conflict, NotFound
from assistant.records.models import AuditEvent, Note
from tests.assistant.conftest import TODAY, account_id


def _stance(records: Records, dana: Actor, account: int, person: int) -> Stance:
    return records.stakeholders.get(actor=dana, account_id=account, stakeholder_id=person).stance


def _raymond(records: Records, dana: Actor) -> tuple[int, int]:
    northgate = account_id(records, dana, "Northgate")
    [raymond] = [s for s in records.stakeholders.list(actor=dana, account_id=northgate) if s.name == "Raymond Cole"]
    return northgate, raymond.id


def _count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def test_stakeholder_update_changes_nothing_until_approved(
    demo_records: Records, proposals: ProposalService, dana: Actor
) -> None:
    northgate, raymond = _raymond(demo_records, dana)
    interest_before = demo_records.stakeholders.get(actor=dana, account_id=northgate, stakeholder_id=raymond).interest
    proposal = proposals.propose_stakeholder_update(
        actor=dana, account_id=northgate, stakeholder_id=raymond, changes={"stance": "supporter", "interest": 5}
    )
    assert proposal.status is ProposalStatus.PENDING and proposal.kind is ProposalKind.STAKEHOLDER_UPDATE
    assert {c.field: (c.before, c.after) for c in proposal.diff} == {
        "stance": ("detractor", "supporter"),
        "interest": (interest_before, 5),
    }
    assert _stance(demo_records, dana, northgate, raymond) is Stance.DETRACTOR

    applied = proposals.approve(actor=dana, proposal_id=proposal.id)
    assert applied.status is ProposalStatus.APPLIED and applied.result == {"entity": "stakeholder", "id": raymond}
    after = demo_records.stakeholders.get(actor=dana, account_id=northgate, stakeholder_id=raymond)
    assert (after.stance, after.interest) == (Stance.SUPPORTER, 5)
    [event] = demo_records.audit.list(actor=dana, entity="stakeholder", entity_id=raymond, limit=1)
    assert event.channel is Channel.ASSISTANT and event.actor_id == dana.user_id


def test_rejected_proposal_leaves_the_record_alone(
    demo_records: Records, proposals: ProposalService, dana: Actor
) -> None:
    northgate, raymond = _raymond(demo_records, dana)
    proposal = proposals.propose_stakeholder_update(
        actor=dana, account_id=northgate, stakeholder_id=raymond, changes={"stance": "sponsor"}
    )
    rejected = proposals.reject(actor=dana, proposal_id=proposal.id, reason="not true")
    assert rejected.status is ProposalStatus.REJECTED and rejected.error == "not true"
    assert _stance(demo_records, dana, northgate, raymond) is Stance.DETRACTOR
    with pytest.raises(Conflict):
        proposals.approve(actor=dana, proposal_id=proposal.id)


def test_a_change_that_fails_on_approval_is_marked_failed_and_writes_nothing(
    demo_records: Records, proposals: ProposalService, dana: Actor, demo_engine: Engine
) -> None:
    northgate, raymond = _raymond(demo_records, dana)
    proposal = proposals.propose_note(
        actor=dana,
        account_id=northgate,
        note={
            "occurred_on": TODAY,
            "author": "Dana Reyes",
            "body": "Raymond agreed to a tasting.",
            "mentioned_ids": [raymond],
        },
    )
    # Between proposing and approving, the stakeholder the note mentions is removed from the account.
    demo_records.stakeholders.delete(actor=dana, account_id=northgate, stakeholder_id=raymond)
    notes_before, audit_before = _count(demo_engine, Note), _count(demo_engine, AuditEvent)
    failed = proposals.approve(actor=dana, proposal_id=proposal.id)
    assert failed.status is ProposalStatus.FAILED and "mentioned_ids" in (failed.error or "")
    assert _count(demo_engine, Note) == notes_before
    assert _count(demo_engine, AuditEvent) == audit_before


def test_notes_and_actions_can_be_auto_approved_but_charters_never(
    demo_records: Records, proposals: ProposalService, dana: Actor
) -> None:
    demo_records.users.set_auto_approve(user_id=dana.user_id, kinds=["note", "action_item"])
    acme = account_id(demo_records, dana, "Acme")
    note = proposals.propose_note(
        actor=dana, account_id=acme, note={"occurred_on": TODAY, "author": "Dana Reyes", "body": "Quick check-in."}
    )
    assert note.status is ProposalStatus.APPLIED
    assert demo_records.notes.list(actor=dana, account_id=acme, limit=1)[0].body == "Quick check-in."
    current = demo_records.charters.current(actor=dana, account_id=acme)
    assert current is not None
    charter = proposals.propose_charter_revision(
        actor=dana,
        account_id=acme,
        charter={
            "purpose": current.purpose + " Revised.",
            "signatory_ids": [s.stakeholder_id for s in current.signatories],
        },
    )
    assert charter.status is ProposalStatus.PENDING
    assert any(c.field == "purpose" for c in charter.diff)
    with pytest.raises(Exception, match="cannot auto-approve charter"):
        demo_records.users.set_auto_approve(user_id=dana.user_id, kinds=["charter_revision"])


def test_approving_a_charter_revision_creates_a_draft_the_signatories_must_sign(
    demo_records: Records, proposals: ProposalService, dana: Actor
) -> None:
    quantis = account_id(demo_records, dana, "Quantis")
    current = demo_records.charters.current(actor=dana, account_id=quantis)
    assert current is not None
    proposal = proposals.propose_charter_revision(
        actor=dana, account_id=quantis, charter={**current.model_dump(include={"purpose", "mission"}), "vision": "New."}
    )
    applied = proposals.approve(actor=dana, proposal_id=proposal.id)
    draft = demo_records.charters.open_draft(actor=dana, account_id=quantis)
    assert draft is not None and applied.result == {"entity": "charter", "id": draft.id, "version": current.version + 1}
    assert demo_records.charters.current(actor=dana, account_id=quantis) == current  # still the signed one


def test_proposals_are_scoped_to_the_portfolio(
    demo_records: Records, proposals: ProposalService, dana: Actor, marcus: Actor
) -> None:
    halvorsen = account_id(demo_records, marcus, "Halvorsen")
    with pytest.raises(NotFound):
        proposals.propose_note(
            actor=dana, account_id=halvorsen, note={"occurred_on": TODAY, "author": "Dana Reyes", "body": "x"}
        )
    mine = proposals.propose_note(
        actor=marcus, account_id=halvorsen, note={"occurred_on": TODAY, "author": "Marcus Bell", "body": "x"}
    )
    assert all(p.id != mine.id for p in proposals.list(actor=dana))
    with pytest.raises(NotFound):
        proposals.approve(actor=dana, proposal_id=mine.id)
    with pytest.raises(NotFound):
        proposals.reject(actor=dana, proposal_id=mine.id)
