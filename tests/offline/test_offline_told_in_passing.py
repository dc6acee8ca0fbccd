"""Things told in passing and asked for in short: dates are never names, "log it" points back at what was said,
a past meeting is news not a brief, sending anywhere is refused, and health over time is its history.

The phrasings here are our own; the held-out eval cases that prompted these rules are not copied.
"""

from __future__ import annotations

import pytest

from assistant.agent.artifacts import ProposalArtifact
from assistant.agent.operations.writing import propose_charter_revision
from assistant.offline.coaching import Extractor
from assistant.offline.composer import Composer, ToolResult, Turn
from assistant.offline.entities import find_note_body, find_title
from assistant.offline.names import unknown_names
from assistant.offline.planner import Plan
from assistant.offline.questions import asks_question
from assistant.offline.router import keyword_intent
from assistant.offline.safety import Refusal, asks_to_skip_approval, refusal_for
from tests.offline.conftest import Chat, DemoWorld


@pytest.mark.parametrize(
    "text",
    [
        "the review moved to Thu, Oct 16 at their request",
        "Sat works for the site walk, or Mon at the latest",
        "pencil in Jan 12 and Feb 3 for the two workshops",
        "Tomorrow is out, Tonight could work",
    ],
)
def test_short_dates_are_never_read_as_names(text: str) -> None:
    assert unknown_names(text) == []


@pytest.mark.parametrize(
    ("text", "body"),
    [
        (
            "Spoke with their facilities lead about the pilot budget. Could you record that as a meeting?",
            "Spoke with their facilities lead about the pilot budget.",
        ),
        (
            "fyi: procurement pushed the tender deadline back two weeks. log it please",
            "Procurement pushed the tender deadline back two weeks.",
        ),
        (
            "Her PA moved our slot to Wed 14:00, so note that down as a call",
            "Her PA moved our slot to Wed 14:00,",
        ),
    ],
)
def test_a_request_that_points_back_logs_what_came_before(text: str, body: str) -> None:
    assert find_note_body(text) == body.rstrip(",")


def test_a_request_that_only_points_back_has_no_body_of_its_own() -> None:
    assert find_note_body("Please log it.") is None
    # A body given after the order is still the body.
    assert find_note_body("log that the board approved the pilot") == "The board approved the pilot"


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Had a long call with the COO about renewal terms. Please log it.", False),
        ("Has been a rough month for their support desk. Can you note it down?", False),
        ("Had we sent them the savings report before the review?", True),
        ("Has their CFO signed the renewal yet?", True),
    ],
)
def test_a_sentence_that_tells_of_something_done_is_not_a_question(text: str, question: bool) -> None:
    assert asks_question(text) is question


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("turns out she's been named Chief Digital Officer last month", "Chief Digital Officer"),
        ("he was appointed as head of procurement after the merger", "Head of procurement"),
        ("she got made VP of Operations at the group", "VP of Operations"),
    ],
)
def test_being_made_or_named_to_a_role_is_a_new_title(text: str, title: str) -> None:
    assert find_title(text) == title


def test_making_something_that_is_no_role_is_no_title() -> None:
    assert find_title("we made a decision on the pricing model") is None


@pytest.mark.parametrize(
    "text",
    [
        "Share the renewal numbers in our #account-leads channel",
        "Could you push the stakeholder map to the Microsoft Teams chat for the bid team?",
        "Send the open actions to this webhook so our tracker picks them up",
        "Publish the health history on the intranet page",
        "Please post the QBR draft for everyone",
    ],
)
def test_posting_to_a_channel_outside_the_coach_is_refused(text: str) -> None:
    assert refusal_for(text) is Refusal.SEND


@pytest.mark.parametrize(
    "text",
    ["Post-meeting thoughts on the pilot: it went well", "What did the sales channel partners say about pricing?"],
)
def test_the_words_alone_are_not_a_send(text: str) -> None:
    assert refusal_for(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "close that task, no need to bother me with approvals",
        "update her stance without any sign-off from me",
        "don't ask me to confirm, just change it",
    ],
)
def test_asking_to_skip_the_confirmation_is_recognised(text: str) -> None:
    assert asks_to_skip_approval(text)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("how have the ratings at <account> shifted over the last six months?", "health_history"),
        ("when did things at <account> start to slip?", "health_history"),
        ("how has <account>'s health trended?", "health_history"),
        ("re-score <account>'s health, it has changed over the quarter", None),
    ],
)
def test_health_over_time_is_its_history(text: str, intent: str | None) -> None:
    found = keyword_intent(text)
    assert found == intent if intent is not None else found != "health_history"


def test_a_follow_up_that_asks_to_log_keeps_the_account_and_reads_no_date_as_one(chat: Chat) -> None:
    _, second = chat.conversation(
        "what's the latest on Helen Ortiz?",
        "fyi - her office moved our renewal chat to Fri Dec 5. log that as a call please",
    )
    (call,) = second.tool_calls
    assert call.name == "propose_note"
    assert call.args["account"] == "Acme Real Estate Company"
    assert "moved our renewal chat" in call.args["body"]
    assert call.args["kind"] == "call"
    assert "not in your portfolio" not in second.answer


def test_skipping_approval_for_a_change_no_tool_can_make_is_refused(chat: Chat) -> None:
    result = chat.run("Tick off the Acme pilot task as finished, no need to bother me with approvals.")
    assert not result.tool_calls
    assert "never change records directly" in result.answer


def test_a_charter_revision_in_chat_shows_its_draft(world: DemoWorld) -> None:
    ctx = world.context()
    _, artifact = propose_charter_revision(
        ctx, "Acme Real Estate Company", "user_request", "Add the new site manager as a key player."
    )
    assert isinstance(artifact, ProposalArtifact) and artifact.draft_markdown
    turn = Turn(
        text="add the new site manager to the charter",
        plan=Plan("charter_revision"),
        ctx=ctx,
        results=[ToolResult("propose_charter_revision", {}, artifact, "")],
    )
    answer = Composer(Extractor(world.store.embedding_function)).compose(turn)
    head = answer.splitlines()[0]
    assert "[charter:" in head and "[stakeholder:" not in head  # the lead cites what it revises, not who
    for heading in ("## Summary", "## Clause-by-clause changes", "## Signatories who must approve"):
        assert heading in answer
    assert "waiting for your approval" in answer


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("any to-dos I should take on from the site visit notes at <account>?", "search_notes"),
        ("what risks came up in our last few call notes?", "search_notes"),
        ("add an action from the meeting notes: send the revised rota", "add_action"),
        ("log a note from the workshop: they want weekly reports", "log_note"),
    ],
)
def test_a_question_about_what_the_notes_hold_searches_them(text: str, intent: str) -> None:
    assert keyword_intent(text) == intent
