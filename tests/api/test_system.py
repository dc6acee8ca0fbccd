"""Probes and the caller's identity."""

from __future__ import annotations

from sqlalchemy import create_engine

from tests.api.conftest import Api


def test_liveness_needs_no_key(api: Api) -> None:
    response = api.client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readiness_checks_database_vector_store_and_llm(api: Api) -> None:
    response = api.client.get("/readyz")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "vector_store", "llm"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["llm"]["detail"].startswith("offline")


def test_readiness_is_503_naming_the_database_when_it_is_gone(api: Api) -> None:
    real, api.runtime.engine = api.runtime.engine, create_engine("sqlite:////nonexistent/folder/db.sqlite")
    try:
        response = api.client.get("/readyz")
    finally:
        api.runtime.engine.dispose()
        api.runtime.engine = real
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert not checks["database"]["ok"] and checks["database"]["detail"]
    assert checks["vector_store"]["ok"] and checks["llm"]["ok"]


def test_readiness_probes_an_openai_backend_and_reports_it_unreachable(api: Api) -> None:
    from assistant.settings import LLMSettings

    api.runtime.settings = api.runtime.settings.model_copy(
        update={"llm": LLMSettings(provider="openai", base_url="http://127.0.0.1:9/v1", model="m")}
    )
    response = api.client.get("/readyz")
    assert response.status_code == 503
    llm = response.json()["checks"]["llm"]
    assert not llm["ok"] and "127.0.0.1:9" in llm["detail"]


def test_me_names_the_caller_and_the_backend(api: Api) -> None:
    response = api.get("/v1/me", who="priya")
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "priya@beacon.example" and body["role"] == "manager"
    assert body["backend"].startswith("offline")
