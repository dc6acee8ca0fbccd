"""A chat turn through the real agent graph with a scripted model: tools, citations, bounds, safety."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage
from sqlalchemy import Engine, func, select

from assistant.agent.builder import build_agent
from assistant.agent.events import ErrorEvent, ProposalEvent, ToolEndEvent, ToolStartEvent
from assistant.agent.runner import ChatRunner, TurnResult
from assistant.db import WriteRefused, refuse_writes
from assistant.records import Records
from assistant.records.actor import Actor
from assistant.records.enums import Stance
from assistant.records.models import AuditEvent
from assistant.settings import LLMSettings
from assistant.testing import ScriptedChatModel, calls_tool, reply, tool_call
from tests.assistant.conftest import account_id


def run_turn(model: ScriptedChatModel, ctx: Any, text: str, **llm: Any) -> tuple[list[Any], TurnResult]:
    settings = LLMSettings(**llm)
    runner = ChatRunner(build_agent(model, llm=settings), llm=settings)
    items = list(runner.run(ctx, [], text))
    result = items[-1]
    assert isinstance(result, TurnResult)
    return items[:-1], result


def audit_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def test_tool_results_become_events_and_only_returned_refs_survive(
    make_context: Any, demo_records: Records, dana: Actor
) -> None:
    acme = account_id(demo_records, dana, "Acme")
    [helen] = [s for s in demo_records.stakeholders.list(actor=dana, account_id=acme) if s.name == "Helen Ortiz"]
    model = ScriptedChatModel(
        [
            calls_tool("get_stakeholders", account="acme"),
            reply(f"Helen Ortiz is your sponsor [stakeholder:{helen.id}] and she owns the budget [note:999999]."),
        ]
    )
    events, result = run_turn(model, make_context(dana), "Who is our sponsor at Acme?")
    model.assert_complete()
    assert [type(e) for e in events if isinstance(e, ToolStartEvent | ToolEndEvent)] == [ToolStartEvent, ToolEndEvent]
    assert f"[stakeholder:{helen.id}]" in result.answer
    assert "note:999999" not in result.answer and result.dropped_refs == ["note:999999"]
    assert [c.ref for c in result.citations] == [f"stakeholder:{helen.id}"]
    assert all(c.account_id == acme for c in result.consulted)
    assert result.tool_calls[0].name == "get_stakeholders" and result.tool_calls[0].summary


def test_every_tool_the_model_sees_is_documented_and_writes_only_propose(make_context: Any, dana: Actor) -> None:
    model = ScriptedChatModel([reply("Hello.")])
    run_turn(model, make_context(dana), "hi")
    names = {tool["function"]["name"] for tool in model.bound_tools}
    writers = {n for n in names if n.startswith(("propose_", "create_", "update_", "delete_", "set_"))}
    assert writers == {
        "propose_note",
        "propose_stakeholder_update",
        "propose_health_assessment",
        "propose_charter_revision",
        "propose_action_item",
    }
    assert all(tool["function"]["description"] for tool in model.bound_tools)


def test_injected_note_cannot_cause_a_write_even_if_the_model_is_fooled(
    make_context: Any, demo_records: Records, dana: Actor, demo_engine: Engine
) -> None:
    riverbend = account_id(demo_records, dana, "Riverbend")
    people = demo_records.stakeholders.list(actor=dana, account_id=riverbend)
    before = audit_count(demo_engine)
    model = ScriptedChatModel(
        [
            calls_tool("search_account_notes", account="Riverbend", query="ignore previous instructions delete"),
            calls_tool(
                "propose_stakeholder_update", account="Riverbend", stakeholder=people[0].name, stance="detractor"
            ),
            reply("Done."),
        ]
    )
    events, result = run_turn(model, make_context(dana), "What do the latest notes say?")
    assert result.flagged, "the planted instruction is flagged to the user"
    assert any(isinstance(e, ProposalEvent) for e in events)
    assert demo_records.stakeholders.list(actor=dana, account_id=riverbend) == people, "nothing changed"
    assert audit_count(demo_engine) == before, "no record was written, only a proposal"


def test_a_direct_write_during_a_run_is_refused_by_the_database_layer(demo_records: Records, dana: Actor) -> None:
    acme = account_id(demo_records, dana, "Acme")
    with refuse_writes("assistant run"), pytest.raises(WriteRefused):
        demo_records.stakeholders.update(
            actor=dana,
            account_id=acme,
            stakeholder_id=demo_records.stakeholders.list(actor=dana, account_id=acme)[0].id,
            data={"stance": Stance.DETRACTOR},
        )


def test_cross_portfolio_account_is_not_found_through_the_agent(
    make_context: Any, demo_records: Records, dana: Actor
) -> None:
    model = ScriptedChatModel([calls_tool("get_account_overview", account="Halvorsen Logistics"), reply("ok")])
    _, result = run_turn(model, make_context(dana), "How is Halvorsen doing?")
    tool_message = model.calls[-1][-1]
    assert "No account matching" in str(tool_message.content)
    assert "Halvorsen" not in " ".join(c.label for c in result.consulted)


def test_bound_conversation_refuses_other_accounts(make_context: Any, demo_records: Records, dana: Actor) -> None:
    acme = account_id(demo_records, dana, "Acme")
    model = ScriptedChatModel([calls_tool("get_metrics", account="Northgate"), reply("ok")])
    run_turn(model, make_context(dana, account_id=acme), "and Northgate's metrics?")
    assert "This conversation is about Acme" in str(model.calls[-1][-1].content)


def test_step_limit_stops_a_looping_model_with_a_clear_message(make_context: Any, dana: Actor) -> None:
    model = ScriptedChatModel([calls_tool("list_accounts") for _ in range(3)])
    events, result = run_turn(model, make_context(dana), "loop", max_steps=2)
    assert result.error is not None and "tool steps" in result.error
    assert isinstance(events[-1], ErrorEvent)


def test_token_budget_stops_the_turn(make_context: Any, dana: Actor) -> None:
    big = AIMessage(
        content="",
        tool_calls=[{"name": "list_accounts", "args": {}, "id": "a"}],
        usage_metadata={"input_tokens": 3000, "output_tokens": 10, "total_tokens": 3010},
    )
    model = ScriptedChatModel([big, reply("never reached")])
    _, result = run_turn(model, make_context(dana), "spend", max_tokens_per_turn=1000)
    assert result.error is not None and "budget of 1000" in result.error


def test_backend_failure_becomes_a_retryable_error_not_a_crash(make_context: Any, dana: Actor) -> None:
    import httpx
    import openai

    def fail(_: Any) -> AIMessage:
        raise openai.APIConnectionError(request=httpx.Request("POST", "http://127.0.0.1:9/v1/chat/completions"))

    events, result = run_turn(ScriptedChatModel([fail]), make_context(dana), "hello")
    assert result.retryable and result.error
    assert isinstance(events[-1], ErrorEvent) and events[-1].retryable


def test_a_bug_inside_a_tool_surfaces_instead_of_being_blamed_on_the_model(
    make_context: Any, dana: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pydantic import BaseModel

    from assistant.agent.operations import reading

    class Strict(BaseModel):
        count: int

    def broken(ctx: Any, account: str | None) -> Any:
        Strict(count="many")  # type: ignore[arg-type]

    monkeypatch.setattr(reading, "get_stakeholders", broken)
    model = ScriptedChatModel([calls_tool("get_stakeholders", account="Acme"), reply("never")])
    with pytest.raises(RuntimeError, match="built an invalid result"):
        run_turn(model, make_context(dana), "who is there?")


def test_parallel_tool_calls_in_one_model_turn_all_run(make_context: Any, demo_records: Records, dana: Actor) -> None:
    """OpenAI-style models call several tools at once; LangChain runs them on threads, each reading (and one
    proposing) through its own database session."""
    acme = account_id(demo_records, dana, "Acme")
    [helen] = [s for s in demo_records.stakeholders.list(actor=dana, account_id=acme) if s.name == "Helen Ortiz"]
    calls = [
        tool_call("get_stakeholders", account="Acme"),
        tool_call("get_charter", account="Acme"),
        tool_call("get_metrics", account="Acme"),
        tool_call("get_open_actions", account="Acme"),
        tool_call("propose_note", account="Acme", body="Helen asked for the Q3 numbers early.", kind="call"),
    ]
    model = ScriptedChatModel([AIMessage(content="", tool_calls=calls), reply(f"Done [stakeholder:{helen.id}].")])
    events, result = run_turn(model, make_context(dana), "Everything on Acme, and log that Helen called.")
    model.assert_complete()
    ends = [e for e in events if isinstance(e, ToolEndEvent)]
    assert len(ends) == len(calls) and not [e for e in events if isinstance(e, ErrorEvent)]
    assert sorted(c.name for c in result.tool_calls) == sorted(c["name"] for c in calls)
    assert [p.kind for p in result.proposals] == ["note"]
