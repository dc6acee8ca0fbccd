"""The offline backend: no generative model, still useful. See `build_offline_backend`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.offline.composer import Composer
from assistant.offline.extraction import Extractor
from assistant.offline.model import OfflineChatModel
from assistant.offline.planner import Planner
from assistant.offline.policy import OfflinePolicy
from assistant.offline.router import IntentRouter

if TYPE_CHECKING:
    from chromadb.api.types import Documents, EmbeddingFunction

    from knowledge.curriculum import Lesson

# The hashing embedding (tests) spreads similarities lower than a sentence model; its floor is lower too.
MIN_SCORE = {"samcoach_hash": 0.12}
DEFAULT_MIN_SCORE = 0.3
# The closest retrieved sentence must be at least this similar to the question for a coaching answer; below it
# the curriculum does not cover the question. Measured on the sentence model: questions the curriculum answers
# reach 0.46 and more, legal, tax and competitor-pricing questions stay under 0.37. Other embeddings spread
# similarities differently (the hashing one too little to mean anything), so they have no floor until measured.
MIN_SIMILARITY = {"sentence_transformer": 0.41}
DEFAULT_MIN_SIMILARITY = 0.0


def build_offline_backend(
    embedding_function: EmbeddingFunction[Documents], curriculum: Sequence[Lesson] = ()
) -> tuple[OfflineChatModel, OfflinePolicy]:
    """The stub model and the policy that plays its part: `build_agent(model, llm=..., middleware=[policy])`.

    Nothing is embedded here; the router embeds its examples on first use. Each run's
    `AssistantContext.curriculum` is used when it has lessons; `curriculum` serves runs whose context has none.
    """
    name = str(embedding_function.name()) if hasattr(embedding_function, "name") else ""
    router = IntentRouter(embedding_function, min_score=MIN_SCORE.get(name, DEFAULT_MIN_SCORE))
    lessons = list(curriculum)
    policy = OfflinePolicy(
        Planner(router, curriculum=lessons),
        Composer(
            Extractor(embedding_function, min_similarity=MIN_SIMILARITY.get(name, DEFAULT_MIN_SIMILARITY)),
            curriculum=lessons,
        ),
    )
    return OfflineChatModel(), policy


__all__ = ["IntentRouter", "OfflineChatModel", "OfflinePolicy", "build_offline_backend"]
