"""Engine and session factories.

SQLite is the embedded default and PostgreSQL the server option; the only difference the rest of the code
sees is the URL. SQLite gets WAL, a busy timeout and foreign keys so concurrent writers wait instead of
failing and cascades behave as on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

SQLITE_BUSY_TIMEOUT_MS = 30_000
WRITE_OPTION = "samcoach_write"


def build_engine(url: str, *, echo: bool = False) -> Engine:
    """Create the engine for `url`, preparing the SQLite file's folder when needed."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
        if in_memory:
            # One shared connection, or every session would see its own empty database.
            kwargs["poolclass"] = StaticPool
        else:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine, wal=not in_memory)
        return engine
    kwargs["pool_pre_ping"] = True
    return create_engine(url, **kwargs)


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling defers BEGIN; we issue BEGIN IMMEDIATE ourselves (below) so
        # writers queue on the busy timeout instead of failing with "database is locked" on upgrade.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Write transactions take the write lock up front; a read that later upgrades can fail at once
        # with SQLITE_BUSY_SNAPSHOT in WAL mode, whatever the busy timeout says.
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def build_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


_ambient_write: ContextVar[Session | None] = ContextVar("samcoach_write_session", default=None)
_writes_refused: ContextVar[str | None] = ContextVar("samcoach_writes_refused", default=None)
AFTER_COMMIT = "samcoach_after_commit"


class WriteRefused(RuntimeError):
    """A write was attempted where only reads are allowed (inside an assistant run, outside a proposal)."""


@contextmanager
def refuse_writes(reason: str) -> Iterator[None]:
    """Make every write transaction in this context fail: the assistant reads freely but changes records
    only through proposals, and this makes that a property of the database layer, not a convention."""
    token = _writes_refused.set(reason)
    try:
        yield
    finally:
        _writes_refused.reset(token)


@contextmanager
def permit_writes() -> Iterator[None]:
    """Lift `refuse_writes` for one deliberate writer (creating or applying a proposal)."""
    token = _writes_refused.set(None)
    try:
        yield
    finally:
        _writes_refused.reset(token)


@contextmanager
def write_transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One all-or-nothing write: commits on success, rolls everything back on any exception.

    Nested calls on the same engine join the outermost transaction, so a caller can compose several
    service writes (approving a proposal = the record change + the proposal's new status) into one unit.
    """
    refused = _writes_refused.get()
    if refused is not None:
        raise WriteRefused(refused)
    current = _ambient_write.get()
    if current is not None and current.get_bind() is sessions.kw.get("bind"):
        yield current
        return
    with sessions() as session:
        token = _ambient_write.set(session)
        try:
            session.connection(execution_options={WRITE_OPTION: True})
            yield session
            callbacks: list[Callable[[], None]] = session.info.pop(AFTER_COMMIT, [])
            session.commit()
        except BaseException:
            session.info.pop(AFTER_COMMIT, None)
            session.rollback()
            raise
        finally:
            _ambient_write.reset(token)
    for callback in callbacks:
        callback()


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once the outermost write transaction has committed (never if it rolls back)."""
    session.info.setdefault(AFTER_COMMIT, []).append(callback)


@contextmanager
def read_session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session, session.begin():
        yield session
