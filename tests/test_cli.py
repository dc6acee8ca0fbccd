"""The `samcoach` command: clear errors, non-zero exits, idempotent imports."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli.main import app
from assistant.settings import get_settings

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("SAMCOACH_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SAMCOACH_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def run(cli: CliRunner, *args: str) -> tuple[int, str]:
    result = cli.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_help_lists_every_command(cli: CliRunner) -> None:
    code, out = run(cli, "--help")
    assert code == 0
    for command in ("init", "demo", "import", "accounts", "users"):
        assert command in out


def test_init_creates_the_database(cli: CliRunner, tmp_path: Path) -> None:
    code, out = run(cli, "init")
    assert code == 0 and "Database ready" in out
    assert (tmp_path / "var" / "samcoach.db").exists()


def test_import_reports_bad_rows_by_line_lands_good_rows_and_is_idempotent(cli: CliRunner, tmp_path: Path) -> None:
    run(cli, "init")
    assert run(cli, "users", "create", "Dana Reyes", "dana@beacon.example")[0] == 0
    files = {kind: shutil.copy(EXAMPLES / f"{kind}.csv", tmp_path / f"{kind}.csv") for kind in ("accounts",)}
    result = cli.invoke(app, ["import", "accounts", str(files["accounts"])])
    assert result.exit_code == 1
    assert "1 created" in result.output and "2 rejected" in result.output

    for kind in ("stakeholders", "notes"):
        result = cli.invoke(app, ["import", kind, str(EXAMPLES / f"{kind}.csv")])
        assert result.exit_code == 1, result.output
        assert "1 rejected" in result.output

    again = cli.invoke(app, ["import", "accounts", str(files["accounts"])])
    assert "0 created" in again.output and "1 unchanged" in again.output
    for kind, expected in (("stakeholders", "3 unchanged"), ("notes", "2 unchanged")):
        result = cli.invoke(app, ["import", kind, str(EXAMPLES / f"{kind}.csv")])
        assert "0 created" in result.output and expected in result.output

    code, out = run(cli, "accounts", "list")
    assert code == 0 and "Borealis" in out
    code, out = run(cli, "accounts", "show", "borealis")
    assert code == 0 and "Elena Varga" in out and "cold-chain" in out


def test_import_error_lines_name_the_field(cli: CliRunner) -> None:
    run(cli, "init")
    run(cli, "users", "create", "Dana Reyes", "dana@beacon.example")
    result = CliRunner().invoke(app, ["import", "accounts", str(EXAMPLES / "accounts.csv")])
    assert "accounts.csv:3" in result.output and "annual_revenue" in result.output
    assert "accounts.csv:4" in result.output and "contract_end" in result.output


def test_unknown_account_exits_non_zero_with_one_line(cli: CliRunner) -> None:
    from assistant.cli.main import main

    run(cli, "init")
    run(cli, "users", "create", "Dana Reyes", "dana@beacon.example")
    with pytest.raises(SystemExit) as exit_info:
        import sys

        argv, sys.argv = sys.argv, ["samcoach", "accounts", "show", "no such account"]
        try:
            main()
        finally:
            sys.argv = argv
    assert exit_info.value.code == 1


def test_unknown_user_is_a_clear_error(cli: CliRunner) -> None:
    run(cli, "init")
    result = cli.invoke(app, ["--as", "nobody@example.com", "accounts", "list"])
    assert result.exit_code != 0
    assert "nobody@example.com" in str(result.exception)
