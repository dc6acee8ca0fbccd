"""One problem+json shape for every failure; size limits, rate limits, CORS; the OpenAPI document."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx2
import pytest

from api.main import create_app
from tests.api.conftest import Api, MakeApi

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def fields(response: httpx2.Response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def test_422_names_the_field_in_body_query_and_path(api: Api) -> None:
    missing = api.post("/v1/accounts", json={"industry": "Retail"})
    assert missing.status_code == 422 and missing.headers["content-type"] == "application/problem+json"
    assert set(missing.json()) == PROBLEM_KEYS | {"errors"} and fields(missing) == ["name"]
    nested = api.post(
        f"/v1/accounts/{api.account('acme')}/health-assessments",
        json={
            "assessed_on": "2026-11-20",
            "overall": "strong",
            "assessor": "sam_leader",
            "zones": [{"zone": "value", "score": 9}] * 4,
        },
    )
    assert "zones.0.score" in fields(nested)
    assert fields(api.get("/v1/accounts", params={"limit": 0})) == ["limit"]
    assert fields(api.get("/v1/accounts/not-a-number")) == ["account_id"]
    assert fields(api.post("/v1/accounts", json={"name": "X", "industry": "Y", "colour": "red"})) == ["colour"]


def test_service_level_422_and_409_name_the_field_too(api: Api) -> None:
    acme = api.account("acme")
    bad_owner = api.patch(f"/v1/accounts/{acme}", json={"contract_end": "1999-01-01", "contract_start": "2000-01-01"})
    assert bad_owner.status_code == 422 and fields(bad_owner) == ["contract_end"]
    conflict = api.patch(f"/v1/accounts/{acme}", json={"name": "Solara Energy"})
    assert conflict.status_code == 409 and fields(conflict) == ["name"]


def test_malformed_json_is_a_422_on_the_body(api: Api) -> None:
    response = api.post("/v1/accounts", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 422 and fields(response) == ["body"]


def test_unknown_route_and_method_are_problems_too(api: Api) -> None:
    unknown = api.get("/v1/nothing-here")
    assert unknown.status_code == 404 and set(unknown.json()) == PROBLEM_KEYS
    wrong = api.client.put("/v1/accounts", headers=api.auth())
    assert wrong.status_code == 405 and wrong.json()["status"] == 405


def test_body_over_the_limit_is_413_by_length_and_while_streaming(make_api: MakeApi) -> None:
    api = make_api(max_request_bytes=2_000)
    audit_before = api.audit_count()
    big = {"occurred_on": "2026-11-20", "author": "Dana Reyes", "body": "x" * 5_000}
    declared = api.post(f"/v1/accounts/{api.account('acme')}/notes", json=big)
    assert declared.status_code == 413 and declared.json()["status"] == 413
    assert "2000 bytes" in declared.json()["detail"]

    def chunks() -> Iterator[bytes]:
        yield b'{"occurred_on": "2026-11-20", "author": "Dana Reyes", "body": "'
        for _ in range(10):
            yield b"y" * 500
        yield b'"}'

    chunked = api.post(
        f"/v1/accounts/{api.account('acme')}/notes", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert chunked.status_code == 413 and chunked.headers["content-type"] == "application/problem+json"
    assert api.audit_count() == audit_before


def test_rate_limit_is_per_key_on_chat_and_drafts_with_retry_after(make_api: MakeApi) -> None:
    api = make_api(rate_limit_per_minute=3)
    quarterly = f"/v1/accounts/{api.account('acme')}/reviews/quarterly"
    assert [api.post(quarterly).status_code for _ in range(3)] == [200, 200, 200]
    limited = api.post(quarterly)
    assert limited.status_code == 429 and limited.json()["type"].endswith("rate-limited")
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    chat = api.post("/v1/chat/completions", json={"model": "samcoach", "messages": [{"role": "user", "content": "hi"}]})
    assert chat.status_code == 429 and chat.json()["error"]["type"] == "rate_limit_error"
    conversation = api.post("/v1/conversations", json={}).json()["id"]
    assert api.post(f"/v1/conversations/{conversation}/messages", json={"content": "hi"}).status_code == 429
    assert api.get("/v1/accounts").status_code == 200  # reads are not limited
    assert api.post(f"/v1/accounts/{api.account('halvorsen')}/reviews/quarterly", who="marcus").status_code == 200


def test_the_sliding_window_frees_calls_after_a_minute() -> None:
    from api.errors import ApiProblem
    from api.limits import RateLimiter

    now = [1000.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    limiter.hit("key")
    now[0] += 30
    limiter.hit("key")
    with pytest.raises(ApiProblem) as refused:
        limiter.hit("key")
    assert refused.value.headers == {"Retry-After": "30"}
    limiter.hit("other key")
    now[0] += 30.5
    limiter.hit("key")


def test_an_unexpected_error_is_a_generic_500_without_details_and_is_logged(
    make_api: MakeApi, caplog: pytest.LogCaptureFixture
) -> None:
    api = make_api(raise_server_exceptions=False)

    def explode(**_: object) -> None:
        raise RuntimeError("secret internals at /srv/db")

    object.__setattr__(api.runtime.records.accounts, "list", explode)
    with caplog.at_level(logging.ERROR, logger="api"):
        response = api.get("/v1/accounts")
    assert response.status_code == 500 and response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "An unexpected error occurred; it has been logged."
    assert "secret internals" not in response.text and "Traceback" not in response.text
    assert any("secret internals" in str(record.exc_info) for record in caplog.records)


def test_cors_is_off_by_default_and_on_for_configured_origins(make_api: MakeApi) -> None:
    preflight = {"Origin": "https://crm.example", "Access-Control-Request-Method": "GET"}
    plain = make_api()
    assert "access-control-allow-origin" not in plain.client.options("/v1/accounts", headers=preflight).headers
    allowed = make_api(cors_origins=["https://crm.example"])
    response = allowed.client.options("/v1/accounts", headers=preflight)
    assert response.headers["access-control-allow-origin"] == "https://crm.example"


def test_openapi_documents_tags_operation_ids_examples_and_problem_errors(api: Api) -> None:
    schema = api.client.get("/openapi.json").json()
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert len(operations) >= 70
    assert all(op.get("tags") for _, _, op in operations)
    ids = [op["operationId"] for _, _, op in operations]
    assert len(set(ids)) == len(ids) and "list_accounts" in ids and "create_chat_completion" in ids
    assert all(id_.isidentifier() and id_.islower() for id_ in ids)
    with_examples = {
        op["operationId"]
        for _, _, op in operations
        if any("examples" in media for media in op.get("requestBody", {}).get("content", {}).values())
    }
    assert {
        "create_account",
        "create_note",
        "send_message",
        "create_chat_completion",
        "draft_meeting_brief",
    } <= with_examples
    assert "ApiKey" in schema["components"]["securitySchemes"]
    get_account = schema["paths"]["/v1/accounts/{account_id}"]["get"]["responses"]
    assert "application/problem+json" in get_account["404"]["content"]
    assert "application/problem+json" in get_account["422"]["content"]


def test_create_app_without_a_runtime_builds_one_in_the_lifespan(tmp_path: object) -> None:
    from pathlib import Path

    from fastapi.testclient import TestClient

    from tests.api.conftest import make_settings

    app = create_app(make_settings(Path(str(tmp_path))))
    with TestClient(app) as client:
        assert client.get("/readyz").json()["checks"]["database"]["ok"] is True
        assert client.get("/v1/accounts").status_code == 401
    assert app.state.runtime is None
