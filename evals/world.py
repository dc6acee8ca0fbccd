"""The world a run scores against: a fresh runtime on the demo portfolio, loaded with a fixed `today`.

One base world is built per run (SQLite file in a temp folder, an in-memory chroma index of the curriculum and
the notes, the chosen embedding, the chosen backend) and read-only cases share it. A case that sets records up
or may write gets its own world: a copy of the pristine database and index, built through the same
`build_runtime` path. The copy shares only what cannot change: the embedding model (behind a cache) and the
curriculum.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from hashlib import blake2b
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from assistant.records import build_records
from assistant.records.actor import Actor
from assistant.records.demo.loader import load_demo
from assistant.records.enums import Channel, DecisionRole, Side
from assistant.records.schemas import AccountSummary
from assistant.records.services.users import actor_for
from assistant.retrieval import Retrieval
from assistant.runtime import Runtime, build_runtime
from assistant.settings import EmbeddingSettings, Settings
from assistant.tables import metadata
from evals.cases import PlantNote, SetupStep, ThinAccount, ThinNote, UploadDocument
from evals.embedding import CachedEmbeddingFunction
from evals.evidence import EvidenceIndex

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.types import Documents, EmbeddingFunction
    from langchain_core.language_models import BaseChatModel

    from assistant.service import AssistantService
    from knowledge.curriculum import Lesson
    from knowledge.store import StoredChunk

# A Monday; the demo's dates are relative to it, so every run sees the same calendar.
EVAL_TODAY = date(2025, 11, 24)
ACTOR_EMAILS = {
    "dana": "dana@beacon.example",
    "marcus": "marcus@beacon.example",
    "priya": "priya@beacon.example",
    "admin": "admin@beacon.example",
}
# Conversations, messages and proposals are the assistant's own bookkeeping; every other table is a record.
BOOKKEEPING_TABLES = frozenset({"conversations", "chat_messages", "proposals", "api_keys", "lesson_progress"})
RECORD_TABLES = tuple(t for t in metadata.sorted_tables if t.name not in BOOKKEEPING_TABLES)


@dataclass
class World:
    """One runtime the cases run against, with the actors and the calendar fixed."""

    runtime: Runtime
    actors: dict[str, Actor]
    today: date
    _index: EvidenceIndex | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def assistant(self) -> AssistantService:
        return self.runtime.assistant

    def account(self, name: str, actor: str = "admin") -> AccountSummary:
        wanted = name.casefold()
        accounts = self.runtime.records.accounts.list(actor=self.actors[actor], limit=1000)
        found = [a for a in accounts if a.name.casefold() == wanted] or [
            a for a in accounts if wanted in a.name.casefold()
        ]
        if not found:
            raise LookupError(f"no account named {name!r} in the eval world")
        return found[0]

    def index(self) -> EvidenceIndex:
        """Every record's text by ref, for checking citations; rebuilt after `invalidate()`."""
        with self._lock:
            if self._index is None:
                self._index = EvidenceIndex.build(self.runtime)
            return self._index

    def invalidate(self) -> None:
        with self._lock:
            self._index = None

    def fingerprint(self) -> dict[str, str]:
        """A digest of every record table: two equal fingerprints mean nothing was written."""
        digests: dict[str, str] = {}
        with self.runtime.engine.connect() as connection:
            for table in RECORD_TABLES:
                digest = blake2b(digest_size=12)
                order = list(table.primary_key.columns) or list(table.columns)
                count = 0
                for row in connection.execute(select(table).order_by(*order)):
                    digest.update(repr(tuple(row)).encode())
                    count += 1
                digests[table.name] = f"{count}:{digest.hexdigest()}"
        return digests

    def apply(self, steps: list[SetupStep]) -> None:
        """Set a case's records up before it runs, as the people who own them would (never through the
        assistant): a planted note, an uploaded document, a thin account."""
        for step in steps:
            if step.plant_note is not None:
                self._plant(step.plant_note)
            elif step.upload_document is not None:
                self._upload(step.upload_document)
            elif step.create_account is not None:
                self._thin_account(step.create_account)
        if steps:
            self.invalidate()

    def _owner_of(self, account: AccountSummary) -> Actor:
        records = self.runtime.records
        owner_id = records.accounts.get(actor=self.actors["admin"], account_id=account.id).owner_id
        return actor_for(records.users.get(user_id=owner_id), Channel.IMPORT)

    def _plant(self, spec: PlantNote | ThinNote, account: AccountSummary | None = None) -> None:
        target = account or self.account(spec.account if isinstance(spec, PlantNote) else "")
        self.runtime.records.notes.create(
            actor=self._owner_of(target),
            account_id=target.id,
            data={
                "occurred_on": self.today - timedelta(days=spec.days_ago),
                "author": spec.author,
                "kind": spec.kind,
                "body": spec.body,
            },
        )

    def _upload(self, spec: UploadDocument) -> None:
        folder = Path(tempfile.mkdtemp(prefix="samcoach-eval-doc-"))
        try:
            path = folder / spec.name
            path.write_text(spec.text, encoding="utf-8")
            self.runtime.retrieval.ingest([path])
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _thin_account(self, spec: ThinAccount) -> None:
        records = self.runtime.records
        owner = self.actors[spec.owner].via(Channel.IMPORT)
        created = records.accounts.create(
            actor=owner,
            data={
                "name": spec.name,
                "industry": spec.industry,
                "contract_end": (
                    self.today + timedelta(days=spec.contract_end_days) if spec.contract_end_days is not None else None
                ),
                "owner_id": owner.user_id,
            },
        )
        for person in spec.stakeholders:
            name, _, title = (part.strip() for part in person.partition(","))
            records.stakeholders.create(
                actor=owner,
                account_id=created.id,
                data={
                    "name": name,
                    "title": title or None,
                    "side": Side.CLIENT,
                    "decision_role": DecisionRole.DECISION_MAKER,
                },
            )
        summary = next(a for a in records.accounts.list(actor=owner, limit=1000) if a.id == created.id)
        for note in spec.notes:
            self._plant(note, summary)


@dataclass(frozen=True)
class WorldConfig:
    settings: Settings
    today: date = EVAL_TODAY
    fast: bool = False
    chat_model: BaseChatModel | None = None
    work_dir: Path | None = None


def eval_settings(base: Settings, folder: Path, *, name: str, fast: bool, prefix: str) -> Settings:
    """The run's settings: the caller's backend and embedding, our own database, index and data folder."""
    update: dict[str, Any] = {
        "data_dir": folder,
        "database_url": f"sqlite:///{folder / (name + '.db')}",
        "chroma_path": None,
        "chroma_host": None,
        "collection_prefix": prefix,
    }
    if fast:
        update["embedding"] = EmbeddingSettings(provider="hash")
    return base.model_copy(update=update)


class WorldFactory:
    """Builds the base world once, then cheap isolated copies of its pristine state."""

    def __init__(self, config: WorldConfig) -> None:
        self.config = config
        self.folder = config.work_dir or Path(tempfile.mkdtemp(prefix="samcoach-evals-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        self._owns_folder = config.work_dir is None
        self._run = uuid.uuid4().hex[:8]
        self._client: ClientAPI | None = None
        self._embedding: CachedEmbeddingFunction | None = None
        self._curriculum: list[Lesson] | None = None
        self._pristine_db = self.folder / "pristine.db"
        self._pristine_chunks: dict[str, list[StoredChunk]] = {}
        self._worlds: list[World] = []
        self._copies = 0
        self._lock = threading.Lock()
        self.base: World | None = None

    @property
    def embedding(self) -> CachedEmbeddingFunction | None:
        """The run's embedding function (behind the cache), once the base world is built."""
        return self._embedding

    def build_base(self, progress: Callable[[str], None] = lambda _: None) -> World:
        from knowledge.store import KnowledgeStore, build_chroma_client

        settings = eval_settings(
            self.config.settings, self.folder, name="base", fast=self.config.fast, prefix=f"ev{self._run}base"
        )
        progress("loading the embedding model")
        self._embedding = CachedEmbeddingFunction(_embedding_function(settings.embedding))
        self._client = build_chroma_client()
        runtime = build_runtime(settings, chat_model=self.config.chat_model)
        retrieval = Retrieval(KnowledgeStore(self._client, self._embedding, prefix=settings.collection_prefix))
        runtime.retrieval = retrieval
        progress("indexing the curriculum")
        retrieval.sync_curriculum()
        self._curriculum = runtime.curriculum
        progress("loading the demo portfolio")
        # Loaded without the note listener, then indexed in one batch: the same index, a fraction of the time.
        load_demo(build_records(runtime.sessions), today=self.config.today)
        retrieval.rebuild_notes(runtime.records.notes.all_for_reindex())
        progress("building the assistant")
        world = self._world(runtime)
        world.assistant  # noqa: B018 - build the backend now, not inside the first timed case
        self._snapshot(runtime)
        self.base = world
        return world

    def _world(self, runtime: Runtime) -> World:
        runtime.assistant.clock = lambda: self.config.today
        actors = {
            key: actor_for(runtime.records.users.get_by_email(email=email), Channel.CLI)
            for key, email in ACTOR_EMAILS.items()
        }
        world = World(runtime=runtime, actors=actors, today=self.config.today)
        with self._lock:
            self._worlds.append(world)
        return world

    def _snapshot(self, runtime: Runtime) -> None:
        """Keep the state every isolated copy starts from: the database (SQLite backup API, consistent even
        in WAL mode) and every chunk of the index with its vector."""
        database = runtime.engine.url.database
        assert database is not None
        source = sqlite3.connect(database)
        target = sqlite3.connect(self._pristine_db)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        store = runtime.retrieval.store
        self._pristine_chunks = {role: store.get(role, include_embeddings=True) for role in ("library", "notes")}

    def isolated(self, name: str) -> World:
        """A private copy of the pristine world for one case."""
        from knowledge.store import KnowledgeStore

        assert self._client is not None and self._embedding is not None, "build_base() first"
        with self._lock:
            self._copies += 1
            number = self._copies
        slug = re.sub(r"[^a-z0-9-]+", "-", name.lower())[:40]
        settings = eval_settings(
            self.config.settings,
            self.folder,
            name=f"case-{number}-{slug}",
            fast=self.config.fast,
            prefix=f"ev{self._run}c{number}",
        )
        shutil.copyfile(self._pristine_db, self.folder / f"case-{number}-{slug}.db")
        runtime = build_runtime(settings, migrate=False, chat_model=self.config.chat_model)
        store = KnowledgeStore(self._client, self._embedding, prefix=settings.collection_prefix)
        for role, chunks in self._pristine_chunks.items():
            if chunks:
                store.upsert(
                    role,
                    [c.id for c in chunks],
                    [c.text for c in chunks],
                    [dict(c.metadata) for c in chunks],
                    [c.embedding for c in chunks if c.embedding is not None],
                )
        runtime.retrieval = Retrieval(store)
        runtime.curriculum = self._curriculum or []
        return self._world(runtime)

    def discard(self, world: World) -> None:
        world.runtime.retrieval.store.reset()
        world.runtime.close()
        with self._lock:
            if world in self._worlds:
                self._worlds.remove(world)
        database = world.runtime.engine.url.database
        if database and world is not self.base:
            for suffix in ("", "-wal", "-shm"):
                Path(database + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        for world in list(self._worlds):
            try:
                self.discard(world)
            except Exception:  # cleaning a temp folder must not hide the run's result
                pass
        if self._owns_folder:
            shutil.rmtree(self.folder, ignore_errors=True)


def _embedding_function(settings: EmbeddingSettings) -> EmbeddingFunction[Documents]:
    from knowledge.embeddings import build_embedding_function

    return build_embedding_function(
        settings.provider,
        model=settings.model,
        api_key=settings.api_key.get_secret_value() if settings.api_key else None,
        base_url=settings.base_url,
    )
