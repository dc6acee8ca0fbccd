"""Shared fixtures: databases (SQLite always, PostgreSQL when a server URL is given), records, actors,
and the guard that fails any test reaching past the loopback interface."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from assistant.db import build_engine, build_session_factory
from assistant.records import Records, build_records
from assistant.records.actor import Actor
from assistant.records.enums import Channel, Role
from assistant.records.services.users import actor_for
from assistant.tables import metadata

pytest_plugins = ["tests.fakes.openai_server"]

POSTGRES_URL_ENV = "SAMCOACH_TEST_POSTGRES_URL"
LOOPBACK = {"127.0.0.1", "::1", "localhost"}

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the network: anything but loopback and unix sockets fails loudly."""
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            if host not in LOOPBACK:
                raise RuntimeError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


def _postgres_url() -> str | None:
    return os.environ.get(POSTGRES_URL_ENV) or None


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """Each records test runs on a SQLite file and, when a server is given, on a throwaway PG database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'samcoach.db'}"
        return
    server = _postgres_url()
    if server is None:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_URL_ENV} (CI sets it; see .ci/run)")
    name = f"samcoach_test_{uuid.uuid4().hex[:12]}"
    admin = build_engine(server)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = build_engine(db_url)
    metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def records(engine: Engine) -> Records:
    return build_records(build_session_factory(engine))


@dataclass(frozen=True)
class Team:
    """A small organisation: two SAM leaders, their manager, and an admin."""

    dana: Actor
    marcus: Actor
    priya: Actor
    admin: Actor


@pytest.fixture
def team(records: Records) -> Team:
    priya = records.users.create(data={"name": "Priya Nair", "email": "priya@beacon.example", "role": Role.MANAGER})
    dana = records.users.create(data={"name": "Dana Reyes", "email": "dana@beacon.example", "manager_id": priya.id})
    marcus = records.users.create(
        data={"name": "Marcus Bell", "email": "marcus@beacon.example", "manager_id": priya.id}
    )
    admin = records.users.create(data={"name": "Sam Admin", "email": "admin@beacon.example", "role": Role.ADMIN})
    return Team(
        dana=actor_for(dana, Channel.CLI),
        marcus=actor_for(marcus, Channel.CLI),
        priya=actor_for(priya, Channel.CLI),
        admin=actor_for(admin, Channel.CLI),
    )
