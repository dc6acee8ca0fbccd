"""The coach from the terminal: chat, drafts, proposals, knowledge — offline, on the demo portfolio."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli.main import app
from assistant.settings import get_settings


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CliRunner]:
    data = tmp_path_factory.mktemp("cli-coach")
    patch = pytest.MonkeyPatch()
    patch.setenv("SAMCOACH_DATA_DIR", str(data))
    patch.setenv("SAMCOACH_EMBEDDING__PROVIDER", "hash")
    patch.setenv("COLUMNS", "200")
    patch.delenv("SAMCOACH_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    runner = CliRunner()
    for args in (["init"], ["demo"]):
        assert runner.invoke(app, args, catch_exceptions=False).exit_code == 0
    yield runner
    get_settings.cache_clear()
    patch.undo()


def ok(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_chat_one_shot_builds_the_index_and_answers_with_citations(cli: CliRunner) -> None:
    out = ok(cli, "chat", "-m", "What belongs in a partnership charter?")
    assert "Backend: offline" in out
    assert "searching the curriculum" in out
    assert "[curriculum:" in out


def test_brief_review_and_keys_render_cited_drafts(cli: CliRunner) -> None:
    brief = ok(cli, "brief", "acme", "--with", "Helen")
    assert "Meeting brief" in brief and "Questions to ask" in brief and "Helen Ortiz" in brief
    assert "Quarterly" in ok(cli, "review", "solara")
    assert "Key 1" in ok(cli, "keys", "riverbend")


def test_assessment_is_a_proposal_until_approved(cli: CliRunner) -> None:
    out = ok(cli, "assess", "northgate")
    proposal_id = re.search(r"proposal #(\d+)", out)
    assert proposal_id is not None
    assert proposal_id.group(1) in ok(cli, "proposals", "list")
    assert "applied" in ok(cli, "proposals", "approve", proposal_id.group(1))
    again = cli.invoke(app, ["proposals", "approve", proposal_id.group(1)])
    assert again.exit_code != 0 and "already applied" in str(again.exception)


def test_ingest_search_and_reindex(cli: CliRunner, tmp_path: Path) -> None:
    playbook = tmp_path / "playbook.md"
    playbook.write_text("# Escalation playbook\n\n## Fleet outage\nCall the duty manager within 15 minutes.\n")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    result = cli.invoke(app, ["ingest", str(playbook), str(tmp_path / "broken.pdf")])
    assert "1 added" in result.output and "1 skipped" in result.output and "broken.pdf" in result.output
    assert "Escalation playbook" in ok(cli, "search", "duty manager fleet outage")
    assert "Notes index rebuilt" in ok(cli, "reindex")
