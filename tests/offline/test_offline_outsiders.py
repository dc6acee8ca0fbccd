"""What the records do not hold, said first: a competitor is no missing account, a person asked about who is not
on the stakeholder list is named as such; and two answers that need more than one record: whether an account is
still strategic, and early warnings read against the account's health.
"""

from __future__ import annotations

import pytest
from chromadb.api.types import Documents, EmbeddingFunction

from assistant.agent.artifacts import WarningsArtifact
from assistant.agent.operations import reading
from assistant.offline.accounts import compose_warnings
from assistant.offline.citing import Cite
from assistant.offline.names import unknown_names
from assistant.offline.outsiders import asked_as_competitor, named_as_competitor, person_asked_about
from assistant.offline.questions import asks_strategic_fit
from tests.offline.conftest import Chat, DemoWorld
from tests.offline.test_offline_planner import planner, tools


def test_a_competitor_asked_about_is_not_a_missing_account(chat: Chat) -> None:
    answer = chat.run("What discounts does Aramark offer when they bid against us for a campus?").answer
    assert "not in your portfolio" not in answer
    assert answer.startswith("Aramark is not one of your accounts and no note in your records mentions it")


def test_an_account_outside_the_portfolio_is_still_not_in_it(
    hash_embedding: EmbeddingFunction[Documents], world: DemoWorld
) -> None:
    plans = planner(hash_embedding, "account_overview")
    scene = plans.scene("How are things at Halvorsen Logistics?", [], world.context())
    assert scene.unknown == "Halvorsen Logistics" and scene.competitor is None


def test_competitors_are_known_by_the_question_or_by_the_notes() -> None:
    assert asked_as_competitor("could we undercut them on the catering bid?")
    assert asked_as_competitor("did we lose the deal to Compass?")
    assert not asked_as_competitor("How is Halvorsen doing against its targets?")
    note = "Their new CFO came from Westbrook Partners, a direct rival, and knows our pricing."
    assert named_as_competitor("Westbrook Partners", [note])
    assert not named_as_competitor("Westbrook Partners", ["Lunch with the team from Westbrook Partners."])


def test_a_person_not_on_the_stakeholder_list_is_said_to_be_absent(chat: Chat) -> None:
    answer = chat.run("Who is Dr. Helga Varga at Solara? Is she on our side?").answer
    assert answer.startswith("I have no record of Helga Varga: no one of that name is on the stakeholder list")
    assert "Marta Lindqvist" in answer  # who is on record follows
    known = chat.run("What's Marta Lindqvist's stance at Solara?").answer
    assert "I have no record of" not in known


def test_a_person_asked_about_needs_a_person_shaped_name() -> None:
    def asked(text: str) -> str | None:
        return person_asked_about(text, unknown_names(text))

    assert asked("What's Prof. Ines Alvarez's view of the pilot?") == "Ines Alvarez"
    assert asked("who is Omar Haddad on their side") == "Omar Haddad"
    assert asked("What's Lakeside's stance on the merger?") is None
    assert asked("How is Crestline Foods doing in the region?") is None


def test_a_stance_question_with_a_contraction_reads_the_stakeholder_record(
    hash_embedding: EmbeddingFunction[Documents], world: DemoWorld
) -> None:
    plan = planner(hash_embedding, "stakeholders").plan("What's Linda Park's stance at Northgate?", [], world.context())
    assert tools(plan.calls) == ["get_stakeholders"], plan


@pytest.mark.parametrize(
    ("text", "fits"),
    [
        ("Does Riverbend still qualify as strategic for us?", True),
        ("Is Quantis really a strategic partner?", True),
        ("Should Solara stay on the strategic list at all?", True),
        ("What's in our strategic plan for Acme?", False),
        ("Make the strategic case for Acme in the QBR.", False),
    ],
)
def test_asking_whether_an_account_is_still_strategic(text: str, fits: bool) -> None:
    assert asks_strategic_fit(text) is fits


def test_whether_an_account_is_strategic_is_answered_from_its_record(chat: Chat) -> None:
    result = chat.run("Does Riverbend still qualify as strategic for us?")
    assert result.answer.startswith("**Is Riverbend University strategic?**")
    assert "There is no mutual agreement" in result.answer
    assert "price-led procurement" in result.answer  # the record's own description
    assert "**vulnerable**" in result.answer  # and its health, from the same overview
    assert "open action items" not in result.answer  # a status check's counts do not answer this
    agreed = chat.run("Is Quantis really a strategic partner?").answer
    assert "There is mutual agreement" in agreed


def test_early_warnings_are_read_against_the_latest_health(world: DemoWorld) -> None:
    _, artifact = reading.get_early_warnings(world.context(), "Northgate")
    assert isinstance(artifact, WarningsArtifact) and artifact.ours is not None
    answer = compose_warnings(artifact, Cite(artifact.citations))
    first = answer.split("\n\n", 1)[0]
    assert first.startswith("Our latest health assessment") and f"**{artifact.ours.overall.value}**" in first
    assert f"[assessment:{artifact.ours.id}]" in first
