"""Portfolio scoping on every account-scoped route: a SAM leader gets the same 404 for another leader's account
as for one that does not exist (existence never leaks), writes nothing, and their manager sees both.

The routes are enumerated from the app, so a new account-scoped route is covered without touching this file.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel

from api.examples import EXAMPLES
from tests.api.conftest import HALVORSEN, Api

NONEXISTENT = 999_999
# Path parameters that name something inside a portfolio, and the record kind each names.
SCOPED_PARAMS = (
    "account_id",
    "stakeholder_id",
    "version",
    "metric_id",
    "assessment_id",
    "action_id",
    "opportunity_id",
    "note_id",
    "conversation_id",
    "proposal_id",
)
REQUIRED_QUERY = {"diff_charter_versions": {"from_version": 1, "to_version": 1}}


@dataclass
class Foreign:
    ids: dict[str, int]
    secrets: list[str]


@pytest.fixture
def foreign(api: Api) -> Foreign:
    """Ids of Marcus's records (Halvorsen Logistics), found as Marcus, and words only his data contains."""
    account = api.account("halvorsen")
    base = f"/v1/accounts/{account}"

    def first(path: str, key: str = "id", **params: Any) -> int:
        response = api.get(f"{base}{path}", who="marcus", params=params)
        assert response.status_code == 200, response.text
        return int(response.json()[0][key])

    people = api.get(f"{base}/stakeholders", who="marcus", params={"include_inactive": True}).json()
    conversation = api.post("/v1/conversations", who="marcus", json={"account_id": account}).json()
    draft = api.post(f"{base}/reviews/health-assessment", who="marcus")
    assert draft.status_code == 200, draft.text
    ids = {
        "account_id": account,
        "stakeholder_id": people[0]["id"],
        "version": first("/charters", "version"),
        "metric_id": first("/metrics"),
        "assessment_id": first("/health-assessments"),
        "action_id": first("/action-items"),
        "opportunity_id": first("/opportunities"),
        "note_id": first("/notes"),
        "conversation_id": conversation["id"],
        "proposal_id": draft.json()["proposal"]["id"],
    }
    secrets = [HALVORSEN, "Halvorsen", *(p["name"] for p in people if p["side"] == "client")]
    return Foreign(ids=ids, secrets=secrets)


@dataclass(frozen=True)
class Scoped:
    path: str
    route: APIRoute
    method: str

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


def scoped_routes(api: Api) -> list[Scoped]:
    """Every operation with a portfolio-scoped path parameter (routes of included routers carry their prefix)."""
    found: list[Scoped] = []
    for context in iter_route_contexts(api.app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or context.path is None:
            continue
        params = set(re.findall(r"{(\w+)}", context.path))
        if params and params <= set(SCOPED_PARAMS):
            found.extend(Scoped(context.path, route, method) for method in sorted(route.methods or ()))
    return found


def body_for(route: APIRoute) -> dict[str, Any] | None:
    if route.body_field is None:
        return None
    annotation = route.body_field.field_info.annotation
    candidates = [annotation, *typing.get_args(annotation)]
    model = next(c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel))
    return dict(EXAMPLES[model][1])


def call(api: Api, op: Scoped, ids: dict[str, int], who: str) -> Any:
    path = op.path
    for name in re.findall(r"{(\w+)}", op.path):
        path = path.replace(f"{{{name}}}", str(ids[name]))
    return api.client.request(
        op.method, path, headers=api.auth(who), json=body_for(op.route), params=REQUIRED_QUERY.get(op.route.name)
    )


def normalized(text: str, value: int) -> str:
    return re.sub(rf"\b{value}\b", "<id>", text)


def test_every_account_scoped_route_is_enumerated(api: Api) -> None:
    names = {op.route.name for op in scoped_routes(api)}
    assert len(names) >= 45
    assert {"get_account", "draft_quarterly_review", "send_message", "approve_proposal", "get_note"} <= names


def test_dana_gets_the_same_404_as_for_nothing_on_every_route_and_no_halvorsen_data(api: Api, foreign: Foreign) -> None:
    audit_before = api.audit_count()
    leaks: list[str] = []
    for op in scoped_routes(api):
        response = call(api, op, foreign.ids, "dana")
        label = op.label
        if response.status_code != 404:
            leaks.append(f"{label}: status {response.status_code}: {response.text[:200]}")
            continue
        if any(secret in response.text for secret in foreign.secrets):
            leaks.append(f"{label}: body names Halvorsen data: {response.text[:200]}")
        # The 404 for Marcus's record must read exactly like the 404 for a record that does not exist.
        primary = next(p for p in SCOPED_PARAMS if f"{{{p}}}" in op.path)
        missing = call(api, op, {**foreign.ids, primary: NONEXISTENT}, "dana")
        if normalized(response.text, foreign.ids[primary]) != normalized(missing.text, NONEXISTENT):
            leaks.append(f"{label}: differs from a missing record: {response.text} vs {missing.text}")
    assert leaks == []
    assert api.audit_count() == audit_before


def test_query_and_body_references_to_another_portfolio_are_404_too(api: Api, foreign: Foreign) -> None:
    halvorsen = foreign.ids["account_id"]
    checks = [
        api.get("/v1/proposals", params={"account_id": halvorsen}),
        api.get("/v1/audit-events", params={"account_id": halvorsen}),
        api.get("/v1/knowledge/search", params={"q": "security guard posts", "account_id": halvorsen}),
        api.post("/v1/conversations", json={"account_id": halvorsen}),
        api.post(
            "/v1/chat/completions",
            json={
                "model": "samcoach",
                "messages": [{"role": "user", "content": "hi"}],
                "metadata": {"account_id": halvorsen},
            },
        ),
        api.post(
            "/v1/chat/completions",
            json={
                "model": "samcoach",
                "messages": [{"role": "user", "content": "hi"}],
                "metadata": {"account": "halvorsen"},
            },
        ),
    ]
    assert [c.status_code for c in checks] == [404] * len(checks)
    assert not any(secret in c.text for c in checks for secret in foreign.secrets[2:])


def test_portfolio_wide_lists_and_search_show_dana_nothing_of_halvorsen(api: Api, foreign: Foreign) -> None:
    halvorsen = foreign.ids["account_id"]
    responses = [
        api.get("/v1/accounts", params={"limit": 500}),
        api.get("/v1/proposals"),
        api.get("/v1/audit-events", params={"limit": 500}),
        api.get("/v1/conversations"),
        api.get("/v1/reviews/ten-keys"),
    ]
    assert all(r.status_code == 200 for r in responses)
    assert not any(secret in r.text for r in responses for secret in foreign.secrets)
    for query in ("guard posts security incidents", "Halvorsen VP of Operations", *foreign.secrets[2:5]):
        hits = api.get("/v1/knowledge/search", params={"q": query, "k": 20}).json()
        assert all(hit["account_id"] in (None, *api.accounts.values()) for hit in hits)
        assert all(hit["account_id"] != halvorsen for hit in hits)


def test_priya_the_manager_reads_both_portfolios(api: Api, foreign: Foreign) -> None:
    dana_account = api.account("acme")
    compared = 0
    for op in scoped_routes(api):
        if op.method != "GET" or op.route.name == "get_conversation":  # conversations belong to their author
            continue
        as_owner = call(api, op, foreign.ids, "marcus")
        as_manager = call(api, op, foreign.ids, "priya")
        assert as_manager.status_code == as_owner.status_code == 200, f"{op.label}: {as_manager.text[:200]}"
        compared += 1
    assert compared >= 20
    assert api.get(f"/v1/accounts/{dana_account}", who="priya").status_code == 200
    names = {a["name"] for a in api.get("/v1/accounts", who="priya").json()}
    assert HALVORSEN in names and "Acme Real Estate Company" in names
    assert api.get(f"/v1/proposals/{foreign.ids['proposal_id']}", who="priya").status_code == 200
