"""The demo portfolio with retrieval, drafting and proposals, and the offline agent over it.

Built once per session (in-memory SQLite, an ephemeral chroma store with the hash embedding): the tests only
read records or create proposals, and the few that approve one change a record nobody else checks.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import pytest
from chromadb.api.types import Documents, EmbeddingFunction
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from sqlalchemy import Engine

from assistant.agent.builder import build_agent
from assistant.agent.context import AssistantContext
from assistant.agent.runner import ChatRunner, TurnResult
from assistant.db import build_engine, build_session_factory
from assistant.drafting.service import DraftingService
from assistant.offline import OfflinePolicy, build_offline_backend
from assistant.proposals.service import ProposalService
from assistant.records import Records, build_records
from assistant.records.actor import Actor
from assistant.records.demo.loader import load_demo
from assistant.records.enums import Channel
from assistant.records.schemas import AccountSummary
from assistant.records.services.users import actor_for
from assistant.retrieval import Retrieval
from assistant.settings import LLMSettings
from assistant.tables import metadata
from knowledge.curriculum import Lesson, load_curriculum
from knowledge.embeddings import build_embedding_function
from knowledge.ingest import sync_curriculum
from knowledge.store import KnowledgeStore, build_chroma_client

TODAY = date(2025, 11, 24)  # a Monday
USERS = {
    "dana": "dana@beacon.example",
    "marcus": "marcus@beacon.example",
    "priya": "priya@beacon.example",
    "admin": "admin@beacon.example",
}


@dataclass
class DemoWorld:
    engine: Engine
    store: KnowledgeStore
    records: Records
    retrieval: Retrieval
    drafting: DraftingService
    proposals: ProposalService
    curriculum: list[Lesson]
    actors: dict[str, Actor]

    def context(self, actor: str = "dana", *, account_id: int | None = None) -> AssistantContext:
        return AssistantContext(
            actor=self.actors[actor],
            records=self.records,
            retrieval=self.retrieval,
            drafting=self.drafting,
            proposals=self.proposals,
            today=TODAY,
            account_id=account_id,
            curriculum=self.curriculum,
        )

    def account(self, name: str, actor: str = "admin") -> AccountSummary:
        found = [a for a in self.records.accounts.list(actor=self.actors[actor], limit=100) if a.name == name]
        assert found, f"no demo account {name!r}"
        return found[0]


@pytest.fixture(scope="session")
def curriculum() -> list[Lesson]:
    return load_curriculum()


@pytest.fixture(scope="session")
def hash_embedding() -> EmbeddingFunction[Documents]:
    return build_embedding_function("hash")


@pytest.fixture(scope="session")
def world(hash_embedding: EmbeddingFunction[Documents], curriculum: list[Lesson]) -> Iterator[DemoWorld]:
    engine = build_engine("sqlite://")
    metadata.create_all(engine)
    sessions = build_session_factory(engine)
    records = build_records(sessions)
    load_demo(records, today=TODAY)
    actors = {
        key: actor_for(user, Channel.CLI)
        for key, email in USERS.items()
        if (user := records.users.find_by_email(email=email)) is not None
    }
    store = KnowledgeStore(build_chroma_client(), hash_embedding, prefix=f"offline{uuid.uuid4().hex[:10]}")
    sync_curriculum(store)
    retrieval = Retrieval(store)
    admin = actors["admin"]
    notes = [
        note
        for account in records.accounts.list(actor=admin, limit=100)
        for note in records.notes.list(actor=admin, account_id=account.id, limit=5_000)
    ]
    retrieval.rebuild_notes(notes)
    yield DemoWorld(
        engine=engine,
        store=store,
        records=records,
        retrieval=retrieval,
        drafting=DraftingService(records, curriculum=curriculum),
        proposals=ProposalService(sessions, records),
        curriculum=curriculum,
        actors=actors,
    )
    store.reset()
    engine.dispose()


@pytest.fixture(scope="session")
def policy(hash_embedding: EmbeddingFunction[Documents], curriculum: list[Lesson]) -> OfflinePolicy:
    _, offline_policy = build_offline_backend(hash_embedding, curriculum)
    return offline_policy


class Chat:
    """Runs turns through the real agent graph: `build_agent(OfflineChatModel(), middleware=[policy])`."""

    def __init__(self, world: DemoWorld, embedding: EmbeddingFunction[Documents]) -> None:
        model, self.policy = build_offline_backend(embedding, world.curriculum)
        self.world = world
        self.runner = ChatRunner(build_agent(model, llm=LLMSettings(), middleware=[self.policy]), llm=LLMSettings())

    def run(
        self,
        text: str,
        *,
        actor: str = "dana",
        account_id: int | None = None,
        history: Sequence[BaseMessage] = (),
    ) -> TurnResult:
        result: TurnResult | None = None
        for item in self.runner.run(self.world.context(actor, account_id=account_id), list(history), text):
            if isinstance(item, TurnResult):
                result = item
        assert result is not None
        return result

    def conversation(self, *texts: str, actor: str = "dana", account_id: int | None = None) -> list[TurnResult]:
        """Several turns, each seeing the earlier ones as plain history (as the service replays them)."""
        history: list[BaseMessage] = []
        results = []
        for text in texts:
            result = self.run(text, actor=actor, account_id=account_id, history=history)
            history += [HumanMessage(text), AIMessage(result.answer)]
            results.append(result)
        return results


@pytest.fixture(scope="session")
def chat(world: DemoWorld, hash_embedding: EmbeddingFunction[Documents]) -> Chat:
    return Chat(world, hash_embedding)
