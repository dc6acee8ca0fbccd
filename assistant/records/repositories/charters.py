"""Queries over charters, metrics and readings."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from assistant.records.enums import CharterStatus
from assistant.records.errors import NotFound
from assistant.records.models import Charter, CharterSignatory, CharterTarget, Metric, MetricReading
from assistant.records.schemas import CharterOut, SignatoryOut, TargetOut

_CHARTER_LOAD = (
    selectinload(Charter.targets).selectinload(CharterTarget.metric),
    selectinload(Charter.signatories).selectinload(CharterSignatory.stakeholder),
)


def list_charters(session: Session, account_id: int) -> list[Charter]:
    return list(
        session.scalars(
            select(Charter).where(Charter.account_id == account_id).options(*_CHARTER_LOAD).order_by(Charter.version)
        )
    )


def get_charter_version(session: Session, account_id: int, version: int) -> Charter:
    charter = session.scalar(
        select(Charter).where(Charter.account_id == account_id, Charter.version == version).options(*_CHARTER_LOAD)
    )
    if charter is None:
        raise NotFound("charter version", version)
    return charter


def current_charter(session: Session, account_id: int) -> Charter | None:
    """The signed charter in force, or None if the account has never signed one."""
    return session.scalar(
        select(Charter)
        .where(Charter.account_id == account_id, Charter.status == CharterStatus.SIGNED)
        .options(*_CHARTER_LOAD)
        .order_by(Charter.version.desc())
        .limit(1)
    )


def open_draft(session: Session, account_id: int) -> Charter | None:
    return session.scalar(
        select(Charter)
        .where(
            Charter.account_id == account_id,
            Charter.status.in_([CharterStatus.DRAFT, CharterStatus.PROPOSED]),
        )
        .options(*_CHARTER_LOAD)
        .limit(1)
    )


def charter_version_signed_by(session: Session, stakeholder_id: int) -> int | None:
    """A charter version listing this stakeholder as a signatory, if any."""
    return session.scalar(
        select(Charter.version)
        .join(CharterSignatory, CharterSignatory.charter_id == Charter.id)
        .where(CharterSignatory.stakeholder_id == stakeholder_id)
        .order_by(Charter.version)
        .limit(1)
    )


def next_version(session: Session, account_id: int) -> int:
    latest = session.scalar(select(func.max(Charter.version)).where(Charter.account_id == account_id))
    return (latest or 0) + 1


def charter_out(charter: Charter) -> CharterOut:
    return CharterOut.model_validate(
        {
            **{c: getattr(charter, c) for c in CharterOut.model_fields if c not in ("targets", "signatories")},
            "targets": [
                TargetOut(
                    metric_id=t.metric_id,
                    metric_key=t.metric.key,
                    metric_name=t.metric.name,
                    unit=t.metric.unit,
                    direction=t.metric.direction,
                    target=t.target,
                )
                for t in sorted(charter.targets, key=lambda t: t.metric.key)
            ],
            "signatories": [
                SignatoryOut(
                    stakeholder_id=s.stakeholder_id,
                    name=s.stakeholder.name,
                    title=s.stakeholder.title,
                    side=s.stakeholder.side,
                    approved_on=s.approved_on,
                )
                for s in sorted(charter.signatories, key=lambda s: s.stakeholder_id)
            ],
        }
    )


def list_metrics(session: Session, account_id: int) -> list[Metric]:
    return list(session.scalars(select(Metric).where(Metric.account_id == account_id).order_by(Metric.key)))


def get_metric(session: Session, account_id: int, metric_id: int) -> Metric:
    metric = session.scalar(select(Metric).where(Metric.id == metric_id, Metric.account_id == account_id))
    if metric is None:
        raise NotFound("metric", metric_id)
    return metric


def metrics_by_key(session: Session, account_id: int) -> dict[str, Metric]:
    return {m.key: m for m in list_metrics(session, account_id)}


def list_readings(session: Session, account_id: int, *, metric_id: int | None = None) -> list[MetricReading]:
    stmt = (
        select(MetricReading)
        .join(Metric, Metric.id == MetricReading.metric_id)
        .where(Metric.account_id == account_id)
        .order_by(MetricReading.metric_id, MetricReading.period_end)
    )
    if metric_id is not None:
        stmt = stmt.where(MetricReading.metric_id == metric_id)
    return list(session.scalars(stmt))


def get_reading(session: Session, metric_id: int, period: str) -> MetricReading | None:
    return session.scalar(
        select(MetricReading).where(MetricReading.metric_id == metric_id, MetricReading.period == period)
    )
