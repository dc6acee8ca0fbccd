"""The coaching floor judges what is asked: a follow-up with the question it follows, and a question that is
plainly a section's topic though far from each of its sentences; rhythms answer "how often"."""

from __future__ import annotations

from typing import cast

from chromadb.api.types import Documents, EmbeddingFunction

from assistant.citations import Citation, SourceKind
from assistant.offline.extraction import Extractor


def _passage(section: str, excerpt: str) -> Citation:
    return Citation(
        kind=SourceKind.CURRICULUM, id="guide-example", label="Example guide", section=section, excerpt=excerpt
    )


def test_a_follow_up_is_judged_with_the_question_it_follows(hash_embedding: EmbeddingFunction[Documents]) -> None:
    passages = [_passage("Reviews", "Review the partnership charter with the sponsor and revise its metrics.")]
    follow_up = "and then what?"
    extractor = Extractor(hash_embedding, min_similarity=0.5)
    assert extractor.pick(follow_up, passages) == []
    combined = f"{follow_up} (how should I review the partnership charter with the sponsor and revise its metrics?)"
    assert extractor.pick(follow_up, passages, context=combined)
    # A search that is not the follow-up plus more (a rewritten query) does not lower the bar.
    assert extractor.pick(follow_up, passages, context="review the partnership charter metrics") == []


def test_a_question_that_is_a_sections_topic_passes_the_floor(hash_embedding: EmbeddingFunction[Documents]) -> None:
    heading = "When a sponsor retires without a successor"
    passages = [_passage(heading, "Ask the outgoing sponsor for introductions before the farewell lunch.")]
    extractor = Extractor(hash_embedding, min_similarity=0.9)
    assert extractor.pick(heading, passages)
    elsewhere = [_passage("Farewells", "Ask the outgoing sponsor for introductions before the farewell lunch.")]
    assert extractor.pick(heading, elsewhere) == []


def _same_meaning(texts: Documents) -> list[list[float]]:
    """Every text means the same: only words and bonuses tell sentences apart."""
    return [[1.0, 0.0] for _ in texts]


def test_how_often_is_answered_by_a_rhythm() -> None:
    excerpt = "The account team meets the sponsor in the boardroom.\nThe account team meets the sponsor every quarter."
    extractor = Extractor(cast("EmbeddingFunction[Documents]", _same_meaning))
    passages = [_passage("Keeping it alive", excerpt)]
    assert "every quarter" in extractor.pick("How often does the account team meet the sponsor?", passages)[0].text


def test_words_that_date_a_story_do_not_choose_the_answer() -> None:
    extractor = Extractor(cast("EmbeddingFunction[Documents]", _same_meaning))
    excerpt = "Last month is when most budgets get set.\nA silent champion is a warning to act on at once."
    picked = extractor.pick("Last month our champion went silent, what now?", [_passage("Signals", excerpt)])
    assert picked[0].text.startswith("A silent champion")


def test_a_question_closest_to_a_heading_is_answered_from_that_section(
    hash_embedding: EmbeddingFunction[Documents],
) -> None:
    question = "why renewal talks stall"
    passages = [
        _passage("Pricing", "Talks about price go better with the value case on the table first."),
        _passage("Why renewal talks stall", "Talks go quiet when nobody on their side owns the decision."),
    ]
    picked = Extractor(hash_embedding).pick(question, passages)
    assert picked[0].citation.section == "Why renewal talks stall"
