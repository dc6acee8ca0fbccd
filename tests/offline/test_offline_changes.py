"""Record changes told in everyday words: news about a stakeholder is an update, a note's body follows its colon,
a lead-in does not hide an order to log, a rating may wait a word or two, and an action has the owner named.

The router is fixed to a wrong guess where it matters, so each test shows what the planner makes of the words
whatever the embedding would have said.
"""

from __future__ import annotations

import pytest
from chromadb.api.types import Documents, EmbeddingFunction

from assistant.offline.entities import find_note_body, find_rating
from assistant.offline.questions import asks_question
from assistant.offline.router import keyword_intent
from tests.offline.conftest import DemoWorld
from tests.offline.test_offline_planner import planner, tools


@pytest.mark.parametrize(
    ("text", "guess", "change"),
    [
        (
            "fyi Kevin O'Brien over at Acme went quiet for a month and he's sceptical now",
            "meeting_brief",
            {"stance": "skeptic"},
        ),
        (
            "News from Solara: Thomas Reed was promoted, his title is now VP of Operations. Please update it.",
            "search_notes",
            {"title": "VP of Operations"},
        ),
        (
            "Linda Park at Northgate, her interest is probably a 2 after the budget cut",
            "account_overview",
            {"interest": 2},
        ),
    ],
)
def test_news_about_a_stakeholder_is_an_update_whatever_the_router_guessed(
    hash_embedding: EmbeddingFunction[Documents], world: DemoWorld, text: str, guess: str, change: dict[str, object]
) -> None:
    plan = planner(hash_embedding, guess).plan(text, [], world.context())
    assert tools(plan.calls) == ["propose_stakeholder_update"], plan
    assert change.items() <= plan.calls[0].args.items()


@pytest.mark.parametrize(
    "text",
    [
        "Is Kevin O'Brien at Acme sceptical now?",
        "Heads up, I'm seeing Linda Park at Northgate. Has her interest dropped to 2?",
        "Kevin O'Brien at Acme is a careful reader of every proposal",
    ],
)
def test_a_question_or_a_description_is_not_news_of_a_change(
    hash_embedding: EmbeddingFunction[Documents], world: DemoWorld, text: str
) -> None:
    plan = planner(hash_embedding, "account_overview").plan(text, [], world.context())
    assert "propose_stakeholder_update" not in tools(plan.calls), plan


def test_a_polite_request_after_the_news_is_not_a_question() -> None:
    assert not asks_question("Heads up: Raymond has a new title, CFO. Could you update his record?")
    assert asks_question("Heads up: Raymond has a new title. Is that in his record?")
    assert asks_question("Is Raymond a detractor? I think so.")


@pytest.mark.parametrize(
    ("text", "power"),
    [
        ("Olivia's power really ought to be 4 after the reorganisation", 4),
        ("his power, as of this week, is 5", None),
        ("power to decide within 3 days", None),
        ("we should meet in 2 weeks to discuss her power", None),
    ],
)
def test_a_rating_may_wait_a_word_or_two_within_its_clause(text: str, power: int | None) -> None:
    assert find_rating(text, "power") == power


@pytest.mark.parametrize(
    ("text", "body"),
    [
        (
            "Put this on file for Northgate: James Whitaker wants the recovery dates in writing.",
            "James Whitaker wants the recovery dates in writing.",
        ),
        ("write this down for Acme - valet queue cut to four minutes", "Valet queue cut to four minutes"),
        ("Please jot down the following: Ravi will own the Toronto pilot", "Ravi will own the Toronto pilot"),
    ],
)
def test_a_notes_body_is_what_follows_its_colon(text: str, body: str) -> None:
    assert find_note_body(text) == body


@pytest.mark.parametrize(
    "text",
    [
        "right, thanks - then record that Helen signed off the pilot",
        "great call. Log this: Marta wants quarterly reviews in person",
        "could you record that the Lakeside tour moved to March",
    ],
)
def test_a_lead_in_does_not_hide_an_order_to_log(text: str) -> None:
    assert keyword_intent(text) == "log_note"


def test_an_action_for_a_named_team_member_is_theirs(
    hash_embedding: EmbeddingFunction[Documents], world: DemoWorld
) -> None:
    plan = planner(hash_embedding, "add_action").plan(
        "Please create a task on Northgate for Ben Okafor: send Linda Park the menu samples by Friday",
        [],
        world.context(),
    )
    assert tools(plan.calls) == ["propose_action_item"], plan
    args = plan.calls[0].args
    assert args["owner"] == "Ben Okafor" and args["stakeholder"] == "Linda Park"
    assert args["title"].startswith("Send Linda Park the menu samples")
    where = planner(hash_embedding, "add_action").plan(
        "add a to-do for Northgate: book the tasting", [], world.context()
    )
    assert "owner" not in where.calls[0].args
