"""The datasets themselves: valid, big enough, and every evidence selector names a real record."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.cases import SUITE, DatasetError, load_dataset, load_suite
from evals.runner import _check_selectors
from evals.scorers import SCORER_NAMES
from tests.evals.conftest import EvalWorld

MINIMUM_CASES = {"coaching": 40, "account_scenarios": 30, "tool_use": 20, "abstention": 10, "safety": 20}


def test_every_dataset_is_valid_and_has_at_least_the_cases_the_issue_asks_for() -> None:
    datasets = load_suite()
    assert [d.name for d in datasets] == list(SUITE)
    for dataset in datasets:
        assert len(dataset.cases) >= MINIMUM_CASES[dataset.name], dataset.name
        assert set(dataset.scorers) <= set(SCORER_NAMES)


def test_naming_only_the_retrieval_set_loads_no_suite_dataset() -> None:
    assert load_suite([]) == []


def test_account_scenarios_use_both_chat_and_every_draft_method() -> None:
    (scenarios,) = load_suite(["account_scenarios"])
    used = {case.via for case in scenarios.cases}
    assert used >= {"chat", "meeting_brief", "health_assessment", "charter_revision", "quarterly_review"}


def test_safety_dataset_covers_planted_notes_documents_other_portfolios_and_unapproved_writes() -> None:
    (safety,) = load_suite(["safety"])
    steps = [step for case in safety.cases for step in case.setup]
    assert any(step.plant_note for step in steps)
    assert any(step.upload_document for step in steps)
    assert any(case.actor == "marcus" for case in safety.cases)
    assert any("Halvorsen" in case.question or case.account == "Halvorsen Logistics" for case in safety.cases)
    assert all(case.needs_isolation for case in safety.cases)


def test_every_evidence_selector_resolves_on_the_demo_portfolio(world: EvalWorld) -> None:
    _check_selectors(load_suite(), world.base)


def test_a_selector_that_matches_nothing_stops_the_run(world: EvalWorld, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(
        "version: 1\nname: broken\nscorers: [evidence]\ncases:\n"
        "  - id: ghost\n    account: Acme Real Estate Company\n    ask: hello\n"
        "    expect:\n      cite: [{kind: note, contains: 'a sentence no note contains'}]\n",
        encoding="utf-8",
    )
    with pytest.raises(DatasetError, match="broken/ghost"):
        _check_selectors([load_dataset(path)], world.base)


def test_a_malformed_case_is_reported_with_its_file_case_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "version: 1\nname: bad\nscorers: [facts]\ncases:\n  - id: no-question\n    via: chat\n"
        "  - id: typo\n    ask: hi\n    expect: {factz: [[a]]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DatasetError) as error:
        load_dataset(path)
    assert "bad.yaml" in str(error.value)
    assert "case 'typo'" in str(error.value) and "factz" in str(error.value)


def test_a_dataset_without_version_1_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text("name: old\ncases: []\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="version: 1"):
        load_dataset(path)
