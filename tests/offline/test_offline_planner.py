"""The planner's rules around the router: questions never write, concept questions are coaching, names outside
the portfolio are never replaced by another account, and what a notes search is about.

A router that always answers the same intent stands in for the embedding, so each test shows what the planner
does with a classification, whatever the model would have said.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from chromadb.api.types import Documents, EmbeddingFunction

from assistant.agent.artifacts import PassagesArtifact
from assistant.citations import Citation, SourceKind
from assistant.offline.accounts import compose_notes
from assistant.offline.arguments import notes_query
from assistant.offline.citing import Cite
from assistant.offline.planner import Planner
from assistant.offline.questions import asks_about_concept, asks_question
from assistant.offline.router import Classification, IntentRouter
from tests.offline.conftest import Chat, DemoWorld


class FixedRouter(IntentRouter):
    """Classifies every message as `intent` (keyword rules still apply first, as in the real router)."""

    def __init__(self, embedding: EmbeddingFunction[Documents], intent: str) -> None:
        super().__init__(embedding)
        self.intent = intent

    def classify(self, text: str, **_: bool) -> Classification:
        from assistant.offline.router import keyword_intent

        rule = keyword_intent(text)
        if rule is not None:
            return Classification(rule, 1.0, rule=rule)
        return Classification(self.intent, 0.9, ((self.intent, 0.9),))


def planner(embedding: EmbeddingFunction[Documents], intent: str) -> Planner:
    return Planner(FixedRouter(embedding, intent))


def tools(plan_calls: Sequence[object]) -> list[str]:
    return [getattr(call, "name", "") for call in plan_calls]


@pytest.mark.parametrize(
    ("text", "intent", "read"),
    [
        ("Is Raymond Cole a detractor?", "update_stakeholder", "get_stakeholders"),
        ("Has Frank Delgado become a supporter?", "update_stakeholder", "get_stakeholders"),
        ("Is Acme vulnerable now?", "assess_health", "get_health_history"),
        ("Does the Quantis charter need a revision?", "charter_revision", "get_charter"),
        ("Did I add an action to call Helen?", "add_action", "get_open_actions"),
    ],
)
def test_a_question_never_proposes_a_change(
    hash_embedding: EmbeddingFunction[Documents], world: DemoWorld, text: str, intent: str, read: str
) -> None:
    plan = planner(hash_embedding, intent).plan(text, [], world.context())
    assert tools(plan.calls) == [read], plan


def test_a_request_phrased_politely_still_proposes(
    hash_embedding: EmbeddingFunction[Documents], world: DemoWorld
) -> None:
    plan = planner(hash_embedding, "update_stakeholder").plan(
        "Can you mark Raymond Cole as a supporter?", [], world.context()
    )
    assert tools(plan.calls) == ["propose_stakeholder_update"]
    assert asks_question("Is Raymond a detractor?") and not asks_question("could you log a note for Acme?")
    assert not asks_question("do a health check on Quantis")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("What is key 1 of the ten keys to strategic account planning?", "ten_keys_review"),
        ("Which tools should a strategic account plan include?", "ten_keys_review"),
        ("Why do so many account plans end up in a drawer?", "ten_keys_review"),
        ("How should I prepare for a meeting with a client stakeholder?", "meeting_brief"),
        ("What is key 4?", "lesson"),
    ],
)
def test_a_question_about_a_concept_is_coaching(
    hash_embedding: EmbeddingFunction[Documents], world: DemoWorld, text: str, intent: str
) -> None:
    plan = planner(hash_embedding, intent).plan(text, [], world.context())
    assert tools(plan.calls) == ["search_curriculum"], plan


@pytest.mark.parametrize(
    "text",
    [
        "How does my Acme plan score on the ten keys?",
        "How should I prepare for my meeting with Helen on Friday?",
        "Why is Northgate damaged?",
    ],
)
def test_a_question_about_the_users_own_account_is_not_a_concept(
    hash_embedding: EmbeddingFunction[Documents], world: DemoWorld, text: str
) -> None:
    scene = planner(hash_embedding, "account_overview").scene(text, [], world.context())
    assert not asks_about_concept(scene)


def test_an_account_outside_a_one_account_portfolio_is_never_replaced_by_it(
    hash_embedding: EmbeddingFunction[Documents], world: DemoWorld
) -> None:
    marcus = world.context("marcus")
    for text in ("Prepare me for my meeting with Helen Ortiz at Acme.", "prepare me for my meeting at Acme"):
        plan = planner(hash_embedding, "meeting_brief").plan(text, [], marcus)
        assert [c.args["account"] for c in plan.calls] == ["Acme"], plan


def test_the_answer_is_not_in_your_portfolio_and_names_nothing_of_it(chat: Chat) -> None:
    result = chat.run("Prepare me for my meeting with Helen Ortiz at Acme.", actor="marcus")
    assert "not in your portfolio" in result.answer
    assert "Daniel Kim" not in result.answer and "retire" not in result.answer
    assert result.citations == []


def test_names_that_are_no_account_are_not_read_as_one(
    hash_embedding: EmbeddingFunction[Documents], world: DemoWorld
) -> None:
    plans = planner(hash_embedding, "stakeholders")
    ctx = world.context()
    assert plans.scene("How do I configure dashboards in Salesforce?", [], ctx).unknown is None
    assert plans.scene("What is the corporate tax rate in Ireland?", [], ctx).unknown is None
    assert plans.scene("How is Halvorsen Logistics doing?", [], ctx).unknown == "Halvorsen Logistics"


def test_names_only_one_accounts_notes_mention_pin_down_that_account(
    hash_embedding: EmbeddingFunction[Documents], world: DemoWorld
) -> None:
    scene = planner(hash_embedding, "search_notes").scene(
        "What price will Crestline Foods bid for the Lakeside hospitals?", [], world.context()
    )
    assert scene.account is not None and scene.account.name == "Northgate Health System"
    assert scene.unknown is None and scene.source == "notes"


def test_a_question_the_notes_do_not_answer_says_so() -> None:
    note = Citation(kind=SourceKind.NOTE, id="7", label="note 7", excerpt="Raymond asked for the cost breakdown.")
    artifact = PassagesArtifact(tool="search_account_notes", query="Raymond parking garage", citations=[note])
    asked = compose_notes(artifact, Cite([note]), question=True)
    assert asked.startswith("No note of the account mentions “parking” or “garage”, so I don't have a record")
    assert "[note:7]" in asked
    assert compose_notes(artifact, Cite([note]), question=False).startswith("Notes of the account about")


def test_a_notes_query_keeps_whole_words() -> None:
    assert notes_query("Search the Solara notes about the survey follow-up.", [(11, 17)]) == "survey follow-up"
    assert notes_query("what did we discuss about Helen's retirement?") == "Helen retirement"
