"""The vocabulary of early warnings: rules, severities, the `EarlyWarning` model and the rules' thresholds.

Kept apart from the rules themselves (`signals.py`) so drafts and people helpers can share the names without
importing every rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel, Field

from assistant.citations import Citation, Claim
from assistant.drafting.text import any_term
from assistant.records.enums import HealthStatus

LEADERSHIP_LEFT_DAYS = 180  # an executive or decision-maker left or was replaced this recently
LEADERSHIP_JOINED_DAYS = 90  # ... or joined this recently
LEADERSHIP_NOTE_DAYS = 120  # ... or a note this recent speaks of retirement or succession
ACQUISITION_NOTE_DAYS = 180
CONTRACT_END_DAYS = 730  # about 24 months: start the next-phase conversation
CONTRACT_URGENT_DAYS = 365
RENEWAL_NOTE_DAYS = 365
SILENT_SPONSOR_DAYS = 60
SILENT_SPONSOR_HIGH_DAYS = 90
BELOW_TARGET_PERIODS = 2
BELOW_TARGET_HIGH_SHORTFALL = 0.05  # 5% of target
ZONE_GAP_POINTS = 2
DETRACTOR_MIN_POWER = 4
RISING_WINDOW_DAYS = 180
COMPETITOR_NOTE_DAYS = 180
CHARTER_REVIEW_DAYS = 45
STALE_DAYS = 90
MAX_CITED_NOTES = 4

LEADERSHIP_TERMS = any_term(
    [
        r"retir\w*",
        r"successors?",
        r"new (?:ceo|chief executive|president|cio|cfo|coo|cto)",
        r"steps? down",
        r"stepping down",
        r"replaced",
        r"resign\w*",
    ]
)
ACQUISITION_TERMS = any_term([r"acqui(?:re|res|red|ring|sition|sitions)", r"merg(?:er|ers|ing|e)", r"takeover"])
RENEWAL_TERMS = any_term(
    [r"renew\w*", r"extensions?", r"extend(?:ing)? (?:the|our) (?:contract|agreement)", r"next phase"]
)
INFLUENCE_TERMS = any_term([r"sign-?off", r"chairs?", r"influence", r"say over", r"approv\w*", r"decides?"])
STRATEGIC_TERMS = any_term([r"strategic"])
# What a customer says when it does not see the account as strategic (key 1 of the ten-keys article).
NOT_STRATEGIC_TERMS = any_term(
    [
        r"(?:didn't|did not|don't|do not) know (?:we were|it was|they were)",
        r"what do we get",
        r"not (?:see|consider) (?:this|it|itself|us) as",
        r"means nothing",
        r"not strategic",
    ]
)
HEALTH_RANK = {HealthStatus.STRONG: 0, HealthStatus.VULNERABLE: 1, HealthStatus.DAMAGED: 2}


class Rule(StrEnum):
    LEADERSHIP_CHANGE = "leadership_change"
    ACQUISITION = "acquisition"
    CONTRACT_END_NO_RENEWAL = "contract_end_no_renewal"
    SILENT_SPONSOR = "silent_sponsor"
    METRIC_BELOW_TARGET = "metric_below_target"
    PERCEPTION_GAP = "perception_gap"
    RISING_DETRACTOR = "rising_detractor"
    DECISION_MAKER_WITHOUT_OWNER = "decision_maker_without_owner"
    NOT_MUTUALLY_STRATEGIC = "not_mutually_strategic"
    CHARTER_REVIEW_DUE = "charter_review_due"
    STALE_ACCOUNT = "stale_account"


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


class EarlyWarning(BaseModel):
    """One early-warning signal on one account, with the records that triggered it.

    `points` is the detail sentence by sentence, each citing only the records it rests on, and `basis` the
    records behind the title: a draft cites each sentence with its own evidence rather than every sentence
    with everything the rule read. `detail` and `citations` are the same facts flattened, for readers that
    show a warning as one line.
    """

    rule: Rule
    severity: Severity
    title: str
    detail: str
    citations: list[Citation] = Field(description="the account records that triggered the rule")
    curriculum: Citation = Field(description="the passage that teaches what to do")
    title_citations: list[Citation] = Field(
        default_factory=list, description="the records the title rests on; empty: all of `citations`"
    )
    points: list[Claim] = Field(
        default_factory=list, description="the detail sentence by sentence, each with the records it rests on"
    )
    stakeholder_ids: list[int] = Field(default_factory=list, description="the people the warning is about")
    subject: str | None = Field(default=None, description="what else it is about, such as a metric key")

    @property
    def basis(self) -> list[Citation]:
        """The records behind the title: what a question, an action or a summary naming the warning cites."""
        return self.title_citations or self.citations

    def claims(self) -> list[Claim]:
        """The warning as cited sentences: the title (its records and the curriculum passage), then each point."""
        if not self.points:
            return [self.claim()]
        head = Claim(text=f"[{self.severity.value}] {self.title}.", citations=[*self.basis, self.curriculum])
        return [head, *self.points]

    def claim(self) -> Claim:
        return Claim(
            text=f"[{self.severity.value}] {self.title}. {self.detail}".strip(),
            citations=[*self.citations, self.curriculum],
        )


def point(text: str, *citations: Citation) -> Claim:
    """One sentence of a warning's detail and the records it rests on."""
    return Claim(text=text, citations=list(citations))


def make_warning(
    rule: Rule,
    severity: Severity,
    title: str,
    points: Sequence[Claim],
    *,
    basis: Sequence[Citation],
    curriculum: Citation,
    stakeholder_ids: Sequence[int] = (),
    subject: str | None = None,
) -> EarlyWarning:
    """A warning from its title, the records behind the title and its cited points; `detail` and `citations`
    are derived from them, so the flat and the sentence-by-sentence views always agree."""
    cited: dict[str, Citation] = {}
    for citation in [*basis, *(c for p in points for c in p.citations)]:
        cited.setdefault(citation.ref, citation)
    return EarlyWarning(
        rule=rule,
        severity=severity,
        title=title,
        detail=" ".join(p.text for p in points),
        citations=list(cited.values()),
        curriculum=curriculum,
        title_citations=list(basis),
        points=list(points),
        stakeholder_ids=list(stakeholder_ids),
        subject=subject,
    )
