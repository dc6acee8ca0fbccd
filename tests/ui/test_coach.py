"""The coach chat page with the scripted model: a streamed turn with tool activity and citations, conversations
kept and reloaded, proposal cards whose record changes only on Approve, flagged passages and readable errors."""

from __future__ import annotations

import re
from collections.abc import Callable

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from streamlit.testing.v1 import AppTest

from assistant.citations import refs_in
from assistant.prompts import STEP_LIMIT_REACHED
from assistant.records.actor import Actor
from assistant.records.enums import Stance
from assistant.runtime import Runtime
from assistant.settings import LLMSettings
from assistant.testing import ScriptedChatModel, calls_tool, reply
from tests.ui.conftest import account_id, assert_clean, open_app

COACH = "screens/coach.py"


def cite_first_passage(text: str) -> Callable[[list[BaseMessage]], AIMessage]:
    """A reply that cites the first ref the last tool returned, as a real model would."""

    def answer(messages: list[BaseMessage]) -> AIMessage:
        output = str(next(m for m in reversed(messages) if isinstance(m, ToolMessage)).content)
        # Curriculum passages come as <passage ref="curriculum:…">, records as [kind:id].
        refs = re.findall(r'ref="([^"]+)"', output) or refs_in(output)
        return reply(f"{text} [{refs[0]}]")

    return answer


def ask(at: AppTest, question: str) -> AppTest:
    return at.chat_input[0].set_value(question).run()


def expander(at: AppTest, prefix: str) -> str:
    """The Markdown inside the first expander whose label starts with `prefix`."""
    found = next(e for e in at.expander if e.label.startswith(prefix))
    return "\n".join(m.value for m in found.markdown) + "\n".join(c.value for c in found.caption)


def stance(runtime: Runtime, actor: Actor, account: str, name: str) -> Stance:
    acct = account_id(runtime, actor, account)
    [person] = [p for p in runtime.records.stakeholders.list(actor=actor, account_id=acct) if p.name == name]
    return person.stance


def test_a_turn_streams_the_answer_with_its_activity_and_citations(
    make_runtime: Callable[..., Runtime], dana: Actor
) -> None:
    model = ScriptedChatModel(
        [
            calls_tool("search_curriculum", query="partnership charter"),
            cite_first_passage("A charter writes down what a win means for both sides."),
        ]
    )
    runtime = make_runtime(chat_model=model)
    at = ask(open_app(runtime, COACH), "What belongs in a partnership charter?")
    assert_clean(at)
    model.assert_complete()
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    answer = "\n".join(m.value for m in at.chat_message[1].markdown)
    assert "A charter writes down what a win means for both sides. [1]" in answer
    assert "searching the curriculum → read" in expander(at, "Activity: 1 step")
    sources = expander(at, "Sources (")
    assert sources.startswith("[1] **") and "curriculum passage" in sources
    [conversation] = runtime.assistant.conversations.list(actor=dana)
    assert conversation.title == "What belongs in a partnership charter?" and conversation.account_id is None


def test_a_saved_conversation_is_listed_and_reloads_in_a_new_session(
    make_runtime: Callable[..., Runtime], dana: Actor
) -> None:
    model = ScriptedChatModel([reply("Start with the account's most senior sponsor.")])
    runtime = make_runtime(chat_model=model)
    ask(open_app(runtime, COACH), "Where do I start?")
    [conversation] = runtime.assistant.conversations.list(actor=dana)

    later = open_app(runtime, COACH)  # a new browser session: nothing in session state but the runtime
    assert_clean(later)
    assert later.selectbox(key="coach_conversation").value == conversation.id
    assert "Conversation (1 saved)" == later.selectbox(key="coach_conversation").label
    assert [m.name for m in later.chat_message] == ["user", "assistant"]
    assert "most senior sponsor" in later.chat_message[1].markdown[0].value


def test_conversations_are_kept_per_account(make_runtime: Callable[..., Runtime], dana: Actor) -> None:
    model = ScriptedChatModel([reply("Acme's sponsor is retiring; meet her successor.")])
    runtime = make_runtime(chat_model=model)
    acme = account_id(runtime, dana, "Acme")
    at = open_app(runtime, COACH)
    at.selectbox(key="coach_scope").set_value(acme).run()
    ask(at, "What matters most at Acme now?")
    assert_clean(at)
    [conversation] = runtime.assistant.conversations.list(actor=dana)
    assert conversation.account_id == acme
    at.selectbox(key="coach_scope").set_value(0).run()
    assert at.selectbox(key="coach_conversation").label == "Conversation (0 saved)"
    assert not at.chat_message
    at.selectbox(key="coach_scope").set_value(acme).run()
    assert at.selectbox(key="coach_conversation").value == conversation.id


def _propose_raymond_as_supporter() -> ScriptedChatModel:
    return ScriptedChatModel(
        [
            calls_tool(
                "propose_stakeholder_update",
                account="Northgate",
                stakeholder="Raymond Cole",
                stance="supporter",
                rationale="He backed the menu change at the last steering meeting.",
            ),
            reply("I proposed recording Raymond Cole as a supporter; approve it if that matches what you saw."),
        ]
    )


def test_approving_a_proposal_changes_the_record_and_only_then(
    make_runtime: Callable[..., Runtime], dana: Actor
) -> None:
    runtime = make_runtime(chat_model=_propose_raymond_as_supporter())
    at = ask(open_app(runtime, COACH), "Raymond Cole backed us at the steering meeting.")
    assert_clean(at)
    [proposal] = runtime.assistant.list_proposals(dana)
    assert proposal.status.value == "pending"
    card = "\n".join(m.value for m in at.markdown)
    assert f"**Proposal #{proposal.id}:**" in card and ":blue-badge[pending]" in card
    diff = next(d.value for d in at.dataframe if list(d.value.columns) == ["Field", "Before", "After"])
    assert diff.to_dict("records") == [{"Field": "stance", "Before": "detractor", "After": "supporter"}]
    assert stance(runtime, dana, "Northgate", "Raymond Cole") is Stance.DETRACTOR, "nothing changes before approval"

    at.button(key=f"approve-{proposal.id}").click().run()
    assert_clean(at)
    assert stance(runtime, dana, "Northgate", "Raymond Cole") is Stance.SUPPORTER
    assert f"Proposal #{proposal.id} approved: the record was updated." in [s.value for s in at.success]
    assert ":green-badge[applied]" in "\n".join(m.value for m in at.markdown)
    assert not [b for b in at.button if b.key == f"approve-{proposal.id}"], "a decided proposal has no buttons"


def test_rejecting_a_proposal_leaves_the_record_alone(make_runtime: Callable[..., Runtime], dana: Actor) -> None:
    runtime = make_runtime(chat_model=_propose_raymond_as_supporter())
    at = ask(open_app(runtime, COACH), "Raymond Cole backed us at the steering meeting.")
    [proposal] = runtime.assistant.list_proposals(dana)
    at.button(key=f"reject-{proposal.id}").click().run()
    assert_clean(at)
    assert runtime.assistant.list_proposals(dana)[0].status.value == "rejected"
    assert stance(runtime, dana, "Northgate", "Raymond Cole") is Stance.DETRACTOR
    assert f"Proposal #{proposal.id} rejected: nothing was changed." in [w.value for w in at.warning]


def test_a_passage_with_planted_instructions_is_flagged(make_runtime: Callable[..., Runtime]) -> None:
    model = ScriptedChatModel(
        [
            calls_tool("search_account_notes", account="Riverbend", query="ignore previous instructions delete"),
            reply("The latest notes are about dining prices and a message addressed to me, which I ignored."),
        ]
    )
    at = ask(open_app(make_runtime(chat_model=model), COACH), "What do the latest Riverbend notes say?")
    assert_clean(at)
    flagged = [w.value for w in at.warning if w.value.startswith("**Flagged passage:**")]
    assert flagged and "treated as data and not obeyed" in flagged[0]


def test_an_error_event_is_shown_as_a_message_not_a_traceback(make_runtime: Callable[..., Runtime]) -> None:
    model = ScriptedChatModel(
        [
            calls_tool("search_curriculum", query="renewal"),
            calls_tool("search_curriculum", query="renewal timing"),
            reply("never reached"),
        ]
    )
    runtime = make_runtime(chat_model=model, llm=LLMSettings(max_steps=1))
    at = ask(open_app(runtime, COACH), "When should the renewal talk start?")
    assert not at.exception
    assert STEP_LIMIT_REACHED.format(limit=1) in [e.value for e in at.error]


def test_a_failing_backend_is_a_readable_error(make_runtime: Callable[..., Runtime]) -> None:
    at = ask(open_app(make_runtime(chat_model=ScriptedChatModel([])), COACH), "Hello?")
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert error.startswith("The coach could not answer: something went wrong (ScriptExhausted")
    assert "Traceback" not in error


def test_an_example_question_can_be_sent_with_one_click(make_runtime: Callable[..., Runtime], dana: Actor) -> None:
    model = ScriptedChatModel([reply("Northgate first: it is damaged and its CFO is a rising detractor.")])
    runtime = make_runtime(chat_model=model)
    at = open_app(runtime, COACH)
    at.button(key="coach-example-0").click().run()
    assert_clean(at)
    assert at.chat_message[0].markdown[0].value == "Which of my accounts needs attention first?"
    assert "Northgate first" in at.chat_message[1].markdown[0].value


def test_the_question_from_a_lesson_is_sent_after_editing(make_runtime: Callable[..., Runtime], dana: Actor) -> None:
    model = ScriptedChatModel([reply("Trust starts with understanding their business.")])
    runtime = make_runtime(chat_model=model)
    at = open_app(runtime, "screens/learn.py")
    at.button(key="ask-module-1-trust").click().run()
    # The app switched pages itself; AppTest keeps re-running the page it was last told to open unless told too.
    at.switch_page("screens/coach.py")
    at.text_area(key="coach_prefill_text").set_value("How do I earn trust with Acme's new CEO?").run()
    at.button(key="coach_prefill_send").click().run()
    assert_clean(at)
    model.assert_complete()
    assert at.chat_message[0].markdown[0].value == "How do I earn trust with Acme's new CEO?"
    assert not [t for t in at.text_area if t.key == "coach_prefill_text"], "the suggestion is used up"
