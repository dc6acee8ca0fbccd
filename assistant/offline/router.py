"""The intent router: keyword rules where a word decides, embedding similarity to example utterances otherwise.

Examples live in `intents.yaml`. They are embedded once per router, on first use (so building the backend
never loads a model), with "{account}" and "{person}" replaced by the same placeholders the planner puts in
place of recognised names; a message is classified by cosine similarity to them (best example, plus a little
of the next best two), nudged by whether the message names an account or a person.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

if TYPE_CHECKING:
    from chromadb.api.types import Documents, EmbeddingFunction

ACCOUNT_PLACEHOLDER = "Contoso"
PERSON_PLACEHOLDER = "Pat"
UNKNOWN = "unknown"

# Intents about one account's records: more likely when the message names an account or a person.
ACCOUNT_INTENTS = frozenset(
    {
        "account_overview",
        "stakeholders",
        "charter",
        "metrics",
        "health_history",
        "search_notes",
        "open_actions",
        "early_warnings",
        "meeting_brief",
        "quarterly_review",
        "assess_health",
        "charter_revision",
        "log_note",
        "update_stakeholder",
        "add_action",
    }
)
LEARNING_INTENTS = frozenset({"coaching", "lesson", "exercise", "quiz"})
ENTITY_BONUS = 0.04
# Naming one of the account's metrics says more than naming the account: "trending" alone sounds like health.
METRIC_BONUS = 0.1
# Similarity to the unsafe examples alone never refuses (safety.py decides); only a very close match does.
UNSAFE_MIN_SCORE = 0.8

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (intent, re.compile(pattern, re.IGNORECASE))
    for intent, pattern in (
        (
            "help",
            r"^\s*(?:help|\?|hi|hello|hey|good (?:morning|afternoon|evening)|what can you do\??|thanks?(?: you)?)"
            r"\s*[.!?]*\s*$",
        ),
        (
            "ten_keys_review",
            r"\b(?:ten|10)[- ]keys?\b.*\b(?:review|score|check|measure|assess|against|weak|strong|"
            r"plan|portfolio|grade|rate)\b|"
            r"\b(?:review|score|check|measure|assess|against|grade|rate)\b.*\b(?:ten|10)[- ]keys?\b",
        ),
        (
            "exercise_answer",
            r"\b(?:my answer|grade my|check my answer|feedback on my (?:answer|response)|"
            r"how did i do on the exercise|here'?s what i would do)\b",
        ),
        ("quiz", r"\bquiz\b|\btest (?:me|my knowledge)\b"),
        ("exercise", r"\bexercises?\b|\bpracti[sc]e\b|\bcase to work through\b"),
        (
            "quarterly_review",
            r"\bqbrs?\b|\bquarterly (?:business |account )?review\b|\bq[1-4] review\b|"
            r"\bend of (?:the )?quarter review\b|\bquarter'?s review\b",
        ),
        (
            "add_action",
            r"\bremind(?:er)? (?:me|us) to\b|\bset (?:a|me a) reminder\b|"
            r"\b(?:add|create|new|put|track|log|raise) (?:an? |the )?(?:new )?"
            r"(?:action(?: item)?|task|to-?do|follow[- ]?up)s?\b"
            r"|\baction(?: item)? for (?:me|us)\b",
        ),
        (
            "log_note",
            r"^\s*(?:please\s+)?(?:log|record|jot|note|make a note|add a note|add an observation|save a note|"
            r"write down|take a note)\b(?!.{0,25}\b(?:assessment|health|action|task|to-?do|reminder)s?\b)|"
            r"\bnote (?:down )?that\b|"
            # After a lead-in ("ok good news then, log that ...", "can you record that ..."): still an order.
            r"(?:[,;:.!]\s*|\b(?:then|so|and|also|now|pls|please|(?:can|could|would|will) you)\s+)"
            r"(?:log|record|jot down|write down)\s+(?:that|this|it)\b(?!\s+(?:is|was|has|had|be)\b)",
        ),
        # Health over time ("how has its health moved this year?", "when did it start slipping?") is the history of
        # assessments, not today's overview; an order to assess ("re-score its health since ...") is not.
        (
            "health_history",
            r"^(?!\s*(?:please\s+)?(?:assess|re-?assess|score|re-?score|rate|re-?rate|propose|record|update|log|grade)\b)"
            r"(?:.*\b(?:health|rating|ratings|assessments?|zone scores?)\b.{0,40}\b(?:moved|shifted|changed|evolved|"
            r"trended|trending|trajectory|over (?:the )?(?:past |last )?(?:\d+ |few |six |twelve )?(?:years?|months?|"
            r"quarters?|time))\b"
            r"|.*\bwhen did\b.{0,40}\b(?:start|begin)\s+(?:going wrong|to go wrong|to slip|slipping|declining|"
            r"to decline|deteriorating|to deteriorate|going downhill|to go downhill)\b)",
        ),
        # What the notes hold ("any to-dos from the site visit notes?", "risks in our call notes"): a search of the
        # notes, not the action list or the overview, which do not say what the notes said.
        (
            "search_notes",
            r"^(?!\s*(?:please\s+)?(?:log|record|add|create|make|jot|save|write|take)\b)"
            r".*\b(?:from|in|across|within)\s+(?:the|my|our|their|those|these)\s+(?:[\w'’-]+\s+){0,4}?"
            r"(?:notes|emails|minutes|write-?ups)\b",
        ),
        (
            "lesson",
            r"^\s*(?:please\s+)?(?:show me|open|start|teach me|take me through|walk me through|give me)\b.{0,25}"
            r"\b(?:lesson|module\s*\d|key\s*\d+|guide)\b",
        ),
        # A question about the curriculum's own material ("in the TRUE NORTH valet parking example, what did Acme
        # agree?") is coaching even when it names an account: the example is in the lessons, not the records.
        (
            "coaching",
            r"\b(?:in|from)\s+the\s+(?:[\w'’-]+\s+){0,5}?(?:example|case study|lesson|module|guide|curriculum|"
            r"article|research|course|reading)\b|\btrue north\b|"
            r"\baccording to the (?:curriculum|research|guide|lesson|module|article)\b",
        ),
        # A question about the user's own uploaded material ("what does the onboarding playbook we uploaded say
        # about ...") is answered by searching it: the curriculum search covers uploaded documents too.
        (
            "coaching",
            r"\b(?:i|we|you|someone)\s+(?:just\s+|recently\s+)?(?:uploaded|attached|ingested)\b|\buploaded\s+"
            r"(?:a|the|our|my)?\s*(?:documents?|files?|templates?|pdfs?)\b|"
            r"\b(?:the|my|our|this|that)\s+(?:(?!charter\b|brief\b|review\b)[\w'’-]+\s+){0,4}?(?:templates?|playbooks?|"
            r"handbooks?|manuals?|checklists?|files?|pdfs?|decks?|slides|attachments?|spreadsheets?|documents?)\b.{0,30}\b(?:say|says|said|"
            r"mentions?|covers?|recommends?|suggests?|contains?|states?|advises?)\b",
        ),
        (
            "meeting_brief",
            r"\b(?:prep(?:are)?|get (?:me )?ready|brief me)\b.{0,30}\b(?:meeting|call|visit|catch[- ]?up|lunch|dinner|"
            r"session|1:1|one[- ]on[- ]one)\b|\bmeeting (?:prep|brief)\b",
        ),
        (
            "search_notes",
            r"\bwhat (?:did|have) (?:we|i|you|they|[A-Z]\w+)\b.{0,25}\b(?:discuss|talk|say|said|agree|mention|log|note)"
            r"\w*|\b(?:search|find|look (?:through|at)|pull up|check)\b.{0,30}\bnotes?\b|"
            r"\bnotes? (?:about|on|mentioning|regarding|that mention)\b|\bany notes\b",
        ),
    )
)
_CHARTER_WORDS = (
    r"\b(?:charters?|agreements?|agreed|sign(?:ed|ing|s)?|commit(?:ments?|ted|s)?|targets?|purpose|mission|"
    r"clauses?|promis\w*|win|wins|winning|terms|signator\w*|contract)\b"
)
# Similar intents told apart by a word: reading the charter vs revising it, a past assessment vs a new one.
_GUARDS: tuple[tuple[str, str | None, re.Pattern[str]], ...] = tuple(
    (intent, fallback, re.compile(pattern, re.IGNORECASE))
    for intent, fallback, pattern in (
        (
            "charter_revision",
            "charter",
            r"\b(?:revis\w*|update|change|amend|redo|rewrite|refresh|new version|draft|propose|add|remove|adjust|"
            r"modify|rework|annual|recovery|needs? (?:work|updating|revising))\b",
        ),
        # Reading or revising the charter is asked about the charter (or its terms); "update Raymond's title" is
        # a stakeholder's record, "how does Solara rate our partnership" its health: the next best intent.
        ("charter_revision", None, _CHARTER_WORDS),
        ("charter", None, _CHARTER_WORDS),
        # Lessons, exercises and quizzes are asked for by name; a topic alone ("sponsors") is a coaching question.
        *(
            (
                intent,
                "coaching",
                r"\b(?:lesson|module|key\s*\d|guide|exercises?|practi[sc]e|quiz|test|scenario|case|"
                r"teach|learn|study|walk me|take me|open|show|start|read)\b",
            )
            for intent in ("lesson", "exercise", "quiz")
        ),
        # A question about what was said is a search of the notes, not a note to log.
        ("log_note", "search_notes", r"^(?!.*\?\s*$)(?!\s*(?:did|has|have|what|when|who|was|were)\b)"),
        (
            "assess_health",
            "health_history",
            r"\b(?:assess|re-?assess|score|rate|evaluate|health ?check|reading|propose|record|update|grade|strong|"
            r"vulnerable|damaged)\b",
        ),
    )
)
MISSING_ACCOUNT_PENALTY = 0.05
QUESTION_BONUS = 0.03
_QUESTION_FORM = re.compile(r"\?\s*$|^\s*(?:what|why|how|when|which|who|is|are|does|do|should|can)\b", re.I)


@dataclass(frozen=True)
class IntentSpec:
    name: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Classification:
    intent: str
    score: float
    ranking: tuple[tuple[str, float], ...] = ()
    rule: str | None = None

    @property
    def confidence(self) -> float:
        """The score plus its lead over the runner-up: a clear winner beats a close call of similar score."""
        if self.rule is not None or len(self.ranking) < 2:
            return self.score * 2
        return 2 * self.ranking[0][1] - self.ranking[1][1]


def load_intents(text: str | None = None) -> list[IntentSpec]:
    """The intents and their examples (from `intents.yaml` unless `text` is given)."""
    raw = text if text is not None else resources.files("assistant.offline").joinpath("intents.yaml").read_text("utf-8")
    data = yaml.safe_load(raw)
    if not isinstance(data, dict):
        raise ValueError("intents must be a mapping of intent name to a list of examples")
    specs = []
    for name, examples in data.items():
        if not isinstance(examples, list) or not examples:
            raise ValueError(f"intent {name!r} needs a non-empty list of examples")
        specs.append(IntentSpec(str(name), tuple(str(e) for e in examples)))
    return specs


def fill_placeholders(example: str) -> str:
    return example.replace("{account}", ACCOUNT_PLACEHOLDER).replace("{person}", PERSON_PLACEHOLDER)


def keyword_intent(text: str) -> str | None:
    """The intent a keyword rule assigns, if any (checked before similarity)."""
    for intent, pattern in _RULES:
        if pattern.search(text):
            return intent
    return None


class IntentRouter:
    """Classifies messages; thread-safe, embeds its examples once and caches recent message embeddings."""

    def __init__(
        self,
        embedding_function: EmbeddingFunction[Documents],
        intents: Sequence[IntentSpec] | None = None,
        *,
        min_score: float = 0.3,
        cache_size: int = 512,
    ) -> None:
        self.embedding_function = embedding_function
        self.intents = list(intents) if intents is not None else load_intents()
        self.min_score = min_score
        self._labels: list[str] = []
        self._matrix: np.ndarray[Any, np.dtype[np.float32]] | None = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray[Any, np.dtype[np.float32]]] = OrderedDict()
        self._cache_size = cache_size

    @property
    def intent_names(self) -> list[str]:
        return [spec.name for spec in self.intents]

    def _examples(self) -> np.ndarray[Any, np.dtype[np.float32]]:
        with self._lock:
            if self._matrix is None:
                labels, texts = [], []
                for spec in self.intents:
                    for example in spec.examples:
                        labels.append(spec.name)
                        texts.append(fill_placeholders(example))
                self._matrix = normalise(self.embedding_function(texts))
                self._labels = labels
            return self._matrix

    def embed(self, text: str) -> np.ndarray[Any, np.dtype[np.float32]]:
        """One normalised vector, cached (follow-ups re-route the previous message)."""
        with self._lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        vector: np.ndarray[Any, np.dtype[np.float32]] = normalise(self.embedding_function([text]))[0]
        with self._lock:
            self._cache[text] = vector
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vector

    def similarities(self, text: str) -> dict[str, float]:
        """Per intent: the best example's cosine plus a quarter of the mean of the next two."""
        matrix = self._examples()
        scores = matrix @ self.embed(text)
        per_intent: dict[str, list[float]] = {}
        for label, score in zip(self._labels, scores.tolist(), strict=True):
            per_intent.setdefault(label, []).append(float(score))
        result = {}
        for label, values in per_intent.items():
            top = sorted(values, reverse=True)[:3]
            rest = top[1:] or top
            result[label] = 0.8 * top[0] + 0.2 * (sum(rest) / len(rest))
        return result

    def classify(
        self,
        text: str,
        *,
        names_account: bool = False,
        names_person: bool = False,
        account_in_scope: bool = True,
        names_metric: bool = False,
    ) -> Classification:
        """`text` should have recognised names replaced by the placeholders (see `fill_placeholders`).

        A message naming an account or a person leans to the account intents, one naming neither to the
        learning intents; with no account in scope at all, account intents lean away a little more. One naming a
        metric of the account leans to the metrics.
        """
        rule = keyword_intent(text)
        if rule is not None:
            return Classification(rule, 1.0, rule=rule)
        scores = self.similarities(text)
        named = names_account or names_person
        for intent in scores:
            if intent in ACCOUNT_INTENTS:
                scores[intent] += ENTITY_BONUS if named else (0.0 if account_in_scope else -MISSING_ACCOUNT_PENALTY)
            elif intent in LEARNING_INTENTS and not named:
                scores[intent] += ENTITY_BONUS
            if intent == "metrics" and names_metric:
                scores[intent] += METRIC_BONUS  # "tenant satisfaction" is one of the account's metrics
            if intent == "coaching" and _QUESTION_FORM.search(text):
                scores[intent] += QUESTION_BONUS  # a question wants an answer; a lesson, quiz or exercise is asked for
        ranking = sorted(scores.items(), key=lambda item: item[1], reverse=True)
        if ranking and ranking[0][0] == "unsafe" and ranking[0][1] < UNSAFE_MIN_SCORE:
            ranking = ranking[1:]
        top = tuple(ranking[:3])
        if not ranking or ranking[0][1] < self.min_score:
            return Classification(UNKNOWN, ranking[0][1] if ranking else 0.0, top)
        intent = ranking[0][0]
        rejected = {"unsafe"}
        for guarded, fallback, required in _GUARDS:
            if intent == guarded and not required.search(text):
                # No fixed fallback: the best-ranked intent not ruled out.
                rejected.add(guarded)
                intent = fallback or next((name for name, _ in ranking if name not in rejected), UNKNOWN)
        return Classification(intent, ranking[0][1], top)


def normalise(vectors: Any) -> np.ndarray[Any, np.dtype[np.float32]]:
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: np.ndarray[Any, np.dtype[np.float32]] = (matrix / norms).astype(np.float32)
    return result
