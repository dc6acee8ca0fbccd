"""Proposals over HTTP: nothing changes until approval; approval applies the change as the approver on the
`assistant` channel; rejection leaves the record alone; a decision is final."""

from __future__ import annotations

from typing import Any

from assistant.records.actor import Actor
from assistant.records.enums import Channel
from assistant.records.services.users import actor_for
from tests.api.conftest import Api


def dana(api: Api) -> Actor:
    return actor_for(api.runtime.records.users.get_by_email(email="dana@beacon.example"), Channel.API)


def raymond(api: Api) -> tuple[int, dict[str, Any]]:
    northgate = api.account("northgate")
    people = api.get(f"/v1/accounts/{northgate}/stakeholders").json()
    return northgate, next(p for p in people if p["name"] == "Raymond Cole")


def propose_stance(api: Api, stance: str) -> dict[str, Any]:
    northgate, person = raymond(api)
    proposal = api.runtime.assistant.proposals.propose_stakeholder_update(
        actor=dana(api), account_id=northgate, stakeholder_id=person["id"], changes={"stance": stance}
    )
    return proposal.model_dump(mode="json")


def test_list_and_get_with_filters(api: Api) -> None:
    proposal = propose_stance(api, "supporter")
    northgate = api.account("northgate")
    assert [p["id"] for p in api.get("/v1/proposals", params={"status": "pending"}).json()] == [proposal["id"]]
    assert [p["id"] for p in api.get("/v1/proposals", params={"account_id": northgate}).json()] == [proposal["id"]]
    assert api.get("/v1/proposals", params={"account_id": api.account("acme")}).json() == []
    assert api.get("/v1/proposals", params={"status": "applied"}).json() == []
    got = api.get(f"/v1/proposals/{proposal['id']}").json()
    assert got["diff"] == [{"field": "stance", "before": "detractor", "after": "supporter"}]


def test_approve_applies_the_change_audited_on_the_assistant_channel(api: Api) -> None:
    northgate, person = raymond(api)
    proposal = propose_stance(api, "supporter")
    assert api.get(f"/v1/accounts/{northgate}/stakeholders/{person['id']}").json()["stance"] == "detractor"
    approved = api.post(f"/v1/proposals/{proposal['id']}/approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "applied"
    assert approved.json()["result"] == {"entity": "stakeholder", "id": person["id"]}
    assert api.get(f"/v1/accounts/{northgate}/stakeholders/{person['id']}").json()["stance"] == "supporter"
    [event] = api.get(
        "/v1/audit-events", params={"entity": "stakeholder", "entity_id": person["id"], "limit": 1}
    ).json()
    assert (event["channel"], event["actor_name"], event["action"]) == ("assistant", "Dana Reyes", "update")
    again = api.post(f"/v1/proposals/{proposal['id']}/approve")
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "status"


def test_reject_leaves_the_record_alone_and_keeps_the_reason(api: Api) -> None:
    northgate, person = raymond(api)
    proposal = propose_stance(api, "sponsor")
    audit_before = api.audit_count()
    rejected = api.post(f"/v1/proposals/{proposal['id']}/reject", json={"reason": "Not confirmed yet."})
    assert rejected.status_code == 200, rejected.text
    assert (rejected.json()["status"], rejected.json()["error"]) == ("rejected", "Not confirmed yet.")
    assert api.get(f"/v1/accounts/{northgate}/stakeholders/{person['id']}").json()["stance"] == "detractor"
    assert api.audit_count() == audit_before
    assert api.post(f"/v1/proposals/{proposal['id']}/approve").status_code == 409


def test_a_drafted_health_assessment_is_recorded_only_once_approved(api: Api) -> None:
    solara = api.account("solara")
    before = api.get(f"/v1/accounts/{solara}/health-assessments", params={"assessor": "assistant"}).json()
    proposal = api.post(f"/v1/accounts/{solara}/reviews/health-assessment").json()["proposal"]
    assert api.get(f"/v1/accounts/{solara}/health-assessments", params={"assessor": "assistant"}).json() == before
    approved = api.post(f"/v1/proposals/{proposal['id']}/approve").json()
    assert approved["status"] == "applied" and approved["result"]["entity"] == "health_assessment"
    after = api.get(f"/v1/accounts/{solara}/health-assessments", params={"assessor": "assistant"}).json()
    assert [a["id"] for a in after] == [approved["result"]["id"], *(a["id"] for a in before)]


def test_reject_without_a_body_and_unknown_proposals(api: Api) -> None:
    proposal = propose_stance(api, "neutral")
    assert api.post(f"/v1/proposals/{proposal['id']}/reject").json()["status"] == "rejected"
    assert api.post("/v1/proposals/987654/approve").status_code == 404
    assert api.get("/v1/proposals/987654").json()["detail"] == "proposal 987654 not found"
