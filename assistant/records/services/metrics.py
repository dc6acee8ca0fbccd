"""Key success metrics and their readings, and performance against the signed charter's targets."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel

from assistant.records.actor import Actor
from assistant.records.enums import AuditAction, MetricDirection
from assistant.records.errors import Conflict
from assistant.records.models import Metric, MetricReading
from assistant.records.repositories import charters as repo
from assistant.records.repositories.scoping import get_visible_account
from assistant.records.schemas import MetricIn, MetricOut, ReadingIn, ReadingOut
from assistant.records.services.base import Service, parse, record_audit


class MetricSeries(BaseModel):
    """One metric with its charter target and readings over time: what charts and drafts need."""

    metric: MetricOut
    target: float | None
    readings: builtins.list[ReadingOut]

    def on_target(self, value: float) -> bool | None:
        if self.target is None:
            return None
        if self.metric.direction is MetricDirection.HIGHER_IS_BETTER:
            return value >= self.target
        return value <= self.target

    @property
    def latest(self) -> ReadingOut | None:
        return self.readings[-1] if self.readings else None

    def periods_below_target(self) -> int:
        """How many of the most recent readings in a row miss the target."""
        run = 0
        for reading in reversed(self.readings):
            if self.on_target(reading.value) is False:
                run += 1
            else:
                break
        return run


class MetricService(Service):
    def list(self, *, actor: Actor, account_id: int) -> builtins.list[MetricOut]:
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            return [MetricOut.model_validate(m) for m in repo.list_metrics(session, account_id)]

    def create(self, *, actor: Actor, account_id: int, data: MetricIn | Mapping[str, Any]) -> MetricOut:
        payload = parse(MetricIn, data)
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            if payload.key in repo.metrics_by_key(session, account_id):
                raise Conflict("key", f"metric {payload.key!r} already exists on this account")
            metric = Metric(account_id=account_id, **payload.model_dump())
            session.add(metric)
            session.flush()
            out = MetricOut.model_validate(metric)
            record_audit(
                session,
                actor,
                entity="metric",
                entity_id=metric.id,
                action=AuditAction.CREATE,
                account_id=account_id,
                after=out,
            )
            return out

    def record_reading(
        self, *, actor: Actor, account_id: int, metric_id: int, data: ReadingIn | Mapping[str, Any]
    ) -> ReadingOut:
        """Add a reading, or correct the one already recorded for that period."""
        payload = parse(ReadingIn, data)
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            repo.get_metric(session, account_id, metric_id)
            existing = repo.get_reading(session, metric_id, payload.period)
            if existing is not None:
                before = ReadingOut.model_validate(existing)
                for field, value in payload.model_dump().items():
                    setattr(existing, field, value)
                session.flush()
                after = ReadingOut.model_validate(existing)
                record_audit(
                    session,
                    actor,
                    entity="metric_reading",
                    entity_id=existing.id,
                    action=AuditAction.UPDATE,
                    account_id=account_id,
                    before=before,
                    after=after,
                )
                return after
            reading = MetricReading(metric_id=metric_id, **payload.model_dump())
            session.add(reading)
            session.flush()
            out = ReadingOut.model_validate(reading)
            record_audit(
                session,
                actor,
                entity="metric_reading",
                entity_id=reading.id,
                action=AuditAction.CREATE,
                account_id=account_id,
                after=out,
            )
            return out

    def readings(self, *, actor: Actor, account_id: int, metric_id: int | None = None) -> builtins.list[ReadingOut]:
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            return [ReadingOut.model_validate(r) for r in repo.list_readings(session, account_id, metric_id=metric_id)]

    def series(self, *, actor: Actor, account_id: int, until: date | None = None) -> builtins.list[MetricSeries]:
        """Every metric with the signed charter's target and its readings (up to `until`), oldest first."""
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            charter = repo.current_charter(session, account_id)
            targets = {t.metric_id: t.target for t in charter.targets} if charter is not None else {}
            readings = repo.list_readings(session, account_id)
            return [
                MetricSeries(
                    metric=MetricOut.model_validate(metric),
                    target=targets.get(metric.id),
                    readings=[
                        ReadingOut.model_validate(r)
                        for r in readings
                        if r.metric_id == metric.id and (until is None or r.period_end <= until)
                    ],
                )
                for metric in repo.list_metrics(session, account_id)
            ]
