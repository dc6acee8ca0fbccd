"""The stub model, the policy's contract with the agent graph, and the composer's rules of evidence."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from langchain.agents.middleware import ModelRequest, ModelResponse
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.runtime import Runtime

from assistant.agent.artifacts import NotFoundArtifact, PassagesArtifact, ProposalArtifact
from assistant.citations import Citation, SourceKind, refs_in
from assistant.offline import OfflineChatModel, OfflinePolicy
from assistant.offline.citing import Cite
from assistant.offline.coaching import Extractor, compose_coaching
from assistant.offline.composer import Composer, ToolResult, Turn, refs_for_numbers
from assistant.offline.model import MISSING_POLICY
from assistant.offline.planner import Plan
from assistant.offline.templates import OFFLINE_FOOTER
from assistant.proposals.models import ProposalKind, ProposalStatus
from assistant.proposals.service import FieldChange, ProposalOut
from tests.offline.conftest import DemoWorld


def test_the_stub_model_binds_tools_and_refuses_to_generate() -> None:
    model = OfflineChatModel()
    assert model.bind_tools([]) is model
    assert model._llm_type == "samcoach-offline"
    with pytest.raises(RuntimeError, match="driven by OfflinePolicy"):
        model.invoke("hello")
    assert "middleware=[policy]" in MISSING_POLICY


def request(world: DemoWorld, messages: list[Any]) -> ModelRequest[Any]:
    return ModelRequest(model=OfflineChatModel(), messages=messages, runtime=Runtime(context=world.context()))


def test_policy_answers_the_user_with_tool_calls_then_composes(policy: OfflinePolicy, world: DemoWorld) -> None:
    human = HumanMessage("how is Acme doing?", id="m1")
    first = policy.wrap_model_call(request(world, [human]), handler=_never)
    (call_message,) = first.result
    assert isinstance(call_message, AIMessage)
    (call,) = call_message.tool_calls
    assert call["name"] == "get_account_overview" and call["args"] == {"account": "Acme Real Estate Company"}
    assert call["id"] and call["id"].startswith("call_offline_")

    tool_message = ToolMessage(
        "not found", tool_call_id=call["id"], artifact=NotFoundArtifact(tool="x", message="Gone.")
    )
    second = policy.wrap_model_call(request(world, [human, call_message, tool_message]), handler=_never)
    (answer,) = second.result
    assert isinstance(answer, AIMessage) and not answer.tool_calls
    assert answer.content == f"Gone.\n\n{OFFLINE_FOOTER}"


def test_policy_works_on_the_async_path_too(policy: OfflinePolicy, world: DemoWorld) -> None:
    async def never(_: ModelRequest[Any]) -> ModelResponse[Any]:
        raise AssertionError("the offline policy never calls the model")

    response = asyncio.run(policy.awrap_model_call(request(world, [HumanMessage("help")]), handler=never))
    (answer,) = response.result
    assert "SAM Coach" in str(answer.content)


def test_a_tool_that_failed_is_reported_not_papered_over(policy: OfflinePolicy, world: DemoWorld) -> None:
    human = HumanMessage("what are the risks at Acme?", id="m2")
    call_message = AIMessage(
        "", tool_calls=[{"name": "get_early_warnings", "args": {}, "id": "c1", "type": "tool_call"}]
    )
    failed = ToolMessage("Error: boom", tool_call_id="c1", status="error")
    (answer,) = policy.wrap_model_call(request(world, [human, call_message, failed]), handler=_never).result
    assert "Something went wrong while checking early-warning signals" in str(answer.content)


def _never(_: ModelRequest[Any]) -> ModelResponse[Any]:
    raise AssertionError("the offline policy never calls the model")


def test_numbered_draft_references_become_checkable_refs() -> None:
    markdown = (
        "# Meeting brief: Acme\n\n## Health\n\n- Rated vulnerable. [1][2]\n- Metric on target. [3]\n\n## Sources\n\n"
        "1. sam leader assessment (assessment:4, 2025-11-19): “vulnerable”\n"
        "2. Helen Ortiz (Chief Executive Officer) (stakeholder:4, 2025-11-06): “sponsor”\n"
        "3. Savings 2025-Q3 (metric_reading:4, 2025-09-30): “106,300”\n"
    )
    converted = refs_for_numbers(markdown)
    body, sources = converted.split("## Sources")
    assert "- Rated vulnerable. [assessment:4] [stakeholder:4]" in body
    assert "- Metric on target. [metric_reading:4]" in body
    assert refs_in(body) == ["assessment:4", "stakeholder:4", "metric_reading:4"]
    assert "1. sam leader assessment (assessment:4" in sources


def proposal(status: ProposalStatus, error: str | None = None) -> ProposalOut:
    return ProposalOut(
        id=7,
        user_id=1,
        account_id=1,
        conversation_id=None,
        kind=ProposalKind.STAKEHOLDER_UPDATE,
        status=status,
        summary="Update Victor Hale: stance neutral → supporter",
        rationale="Requested in conversation.",
        payload={},
        diff=[FieldChange(field="stance", before="neutral", after="supporter")],
        citations=[],
        created_at=datetime(2025, 11, 24, tzinfo=UTC),
        decided_at=None,
        result=None,
        error=error,
    )


@pytest.mark.parametrize(
    ("status", "error", "says", "never_says"),
    [
        (ProposalStatus.PENDING, None, "waiting for your approval", "applied"),
        (ProposalStatus.APPLIED, None, "applied automatically", "waiting"),
        (ProposalStatus.FAILED, "stale record", "nothing was changed", "applied automatically"),
    ],
)
def test_a_proposal_is_described_as_what_it_is(
    world: DemoWorld, status: ProposalStatus, error: str | None, says: str, never_says: str
) -> None:
    stakeholder = Citation(kind=SourceKind.STAKEHOLDER, id="8", label="Victor Hale", account_id=1)
    artifact = ProposalArtifact(
        tool="propose_stakeholder_update", proposal=proposal(status, error), citations=[stakeholder]
    )
    turn = Turn(
        text="Victor is a supporter",
        plan=Plan("update_stakeholder"),
        ctx=world.context(),
        results=[ToolResult("propose_stakeholder_update", {}, artifact, "")],
    )
    answer = Composer(Extractor(world.store.embedding_function)).compose(turn)
    assert says in answer and never_says not in answer
    assert "- stance: neutral → supporter" in answer
    assert "[stakeholder:8]" in answer
    assert answer.endswith(OFFLINE_FOOTER)


def test_coaching_sentences_cite_only_the_passages_they_come_from(world: DemoWorld) -> None:
    passages = world.retrieval.search("what is a partnership charter?", k=5)
    artifact = PassagesArtifact(tool="search_curriculum", query="q", citations=passages)
    extractor = Extractor(world.store.embedding_function)
    answer = compose_coaching(
        artifact,
        "what is a partnership charter?",
        extractor=extractor,
        lessons=world.curriculum,
        cite=Cite(passages),
        account_name="Acme Real Estate Company",
    )
    body, question = answer.split("**To think about for Acme Real Estate Company:**")
    sources: dict[str, str] = {}
    for citation in passages:
        # Verbatim up to Markdown: list markers and bold are layout, not words.
        plain = re.sub(r"(?m)^\s*(?:[-*]|\d+\.)\s+", "", (citation.excerpt or "").replace("**", ""))
        sources[citation.ref] = sources.get(citation.ref, "") + " " + " ".join(plain.split())
    cited = re.findall(r"(.+?) \[((?:curriculum|document):[^\]]+)\]", body.strip())
    assert len(cited) >= 3
    for sentence, ref in cited:
        assert sentence.strip().removeprefix("- ").rstrip(".") in sources[ref], (sentence, ref)
    assert question.strip()


def test_coaching_abstains_when_the_curriculum_has_nothing(world: DemoWorld) -> None:
    artifact = PassagesArtifact(tool="search_curriculum", query="q", citations=[])
    answer = compose_coaching(
        artifact,
        "how do I improve my golf swing?",
        extractor=Extractor(world.store.embedding_function),
        lessons=world.curriculum,
        cite=Cite([]),
        account_name=None,
    )
    assert "found nothing" in answer and refs_in(answer) == []
