"""Grounded drafting: evidence gathered by code, early-warning rules, cited drafts, prose last.

Public entry point: `DraftingService`. Drafts are pydantic models (`MeetingBrief`, `HealthAssessmentDraft`,
`CharterRevisionDraft`, `QuarterlyReview`, `TenKeysReview`) rendered by `render.to_markdown` / `render.to_docx`.
"""

from assistant.drafting.evidence import AccountEvidence, gather_evidence
from assistant.drafting.models import (
    CharterRevisionDraft,
    CharterTrigger,
    Draft,
    DraftSection,
    HealthAssessmentDraft,
    MeetingBrief,
    QuarterlyReview,
    Question,
    TenKeysReview,
)
from assistant.drafting.prose import LLMProseWriter, ProseWriter, TemplateProseWriter
from assistant.drafting.service import DraftingService
from assistant.drafting.signals import EarlyWarning, Rule, Severity, detect_early_warnings

__all__ = [
    "AccountEvidence",
    "CharterRevisionDraft",
    "CharterTrigger",
    "Draft",
    "DraftSection",
    "DraftingService",
    "EarlyWarning",
    "HealthAssessmentDraft",
    "LLMProseWriter",
    "MeetingBrief",
    "ProseWriter",
    "QuarterlyReview",
    "Question",
    "Rule",
    "Severity",
    "TemplateProseWriter",
    "TenKeysReview",
    "detect_early_warnings",
    "gather_evidence",
]
