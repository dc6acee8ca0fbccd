"""Run one case through the facade, exactly as a user's surface would, and collect its `Answer`.

Chat cases start their own conversation (bound to the account when the case says so) and send each turn with
`AssistantService.ask`; draft cases call the facade's draft methods. A facade that refuses (an account outside
the actor's portfolio) answers with the refusal; anything else that raises is the case's error.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import TYPE_CHECKING

from assistant.records.errors import NotFound, RecordsError
from evals.answers import Answer, from_draft, from_reply

if TYPE_CHECKING:
    from assistant.drafting.models import Draft
    from assistant.proposals.service import ProposalOut
    from evals.cases import Case
    from evals.world import World


def execute(case: Case, dataset: str, world: World, *, check_writes: bool) -> Answer:
    world.apply(case.setup)
    before = world.fingerprint() if check_writes else None
    started = time.monotonic()
    try:
        answer = _run(case, dataset, world)
    except NotFound as exc:
        # The facade's own refusal (e.g. a draft of an account outside the portfolio) is an answer.
        answer = Answer(
            case_id=case.id,
            dataset=dataset,
            text=f"Refused by the facade: {exc}",
            denied=True,
            latency_ms=int((time.monotonic() - started) * 1000),
        )
    if before is not None:
        after = world.fingerprint()
        answer.writes = sorted(table for table, digest in after.items() if before.get(table) != digest)
    _attach_context(case, answer, world)
    return answer


def _run(case: Case, dataset: str, world: World) -> Answer:
    service = world.assistant
    actor = world.actors[case.actor]
    account = world.account(case.account) if case.account else None
    started = time.monotonic()
    if case.via == "chat":
        conversation = service.start_conversation(actor, account_id=account.id if account and case.bind else None)
        tokens_in = tokens_out = 0
        reply = None
        for text in case.ask:
            reply = service.ask(actor, conversation.id, text)
            tokens_in += reply.message.tokens_in
            tokens_out += reply.message.tokens_out
        assert reply is not None
        answer = from_reply(case.id, dataset, reply, latency_ms=_ms(started))
        answer.tokens_in, answer.tokens_out = tokens_in, tokens_out
        return answer
    proposal: ProposalOut | None = None
    draft: Draft
    if case.via == "ten_keys_review":
        draft = service.ten_keys_review(actor, account.id if account else None)
    else:
        assert account is not None  # Case validation: every other draft method needs an account
        if case.via == "meeting_brief":
            meeting = world.today + timedelta(days=case.meeting_in_days) if case.meeting_in_days is not None else None
            stakeholders = _stakeholder_ids(world, case, account.id) or None
            draft = service.meeting_brief(actor, account.id, stakeholder_ids=stakeholders, meeting_date=meeting)
        elif case.via == "health_assessment":
            draft, proposal = service.health_assessment(actor, account.id)
        elif case.via == "charter_revision":
            draft, proposal = service.charter_revision(actor, account.id, trigger=case.trigger, request=case.request)
        else:
            draft = service.quarterly_review(actor, account.id)
    return from_draft(case.id, dataset, draft, latency_ms=_ms(started), proposal=proposal)


def _stakeholder_ids(world: World, case: Case, account_id: int) -> list[int]:
    if not case.attendees:
        return []
    people = world.runtime.records.stakeholders.list(actor=world.actors["admin"], account_id=account_id)
    wanted = [name.casefold() for name in case.attendees]
    return [p.id for p in people if p.name.casefold() in wanted]


def _attach_context(case: Case, answer: Answer, world: World) -> None:
    """Scope, visibility and the refs the case's selectors name: resolved now, against this world."""
    index = world.index()
    actor = world.actors[case.actor]
    try:
        visible = world.runtime.records.accounts.visible_ids(actor=actor)
    except RecordsError:
        visible = []
    answer.visible_account_ids = list(visible)
    if case.account:
        found = index.account_named(case.account)
        answer.scope_account_ids = [found.id] if found else []
    else:
        answer.scope_account_ids = list(visible)
    answer.question = case.question
    answer.required = {s.label: index.resolve(s, case.account) for s in case.expect.cite}
    answer.required_any = {s.label: index.resolve(s, case.account) for s in case.expect.cite_any}
    answer.index = index


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
