"""The API over a copy of the demo portfolio: a database and hash-embedded index built once per session,
copied per test, with API keys for Dana and Marcus (SAM leaders) and Priya (their manager)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from langchain_core.language_models import BaseChatModel
from sqlalchemy import Engine, func, select

from api.main import create_app
from assistant.records.demo.loader import load_demo
from assistant.records.enums import Channel
from assistant.records.models import AuditEvent
from assistant.runtime import Runtime, build_runtime
from assistant.settings import APISettings, EmbeddingSettings, LLMSettings, Settings

TODAY = date(2026, 11, 23)
PEOPLE = {"dana": "dana@beacon.example", "marcus": "marcus@beacon.example", "priya": "priya@beacon.example"}
DANA_ACCOUNTS = (
    "Acme Real Estate Company",
    "Northgate Health System",
    "Riverbend University",
    "Solara Energy",
    "Quantis Technologies",
)
HALVORSEN = "Halvorsen Logistics"


def make_settings(data_dir: Path, **api: Any) -> Settings:
    # Every setting that picks a resource is explicit, so a developer's environment or .env cannot redirect tests.
    return Settings(
        data_dir=data_dir,
        database_url=None,
        chroma_path=None,
        chroma_host=None,
        collection_prefix="samcoach",
        llm=LLMSettings(provider="offline"),
        embedding=EmbeddingSettings(provider="hash"),
        api=APISettings(**{"rate_limit_per_minute": 10_000, **api}),
    )


@dataclass(frozen=True)
class Template:
    root: Path
    keys: dict[str, str]
    accounts: dict[str, int]


@pytest.fixture(scope="session")
def api_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    root = tmp_path_factory.mktemp("api-template")
    runtime = build_runtime(make_settings(root))
    records = runtime.records
    load_demo(records, today=TODAY)
    runtime.retrieval.sync_curriculum()
    runtime.retrieval.rebuild_notes(records.notes.all_for_reindex())
    keys = {
        who: records.keys.create(user_id=records.users.get_by_email(email=email).id, name="tests").secret
        for who, email in PEOPLE.items()
    }
    admin = records.users.actor(email="admin@beacon.example", channel=Channel.CLI)
    accounts = {a.name: a.id for a in records.accounts.list(actor=admin, limit=100)}
    runtime.close()
    return Template(root=root, keys=keys, accounts=accounts)


@dataclass
class Api:
    """One test's API: the client, its runtime, and helpers to act as a demo user."""

    app: FastAPI
    client: TestClient
    runtime: Runtime
    keys: dict[str, str]
    accounts: dict[str, int]

    def auth(self, who: str = "dana") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}"}

    def get(self, url: str, who: str = "dana", **kwargs: Any) -> httpx2.Response:
        return self.client.get(url, headers={**self.auth(who), **kwargs.pop("headers", {})}, **kwargs)

    def post(self, url: str, who: str = "dana", **kwargs: Any) -> httpx2.Response:
        return self.client.post(url, headers={**self.auth(who), **kwargs.pop("headers", {})}, **kwargs)

    def patch(self, url: str, who: str = "dana", **kwargs: Any) -> httpx2.Response:
        return self.client.patch(url, headers={**self.auth(who), **kwargs.pop("headers", {})}, **kwargs)

    def put(self, url: str, who: str = "dana", **kwargs: Any) -> httpx2.Response:
        return self.client.put(url, headers={**self.auth(who), **kwargs.pop("headers", {})}, **kwargs)

    def delete(self, url: str, who: str = "dana", **kwargs: Any) -> httpx2.Response:
        return self.client.delete(url, headers={**self.auth(who), **kwargs.pop("headers", {})}, **kwargs)

    def account(self, name: str) -> int:
        return next(i for n, i in self.accounts.items() if n.lower().startswith(name.lower()))

    @property
    def engine(self) -> Engine:
        return self.runtime.engine

    def audit_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(AuditEvent)) or 0)


MakeApi = Callable[..., Api]


@pytest.fixture
def make_api(api_template: Template, tmp_path: Path) -> Iterator[MakeApi]:
    """`make_api(chat_model=..., raise_server_exceptions=..., **api_settings)`; one data folder per test."""
    built: list[tuple[TestClient, Runtime]] = []
    data_dir = tmp_path / "data"
    shutil.copytree(api_template.root, data_dir)

    def make(*, chat_model: BaseChatModel | None = None, raise_server_exceptions: bool = True, **api: Any) -> Api:
        settings = make_settings(data_dir, **api)
        runtime = build_runtime(settings, migrate=False, chat_model=chat_model)
        runtime.assistant.clock = lambda: TODAY
        app = create_app(settings, runtime=runtime)
        client = TestClient(app, raise_server_exceptions=raise_server_exceptions)
        built.append((client, runtime))
        return Api(app=app, client=client, runtime=runtime, keys=api_template.keys, accounts=api_template.accounts)

    yield make
    for client, runtime in built:
        client.close()
        runtime.close()


@pytest.fixture
def api(make_api: MakeApi) -> Api:
    return make_api()
