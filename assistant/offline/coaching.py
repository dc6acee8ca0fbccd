"""Coaching answers without a generative model: extracted curriculum sentences, lessons, quizzes, feedback.

A coaching answer is extractive: the 3-6 units (sentences, or a list kept whole) of the retrieved passages that
best answer the question (see `extraction.py`), each cited, then one Socratic question taken from a cited
lesson's "Questions to ask". When no retrieved sentence shares a content word with the question and none is
semantically close, the answer says the curriculum does not cover it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from assistant.agent.artifacts import FeedbackArtifact, LessonArtifact, PassagesArtifact
from assistant.agent.operations.reading import ABOUT_UPLOADS
from assistant.agent.untrusted import looks_like_injection
from assistant.citations import Citation, SourceKind
from assistant.drafting.text import sentences
from assistant.offline import templates
from assistant.offline.citing import Cite
from assistant.offline.extraction import MAX_WORDS, MIN_WORDS, Extractor, Unit
from assistant.offline.learning import parse_quiz_answers
from knowledge.curriculum import Lesson

# Text hidden from a rendered document (HTML comments) is where instructions to an AI hide: never quoted.
_HIDDEN = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
FALLBACK_QUESTION = "Which of your accounts does this apply to most right now, and what evidence would tell you?"


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
    picked: list[Unit] = []
    documents = uploaded_passages(artifact.citations, flagged)
    if documents and ABOUT_UPLOADS.search(question):
        # Asked about their own document, the user wants its words first; the curriculum only if it says nothing.
        picked = extractor.pick(question, documents)
    if not picked:
        picked = extractor.pick(question, passages, lessons=lessons, context=artifact.query)
    parts: list[str] = []
    if not picked:
        parts.append(_not_covered(question, passages, cite))
    else:
        parts.append(render_units(picked, cite))
        cited = [*(u.citation for u in picked), *passages]
        follow_up = socratic_question(question, cited, lessons, extractor, cite)
        if account_name:
            follow_up = follow_up.replace("**To think about:** ", f"**To think about for {account_name}:** ", 1)
        parts.append(follow_up)
    if artifact.flagged:
        refs = cite.refs(artifact.flagged)
        quoted = any(u.citation.ref in flagged for u in picked)
        left = "quoted only its other sentences" if quoted else "left it out of this answer"
        parts.append(
            f"⚠ One uploaded document in the results contains instructions addressed to an AI assistant; I treated "
            f"it as quoted text, ignored those instructions and {left} {refs}".rstrip()
            + "."
        )
    return "\n\n".join(parts)


def uploaded_passages(citations: Sequence[Citation], flagged: Collection[str]) -> list[Citation]:
    """The uploaded documents among the results; a flagged one without its hidden comments and without any
    sentence that reads like an instruction, so what is quoted from it is only its ordinary text."""
    found = []
    for citation in citations:
        if citation.kind is not SourceKind.DOCUMENT:
            continue
        text = _reflow(citation.excerpt or "")
        if citation.ref in flagged:
            lines = _reflow(_HIDDEN.sub(" ", citation.excerpt or "")).splitlines()
            text = "\n".join(_without_instructions(line) for line in lines)
        found.append(citation.model_copy(update={"excerpt": text}))
    return found


def _without_instructions(line: str) -> str:
    if line.startswith(("#", "-", "*")) or line[:1].isdigit():
        return "" if looks_like_injection(line) else line
    return " ".join(s for s in sentences(line) if not looks_like_injection(s))


def _reflow(text: str) -> str:
    """A document's paragraphs on one line each (people wrap them), its headings and list items kept as lines."""
    lines: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        joins = lines and lines[-1] and not lines[-1].lstrip().startswith("#") and stripped
        if joins and not stripped.startswith(("#", "-", "*", "|")) and not stripped[:1].isdigit():
            lines[-1] = f"{lines[-1]} {stripped}"
        else:
            lines.append(stripped)
    return "\n".join(lines)


def render_units(units: Sequence[Unit], cite: Cite) -> str:
    """Sentences run on as a paragraph; a list stands on its own lines, its introduction and every item cited."""
    blocks: list[str] = []
    prose: list[str] = []
    for unit in units:
        if not unit.is_list:
            prose.append(cite.line(_as_sentence(unit.text), unit.citation))
            continue
        if prose:
            blocks.append(" ".join(prose))
            prose = []
        lines = [cite.line(unit.text, unit.citation)] if unit.text else []
        lines += [f"- {cite.line(_as_sentence(item), unit.citation)}" for item in unit.items]
        blocks.append("\n".join(lines))
    if prose:
        blocks.append(" ".join(prose))
    return "\n\n".join(blocks)


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
    return text if text.endswith((".", "!", "?", "”", '"', ")")) else f"{text}."


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
