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


keys_app = typer.Typer(help="API keys (Authorization: Bearer <key>).", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def create_key(
    ctx: typer.Context, email: str = typer.Argument(..., help="whose key"), name: str = typer.Option("", help="label")
) -> None:
    """Create a key. It is shown once; only its hash is stored."""
    cli: CliContext = ctx.obj
    user = cli.runtime.records.users.get_by_email(email=email)
    created = cli.runtime.records.keys.create(user_id=user.id, name=name)
    console.print(f"API key {created.key.id} for {user.name} (shown once, store it now):")
    console.print(created.secret, markup=False)


@keys_app.command("list")
def list_keys(ctx: typer.Context, email: str = typer.Argument(...)) -> None:
    cli: CliContext = ctx.obj
    user = cli.runtime.records.users.get_by_email(email=email)
    table = Table(title=f"API keys of {user.name}")
    for column in ("Id", "Name", "Prefix", "Created", "Last used", "Revoked"):
        table.add_column(column)
    for k in cli.runtime.records.keys.list(user_id=user.id):
        table.add_row(
            str(k.id),
            k.name,
            k.prefix,
            str(k.created_at)[:19],
            str(k.last_used_at or "-")[:19],
            str(k.revoked_at or "-")[:19],
        )
    console.print(table)


@keys_app.command("revoke")
def revoke_key(ctx: typer.Context, key_id: int = typer.Argument(...)) -> None:
    cli: CliContext = ctx.obj
    cli.runtime.records.keys.revoke(key_id=key_id)
    console.print(f"API key {key_id} revoked.")
