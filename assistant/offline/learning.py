"""Which lesson a message is about, and the user's quiz answers: shared by the planner and the composer."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from assistant.agent.operations.coaching import find_lesson
from assistant.citations import refs_in
from knowledge.curriculum import Lesson

LESSON_MATCH = 75
_NUMBERED = re.compile(r"\b(key|module)\s*#?\s*(\d{1,2})\b", re.IGNORECASE)
# Words that ask for a lesson rather than name its topic.
_CUE_WORDS = frozenset(
    """quiz quizzes me on about the a an of for lesson lessons exercise exercises practice practise test my knowledge
    give show open start teach take through walk please i want to do can you could would like learn study let try
    some questions question multiple choice guide module key on quick time case scenario work hands set check what
    remember with from it this that and see covers cover answer answers grade i'd i'm read go over more pls plz u
    something hands-on realistic realistic""".split()
)
_PAIR = re.compile(r"(?:^|[\s,;(])(?:q(?:uestion)?\s*)?(\d{1,2})\s*[).:=-]?\s*([a-f])\b", re.IGNORECASE)
_LETTERS = re.compile(
    r"^\s*(?:(?:my\s+)?answers?(?:\s+are)?\s*[:=-]?\s*)?([a-f](?:\s*[,;/ ]\s*[a-f])+)\s*[.!]?\s*$", re.I
)


def lesson_in_text(text: str, lessons: Sequence[Lesson]) -> Lesson | None:
    """ "key 3", "module 2", or a title or tag ("the partnership charter", "trust")."""
    numbered = _NUMBERED.search(text)
    if numbered is not None:
        return find_lesson(list(lessons), f"{numbered.group(1)} {numbered.group(2)}")
    words = [w for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if w not in _CUE_WORDS]
    if not words:
        return None
    phrase = " ".join(words)
    exact = find_lesson(list(lessons), phrase)
    if exact is not None and exact.id == phrase:
        return exact
    # The title decides ("partnership charter" is the guide's title, a tag of module 5); tags break ties.
    best: tuple[float, Lesson] | None = None
    for lesson in lessons:
        title = fuzz.token_set_ratio(phrase, lesson.title, processor=default_process)
        tags = fuzz.token_set_ratio(phrase, " ".join(lesson.tags).replace("-", " "), processor=default_process)
        score = max(title, tags - 5)
        if score >= LESSON_MATCH and (best is None or score > best[0]):
            best = (score, lesson)
    return best[1] if best is not None else None


def lesson_in_history(texts: Sequence[str], lessons: Sequence[Lesson]) -> Lesson | None:
    """The lesson the last answer cited first (e.g. the quiz it asked), newest answer first."""
    by_id = {lesson.id: lesson for lesson in lessons}
    for text in reversed(texts):
        for ref in refs_in(text):
            kind, _, ident = ref.partition(":")
            if kind == "curriculum" and ident in by_id:
                return by_id[ident]
    return None


def parse_quiz_answers(text: str, questions: int | None = None) -> dict[int, int]:
    """{question number: option index} from "1 B, 2 A, 3 C", "1) b 2) a", or just "B, A, C"."""
    pairs = {int(number): ord(letter.lower()) - ord("a") for number, letter in _PAIR.findall(text)}
    if pairs:
        return pairs
    letters = _LETTERS.match(text)
    if letters is None:
        return {}
    found = re.findall(r"[a-f]", letters.group(1).lower())
    if questions is not None and len(found) != questions:
        return {}
    return {number: ord(letter) - ord("a") for number, letter in enumerate(found, start=1)}
