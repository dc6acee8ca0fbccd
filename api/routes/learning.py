"""The learning path: lessons, quizzes and exercises with feedback. Quiz answers and model answers stay
server-side until you have answered."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import AssistantDep, CurrentUser
from api.errors import problems
from api.examples import ExerciseBody, QuizBody
from api.schemas import FeedbackOut, LessonOut, LessonSummary, QuizQuestionOut
from assistant.records.errors import InvalidInput, NotFound
from assistant.service import AssistantService, QuizResult
from knowledge.curriculum import Lesson

router = APIRouter(prefix="/v1/lessons", tags=["learning"], responses=problems(401, 404, 422))

LessonId = Annotated[str, Path(min_length=1, max_length=120, description="e.g. key-03-strategic-relationships")]


def _lesson(assistant: AssistantService, lesson_id: str) -> Lesson:
    # Exact ids only: the facade's fuzzy lookup suits chat ("key 3"), not a resource path.
    found = next((lesson for lesson in assistant.lessons() if lesson.id == lesson_id), None)
    if found is None:
        raise NotFound("lesson", lesson_id)
    return found


def _summary(lesson: Lesson) -> dict[str, object]:
    return {
        "id": lesson.id,
        "title": lesson.title,
        "kind": lesson.kind,
        "order": lesson.order,
        "tags": list(lesson.tags),
        "summary": lesson.summary,
        "has_exercise": lesson.exercise is not None,
        "quiz_questions": len(lesson.quiz),
    }


@router.get("", response_model=list[LessonSummary])
def list_lessons(assistant: AssistantDep, actor: CurrentUser) -> list[LessonSummary]:
    """Every lesson in learning-path order: modules, the ten keys, guides, research."""
    return [LessonSummary.model_validate(_summary(lesson)) for lesson in assistant.lessons()]


@router.get("/{lesson_id}", response_model=LessonOut)
def get_lesson(assistant: AssistantDep, actor: CurrentUser, lesson_id: LessonId) -> LessonOut:
    lesson = _lesson(assistant, lesson_id)
    return LessonOut.model_validate(
        {
            **_summary(lesson),
            "body": lesson.body,
            "sections": list(lesson.sections),
            "exercise_prompt": lesson.exercise.prompt if lesson.exercise else None,
            "quiz": [QuizQuestionOut(question=q.question, options=list(q.options)) for q in lesson.quiz],
        }
    )


@router.post("/{lesson_id}/quiz", response_model=QuizResult)
def check_quiz(assistant: AssistantDep, actor: CurrentUser, lesson_id: LessonId, data: QuizBody) -> QuizResult:
    """Your answers (one option index per question) checked, with an explanation per question."""
    lesson = _lesson(assistant, lesson_id)
    if len(data.answers) != len(lesson.quiz):
        raise InvalidInput.field("answers", f"expected {len(lesson.quiz)} answers, got {len(data.answers)}")
    return assistant.check_quiz(lesson.id, data.answers)


@router.post("/{lesson_id}/exercise", response_model=FeedbackOut)
def grade_exercise(assistant: AssistantDep, actor: CurrentUser, lesson_id: LessonId, data: ExerciseBody) -> FeedbackOut:
    """Your answer to the lesson's exercise against its rubric: what it covers, what it misses, a model answer."""
    lesson = _lesson(assistant, lesson_id)
    if lesson.exercise is None:
        raise NotFound("exercise of lesson", lesson_id)
    feedback = assistant.grade_exercise(lesson.id, data.answer)
    return FeedbackOut(
        lesson_id=feedback.lesson_id,
        score=feedback.score,
        covered=feedback.covered,
        missing=feedback.missing,
        model_answer=feedback.model_answer,
    )
