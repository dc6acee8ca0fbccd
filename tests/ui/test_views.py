"""The UI's plain modules without Streamlit: view models from demo data, figures, the chat-turn fold, exports."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest

from assistant.agent.events import (
    CitationEvent,
    DoneEvent,
    ErrorEvent,
    FlaggedEvent,
    TokenEvent,
    ToolEndEvent,
    ToolStartEvent,
)
from assistant.citations import Citation, SourceKind
from assistant.conversations.models import MessageRole
from assistant.conversations.service import MessageOut
from assistant.records.actor import Actor
from assistant.records.enums import Assessor, HealthStatus, Zone
from assistant.records.schemas import HealthAssessmentOut, ZoneScoreOut
from assistant.records.services.learning import ProgressOut
from assistant.runtime import Runtime
from assistant.settings import LLMSettings
from tests.ui.conftest import TODAY, account_id
from ui import charts, views
from ui.chat import TurnLog, activity_line, number_refs
from ui.exports import markdown_to_docx


def assessment(
    day: date, overall: str, scores: tuple[int, int, int, int], assessor: str = "sam_leader"
) -> HealthAssessmentOut:
    return HealthAssessmentOut(
        id=hash((day, assessor)) % 10_000,
        account_id=1,
        assessed_on=day,
        overall=HealthStatus(overall),
        assessor=Assessor(assessor),
        assessor_name="",
        summary="",
        zones=[ZoneScoreOut(zone=z, score=s, rationale="") for z, s in zip(Zone, scores, strict=True)],
        evidence=[],
    )


# --- health and portfolio -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("history", "trend"),
    [
        ([], "no assessment"),
        ([assessment(date(2026, 5, 1), "strong", (4, 4, 4, 4))], "first assessment"),
        (
            [
                assessment(date(2026, 8, 1), "vulnerable", (4, 3, 2, 2)),
                assessment(date(2026, 5, 1), "strong", (4, 4, 4, 4)),
            ],
            "worsening",
        ),
        (
            [
                assessment(date(2026, 8, 1), "strong", (5, 5, 4, 4)),
                assessment(date(2026, 5, 1), "strong", (4, 4, 4, 4)),
            ],
            "improving",
        ),
        (
            [
                assessment(date(2026, 8, 1), "strong", (4, 4, 4, 4), "customer"),
                assessment(date(2026, 7, 1), "damaged", (1, 1, 1, 1)),
                assessment(date(2026, 5, 1), "damaged", (1, 1, 1, 1)),
            ],
            "steady",
        ),
    ],
)
def test_trend_compares_our_latest_two_assessments_and_ignores_the_customers(
    history: list[HealthAssessmentOut], trend: str
) -> None:
    assert views.health_trend(history) == trend


def test_portfolio_frame_and_zone_matrix_from_the_demo(runtime: Runtime, dana: Actor) -> None:
    accounts = runtime.records.accounts.list(actor=dana)
    history = {a.id: runtime.records.health.list(actor=dana, account_id=a.id) for a in accounts}
    warnings = {a.id: runtime.assistant.early_warnings(dana, a.id) for a in accounts}
    frame = views.portfolio_frame(accounts, history, warnings, today=TODAY)
    acme = frame.set_index("Account").loc["Acme Real Estate Company"]
    assert acme["Health"] == "vulnerable" and acme["Trend"] == "▼ worsening"
    assert acme["Months left"] == 20 and acme["Warnings"] == 3 and acme["High"] == 1
    table = views.portfolio_table(frame)
    assert table.set_index("Account").loc["Northgate Health System", "Warnings"] == "4 (3 high)"
    matrix = views.zone_matrix(accounts, history)
    assert list(matrix.columns) == ["Value", "Alignment", "Relationships", "Growth"]
    assert matrix.loc["Acme Real Estate Company"].tolist() == [4, 3, 2, 2]
    solara = warnings[account_id(runtime, dana, "Solara")]
    assert [label for label, _ in views.flag_badges(solara)] == ["Silent sponsor", "Customer/our gap"]


def test_contract_timeline_shades_the_last_24_months_of_each_contract(runtime: Runtime, dana: Actor) -> None:
    acme = runtime.records.accounts.get(actor=dana, account_id=account_id(runtime, dana, "Acme"))
    frame = views.contract_timeline_frame([acme])
    assert frame["Phase"].tolist() == ["Contract term", "Renewal window (24 months)"]
    window = frame.iloc[1]
    assert window["End"] == acme.contract_end and window["Start"] == views.add_months(acme.contract_end, -24)
    figure = charts.contract_timeline(frame, TODAY)
    assert {trace.name for trace in figure.data} == {"Contract term", "Renewal window (24 months)"}


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 7, 27), -24, date(2026, 7, 27)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_the_month_end(day: date, months: int, expected: date) -> None:
    assert views.add_months(day, months) == expected


def test_months_until_counts_whole_months() -> None:
    assert views.months_until(date(2026, 11, 23), date(2028, 7, 27)) == 20
    assert views.months_until(date(2026, 11, 23), date(2026, 12, 22)) == 0
    assert views.months_until(date(2026, 11, 23), None) is None


# --- workspace ------------------------------------------------------------------------------------------


def test_stakeholder_views_split_the_map_the_team_and_the_leavers(runtime: Runtime, dana: Actor) -> None:
    people = runtime.records.stakeholders.list(
        actor=dana, account_id=account_id(runtime, dana, "Acme"), include_inactive=True
    )
    frame = views.stakeholder_frame(people)
    assert "Carla Mendes" not in set(frame["Name"]) and "Dana Reyes" not in set(frame["Name"])
    assert frame.set_index("Name").loc["Helen Ortiz", "Stance"] == "sponsor"
    assert views.departed_lines(people) == [
        "**Carla Mendes** (Site Manager, Acme Plaza (flagship)) left 2026-11-01, replaced by Kevin O'Brien; "
        "was a supporter"
    ]
    assert any(line.startswith("**Luis Moreno**") for line in views.team_lines(people))
    figure = charts.stakeholder_map(frame)
    stances = {t.name for t in figure.data if t.meta == "stance"}
    owners = {t.name for t in figure.data if t.meta == "owner"}
    assert stances == {"sponsor", "supporter", "neutral"} and owners == {"Dana Reyes", "Luis Moreno"}
    people = [t for t in figure.data if t.meta == "people"]
    assert sum(len(t.x) for t in people) == len(frame)
    helen = next(t for t in people if "Helen Ortiz" in t.text)
    assert helen.marker.color == charts.STANCE_COLOURS["sponsor"]


def test_people_sharing_a_grid_cell_are_fanned_out(runtime: Runtime, dana: Actor) -> None:
    people = runtime.records.stakeholders.list(actor=dana, account_id=account_id(runtime, dana, "Northgate"))
    frame = views.stakeholder_frame(people)
    figure = charts.stakeholder_map(frame)
    points = [(x, y) for t in figure.data if t.meta == "people" for x, y in zip(t.x, t.y, strict=True)]
    assert len(set(points)) == len(points)


def test_charter_views_compare_versions_clause_by_clause(runtime: Runtime, dana: Actor) -> None:
    acme = account_id(runtime, dana, "Acme")
    v1, v2 = runtime.records.charters.list_versions(actor=dana, account_id=acme)[:2]
    side = views.charter_side_by_side(v1, v2).set_index("Clause")
    assert side.loc["target: tenant satisfaction"].tolist() == ["changed", "80 score /100", "85 score /100"]
    assert side.loc["purpose", "Change"] == ""
    diff = views.diff_frame(runtime.records.charters.diff(actor=dana, account_id=acme, from_version=1, to_version=2))
    assert len(diff) == 11 and set(diff["Change"]) == {"changed", "added"}
    assert all(clause.endswith("…") for clause in diff["Clause"] if clause.startswith("commitment"))
    signatories = views.signatory_frame(v2)
    assert signatories["Approval"].str.startswith("approved").all()
    assert views.review_status(v2, TODAY) == ("warning", "Next review due 2026-12-23 (in 30 days).")


def test_metric_frame_marks_each_reading_against_the_target(runtime: Runtime, dana: Actor) -> None:
    series = runtime.records.metrics.series(actor=dana, account_id=account_id(runtime, dana, "Northgate"))
    meals = next(s for s in series if s.periods_below_target() >= 2)
    frame = views.metric_frame(meals)
    assert frame["On target"].tolist()[-2:] == [False, False]
    assert "below target" in views.metric_caption(meals)
    figure = charts.metric_chart(frame, title=meals.metric.name, unit=meals.metric.unit, target=meals.target)
    assert figure.layout.shapes[0].y0 == meals.target
    assert figure.data[0].marker.color[-1] == "#c62828"


def test_plan_views_flag_overdue_actions_and_map_whitespace(runtime: Runtime, dana: Actor) -> None:
    acme = account_id(runtime, dana, "Acme")
    people = runtime.records.stakeholders.list(actor=dana, account_id=acme)
    actions = views.actions_frame(runtime.records.actions.list_open(actor=dana, account_id=acme), people, TODAY)
    assert actions.set_index("Owner")["Status"].str.contains("overdue").any()
    opportunities = runtime.records.opportunities.list(actor=dana, account_id=acme)
    grid = views.whitespace_frame(opportunities, people, ["Food & Nutrition"])
    assert grid.loc["Property Operations", "Valet & Mobility"] == "proposed · $240K"
    assert grid.loc["Finance", "Food & Nutrition"] == "", "an offering nobody buys there is whitespace"


def test_health_history_separates_our_view_from_the_customers(runtime: Runtime, dana: Actor) -> None:
    history = runtime.records.health.list(actor=dana, account_id=account_id(runtime, dana, "Solara"))
    frame = views.health_history_frame(history)
    assert set(frame["View"]) == {"Our view", "Customer's view"}
    assert list(frame["Date"]) == sorted(frame["Date"])
    comparison = views.zone_comparison_frame(history)
    assert len(comparison) == 8
    figure = charts.health_history_chart(frame)
    assert {t.name for t in figure.data} == {"Our view", "Customer's view"}
    assert list(figure.layout.yaxis.ticktext) == ["damaged", "vulnerable", "strong"]


# --- chat -----------------------------------------------------------------------------------------------


def _citation(kind: str, record: str) -> Citation:
    return Citation(kind=SourceKind(kind), id=record, label=f"{kind} {record}")


def test_refs_become_footnote_numbers_in_order_of_first_mention() -> None:
    note, account, unused = _citation("note", "12"), _citation("account", "3"), _citation("note", "99")
    text, ordered = number_refs(
        "Renewal is overdue [account:3] as noted [note:12] [account:3] and [note:7].", [note, account, unused]
    )
    assert text == "Renewal is overdue [1] as noted [2][1] and [note:7]."
    assert ordered == [account, note, unused]


def test_turn_log_folds_the_event_stream() -> None:
    passage = _citation("curriculum", "guide-partnership-charter")
    message = MessageOut(
        id=5,
        role=MessageRole.ASSISTANT,
        content="Done.",
        tool_calls=[],
        citations=[],
        proposal_ids=[],
        backend="x",
        tokens_in=0,
        tokens_out=0,
        latency_ms=0,
        error=None,
        created_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
    )
    log = TurnLog()
    streamed = [
        log.feed(event)
        for event in [
            ToolStartEvent(name="search_curriculum", label="searching the curriculum"),
            ToolEndEvent(name="search_curriculum", summary="read 4 passages", duration_ms=230),
            CitationEvent(citation=passage),
            FlaggedEvent(citation=passage),
            TokenEvent(text="Done."),
            DoneEvent(message=message),
        ]
    ]
    assert streamed == [None, None, None, None, "Done.", None]
    assert log.activity == ["searching the curriculum → read 4 passages (0.2 s)"]
    assert log.citations == [passage] and log.flagged == [passage] and log.message == message
    assert log.status_label == "Done: 1 step"
    log.feed(ErrorEvent(message="The model is not answering.", retryable=True))
    assert log.error == "The model is not answering." and log.status_label.startswith("The coach could not")


def test_activity_line_names_unknown_tools_readably() -> None:
    assert activity_line("fetch_weather_report", "") == "fetch weather report"


# --- learning and sidebar -------------------------------------------------------------------------------


def test_learning_path_orders_modules_then_keys_with_progress(runtime: Runtime) -> None:
    progress = [
        ProgressOut(lesson_id="module-1-trust", read=True, quiz_score=1.0, exercise_score=0.5, exercise_answer="x"),
        ProgressOut(
            lesson_id="key-03-strategic-relationships",
            read=True,
            quiz_score=None,
            exercise_score=None,
            exercise_answer=None,
        ),
    ]
    steps = views.learning_path(runtime.assistant.lessons(), progress)
    assert [s.kind for s in steps] == ["module"] * 6 + ["key"] * 10
    assert [s.number for s in steps[:6]] == [1, 2, 3, 4, 5, 6]
    assert steps[0].state == "done" and steps[8].state == "started" and steps[1].state == "not started"
    assert steps[0].short_title == "Module 1: Trust"
    assert all(len(s.short_title) <= 41 for s in steps)
    assert views.path_completion(steps) == pytest.approx(4 / 48)
    assert views.path_frame(steps).iloc[0].tolist() == ["Module 1: Trust", "done", "yes", "100%", "50%"]


@pytest.mark.parametrize(
    ("llm", "label", "kind", "model"),
    [
        (LLMSettings(), "offline (embedded grounded composer, no generative model)", "Offline", None),
        (
            LLMSettings(provider="openai", base_url="http://127.0.0.1:11434/v1", model="llama3.1"),
            "x",
            "Local model",
            "llama3.1",
        ),
        (
            LLMSettings(provider="openai", api_key="sk-test", model="gpt-4o-mini"),
            "x",
            "OpenAI-compatible",
            "gpt-4o-mini",
        ),
        (LLMSettings(), "scripted test model", "Scripted test model", None),
    ],
)
def test_backend_view_says_which_backend_answers(llm: LLMSettings, label: str, kind: str, model: str | None) -> None:
    shown = views.backend_view(llm, label)
    assert (shown.kind, shown.model) == (kind, model)


# --- exports --------------------------------------------------------------------------------------------


def test_edited_markdown_exports_as_a_word_document() -> None:
    from docx import Document

    data = markdown_to_docx(
        "# Meeting brief: Acme\n\n_Generated today_\n\n## Questions\n\n"
        "- Ask **Helen** first [1]\n\n1. note 12\n\nPlain line."
    )
    document = Document(io.BytesIO(data))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Title", "Meeting brief: Acme") in paragraphs
    assert ("Heading 1", "Questions") in paragraphs
    assert ("List Bullet", "Ask Helen first [1]") in paragraphs
    assert ("List Number", "note 12") in paragraphs
    assert document.paragraphs[1].runs[0].italic


def test_citation_titles_name_the_kind_and_date_once() -> None:
    note = Citation(kind=SourceKind.NOTE, id="3", label="note 3, 2026-11-02", date=date(2026, 11, 2))
    charter = Citation(kind=SourceKind.CHARTER, id="7", label="Acme charter v2", date=date(2025, 12, 23))
    assert views.citation_title(note) == "note 3, 2026-11-02 (note)"
    assert views.citation_title(charter) == "Acme charter v2 (charter · 2025-12-23)"
    assert views.citation_source(Citation(kind=SourceKind.CURRICULUM, id="k", label="k")) == "curriculum passage"
