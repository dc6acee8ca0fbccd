"""Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, insert, inspect, text
from sqlalchemy.exc import IntegrityError

from assistant.db import build_engine, build_session_factory
from assistant.migrate import MIGRATIONS, alembic_config, schema_is_current, upgrade_database
from assistant.records import build_records
from assistant.records.enums import Channel
from assistant.records.models import Account
from assistant.records.services.users import actor_for
from assistant.tables import metadata


@pytest.fixture
def empty_engine(db_url: str) -> Iterator[Engine]:
    """A database with no tables at all (unlike `engine`, which runs `create_all`)."""
    engine = build_engine(db_url)
    yield engine
    engine.dispose()


def _head_revision(engine: Engine) -> str:
    head = ScriptDirectory.from_config(
        alembic_config(engine.url.render_as_string(hide_password=False))
    ).get_current_head()
    assert head is not None
    return head


def _stamped_revisions(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(text("SELECT version_num FROM alembic_version")))


def test_upgrade_on_an_empty_database_creates_every_model_table(empty_engine: Engine) -> None:
    assert inspect(empty_engine).get_table_names() == []
    assert not schema_is_current(empty_engine)

    upgrade_database(empty_engine)

    tables = set(inspect(empty_engine).get_table_names())
    assert set(metadata.tables) <= tables
    assert tables - set(metadata.tables) == {"alembic_version"}
    assert schema_is_current(empty_engine)
    assert _stamped_revisions(empty_engine) == [_head_revision(empty_engine)]


def test_upgrade_is_idempotent(empty_engine: Engine) -> None:
    upgrade_database(empty_engine)
    first = {name: inspect(empty_engine).get_columns(name) for name in metadata.tables}
    upgrade_database(empty_engine)
    upgrade_database(empty_engine)
    again = {name: inspect(empty_engine).get_columns(name) for name in metadata.tables}
    assert [str(c) for c in again.values()] == [str(c) for c in first.values()]
    assert _stamped_revisions(empty_engine) == [_head_revision(empty_engine)]


def test_migrated_schema_matches_the_models(empty_engine: Engine) -> None:
    upgrade_database(empty_engine)
    with empty_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def _account_row(**overrides: object) -> dict[str, object]:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    row: dict[str, object] = {
        "name": "Acme",
        "industry": "Retail",
        "tier": 1,
        "annual_revenue": 0,
        "growth_potential": 3,
        "willingness_to_partner": 3,
        "global_reach": 3,
        "best_practice_sharing": 3,
        "mutual_agreement": False,
        "owner_id": 1,
        "created_at": now,
        "updated_at": now,
    }
    return row | overrides


def test_migrations_carry_the_constraints_that_guard_the_data(empty_engine: Engine) -> None:
    """compare_metadata does not look at CHECK constraints, so prove the database itself enforces them."""
    upgrade_database(empty_engine)
    with empty_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, name, email, role, auto_approve, created_at) "
                "VALUES (1, 'Dana', 'd@x.example', 'sam_leader', '[]', CURRENT_TIMESTAMP)"
            )
        )
    refused = [
        {"annual_revenue": -1},
        {"growth_potential": 9},
        {"contract_start": date(2026, 1, 1), "contract_end": date(2025, 1, 1)},
        {"owner_id": 999},
    ]
    for overrides in refused:
        with pytest.raises(IntegrityError), empty_engine.begin() as conn:
            conn.execute(insert(Account.__table__), _account_row(**overrides))
    with pytest.raises(IntegrityError), empty_engine.begin() as conn:
        # Raw SQL: the ORM's enum type would refuse the value before the database could.
        conn.execute(
            text(
                "INSERT INTO users (id, name, email, role, auto_approve, created_at) "
                "VALUES (2, 'Eve', 'e@x.example', 'superuser', '[]', CURRENT_TIMESTAMP)"
            )
        )
    with empty_engine.begin() as conn:
        conn.execute(insert(Account.__table__), _account_row())
        assert conn.scalar(text("SELECT count(*) FROM accounts")) == 1


def test_services_work_on_a_migrated_database(empty_engine: Engine) -> None:
    upgrade_database(empty_engine)
    records = build_records(build_session_factory(empty_engine))
    dana = actor_for(records.users.create(data={"name": "Dana", "email": "dana@beacon.example"}), Channel.CLI)
    account = records.accounts.create(actor=dana, data={"name": "Acme", "industry": "Retail", "annual_revenue": 10})
    assert records.accounts.list(actor=dana)[0].id == account.id
    assert len(records.audit.list(actor=dana)) == 1


def test_the_migrations_folder_has_a_single_head() -> None:
    script = ScriptDirectory(str(MIGRATIONS))
    assert len(script.get_heads()) == 1
