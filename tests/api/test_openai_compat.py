"""The OpenAI-compatible endpoint at the HTTP level (the official SDK is exercised in test_openai_client.py)."""

from __future__ import annotations

from typing import Any

from assistant.testing import ScriptedChatModel, reply
from tests.api.conftest import Api, MakeApi
from tests.api.sse import parse_sse
from tests.api.test_chat import backend_down

URL = "/v1/chat/completions"


def ask(content: str, **extra: Any) -> dict[str, Any]:
    return {"model": "samcoach", "messages": [{"role": "user", "content": content}], **extra}


def test_models_lists_samcoach(api: Api) -> None:
    assert [m["id"] for m in api.get("/v1/models").json()["data"]] == ["samcoach"]
    assert api.get("/v1/models/samcoach").json()["object"] == "model"
    missing = api.get("/v1/models/gpt-4o")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "model_not_found"


def test_non_streaming_completion_with_the_account_in_metadata(api: Api) -> None:
    response = api.post(URL, json=ask("How healthy is this account?", metadata={"account": "acme"}))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["object"] == "chat.completion" and body["model"] == "samcoach" and body["id"].startswith("chatcmpl-")
    message = body["choices"][0]["message"]
    assert message["role"] == "assistant" and "Acme" in message["content"]
    assert body["choices"][0]["finish_reason"] == "stop"
    assert set(body["usage"]) == {"prompt_tokens", "completion_tokens", "total_tokens"}
    by_id = api.post(URL, json=ask("How healthy is this account?", metadata={"account_id": str(api.account("acme"))}))
    assert by_id.json()["choices"][0]["message"]["content"] == message["content"]


def test_account_named_in_the_conversation_and_history_is_replayed(make_api: MakeApi) -> None:
    model = ScriptedChatModel([reply("Noted: Northgate.")])
    api = make_api(chat_model=model)
    messages = [
        {"role": "system", "content": "You are helpful."},
        {"role": "user", "content": "Let's talk about Northgate."},
        {"role": "assistant", "content": "Sure, Northgate Health System."},
        {"role": "user", "content": [{"type": "text", "text": "What changed there?"}]},
    ]
    response = api.post(URL, json={"model": "samcoach", "messages": messages, "temperature": 0.3})
    assert response.status_code == 200, response.text
    assert response.json()["choices"][0]["message"]["content"] == "Noted: Northgate."
    sent = [(m.type, m.text) for m in model.calls[0] if m.type in ("human", "ai")]
    assert sent == [
        ("human", "Let's talk about Northgate."),
        ("ai", "Sure, Northgate Health System."),
        ("human", "What changed there?"),
    ]
    assert response.json()["usage"]["total_tokens"] > 0


def test_streaming_completion_is_chunks_then_done(api: Api) -> None:
    with api.client.stream(
        "POST",
        URL,
        json=ask("How is Acme doing?", stream=True, stream_options={"include_usage": True}),
        headers=api.auth(),
    ) as response:
        assert response.status_code == 200
        events = parse_sse("".join(response.iter_text()))
    assert events[-1].data == "[DONE]"
    chunks = [e.json() for e in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" and c["id"] == chunks[0]["id"] for c in chunks)
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert "Acme" in text
    finish = [c for c in chunks if c["choices"] and c["choices"][0].get("finish_reason")]
    assert [f["choices"][0]["finish_reason"] for f in finish] == ["stop"]
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["total_tokens"] >= 0


def test_wrong_model_bad_messages_and_foreign_accounts_use_openai_errors(api: Api) -> None:
    wrong = api.post(URL, json={**ask("hi"), "model": "gpt-4o"})
    assert wrong.status_code == 404 and wrong.json()["error"]["code"] == "model_not_found"
    no_user = api.post(URL, json={"model": "samcoach", "messages": [{"role": "assistant", "content": "hello"}]})
    assert no_user.status_code == 422 and no_user.json()["error"]["param"] == "messages"
    empty = api.post(URL, json={"model": "samcoach", "messages": []})
    assert empty.status_code == 422 and empty.json()["error"]["param"] == "messages"
    bad_id = api.post(URL, json=ask("hi", metadata={"account_id": "three"}))
    assert bad_id.status_code == 422 and bad_id.json()["error"]["param"] == "metadata.account_id"
    foreign = api.post(URL, json=ask("hi", metadata={"account": "Halvorsen Logistics"}))
    assert foreign.status_code == 404 and "Halvorsen" in foreign.json()["error"]["message"]  # the name it was given


def test_backend_failure_is_503_or_an_error_chunk(make_api: MakeApi) -> None:
    api = make_api(chat_model=ScriptedChatModel([backend_down, backend_down]))
    failed = api.post(URL, json=ask("hi"))
    assert failed.status_code == 503 and failed.json()["error"]["type"] == "server_error"
    assert failed.headers["retry-after"]
    with api.client.stream("POST", URL, json=ask("hi", stream=True), headers=api.auth()) as response:
        events = parse_sse("".join(response.iter_text()))
    assert events[-1].data == "[DONE]" and "127.0.0.1:9" in events[-2].json()["error"]["message"]
