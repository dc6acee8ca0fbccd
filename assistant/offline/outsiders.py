"""Names that stand where an account or a stakeholder would, but are neither: a competitor asked about, a person
no record of the account holds.

An unknown name in an account's place is normally answered "not in your portfolio"; a competitor ("what margins
does Sodexo run?", "how low can we go against them?") is not a missing account, and saying so would be wrong.
A person asked about who is not on the account's stakeholder list is worth saying outright, before anything the
records do hold, so the answer never reads as if it were about them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.offline.names import Unknown

# The message asks about someone we compete with.
_COMPETITOR_CUE = re.compile(
    r"\b(?:competitors?|competition|competing|compete[sd]?|rivals?|incumbents?|versus|vs\.?|undercut\w*|outbid\w*|"
    r"against (?:them|it|him|her|their|us)|lose (?:it |the (?:deal|bid|contract) )?to|lost (?:it |the (?:deal|bid|"
    r"contract) )?to)\b",
    re.IGNORECASE,
)
# A note says so: "a direct rival", "the incumbent", "bidding against us".
_COMPETITOR_NOTE = re.compile(
    r"\b(?:competitors?|competition|competing|compete[sd]?|rivals?|incumbents?|bid(?:s|ding)?|tender\w*|"
    r"against us)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_HONORIFIC = re.compile(r"^(?:dr|mr|mrs|ms|miss|prof|professor|sir|dame)\.?\s+", re.IGNORECASE)
# What a question asks about a person: their stance, title, role, view of us.
_PERSON_ASKED = re.compile(
    r"^(?:'s|’s)\s+(?:stance|title|role|job|position|view|take|opinion|power|influence|interest|attitude|mood)\b",
    re.IGNORECASE,
)
_WHO_IS = re.compile(r"\bwho(?:'s|’s| is| was)\s+$", re.IGNORECASE)


def asked_as_competitor(text: str) -> bool:
    """Whether the message speaks of competing: "how low can we go against them?", "is Aramark a rival here?"."""
    return _COMPETITOR_CUE.search(text) is not None


def named_as_competitor(name: str, excerpts: Sequence[str]) -> bool:
    """Whether a note names `name` in a sentence about competing ("Harborline REIT, a direct rival")."""
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    return any(
        pattern.search(sentence) and _COMPETITOR_NOTE.search(sentence)
        for excerpt in excerpts
        for sentence in _SENTENCE.split(excerpt)
    )


def person_asked_about(text: str, unknowns: Sequence[Unknown]) -> str | None:
    """The person an unknown name stands for, when the message asks about them as one: "Dr. Patricia Munro's
    stance", "who is Tom Baker". A title before the name is dropped; one capitalised word alone is too little
    (it may be a place or a product)."""
    for unknown in unknowns:
        after, before = text[unknown.end :], text[: unknown.start]
        honorific = _HONORIFIC.match(unknown.text)
        name = unknown.text[honorific.end() :] if honorific else unknown.text
        words = name.split()
        if not words or not all(w[:1].isupper() for w in words):
            continue
        asked = _PERSON_ASKED.match(after) is not None or _WHO_IS.search(before) is not None
        if (honorific and words) or (asked and len(words) >= 2):
            return name
    return None
