"""Citations: every cited source exists, belongs to the account in scope and supports the sentence citing it;
and the evidence a case names is actually cited.

Support is lexical first (the share of the sentence's content words found in the source), then, when the
run has an embedding function, semantic (the best cosine between the sentence and the source's sentences).
"""

from __future__ import annotations

from dataclasses import dataclass

from evals.answers import Answer
from evals.cases import Case
from evals.scorers.base import Score, Similarity, ratio
from evals.text import content_words

# Share of a sentence's content words its source must contain; short sentences need this many words in common.
LEXICAL_SUPPORT = 0.3
MIN_SHARED_WORDS = 3
# Cosine (all-MiniLM-L6-v2) above which a paraphrase counts as supported when the words differ.
SEMANTIC_SUPPORT = 0.5
# Templates and coaching prose use these around any fact; they say nothing about the source.
FRAME_WORDS = content_words(
    "to why ask question questions evidence record records note notes account says said told mentioned about "
    "last latest new now still since today offline mode would could one two three"
)


@dataclass(frozen=True)
class CitationCheck:
    ref: str
    sentence: str
    exists: bool
    in_scope: bool
    support: float
    supported: bool

    @property
    def valid(self) -> bool:
        return self.exists and self.in_scope and self.supported

    def problem(self) -> str:
        if not self.exists:
            return f"[{self.ref}] does not exist"
        if not self.in_scope:
            return f"[{self.ref}] belongs to another account"
        return f"[{self.ref}] does not support “{self.sentence[:80]}” (support {self.support:.2f})"


def check_citations(answer: Answer, similarity: Similarity | None = None) -> list[CitationCheck]:
    """One check per (sentence, ref) pair of the answer.

    A citation supports its sentence on its own, or together with the sentence's other citations when it
    shares at least one content word with the sentence and their texts jointly support it ("3 of 3 charter
    metrics are on target" citing the three readings).
    """
    index = answer.index
    checks: list[CitationCheck] = []
    for sentence in answer.sentences:
        refs = list(dict.fromkeys(sentence.refs))
        texts: dict[str, list[str]] = {}
        for ref in refs:
            source = index.get(ref) if index is not None else None
            if source is not None:
                texts[ref] = source.passages()
        joint = lexical_support(sentence.text, " ".join(t for parts in texts.values() for t in parts))
        for ref in refs:
            source = index.get(ref) if index is not None else None
            if source is None:
                checks.append(CitationCheck(ref, sentence.text, False, False, 0.0, False))
                continue
            in_scope = source.account_id is None or source.account_id in answer.scope_account_ids
            support = max(lexical_support(sentence.text, text) for text in texts[ref])
            shared = max(_shared(sentence.text, text) for text in texts[ref])
            supported = support >= LEXICAL_SUPPORT or shared >= MIN_SHARED_WORDS
            if not supported and len(texts) > 1 and shared >= 1 and joint >= LEXICAL_SUPPORT:
                supported, support = True, joint
            if not supported and similarity is not None:
                semantic = max(similarity(sentence.text, _windows(text)) for text in texts[ref])
                support = max(support, semantic)
                supported = semantic >= SEMANTIC_SUPPORT
            checks.append(CitationCheck(ref, sentence.text, True, in_scope, support, supported))
    return checks


def lexical_support(sentence: str, source: str) -> float:
    words = content_words(sentence) - FRAME_WORDS
    if not words:
        return 1.0
    return len(words & content_words(source)) / len(words)


def _shared(sentence: str, source: str) -> int:
    return len((content_words(sentence) - FRAME_WORDS) & content_words(source))


def _windows(text: str, limit: int = 120) -> list[str]:
    parts = [p.strip() for p in text.replace("\n", " ").split(". ") if len(p.split()) >= 4]
    return parts[:limit] or [text[:1000]]


class CitationValidity:
    """Value: the share of citations that exist, are in scope and support their sentence. A case passes when
    every citation exists and is in scope and at least 80% of them are supported."""

    name = "citations"

    def __init__(self, similarity: Similarity | None = None, *, min_supported: float = 0.8) -> None:
        self.similarity = similarity
        self.min_supported = min_supported

    def applies(self, case: Case) -> bool:
        return True

    def score(self, case: Case, answer: Answer) -> Score | None:
        checks = check_citations(answer, self.similarity)
        if not checks:
            return None
        broken = [c for c in checks if not (c.exists and c.in_scope)]
        unsupported = [c for c in checks if c.exists and c.in_scope and not c.supported]
        value = ratio(sum(c.valid for c in checks), len(checks))
        supported_share = ratio(len(checks) - len(broken) - len(unsupported), len(checks) - len(broken))
        passed = not broken and supported_share >= self.min_supported
        problems = [c.problem() for c in (broken + unsupported)[:4]]
        reason = f"{len(checks) - len(broken) - len(unsupported)}/{len(checks)} valid"
        return Score(value, passed, "; ".join([reason, *problems]))


class EvidenceRecall:
    """Value: the share of the case's required evidence (`cite`, plus one of `cite_any`) that the answer cites."""

    name = "evidence"

    def applies(self, case: Case) -> bool:
        return bool(case.expect.cite or case.expect.cite_any)

    def score(self, case: Case, answer: Answer) -> Score:
        cited = set(answer.cited_refs)
        missed = [label for label, refs in answer.required.items() if not cited & set(refs)]
        unresolved = [label for label, refs in answer.required.items() if not refs]
        checks = len(answer.required)
        hits = checks - len(missed)
        if answer.required_any:
            checks += 1
            if any(cited & set(refs) for refs in answer.required_any.values()):
                hits += 1
            else:
                missed.append("one of " + ", ".join(answer.required_any))
        reasons = [f"{hits}/{checks} required sources cited"]
        reasons += [f"not cited: {label}" for label in missed[:4]]
        reasons += [f"selector matched no record: {label}" for label in unresolved]
        return Score(ratio(hits, checks), hits == checks, "; ".join(reasons))
