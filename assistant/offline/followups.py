"""A follow-up to a coaching answer stays coaching: "ok, and how do I score them?" asks about the topic just
taught, not about an account.

Such a message names no account and points back at the answer ("them", "it", "that", "and", "so"); on its own
it often sounds like an account request (score → a health assessment), and then the coach asked "which
account?" in the middle of a lesson. Its search carries the earlier question, because "them" means nothing to
a retriever.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from assistant.citations import REF_PATTERN

LEARNING_KINDS = frozenset({"curriculum", "document"})
# Words that lean on what was just said.
_POINTS_BACK = re.compile(
    r"\b(?:them|they|it|its|that|this|those|these|one|ones)\b|^\s*(?:ok(?:ay)?|so|and|but|then|right|got it|"
    r"thanks|cool|great)\b|\bwhat about\b|\bhow about\b|\bany (?:tips|examples?|rules?)\b",
    re.IGNORECASE,
)
# ... and words that only make sense with it: the search needs the earlier question to know what "them" is.
_PRONOUN = re.compile(r"\b(?:them|they|it|its|that|this|those|these|ones)\b", re.IGNORECASE)
MAX_WORDS = 25


def continues_coaching(text: str, history: Sequence[BaseMessage], *, names_something: bool) -> bool:
    """Whether the message follows up the last answer, and that answer was coaching (cited the curriculum only)."""
    if names_something or len(text.split()) > MAX_WORDS or not _POINTS_BACK.search(text):
        return False
    answer = _last_text(history, AIMessage)
    if answer is None:
        return False
    kinds = {ref.split(":", 1)[0] for ref in REF_PATTERN.findall(answer)}
    return bool(kinds) and kinds <= LEARNING_KINDS


def coaching_query(text: str, history: Sequence[BaseMessage]) -> str:
    """The search for a coaching follow-up: this message plus the question it follows up."""
    if not _PRONOUN.search(text) or not continues_coaching(text, history, names_something=False):
        return text
    earlier = _last_text(history, HumanMessage)
    return f"{text} ({earlier})" if earlier else text


def _last_text(history: Sequence[BaseMessage], kind: type[BaseMessage]) -> str | None:
    for message in reversed(history):
        if isinstance(message, kind):
            content = message.content if isinstance(message.content, str) else ""
            if content.strip():
                return content
    return None
