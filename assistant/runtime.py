"""Wiring: turn one `Settings` into the engine, services and assistant the entry points use.

Entry points (CLI, API factory, UI script, eval runner) call `build_runtime(settings)`; nothing below them reads
settings or builds clients on its own. Expensive parts (the embedding model, the chat backend) are built on first
use, so `samcoach accounts list` never loads torch.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from assistant.db import build_engine, build_session_factory
from assistant.migrate import upgrade_database
from assistant.records import NoteListener, Records, build_records
from assistant.records.schemas import NoteOut
from assistant.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.retrieval import Retrieval
    from assistant.service import AssistantService
    from knowledge.curriculum import Lesson


class _LazyNoteListener:
    """Keeps the notes index in sync without loading the embedding model until a note actually changes."""

    def __init__(self, factory: Callable[[], NoteListener]) -> None:
        self._factory = factory

    def note_saved(self, note: NoteOut) -> None:
        self._factory().note_saved(note)

    def note_deleted(self, note_id: int) -> None:
        self._factory().note_deleted(note_id)


class Runtime:
    def __init__(self, settings: Settings, engine: Engine, *, chat_model: BaseChatModel | None = None) -> None:
        self.settings = settings
        self.engine = engine
        self.sessions: sessionmaker[Session] = build_session_factory(engine)
        self._chat_model = chat_model

    @cached_property
    def records(self) -> Records:
        return build_records(self.sessions, note_listener=_LazyNoteListener(lambda: self.retrieval))

    @cached_property
    def retrieval(self) -> Retrieval:
        from assistant.retrieval import build_retrieval

        return build_retrieval(self.settings)

    @cached_property
    def curriculum(self) -> list[Lesson]:
        from knowledge.curriculum import load_curriculum

        return load_curriculum()

    @cached_property
    def assistant(self) -> AssistantService:
        from assistant.backends import build_assistant

        return build_assistant(self, chat_model=self._chat_model)

    def close(self) -> None:
        self.engine.dispose()


def build_runtime(settings: Settings, *, migrate: bool = True, chat_model: BaseChatModel | None = None) -> Runtime:
    """`chat_model` replaces the configured backend (tests and evals pass the scripted model)."""
    engine = build_engine(settings.resolved_database_url)
    if migrate:
        upgrade_database(engine)
    return Runtime(settings, engine, chat_model=chat_model)
