"""Prose writers: the template writer keeps every claim and citation; the LLM writer (driven by the scripted
fake model) keeps only sentences whose references it was given, counts the rest, and falls back safely."""

from __future__ import annotations

import json
import re

import pytest
from langchain_core.messages import AIMessage, BaseMessage

from assistant.citations import Citation, Claim, SourceKind
from assistant.drafting import DraftingService, LLMProseWriter, ProseWriter, TemplateProseWriter
from assistant.drafting.prompts import PROSE_SYSTEM_PROMPT
from assistant.drafting.render import to_markdown
from assistant.llm import LLMUnavailable, build_chat_model
from assistant.testing import ScriptedChatModel, reply
from knowledge.curriculum import Lesson
from tests.drafting.conftest import ACME, TODAY, Demo, account_ids, assert_grounded
from tests.fakes.openai_server import ScriptedOpenAIServer, text


def cite(kind: SourceKind, record: str) -> Citation:
    return Citation(kind=kind, id=record, label=f"{kind.value} {record}", account_id=1)


CLAIMS = [
    Claim(text="helen Ortiz will retire at quarter end", citations=[cite(SourceKind.NOTE, "22")]),
    Claim(text="Daniel Kim joined as CEO-designate", citations=[cite(SourceKind.STAKEHOLDER, "10")]),
    Claim(text="The contract ends in about 20 months", citations=[cite(SourceKind.ACCOUNT, "1")]),
]


def answer(*sentences: dict[str, object]) -> AIMessage:
    return reply(json.dumps({"sentences": list(sentences)}))


def test_both_writers_satisfy_the_protocol() -> None:
    assert isinstance(TemplateProseWriter(), ProseWriter)
    assert isinstance(LLMProseWriter(ScriptedChatModel([])), ProseWriter)


def test_template_writer_keeps_every_claim_and_citation() -> None:
    written = TemplateProseWriter().write("summary", CLAIMS)
    assert [c.citations for c in written] == [c.citations for c in CLAIMS]
    assert written[0].text == "Helen Ortiz will retire at quarter end."


def test_llm_writer_drops_sentences_citing_unknown_ids_and_counts_them() -> None:
    both = {
        "text": "Helen Ortiz retires at quarter end and Daniel Kim has joined.",
        "refs": ["note:22", "stakeholder:10"],
    }
    unknown = {"text": "The board has already chosen a new supplier.", "refs": ["note:999"]}
    uncited = {"text": "Revenue will double next year.", "refs": []}
    model = ScriptedChatModel([answer(both, unknown, uncited)])
    writer = LLMProseWriter(model)
    written = writer.write("What changed", CLAIMS)
    model.assert_complete()
    assert writer.dropped == 2
    assert written[0].text == "Helen Ortiz retires at quarter end and Daniel Kim has joined."
    assert {c.ref for c in written[0].citations} == {"note:22", "stakeholder:10"}
    # The fact no kept sentence used is kept as it was, so the model cannot silently lose it.
    assert written[1].text == "The contract ends in about 20 months." and written[1].citations == CLAIMS[2].citations
    assert all("supplier" not in c.text and "Revenue" not in c.text for c in written)


def test_llm_writer_prompt_numbers_the_facts_with_their_refs() -> None:
    model = ScriptedChatModel([answer({"text": "Helen retires.", "refs": ["note:22"]})])
    LLMProseWriter(model).write("What changed", CLAIMS)
    system, human = model.calls[0]
    assert system.content == PROSE_SYSTEM_PROMPT
    assert "1. helen Ortiz will retire at quarter end [note:22]" in str(human.content)
    assert "3. The contract ends in about 20 months [account:1]" in str(human.content)


def test_refs_written_inline_are_accepted_and_stripped() -> None:
    model = ScriptedChatModel([answer({"text": "Daniel Kim has joined [stakeholder:10]."})])
    written = LLMProseWriter(model).write("t", CLAIMS[1:2])
    assert written == [Claim(text="Daniel Kim has joined.", citations=CLAIMS[1].citations)]


def test_unparseable_output_falls_back_to_the_template_writer() -> None:
    model = ScriptedChatModel([reply("Sure! Helen is retiring, which is sad.")])
    writer = LLMProseWriter(model)
    assert writer.write("t", CLAIMS) == TemplateProseWriter().write("t", CLAIMS)
    assert writer.fallbacks == 1 and writer.dropped == 0


def test_all_sentences_invalid_falls_back_and_counts() -> None:
    model = ScriptedChatModel([answer({"text": "Invented.", "refs": ["note:1"]})])
    writer = LLMProseWriter(model)
    assert writer.write("t", CLAIMS) == TemplateProseWriter().write("t", CLAIMS)
    assert writer.dropped == 1 and writer.fallbacks == 1


def test_fenced_json_is_read() -> None:
    fenced = "```json\n" + json.dumps({"sentences": [{"text": "Helen retires.", "refs": ["note:22"]}]}) + "\n```"
    written = LLMProseWriter(ScriptedChatModel([reply(fenced)])).write("t", CLAIMS[:1])
    assert written[0].text == "Helen retires."


def test_model_errors_propagate() -> None:
    def down(messages: list[BaseMessage]) -> AIMessage:
        raise LLMUnavailable("endpoint unreachable")

    with pytest.raises(LLMUnavailable):
        LLMProseWriter(ScriptedChatModel([down])).write("t", CLAIMS)


def test_no_claims_means_no_model_call() -> None:
    model = ScriptedChatModel([])
    assert LLMProseWriter(model).write("t", []) == []
    assert not model.calls


def _first_fact_and_a_fake(messages: list[BaseMessage]) -> AIMessage:
    """A model that restates the first fact it was given and invents one more."""
    facts = str(messages[-1].content).split("Facts (each ends with its reference tokens):\n", 1)[1]
    first = facts.splitlines()[0]
    refs = re.findall(r"\[([a-z_]+:[^\]\s]+)\]", first)
    text = re.sub(r"^\d+\.\s*", "", re.sub(r"\s*\[[^\]]+\]", "", first))
    return answer({"text": text, "refs": refs}, {"text": "A rival has signed.", "refs": ["note:424242"]})


def test_drafting_service_with_the_llm_writer_keeps_drafts_grounded(demo: Demo, curriculum: list[Lesson]) -> None:
    model = ScriptedChatModel([_first_fact_and_a_fake, _first_fact_and_a_fake])
    service = DraftingService(demo.records, LLMProseWriter(model, json_mode=False), curriculum=curriculum)
    account = demo.account(ACME)
    brief = service.meeting_brief(demo.dana, account.id, today=TODAY)
    model.assert_complete()  # one call per narrative section: what changed, health snapshot
    assert brief.writer == "llm (scripted)"
    assert brief.dropped_sentences == 2
    assert "2 model sentence(s) dropped" in to_markdown(brief)
    lessons = {lesson.id: lesson for lesson in curriculum}
    assert_grounded(brief, account_ids(demo.records, demo.admin, account.id), account.id, lessons)
    texts = " ".join(c.text for s in brief.sections for c in s.claims)
    assert "A rival has signed" not in texts


def test_llm_writer_drives_an_openai_compatible_endpoint_in_json_mode() -> None:
    sentences = {"sentences": [{"text": "Daniel Kim has joined as CEO-designate.", "refs": ["stakeholder:10"]}]}
    with ScriptedOpenAIServer([text(json.dumps(sentences))]) as server:
        writer = LLMProseWriter(build_chat_model(server.llm_settings(max_retries=0)))
        written = writer.write("What changed", CLAIMS[1:2])
        (request,) = server.chat_requests
    assert request["response_format"] == {"type": "json_object"}
    assert written == [Claim(text="Daniel Kim has joined as CEO-designate.", citations=CLAIMS[1].citations)]
    assert writer.name.startswith("llm (")
