"""`DraftingService`: evidence first, rules second, prose last. Pure reads: drafting never writes records.

Each method gathers the account's evidence as the actor (a foreign account raises `NotFound`), runs the
early-warning rules, builds the draft from cited claims, and only then hands the narrative sections to the
prose writer. Saving an assessment or a charter revision as a proposal is the caller's business.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TypeVar

from assistant import clock
from assistant.citations import Claim
from assistant.db import refuse_writes
from assistant.drafting.brief import build_meeting_brief, map_gaps
from assistant.drafting.charter import build_charter_revision
from assistant.drafting.common import common_gaps
from assistant.drafting.curriculum import Passages, make_passages
from assistant.drafting.evidence import AccountEvidence, gather_evidence
from assistant.drafting.health import build_health_assessment
from assistant.drafting.models import (
    AccountKeys,
    CharterRevisionDraft,
    CharterTrigger,
    Draft,
    HealthAssessmentDraft,
    MeetingBrief,
    QuarterlyReview,
    TenKeysReview,
)
from assistant.drafting.prose import ProseWriter, TemplateProseWriter
from assistant.drafting.review import build_quarterly_review
from assistant.drafting.signals import EarlyWarning, detect_early_warnings
from assistant.drafting.tenkeys import key_sections, portfolio_sections, review_keys
from assistant.records import Records
from assistant.records.actor import Actor
from knowledge.curriculum import Lesson

D = TypeVar("D", bound=Draft)
READ_ONLY = "drafting only reads records; save drafts through proposals"
# The sections the prose writer may rephrase; the rest are structured lists whose wording code controls.
NARRATIVE = {
    "meeting_brief": ("what_changed", "health"),
    "health_assessment": ("summary",),
    "charter_revision": ("summary",),
    "quarterly_review": ("summary",),
    "ten_keys_review": ("summary",),
}


class DraftingService:
    def __init__(
        self,
        records: Records,
        writer: ProseWriter | None = None,
        *,
        curriculum: Sequence[Lesson] | None = None,
    ) -> None:
        self._records = records
        self._writer: ProseWriter = writer or TemplateProseWriter()
        self._curriculum = curriculum
        self._passages: Passages | None = None

    @property
    def writer(self) -> ProseWriter:
        return self._writer

    @property
    def passages(self) -> Passages:
        if self._passages is None:
            self._passages = make_passages(self._curriculum)
        return self._passages

    def evidence(self, actor: Actor, account_id: int, *, today: date | None = None) -> AccountEvidence:
        with refuse_writes(READ_ONLY):
            return gather_evidence(self._records, actor, account_id, today=today or clock.today())

    def early_warnings(self, actor: Actor, account_id: int, *, today: date | None = None) -> list[EarlyWarning]:
        return detect_early_warnings(self.evidence(actor, account_id, today=today), self.passages)

    def stakeholder_gaps(self, actor: Actor, account_id: int, *, today: date | None = None) -> list[Claim]:
        """The holes in the relationship map (no sponsor, uncovered decision-makers, no one in finance, ...)."""
        return map_gaps(self.evidence(actor, account_id, today=today))

    def meeting_brief(
        self,
        actor: Actor,
        account_id: int,
        *,
        stakeholder_ids: Sequence[int] | None = None,
        meeting_date: date | None = None,
        today: date | None = None,
    ) -> MeetingBrief:
        ev, warnings = self._read(actor, account_id, today)
        draft = build_meeting_brief(
            ev, warnings, self.passages, attendee_ids=stakeholder_ids or (), meeting_date=meeting_date
        )
        return self._polish(draft)

    def health_assessment(self, actor: Actor, account_id: int, *, today: date | None = None) -> HealthAssessmentDraft:
        ev, warnings = self._read(actor, account_id, today)
        return self._polish(build_health_assessment(ev, warnings, self.passages))

    def charter_revision(
        self,
        actor: Actor,
        account_id: int,
        *,
        trigger: CharterTrigger | str = CharterTrigger.USER_REQUEST,
        request: str | None = None,
        today: date | None = None,
    ) -> CharterRevisionDraft:
        ev, _ = self._read(actor, account_id, today)
        draft = build_charter_revision(ev, self.passages, trigger=CharterTrigger(trigger), request=request)
        return self._polish(draft)

    def quarterly_review(self, actor: Actor, account_id: int, *, today: date | None = None) -> QuarterlyReview:
        ev, warnings = self._read(actor, account_id, today)
        return self._polish(build_quarterly_review(ev, warnings, self.passages))

    def ten_keys_review(self, actor: Actor, account_id: int | None, *, today: date | None = None) -> TenKeysReview:
        """One account's plan against the ten keys, or (account_id None) every account of the portfolio."""
        day = today or clock.today()
        if account_id is not None:
            ev, warnings = self._read(actor, account_id, day)
            verdicts = review_keys(ev, warnings, self.passages)
            draft = TenKeysReview(
                title="Ten-keys plan review",
                account_id=ev.account_id,
                account_name=ev.account.name,
                generated_on=day,
                keys=verdicts,
                sections=key_sections(verdicts),
                gaps=common_gaps(ev),
            )
            return self._polish(draft)
        with refuse_writes(READ_ONLY):
            ids = self._records.accounts.visible_ids(actor=actor)
        evidence: dict[int, AccountEvidence] = {}
        accounts: list[AccountKeys] = []
        gaps: list[str] = []
        for visible in ids:
            ev, warnings = self._read(actor, visible, day)
            evidence[visible] = ev
            accounts.append(
                AccountKeys(
                    account_id=visible, account_name=ev.account.name, keys=review_keys(ev, warnings, self.passages)
                )
            )
            gaps.extend(f"{ev.account.name}: {gap}" for gap in common_gaps(ev))
        draft = TenKeysReview(
            title="Ten-keys plan review",
            account_id=None,
            account_name=f"Portfolio ({len(accounts)} accounts)",
            generated_on=day,
            accounts=accounts,
            sections=portfolio_sections(accounts, evidence) if accounts else [],
            gaps=gaps if accounts else ["No accounts in this portfolio."],
        )
        return self._polish(draft)

    def _read(self, actor: Actor, account_id: int, today: date | None) -> tuple[AccountEvidence, list[EarlyWarning]]:
        ev = self.evidence(actor, account_id, today=today)
        return ev, detect_early_warnings(ev, self.passages)

    def _polish(self, draft: D) -> D:
        """Let the prose writer rephrase the narrative sections; count what it dropped."""
        before = int(getattr(self._writer, "dropped", 0))
        for section in draft.sections:
            if section.key in NARRATIVE.get(draft.kind, ()) and section.claims:
                task = f"{section.title} of the {draft.title.lower()} for {draft.account_name}"
                section.claims = self._writer.write(task, section.claims)
                section.groups = []  # the writer may merge or split claims: its sentences are bullets of their own
            section.count_evidence()
        draft.writer = str(getattr(self._writer, "name", type(self._writer).__name__))
        draft.dropped_sentences = int(getattr(self._writer, "dropped", 0)) - before
        return draft
