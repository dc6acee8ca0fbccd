"""The whole assistant on the `openai` backend, against a scripted OpenAI-compatible server on loopback:
the agent calls tools over HTTP, streams, cites, retries, and fails with a clear message when it must."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.llm import LLMUnavailable
from assistant.records.enums import Channel
from assistant.runtime import Runtime, build_runtime
from assistant.settings import EmbeddingSettings, Settings
from tests.assistant.conftest import TODAY
from tests.fakes.openai_server import (
    ScriptedOpenAIServer,
    openai_server_fixture,  # noqa: F401
    rate_limited,
    server_error,
    text,
    tool_call,
)


def _runtime(demo_dir: Path, server: ScriptedOpenAIServer, **llm: object) -> Runtime:
    settings = Settings(
        data_dir=demo_dir,
        database_url=f"sqlite:///{demo_dir / 'samcoach.db'}",
        chroma_path=demo_dir / "chroma",
        collection_prefix="t",
        embedding=EmbeddingSettings(provider="hash"),
        llm=server.llm_settings(max_retries=1, timeout_s=5, **llm),
    )
    runtime = build_runtime(settings, migrate=True)
    runtime.assistant.clock = lambda: TODAY
    return runtime


def test_chat_turn_runs_tools_over_http_and_keeps_citations(
    demo_dir: Path, openai_server: ScriptedOpenAIServer
) -> None:
    runtime = _runtime(demo_dir, openai_server)
    dana = runtime.records.users.actor(email="dana@beacon.example", channel=Channel.API)
    [marta] = [
        s
        for a in runtime.records.accounts.list(actor=dana)
        if a.name == "Solara Energy"
        for s in runtime.records.stakeholders.list(actor=dana, account_id=a.id)
        if s.name == "Marta Lindqvist"
    ]
    openai_server.add(
        tool_call("get_stakeholders", account="Solara"),
        text(f"Marta Lindqvist is your sponsor and has gone quiet [stakeholder:{marta.id}]."),
    )
    assistant = runtime.assistant
    assert "openai-compatible" in assistant.backend
    conversation = assistant.start_conversation(dana)
    reply = assistant.ask(dana, conversation.id, "Who is our sponsor at Solara and when did we last talk?")
    assert reply.error is None
    assert reply.message.content.startswith("Marta Lindqvist")
    assert [c.ref for c in reply.message.citations] == [f"stakeholder:{marta.id}"]
    assert [t.name for t in reply.message.tool_calls] == ["get_stakeholders"]
    first, second = openai_server.chat_requests
    assert {t["function"]["name"] for t in first["tools"]} >= {"get_stakeholders", "propose_note"}
    assert "quoted material" in first["messages"][0]["content"], "the system prompt carries the safety rules"
    assert second["messages"][-1]["role"] == "tool" and "Marta Lindqvist" in second["messages"][-1]["content"]


def test_rate_limit_is_retried_then_a_dead_backend_is_a_clear_error(
    demo_dir: Path, openai_server: ScriptedOpenAIServer
) -> None:
    runtime = _runtime(demo_dir, openai_server)
    dana = runtime.records.users.actor(email="dana@beacon.example", channel=Channel.API)
    assistant = runtime.assistant
    conversation = assistant.start_conversation(dana)
    openai_server.add(rate_limited(**{"retry-after-ms": "10"}), text("Hello."))
    assert assistant.ask(dana, conversation.id, "hello").message.content == "Hello."

    openai_server.add(server_error(500), server_error(500))
    reply = assistant.ask(dana, conversation.id, "hello again")
    assert reply.retryable and reply.error and "500" in reply.error
    assert reply.message.error == reply.error, "the failed turn is recorded with its reason"


def test_unreachable_backend_fails_at_start_instead_of_falling_back(demo_dir: Path) -> None:
    settings = Settings(
        data_dir=demo_dir,
        database_url=f"sqlite:///{demo_dir / 'samcoach.db'}",
        chroma_path=demo_dir / "chroma",
        embedding=EmbeddingSettings(provider="hash"),
        llm={"provider": "openai", "base_url": "http://127.0.0.1:9/v1", "timeout_s": 1, "max_retries": 0},
    )
    runtime = build_runtime(settings)
    with pytest.raises(LLMUnavailable, match="SAMCOACH_LLM__BASE_URL"):
        _ = runtime.assistant
