"""Every page rendered with the demo portfolio through `AppTest`, the runtime injected as a browser session would
get it: key elements present, no exception box, and the user-facing flows (meeting brief, quiz, exercise,
progress, errors) doing what they say."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from assistant.records.actor import Actor
from assistant.records.enums import Channel
from assistant.runtime import Runtime
from tests.ui.conftest import account_id, assert_clean, open_app


def charts(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


def texts(at: AppTest) -> str:
    """Everything written as Markdown, captions and alerts, for "is this sentence on the page" checks."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [a.value for kind in ("info", "warning", "success", "error") for a in at.get(kind)]
    return "\n".join(str(p) for p in parts)


# --- shell ----------------------------------------------------------------------------------------------


def test_sidebar_names_the_signed_in_user_and_the_offline_backend(runtime: Runtime) -> None:
    at = open_app(runtime)
    assert_clean(at)
    sidebar = "\n".join(m.value for m in at.sidebar.markdown) + "\n".join(c.value for c in at.sidebar.caption)
    assert "Dana Reyes" in sidebar and "SAM leader" in sidebar
    assert "Offline" in sidebar and "no generative model" in sidebar


def test_sidebar_says_when_a_scripted_test_model_answers(make_runtime: Callable[..., Runtime]) -> None:
    from assistant.testing import ScriptedChatModel

    at = open_app(make_runtime(chat_model=ScriptedChatModel([])))
    assert "Scripted test model" in "\n".join(m.value for m in at.sidebar.markdown)


def test_unknown_user_gets_a_readable_message_not_a_traceback(make_runtime: Callable[..., Runtime]) -> None:
    at = open_app(make_runtime(user_email="nobody@beacon.example"))
    assert not at.exception
    assert "No user with e-mail nobody@beacon.example" in at.error[0].value
    assert "samcoach demo" in at.error[0].value


def test_first_start_builds_the_search_index(ui_dir: Path, make_runtime: Callable[..., Runtime]) -> None:
    shutil.rmtree(ui_dir / "chroma")
    runtime = make_runtime()
    at = open_app(runtime)
    assert_clean(at)
    assert runtime.retrieval.count("curriculum") > 0
    assert runtime.retrieval.indexed_notes() == len(runtime.records.notes.all_for_reindex())
    assert not at.status, "the finished progress box is cleared"


# --- portfolio ------------------------------------------------------------------------------------------


def test_portfolio_shows_every_account_with_health_trend_and_flags(runtime: Runtime) -> None:
    at = open_app(runtime)
    assert_clean(at)
    table = at.dataframe[0].value
    assert sorted(table["Account"]) == [
        "Acme Real Estate Company",
        "Northgate Health System",
        "Quantis Technologies",
        "Riverbend University",
        "Solara Energy",
    ]
    health = dict(zip(table["Account"], table["Health"], strict=True))
    assert health["Northgate Health System"] == "damaged" and health["Acme Real Estate Company"] == "vulnerable"
    assert charts(at) == 3  # zone heatmap, portfolio matrix, contract timeline
    page = texts(at)
    assert "Silent sponsor" in page and "Customer/our gap" in page and "Leadership change" in page
    assert [e.label for e in at.expander][:1] == ["Acme Real Estate Company — vulnerable, 3 warnings"]


def test_portfolio_opens_an_account_in_the_workspace(runtime: Runtime, dana: Actor) -> None:
    solara = account_id(runtime, dana, "Solara")
    at = open_app(runtime)
    at.button(key=f"open-{solara}").click().run()
    assert_clean(at)
    assert at.selectbox(key="workspace_account").value == solara


# --- account workspace ----------------------------------------------------------------------------------


def test_workspace_renders_every_tab_for_the_chosen_account(runtime: Runtime) -> None:
    at = open_app(runtime, "screens/account.py")
    assert_clean(at)
    assert [t.label for t in at.tabs] == ["Overview", "Stakeholders", "Charter", "Metrics", "Notes", "Plan", "Health"]
    # stakeholder map, 4 metric charts, notes timeline, health history, zone comparison, 4 zone histories
    assert charts(at) == 12
    page = texts(at)
    assert "Leadership change at the client" in page  # overview: early warnings
    assert "Carla Mendes" in page and "replaced by Kevin O'Brien" in page  # people who left, shown apart
    assert "11 clauses changed from v1 to v2" in page  # charter diff
    signatories = next(d.value for d in at.dataframe if "Approval" in d.value.columns)
    assert all(approval.startswith("approved ") for approval in signatories["Approval"])
    assert "Next review due" in page


def test_workspace_calls_out_stakeholder_gaps(runtime: Runtime, dana: Actor) -> None:
    at = open_app(runtime, "screens/account.py")
    at.selectbox(key="workspace_account").set_value(account_id(runtime, dana, "Quantis")).run()
    assert_clean(at)
    gaps = [w.value for w in at.warning]
    assert any("Aisha Rahman has no relationship owner" in g for g in gaps), gaps


def test_workspace_notes_search_by_keyword_and_by_meaning(runtime: Runtime) -> None:
    at = open_app(runtime, "screens/account.py")
    at.text_input(key="notes_query").set_value("trial").run()
    assert_clean(at)
    notes = next(d.value for d in at.dataframe if "Note" in d.value.columns)
    assert len(notes) > 0 and all("trial" in body.lower() for body in notes["Note"])
    at.toggle(key="notes_semantic").set_value(True).run()
    assert_clean(at)
    assert any(e.label.startswith("Matching notes (") for e in at.expander)


def test_workspace_compares_any_two_charter_versions_side_by_side(runtime: Runtime) -> None:
    at = open_app(runtime, "screens/account.py")
    at.toggle(key="charter_only_changed").set_value(False).run()
    assert_clean(at)
    page = texts(at)
    assert "purpose" in page and "(not in this version)" in page


# --- meeting --------------------------------------------------------------------------------------------


def test_meeting_brief_is_drafted_edited_and_exported(runtime: Runtime, dana: Actor) -> None:
    acme = account_id(runtime, dana, "Acme")
    people = {p.name: p.id for p in runtime.records.stakeholders.list(actor=dana, account_id=acme)}
    at = open_app(runtime, "screens/meeting.py")
    assert_clean(at)
    at.multiselect(key=f"meeting_people_{acme}").set_value([people["Angela Brooks"], people["Robert Feld"]]).run()
    at.button[0].click().run()
    assert_clean(at)
    assert at.subheader[0].value == "Meeting brief: Acme Real Estate Company"
    assert [t.label for t in at.tabs][1].startswith("Questions (")
    page = texts(at)
    assert "What changed since the last meeting" in page and "To Angela Brooks" in page and "Why:" in page
    markdown = at.text_area(key="meeting_markdown").value
    assert markdown.startswith("# Meeting brief: Acme Real Estate Company")
    assert [b.label for b in at.get("download_button")] == ["Download Markdown", "Download Word (.docx)"]
    at.text_area(key="meeting_markdown").set_value(markdown + "\n- My own note for the meeting.").run()
    assert_clean(at)
    assert "Both downloads include your edits." in texts(at)


def test_meeting_page_waits_for_a_draft(runtime: Runtime) -> None:
    at = open_app(runtime, "screens/meeting.py")
    assert_clean(at)
    assert "Choose the people and the date, then draft the brief." in [i.value for i in at.info]


# --- learn ----------------------------------------------------------------------------------------------


def submit(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()


def _learn(runtime: Runtime) -> AppTest:
    at = open_app(runtime, "screens/learn.py")
    assert_clean(at)
    return at


def test_learning_path_lists_six_modules_then_ten_keys(runtime: Runtime) -> None:
    at = _learn(runtime)
    options = at.radio(key="learn_lesson").options
    assert len(options) == 16
    assert "Module 1: Trust" in options[0] and "Key 10:" in options[-1]
    assert at.subheader[0].value.startswith("Module 1: Trust")


def test_quiz_submission_gives_feedback_and_saves_the_score(runtime: Runtime, dana: Actor) -> None:
    lesson = runtime.assistant.lesson("module-1-trust")
    at = _learn(runtime)
    for number, question in enumerate(lesson.quiz, start=1):
        at.radio(key=f"quiz-module-1-trust-{number}").set_value(question.answer)
    submit(at, "Check my answers")
    assert_clean(at)
    assert f"{len(lesson.quiz)} of {len(lesson.quiz)} correct." in [s.value for s in at.success]
    saved = {p.lesson_id: p for p in runtime.records.learning.progress(actor=dana)}
    assert saved["module-1-trust"].quiz_score == 1.0


def test_quiz_with_unanswered_questions_says_which(runtime: Runtime, dana: Actor) -> None:
    at = _learn(runtime)
    at.radio(key="quiz-module-1-trust-1").set_value(0)
    submit(at, "Check my answers")
    assert not at.exception
    assert "Answer every question first (still open: 2, 3)." in [e.value for e in at.error]
    assert runtime.records.learning.progress(actor=dana) == []


def test_exercise_feedback_lists_covered_and_missing_points_and_is_saved(runtime: Runtime, dana: Actor) -> None:
    lesson = runtime.assistant.lesson("module-1-trust")
    assert lesson.exercise is not None
    first_point = lesson.exercise.rubric[0]
    at = _learn(runtime)
    at.text_area(key="exercise-module-1-trust").set_value(f"My plan: {first_point.any_of[0]}.").run()
    at.button(key="grade-module-1-trust").click().run()
    assert_clean(at)
    page = texts(at)
    assert first_point.point in page and "Missing:" in page
    assert any(e.label == "Model answer" for e in at.expander)
    saved = {p.lesson_id: p for p in runtime.records.learning.progress(actor=dana)}
    assert saved["module-1-trust"].exercise_score is not None and saved["module-1-trust"].exercise_score > 0
    assert first_point.any_of[0] in (saved["module-1-trust"].exercise_answer or "")


def test_an_empty_exercise_answer_is_a_readable_error(runtime: Runtime, dana: Actor) -> None:
    at = _learn(runtime)
    at.button(key="grade-module-1-trust").click().run()
    assert not at.exception
    assert "answer must not be empty" in at.error[0].value.lower()
    assert runtime.records.learning.progress(actor=dana) == []


def test_mark_as_read_is_saved_and_shown(runtime: Runtime, dana: Actor) -> None:
    at = _learn(runtime)
    at.button(key="read-module-1-trust").click().run()
    assert_clean(at)
    assert [p.read for p in runtime.records.learning.progress(actor=dana)] == [True]
    assert any("Read" in m.value and "badge" in m.value for m in at.markdown)
    assert "Your path: 2% complete" in at.get("progress")[0].proto.text


def test_ask_the_coach_opens_the_chat_with_the_question_filled_in(runtime: Runtime) -> None:
    at = _learn(runtime)
    at.button(key="ask-module-1-trust").click().run()
    assert_clean(at)
    question = at.text_area(key="coach_prefill_text").value
    assert "Module 1: Trust" in question
    assert at.selectbox(key="coach_scope").value == 0


def test_uploaded_documents_are_added_to_the_library(runtime: Runtime) -> None:
    at = _learn(runtime)
    at.file_uploader(key="library_files").set_value(
        ("renewal-playbook.md", b"# Renewal playbook\n\nStart the next-phase talk two years out.\n", "text/markdown")
    ).run()
    at.button(key="library_add").click().run()
    assert_clean(at)
    assert any("1 added" in s.value for s in at.success)
    hits = runtime.retrieval.search("next-phase talk two years out", kinds=("document",))
    assert hits and "Renewal playbook" in (hits[0].excerpt or "") + hits[0].label


def test_pages_render_for_a_manager_who_sees_every_account(make_runtime: Callable[..., Runtime]) -> None:
    runtime = make_runtime(user_email="priya@beacon.example")
    manager = runtime.records.users.actor(email="priya@beacon.example", channel=Channel.UI)
    for page in (
        "screens/portfolio.py",
        "screens/account.py",
        "screens/coach.py",
        "screens/meeting.py",
        "screens/learn.py",
    ):
        at = open_app(runtime, page)
        assert_clean(at)
    assert len(runtime.records.accounts.list(actor=manager)) == 6
