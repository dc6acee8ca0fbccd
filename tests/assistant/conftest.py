"""A demo portfolio database and a hash-embedded index, built once per session and copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from assistant.agent.context import AssistantContext
from assistant.db import build_engine, build_session_factory
from assistant.migrate import upgrade_database
from assistant.proposals.service import ProposalService
from assistant.records import Records, build_records
from assistant.records.actor import Actor
from assistant.records.demo.loader import load_demo
from assistant.records.enums import Channel
from assistant.records.services.users import actor_for
from assistant.retrieval import Retrieval

TODAY = date(2026, 11, 23)


class StubDrafter:
    """Stands in for the drafting service where a test is about the agent, not the drafts."""

    def early_warnings(self, actor: Actor, account_id: int, *, today: date | None = None) -> list[Any]:
        return []

    def stakeholder_gaps(self, actor: Actor, account_id: int, *, today: date | None = None) -> list[Any]:
        return []

    def meeting_brief(self, actor: Actor, account_id: int, **kwargs: Any) -> Any:
        raise NotImplementedError

    def health_assessment(self, actor: Actor, account_id: int, *, today: date | None = None) -> Any:
        raise NotImplementedError

    def charter_revision(self, actor: Actor, account_id: int, **kwargs: Any) -> Any:
        raise NotImplementedError

    def quarterly_review(self, actor: Actor, account_id: int, *, today: date | None = None) -> Any:
        raise NotImplementedError

    def ten_keys_review(self, actor: Actor, account_id: int | None, *, today: date | None = None) -> Any:
        raise NotImplementedError


def _retrieval(path: Path) -> Retrieval:
    from knowledge.embeddings import build_embedding_function
    from knowledge.store import KnowledgeStore, build_chroma_client

    return Retrieval(KnowledgeStore(build_chroma_client(path=path), build_embedding_function("hash"), prefix="t"))


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo-template")
    engine = build_engine(f"sqlite:///{root / 'samcoach.db'}")
    upgrade_database(engine)
    records = build_records(build_session_factory(engine))
    load_demo(records, today=TODAY)
    retrieval = _retrieval(root / "chroma")
    retrieval.sync_curriculum()
    retrieval.rebuild_notes(records.notes.all_for_reindex())
    engine.dispose()
    return root


@pytest.fixture
def demo_dir(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(demo_template, target)
    return target


@pytest.fixture
def demo_engine(demo_dir: Path) -> Iterator[Engine]:
    engine = build_engine(f"sqlite:///{demo_dir / 'samcoach.db'}")
    yield engine
    engine.dispose()


@pytest.fixture
def demo_retrieval(demo_dir: Path) -> Retrieval:
    return _retrieval(demo_dir / "chroma")


@pytest.fixture
def demo_records(demo_engine: Engine, demo_retrieval: Retrieval) -> Records:
    return build_records(build_session_factory(demo_engine), note_listener=demo_retrieval)


@pytest.fixture
def proposals(demo_engine: Engine, demo_records: Records) -> ProposalService:
    return ProposalService(build_session_factory(demo_engine), demo_records)


def demo_actor(records: Records, email: str, channel: Channel = Channel.UI) -> Actor:
    return actor_for(records.users.get_by_email(email=email), channel)


@pytest.fixture
def dana(demo_records: Records) -> Actor:
    return demo_actor(demo_records, "dana@beacon.example")


@pytest.fixture
def marcus(demo_records: Records) -> Actor:
    return demo_actor(demo_records, "marcus@beacon.example")


def account_id(records: Records, actor: Actor, name: str) -> int:
    found = records.accounts.find(actor=actor, name=name)
    assert found is not None, name
    return found.id


@pytest.fixture
def make_context(demo_records: Records, demo_retrieval: Retrieval, proposals: ProposalService) -> Any:
    def make(actor: Actor, *, account_id: int | None = None, drafting: Any = None) -> AssistantContext:
        from knowledge.curriculum import load_curriculum

        return AssistantContext(
            actor=actor,
            records=demo_records,
            retrieval=demo_retrieval,
            drafting=drafting or StubDrafter(),
            proposals=proposals,
            today=TODAY,
            account_id=account_id,
            curriculum=load_curriculum(),
        )

    return make
