"""`samcoach users ...`: who can use SAM Coach and whose portfolio they see."""

from __future__ import annotations

import typer
from rich.table import Table

from assistant.cli.context import CliContext, console
from assistant.records.enums import Role

app = typer.Typer(help="Create and list users.", no_args_is_help=True)


@app.command("create")
def create_user(
    ctx: typer.Context,
    name: str = typer.Argument(...),
    email: str = typer.Argument(...),
    role: Role = typer.Option(Role.SAM_LEADER, help="sam_leader, manager or admin"),
    manager: str | None = typer.Option(None, help="email of the manager this user reports to"),
) -> None:
    """Add a user. A manager sees the portfolios of everyone reporting to them."""
    cli: CliContext = ctx.obj
    users = cli.runtime.records.users
    manager_id = users.get_by_email(email=manager).id if manager else None
    user = users.create(data={"name": name, "email": email, "role": role, "manager_id": manager_id})
    console.print(f"Created user {user.id}: {user.name} <{user.email}> ({user.role.value})")


@app.command("list")
def list_users(ctx: typer.Context) -> None:
    cli: CliContext = ctx.obj
    table = Table(title="Users")
    for column in ("Id", "Name", "Email", "Role", "Manager id"):
        table.add_column(column)
    for u in cli.runtime.records.users.list():
        table.add_row(str(u.id), u.name, u.email, u.role.value, str(u.manager_id or "-"))
    console.print(table)
