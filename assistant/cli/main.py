"""Entry point of the `samcoach` command. Errors a user can cause end as one readable line and exit 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer
from pydantic import ValidationError

from assistant.cli import accounts, coach, knowledge, serve, users
from assistant.cli.context import CliContext, console, errors
from assistant.records.csv_import import CsvImporter, ImportKind
from assistant.records.errors import RecordsError

app = typer.Typer(
    name="samcoach",
    help="SAM Coach: keep strategic accounts healthy and get coached on the craft.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(accounts.app, name="accounts")
app.add_typer(users.app, name="users")
app.add_typer(coach.proposals_app, name="proposals")
for command in (knowledge.ingest, knowledge.reindex, knowledge.search):
    app.command()(command)
for command in (coach.chat, coach.brief, coach.assess, coach.charter, coach.review, coach.keys, serve.serve):
    app.command()(command)


@app.command(
    "eval", context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []}
)
def run_evals(ctx: typer.Context) -> None:
    """Run the eval suite: `samcoach eval run [--dataset NAME] ...` is `python -m evals run ...`."""
    # A separate process keeps the import direction one-way: evals uses assistant, never the reverse.
    raise typer.Exit(subprocess.call([sys.executable, "-m", "evals", *ctx.args]))


@app.command("index")
def build_index(ctx: typer.Context) -> None:
    """Build the curriculum and notes index (first start), reuse it afterwards."""
    knowledge.index(ctx.obj)


@app.callback()
def _root(
    ctx: typer.Context,
    as_user: str | None = typer.Option(None, "--as", help="act as this user (email); default SAMCOACH_USER_EMAIL"),
) -> None:
    ctx.obj = CliContext(user_email=as_user)


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the database or migrate it to the newest schema."""
    cli: CliContext = ctx.obj
    runtime = cli.runtime
    console.print(f"Database ready: {runtime.engine.url.render_as_string(hide_password=True)}")


@app.command()
def demo(
    ctx: typer.Context,
    if_empty: bool = typer.Option(False, "--if-empty", help="only load when the database has no accounts"),
) -> None:
    """Load the demo portfolio (idempotent: a second run creates nothing)."""
    from assistant.records.demo.loader import load_demo

    cli: CliContext = ctx.obj
    records = cli.runtime.records
    if if_empty and records.users.list():
        console.print("Database already has data; demo not loaded.")
        return
    report = load_demo(records)
    console.print(report.summary())


@app.command("import")
def import_csv(
    ctx: typer.Context,
    kind: ImportKind = typer.Argument(..., help="what the file holds"),
    path: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="CSV file (CRM export)"),
) -> None:
    """Import a CRM export. Bad rows are reported by line; good rows land; re-importing creates no duplicates."""

    cli: CliContext = ctx.obj
    report = CsvImporter(cli.runtime.records, cli.actor).run(kind, path)
    console.print(report.summary())
    for line, message in report.errors:
        errors.print(f"[red]{path.name}:{line}[/red] {message}")
    if not report.ok:
        raise typer.Exit(1)


def main() -> None:
    try:
        app()
    except RecordsError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        sys.exit(1)
    except ValidationError as exc:
        # Settings that cannot work (e.g. openai backend with no key) fail at start, naming the variable.
        errors.print(f"[red]configuration error:[/red] {exc}")
        sys.exit(2)
