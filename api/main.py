"""The SAM Coach HTTP API: `create_app(settings)` builds it; `uvicorn api.main:create_app --factory` serves it.

Everything the API does goes through the records services and the `AssistantService` facade, scoped to the
caller's portfolio by their API key. Errors are problem+json (OpenAI's error object on the OpenAI-compatible
paths); request bodies are size-limited; chat and draft calls are rate-limited per key.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from api.errors import install_error_handlers
from api.limits import BodySizeLimit, RateLimiter
from api.routes import (
    accounts,
    audit,
    charters,
    chat,
    drafts,
    health,
    knowledge,
    learning,
    metrics,
    notes,
    openai_compat,
    plans,
    proposals,
    stakeholders,
    system,
)
from assistant.runtime import Runtime, build_runtime
from assistant.settings import Settings, get_settings

VERSION = "1.0.0"
DESCRIPTION = """\
SAM Coach over HTTP: the records of your strategic accounts, cited drafts, a coaching chat (streamed as
Server-Sent Events) and an OpenAI-compatible Chat Completions endpoint (model `samcoach`).

**Authentication.** Every `/v1` call needs an API key: `Authorization: Bearer <key>` (create one with
`samcoach users keys create <email>`). A missing, unknown or revoked key is a 401.

**Your portfolio only.** Everything is scoped to the accounts you own (a manager: the team's). Another
leader's account, note, proposal or conversation answers 404, exactly as one that does not exist.

**Errors** are `application/problem+json` (RFC 9457): `type`, `title`, `status`, `detail`, `instance`, and
`errors: [{field, message}]` when a field is wrong (422) or conflicts (409). The OpenAI-compatible paths answer
with OpenAI's error object instead. A language model backend that cannot answer is a 503 with `Retry-After`.

**Limits.** Request bodies are size-limited (413; uploads have their own limit). Chat and draft calls are
rate-limited per key (429 with `Retry-After`). Changes the assistant proposes wait for your approval under
`/v1/proposals`.
"""
ROUTERS = (
    system,
    accounts,
    stakeholders,
    charters,
    metrics,
    notes,
    health,
    plans,
    audit,
    drafts,
    chat,
    proposals,
    knowledge,
    learning,
    openai_compat,
)
TAGS = [
    {"name": "system", "description": "Liveness, readiness and the caller."},
    {"name": "accounts", "description": "The accounts of your portfolio (a manager's includes the team's)."},
    {"name": "stakeholders", "description": "People on both sides, stance history, relationship coverage."},
    {"name": "charters", "description": "Partnership charters: versions, diffs, drafts and signatory approval."},
    {"name": "metrics", "description": "Key success metrics and their readings against the charter's targets."},
    {"name": "notes", "description": "Meeting, call and email notes."},
    {"name": "health", "description": "Health assessments by zone."},
    {"name": "action items", "description": "The account plan's commitments."},
    {"name": "opportunities", "description": "The growth pipeline."},
    {"name": "audit", "description": "Who changed what, when and through which channel."},
    {"name": "drafts", "description": "Cited drafts as JSON, Markdown or Word; rate-limited per key."},
    {"name": "chat", "description": "Conversations with the coach, streamed as Server-Sent Events or not."},
    {"name": "proposals", "description": "Changes the assistant prepared; nothing changes until you approve."},
    {"name": "knowledge", "description": "Search the knowledge base and upload documents."},
    {"name": "learning", "description": "Lessons, quizzes and exercises of the learning path."},
    {"name": "openai-compatible", "description": "Chat Completions for any OpenAI client (model `samcoach`)."},
]


def _operation_id(route: APIRoute) -> str:
    # Function names are unique across routers and read well in generated clients: `list_accounts`.
    return route.name


def _start(settings: Settings) -> Runtime:
    runtime = build_runtime(settings)
    # Build the assistant now: a backend that cannot work stops the server at start, not at the first chat.
    runtime.assistant  # noqa: B018
    return runtime


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    owned: Runtime | None = None
    if getattr(app.state, "runtime", None) is None:
        owned = await run_in_threadpool(_start, app.state.settings)
        app.state.runtime = owned
    try:
        yield
    finally:
        if owned is not None:
            owned.close()
            app.state.runtime = None


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> FastAPI:
    """The app. Without `runtime` the lifespan builds one from `settings` (default: the environment)."""
    settings = settings or (runtime.settings if runtime is not None else get_settings())
    app = FastAPI(
        title="SAM Coach API",
        version=VERSION,
        summary="Strategic account records, cited drafts, coaching chat and an OpenAI-compatible endpoint.",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    app.state.settings = settings
    app.state.runtime = runtime
    app.state.limiter = RateLimiter(settings.api.rate_limit_per_minute)
    app.state.key_touched = {}
    install_error_handlers(app)
    for module in ROUTERS:
        app.include_router(module.router)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.api.max_request_bytes,
        upload_max_bytes=settings.api.max_upload_bytes,
        upload_paths=[knowledge.UPLOAD_PATH],
    )
    if settings.api.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.api.cors_origins,
            allow_methods=["*"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
            expose_headers=["Retry-After", "X-Proposal-Id", "Content-Disposition"],
        )
    return app


def run() -> None:
    """`python -m api`: serve on the configured host and port."""
    import uvicorn

    settings = get_settings()
    uvicorn.run("api.main:create_app", factory=True, host=settings.api.host, port=settings.api.port)
