"""Groundedness: the share of the answer's claims that carry a valid citation.

With an account in scope, the claims are the account-specific sentences: those naming the account or one of its
people, or stating a date, an amount or a percentage. Without one (coaching), every sentence of six words or
more that is not a question is a claim and needs a curriculum (or document) passage behind it.
"""

from __future__ import annotations

import re

from evals.answers import Answer
from evals.cases import Case
from evals.scorers.base import Score, Similarity, ratio
from evals.scorers.citations import check_citations
from evals.text import normalize

_SPECIFIC = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|[$€£]\s?\d|\d\s?%|\b\d+(?:\.\d+)?\s?/\s?\d+\b|\b\d+\.\d+\b")
MIN_WORDS = 6


class Groundedness:
    name = "groundedness"

    def __init__(self, similarity: Similarity | None = None, *, min_share: float = 0.8) -> None:
        self.similarity = similarity
        self.min_share = min_share

    def applies(self, case: Case) -> bool:
        return True

    def score(self, case: Case, answer: Answer) -> Score | None:
        valid = {(c.sentence, c.ref) for c in check_citations(answer, self.similarity) if c.valid}
        markers = _markers(answer) if case.account else []
        claims = [s for s in answer.sentences if _is_claim(s.text, markers, coaching=not case.account)]
        if not claims:
            return None
        grounded = [s for s in claims if any((s.text, ref) in valid for ref in s.refs)]
        share = ratio(len(grounded), len(claims))
        ungrounded = [s.text for s in claims if s not in grounded]
        reason = f"{len(grounded)}/{len(claims)} claims with a valid citation"
        if ungrounded:
            reason += "; e.g. uncited: “" + ungrounded[0][:100] + "”"
        return Score(share, share >= self.min_share, reason)


def _markers(answer: Answer) -> list[str]:
    index = answer.index
    if index is None:
        return []
    found: set[str] = set()
    for account_id in answer.scope_account_ids:
        info = index.accounts.get(account_id)
        if info is None:
            continue
        found.add(normalize(info.name))
        first = info.name.split()[0]
        if len(first) >= 4:
            found.add(normalize(first))
        found.update(normalize(name) for name in info.people)
    return sorted(found)


def _is_claim(text: str, markers: list[str], *, coaching: bool) -> bool:
    plain = normalize(text)
    # Questions are not claims; a line ending in a colon introduces a list rather than stating anything.
    if plain.endswith(("?", ":")) or plain.startswith("to think about"):
        return False
    if coaching:
        return len(plain.split()) >= MIN_WORDS
    if _SPECIFIC.search(text):
        return True
    return any(re.search(r"(?<![a-z])" + re.escape(marker) + r"(?![a-z])", plain) for marker in markers)
