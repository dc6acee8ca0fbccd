"""A demo portfolio built once per session through the real runtime (migrations, demo loader, hash-embedded
index), copied per test and injected into the app as `st.session_state["runtime"]`."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from streamlit.testing.v1 import AppTest

from assistant.records.actor import Actor
from assistant.records.demo.loader import load_demo
from assistant.records.enums import Channel
from assistant.runtime import Runtime, build_runtime
from assistant.settings import EmbeddingSettings, LLMSettings, Settings

TODAY = date(2026, 11, 23)
APP = Path(__file__).resolve().parents[2] / "ui" / "app.py"
DEMO_USER = "dana@beacon.example"


def ui_settings(root: Path, **overrides: Any) -> Settings:
    """Everything explicit, so no SAMCOACH_* variable or .env file of the machine leaks into a test."""
    values: dict[str, Any] = {
        "_env_file": None,
        "data_dir": root,
        "database_url": f"sqlite:///{root / 'samcoach.db'}",
        "chroma_path": root / "chroma",
        "chroma_host": None,
        "collection_prefix": "ui",
        "user_email": DEMO_USER,
        "embedding": EmbeddingSettings(provider="hash"),
        "llm": LLMSettings(),
    }
    return Settings(**{**values, **overrides})


@pytest.fixture(scope="session")
def ui_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ui-demo-template")
    runtime = build_runtime(ui_settings(root))
    load_demo(runtime.records, today=TODAY)
    runtime.retrieval.sync_curriculum()
    runtime.retrieval.rebuild_notes(runtime.records.notes.all_for_reindex())
    runtime.close()
    return root


@pytest.fixture
def ui_dir(ui_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(ui_template, target)
    return target


@pytest.fixture
def make_runtime(ui_dir: Path) -> Iterator[Callable[..., Runtime]]:
    built: list[Runtime] = []

    def make(chat_model: BaseChatModel | None = None, **settings: Any) -> Runtime:
        runtime = build_runtime(ui_settings(ui_dir, **settings), chat_model=chat_model)
        runtime.assistant.clock = lambda: TODAY
        built.append(runtime)
        return runtime

    yield make
    for runtime in built:
        runtime.close()


@pytest.fixture
def runtime(make_runtime: Callable[..., Runtime]) -> Runtime:
    return make_runtime()


@pytest.fixture
def dana(runtime: Runtime) -> Actor:
    return runtime.records.users.actor(email=DEMO_USER, channel=Channel.UI)


def open_app(runtime: Runtime, page: str | None = None) -> AppTest:
    """The app as a browser session would see it, on `page` (e.g. "screens/account.py")."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["runtime"] = runtime
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at


def account_id(runtime: Runtime, actor: Actor, name: str) -> int:
    found = runtime.records.accounts.find(actor=actor, name=name)
    assert found is not None, name
    return found.id


def assert_clean(at: AppTest) -> None:
    """No exception box and no error message on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
