"""Every records route, happy path, as Dana on her own accounts; writes are audited on the `api` channel."""

from __future__ import annotations

from typing import Any

from api.examples import EXAMPLES
from assistant.records.schemas import (
    AccountIn,
    ActionItemIn,
    CharterIn,
    HealthAssessmentIn,
    MetricIn,
    NoteIn,
    OpportunityIn,
    ReadingIn,
    StakeholderIn,
)
from tests.api.conftest import DANA_ACCOUNTS, Api


def example(model: type) -> dict[str, Any]:
    return dict(EXAMPLES[model][1])


def last_audit(api: Api, entity: str, entity_id: int) -> dict[str, Any]:
    response = api.get("/v1/audit-events", params={"entity": entity, "entity_id": entity_id, "limit": 1})
    assert response.status_code == 200, response.text
    [event] = response.json()
    assert isinstance(event, dict)
    return event


def test_accounts_list_paginate_and_filter(api: Api) -> None:
    everything = api.get("/v1/accounts").json()
    assert [a["name"] for a in everything] == sorted(DANA_ACCOUNTS)
    page = api.get("/v1/accounts", params={"limit": 2, "offset": 1}).json()
    assert [a["name"] for a in page] == sorted(DANA_ACCOUNTS)[1:3]
    assert [a["name"] for a in api.get("/v1/accounts", params={"q": "sola"}).json()] == ["Solara Energy"]
    assert api.get("/v1/accounts", params={"industry": "Higher Education"}).status_code == 200
    assert api.get(f"/v1/accounts/{api.account('acme')}").json()["name"] == "Acme Real Estate Company"


def test_account_create_update_delete_are_audited_on_the_api_channel(api: Api) -> None:
    created = api.post("/v1/accounts", json=example(AccountIn))
    assert created.status_code == 201, created.text
    account = created.json()
    assert account["owner_id"] == api.runtime.records.users.get_by_email(email="dana@beacon.example").id
    event = last_audit(api, "account", account["id"])
    assert (event["action"], event["channel"], event["actor_name"]) == ("create", "api", "Dana Reyes")

    updated = api.patch(f"/v1/accounts/{account['id']}", json={"growth_potential": 5})
    assert updated.status_code == 200 and updated.json()["growth_potential"] == 5
    assert updated.json()["industry"] == account["industry"]  # partial update
    assert last_audit(api, "account", account["id"])["action"] == "update"

    assert api.delete(f"/v1/accounts/{account['id']}").status_code == 204
    assert api.get(f"/v1/accounts/{account['id']}").status_code == 404
    duplicate = api.post("/v1/accounts", json={**example(AccountIn), "name": "Acme Real Estate Company"})
    assert duplicate.status_code == 409 and duplicate.json()["errors"][0]["field"] == "name"


def test_stakeholders_stance_history_replace_and_coverage(api: Api) -> None:
    acme = api.account("acme")
    base = f"/v1/accounts/{acme}/stakeholders"
    everyone = api.get(base, params={"include_inactive": True}).json()
    suppliers = api.get(base, params={"side": "supplier"}).json()
    assert suppliers and all(s["side"] == "supplier" for s in suppliers)
    assert len(api.get(base, params={"limit": 2}).json()) == 2

    created = api.post(base, json=example(StakeholderIn))
    assert created.status_code == 201, created.text
    person = created.json()
    assert api.get(f"{base}/{person['id']}").json()["name"] == "Jordan Lee"
    changed = api.patch(f"{base}/{person['id']}", json={"stance": "sponsor"}, params={"effective_on": "2026-11-20"})
    assert changed.status_code == 200 and changed.json()["stance"] == "sponsor"
    history = api.get(f"{base}/{person['id']}/history").json()
    assert {(h["stance"], h["effective_on"]) for h in history} >= {("sponsor", "2026-11-20")}
    assert {h["stance"] for h in history} == {"neutral", "sponsor"}

    successor = api.post(
        f"{base}/{person['id']}/replace",
        json={"successor": {**example(StakeholderIn), "name": "Avery Chen"}, "left_on": "2026-11-22"},
    )
    assert successor.status_code == 201, successor.text
    assert api.get(f"{base}/{person['id']}").json()["replaced_by_id"] == successor.json()["id"]
    assert api.delete(f"{base}/{successor.json()['id']}").status_code == 204
    assert len(api.get(base, params={"include_inactive": True}).json()) == len(everyone) + 1

    coverage = api.get(f"/v1/accounts/{acme}/coverage").json()
    assert coverage and {"team_member_name", "stakeholder_name"} <= set(coverage[0])
    client = next(s for s in everyone if s["side"] == "client" and s["is_active"])
    added = api.post(
        f"/v1/accounts/{acme}/coverage",
        json={
            "team_member_id": suppliers[0]["id"],
            "stakeholder_id": client["id"],
            "access": 3,
            "influence": 3,
            "support": 4,
        },
    )
    assert added.status_code == 201, added.text
    assert last_audit(api, "coverage", added.json()["id"])["channel"] == "api"


def test_charters_versions_diff_and_the_draft_to_signed_flow(api: Api) -> None:
    acme = api.account("acme")
    base = f"/v1/accounts/{acme}/charters"
    versions = api.get(base).json()
    assert versions and versions[-1]["status"] == "signed"
    current = api.get(f"{base}/current").json()
    assert current["version"] == versions[-1]["version"]
    assert api.get(f"{base}/{current['version']}").json()["id"] == current["id"]
    if len(versions) > 1:
        diff = api.get(f"{base}/diff", params={"from_version": 1, "to_version": current["version"]})
        assert diff.status_code == 200 and diff.json()["to_version"] == current["version"]

    draft = api.post(base, json=example(CharterIn))
    assert draft.status_code == 201, draft.text
    version = draft.json()["version"]
    assert version == current["version"] + 1 and draft.json()["signatories"]
    revised = api.put(f"{base}/{version}", json={**example(CharterIn), "purpose": "A sharper purpose."})
    assert revised.status_code == 200 and revised.json()["purpose"] == "A sharper purpose."
    diff = api.get(f"{base}/diff", params={"from_version": current["version"], "to_version": version}).json()
    assert any(change["clause"] for change in diff["changes"])
    proposed = api.post(f"{base}/{version}/propose")
    assert proposed.status_code == 200 and proposed.json()["status"] == "proposed"
    assert api.put(f"{base}/{version}", json=example(CharterIn)).status_code == 409  # frozen once proposed
    for signatory in proposed.json()["signatories"]:
        approved = api.post(f"{base}/{version}/approvals", json={"signatory_id": signatory["stakeholder_id"]})
        assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "signed"
    assert api.get(f"{base}/current").json()["version"] == version


def test_metrics_readings_and_series(api: Api) -> None:
    acme = api.account("acme")
    base = f"/v1/accounts/{acme}/metrics"
    metrics = api.get(base).json()
    assert metrics
    series = api.get(f"{base}/series").json()
    assert {s["metric"]["id"] for s in series} == {m["id"] for m in metrics}
    assert any(s["target"] is not None for s in series)
    readings = api.get(f"{base}/{metrics[0]['id']}/readings").json()
    assert readings and all(r["metric_id"] == metrics[0]["id"] for r in readings)
    earlier = api.get(f"{base}/series", params={"until": "2020-01-01"}).json()
    assert all(not s["readings"] for s in earlier)

    created = api.post(base, json=example(MetricIn))
    assert created.status_code == 201, created.text
    reading = api.post(f"{base}/{created.json()['id']}/readings", json=example(ReadingIn))
    assert reading.status_code == 200 and reading.json()["value"] == 87.5
    corrected = api.post(f"{base}/{created.json()['id']}/readings", json={**example(ReadingIn), "value": 90})
    assert corrected.json()["id"] == reading.json()["id"] and corrected.json()["value"] == 90
    assert api.post(base, json=example(MetricIn)).status_code == 409


def test_notes_crud_filters_and_the_search_index_follows(api: Api) -> None:
    acme = api.account("acme")
    base = f"/v1/accounts/{acme}/notes"
    notes = api.get(base, params={"limit": 500}).json()
    assert notes
    recent = api.get(base, params={"since": "2026-11-01", "until": "2026-11-23"}).json()
    assert recent and all("2026-11-01" <= n["occurred_on"] <= "2026-11-23" for n in recent)
    assert all("retire" in n["body"].lower() for n in api.get(base, params={"q": "retire"}).json())

    created = api.post(base, json={**example(NoteIn), "body": "Zephyrine badge readers failed at the flagship."})
    assert created.status_code == 201, created.text
    note_id = created.json()["id"]
    assert api.get(f"/v1/notes/{note_id}").json()["body"].startswith("Zephyrine")
    hits = api.get("/v1/knowledge/search", params={"q": "Zephyrine badge readers", "account_id": acme}).json()
    assert any(hit["kind"] == "note" and hit["id"] == str(note_id) for hit in hits)
    updated = api.patch(f"/v1/notes/{note_id}", json={"kind": "call"})
    assert updated.status_code == 200 and updated.json()["kind"] == "call"
    assert api.delete(f"/v1/notes/{note_id}").status_code == 204
    assert api.get(f"/v1/notes/{note_id}").status_code == 404
    assert [
        e["action"] for e in api.get("/v1/audit-events", params={"entity": "note", "entity_id": note_id}).json()
    ] == [
        "delete",
        "update",
        "create",
    ]


def test_health_assessments_list_get_create(api: Api) -> None:
    acme = api.account("acme")
    base = f"/v1/accounts/{acme}/health-assessments"
    listed = api.get(base).json()
    assert listed and listed == sorted(listed, key=lambda a: a["assessed_on"], reverse=True)
    customers = api.get(base, params={"assessor": "customer"}).json()
    assert all(a["assessor"] == "customer" for a in customers)
    assert api.get(f"{base}/{listed[0]['id']}").json() == listed[0]
    created = api.post(base, json=example(HealthAssessmentIn))
    assert created.status_code == 201, created.text
    assert api.get(base, params={"limit": 1}).json()[0]["id"] == created.json()["id"]


def test_action_items_and_opportunities(api: Api) -> None:
    acme = api.account("acme")
    actions = f"/v1/accounts/{acme}/action-items"
    open_items = api.get(actions, params=[("status", "open"), ("status", "in_progress")]).json()
    assert all(a["status"] in ("open", "in_progress") for a in open_items)
    created = api.post(actions, json=example(ActionItemIn))
    assert created.status_code == 201, created.text
    done = api.patch(f"{actions}/{created.json()['id']}", json={"status": "done"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert api.delete(f"{actions}/{created.json()['id']}").status_code == 204
    assert api.patch(f"{actions}/{created.json()['id']}", json={"status": "open"}).status_code == 404

    pipeline = f"/v1/accounts/{acme}/opportunities"
    before = api.get(pipeline).json()
    created = api.post(pipeline, json=example(OpportunityIn))
    assert created.status_code == 201, created.text
    moved = api.patch(f"{pipeline}/{created.json()['id']}", json={"stage": "proposed"})
    assert moved.status_code == 200 and moved.json()["stage"] == "proposed"
    assert len(api.get(pipeline).json()) == len(before) + 1
    assert api.delete(f"{pipeline}/{created.json()['id']}").status_code == 204


def test_audit_events_are_scoped_and_paginated(api: Api) -> None:
    acme = api.account("acme")
    first = api.get(f"/v1/accounts/{acme}/audit-events", params={"limit": 3}).json()
    second = api.get(f"/v1/accounts/{acme}/audit-events", params={"limit": 3, "offset": 3}).json()
    assert len(first) == 3 and len(second) == 3 and {e["id"] for e in first}.isdisjoint(e["id"] for e in second)
    assert all(e["account_id"] == acme for e in first + second)
    everything = api.get("/v1/audit-events", params={"limit": 500}).json()
    assert {e["account_id"] for e in everything} <= {api.account(name) for name in DANA_ACCOUNTS}
