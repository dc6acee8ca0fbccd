from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.curriculum import (
    LESSON_KINDS,
    CurriculumError,
    default_curriculum_dir,
    load_curriculum,
    parse_lesson,
)

GOOD_LESSON = """---
id: key-99-example
title: "Key 99: An example key"
kind: key
order: 99
tags: [example, testing]
summary: "A lesson used by the tests."
sources:
  - article: ten-keys
    facts:
      - "A fact"
exercise:
  prompt: "Do the thing."
  rubric:
    - point: "Names a sponsor"
      any_of: ["sponsor", "champion"]
  model_answer: "The model answer."
quiz:
  - question: "Which one?"
    options: ["a", "b", "c", "d"]
    answer: 2
    explanation: "Because c."
---

# Key 99: An example key

## What it is

The example key is a lesson about examples.

## Pitfalls

Forgetting the example.
"""


def write_lesson(directory: Path, name: str, text: str) -> Path:
    path = directory / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_parse_lesson_reads_front_matter_and_sections(tmp_path: Path) -> None:
    lesson = parse_lesson(write_lesson(tmp_path, "key-99-example", GOOD_LESSON))

    assert lesson.id == "key-99-example"
    assert lesson.kind == "key"
    assert lesson.order == 99
    assert lesson.tags == ("example", "testing")
    assert lesson.sources == {"ten-keys": ("A fact",)}
    assert list(lesson.sections) == ["What it is", "Pitfalls"]
    assert lesson.sections["Pitfalls"] == "Forgetting the example."
    assert lesson.exercise is not None
    assert lesson.exercise.rubric[0].any_of == ("sponsor", "champion")
    assert lesson.quiz[0].answer == 2
    assert "Do the thing" not in lesson.body
    assert lesson.body.startswith("# Key 99")


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (GOOD_LESSON.replace("tags: [example, testing]", "tags: [example, testing"), "invalid YAML"),
        (GOOD_LESSON.split("---", 2)[2], "missing YAML front matter"),
        (GOOD_LESSON.replace("id: key-99-example", "id: key-98-other"), "must equal the file name"),
        (GOOD_LESSON.replace("kind: key", "kind: chapter"), "kind 'chapter'"),
        (GOOD_LESSON.replace("    answer: 2", "    answer: 7"), "answer must be an index"),
        (GOOD_LESSON.replace('title: "Key 99: An example key"\n', ""), "missing field 'title'"),
        (GOOD_LESSON.replace("order: 99", "order: first"), "order must be an integer"),
    ],
)
def test_bad_front_matter_error_names_the_file(tmp_path: Path, broken: str, message: str) -> None:
    path = write_lesson(tmp_path, "key-99-example", broken)

    with pytest.raises(CurriculumError) as caught:
        parse_lesson(path)

    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)


def test_load_curriculum_rejects_duplicate_ids(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_lesson(tmp_path / "a", "key-99-example", GOOD_LESSON)
    write_lesson(tmp_path / "b", "key-99-example", GOOD_LESSON)

    with pytest.raises(CurriculumError, match="duplicate lesson id"):
        load_curriculum(tmp_path)


def test_packaged_curriculum_loads_in_learning_path_order() -> None:
    lessons = load_curriculum()

    assert len(lessons) >= 27
    kinds = [lesson.kind for lesson in lessons]
    assert kinds == sorted(kinds, key=LESSON_KINDS.index)
    modules = [lesson for lesson in lessons if lesson.kind == "module"]
    assert [lesson.order for lesson in modules] == sorted(lesson.order or 0 for lesson in modules)
    for lesson in lessons:
        assert lesson.path.is_relative_to(default_curriculum_dir())
        assert lesson.sections, lesson.id
        if lesson.kind in ("module", "key"):
            assert lesson.exercise is not None, lesson.id
            assert len(lesson.quiz) == 3, lesson.id
