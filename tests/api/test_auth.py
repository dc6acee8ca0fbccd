"""Every route but the probes needs a valid, unrevoked API key; all failures look the same."""

from __future__ import annotations

import httpx2
import pytest

from tests.api.conftest import Api

PROTECTED = ["/v1/me", "/v1/accounts", "/v1/proposals", "/v1/lessons", "/v1/models", "/v1/knowledge/search?q=x"]


def _assert_unauthorized(response: httpx2.Response) -> None:
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("path", PROTECTED)
def test_missing_header_is_401_with_a_bearer_challenge(api: Api, path: str) -> None:
    response = api.client.get(path)
    _assert_unauthorized(response)


@pytest.mark.parametrize(
    "header",
    [
        "Basic ZGFuYTpzZWNyZXQ=",  # wrong scheme
        "Bearer",  # no key
        "Bearer sc_000000000000_not-a-real-key",  # well-formed, unknown
        "Bearer garbage",  # malformed
        "Token sc_abc_def",  # unknown scheme
    ],
)
def test_wrong_scheme_or_unknown_key_is_401(api: Api, header: str) -> None:
    response = api.client.get("/v1/accounts", headers={"Authorization": header})
    _assert_unauthorized(response)
    body = response.json()
    assert body["status"] == 401 and body["type"].endswith("unauthorized") and body["instance"] == "/v1/accounts"
    assert response.headers["content-type"] == "application/problem+json"


def test_revoked_key_is_refused_like_an_unknown_one(api: Api) -> None:
    records = api.runtime.records
    dana = records.users.get_by_email(email="dana@beacon.example")
    created = records.keys.create(user_id=dana.id, name="to revoke")
    headers = {"Authorization": f"Bearer {created.secret}"}
    assert api.client.get("/v1/me", headers=headers).status_code == 200
    records.keys.revoke(key_id=created.key.id)
    revoked = api.client.get("/v1/me", headers=headers)
    unknown = api.client.get("/v1/me", headers={"Authorization": "Bearer sc_000000000000_unknown"})
    _assert_unauthorized(revoked)
    assert revoked.json() == unknown.json()


def test_a_key_with_an_underscore_in_its_secret_still_authenticates(api: Api) -> None:
    records = api.runtime.records
    dana = records.users.get_by_email(email="dana@beacon.example")
    for _ in range(20):
        secret = records.keys.create(user_id=dana.id).secret
        assert api.client.get("/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_openai_paths_answer_401_in_openai_shape(api: Api) -> None:
    response = api.client.post("/v1/chat/completions", json={"model": "samcoach", "messages": []})
    _assert_unauthorized(response)
    assert response.json()["error"]["type"] == "authentication_error"


def test_the_key_records_its_last_use(api: Api) -> None:
    assert api.get("/v1/me").status_code == 200
    dana = api.runtime.records.users.get_by_email(email="dana@beacon.example")
    [key] = [
        k for k in api.runtime.records.keys.list(user_id=dana.id) if api.keys["dana"].startswith(f"sc_{k.prefix}_")
    ]
    assert key.last_used_at is not None
