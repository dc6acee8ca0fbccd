"""`samcoach chat|brief|assess|charter|review|keys|proposals`: the coach from the terminal."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import typer
from rich.markdown import Markdown
from rich.table import Table

from assistant.cli.context import CliContext, console, errors
from assistant.proposals.models import ProposalStatus
from assistant.records.errors import NotFound
from assistant.records.schemas import AccountOut

proposals_app = typer.Typer(help="Review the record changes the assistant proposed.", no_args_is_help=True)


class Trigger(StrEnum):
    new_stakeholder = "new_stakeholder"
    missed_metric = "missed_metric"
    annual_review = "annual_review"
    user_request = "user_request"


def _account(cli: CliContext, name: str) -> AccountOut:
    found = cli.runtime.records.accounts.find(actor=cli.actor, name=name)
    if found is None:
        raise NotFound("account", name)
    return found


def _backend_line(cli: CliContext) -> None:
    console.print(f"[dim]Backend: {cli.assistant.backend}[/dim]")


def chat(
    ctx: typer.Context,
    account: str | None = typer.Option(None, help="bind the conversation to one account"),
    message: str | None = typer.Option(None, "--message", "-m", help="ask one question and exit"),
) -> None:
    """Talk to the coach. Answers stream; tool activity, citations and proposals are shown as they happen."""
    cli: CliContext = ctx.obj
    assistant = cli.assistant
    account_id = _account(cli, account).id if account else None
    conversation = assistant.start_conversation(cli.actor, account_id=account_id)
    _backend_line(cli)
    if message is None:
        console.print("Ask about an account or the craft. Empty line or Ctrl-D to leave.")
    while True:
        text = message if message is not None else _prompt()
        if not text:
            return
        for event in assistant.chat(cli.actor, conversation.id, text):
            if event.type == "token":
                console.print(event.text, end="", markup=False, highlight=False)
            elif event.type == "tool_start":
                console.print(f"[dim]… {event.label}[/dim]")
            elif event.type == "tool_end":
                console.print(f"[dim]  ✓ {event.summary}[/dim]")
            elif event.type == "proposal":
                console.print(
                    f"\n[yellow]Proposal #{event.proposal.id}[/yellow] {event.proposal.summary} "
                    f"— `samcoach proposals approve {event.proposal.id}`"
                )
            elif event.type == "flagged":
                console.print(f"\n[red]Flagged[/red] {event.citation.label}: contains instructions, ignored")
            elif event.type == "error":
                errors.print(f"\n[red]{event.message}[/red]")
            elif event.type == "done":
                console.print()
                for citation in event.message.citations:
                    console.print(f"[dim]  [{citation.ref}] {citation.label}[/dim]")
        if message is not None:
            return


def _prompt() -> str:
    try:
        return console.input("[bold]you>[/bold] ").strip()
    except EOFError:
        return ""


def brief(
    ctx: typer.Context,
    account: str = typer.Argument(...),
    with_: list[str] = typer.Option([], "--with", help="stakeholder attending (repeat)"),
    on: str | None = typer.Option(None, help="meeting date YYYY-MM-DD"),
) -> None:
    """Prepare a meeting: what changed, risks, and questions to ask each stakeholder, all cited."""
    cli: CliContext = ctx.obj
    found = _account(cli, account)
    people = cli.runtime.records.stakeholders.list(actor=cli.actor, account_id=found.id)
    ids = []
    for name in with_:
        match = [p for p in people if name.lower() in p.name.lower()]
        if len(match) != 1:
            raise typer.BadParameter(f"no single stakeholder matches {name!r}", param_hint="--with")
        ids.append(match[0].id)
    meeting = date.fromisoformat(on) if on else None
    draft = cli.assistant.meeting_brief(cli.actor, found.id, stakeholder_ids=ids or None, meeting_date=meeting)
    _print_draft(cli, draft)


def assess(ctx: typer.Context, account: str = typer.Argument(...)) -> None:
    """Assess relationship health from the evidence; saved as a proposal for you to approve."""
    cli: CliContext = ctx.obj
    draft, proposal = cli.assistant.health_assessment(cli.actor, _account(cli, account).id)
    _print_draft(cli, draft)
    if proposal is not None:
        console.print(f"[yellow]Saved as proposal #{proposal.id}[/yellow]: `samcoach proposals approve {proposal.id}`")


def charter(
    ctx: typer.Context,
    account: str = typer.Argument(...),
    trigger: Trigger = typer.Option(Trigger.user_request, help="why revise"),
    request: str | None = typer.Option(None, help="what you want changed"),
) -> None:
    """Draft the next charter version with a clause-by-clause diff; saved as a proposal."""
    cli: CliContext = ctx.obj
    draft, proposal = cli.assistant.charter_revision(
        cli.actor, _account(cli, account).id, trigger=trigger.value, request=request
    )
    _print_draft(cli, draft)
    if proposal is not None:
        console.print(f"[yellow]Saved as proposal #{proposal.id}[/yellow]: `samcoach proposals approve {proposal.id}`")


def review(ctx: typer.Context, account: str = typer.Argument(...)) -> None:
    """Draft a quarterly account review."""
    cli: CliContext = ctx.obj
    _print_draft(cli, cli.assistant.quarterly_review(cli.actor, _account(cli, account).id))


def keys(ctx: typer.Context, account: str | None = typer.Argument(None, help="omit for the whole portfolio")) -> None:
    """Review an account plan (or the portfolio) against the ten keys of strategic account planning."""
    cli: CliContext = ctx.obj
    account_id = _account(cli, account).id if account else None
    _print_draft(cli, cli.assistant.ten_keys_review(cli.actor, account_id))


def _print_draft(cli: CliContext, draft: object) -> None:
    from assistant.drafting.render import to_markdown

    _backend_line(cli)
    console.print(Markdown(to_markdown(draft)))


@proposals_app.command("list")
def list_proposals(ctx: typer.Context, all_: bool = typer.Option(False, "--all", help="include decided ones")) -> None:
    cli: CliContext = ctx.obj
    status = None if all_ else ProposalStatus.PENDING
    table = Table(title="Proposals")
    for column in ("Id", "Account", "Kind", "Status", "Summary"):
        table.add_column(column)
    names = {a.id: a.name for a in cli.runtime.records.accounts.list(actor=cli.actor, limit=10_000)}
    for p in cli.assistant.list_proposals(cli.actor, status=status):
        table.add_row(str(p.id), names.get(p.account_id, "?"), p.kind.value, p.status.value, p.summary)
    console.print(table)


@proposals_app.command("approve")
def approve(ctx: typer.Context, proposal_id: int = typer.Argument(...)) -> None:
    cli: CliContext = ctx.obj
    result = cli.assistant.approve(cli.actor, proposal_id)
    if result.status is ProposalStatus.FAILED:
        errors.print(f"[red]Proposal #{proposal_id} could not be applied:[/red] {result.error}")
        raise typer.Exit(1)
    console.print(f"Proposal #{proposal_id} applied: {result.summary}")


@proposals_app.command("reject")
def reject(ctx: typer.Context, proposal_id: int = typer.Argument(...), reason: str = typer.Option("")) -> None:
    cli: CliContext = ctx.obj
    cli.assistant.reject(cli.actor, proposal_id, reason)
    console.print(f"Proposal #{proposal_id} rejected; nothing changed.")
