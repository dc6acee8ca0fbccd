"""Acceptance: concurrent writers on one account lose nothing (SQLite file in WAL mode, and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from sqlalchemy import Engine, func, select

from assistant.records import Records
from assistant.records.models import AuditEvent, MetricReading, Note
from tests.conftest import Team

THREADS = 8
WRITES_PER_THREAD = 25


def _month(index: int) -> tuple[str, date]:
    """The index-th monthly period from 2001-01 on, with its last day: every (thread, write) gets its own."""
    year, month = 2001 + index // 12, index % 12 + 1
    next_first = date(year + month // 12, month % 12 + 1, 1)
    return f"{year}-{month:02d}", next_first - timedelta(days=1)


def test_eight_threads_writing_notes_and_readings_to_one_account_lose_nothing(
    records: Records, team: Team, engine: Engine, db_url: str
) -> None:
    if db_url.startswith("sqlite"):
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    account = records.accounts.create(actor=team.dana, data={"name": "Northwind Facilities", "industry": "FM"})
    metric = records.metrics.create(
        actor=team.dana, account_id=account.id, data={"key": "occupancy", "name": "Occupancy"}
    )
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def writer(thread: int) -> None:
        try:
            barrier.wait(timeout=30)
            for i in range(WRITES_PER_THREAD):
                records.notes.create(
                    actor=team.dana,
                    account_id=account.id,
                    data={"occurred_on": date(2026, 1, 1), "author": f"writer {thread}", "body": f"note {thread}/{i}"},
                )
                period, period_end = _month(thread * WRITES_PER_THREAD + i)
                records.metrics.record_reading(
                    actor=team.dana,
                    account_id=account.id,
                    metric_id=metric.id,
                    data={"period": period, "period_end": period_end, "value": thread * 100 + i},
                )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not any(t.is_alive() for t in threads)
    assert errors == []
    expected = THREADS * WRITES_PER_THREAD
    assert records.notes.count(actor=team.dana, account_id=account.id) == expected
    readings = records.metrics.readings(actor=team.dana, account_id=account.id, metric_id=metric.id)
    assert len(readings) == expected
    assert sorted(r.value for r in readings) == sorted(
        t * 100 + i for t in range(THREADS) for i in range(WRITES_PER_THREAD)
    )
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Note)) == expected
        assert conn.scalar(select(func.count()).select_from(MetricReading)) == expected
        # Account + metric, then one audit event per write.
        account_events = select(func.count()).select_from(AuditEvent).where(AuditEvent.account_id == account.id)
        assert conn.scalar(account_events) == 2 + 2 * expected
    bodies = {n.body for n in records.notes.list(actor=team.dana, account_id=account.id, limit=expected + 1)}
    assert bodies == {f"note {t}/{i}" for t in range(THREADS) for i in range(WRITES_PER_THREAD)}
