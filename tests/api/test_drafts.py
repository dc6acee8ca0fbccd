"""Drafts over HTTP: JSON (draft + Markdown), Markdown and Word, for each of Dana's demo accounts."""

from __future__ import annotations

import io

import docx
import pytest

from api.rendering import DOCX_MEDIA_TYPE
from tests.api.conftest import DANA_ACCOUNTS, Api


@pytest.mark.parametrize("name", DANA_ACCOUNTS)
def test_quarterly_review_in_json_markdown_and_docx(api: Api, name: str) -> None:
    account = api.account(name)
    url = f"/v1/accounts/{account}/reviews/quarterly"

    as_json = api.post(url)
    assert as_json.status_code == 200, as_json.text
    body = as_json.json()
    assert body["draft"]["kind"] == "quarterly_review" and body["draft"]["account_id"] == account
    assert body["draft"]["account_name"] == name and body["draft"]["sections"]
    assert body["markdown"].startswith(f"# Quarterly account review: {name}")

    as_markdown = api.post(url, headers={"Accept": "text/markdown"})
    assert as_markdown.status_code == 200
    assert as_markdown.headers["content-type"].startswith("text/markdown")
    assert as_markdown.text == body["markdown"]
    assert api.post(url, params={"format": "markdown"}).text == body["markdown"]

    as_docx = api.post(url, params={"format": "docx"})
    assert as_docx.status_code == 200
    assert as_docx.headers["content-type"] == DOCX_MEDIA_TYPE
    assert as_docx.headers["content-disposition"].startswith('attachment; filename="quarterly_review-')
    document = docx.Document(io.BytesIO(as_docx.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert name in text and "Sources" in text


def test_meeting_brief_with_attendees_and_date(api: Api) -> None:
    acme = api.account("acme")
    people = api.get(f"/v1/accounts/{acme}/stakeholders", params={"side": "client"}).json()
    response = api.post(
        f"/v1/accounts/{acme}/reviews/meeting-brief",
        json={"stakeholder_ids": [people[0]["id"]], "meeting_date": "2026-12-01"},
    )
    assert response.status_code == 200, response.text
    draft = response.json()["draft"]
    assert draft["kind"] == "meeting_brief" and draft["meeting_date"] == "2026-12-01"
    assert draft["attendee_ids"] == [people[0]["id"]]
    assert api.post(f"/v1/accounts/{acme}/reviews/meeting-brief").status_code == 200  # the body is optional


def test_health_assessment_draft_comes_with_a_pending_proposal(api: Api) -> None:
    northgate = api.account("northgate")
    audit_before = api.audit_count()
    response = api.post(f"/v1/accounts/{northgate}/reviews/health-assessment")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["draft"]["kind"] == "health_assessment" and body["draft"]["overall"]
    proposal = body["proposal"]
    assert proposal["kind"] == "health_assessment" and proposal["status"] == "pending"
    assert api.get(f"/v1/proposals/{proposal['id']}").json()["id"] == proposal["id"]
    assert api.audit_count() == audit_before  # a proposal changes no record until approved

    as_docx = api.post(f"/v1/accounts/{northgate}/reviews/health-assessment", params={"format": "docx"})
    assert as_docx.headers["x-proposal-id"].isdigit()
    preview = api.post(f"/v1/accounts/{northgate}/reviews/health-assessment", params={"propose": False})
    assert preview.json()["proposal"] is None


def test_charter_revision_draft_with_request_and_proposal(api: Api) -> None:
    acme = api.account("acme")
    response = api.post(
        f"/v1/accounts/{acme}/reviews/charter-revision",
        json={"trigger": "new_stakeholder", "request": "Bring the incoming CEO into the governance team."},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["draft"]["trigger"] == "new_stakeholder" and body["draft"]["current_version"]
    assert body["proposal"]["kind"] == "charter_revision" and body["proposal"]["status"] == "pending"
    assert "Charter" in body["markdown"] or "charter" in body["markdown"]


def test_ten_keys_for_one_account_and_for_the_portfolio(api: Api) -> None:
    quantis = api.account("quantis")
    one = api.post(f"/v1/accounts/{quantis}/reviews/ten-keys")
    assert one.status_code == 200, one.text
    assert len(one.json()["draft"]["keys"]) == 10
    portfolio = api.get("/v1/reviews/ten-keys")
    assert portfolio.status_code == 200, portfolio.text
    assert {a["account_name"] for a in portfolio.json()["draft"]["accounts"]} == set(DANA_ACCOUNTS)
    assert api.get("/v1/reviews/ten-keys", headers={"Accept": "text/markdown"}).text.startswith("# ")


def test_early_warnings_name_their_evidence(api: Api) -> None:
    warnings = api.get(f"/v1/accounts/{api.account('acme')}/early-warnings").json()
    assert warnings and all(w["citations"] and w["curriculum"] for w in warnings)


def test_an_unknown_format_is_a_422_naming_the_parameter(api: Api) -> None:
    response = api.post(f"/v1/accounts/{api.account('acme')}/reviews/quarterly", params={"format": "pdf"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["format"]
