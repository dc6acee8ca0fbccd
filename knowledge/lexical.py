"""Tokeniser and an in-memory BM25 ranking over a scoped candidate set.

Why our own BM25 instead of ``rank_bm25``: its Okapi IDF goes negative when a term appears in more than half
of the documents, and it floors those terms with a fraction of the *average* IDF, which is itself negative on
the tiny candidate sets we rank (one account's notes: often two to twenty chunks). Matching notes then score
below non-matching ones. We use the Lucene IDF ``log(1 + (N - n + 0.5) / (n + 0.5))``, which is always
positive, and keep postings per term so a query costs time proportional to the matching postings, not to the
corpus. Several indexes (curriculum, documents, one account's notes) are scored as one corpus: statistics
are summed across them, so scores are comparable and the ranking covers exactly the scoped candidate set.

The tokeniser keeps numbers, decimals and percentages ("11%", "24", "2.5") because users search for exact
figures from the research, and applies a light plural/possessive folding instead of a stemmer: "sponsors"
should find "sponsor", but aggressive stemming merges terms the curriculum keeps apart.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+", re.UNICODE)

STOPWORDS = frozenset(
    """a about an and are as at be been being but by can could did do does doing for from had has have how i if
    in into is it its me my of on or our should so than that the their them then there these they this those to
    us was we were what when where which who why will with would you your""".split()
)

K1 = 1.2
B = 0.75


def tokenize(text: str) -> list[str]:
    """Lower-case word and number tokens; a percentage also yields its bare number."""
    tokens: list[str] = []
    for raw in _TOKEN.findall(text.lower()):
        if raw[0].isdigit():
            tokens.append(raw.replace(",", ""))
            if raw.endswith("%"):
                tokens.append(raw[:-1].replace(",", ""))
            continue
        if raw in STOPWORDS:
            continue
        tokens.append(_fold(raw))
    return tokens


def _fold(word: str) -> str:
    """Fold plurals so 'sponsors' meets 'sponsor'; short words and '-ss' words are left alone."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s"):
        return word[:-1]
    return word


@dataclass
class LexicalIndex:
    """Postings for one candidate set; ``keys`` are whatever the caller uses to find the document again."""

    keys: list[str]
    lengths: list[int]
    postings: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    @classmethod
    def build(cls, keys: Sequence[str], texts: Iterable[str]) -> LexicalIndex:
        index = cls(keys=list(keys), lengths=[])
        for position, text in enumerate(texts):
            counts = Counter(tokenize(text))
            index.lengths.append(sum(counts.values()))
            for term, tf in counts.items():
                index.postings.setdefault(term, []).append((position, tf))
        if len(index.lengths) != len(index.keys):
            raise ValueError("keys and texts must have the same length")
        return index

    def __len__(self) -> int:
        return len(self.keys)


def rank(indexes: Sequence[LexicalIndex], query: str, *, limit: int | None = None) -> list[tuple[str, float]]:
    """BM25 over the union of ``indexes``, best first; documents sharing no query term are left out."""
    terms = list(dict.fromkeys(tokenize(query)))
    total_docs = sum(len(index) for index in indexes)
    if not terms or total_docs == 0:
        return []
    avg_length = max(sum(sum(index.lengths) for index in indexes) / total_docs, 1.0)
    scores: dict[str, float] = {}
    for term in terms:
        doc_freq = sum(len(index.postings.get(term, ())) for index in indexes)
        if doc_freq == 0:
            continue
        idf = math.log(1.0 + (total_docs - doc_freq + 0.5) / (doc_freq + 0.5))
        for index in indexes:
            for position, tf in index.postings.get(term, ()):
                norm = K1 * (1.0 - B + B * index.lengths[position] / avg_length)
                key = index.keys[position]
                scores[key] = scores.get(key, 0.0) + idf * tf * (K1 + 1.0) / (tf + norm)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return ranked if limit is None else ranked[:limit]
