"""Closed vocabularies of the records domain, shared by ORM, schemas, CSV import and the assistant."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    SAM_LEADER = "sam_leader"
    MANAGER = "manager"
    ADMIN = "admin"


class Channel(StrEnum):
    """Through what a change arrived, for the audit trail."""

    CLI = "cli"
    API = "api"
    UI = "ui"
    ASSISTANT = "assistant"
    IMPORT = "import"
    DEMO = "demo"


class Side(StrEnum):
    CLIENT = "client"
    SUPPLIER = "supplier"


class DecisionRole(StrEnum):
    DECISION_MAKER = "decision_maker"
    INFLUENCER = "influencer"
    RECOMMENDER = "recommender"
    APPROVER = "approver"
    USER = "user"


class Stance(StrEnum):
    SPONSOR = "sponsor"
    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    SKEPTIC = "skeptic"
    DETRACTOR = "detractor"


class CharterStatus(StrEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    SIGNED = "signed"
    SUPERSEDED = "superseded"


class MetricDirection(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


class NoteKind(StrEnum):
    MEETING = "meeting"
    CALL = "call"
    EMAIL = "email"
    OBSERVATION = "observation"
    CUSTOMER_FEEDBACK = "customer_feedback"


class HealthStatus(StrEnum):
    STRONG = "strong"
    VULNERABLE = "vulnerable"
    DAMAGED = "damaged"


class Zone(StrEnum):
    VALUE = "value"
    ALIGNMENT = "alignment"
    RELATIONSHIPS = "relationships"
    GROWTH = "growth"


class Assessor(StrEnum):
    SAM_LEADER = "sam_leader"
    CUSTOMER = "customer"
    ASSISTANT = "assistant"


class EvidenceKind(StrEnum):
    NOTE = "note"
    METRIC_READING = "metric_reading"
    STAKEHOLDER = "stakeholder"


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class ActionOrigin(StrEnum):
    MEETING = "meeting"
    ASSESSMENT = "assessment"
    PLAN = "plan"
    ASSISTANT = "assistant"


class OpportunityType(StrEnum):
    EXPANSION = "expansion"
    RENEWAL = "renewal"
    INNOVATION = "innovation"
    CROSS_SELL = "cross_sell"


class OpportunityStage(StrEnum):
    IDENTIFIED = "identified"
    QUALIFIED = "qualified"
    PROPOSED = "proposed"
    WON = "won"
    LOST = "lost"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
