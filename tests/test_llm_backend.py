"""The openai backend end to end: the real `openai` SDK and `ChatOpenAI` (built by `build_chat_model`) against a
scripted OpenAI-compatible server on 127.0.0.1. Retries are the SDK's own; these tests prove they happen, that
their delays follow the server's headers, and that what survives them becomes a readable `LLMUnavailable`."""

from __future__ import annotations

import logging
import re
import socket
from typing import Any

import openai
import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessageChunk, HumanMessage
from langchain_core.tools import tool
from pydantic import SecretStr, ValidationError

from assistant.llm import LLMUnavailable, as_unavailable, build_chat_model, check_backend
from assistant.settings import LLMSettings
from tests.fakes.openai_server import (
    ScriptedOpenAIServer,
    delayed,
    http_error,
    malformed_tool_call,
    openai_server_fixture,  # noqa: F401 - provides the `openai_server` fixture
    rate_limited,
    server_error,
    text,
    tool_call,
)

RETRY_LOG = re.compile(r"Retrying request in ([0-9.]+) seconds")


@tool
def get_account_overview(account: str) -> str:
    """Summarise one strategic account: health, sponsor, open actions.

    Args:
        account: The account's name as the user wrote it.
    """
    return f"{account}: health vulnerable; sponsor silent 75 days."


def _retry_delays(caplog: pytest.LogCaptureFixture) -> list[float]:
    return [float(m.group(1)) for r in caplog.records if (m := RETRY_LOG.search(r.getMessage()))]


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Answers


def test_invoke_returns_text_with_usage_and_sends_model_and_messages(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.add(text("Northwind's sponsor has gone quiet.", prompt_tokens=42, completion_tokens=9))
    model = build_chat_model(openai_server.llm_settings(temperature=0.0))

    answer = model.invoke([HumanMessage("How is Northwind?")])

    assert answer.text == "Northwind's sponsor has gone quiet."
    assert answer.usage_metadata is not None
    assert (answer.usage_metadata["input_tokens"], answer.usage_metadata["output_tokens"]) == (42, 9)
    (sent,) = openai_server.chat_requests
    assert sent["model"] == "gpt-4o-mini"
    assert sent["messages"] == [{"role": "user", "content": "How is Northwind?"}]
    assert sent["temperature"] == 0.0
    assert not sent.get("stream")
    # A key-less local server still gets a syntactically valid bearer token.
    assert openai_server.requests[0].headers["authorization"] == "Bearer not-needed"
    openai_server.assert_complete()


def test_stream_yields_several_chunks_and_reports_usage(openai_server: ScriptedOpenAIServer) -> None:
    words = "Ask the CFO what changed since the acquisition."
    openai_server.add(text(words, chunk_chars=6))
    model = build_chat_model(openai_server.llm_settings())

    chunks = list(model.stream("What should I ask?"))

    assert all(isinstance(c, AIMessageChunk) for c in chunks)
    assert len([c for c in chunks if c.text]) >= len(words) // 6
    assert "".join(c.text for c in chunks) == words
    usage = [c.usage_metadata for c in chunks if c.usage_metadata]
    assert len(usage) == 1 and usage[0]["output_tokens"] > 0 and usage[0]["input_tokens"] > 0
    (sent,) = openai_server.chat_requests
    assert sent["stream"] is True
    assert sent["stream_options"] == {"include_usage": True}


def test_bound_tool_call_is_parsed_with_its_arguments(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.add(tool_call("get_account_overview", account="Northwind"))
    model = build_chat_model(openai_server.llm_settings()).bind_tools([get_account_overview])

    answer = model.invoke("How is Northwind?")

    assert [(c["name"], c["args"]) for c in answer.tool_calls] == [("get_account_overview", {"account": "Northwind"})]
    assert answer.tool_calls[0]["id"]
    (sent,) = openai_server.chat_requests
    (schema,) = sent["tools"]
    assert schema["function"]["name"] == "get_account_overview"
    assert schema["function"]["parameters"]["required"] == ["account"]


def test_streamed_tool_call_assembles_into_parsed_arguments(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.add(tool_call("get_account_overview", account="Contoso Pharma"))
    model = build_chat_model(openai_server.llm_settings()).bind_tools([get_account_overview])

    chunks = list(model.stream("How is Contoso?"))
    merged = chunks[0]
    for chunk in chunks[1:]:
        merged = merged + chunk

    assert sum(1 for c in chunks if isinstance(c, AIMessageChunk) and c.tool_call_chunks) > 2
    assert isinstance(merged, AIMessageChunk)
    assert [(c["name"], c["args"]) for c in merged.tool_calls] == [
        ("get_account_overview", {"account": "Contoso Pharma"})
    ]


@pytest.mark.parametrize("streaming", [False, True], ids=["invoke", "stream"])
def test_malformed_tool_call_json_becomes_an_invalid_tool_call(
    openai_server: ScriptedOpenAIServer, streaming: bool
) -> None:
    openai_server.add(malformed_tool_call("get_account_overview", '{"account": Northwind}'))
    model = build_chat_model(openai_server.llm_settings()).bind_tools([get_account_overview])

    if streaming:
        merged: Any = None
        for chunk in model.stream("How is Northwind?"):
            merged = chunk if merged is None else merged + chunk
        answer = merged
    else:
        answer = model.invoke("How is Northwind?")

    assert answer.tool_calls == []
    (bad,) = answer.invalid_tool_calls
    assert bad["name"] == "get_account_overview"
    assert bad["args"] == '{"account": Northwind}'


def test_agent_runs_a_tool_turn_against_the_endpoint(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.add(tool_call("get_account_overview", account="Northwind"), text("Its sponsor went silent."))
    agent = create_agent(build_chat_model(openai_server.llm_settings()), tools=[get_account_overview])

    result = agent.invoke({"messages": [("user", "How is Northwind?")]})

    assert result["messages"][-1].text == "Its sponsor went silent."
    second = openai_server.chat_requests[1]["messages"]
    assert second[-1]["role"] == "tool"
    assert "sponsor silent 75 days" in second[-1]["content"]
    openai_server.assert_complete()


# Retries (the SDK's) and what is left after them


def test_rate_limit_is_retried_after_the_servers_retry_after_ms(
    openai_server: ScriptedOpenAIServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="openai")
    openai_server.add(rate_limited(retry_after_ms="40"), text("ok"))
    model = build_chat_model(openai_server.llm_settings(max_retries=2))

    assert model.invoke("hi").text == "ok"

    assert len(openai_server.chat_requests) == 2
    # The SDK waited exactly what the server asked, not its own exponential backoff (>= 0.375 s).
    assert _retry_delays(caplog) == [0.04]


def test_rate_limit_with_retry_after_zero_is_retried_with_a_short_backoff(
    openai_server: ScriptedOpenAIServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="openai")
    openai_server.add(rate_limited(retry_after="0"), text("ok"))
    model = build_chat_model(openai_server.llm_settings(max_retries=1))

    assert model.invoke("hi").text == "ok"

    assert len(openai_server.chat_requests) == 2
    (delay,) = _retry_delays(caplog)
    assert 0 < delay <= 0.5  # SDK's first backoff step (0.5 s less jitter)


def test_server_error_is_retried_then_succeeds(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.add(server_error(500, retry_after_ms="1"), server_error(503, retry_after_ms="1"), text("ok"))
    model = build_chat_model(openai_server.llm_settings(max_retries=2))

    assert model.invoke("hi").text == "ok"
    assert len(openai_server.chat_requests) == 3


def test_persistent_server_error_becomes_unavailable_after_max_retries(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.add(*[server_error(500, retry_after_ms="1") for _ in range(3)])
    llm = openai_server.llm_settings(max_retries=2)
    model = build_chat_model(llm)

    with pytest.raises(openai.InternalServerError) as raised:
        model.invoke("hi")

    assert len(openai_server.chat_requests) == 3  # the first try and two retries
    unavailable = as_unavailable(raised.value, llm=llm)
    assert isinstance(unavailable, LLMUnavailable)
    message = str(unavailable)
    assert "HTTP 500" in message and "after 2 retries" in message
    assert f"{openai_server.url}/chat/completions" in message
    assert "The server had an error" in message
    assert "Traceback" not in message
    assert unavailable.status == 500


def test_timeout_is_retried_then_becomes_unavailable(
    openai_server: ScriptedOpenAIServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="openai")
    openai_server.add(delayed(5, text("too late")), delayed(5, text("too late")))
    llm = openai_server.llm_settings(timeout_s=0.2, max_retries=1)
    model = build_chat_model(llm)

    with pytest.raises(openai.APITimeoutError) as raised:
        model.invoke("hi")

    assert len(openai_server.chat_requests) == 2
    assert len(_retry_delays(caplog)) == 1
    message = str(as_unavailable(raised.value, llm=llm))
    assert "did not answer within 0.2s after 1 retry" in message
    assert "gpt-4o-mini" in message and openai_server.url in message


def test_rejected_key_at_chat_time_names_the_key_variable() -> None:
    with ScriptedOpenAIServer(api_key="sk-right") as server:
        llm = server.llm_settings(api_key=SecretStr("sk-wrong"), max_retries=3)
        with pytest.raises(openai.AuthenticationError) as raised:
            build_chat_model(llm).invoke("hi")
        assert len(server.chat_requests) == 1  # a 401 is not retried
    message = str(as_unavailable(raised.value, llm=llm))
    assert "HTTP 401" in message and "SAMCOACH_LLM__API_KEY" in message
    assert "sk-wrong" not in message


def test_bad_request_and_bugs_are_not_mapped_to_unavailable(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.add(http_error(400, "tools[0].function.parameters is invalid"))
    with pytest.raises(openai.BadRequestError) as raised:
        build_chat_model(openai_server.llm_settings()).invoke("hi")

    assert as_unavailable(raised.value) is None
    assert as_unavailable(KeyError("account_id")) is None


def test_broken_stream_and_provider_neutral_errors_map_to_unavailable() -> None:
    import httpx2
    from langchain_core.exceptions import ModelRateLimitError

    request = httpx2.Request("POST", "http://127.0.0.1:8080/v1/chat/completions?key=secret")
    broken = as_unavailable(httpx2.RemoteProtocolError("peer closed connection", request=request))
    limited = as_unavailable(ModelRateLimitError("quota exceeded"))

    assert isinstance(broken, LLMUnavailable) and isinstance(limited, LLMUnavailable)
    assert "http://127.0.0.1:8080/v1/chat/completions" in str(broken) and "secret" not in str(broken)
    assert "peer closed connection" in str(broken)
    assert "rate-limiting" in str(limited) and "quota exceeded" in str(limited)


# Start-up probe and configuration


def test_check_backend_describes_a_reachable_endpoint_serving_the_model() -> None:
    with ScriptedOpenAIServer(models=["gpt-4o-mini", "text-embedding-3-small"], api_key="sk-test") as server:
        description = check_backend(server.llm_settings(api_key=SecretStr("sk-test")))
        (probe,) = server.requests
    assert probe.method == "GET" and probe.path == "/v1/models"
    assert probe.headers["authorization"] == "Bearer sk-test"
    assert description == f"openai-compatible: gpt-4o-mini at {server.url} (reachable; model listed among 2)"


def test_check_backend_accepts_ollama_latest_tag() -> None:
    with ScriptedOpenAIServer(models=["llama3.2:latest"]) as server:
        assert "model listed" in check_backend(server.llm_settings(model="llama3.2"))


def test_check_backend_refuses_an_unreachable_url() -> None:
    port = _closed_port()
    llm = LLMSettings(provider="openai", base_url=f"http://127.0.0.1:{port}/v1")

    with pytest.raises(LLMUnavailable) as raised:
        check_backend(llm, timeout_s=1.0)

    message = str(raised.value)
    assert f"http://127.0.0.1:{port}/v1" in message
    assert "SAMCOACH_LLM__BASE_URL" in message
    assert "Cannot reach" in message and "Connection refused" in message


def test_check_backend_refuses_a_rejected_key() -> None:
    with ScriptedOpenAIServer(api_key="sk-right") as server, pytest.raises(LLMUnavailable) as raised:
        check_backend(server.llm_settings(api_key=SecretStr("sk-wrong")))
    assert "SAMCOACH_LLM__API_KEY" in str(raised.value) and "401" in str(raised.value)
    assert raised.value.status == 401


def test_check_backend_refuses_a_model_the_endpoint_does_not_list() -> None:
    served = [f"model-{i:02d}" for i in range(12)]
    with ScriptedOpenAIServer(models=served) as server, pytest.raises(LLMUnavailable) as raised:
        check_backend(server.llm_settings(model="gpt-4o"))
    message = str(raised.value)
    assert "'gpt-4o'" in message and "SAMCOACH_LLM__MODEL" in message
    assert "model-00, model-01" in message and "model-09" in message
    assert "model-10" not in message and "and 2 more" in message


def test_check_backend_passes_an_endpoint_without_a_models_route() -> None:
    with ScriptedOpenAIServer(models_status=404) as server:
        assert "model not verified" in check_backend(server.llm_settings())


def test_check_backend_times_out_with_a_clear_message() -> None:
    # A listening socket that never accepts: the TCP handshake completes, the HTTP answer never comes.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/v1"
        with pytest.raises(LLMUnavailable) as raised:
            check_backend(LLMSettings(provider="openai", base_url=url), timeout_s=0.2)
    assert "did not answer within 0.2s" in str(raised.value) and "SAMCOACH_LLM__BASE_URL" in str(raised.value)


def test_openai_provider_without_key_or_url_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        LLMSettings(provider="openai")
    assert "SAMCOACH_LLM__API_KEY" in str(raised.value)
    assert "SAMCOACH_LLM__BASE_URL" in str(raised.value)


def test_offline_provider_has_no_chat_model() -> None:
    with pytest.raises(ValueError, match="offline"):
        build_chat_model(LLMSettings())


def test_environment_cannot_reroute_the_configured_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_BASE", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    model: Any = build_chat_model(LLMSettings(provider="openai", api_key=SecretStr("sk-test")))
    assert model.openai_api_base == "https://api.openai.com/v1"
    assert str(model.root_client.base_url) == "https://api.openai.com/v1/"


def test_embeddings_endpoint_is_deterministic(openai_server: ScriptedOpenAIServer) -> None:
    client = openai.OpenAI(base_url=openai_server.url, api_key="x", max_retries=0)
    with client:
        first = client.embeddings.create(model="text-embedding-3-small", input=["a note", "another"])
        again = client.embeddings.create(model="text-embedding-3-small", input="a note")
    assert len(first.data) == 2 and len(first.data[0].embedding) == 8
    assert first.data[0].embedding == again.data[0].embedding != first.data[1].embedding
    assert openai_server.chat_requests == []


def test_model_check_can_be_turned_off_for_deployments_the_endpoint_does_not_list(
    openai_server: ScriptedOpenAIServer,
) -> None:
    described = check_backend(openai_server.llm_settings(model="my-azure-deployment", verify_model=False))
    assert "model check off" in described


def test_blank_key_and_url_count_as_unset() -> None:
    with pytest.raises(ValidationError, match="SAMCOACH_LLM__API_KEY"):
        LLMSettings(provider="openai", api_key="", base_url="  ")
    assert LLMSettings(provider="openai", api_key="", base_url="http://127.0.0.1:11434/v1").api_key is None
