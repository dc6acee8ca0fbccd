"""Drafts in the format the caller asked for: JSON (the draft + its Markdown), Markdown, or a Word document."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import Query, Request, Response

from assistant.drafting.models import Draft
from assistant.drafting.render import to_docx, to_markdown

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MARKDOWN_MEDIA_TYPE = "text/markdown"

DraftFormat = Literal["json", "markdown", "docx"]
FormatQuery = Annotated[
    DraftFormat | None,
    Query(
        alias="format",
        description="`docx` for a Word document, `markdown` for Markdown; "
        "without it the `Accept` header decides (`text/markdown`), else JSON",
    ),
]

DRAFT_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            MARKDOWN_MEDIA_TYPE: {"schema": {"type": "string"}},
            DOCX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
        },
        "description": "The draft: JSON by default, Markdown or a Word document on request.",
    }
}


def wanted_format(request: Request, requested: DraftFormat | None) -> DraftFormat:
    if requested is not None:
        return requested
    accept = request.headers.get("accept", "")
    if DOCX_MEDIA_TYPE in accept:
        return "docx"
    if MARKDOWN_MEDIA_TYPE in accept and "application/json" not in accept:
        return "markdown"
    return "json"


def markdown_of(draft: Any) -> str:
    return to_markdown(draft)


def file_response(draft: Draft, fmt: DraftFormat, headers: dict[str, str] | None = None) -> Response | None:
    """The Markdown or Word response for `fmt`, or None when the caller wants JSON."""
    if fmt == "markdown":
        return Response(to_markdown(draft), media_type=f"{MARKDOWN_MEDIA_TYPE}; charset=utf-8", headers=headers)
    if fmt == "docx":
        name = "-".join(part for part in (draft.kind, _slug(draft.account_name), str(draft.generated_on)) if part)
        return Response(
            to_docx(draft),
            media_type=DOCX_MEDIA_TYPE,
            headers={**(headers or {}), "Content-Disposition": f'attachment; filename="{name}.docx"'},
        )
    return None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]
