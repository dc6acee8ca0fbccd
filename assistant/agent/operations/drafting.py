"""Drafting tools: structured, cited drafts built from the records by code, not by the model."""

from __future__ import annotations

from datetime import date

from assistant.agent.artifacts import DraftArtifact
from assistant.agent.context import AssistantContext
from assistant.agent.operations.reading import ToolOutput
from assistant.agent.operations.resolve import resolve_account, resolve_stakeholder
from assistant.drafting.models import Draft
from assistant.drafting.render import to_markdown


def _artifact(tool: str, kind: str, ctx: AssistantContext, account_id: int | None, draft: Draft) -> ToolOutput:
    markdown = to_markdown(draft)
    citations = draft.citations()
    account = ctx.records.accounts.get(actor=ctx.actor, account_id=account_id) if account_id is not None else None
    return markdown, DraftArtifact(
        tool=tool, draft_kind=kind, draft=draft, markdown=markdown, citations=citations, account=account
    )


def draft_meeting_brief(
    ctx: AssistantContext,
    account_name: str | None,
    stakeholders: list[str] | None = None,
    meeting_date: date | None = None,
) -> ToolOutput:
    tool = "draft_meeting_brief"
    account = resolve_account(ctx, account_name, tool=tool)
    ids = [resolve_stakeholder(ctx, account, name, tool=tool).id for name in stakeholders or []]
    draft = ctx.drafting.meeting_brief(
        ctx.actor, account.id, stakeholder_ids=ids or None, meeting_date=meeting_date, today=ctx.today
    )
    return _artifact(tool, "meeting_brief", ctx, account.id, draft)


def draft_quarterly_review(ctx: AssistantContext, account_name: str | None) -> ToolOutput:
    tool = "draft_quarterly_review"
    account = resolve_account(ctx, account_name, tool=tool)
    draft = ctx.drafting.quarterly_review(ctx.actor, account.id, today=ctx.today)
    return _artifact(tool, "quarterly_review", ctx, account.id, draft)


def review_ten_keys(ctx: AssistantContext, account_name: str | None) -> ToolOutput:
    tool = "review_ten_keys"
    account = resolve_account(ctx, account_name, tool=tool) if account_name or ctx.account_id else None
    draft = ctx.drafting.ten_keys_review(ctx.actor, account.id if account else None, today=ctx.today)
    return _artifact(tool, "ten_keys_review", ctx, account.id if account else None, draft)
