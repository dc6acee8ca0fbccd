"""Curriculum passages as citations: every coaching claim points to a lesson id, a `##` section and a sentence."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from assistant.citations import Citation, SourceKind
from assistant.drafting.text import sentence_about
from knowledge.curriculum import Lesson, load_curriculum


class PassageNotFound(KeyError):
    """A lesson or section the drafting code refers to is missing: the curriculum and the code disagree."""


class Passages:
    """Looks up sections of the curriculum and turns them into `Citation(kind=curriculum)`."""

    def __init__(self, lessons: Sequence[Lesson]) -> None:
        self._lessons = {lesson.id: lesson for lesson in lessons}

    def __contains__(self, lesson_id: object) -> bool:
        return lesson_id in self._lessons

    def lesson(self, lesson_id: str) -> Lesson:
        try:
            return self._lessons[lesson_id]
        except KeyError:
            raise PassageNotFound(f"curriculum lesson {lesson_id!r} not found") from None

    def section(self, lesson_id: str, heading: str) -> tuple[str, str]:
        """The (exact heading, text) of the first section whose heading starts with `heading` (any case)."""
        lesson = self.lesson(lesson_id)
        if heading in lesson.sections:
            return heading, lesson.sections[heading]
        wanted = heading.lower()
        for title, text in lesson.sections.items():
            if title.lower().startswith(wanted):
                return title, text
        raise PassageNotFound(f"section {heading!r} not found in curriculum lesson {lesson_id!r}")

    def cite(self, lesson_id: str, heading: str, about: str | re.Pattern[str] | None = None) -> Citation:
        """Cite one sentence of a section: the first mentioning `about`, else the section's first sentence."""
        title, text = self.section(lesson_id, heading)
        lesson = self.lesson(lesson_id)
        return Citation(
            kind=SourceKind.CURRICULUM,
            id=lesson.id,
            label=f"{lesson.id} § {title}",
            section=title,
            excerpt=sentence_about(text, about, limit=300),
        )


@lru_cache(maxsize=1)
def default_passages() -> Passages:
    """The curriculum shipped with the package, read once on first use (never at import)."""
    return Passages(load_curriculum())


def make_passages(lessons: Sequence[Lesson] | None) -> Passages:
    return default_passages() if lessons is None else Passages(lessons)
