"""Coaching tools: lessons, exercises and quizzes from the curriculum, with feedback on answers."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process, utils

from assistant.agent.artifacts import FeedbackArtifact, LessonArtifact
from assistant.agent.context import AssistantContext
from assistant.agent.operations.reading import ToolOutput
from assistant.agent.operations.resolve import Unresolved
from assistant.citations import Citation, SourceKind
from knowledge.curriculum import Lesson

_KEY_NUMBER = re.compile(r"\bkey\s*(\d{1,2})\b", re.IGNORECASE)
_MODULE_NUMBER = re.compile(r"\bmodule\s*(\d)\b", re.IGNORECASE)


def find_lesson(lessons: list[Lesson], topic: str) -> Lesson | None:
    """By id, by "key 3" / "module 2", else the closest title or tag."""
    wanted = topic.strip().lower()
    for lesson in lessons:
        if lesson.id == wanted:
            return lesson
    for pattern, kind in ((_KEY_NUMBER, "key"), (_MODULE_NUMBER, "module")):
        match = pattern.search(topic)
        if match:
            number = int(match.group(1))
            found = next((lesson for lesson in lessons if lesson.kind == kind and lesson.order == number), None)
            if found is not None:
                return found
    # A topic named in a title wins ("partnership charter" is the charter guide, not a module that mentions it).
    titled = [lesson for lesson in lessons if wanted and wanted in lesson.title.lower()]
    if titled:
        return min(titled, key=lambda lesson: len(lesson.title))
    choices = {lesson.id: f"{lesson.title} {' '.join(lesson.tags)}" for lesson in lessons}
    best = process.extractOne(topic, choices, scorer=fuzz.token_set_ratio, processor=utils.default_process)
    if best is not None and best[1] >= 60:
        return next(lesson for lesson in lessons if lesson.id == best[2])
    return None


def cite_lesson(lesson: Lesson, section: str | None = None) -> Citation:
    excerpt = lesson.sections.get(section, "") if section else lesson.summary
    return Citation(
        kind=SourceKind.CURRICULUM,
        id=lesson.id,
        label=lesson.title if not section else f"{lesson.title} § {section}",
        section=section,
        excerpt=excerpt[:600] or lesson.summary,
    )


def get_lesson(ctx: AssistantContext, topic: str) -> ToolOutput:
    lesson = find_lesson(ctx.curriculum, topic)
    if lesson is None:
        titles = "; ".join(lesson.title for lesson in ctx.curriculum if lesson.kind in ("module", "key"))
        raise Unresolved("get_lesson", f"No lesson matches {topic!r}. Lessons: {titles}")
    quiz = [
        {"question": q.question, "options": list(q.options), "answer": q.answer, "explanation": q.explanation}
        for q in lesson.quiz
    ]
    lines = [
        f"Lesson {lesson.title} [curriculum:{lesson.id}]: {lesson.summary}",
        "Sections: " + ", ".join(lesson.sections),
    ]
    if lesson.exercise is not None:
        lines.append(f"Exercise: {lesson.exercise.prompt}")
    for number, q in enumerate(lesson.quiz, start=1):
        options = " ".join(f"({chr(65 + i)}) {o}" for i, o in enumerate(q.options))
        lines.append(f"Quiz {number}: {q.question} {options} — answer {chr(65 + q.answer)}: {q.explanation}")
    return "\n".join(lines), LessonArtifact(
        tool="get_lesson",
        lesson_id=lesson.id,
        title=lesson.title,
        summary=lesson.summary,
        exercise_prompt=lesson.exercise.prompt if lesson.exercise else None,
        quiz=quiz,
        citations=[cite_lesson(lesson)],
    )


def grade_exercise(lesson: Lesson, answer: str) -> FeedbackArtifact:
    """Rubric coverage: which points the answer makes (any listed phrasing counts) and which it misses."""
    if lesson.exercise is None:
        raise Unresolved("grade_exercise", f"{lesson.title} has no exercise.")
    text = answer.lower()
    covered = [p.point for p in lesson.exercise.rubric if any(phrase.lower() in text for phrase in p.any_of)]
    missing = [p.point for p in lesson.exercise.rubric if p.point not in covered]
    score = len(covered) / len(lesson.exercise.rubric) if lesson.exercise.rubric else 0.0
    return FeedbackArtifact(
        tool="grade_exercise",
        lesson_id=lesson.id,
        covered=covered,
        missing=missing,
        score=round(score, 2),
        model_answer=lesson.exercise.model_answer,
        citations=[cite_lesson(lesson)],
    )


def grade_exercise_tool(ctx: AssistantContext, topic: str, answer: str) -> ToolOutput:
    lesson = find_lesson(ctx.curriculum, topic)
    if lesson is None:
        raise Unresolved("grade_exercise", f"No lesson matches {topic!r}.")
    feedback = grade_exercise(lesson, answer)
    text = (
        f"Feedback on the {lesson.title} exercise [curriculum:{lesson.id}]: score {feedback.score:.0%}. "
        f"Covered: {'; '.join(feedback.covered) or 'none'}. Missing: {'; '.join(feedback.missing) or 'none'}. "
        f"Model answer: {feedback.model_answer}"
    )
    return text, feedback
