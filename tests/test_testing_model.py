"""The scripted chat model other tests stand on: it plays its script, records every call, and refuses to be
called more (or fewer) times than scripted."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import tool

from assistant.testing import ScriptedChatModel, ScriptExhausted, calls_tool, reply, tool_call


@tool
def get_account_overview(account: str) -> str:
    """Summarise one strategic account: health, sponsor, open actions.

    Args:
        account: The account's name as the user wrote it.
    """
    return f"{account}: health vulnerable; sponsor silent 75 days."


def test_plays_steps_in_order_and_records_each_call() -> None:
    model = ScriptedChatModel([reply("first"), reply("second")])

    assert model.invoke("one").text == "first"
    assert model.invoke([SystemMessage("be brief"), HumanMessage("two")]).text == "second"

    assert [[m.text for m in call] for call in model.calls] == [["one"], ["be brief", "two"]]
    assert model.remaining == 0
    model.assert_complete()


def test_callable_step_answers_from_the_messages_it_received() -> None:
    def echo(messages: list[BaseMessage]) -> AIMessage:
        return reply(f"you said {messages[-1].text!r}")

    model = ScriptedChatModel([echo])

    assert model.invoke("hello").text == "you said 'hello'"


def test_script_steps_must_be_messages_or_callables() -> None:
    with pytest.raises(TypeError, match="step 2: expected an AIMessage or a callable, got str"):
        ScriptedChatModel([reply("fine"), "not a message"])  # type: ignore[list-item]


def test_running_past_the_script_raises_with_the_last_messages() -> None:
    model = ScriptedChatModel([reply("only answer")])
    model.invoke("first question")

    with pytest.raises(ScriptExhausted, match=r"call 2 but the script had 1 step.*second question"):
        model.invoke("second question")
    assert len(model.calls) == 2  # the unanswered call is still recorded


def test_assert_complete_names_the_unused_steps() -> None:
    model = ScriptedChatModel([reply("used"), calls_tool("get_account_overview", account="Northwind")])
    model.invoke("hi")

    with pytest.raises(AssertionError, match=r"1 scripted step\(s\) never used.*get_account_overview"):
        model.assert_complete()


def test_script_messages_are_copied_not_mutated() -> None:
    scripted = reply("stable")
    model = ScriptedChatModel([scripted])

    answer = model.invoke("hi")

    assert answer is not scripted
    assert scripted.usage_metadata is None and scripted.id is None


def test_usage_metadata_is_plausible_and_grows_with_the_prompt() -> None:
    model = ScriptedChatModel([reply("a short answer"), reply("a short answer")])

    short = model.invoke("hi").usage_metadata
    long = model.invoke("hi " * 400).usage_metadata

    assert short is not None and long is not None
    assert 0 < short["input_tokens"] < long["input_tokens"]
    assert long["input_tokens"] >= 300  # ~4 characters a token
    assert short["output_tokens"] == long["output_tokens"] > 0
    assert short["total_tokens"] == short["input_tokens"] + short["output_tokens"]


def test_given_usage_metadata_is_kept() -> None:
    usage = {"input_tokens": 20_000, "output_tokens": 5_000, "total_tokens": 25_000}
    model = ScriptedChatModel([AIMessage(content="expensive", usage_metadata=usage)])

    assert model.invoke("hi").usage_metadata == usage


def test_bind_tools_records_schemas_and_shares_the_script() -> None:
    model = ScriptedChatModel([calls_tool("get_account_overview", account="Northwind"), reply("done")])
    bound = model.bind_tools([get_account_overview], tool_choice="auto")

    first = bound.invoke("How is Northwind?")
    second = model.invoke("and unbound?")

    assert first.tool_calls[0]["args"] == {"account": "Northwind"}
    assert second.text == "done"
    (schema,) = model.bound_tools
    assert schema["function"]["name"] == "get_account_overview"
    assert schema["function"]["parameters"]["required"] == ["account"]
    assert model.tool_choice == "auto"
    assert model.call_tools == [[schema], []]  # tools in force per call: bound, then unbound
    model.assert_complete()


def test_stream_yields_text_in_pieces_and_usage_once() -> None:
    model = ScriptedChatModel([reply("Ask the CFO what changed since the acquisition.")], stream_chunk_chars=8)

    chunks = list(model.stream("What should I ask?"))

    assert sum(1 for c in chunks if c.text) == 6
    assert "".join(c.text for c in chunks) == "Ask the CFO what changed since the acquisition."
    assert sum(1 for c in chunks if c.usage_metadata) == 1


def test_stream_assembles_tool_calls_from_chunks() -> None:
    model = ScriptedChatModel(
        [AIMessage(content="", tool_calls=[tool_call("get_account_overview", account="Northwind"), tool_call("x")])]
    )

    chunks = list(model.bind_tools([get_account_overview]).stream("How is Northwind?"))
    merged: Any = chunks[0]
    for chunk in chunks[1:]:
        merged = merged + chunk

    assert all(isinstance(c, AIMessageChunk) for c in chunks)
    assert sum(1 for c in chunks if c.tool_call_chunks) == 4  # name + arguments for each call
    assert [(c["name"], c["args"]) for c in merged.tool_calls] == [
        ("get_account_overview", {"account": "Northwind"}),
        ("x", {}),
    ]


def test_tool_call_helper_takes_a_name_argument_and_unique_ids() -> None:
    first = tool_call("propose_stakeholder_update", name="Ana Ruiz", role="CFO")
    second = tool_call("propose_stakeholder_update", name="Ana Ruiz", role="CFO")

    assert first["name"] == "propose_stakeholder_update"
    assert first["args"] == {"name": "Ana Ruiz", "role": "CFO"}
    assert first["id"] != second["id"]


def _two_step_agent() -> tuple[ScriptedChatModel, Any]:
    model = ScriptedChatModel(
        [calls_tool("get_account_overview", account="Northwind"), reply("Northwind's sponsor went silent.")]
    )
    return model, create_agent(model, tools=[get_account_overview], system_prompt="You coach SAM leaders.")


def test_drives_create_agent_through_a_tool_turn_with_invoke() -> None:
    model, agent = _two_step_agent()

    result = agent.invoke({"messages": [("user", "How is Northwind?")]})

    assert result["messages"][-1].text == "Northwind's sponsor went silent."
    tool_result = result["messages"][-2]
    assert isinstance(tool_result, ToolMessage) and "sponsor silent 75 days" in tool_result.text
    first, second = model.calls
    assert [m.type for m in first] == ["system", "human"]
    assert [m.type for m in second] == ["system", "human", "ai", "tool"]
    assert model.bound_tools[0]["function"]["name"] == "get_account_overview"
    model.assert_complete()


def test_drives_create_agent_through_a_tool_turn_with_stream() -> None:
    model, agent = _two_step_agent()

    tokens: list[str] = []
    tool_chunks = 0
    nodes: set[str] = set()
    for message, metadata in agent.stream({"messages": [("user", "How is Northwind?")]}, stream_mode="messages"):
        nodes.add(metadata["langgraph_node"])
        if isinstance(message, AIMessageChunk):
            tokens.append(message.text)
            tool_chunks += len(message.tool_call_chunks)

    assert "".join(tokens) == "Northwind's sponsor went silent."
    assert sum(1 for t in tokens if t) > 2  # streamed in pieces, not one block
    assert tool_chunks == 2
    assert {"model", "tools"} <= nodes
    model.assert_complete()


def test_drives_create_agent_asynchronously() -> None:
    model, agent = _two_step_agent()

    async def run() -> list[str]:
        texts = []
        async for message, _ in agent.astream({"messages": [("user", "How is Northwind?")]}, stream_mode="messages"):
            texts.append(message.text)
        return texts

    assert "".join(asyncio.run(run())).endswith("Northwind's sponsor went silent.")
    model.assert_complete()


def test_agent_calling_the_model_once_too_often_fails_loudly() -> None:
    model = ScriptedChatModel([calls_tool("get_account_overview", account="Northwind")])
    agent = create_agent(model, tools=[get_account_overview])

    with pytest.raises(ScriptExhausted, match="sponsor silent 75 days"):
        agent.invoke({"messages": [("user", "How is Northwind?")]})
