"""Dependencies every route declares through `Annotated` aliases: the runtime, the facade, the caller."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ApiProblem
from api.limits import RateLimiter
from assistant.records import Records
from assistant.records.actor import Actor
from assistant.records.enums import Channel
from assistant.records.services.users import actor_for
from assistant.runtime import Runtime
from assistant.service import AssistantService
from assistant.settings import Settings

T = TypeVar("T")
MAX_ID = 2**31 - 1
# Recording a key's last use is a write; once per key per interval is plenty for "when was this key used".
TOUCH_INTERVAL_S = 300.0

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key from `samcoach users keys create <email>`, sent as `Authorization: Bearer <key>`.",
)


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


async def get_records(runtime: RuntimeDep) -> Records:
    return runtime.records


RecordsDep = Annotated[Records, Depends(get_records)]


def get_assistant(runtime: RuntimeDep) -> AssistantService:
    # Sync on purpose: the first call builds the agent (and may load a model), which must not block the loop.
    return runtime.assistant


AssistantDep = Annotated[AssistantService, Depends(get_assistant)]


def _unauthorized(detail: str) -> ApiProblem:
    return ApiProblem(401, detail, headers={"WWW-Authenticate": "Bearer"}, code="invalid_api_key")


def get_api_key(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str:
    if credentials is None:
        raise _unauthorized("send an API key as `Authorization: Bearer <key>`")
    return credentials.credentials


ApiKey = Annotated[str, Depends(get_api_key)]


def current_actor(request: Request, records: RecordsDep, token: ApiKey) -> Actor:
    """The caller, acting on the API channel. Unknown, malformed and revoked keys are one and the same 401."""
    user = records.keys.authenticate(token)
    if user is None:
        raise _unauthorized("the API key is not valid (unknown or revoked)")
    touched: dict[str, float] = request.app.state.key_touched
    digest, now = hashlib.sha256(token.encode()).hexdigest(), time.monotonic()
    if now - touched.get(digest, -TOUCH_INTERVAL_S) >= TOUCH_INTERVAL_S:
        touched[digest] = now
        records.keys.touch(token)
    return actor_for(user, Channel.API)


CurrentUser = Annotated[Actor, Depends(current_actor)]


def rate_limited(request: Request, actor: CurrentUser, token: ApiKey) -> Actor:
    """The caller, after counting this call against their key's per-minute budget (chat, drafts)."""
    limiter: RateLimiter = request.app.state.limiter
    limiter.hit(token)
    return actor


RateLimitedUser = Annotated[Actor, Depends(rate_limited)]


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int

    def slice(self, items: list[T]) -> list[T]:
        return items[self.offset : self.offset + self.limit]


def pagination(
    limit: Annotated[int, Query(ge=1, le=500, description="at most this many items")] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000, description="skip this many items first")] = 0,
) -> Page:
    return Page(limit=limit, offset=offset)


PageDep = Annotated[Page, Depends(pagination)]


AccountId = Annotated[int, Path(ge=1, le=MAX_ID, description="an account of your portfolio")]
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
