"""ORM tables of the records domain. Importing this package registers every table on `Base.metadata`."""

from assistant.records.models.accounts import Account, Coverage, Stakeholder, StanceChange
from assistant.records.models.activity import (
    ActionItem,
    HealthAssessment,
    Note,
    Opportunity,
    ZoneScore,
    note_mentions,
    opportunity_stakeholders,
)
from assistant.records.models.audit import AuditEvent
from assistant.records.models.base import Base
from assistant.records.models.charters import Charter, CharterSignatory, CharterTarget, Metric, MetricReading
from assistant.records.models.users import ApiKey, LessonProgress, User

__all__ = [
    "Account",
    "ActionItem",
    "ApiKey",
    "AuditEvent",
    "Base",
    "Charter",
    "CharterSignatory",
    "CharterTarget",
    "Coverage",
    "HealthAssessment",
    "LessonProgress",
    "Metric",
    "MetricReading",
    "Note",
    "Opportunity",
    "Stakeholder",
    "StanceChange",
    "User",
    "ZoneScore",
    "note_mentions",
    "opportunity_stakeholders",
]
