"""`samcoach serve`: the API on 127.0.0.1:8000 and the UI on 127.0.0.1:8501, side by side."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import typer

from assistant.cli.context import CliContext, console, errors
from assistant.cli.knowledge import index

DEMO_KEY_FILE = "demo-api-key.txt"


def demo_api_key(cli: CliContext) -> str | None:
    """The demo user's API key, created once and kept (readable only by you) under the data folder."""
    users, keys = cli.runtime.records.users, cli.runtime.records.keys
    user = users.find_by_email(email=cli.settings.user_email)
    if user is None:
        return None
    path = Path(cli.settings.data_dir) / DEMO_KEY_FILE
    if path.exists():
        secret = path.read_text().strip()
        known = keys.authenticate(secret)
        if known is not None and known.id == user.id:
            return secret
    created = keys.create(user_id=user.id, name="demo (make run)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(created.secret + "\n")
    path.chmod(0o600)
    return created.secret


def serve(
    ctx: typer.Context,
    api: bool = typer.Option(True, help="start the API"),
    ui: bool = typer.Option(True, help="start the UI"),
) -> None:
    """Build the index if needed, then run the API and the UI until Ctrl-C."""
    cli: CliContext = ctx.obj
    settings = cli.settings
    console.print(f"Backend: {settings.llm.describe()}")
    index(cli)
    key = demo_api_key(cli)
    children: list[subprocess.Popen[bytes]] = []
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if api:
        children.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "api.main:create_app",
                    "--factory",
                    "--host",
                    settings.api.host,
                    "--port",
                    str(settings.api.port),
                ],
                env=env,
            )
        )
        console.print(f"API: http://{settings.api.host}:{settings.api.port}/docs")
        if key:
            # soft_wrap: a key broken across lines cannot be copied.
            console.print(f"Demo API key for {settings.user_email}: {key}", markup=False, soft_wrap=True)
            console.print(
                f'  try: curl -H "Authorization: Bearer {key}" '
                f"http://{settings.api.host}:{settings.api.port}/v1/accounts",
                markup=False,
                soft_wrap=True,
            )
    if ui:
        children.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "streamlit",
                    "run",
                    str(Path(__file__).resolve().parents[2] / "ui" / "app.py"),
                    "--server.address",
                    settings.ui.host,
                    "--server.port",
                    str(settings.ui.port),
                    "--server.headless",
                    "true",
                    "--browser.gatherUsageStats",
                    "false",
                ],
                env=env,
            )
        )
        console.print(f"UI: http://{settings.ui.host}:{settings.ui.port}")
    if not children:
        return
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        failed = [c for c in children if c.returncode not in (None, 0)]
        if failed:
            errors.print("[red]a server stopped unexpectedly; see its output above[/red]")
            raise typer.Exit(1)
    except KeyboardInterrupt:
        console.print("Stopping…")
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
