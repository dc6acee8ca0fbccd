"""Readiness probes: can the API reach what it needs right now?"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from api.schemas import CheckOut, Readiness
from assistant.llm import check_backend
from assistant.runtime import Runtime

LLM_PROBE_TIMEOUT_S = 3.0


def _database(runtime: Runtime) -> str:
    with runtime.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return runtime.engine.url.get_backend_name()


def _vector_store(runtime: Runtime) -> str:
    return f"{runtime.retrieval.count()} chunks indexed"


def _llm(runtime: Runtime) -> str:
    # Offline needs no probe; an OpenAI-compatible endpoint is asked for its models (no completion is spent).
    return check_backend(runtime.settings.llm, timeout_s=LLM_PROBE_TIMEOUT_S)


def _run(check: Callable[[Runtime], str], runtime: Runtime) -> CheckOut:
    try:
        return CheckOut(ok=True, detail=check(runtime))
    except Exception as exc:
        return CheckOut(ok=False, detail=str(exc)[:300] or type(exc).__name__)


def readiness(runtime: Runtime) -> Readiness:
    checks = {
        "database": _run(_database, runtime),
        "vector_store": _run(_vector_store, runtime),
        "llm": _run(_llm, runtime),
    }
    return Readiness(status="ok" if all(c.ok for c in checks.values()) else "unavailable", checks=checks)
