"""`samcoach accounts ...`: the portfolio at a glance and one account in depth."""

from __future__ import annotations

import typer
from rich.table import Table

from assistant.cli.context import CliContext, console
from assistant.cli.formatting import health, money, months_until
from assistant.clock import today
from assistant.records.enums import Assessor
from assistant.records.errors import NotFound

app = typer.Typer(help="List and inspect the accounts in your portfolio.", no_args_is_help=True)


@app.command("list")
def list_accounts(
    ctx: typer.Context,
    query: str | None = typer.Option(None, "--query", "-q", help="filter by name"),
    industry: str | None = typer.Option(None, help="filter by industry"),
) -> None:
    """Every account in your portfolio with owner, contract end and latest health."""
    cli: CliContext = ctx.obj
    summaries = cli.runtime.records.accounts.list(actor=cli.actor, query=query, industry=industry, limit=1000)
    table = Table(title=f"Portfolio of {cli.actor.name}")
    for column in ("Account", "Industry", "Owner", "Revenue", "Gross profit", "Contract end", "Strategic?", "Health"):
        table.add_column(column)
    now = today()
    for a in summaries:
        table.add_row(
            a.name,
            a.industry,
            a.owner_name,
            money(a.annual_revenue),
            money(a.gross_profit),
            months_until(a.contract_end, now),
            "mutual" if a.mutual_agreement else "[yellow]not agreed[/yellow]",
            health(a.latest_health),
        )
    console.print(table)
    if not summaries:
        console.print("No accounts yet: `samcoach demo` loads the demo portfolio, `samcoach import` loads a CSV.")


@app.command("show")
def show_account(
    ctx: typer.Context, name: str = typer.Argument(..., help="account name (a unique part will do)")
) -> None:
    """One account: overview, stakeholders, charter and metrics, health, actions, opportunities, notes."""
    cli: CliContext = ctx.obj
    records, actor, now = cli.runtime.records, cli.actor, today()
    found = records.accounts.find(actor=actor, name=name)
    if found is None:
        raise NotFound("account", name)
    account = records.accounts.get(actor=actor, account_id=found.id)
    console.rule(f"[bold]{account.name}[/bold]")
    console.print(
        f"{account.industry} · tier {account.tier} · revenue {money(account.annual_revenue)} · "
        f"gross profit {money(account.gross_profit)} · growth potential {account.growth_potential}/5"
    )
    console.print(
        f"Contract {account.contract_start or '-'} → {months_until(account.contract_end, now)} · "
        f"customer agrees it is strategic: {'yes' if account.mutual_agreement else '[yellow]no[/yellow]'} · "
        f"executive sponsor: {account.executive_sponsor or '-'}"
    )

    people = Table(title="Stakeholders")
    for column in ("Name", "Title", "Side", "Role", "Power", "Interest", "Stance", "Last contact", "Owner"):
        people.add_column(column)
    for s in records.stakeholders.list(actor=actor, account_id=account.id):
        people.add_row(
            s.name,
            s.title or "",
            s.side.value,
            s.decision_role.value if s.decision_role else "",
            str(s.power),
            str(s.interest),
            s.stance.value,
            str(s.last_contact_on or "-"),
            s.owner_name or "-",
        )
    console.print(people)

    charter = records.charters.current(actor=actor, account_id=account.id)
    if charter is None:
        console.print("[yellow]No signed partnership charter.[/yellow]")
    else:
        console.print(
            f"Charter v{charter.version} ({charter.status.value}) effective {charter.effective_on}, "
            f"next review due {charter.next_review_due}"
        )
    all_series = records.metrics.series(actor=actor, account_id=account.id)
    metrics = Table(title="Key success metrics")
    for column in ("Metric", "Target", "Latest", "Period", "On target?"):
        metrics.add_column(column)
    for series in all_series:
        latest = series.latest
        verdict = series.on_target(latest.value) if latest else None
        metrics.add_row(
            series.metric.name,
            f"{series.target:g} {series.metric.unit}" if series.target is not None else "-",
            f"{latest.value:g}" if latest else "-",
            latest.period if latest else "-",
            "-" if verdict is None else ("yes" if verdict else "[red]no[/red]"),
        )
    if all_series:
        console.print(metrics)

    for assessor in (Assessor.SAM_LEADER, Assessor.CUSTOMER):
        latest_health = records.health.list(actor=actor, account_id=account.id, assessor=assessor, limit=1)
        if latest_health:
            h = latest_health[0]
            zones = ", ".join(f"{z.zone.value} {z.score}" for z in h.zones)
            console.print(f"Health ({assessor.value}, {h.assessed_on}): {health(h.overall)} · {zones}")

    actions = records.actions.list_open(actor=actor, account_id=account.id)
    if actions:
        console.print("[bold]Open actions[/bold]")
        for item in actions:
            overdue = " [red](overdue)[/red]" if item.due_on and item.due_on < now else ""
            console.print(f"  • {item.title} — {item.owner}, due {item.due_on or '-'}{overdue}")
    opportunities = records.opportunities.list(actor=actor, account_id=account.id)
    if opportunities:
        console.print("[bold]Opportunities[/bold]")
        for o in opportunities:
            console.print(f"  • {o.name} ({o.type.value}, {o.stage.value}) {money(o.estimated_value)}")
    notes = records.notes.list(actor=actor, account_id=account.id, limit=5)
    if notes:
        console.print("[bold]Recent notes[/bold]")
        for note in notes:
            console.print(f"  • {note.occurred_on} {note.kind.value} by {note.author}: {note.body[:110]}")
