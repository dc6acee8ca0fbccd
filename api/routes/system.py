"""Liveness, readiness and who-am-I."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import CurrentUser, RecordsDep, RuntimeDep, SettingsDep
from api.errors import problems
from api.probes import readiness
from api.schemas import Liveness, MeOut, Readiness

router = APIRouter(tags=["system"])


@router.get("/healthz", response_model=Liveness)
async def liveness() -> Liveness:
    """The process is up (no dependencies checked, no key needed)."""
    return Liveness()


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness, "description": "Not ready"}})
def get_readiness(runtime: RuntimeDep, response: Response) -> Readiness:
    """Database, vector store and language model backend reachable; 503 naming whichever is not."""
    report = readiness(runtime)
    if report.status != "ok":
        response.status_code = 503
    return report


@router.get("/v1/me", response_model=MeOut, responses=problems(401))
def get_me(records: RecordsDep, settings: SettingsDep, actor: CurrentUser) -> MeOut:
    """The user your API key belongs to, and the backend that answers your chats."""
    user = records.users.get(user_id=actor.user_id)
    return MeOut(**user.model_dump(), backend=settings.llm.describe())
