"""`samcoach index|ingest|reindex|search`: the curriculum index, users' own documents, and note sync."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.cli.context import CliContext, console, errors


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    with Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True
    ) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def index(cli: CliContext) -> None:
    """Build the curriculum and notes index if needed; cheap when nothing changed."""
    retrieval = cli.runtime.retrieval
    with progress_bar("Indexing the curriculum") as advance:
        report = retrieval.sync_curriculum(progress=advance)
    console.print(
        f"Curriculum index: {len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.removed)} removed"
    )
    for source, reason in report.skipped:
        errors.print(f"[yellow]skipped[/yellow] {source}: {reason}")
    notes = cli.runtime.records.notes.all_for_reindex()
    if retrieval.indexed_notes() != len(notes):
        with progress_bar("Indexing account notes") as advance:
            count = retrieval.rebuild_notes(notes, progress=advance)
        console.print(f"Notes index: {count} notes")


def ingest(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="files or folders: Markdown, text, PDF, DOCX"),
) -> None:
    """Add your own material to the library. Unsupported or corrupt files are named and skipped."""
    cli: CliContext = ctx.obj
    with progress_bar("Ingesting") as advance:
        report = cli.runtime.retrieval.ingest(paths, progress=advance)
    console.print(
        f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed, {len(report.skipped)} skipped ({report.chunks_written} chunks written)"
    )
    for source, reason in report.skipped:
        errors.print(f"[yellow]skipped[/yellow] {source}: {reason}")


def reindex(ctx: typer.Context) -> None:
    """Rebuild the notes index from the database (the source of truth) and re-sync the curriculum."""
    cli: CliContext = ctx.obj
    notes = cli.runtime.records.notes.all_for_reindex()
    with progress_bar("Reindexing notes") as advance:
        count = cli.runtime.retrieval.rebuild_notes(notes, progress=advance)
    console.print(f"Notes index rebuilt: {count} notes")
    index(cli)


def search(
    ctx: typer.Context,
    query: str = typer.Argument(...),
    k: int = typer.Option(5, min=1, max=50),
    account: str | None = typer.Option(None, help="limit note results to this account"),
) -> None:
    """Search the curriculum, your documents and the notes of your accounts, with citations."""
    cli: CliContext = ctx.obj
    account_id = None
    if account:
        found = cli.runtime.records.accounts.find(actor=cli.actor, name=account)
        if found is None:
            raise typer.BadParameter(f"no account matching {account!r} in your portfolio", param_hint="--account")
        account_id = found.id
    for citation in cli.assistant.search(cli.actor, query, k=k, account_id=account_id):
        console.print(f"[bold]{citation.label}[/bold] [dim]({citation.ref})[/dim]")
        console.print(f"  {(citation.excerpt or '').strip()[:300]}")
