"""Drafts as data: pydantic models with cited sections, rendered by `render.py`, saved by other modules.

Every draft has the same spine (`Draft`): which account, when, which prose writer, and sections of cited
claims, each saying how much evidence it used and what evidence is missing. The subclasses add the
structured parts a caller needs (the questions of a brief, the zone scores of an assessment, the proposed
charter version and its diff).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from assistant.citations import Citation, Claim
from assistant.drafting.signals import EarlyWarning, Severity
from assistant.records.enums import Assessor, EvidenceKind, HealthStatus, Zone
from assistant.records.schemas import CharterDiff, CharterIn, EvidenceRef, HealthAssessmentIn, ZoneScoreIn

Verdict = Literal["strong", "partial", "weak", "unknown"]
Trend = Literal["better", "same", "worse", "first reading"]
TREND_WORDS: dict[str, str] = {
    "better": "better than",
    "worse": "worse than",
    "same": "unchanged from",
    "first reading": "a first reading",
}
ASSISTANT_NAME = "SAM Coach (draft)"
EVIDENCE_KINDS = {kind.value: kind for kind in EvidenceKind}


class DraftSection(BaseModel):
    key: str
    title: str
    claims: list[Claim] = Field(default_factory=list)
    evidence_used: int = Field(default=0, description="distinct account records cited in this section")
    missing: list[str] = Field(default_factory=list, description="evidence this section needed and did not find")
    groups: list[int] = Field(
        default_factory=list,
        description="claims per bullet, in order (a warning's title and its cited points read as one bullet); "
        "empty: one bullet per claim",
    )

    def bullets(self) -> list[list[Claim]]:
        """The claims as the reader sees them: grouped as `groups` says, or one per bullet."""
        if not self.groups or sum(self.groups) != len(self.claims):
            return [[claim] for claim in self.claims]
        found, start = [], 0
        for size in self.groups:
            found.append(self.claims[start : start + size])
            start += size
        return found

    def count_evidence(self) -> DraftSection:
        refs = {c.ref for claim in self.claims for c in claim.citations if c.is_account_record}
        self.evidence_used = len(refs)
        return self


class Draft(BaseModel):
    kind: str
    title: str
    account_id: int | None
    account_name: str
    generated_on: date
    writer: str = Field(default="template", description="the prose writer (and backend) that wrote the text")
    sections: list[DraftSection] = Field(default_factory=list)
    gaps: list[str] = Field(default_factory=list, description="what is missing; the draft abstains instead")
    dropped_sentences: int = Field(default=0, description="model sentences dropped for citing unknown sources")

    def section(self, key: str) -> DraftSection:
        return next(s for s in self.sections if s.key == key)

    def citations(self) -> list[Citation]:
        """Every distinct citation of the draft, in order of first use."""
        seen: dict[tuple[str, str | None], Citation] = {}
        for section in self.sections:
            for claim in section.claims:
                for citation in claim.citations:
                    seen.setdefault((citation.ref, citation.section), citation)
        return list(seen.values())

    @property
    def evidence_used(self) -> int:
        return len({c.ref for c in self.citations() if c.is_account_record})


class Question(BaseModel):
    to: str = Field(description="the stakeholder to ask, or 'any'")
    stakeholder_id: int | None = None
    question: str
    why: str
    citations: list[Citation] = Field(description="the evidence behind the question")
    curriculum: Citation

    def claim(self) -> Claim:
        return Claim(
            text=f"To {self.to}: “{self.question}” Why: {self.why}", citations=[*self.citations, self.curriculum]
        )


class MeetingBrief(Draft):
    kind: str = "meeting_brief"
    meeting_date: date
    attendee_ids: list[int] = Field(default_factory=list)
    attendees: list[str] = Field(default_factory=list)
    warnings: list[EarlyWarning] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)


class ZoneDraft(BaseModel):
    zone: Zone
    score: int = Field(ge=1, le=5)
    rationale: list[Claim] = Field(default_factory=list)
    previous: int | None = None
    customer: int | None = None


class HealthAssessmentDraft(Draft):
    kind: str = "health_assessment"
    overall: HealthStatus
    zones: list[ZoneDraft]
    trend: Trend
    previous_overall: HealthStatus | None = None
    customer_overall: HealthStatus | None = None

    @property
    def summary(self) -> str:
        return " ".join(c.text for c in self.section("summary").claims)

    def zone(self, zone: Zone) -> ZoneDraft:
        return next(z for z in self.zones if z.zone is zone)

    def to_assessment_in(self) -> HealthAssessmentIn:
        """The draft as a records assessment by the assistant, ready to be saved as a proposal by the caller."""
        refs: dict[tuple[str, int], EvidenceRef] = {}
        for citation in self.citations():
            kind = EVIDENCE_KINDS.get(citation.kind.value)
            if kind is not None and citation.id.isdigit():
                refs.setdefault((kind.value, int(citation.id)), EvidenceRef(kind=kind, id=int(citation.id)))
        return HealthAssessmentIn(
            assessed_on=self.generated_on,
            overall=self.overall,
            assessor=Assessor.ASSISTANT,
            assessor_name=ASSISTANT_NAME,
            summary=self.summary[:20_000],
            zones=[
                ZoneScoreIn(zone=z.zone, score=z.score, rationale=" ".join(c.text for c in z.rationale)[:20_000])
                for z in self.zones
            ],
            evidence=list(refs.values())[:200],
        )


class CharterTrigger(StrEnum):
    NEW_STAKEHOLDER = "new_stakeholder"
    MISSED_METRIC = "missed_metric"
    ANNUAL_REVIEW = "annual_review"
    USER_REQUEST = "user_request"


class ChangeRationale(BaseModel):
    clause: str
    change: str
    before: str | None = None
    after: str | None = None
    rationale: list[Claim] = Field(default_factory=list)


class CharterRevisionDraft(Draft):
    kind: str = "charter_revision"
    trigger: CharterTrigger
    request: str | None = None
    current_version: int | None = None
    proposed: CharterIn | None = Field(default=None, description="the next version's content; None without a charter")
    diff: CharterDiff | None = None
    changes: list[ChangeRationale] = Field(default_factory=list)
    approvers: list[str] = Field(default_factory=list, description="signatories who must approve the new version")
    outline: list[str] = Field(default_factory=list, description="first-draft outline when there is no charter")

    @property
    def summary(self) -> str:
        return " ".join(c.text for c in self.section("summary").claims)


class MetricStatus(BaseModel):
    key: str
    name: str
    unit: str
    target: float | None
    readings: list[tuple[str, float]] = Field(default_factory=list, description="(period, value), oldest first")
    on_target: bool | None = None
    citations: list[Citation] = Field(default_factory=list)


class ProposedAction(BaseModel):
    title: str
    owner: str
    due_on: date
    severity: Severity
    reason: str = Field(default="", description="the warning the action answers")
    citations: list[Citation] = Field(default_factory=list)


class QuarterlyReview(Draft):
    kind: str = "quarterly_review"
    period_start: date
    period_end: date
    metrics: list[MetricStatus] = Field(default_factory=list)
    warnings: list[EarlyWarning] = Field(default_factory=list)
    proposed_actions: list[ProposedAction] = Field(default_factory=list)


class KeyVerdict(BaseModel):
    key: int = Field(ge=1, le=10)
    name: str
    verdict: Verdict
    found: list[Claim] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    next_step: Claim | None = None
    curriculum: Citation


class AccountKeys(BaseModel):
    account_id: int
    account_name: str
    keys: list[KeyVerdict]


class TenKeysReview(Draft):
    kind: str = "ten_keys_review"
    keys: list[KeyVerdict] = Field(default_factory=list, description="one account's verdicts")
    accounts: list[AccountKeys] = Field(default_factory=list, description="portfolio mode: per account")


def make_section(
    key: str,
    title: str,
    claims: list[Claim],
    missing: list[str] | None = None,
    *,
    groups: list[int] | None = None,
) -> DraftSection:
    return DraftSection(
        key=key, title=title, claims=claims, missing=missing or [], groups=groups or []
    ).count_evidence()
