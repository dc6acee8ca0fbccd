"""What kind of question a message is: a question or a request, about a concept or about the user's own
accounts, and whether a stakeholder record could answer it. The planner reads these after the router.
"""

from __future__ import annotations

import re

from assistant.offline.arguments import Scene
from assistant.offline.router import ACCOUNT_PLACEHOLDER, PERSON_PLACEHOLDER
from knowledge.lexical import tokenize

# A question never proposes a change: it reads what the change would have written.
READ_INSTEAD = {
    "assess_health": "health_history",
    "charter_revision": "charter",
    "log_note": "search_notes",
    "update_stakeholder": "stakeholders",
    "add_action": "open_actions",
}

_POLITE_REQUEST = re.compile(
    r"^\s*(?:(?:so|ok|okay|hey)[,\s]+)?(?:(?:can|could|would|will)\s+(?:you|u)|please|pls|kindly|"
    r"(?:can|could|may)\s+i\s+(?:get|have|ask you to))\b",
    re.IGNORECASE,
)
_INTERROGATIVE = re.compile(
    r"\?\s*$|^\s*(?:what|what's|whats|why|how|how's|when|where|who|who's|which|whose|should|is|isn't|are|aren't|"
    r"was|were|does|did|has|have|had|can|could|would|will)\b|"
    # "do we have ...?" asks; "do a health check on Quantis" is an order.
    r"^\s*do\s+(?:i|we|you|they|our|my|their|these|those|people|anyone|any)\b",
    re.IGNORECASE,
)


# "Had lunch with Naomi today" tells of something done: an auxiliary with no subject after it and no question
# mark is a statement ("Had we ...?", "Has Raymond ...?" keep their subject).
_TOLD = re.compile(
    r"^\s*(?i:had|has|have)\s+(?!(?i:i|we|you|he|she|they|it|there|anyone|anybody|someone|the|our|my|their|his|"
    r"her|any|this|that)\b)[a-z][^?]*$"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")


def asks_question(text: str) -> bool:
    """A question about how things are, not a request phrased as one ("can you log a note ...?").

    The first sentence and the last are read each on its own: "FYI, her title is now CIO. Can you update that?"
    ends in a request, and "Heads up. Is Raymond a detractor?" in a question.
    """
    parts = _SENTENCE_END.split(text.strip()) or [text]
    ends = [parts[0]] if len(parts) == 1 else [parts[0], parts[-1]]
    return any(
        _INTERROGATIVE.search(part) and not _POLITE_REQUEST.search(part) and not _TOLD.search(part) for part in ends
    )


# A question about a concept, not about one of the user's accounts: what is / how do I / why ... (see
# `asks_about_concept`).
_CONCEPT = re.compile(
    r"^\s*(?:(?:so|and|ok|okay|then)[,\s]+)?(?:"
    r"what(?:'s|’s|\s+is|\s+are)\s+(?:a|an|key\s*\d+|module\s*\d|the\s+(?:point|purpose|role|difference|idea|"
    r"best way|right way|ten keys|10 keys))\b"
    r"|what\s+(?:does|do)\b.{0,60}\bmean\b|what\s+(?:makes|should|would|happens)\b"
    r"|how\s+(?:do|does|should|can|could|would|might|to)\s+(?:i|we|you|one|a|an|teams?|companies|people|managers?|"
    r"leaders?|sam|strategic|account teams?)\b|how\s+to\b"
    r"|why\b|when\s+should\b|(?:explain|describe|define)\b"
    r"|which\s+\w+(?:\s+\w+)?\s+(?:should|do|does|must|can|would)\s+(?:a|an|i|we|you)\b)",
    re.IGNORECASE,
)
# ... unless it points at something of the user's own ("my plan", "our meeting on Friday", "this account").
_SPECIFIC = re.compile(
    r"\b(?:my|our|this|these)\s+(?:\w+\s+)?(?:accounts?|portfolio|plans?|meetings?|calls?|clients?|customers?|visit|"
    r"review|qbr|brief|team)\b",
    re.IGNORECASE,
)


def asks_about_concept(scene: Scene) -> bool:
    """ "What is key 1?", "How should I prepare for a stakeholder meeting?", "Why do plans end up in a drawer?": a
    question about how strategic account management works, which the curriculum answers, rather than a request
    to read or review one of the user's accounts: it names none, and nothing of the user's own."""
    if scene.accounts or scene.people or scene.unknown is not None:
        return False
    return bool(_CONCEPT.search(scene.text)) and not _SPECIFIC.search(scene.text)


# What a stakeholder record holds: a question about anything else ("what salary will he earn?") is for the notes.
_RECORD_WORDS = frozenset(
    tokenize(
        """who whom whose stance sponsor supporter neutral skeptic sceptic skeptical sceptical detractor champion
        ally blocker critic power powerful influence influential interest interested role job title position
        become became becoming turned changed change moved
        department contact contacted touch owner owns own relationship decision maker decides decider influencer
        approver recommender side team know known left leaving active map stakeholder people person player key
        chief officer ceo cfo coo cio cto cmo vp president director head manager lead new current still now our
        their his her them him anyone somebody someone responsible covers coverage last talk spoke met"""
    )
)


def beyond_the_record(scene: Scene) -> bool:
    """ "What salary will Daniel Kim earn?" asks what no field of a stakeholder record holds: a question for the
    notes."""
    # A lone letter is what is left of a contraction ("What's" gives "s"): no topic.
    topic = [w for w in tokenize(scene.masked) if len(w) > 1 and w not in _RECORD_WORDS | _PLACEHOLDER_WORDS]
    return bool(topic)


_PLACEHOLDER_WORDS = frozenset(tokenize(f"{ACCOUNT_PLACEHOLDER} {PERSON_PLACEHOLDER}"))


# Whether the account still deserves its strategic status: "is Riverbend even a strategic account anymore?",
# "should we keep treating Solara as strategic?". Not the strategic plan, priorities or objectives.
_STRATEGIC_FIT = re.compile(
    r"\b(?:still|even|really|truly|actually|remain|stay|keep|treat\w*|count as|qualif\w*|deserv\w*|worth)\b"
    r"[^.?!]{0,40}\bstrategic\b(?!\s+(?:plan|planning|priorit|objective|initiative|goal|review|pillar))"
    r"|\bstrategic\b(?:\s+(?:account|customer|client|partner|partnership|relationship))?\s+"
    r"(?:any ?more|still|status|at all)\b"
    r"|\b(?:is|are)\s+(?:\w+\s+){1,3}(?:a\s+)?strategic\s+(?:account|customer|client|partner)\b",
    re.IGNORECASE,
)


def asks_strategic_fit(text: str) -> bool:
    """A question whether an account is (still) strategic: answered from the selection criteria on the account's
    record, whether the customer agrees, and what the notes say about it."""
    return asks_question(text) and bool(_STRATEGIC_FIT.search(text))
