"""Which sentences of the retrieved curriculum passages answer a question: the extractive core of coaching.

A passage is read as units: prose sentences, and lists (an introduction ending in a colon and its items, kept
whole, counted as one sentence because that is what they are grammatically). Each unit is scored by embedding
similarity to the question plus its share of the question's words (weighted by how rare each word is in the
curriculum, so "drawer" counts for more than "plan"), with a bonus for the top passage's section (the one
retrieval found most relevant: its sentences read as one answer), for a figure when the question asks for one
("how many", "what share"), and for a list when the question asks for several things. A sentence that starts by
pointing back ("It is the tool most often missing") needs the sentence before it, so it brings that one along
or is passed over.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from rapidfuzz import fuzz, process

from assistant.citations import Citation
from assistant.drafting.text import sentences
from assistant.offline.router import normalise
from knowledge.curriculum import Lesson
from knowledge.lexical import tokenize

if TYPE_CHECKING:
    from chromadb.api.types import Documents, EmbeddingFunction

MIN_UNITS, MAX_UNITS = 3, 6
MAX_PER_PASSAGE = 3
MAX_ITEMS = 8
MIN_WORDS, MAX_WORDS = 6, 70
DUPLICATE_COSINE = 0.88
LEXICAL_WEIGHT = 0.35
RANK_WEIGHT = 0.02
TOP_SECTION_BONUS = 0.06
LEAD_PASSAGE_BONUS = 0.08
FIGURE_BONUS = 0.1
LIST_BONUS = 0.06
DANGLING_PENALTY = 0.12
# Asked about key 1, a sentence about key 8 sounds alike and answers something else.
OTHER_KEY_PENALTY = 0.2
# Asked what something is or how it differs, a pitfalls list or a list of questions is beside the point ...
ASIDE_PENALTY = 0.15
# ... and a sentence that draws the line ("It is not the commercial contract") is the point.
CONTRAST_BONUS = 0.08
# A sentence this short ("Do not wait for the annual review.") says what, and its next sentence says how.
SHORT_WORDS = 10
# Units scoring below this share of the best one are left out once the answer has its minimum.
RELATIVE_CUTOFF = 0.75
# A worked example is about one demo account: fine as illustration, second to the general point.
WORKED_EXAMPLE_PENALTY = 0.08
# Without a shared content word, a sentence must be at least this close in meaning to count as an answer.
SEMANTIC_FLOOR = 0.45
# ... and when a third or more of its topic words never occur in the curriculum, it must be at least this close.
SEMANTIC_STRONG = 0.5
UNKNOWN_WORDS_SHARE = 0.34
# Terms people use for things the curriculum describes in words.
DOMAIN_TERMS = frozenset({"qbr", "qbrs", "kpi", "kpis", "sam", "sams", "rfp", "rfps", "sla", "slas", "roi"})
# Words too common in this curriculum to show that a passage is about the question, and words that date or
# colour a story ("last month", "honestly") without saying what it is about.
GENERIC_WORDS = frozenset(
    tokenize(
        "account accounts strategic customer customers supplier client clients sam manager managers leader "
        "leaders management good best way ways make get use used need one "
        "last month week year day today yesterday recently honestly actually really basically just"
    )
)

_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
# "How many", "what share", "which percentage": the answer is a figure, so the sentence stating it must be in.
_ASKS_FIGURE = re.compile(
    r"\b(?:how (?:many|much|often|long|quickly|soon|early)|what (?:share|percentage|proportion|fraction|part|"
    r"per ?cent|figures?|numbers?|statistics?)|which (?:percentage|share|figures?)|what % )",
    re.IGNORECASE,
)
_FIGURE = re.compile(r"\d")
# "How often": the answer is a rhythm, which a sentence states in words ("a monthly check-in") more than digits.
_ASKS_FREQUENCY = re.compile(r"\bhow (?:often|frequently|regularly)\b|\bwhat (?:cadence|rhythm|frequency)\b", re.I)
_FREQUENCY = re.compile(
    r"\b(?:daily|weekly|fortnightly|monthly|quarterly|annual(?:ly)?|yearly|every (?:day|week|month|quarter|year)|"
    r"each (?:week|month|quarter|year)|once a (?:week|month|quarter|year)|twice a year)\b",
    re.IGNORECASE,
)
# "Which tools ...", "what goes into ...", "what qualities ...": several things, which a list states best.
_ASKS_SEVERAL = re.compile(
    r"^\s*(?:so\s+)?(?:what|which)\s+(?:are|were)\b|^\s*(?:so\s+)?(?:what|which)\s+(?!does\b|is\b|was\b|has\b|this\b)"
    r"[a-z]+s\b|\bwhat\b.{0,40}\b(?:include|contain|cover|look at|look for|watch for|put in|go(?:es)? into|consist|"
    r"involve)|\b(?:list|name) (?:the|all)\b",
    re.IGNORECASE,
)
# "What is key 1?", "What does win-win mean?": a definition, which a sentence gives.
_ASKS_DEFINITION = re.compile(
    r"^\s*(?:so\s+)?(?:what(?:'s|’s|\s+is|s)\b|what\s+(?:does|do)\b.{0,60}\bmean\b|define\b|explain\b|"
    r"what\s+(?:exactly\s+)?is\b)",
    re.IGNORECASE,
)
# "How does X differ from Y?", "isn't X just Y?", "X or Y?": the answer draws a line, which a sentence with "not",
# "rather than" or "unlike" states; a list of pitfalls or questions does not.
_ASKS_DIFFERENCE = re.compile(
    r"\b(?:differ(?:s|ence|ences)?\b|different (?:from|than|to)|distinguish\w*|same (?:thing|as)|"
    r"just (?:a|an|the|another)\b|versus|vs\.?|compared? (?:to|with)|"
    r"the same\b|isn'?t (?:a|an|the|it|that|this)\b|not the same)",
    re.IGNORECASE,
)
_CONTRAST = re.compile(
    r"\b(?:not|isn'?t|aren'?t|rather than|unlike|instead of|differs?|different|whereas|distinct|only)\b", re.I
)
# Sections that list what goes wrong or what to ask: answers to "how to avoid" or "what to ask", not to "what is".
_ASIDE_SECTIONS = re.compile(r"^(?:common\s+)?(?:pitfalls?|questions?|mistakes)\b", re.IGNORECASE)
_ASKS_QUESTIONS = re.compile(r"\bquestions?\b|\bwhat (?:should|do|can|could) (?:i|we) ask\b", re.IGNORECASE)
_NUMBERED = re.compile(r"\b(key|module)\s*#?\s*(\d{1,2})\b", re.IGNORECASE)
_LESSON_NUMBER = re.compile(r"^(key|module)-0?(\d{1,2})-")
# A sentence that opens by pointing back at the one before it cannot stand alone.
_DANGLING = re.compile(r"^(?:it|this|that|these|those|they|such|he|she|its|their|both|the same)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Unit:
    """A sentence, or a list: its introduction (`text`, which may be empty) and its items, kept whole."""

    text: str
    citation: Citation
    rank: int
    position: int
    items: tuple[str, ...] = ()
    score: float = 0.0
    # An item taken on its own from the list at `position` (its index there), or -1.
    item: int = -1

    @property
    def is_list(self) -> bool:
        return bool(self.items)

    @property
    def full_text(self) -> str:
        return " ".join(part for part in (self.text, *self.items) if part)

    @property
    def key(self) -> tuple[str, int, int]:
        """Where it stands: a list and the items taken from it share their key."""
        return (self.citation.ref, self.rank, self.position)

    @property
    def order(self) -> tuple[int, int, int]:
        return (self.rank, self.position, self.item)


def passage_units(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """(sentence, ()) for prose and (introduction, items) for a list, in reading order.

    An introduction is the sentence ending in a colon just before the items; a colon line with no items after
    it (a heading in disguise) is dropped, and so are questions, table rows and sentences too short or too
    long to stand alone.
    """
    units: list[tuple[str, tuple[str, ...]]] = []
    items: list[str] = []
    intro = ""

    def close_list() -> None:
        nonlocal items, intro
        if items:
            units.append((intro, tuple(items)))
        items, intro = [], ""

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("|", "#")):
            continue
        if _BULLET.match(line):
            item = " ".join(sentences(stripped))
            if item and len(item.split()) <= MAX_WORDS:
                items.append(item)
            continue
        close_list()
        found = sentences(stripped)
        for index, sentence in enumerate(found):
            if sentence.endswith(":"):
                if index == len(found) - 1:
                    intro = sentence  # the list that follows completes it
                continue
            if MIN_WORDS <= len(sentence.split()) <= MAX_WORDS and not _asks(sentence):
                units.append((sentence, ()))
    close_list()
    return units


def candidates(question: str, passages: Sequence[Citation]) -> list[Unit]:
    """Every unit that could answer: sentences, list items long enough to stand alone (never questions), and
    whole lists when the question asks for several things (a list of questions only when it asks for
    questions: "Questions to ask" are the Socratic follow-up's source, not an answer)."""
    about_questions = bool(_ASKS_QUESTIONS.search(question))
    units: list[Unit] = []
    for rank, citation in enumerate(passages):
        for position, (text, items) in enumerate(passage_units(citation.excerpt or "")):
            if not items:
                units.append(Unit(text, citation, rank, position))
                continue
            questions = sum(_is_question(item) for item in items) * 2 > len(items)
            if questions == about_questions:
                units.append(Unit(text, citation, rank, position, items))
            units += [
                Unit(item, citation, rank, position, item=index)
                for index, item in enumerate(items)
                if len(item.split()) >= MIN_WORDS and not _asks(item)
            ]
    return units


def _is_question(item: str) -> bool:
    """ "Has the customer seen this plan?" is a question; "Collaboration: do the teams solve problems
    together?" names a thing to look at, and asks how to see it."""
    label = item.split(":", 1)[0] if ":" in item else ""
    return _asks(item) and not (label and len(label.split()) <= 5)


def _asks(text: str) -> bool:
    """Ends in a question mark, inside closing quotes too ("Who signs for you?")."""
    return text.rstrip("\"”’'").endswith("?")


@dataclass(frozen=True)
class _Statistics:
    vocabulary: frozenset[str]
    idf: dict[str, float]
    default_idf: float


class Extractor:
    """Scores the units of retrieved passages against a question; embeddings are cached per text."""

    def __init__(
        self, embedding_function: EmbeddingFunction[Documents], *, min_similarity: float = 0.0, cache_size: int = 8192
    ) -> None:
        self.embedding_function = embedding_function
        # Below this, no retrieved sentence is about the question at all, whatever words it shares ("record a
        # call in New York" shares "record", "call" and "New York" with the curriculum, and none of its meaning).
        self.min_similarity = min_similarity
        self._cache: OrderedDict[str, np.ndarray[Any, np.dtype[np.float32]]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._statistics: tuple[tuple[str, ...], _Statistics] | None = None

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

    def statistics(self, lessons: Sequence[Lesson]) -> _Statistics:
        """Every word of the curriculum and how rare it is across lesson sections (computed once per curriculum)."""
        key = tuple(lesson.id for lesson in lessons)
        with self._lock:
            if self._statistics is None or self._statistics[0] != key:
                self._statistics = (key, _curriculum_statistics(lessons))
            return self._statistics[1]

    def vocabulary(self, lessons: Sequence[Lesson]) -> frozenset[str]:
        return self.statistics(lessons).vocabulary

    def pick(
        self, question: str, passages: Sequence[Citation], *, lessons: Sequence[Lesson] = (), context: str = ""
    ) -> list[Unit]:
        """The units that answer the question, the best first and the rest in reading order; nothing when none does.

        With `lessons` (the curriculum), words are weighted by rarity, and a question whose topic words the
        curriculum never uses ("configure Salesforce dashboards") is not answered however close a sentence sounds.
        `context` is what the search ran on when it differs from the question: a follow-up ("and how often?")
        carries the question it follows, and whether the curriculum covers it is judged on both together, since
        the follow-up alone means little.
        """
        units = candidates(question, passages)
        if not units:
            return []
        stats = self.statistics(lessons) if lessons else None
        wanted = set(tokenize(question)) - GENERIC_WORDS
        singles = list(dict.fromkeys(part for u in units for part in (u.text, *u.items) if part))
        vectors = self.embed([question, *singles])
        vector_of = dict(zip(singles, vectors[1:], strict=True))
        # A list means what its parts mean together (embedding the whole would cost more and cut it short).
        for unit in units:
            if unit.is_list:
                vector_of[unit.full_text] = normalise(
                    np.mean([vector_of[p] for p in (unit.text, *unit.items) if p], axis=0)
                )[0]
        similarity = {t: float(v @ vectors[0]) for t, v in vector_of.items()}
        # Whether anything answers at all is judged on single sentences and items, not on whole lists.
        closest = max(similarity[t] for t in singles)
        if question.strip() and question.strip() in context and context.strip() != question.strip():
            # The follow-up with what it follows is what is asked: the floor judges that, scoring the follow-up.
            against = self.embed([context])[0]
            closest = max(closest, max(float(vector_of[t] @ against) for t in singles))
        overlaps = {t: _overlap(wanted, t, stats) for t in singles}
        if wanted and not any(v > 0 for v in overlaps.values()) and closest < SEMANTIC_FLOOR:
            return []
        headed, heading = self._closest_heading(question, passages)
        if closest < self.min_similarity and heading < self.min_similarity:
            return []
        if stats is not None and closest < SEMANTIC_STRONG and wanted:
            unknown = [w for w in wanted if not _known_word(w, stats.vocabulary)]
            if len(unknown) / len(wanted) >= UNKNOWN_WORDS_SHARE:
                return []
        scored = [replace(u, score=self._score(u, question, wanted, similarity, stats, len(passages))) for u in units]
        if heading > closest:
            # Closer to a section's heading than to any sentence: that section is the topic, its sentences the answer.
            scored = [replace(u, score=u.score + TOP_SECTION_BONUS) if u.rank == headed else u for u in scored]
        return _select(scored, vector_of, question)

    def _closest_heading(self, question: str, passages: Sequence[Citation]) -> tuple[int, float]:
        """The retrieved section whose heading is closest to the question (its rank), and how close. A question
        told as a story ("we lost a client and nobody cared") is far from every sentence and still plainly the
        topic of a section ("why losing a client should hurt"); a question the curriculum does not cover is far
        from both."""
        if not passages:
            return -1, 0.0
        vectors = self.embed([question, *(c.section or c.label or c.id for c in passages)])
        similarities = vectors[1:] @ vectors[0]
        return int(np.argmax(similarities)), float(np.max(similarities))

    def _score(
        self,
        unit: Unit,
        question: str,
        wanted: set[str],
        similarity: dict[str, float],
        stats: _Statistics | None,
        passages: int,
    ) -> float:
        if unit.is_list:
            semantic = max(similarity[unit.full_text], similarity.get(unit.text, 0.0) if unit.text else 0.0)
            # A list holds many words: its overlap is half the whole's, half its best part's, so length alone
            # does not win.
            best_part = max(_overlap(wanted, part, stats) for part in (unit.text, *unit.items) if part)
            lexical = (_overlap(wanted, unit.full_text, stats) + best_part) / 2
        else:
            semantic = similarity[unit.text]
            lexical = _overlap(wanted, unit.text, stats)
        score = semantic + LEXICAL_WEIGHT * lexical
        score += RANK_WEIGHT * (passages - unit.rank) + (TOP_SECTION_BONUS if unit.rank == 0 else 0.0)
        if _ASKS_FREQUENCY.search(question):
            if _FREQUENCY.search(unit.full_text):
                score += FIGURE_BONUS
        elif _ASKS_FIGURE.search(question) and _FIGURE.search(unit.full_text):
            score += FIGURE_BONUS
        if unit.is_list and _ASKS_SEVERAL.search(question):
            score += LIST_BONUS
        if unit.item < 0 and not unit.is_list and _DANGLING.match(unit.text):
            score -= DANGLING_PENALTY
        if (unit.citation.section or "").lower().startswith("worked example"):
            score -= WORKED_EXAMPLE_PENALTY
        if _other_numbered(question, unit):
            score -= OTHER_KEY_PENALTY
        section = unit.citation.section or ""
        comparing = bool(_ASKS_DIFFERENCE.search(question))
        if (comparing or _ASKS_DEFINITION.search(question)) and _ASIDE_SECTIONS.match(section):
            if not _ASKS_QUESTIONS.search(question):
                score -= ASIDE_PENALTY
        if comparing and not unit.is_list and _CONTRAST.search(unit.text):
            score += CONTRAST_BONUS
        return score

    def closest(self, question: str, options: Sequence[str]) -> int:
        if not options:
            return -1
        vectors = self.embed([question, *options])
        return int(np.argmax(vectors[1:] @ vectors[0]))


def _numbered(text: str) -> set[tuple[str, int]]:
    return {(kind.lower(), int(number)) for kind, number in _NUMBERED.findall(text)}


def _other_numbered(question: str, unit: Unit) -> bool:
    """Whether the question asks about key 1 and the unit is about key 8 (by its words or its lesson)."""
    asked = _numbered(question)
    if not asked:
        return False
    lesson = _LESSON_NUMBER.match(unit.citation.id)
    about = _numbered(unit.full_text)
    if lesson is not None:
        about.add((lesson.group(1), int(lesson.group(2))))
    kinds = {kind for kind, _ in asked}
    return any(kind in kinds for kind, _ in about) and not about & asked


def _select(
    scored: Sequence[Unit], vector_of: dict[str, np.ndarray[Any, np.dtype[np.float32]]], question: str
) -> list[Unit]:
    ranked = sorted(scored, key=lambda u: u.score, reverse=True)
    best = ranked[0].score
    # The answer continues where it starts: the rest of the best unit's passage reads on from it.
    lead_passage = (ranked[0].citation.ref, ranked[0].rank)
    ranked = sorted(
        (
            replace(u, score=u.score + LEAD_PASSAGE_BONUS) if (u.citation.ref, u.rank) == lead_passage and i else u
            for i, u in enumerate(ranked)
        ),
        key=lambda u: u.score,
        reverse=True,
    )
    by_key = {u.key: u for u in ranked if u.item < 0}
    lists = {u.key: u for u in ranked if u.is_list}
    several = bool(_ASKS_SEVERAL.search(question))
    comparing = bool(_ASKS_DIFFERENCE.search(question)) and not several
    defining = (bool(_ASKS_DEFINITION.search(question)) or comparing) and not several
    chosen: list[Unit] = []
    per_passage: Counter[tuple[str, int]] = Counter()
    for unit in ranked:
        if len(chosen) >= MAX_UNITS or (len(chosen) >= MIN_UNITS and unit.score < RELATIVE_CUTOFF * best):
            break
        passage = (unit.citation.ref, unit.rank)
        if comparing and _ASIDE_SECTIONS.match(unit.citation.section or ""):
            continue  # what goes wrong with X does not say how X differs from Y
        if unit.is_list and defining:
            continue  # a definition is a sentence; a list stands on its own for anything else ...
        whole = lists.get(unit.key) if unit.item >= 0 else None
        if whole is not None and (several or whole.score >= RELATIVE_CUTOFF * best):
            if not any(c.is_list for c in chosen):
                unit = whole  # ... or an item brings it, when the list as a whole answers too
        if unit.is_list and any(c.is_list for c in chosen):
            continue
        if per_passage[passage] >= MAX_PER_PASSAGE and not unit.is_list:
            continue
        # A list and an item taken from it say the same thing once.
        if any(c.key == unit.key and (c.is_list or unit.is_list) for c in chosen):
            continue
        if any(float(vector_of[unit.full_text] @ vector_of[c.full_text]) > DUPLICATE_COSINE for c in chosen):
            continue
        if unit.item < 0 and not unit.is_list and _DANGLING.match(unit.text):
            # It needs the sentence before it: bring that along, or leave this one out.
            before = by_key.get((unit.citation.ref, unit.rank, unit.position - 1))
            if before is None or before.is_list or before.item >= 0 or len(chosen) + 2 > MAX_UNITS:
                continue
            if before not in chosen:
                chosen.append(before)
                per_passage[passage] += 1
        chosen.append(unit)
        per_passage[passage] += 1
    if not chosen:
        return []
    lead, rest = chosen[0], sorted(chosen[1:], key=lambda u: u.order)
    if lead.is_list:
        # A list reads best after the sentence that opens its passage's topic, when there is one.
        context = sorted(
            (u for u in ranked if u.rank == lead.rank and not u.is_list and u.item < 0 and u.position < lead.position),
            key=lambda u: u.position,
        )
        if context and context[0] not in chosen:
            rest = [lead, *rest][: MAX_UNITS - 1]
            lead = context[0]
    ordered = [lead, *rest]
    if comparing and not lead.is_list:
        # Where something is set apart from something else, the paragraph that defines it draws the line
        # ("... It is not the commercial contract. The contract covers ..."): it reads on from the lead.
        for unit in reversed(_rest_of_paragraph(lead, by_key)[:MAX_PER_PASSAGE]):
            if unit in ordered:
                ordered.remove(unit)
            ordered.insert(1, unit)
        ordered = ordered[:MAX_UNITS]
    for unit in [u for u in ordered if u.item < 0 and not u.is_list and len(u.text.split()) <= SHORT_WORDS]:
        after = by_key.get((unit.citation.ref, unit.rank, unit.position + 1))
        if after is not None and not after.is_list and after not in ordered and len(ordered) < MAX_UNITS:
            # A short sentence says what to do; the one after it, how: they read as one point.
            ordered.insert(ordered.index(unit) + 1, after)
    for unit in [u for u in ordered if u.item < 0 and not u.is_list and _DANGLING.match(u.text)]:
        before = by_key.get((unit.citation.ref, unit.rank, unit.position - 1))
        if before in ordered:
            # It points back: it goes right after the sentence it points to.
            ordered.remove(unit)
            ordered.insert(ordered.index(before) + 1, unit)
    return [_trim(u, vector_of) for u in ordered]


def _rest_of_paragraph(lead: Unit, by_key: dict[tuple[str, int, int], Unit]) -> list[Unit]:
    """The sentences after `lead` in its paragraph (a line of the passage), in reading order."""
    lines = [line for line in (lead.citation.excerpt or "").splitlines() if lead.text in line]
    if not lines:
        return []
    following = []
    position = lead.position + 1
    while (unit := by_key.get((lead.citation.ref, lead.rank, position))) is not None and unit.text in lines[0]:
        if unit.is_list or unit.item >= 0:
            break
        following.append(unit)
        position += 1
    return following


def _trim(unit: Unit, vector_of: dict[str, np.ndarray[Any, np.dtype[np.float32]]]) -> Unit:
    """A long list keeps its MAX_ITEMS items closest to the question's list as a whole, in their own order."""
    if len(unit.items) <= MAX_ITEMS:
        return unit
    centre = vector_of[unit.full_text]
    keep = sorted(range(len(unit.items)), key=lambda i: -float(vector_of[unit.items[i]] @ centre))[:MAX_ITEMS]
    return replace(unit, items=tuple(unit.items[i] for i in sorted(keep)))


def _overlap(wanted: set[str], text: str, stats: _Statistics | None) -> float:
    """The share of the question's words the text contains, each weighted by its rarity in the curriculum."""
    if not wanted:
        return 0.0
    words = set(tokenize(text))
    if stats is None:
        return len(wanted & words) / len(wanted)
    total = sum(stats.idf.get(w, stats.default_idf) for w in wanted)
    return sum(stats.idf.get(w, stats.default_idf) for w in wanted & words) / total


def _curriculum_statistics(lessons: Sequence[Lesson]) -> _Statistics:
    words: set[str] = set(DOMAIN_TERMS)
    frequency: Counter[str] = Counter()
    sections = 0
    for lesson in lessons:
        words.update(tokenize(f"{lesson.title} {lesson.summary} {' '.join(lesson.tags)} {lesson.body}"))
        for text in lesson.sections.values():
            sections += 1
            frequency.update(set(tokenize(text)))
    count = max(sections, 1)
    idf = {word: math.log(1 + count / n) for word, n in frequency.items()}
    return _Statistics(frozenset(words), idf, math.log(1 + count))


def _known_word(word: str, vocabulary: frozenset[str]) -> bool:
    """In the curriculum's words, allowing a typo ("diffrence") in words long enough to have one."""
    if word in vocabulary or word.isdigit():
        return True
    if len(word) < 5:
        return False
    return process.extractOne(word, vocabulary, scorer=fuzz.ratio, score_cutoff=85) is not None
