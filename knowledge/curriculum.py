"""The curriculum as data: Markdown lessons with YAML front matter (format in curriculum/README.md).

Parsing is strict and names the file in every error, because the curriculum is written by hand and a bad
lesson should fail the build, not vanish from the learning path. Only ``body`` is indexed for retrieval;
exercises and quizzes stay in the front matter so answers never leak into retrieved passages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

LessonKind = Literal["module", "key", "guide", "research"]
LESSON_KINDS: tuple[LessonKind, ...] = get_args(LessonKind)
_KIND_ORDER = {kind: position for position, kind in enumerate(LESSON_KINDS)}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.DOTALL)
_SECTION = re.compile(r"^##[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_FENCE = re.compile(r"^(```|~~~)")


class CurriculumError(ValueError):
    """A lesson file that does not follow the curriculum format; the message starts with its path."""


@dataclass(frozen=True)
class RubricPoint:
    point: str
    any_of: tuple[str, ...]


@dataclass(frozen=True)
class Exercise:
    prompt: str
    rubric: tuple[RubricPoint, ...]
    model_answer: str


@dataclass(frozen=True)
class QuizQuestion:
    question: str
    options: tuple[str, ...]
    answer: int
    explanation: str


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    kind: LessonKind
    order: int | None
    tags: tuple[str, ...]
    summary: str
    sources: dict[str, tuple[str, ...]]
    body: str
    sections: dict[str, str]
    exercise: Exercise | None
    quiz: tuple[QuizQuestion, ...]
    path: Path


def default_curriculum_dir() -> Path:
    """The curriculum shipped inside the package."""
    return Path(__file__).resolve().parent / "curriculum"


def load_curriculum(directory: Path | None = None) -> list[Lesson]:
    """Every lesson under ``directory`` in learning-path order: modules, keys, guides, research."""
    root = directory or default_curriculum_dir()
    lessons = [parse_lesson(path) for path in lesson_paths(root)]
    seen: dict[str, Path] = {}
    for lesson in lessons:
        if lesson.id in seen:
            raise CurriculumError(f"{lesson.path}: duplicate lesson id {lesson.id!r} (also in {seen[lesson.id]})")
        seen[lesson.id] = lesson.path
    return sorted(lessons, key=_learning_order)


def lesson_paths(root: Path) -> list[Path]:
    """Lesson files under ``root``; README files document the format and are not lessons."""
    return sorted(path for path in root.rglob("*.md") if path.name.lower() != "readme.md")


def parse_lesson(path: Path) -> Lesson:
    """Parse one lesson file, raising ``CurriculumError`` that names the file on any format problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CurriculumError(f"{path}: cannot read lesson: {error}") from error
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise CurriculumError(f"{path}: missing YAML front matter between '---' lines")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        raise CurriculumError(f"{path}: invalid YAML front matter: {error}") from error
    if not isinstance(meta, dict):
        raise CurriculumError(f"{path}: front matter must be a mapping")
    try:
        return _build_lesson(path, meta, match.group(2).strip())
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, CurriculumError):
            raise
        detail = f"missing field {error}" if isinstance(error, KeyError) else str(error)
        raise CurriculumError(f"{path}: {detail}") from error


def _build_lesson(path: Path, meta: dict[str, Any], body: str) -> Lesson:
    lesson_id = _text(meta, "id")
    if lesson_id != path.stem:
        raise ValueError(f"id {lesson_id!r} must equal the file name {path.stem!r}")
    kind = _text(meta, "kind")
    if kind not in LESSON_KINDS:
        raise ValueError(f"kind {kind!r} must be one of {', '.join(LESSON_KINDS)}")
    order = meta.get("order")
    if order is not None and (not isinstance(order, int) or isinstance(order, bool)):
        raise ValueError(f"order must be an integer, got {order!r}")
    if not body:
        raise ValueError("lesson body is empty")
    return Lesson(
        id=lesson_id,
        title=_text(meta, "title"),
        kind=kind,
        order=order,
        tags=tuple(str(tag) for tag in _list(meta, "tags")),
        summary=_text(meta, "summary"),
        sources=_sources(meta),
        body=body,
        sections=split_sections(body),
        exercise=_exercise(meta["exercise"]) if meta.get("exercise") is not None else None,
        quiz=tuple(_question(item, number) for number, item in enumerate(_list(meta, "quiz"), start=1)),
        path=path,
    )


def split_sections(body: str) -> dict[str, str]:
    """Map each ``##`` heading to its text (deeper headings stay inside), ignoring headings in code fences."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    in_fence = False
    for line in body.splitlines():
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
        heading = None if in_fence else _SECTION.match(line)
        if heading is not None:
            current = sections.setdefault(heading.group(1).strip(), [])
        elif current is not None:
            current.append(line)
    return {heading: "\n".join(lines).strip() for heading, lines in sections.items()}


def _learning_order(lesson: Lesson) -> tuple[int, int, str]:
    return _KIND_ORDER[lesson.kind], lesson.order if lesson.order is not None else 10_000, lesson.id


def _text(data: dict[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key} must be a non-empty string")
    return value.strip()


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise ValueError(f"{key} must be a list")
    return value


def _sources(meta: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    sources: dict[str, tuple[str, ...]] = {}
    for entry in _list(meta, "sources"):
        if not isinstance(entry, dict):
            raise ValueError("each sources entry must be a mapping with article and facts")
        facts = tuple(str(fact) for fact in _list(entry, "facts"))
        article = _text(entry, "article")
        sources[article] = sources.get(article, ()) + facts
    return sources


def _exercise(data: Any) -> Exercise:
    if not isinstance(data, dict):
        raise ValueError("exercise must be a mapping with prompt, rubric and model_answer")
    rubric = []
    for item in _list(data, "rubric"):
        if not isinstance(item, dict):
            raise ValueError("each exercise rubric entry must be a mapping with point and any_of")
        rubric.append(RubricPoint(point=_text(item, "point"), any_of=tuple(str(x) for x in _list(item, "any_of"))))
    return Exercise(prompt=_text(data, "prompt"), rubric=tuple(rubric), model_answer=_text(data, "model_answer"))


def _question(data: Any, number: int) -> QuizQuestion:
    if not isinstance(data, dict):
        raise ValueError(f"quiz question {number} must be a mapping")
    options = tuple(str(option) for option in _list(data, "options"))
    answer = data.get("answer")
    if not isinstance(answer, int) or isinstance(answer, bool) or not 0 <= answer < len(options):
        raise ValueError(f"quiz question {number}: answer must be an index into its {len(options)} options")
    return QuizQuestion(
        question=_text(data, "question"),
        options=options,
        answer=answer,
        explanation=_text(data, "explanation"),
    )
