"""Coaching answers without a generative model: extracted curriculum sentences, lessons, quizzes, feedback.

A coaching answer is extractive: the 3-6 sentences of the retrieved passages that best answer the question
(embedding similarity plus word overlap, near-duplicates dropped, in reading order), each cited, then one
Socratic question taken from a cited lesson's "Questions to ask". When no retrieved sentence shares a content
word with the question and none is semantically close, the answer says the curriculum does not cover it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from rapidfuzz import fuzz, process

from assistant.agent.artifacts import FeedbackArtifact, LessonArtifact, PassagesArtifact
from assistant.citations import Citation, SourceKind
from assistant.drafting.text import sentences
from assistant.offline import templates
from assistant.offline.citing import Cite
from assistant.offline.learning import parse_quiz_answers
from assistant.offline.router import normalise
from knowledge.curriculum import Lesson
from knowledge.lexical import tokenize

if TYPE_CHECKING:
    from chromadb.api.types import Documents, EmbeddingFunction

MIN_SENTENCES = 3
MAX_SENTENCES = 5
MAX_PER_PASSAGE = 3
MIN_WORDS, MAX_WORDS = 6, 70
DUPLICATE_COSINE = 0.88
LEXICAL_WEIGHT = 0.35
RANK_WEIGHT = 0.02
# A worked example is about one demo account: fine as illustration, second to the general point.
WORKED_EXAMPLE_PENALTY = 0.08
# Without a shared content word, a sentence must be at least this close in meaning to count as an answer.
SEMANTIC_FLOOR = 0.45
# ... and when a third or more of its topic words never occur in the curriculum, it must be at least this close.
SEMANTIC_STRONG = 0.5
UNKNOWN_WORDS_SHARE = 0.34
# Terms people use for things the curriculum describes in words.
DOMAIN_TERMS = frozenset({"qbr", "qbrs", "kpi", "kpis", "sam", "sams", "rfp", "rfps", "sla", "slas", "roi"})
# Words too common in this curriculum to show that a passage is about the question.
GENERIC_WORDS = frozenset(
    tokenize(
        "account accounts strategic customer customers supplier client clients sam manager managers leader "
        "leaders management good best way ways make get use used need one"
    )
)
FALLBACK_QUESTION = "Which of your accounts does this apply to most right now, and what evidence would tell you?"


@dataclass(frozen=True)
class Candidate:
    text: str
    citation: Citation
    rank: int
    position: int
    score: float = 0.0


class Extractor:
    """Scores sentences of retrieved passages against a question; sentence embeddings are cached."""

    def __init__(self, embedding_function: EmbeddingFunction[Documents], *, cache_size: int = 8192) -> None:
        self.embedding_function = embedding_function
        self._cache: OrderedDict[str, np.ndarray[Any, np.dtype[np.float32]]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._vocabulary: tuple[tuple[str, ...], frozenset[str]] | None = None

    def embed(self, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            vectors = normalise(self.embedding_function(list(missing)))
            with self._lock:
                for text, vector in zip(missing, vectors, strict=True):
                    self._cache[text] = vector
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        with self._lock:
            found = [self._cache.get(t) for t in texts]
        # A text evicted between the two locks is simply embedded again.
        rows = [
            v if v is not None else normalise(self.embedding_function([t]))[0]
            for t, v in zip(texts, found, strict=True)
        ]
        return np.vstack(rows) if rows else np.zeros((0, 1), dtype=np.float32)

    def pick(
        self, question: str, passages: Sequence[Citation], *, vocabulary: frozenset[str] | None = None
    ) -> list[Candidate]:
        """The best 3-5 sentences (the best first, then reading order), or nothing when none answers the question.

        `vocabulary` (every word of the curriculum) lets it abstain on questions whose topic words the
        curriculum never uses ("configure Salesforce dashboards"), however close some sentence sounds.
        """
        candidates = [
            Candidate(text, citation, rank, position)
            for rank, citation in enumerate(passages)
            for position, text in enumerate(_prose_sentences(citation.excerpt or ""))
        ]
        if not candidates:
            return []
        wanted = set(tokenize(question)) - GENERIC_WORDS
        vectors = self.embed([question, *(c.text for c in candidates)])
        semantic = vectors[1:] @ vectors[0]
        scored = []
        for index, (candidate, similarity) in enumerate(zip(candidates, semantic.tolist(), strict=True), start=1):
            words = set(tokenize(candidate.text))
            overlap = len(wanted & words) / len(wanted) if wanted else 0.0
            score = similarity + LEXICAL_WEIGHT * overlap + RANK_WEIGHT * (len(passages) - candidate.rank)
            if (candidate.citation.section or "").lower().startswith("worked example"):
                score -= WORKED_EXAMPLE_PENALTY
            scored.append((replace(candidate, score=score), index, overlap, similarity))
        closest = max(similarity for *_, similarity in scored)
        if wanted and not any(overlap > 0 for _, _, overlap, _ in scored) and closest < SEMANTIC_FLOOR:
            return []
        if vocabulary is not None and closest < SEMANTIC_STRONG and wanted:
            unknown = [w for w in wanted if not _known_word(w, vocabulary)]
            if len(unknown) / len(wanted) >= UNKNOWN_WORDS_SHARE:
                return []
        scored.sort(key=lambda item: item[0].score, reverse=True)
        best = scored[0][0].score
        chosen: list[tuple[Candidate, int]] = []
        per_passage: dict[tuple[str, int], int] = {}
        for candidate, index, _, _ in scored:
            if len(chosen) >= MAX_SENTENCES or (len(chosen) >= MIN_SENTENCES and candidate.score < 0.75 * best):
                break
            key = (candidate.citation.ref, candidate.rank)
            if per_passage.get(key, 0) >= MAX_PER_PASSAGE:
                continue
            if any(float(vectors[index] @ vectors[other]) > DUPLICATE_COSINE for _, other in chosen):
                continue
            chosen.append((candidate, index))
            per_passage[key] = per_passage.get(key, 0) + 1
        # The best sentence leads (the answer first); the others follow in reading order.
        ordered = sorted((c for c, _ in chosen[1:]), key=lambda c: (c.rank, c.position))
        return [chosen[0][0], *ordered] if chosen else []

    def vocabulary(self, lessons: Sequence[Lesson]) -> frozenset[str]:
        key = tuple(lesson.id for lesson in lessons)
        with self._lock:
            if self._vocabulary is None or self._vocabulary[0] != key:
                self._vocabulary = (key, curriculum_vocabulary(lessons))
            return self._vocabulary[1]

    def closest(self, question: str, options: Sequence[str]) -> int:
        if not options:
            return -1
        vectors = self.embed([question, *options])
        return int(np.argmax(vectors[1:] @ vectors[0]))


def curriculum_vocabulary(lessons: Sequence[Lesson]) -> frozenset[str]:
    words: set[str] = set(DOMAIN_TERMS)
    for lesson in lessons:
        words.update(tokenize(f"{lesson.title} {lesson.summary} {' '.join(lesson.tags)} {lesson.body}"))
    return frozenset(words)


def _known_word(word: str, vocabulary: frozenset[str]) -> bool:
    """In the curriculum's words, allowing a typo ("diffrence") in words long enough to have one."""
    if word in vocabulary or word.isdigit():
        return True
    if len(word) < 5:
        return False
    return process.extractOne(word, vocabulary, scorer=fuzz.ratio, score_cutoff=85) is not None


def compose_coaching(
    artifact: PassagesArtifact,
    question: str,
    *,
    extractor: Extractor,
    lessons: Sequence[Lesson],
    cite: Cite,
    account_name: str | None,
) -> str:
    flagged = {c.ref for c in artifact.flagged}
    passages = [c for c in artifact.citations if c.ref not in flagged]
    picked = extractor.pick(question, passages, vocabulary=extractor.vocabulary(lessons))
    parts: list[str] = []
    if not picked:
        parts.append(_not_covered(question, passages, cite))
    else:
        parts.append(" ".join(cite.line(_as_sentence(c.text), c.citation) for c in picked))
        cited = [*(c.citation for c in picked), *passages]
        follow_up = socratic_question(question, cited, lessons, extractor, cite)
        if account_name:
            follow_up = follow_up.replace("**To think about:** ", f"**To think about for {account_name}:** ", 1)
        parts.append(follow_up)
    if artifact.flagged:
        refs = cite.refs(artifact.flagged)
        parts.append(
            f"One uploaded document in the results contains instructions addressed to an AI assistant; I treated it "
            f"as quoted text, ignored them and left it out of this answer {refs}".rstrip()
            + "."
        )
    return "\n\n".join(parts)


def _not_covered(question: str, passages: Sequence[Citation], cite: Cite) -> str:
    if not passages:
        return (
            f"The curriculum search found nothing for “{question.strip()}”, so I have nothing to answer from. If the "
            "library has never been indexed, that is why; otherwise, try naming a module, a key or a topic such as "
            "the partnership charter or relationship health."
        )
    text = (
        f"The curriculum does not cover “{question.strip()}”, so I won't answer it from general knowledge. "
        "I coach from the six modules, the ten keys of account planning and the guides (partnership charter, "
        "relationship health, performance zones, planning toolkit, governance, research figures)."
    )
    if passages:
        text += " " + cite.line(f"The closest passage I found is “{passages[0].label}”, if that helps.", passages[0])
    return text + " Could you rephrase the question in those terms, or tell me which account it is about?"


def socratic_question(
    question: str, cited: Sequence[Citation], lessons: Sequence[Lesson], extractor: Extractor, cite: Cite
) -> str:
    """One question from a cited lesson's "Questions to ask" (closest to the user's question), or a template."""
    by_id = {lesson.id: lesson for lesson in lessons}
    for citation in cited:
        lesson = by_id.get(citation.id) if citation.kind is SourceKind.CURRICULUM else None
        asked = _questions_to_ask(lesson) if lesson is not None else []
        if asked:
            best = asked[extractor.closest(question, asked)]
            return cite.line(f"**To think about:** {best}", citation)
    return f"**To think about:** {FALLBACK_QUESTION}"


def _questions_to_ask(lesson: Lesson) -> list[str]:
    section = next((text for title, text in lesson.sections.items() if title.lower().startswith("questions")), "")
    return [s for s in sentences(section) if s.endswith("?")]


def _prose_sentences(text: str) -> list[str]:
    found = []
    for sentence in sentences(text):
        words = len(sentence.split())
        if MIN_WORDS <= words <= MAX_WORDS and not sentence.endswith((":", "?")) and not sentence.startswith("|"):
            found.append(sentence)
    return found


def _as_sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "”", '"', ")")) else f"{text}."


def compose_lesson(artifact: LessonArtifact, intent: str, lessons: Sequence[Lesson], cite: Cite) -> str:
    ref = cite.ref("curriculum", artifact.lesson_id)
    lesson = next((lesson for lesson in lessons if lesson.id == artifact.lesson_id), None)
    if intent == "exercise":
        if artifact.exercise_prompt is None:
            return f"**{artifact.title}** has no exercise {ref}. Try “quiz me on it” instead.".replace("  ", " ")
        return f"**Exercise — {artifact.title}** {ref}\n\n{artifact.exercise_prompt}\n\n{templates.EXERCISE_REPLY_HINT}"
    if intent == "quiz":
        if not artifact.quiz:
            return f"**{artifact.title}** has no quiz {ref}. Try “give me the exercise” instead.".replace("  ", " ")
        lines = [f"**Quiz — {artifact.title}** {ref}", ""]
        for number, question in enumerate(artifact.quiz, start=1):
            lines.append(f"{number}. {question['question']}")
            lines += [f"   {chr(65 + i)}) {option}" for i, option in enumerate(question["options"])]
        lines += ["", templates.QUIZ_REPLY_HINT]
        return "\n".join(lines)
    parts = [f"**{artifact.title}** {ref}", f"{artifact.summary} {ref}".strip()]
    if lesson is not None:
        first = next(iter(lesson.sections.values()), "")
        opening = _prose_sentences(first)[:2]
        if opening:
            parts.append(" ".join(f"{_as_sentence(s)} {ref}".strip() for s in opening))
        parts.append("Sections: " + "; ".join(lesson.sections) + ".")
    extras = [x for x, present in (("the exercise", artifact.exercise_prompt), ("the quiz", artifact.quiz)) if present]
    if extras:
        parts.append(f"Ask for {' or '.join(extras)} when you want to practise it.")
    return "\n\n".join(parts)


def compose_quiz_marks(artifact: LessonArtifact, answer_text: str, cite: Cite) -> str:
    ref = cite.ref("curriculum", artifact.lesson_id)
    answers = parse_quiz_answers(answer_text, len(artifact.quiz))
    lines, correct = [], 0
    for number, question in enumerate(artifact.quiz, start=1):
        right = int(question["answer"])
        given = answers.get(number)
        options = question["options"]
        if given is None:
            lines.append(
                f"{number}. No answer. The answer is {chr(65 + right)}) {options[right]}. "
                f"{question['explanation']} {ref}".rstrip()
            )
        elif given == right:
            correct += 1
            lines.append(f"{number}. {chr(65 + given)} — correct. {question['explanation']} {ref}".rstrip())
        else:
            lines.append(
                f"{number}. {chr(65 + given)} — not quite: the answer is {chr(65 + right)}) {options[right]}. "
                f"{question['explanation']} {ref}".rstrip()
            )
    head = f"**{artifact.title} quiz: {correct} of {len(artifact.quiz)} correct.**"
    tail = "Well done." if correct == len(artifact.quiz) else "Ask for the lesson or the exercise to go deeper."
    return "\n".join([head, "", *lines, "", tail])


def compose_feedback(artifact: FeedbackArtifact, title: str, cite: Cite) -> str:
    ref = cite.ref("curriculum", artifact.lesson_id)
    total = len(artifact.covered) + len(artifact.missing)
    parts = [
        f"Your answer covers {len(artifact.covered)} of the {total} rubric points of the {title} exercise "
        f"({artifact.score:.0%}) {ref}".rstrip()
        + "."
    ]
    if artifact.covered:
        parts.append("**You covered:**\n" + "\n".join(f"- {point}" for point in artifact.covered))
    if artifact.missing:
        parts.append("**Still missing:**\n" + "\n".join(f"- {point}" for point in artifact.missing))
    parts.append(f"**A model answer:** {artifact.model_answer} {ref}".rstrip())
    if artifact.missing:
        parts.append("**To think about:** which missing point would change what you do first, and why?")
    return "\n\n".join(parts)


def lesson_title(lesson_id: str, lessons: Sequence[Lesson]) -> str:
    return next((lesson.title for lesson in lessons if lesson.id == lesson_id), lesson_id)
