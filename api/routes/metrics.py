"""Key success metrics, their readings, and the series against the signed charter's targets."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AccountId, CurrentUser, PageDep, RecordId, RecordsDep
from api.errors import problems
from api.examples import MetricBody, ReadingBody
from assistant.records.schemas import MetricOut, ReadingOut
from assistant.records.services.metrics import MetricSeries

router = APIRouter(prefix="/v1/accounts/{account_id}/metrics", tags=["metrics"], responses=problems(401, 404, 422))


@router.get("", response_model=list[MetricOut])
def list_metrics(records: RecordsDep, actor: CurrentUser, account_id: AccountId, page: PageDep) -> list[MetricOut]:
    return page.slice(records.metrics.list(actor=actor, account_id=account_id))


@router.post("", status_code=201, response_model=MetricOut, responses=problems(409))
def create_metric(records: RecordsDep, actor: CurrentUser, account_id: AccountId, data: MetricBody) -> MetricOut:
    return records.metrics.create(actor=actor, account_id=account_id, data=data)


@router.get("/series", response_model=list[MetricSeries])
def get_metric_series(
    records: RecordsDep,
    actor: CurrentUser,
    account_id: AccountId,
    until: Annotated[date | None, Query(description="only readings of periods ending by this day")] = None,
) -> list[MetricSeries]:
    """Every metric with the signed charter's target and its readings, oldest first."""
    return records.metrics.series(actor=actor, account_id=account_id, until=until)


@router.get("/{metric_id}/readings", response_model=list[ReadingOut])
def list_readings(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, metric_id: RecordId, page: PageDep
) -> list[ReadingOut]:
    return page.slice(records.metrics.readings(actor=actor, account_id=account_id, metric_id=metric_id))


@router.post("/{metric_id}/readings", response_model=ReadingOut)
def record_reading(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, metric_id: RecordId, data: ReadingBody
) -> ReadingOut:
    """Add the reading of a period, or correct the one already recorded for it."""
    return records.metrics.record_reading(actor=actor, account_id=account_id, metric_id=metric_id, data=data)
