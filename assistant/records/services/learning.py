"""Learning-path progress per user: lessons read, quiz and exercise scores."""

from __future__ import annotations

import builtins

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.records.actor import Actor
from assistant.records.models import LessonProgress
from assistant.records.models.base import utcnow
from assistant.records.services.base import Service


class ProgressOut(BaseModel):
    lesson_id: str
    read: bool
    quiz_score: float | None
    exercise_score: float | None
    exercise_answer: str | None


def _out(row: LessonProgress) -> ProgressOut:
    return ProgressOut(
        lesson_id=row.lesson_id,
        read=row.read_at is not None,
        quiz_score=row.quiz_score,
        exercise_score=row.exercise_score,
        exercise_answer=row.exercise_answer,
    )


class LearningService(Service):
    def progress(self, *, actor: Actor) -> builtins.list[ProgressOut]:
        with self._read() as session:
            rows = session.scalars(
                select(LessonProgress).where(LessonProgress.user_id == actor.user_id).order_by(LessonProgress.id)
            )
            return [_out(r) for r in rows]

    def mark_read(self, *, actor: Actor, lesson_id: str) -> ProgressOut:
        with self._write() as session:
            row = self._row(session, actor, lesson_id)
            row.read_at = row.read_at or utcnow()
            session.flush()
            return _out(row)

    def record_quiz(self, *, actor: Actor, lesson_id: str, score: float) -> ProgressOut:
        with self._write() as session:
            row = self._row(session, actor, lesson_id)
            # The best attempt counts: the learning path rewards getting there, not the first try.
            row.quiz_score = max(score, row.quiz_score or 0.0)
            session.flush()
            return _out(row)

    def record_exercise(self, *, actor: Actor, lesson_id: str, score: float, answer: str) -> ProgressOut:
        with self._write() as session:
            row = self._row(session, actor, lesson_id)
            row.exercise_score = max(score, row.exercise_score or 0.0)
            row.exercise_answer = answer[:20_000]
            session.flush()
            return _out(row)

    @staticmethod
    def _row(session: Session, actor: Actor, lesson_id: str) -> LessonProgress:
        row = session.scalar(
            select(LessonProgress).where(LessonProgress.user_id == actor.user_id, LessonProgress.lesson_id == lesson_id)
        )
        if row is None:
            row = LessonProgress(user_id=actor.user_id, lesson_id=lesson_id)
            session.add(row)
            session.flush()
        return row
