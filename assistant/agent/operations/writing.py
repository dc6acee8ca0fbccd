"""Writer tools: each turns the model's intent into a *proposal*; nothing here changes a record.

The person approves or rejects the proposal (or has chosen to auto-approve notes and action items).
"""

from __future__ import annotations

from datetime import date

from assistant.agent.artifacts import ProposalArtifact
from assistant.agent.context import AssistantContext
from assistant.agent.operations.reading import ToolOutput
from assistant.agent.operations.resolve import Unresolved, resolve_account, resolve_stakeholder
from assistant.citations import Citation
from assistant.drafting.evidence import cite_stakeholder
from assistant.drafting.render import to_markdown
from assistant.proposals.service import ProposalOut
from assistant.records.enums import ActionOrigin, DecisionRole, NoteKind, Stance
from assistant.records.errors import RecordsError

CHARTER_TRIGGERS = ("new_stakeholder", "missed_metric", "annual_review", "user_request")


def _describe(proposal: ProposalOut) -> str:
    changes = "; ".join(
        f"{c.field}: {c.before!s} → {c.after!s}" if c.before is not None else f"{c.field}: {c.after!s}"
        for c in proposal.diff[:12]
    )
    if proposal.status.value == "applied":
        state = "It was applied automatically (your auto-approve setting covers this kind)."
    else:
        state = "It is waiting for your approval; nothing has changed yet."
    return f"Proposal #{proposal.id} ({proposal.kind.value}): {proposal.summary}. Changes: {changes}. {state}"


def _proposed(
    ctx: AssistantContext,
    tool: str,
    proposal: ProposalOut,
    extra: list[Citation] | None = None,
    *,
    draft_markdown: str = "",
) -> ToolOutput:
    citations = [*proposal.citations, *(extra or [])]
    account = ctx.records.accounts.get(actor=ctx.actor, account_id=proposal.account_id)
    artifact = ProposalArtifact(
        tool=tool, account=account, proposal=proposal, citations=citations, draft_markdown=draft_markdown
    )
    return _describe(proposal), artifact


def _refused(tool: str, exc: RecordsError) -> Unresolved:
    return Unresolved(tool, f"I could not prepare that change: {exc}")


def propose_note(
    ctx: AssistantContext,
    account_name: str | None,
    body: str,
    kind: str = "observation",
    occurred_on: date | None = None,
    mentioned: list[str] | None = None,
) -> ToolOutput:
    tool = "propose_note"
    account = resolve_account(ctx, account_name, tool=tool)
    people = [resolve_stakeholder(ctx, account, name, tool=tool) for name in mentioned or []]
    note_kind = kind if kind in {k.value for k in NoteKind} else NoteKind.OBSERVATION.value
    try:
        proposal = ctx.proposals.propose_note(
            actor=ctx.actor,
            account_id=account.id,
            conversation_id=ctx.conversation_id,
            note={
                "occurred_on": occurred_on or ctx.today,
                "author": ctx.actor.name,
                "kind": note_kind,
                "body": body,
                "mentioned_ids": [p.id for p in people],
            },
            rationale="Requested in conversation.",
            citations=[cite_stakeholder(p) for p in people],
        )
    except RecordsError as exc:
        raise _refused(tool, exc) from exc
    return _proposed(ctx, tool, proposal)


def propose_stakeholder_update(
    ctx: AssistantContext,
    account_name: str | None,
    stakeholder: str,
    *,
    stance: str | None = None,
    power: int | None = None,
    interest: int | None = None,
    title: str | None = None,
    decision_role: str | None = None,
    last_contact_on: date | None = None,
    rationale: str = "",
) -> ToolOutput:
    tool = "propose_stakeholder_update"
    account = resolve_account(ctx, account_name, tool=tool)
    person = resolve_stakeholder(ctx, account, stakeholder, tool=tool)
    changes: dict[str, object] = {}
    if stance is not None:
        if stance not in {s.value for s in Stance}:
            raise Unresolved(tool, f"Unknown stance {stance!r}; use sponsor, supporter, neutral, skeptic or detractor.")
        changes["stance"] = stance
    if decision_role is not None:
        if decision_role not in {r.value for r in DecisionRole}:
            raise Unresolved(tool, f"Unknown decision role {decision_role!r}.")
        changes["decision_role"] = decision_role
    for field, value in (
        ("power", power),
        ("interest", interest),
        ("title", title),
        ("last_contact_on", last_contact_on),
    ):
        if value is not None:
            changes[field] = value
    try:
        proposal = ctx.proposals.propose_stakeholder_update(
            actor=ctx.actor,
            account_id=account.id,
            stakeholder_id=person.id,
            changes=changes,
            rationale=rationale or "Requested in conversation.",
            citations=[cite_stakeholder(person)],
            conversation_id=ctx.conversation_id,
        )
    except RecordsError as exc:
        raise _refused(tool, exc) from exc
    return _proposed(ctx, tool, proposal)


def propose_action_item(
    ctx: AssistantContext,
    account_name: str | None,
    title: str,
    owner: str | None = None,
    due_on: date | None = None,
    stakeholder: str | None = None,
    rationale: str = "",
) -> ToolOutput:
    tool = "propose_action_item"
    account = resolve_account(ctx, account_name, tool=tool)
    person = resolve_stakeholder(ctx, account, stakeholder, tool=tool) if stakeholder else None
    try:
        proposal = ctx.proposals.propose_action_item(
            actor=ctx.actor,
            account_id=account.id,
            conversation_id=ctx.conversation_id,
            item={
                "title": title,
                "owner": owner or ctx.actor.name,
                "due_on": due_on,
                "origin": ActionOrigin.ASSISTANT.value,
                "stakeholder_id": person.id if person else None,
            },
            rationale=rationale or "Requested in conversation.",
            citations=[cite_stakeholder(person)] if person else [],
        )
    except RecordsError as exc:
        raise _refused(tool, exc) from exc
    return _proposed(ctx, tool, proposal)


def propose_health_assessment(
    ctx: AssistantContext,
    account_name: str | None,
    *,
    overall: str | None = None,
    zone_scores: dict[str, int] | None = None,
    rationale: str = "",
) -> ToolOutput:
    """The evidence-based draft is the default; the model may override the overall status or zone scores."""
    tool = "propose_health_assessment"
    account = resolve_account(ctx, account_name, tool=tool)
    draft = ctx.drafting.health_assessment(ctx.actor, account.id, today=ctx.today)
    assessment = draft.to_assessment_in()
    updates: dict[str, object] = {}
    if overall is not None:
        updates["overall"] = overall
    if zone_scores:
        updates["zones"] = [
            z.model_copy(update={"score": zone_scores.get(z.zone.value, z.score)}) for z in assessment.zones
        ]
    data = {**assessment.model_dump(), **updates}
    try:
        proposal = ctx.proposals.propose_health_assessment(
            actor=ctx.actor,
            account_id=account.id,
            assessment=data,
            conversation_id=ctx.conversation_id,
            rationale=rationale or draft.summary,
            citations=draft.citations(),
        )
    except (RecordsError, ValueError) as exc:
        raise Unresolved(tool, f"I could not prepare that assessment: {exc}") from exc
    return _proposed(ctx, tool, proposal)


def propose_charter_revision(
    ctx: AssistantContext,
    account_name: str | None,
    trigger: str = "user_request",
    request: str = "",
) -> ToolOutput:
    tool = "propose_charter_revision"
    account = resolve_account(ctx, account_name, tool=tool)
    if trigger not in CHARTER_TRIGGERS:
        trigger = "user_request"
    draft = ctx.drafting.charter_revision(
        ctx.actor, account.id, trigger=trigger, request=request or None, today=ctx.today
    )
    if draft.proposed is None:
        raise Unresolved(tool, draft.summary or f"{account.name} has no signed charter to revise.")
    try:
        proposal = ctx.proposals.propose_charter_revision(
            actor=ctx.actor,
            account_id=account.id,
            charter=draft.proposed,
            conversation_id=ctx.conversation_id,
            rationale=draft.summary,
            citations=draft.citations(),
        )
    except RecordsError as exc:
        raise _refused(tool, exc) from exc
    return _proposed(ctx, tool, proposal, draft_markdown=to_markdown(draft))
