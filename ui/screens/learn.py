"""Learn: the six modules and the ten keys as a learning path. Read a lesson, ask the coach about it, do the
exercise and the quiz; progress is saved per user. Users can also add their own material to the library."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from ui import views
from ui.components import attempt, flash, open_coach_with, page_header, show_flashes
from ui.runtime import current_actor, current_runtime

LESSON_KEY = "learn_lesson"
LIBRARY_TYPES = ["md", "markdown", "txt", "pdf", "docx"]
STATE_ICON = {
    "done": ":green[:material/check_circle:]",
    "started": ":orange[:material/timelapse:]",
    "not started": ":gray[:material/pending:]",
}

runtime = current_runtime()
actor = current_actor(runtime)
assistant, records = runtime.assistant, runtime.records

page_header(
    "Learn",
    "The six modules, then the ten keys of strategic account planning. Read, practise, check yourself: "
    "your progress is saved.",
)
show_flashes()

progress = records.learning.progress(actor=actor)
saved_answers = {p.lesson_id: p.exercise_answer or "" for p in progress}
steps = views.learning_path(assistant.lessons(), progress)
by_id = {step.lesson_id: step for step in steps}
if st.session_state.get(LESSON_KEY) not in by_id:
    st.session_state[LESSON_KEY] = next((s.lesson_id for s in steps if not s.done), steps[0].lesson_id)

path_col, lesson_col = st.columns([1.3, 2.7], gap="medium")
with path_col:
    completion = views.path_completion(steps)
    st.progress(completion, text=f"Your path: {completion:.0%} complete")
    chosen = st.radio(
        "Learning path",
        list(by_id),
        format_func=lambda lesson_id: f"{STATE_ICON[by_id[lesson_id].state]} {by_id[lesson_id].short_title}",
        key=LESSON_KEY,
        label_visibility="collapsed",
    )
    st.caption(" · ".join(f"{icon} {state}" for state, icon in STATE_ICON.items()))
    with st.expander("Progress details"):
        st.dataframe(views.path_frame(steps), hide_index=True, width="stretch")

lesson = assistant.lesson(chosen)
step = by_id[chosen]

with lesson_col:
    st.subheader(lesson.title, anchor=False)
    st.caption(lesson.summary)
    read_tab, exercise_tab, quiz_tab = st.tabs(["Read", "Exercise", f"Quiz ({len(lesson.quiz)} questions)"])

    with read_tab:
        buttons = st.container(horizontal=True, vertical_alignment="center")
        if step.read:
            buttons.markdown(":green-badge[:material/check: Read]", width="content")
        elif buttons.button("Mark as read", key=f"read-{lesson.id}", icon=":material/done:"):
            if attempt("Saving your progress failed", records.learning.mark_read, actor=actor, lesson_id=lesson.id):
                flash(f"“{step.short_title}” marked as read.")
                st.rerun()
        if buttons.button("Ask the coach about it", key=f"ask-{lesson.id}", icon=":material/forum:"):
            open_coach_with(
                f"I am studying “{step.short_title}”. How does it apply to my accounts, and what should I do first?"
            )
        for heading, body in lesson.sections.items():
            st.markdown(f"#### {heading}\n\n{body}")

    with exercise_tab:
        if lesson.exercise is None:
            st.info("This lesson has no exercise.")
        else:
            st.markdown(lesson.exercise.prompt)
            answer_key = f"exercise-{lesson.id}"
            if answer_key not in st.session_state:
                st.session_state[answer_key] = saved_answers.get(lesson.id, "")
            answer = st.text_area("Your answer", key=answer_key, height=200)
            if step.exercise_score is not None:
                st.caption(f"Your best score so far: {step.exercise_score:.0%}")
            if st.button("Check my answer", key=f"grade-{lesson.id}", type="primary"):
                feedback = attempt("Checking your answer failed", assistant.grade_exercise, lesson.id, answer)
                if feedback is not None:
                    records.learning.record_exercise(
                        actor=actor, lesson_id=lesson.id, score=feedback.score, answer=answer
                    )
                    st.session_state[f"feedback-{lesson.id}"] = feedback
                    st.rerun()  # the path on the left shows the new progress
            feedback = st.session_state.get(f"feedback-{lesson.id}")
            if feedback is not None:
                st.metric(
                    "Rubric points covered",
                    f"{len(feedback.covered)} of {len(feedback.covered) + len(feedback.missing)}",
                )
                for point in feedback.covered:
                    st.markdown(f":green[:material/check_circle:] {point}")
                for point in feedback.missing:
                    st.markdown(f":orange[:material/radio_button_unchecked:] Missing: {point}")
                with st.expander("Model answer"):
                    st.markdown(feedback.model_answer)

    with quiz_tab:
        if not lesson.quiz:
            st.info("This lesson has no quiz.")
        else:
            if step.quiz_score is not None:
                st.caption(f"Your best score so far: {step.quiz_score:.0%}")
            with st.form(f"quiz-{lesson.id}"):
                answers = [
                    st.radio(
                        f"{number}. {question.question}",
                        list(range(len(question.options))),
                        format_func=question.options.__getitem__,
                        index=None,
                        key=f"quiz-{lesson.id}-{number}",
                    )
                    for number, question in enumerate(lesson.quiz, start=1)
                ]
                submitted = st.form_submit_button("Check my answers", type="primary")
            if submitted:
                unanswered = [str(n) for n, a in enumerate(answers, start=1) if a is None]
                if unanswered:
                    st.error(f"Answer every question first (still open: {', '.join(unanswered)}).")
                else:
                    result = attempt(
                        "Checking the quiz failed",
                        assistant.check_quiz,
                        lesson.id,
                        [int(a) for a in answers if a is not None],
                    )
                    if result is not None:
                        records.learning.record_quiz(
                            actor=actor, lesson_id=lesson.id, score=result.correct / result.total
                        )
                        st.session_state[f"quiz-result-{lesson.id}"] = result
                        st.rerun()
            result = st.session_state.get(f"quiz-result-{lesson.id}")
            if result is not None:
                (st.success if result.correct == result.total else st.warning)(
                    f"{result.correct} of {result.total} correct."
                )
                for line in result.feedback:
                    st.markdown(f"- {line}")

with st.expander("Add your own material to the library", icon=":material/library_add:"):
    st.caption("Markdown, text, PDF or Word files: the coach searches them alongside the curriculum and cites them.")
    uploads = st.file_uploader("Files", type=LIBRARY_TYPES, accept_multiple_files=True, key="library_files")
    if uploads and st.button("Add to the library", key="library_add", icon=":material/upload:"):
        folder = Path(runtime.settings.data_dir) / "library"
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for upload in uploads:
            path = folder / re.sub(r"[^\w.-]+", "_", Path(upload.name).name)
            path.write_bytes(upload.getvalue())
            paths.append(path)
        bar = st.progress(0.0, text="Reading and indexing…")

        def advance(done: int, total: int) -> None:
            bar.progress(min(done / total, 1.0) if total else 1.0, text=f"Indexing: {done} of {total}")

        report = attempt("Adding the files failed", assistant.ingest, paths, progress=advance)
        if report is not None:
            bar.progress(1.0, text="Done")
            st.success(
                f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged "
                f"({report.chunks_written} passages indexed)."
            )
            for source, reason in report.skipped:
                st.warning(f"Skipped {Path(source).name}: {reason}")
