"""Chat over HTTP: conversations, one-shot replies, Server-Sent Events, and what a backend failure leaves."""

from __future__ import annotations

from typing import Any

import httpx2
import openai
from langchain_core.messages import AIMessage

from assistant.testing import ScriptedChatModel, calls_tool, reply
from tests.api.conftest import Api, MakeApi
from tests.api.sse import Event, parse_sse


def backend_down(_: Any) -> AIMessage:
    raise openai.APIConnectionError(request=httpx2.Request("POST", "http://127.0.0.1:9/v1/chat/completions"))


def start(api: Api, account: str | None = "acme") -> int:
    body = {"account_id": api.account(account)} if account else {}
    response = api.post("/v1/conversations", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def stream(api: Api, conversation: int, content: str, who: str = "dana") -> tuple[int, list[Event]]:
    with api.client.stream(
        "POST",
        f"/v1/conversations/{conversation}/messages",
        json={"content": content, "stream": True},
        headers=api.auth(who),
    ) as response:
        text = "".join(response.iter_text())
        assert response.headers["content-type"].startswith("text/event-stream") or response.status_code != 200
        return response.status_code, parse_sse(text)


def test_conversations_are_created_listed_and_read_back(api: Api) -> None:
    conversation = start(api)
    assert start(api, None) != conversation
    listed = api.get("/v1/conversations").json()
    assert {c["id"] for c in listed} >= {conversation}
    assert [c["id"] for c in api.get("/v1/conversations", params={"account_id": api.account("acme")}).json()] == [
        conversation
    ]
    reply_ = api.post(f"/v1/conversations/{conversation}/messages", json={"content": "How healthy is Acme?"})
    assert reply_.status_code == 200, reply_.text
    answer = reply_.json()
    assert answer["conversation_id"] == conversation and answer["message"]["role"] == "assistant"
    assert "Acme" in answer["message"]["content"] and answer["error"] is None
    history = api.get(f"/v1/conversations/{conversation}").json()
    assert [m["role"] for m in history["messages"]] == ["user", "assistant"]
    assert history["title"] == "How healthy is Acme?"


def test_streamed_turn_sends_typed_events_in_order_ending_with_done(make_api: MakeApi) -> None:
    model = ScriptedChatModel(
        [calls_tool("get_stakeholders", account="acme"), reply("Helen Ortiz is the sponsor and she is retiring.")]
    )
    api = make_api(chat_model=model)
    status, events = stream(api, start(api), "Who is our sponsor at Acme?")
    model.assert_complete()
    assert status == 200
    kinds = [e.event for e in events]
    assert kinds[0] == "tool_start" and kinds[-1] == "done"
    assert kinds.index("tool_start") < kinds.index("tool_end") < kinds.index("citation") < kinds.index("token")
    assert all(e.json()["type"] == e.event for e in events)
    assert [int(e.id or 0) for e in events] == list(range(1, len(events) + 1))
    text = "".join(e.json()["text"] for e in events if e.event == "token")
    done = events[-1].json()["message"]
    assert text == done["content"] == "Helen Ortiz is the sponsor and she is retiring."
    assert done["tool_calls"][0]["name"] == "get_stakeholders"


def test_backend_failure_is_a_503_and_nothing_is_written(make_api: MakeApi) -> None:
    api = make_api(chat_model=ScriptedChatModel([backend_down]))
    conversation = start(api)
    audit_before = api.audit_count()
    response = api.post(f"/v1/conversations/{conversation}/messages", json={"content": "How is Acme?"})
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 0
    problem = response.json()
    assert problem["status"] == 503 and "unavailable" in problem["detail"] and "127.0.0.1:9" in problem["detail"]
    assert "Traceback" not in response.text
    assert api.get(f"/v1/conversations/{conversation}").json()["messages"] == []
    assert api.audit_count() == audit_before


def test_backend_failure_while_streaming_is_an_error_event_and_nothing_is_written(make_api: MakeApi) -> None:
    note = calls_tool("propose_note", account="acme", body="Helen confirmed her retirement date.")
    api = make_api(chat_model=ScriptedChatModel([note, backend_down]))
    conversation = start(api)
    audit_before = api.audit_count()
    status, events = stream(api, conversation, "Note that Helen confirmed her retirement date.")
    assert status == 200
    assert [e.event for e in events][-1] == "error" and "done" not in [e.event for e in events]
    error = events[-1].json()
    assert error["retryable"] is True and "127.0.0.1:9" in error["message"]
    proposals = [e.json()["proposal"] for e in events if e.event == "proposal"]
    assert proposals, "the turn proposed a note before the backend failed"
    # The half-finished turn leaves nothing pending, no record change, no message.
    assert api.get("/v1/proposals", params={"status": "pending"}).json() == []
    assert api.get(f"/v1/proposals/{proposals[0]['id']}").json()["status"] == "rejected"
    assert api.get(f"/v1/conversations/{conversation}").json()["messages"] == []
    assert api.audit_count() == audit_before


def test_unknown_or_foreign_conversation_is_404_streaming_or_not(api: Api) -> None:
    marcus = api.post("/v1/conversations", who="marcus", json={}).json()["id"]
    for conversation in (marcus, 424242):
        plain = api.post(f"/v1/conversations/{conversation}/messages", json={"content": "hi"})
        assert plain.status_code == 404 and plain.json()["detail"] == f"conversation {conversation} not found"
        status, _ = stream(api, conversation, "hi")
        assert status == 404
        assert api.get(f"/v1/conversations/{conversation}").status_code == 404


def test_an_empty_message_is_a_422_naming_content(api: Api) -> None:
    response = api.post(f"/v1/conversations/{start(api)}/messages", json={"content": "   "})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["content"]
