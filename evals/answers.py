"""An `Answer`: what the system under test produced for one case, plus the facts about the world a scorer needs
to judge it (which accounts were in scope, what every cited source says, which refs the case's selectors
name). Scorers are pure functions of (case, answer); everything that touches the database happens before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.citations import Citation, refs_in
from evals.text import Sentence, cited_sentences, excerpt

if TYPE_CHECKING:
    from assistant.drafting.models import Draft
    from assistant.proposals.service import ProposalOut
    from assistant.service import ChatReply
    from evals.evidence import EvidenceIndex

_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)
_ZONE_SCORE = re.compile(r"\b(value|alignment|relationships|growth)\b[^\n]{0,40}?\((\d)/5\)", re.IGNORECASE)


@dataclass
class ToolCall:
    name: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class DraftShape:
    """The parts of a draft the structure scorer checks, whether it came as an object or as chat Markdown."""

    kind: str
    sections: list[str] = field(default_factory=list)  # section keys, or headings when parsed from Markdown
    titles: list[str] = field(default_factory=list)
    zones: dict[str, int] = field(default_factory=dict)
    questions: int = 0
    keys: int = 0
    gaps: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    approvers: list[str] = field(default_factory=list)
    changes: int = 0

    @classmethod
    def of(cls, draft: Draft) -> DraftShape:
        from assistant.drafting.models import CharterRevisionDraft, HealthAssessmentDraft, MeetingBrief, TenKeysReview

        shape = cls(
            kind=draft.kind,
            sections=[s.key for s in draft.sections],
            titles=[s.title for s in draft.sections],
            gaps=list(draft.gaps),
            missing=[m for s in draft.sections for m in s.missing],
        )
        if isinstance(draft, HealthAssessmentDraft):
            shape.zones = {z.zone.value: z.score for z in draft.zones}
        if isinstance(draft, MeetingBrief):
            shape.questions = len(draft.questions)
        if isinstance(draft, TenKeysReview):
            shape.keys = len(draft.keys) or max((len(a.keys) for a in draft.accounts), default=0)
        if isinstance(draft, CharterRevisionDraft):
            shape.approvers = list(draft.approvers)
            shape.changes = len(draft.changes)
        return shape

    @classmethod
    def from_markdown(cls, kind: str, text: str) -> DraftShape:
        titles = _HEADING.findall(text)
        zones = {zone.lower(): int(score) for zone, score in _ZONE_SCORE.findall(text)}
        questions = len(re.findall(r"^\s*[-*]\s+To [^:]{1,80}:", text, re.MULTILINE))
        keys = len(set(re.findall(r"\bKey (\d{1,2})\b", text)))
        return cls(kind=kind, sections=titles, titles=titles, zones=zones, questions=questions, keys=keys)


@dataclass
class Answer:
    case_id: str
    dataset: str
    text: str = ""
    sentences: list[Sentence] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    tool_calls: list[ToolCall] = field(default_factory=list)
    proposals: list[dict[str, Any]] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    draft: DraftShape | None = None
    error: str | None = None
    denied: bool = False  # the facade refused the request outright (e.g. an account outside the portfolio)
    latency_ms: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    writes: list[str] | None = None  # record tables changed; None when the case was not checked for writes
    scope_account_ids: list[int] = field(default_factory=list)
    visible_account_ids: list[int] = field(default_factory=list)
    question: str = ""
    required: dict[str, list[str]] = field(default_factory=dict)
    required_any: dict[str, list[str]] = field(default_factory=dict)
    index: EvidenceIndex | None = field(default=None, repr=False)

    @property
    def cited_refs(self) -> list[str]:
        return list(dict.fromkeys(c.ref for c in self.citations))

    def citation(self, ref: str) -> Citation | None:
        return next((c for c in self.citations if c.ref == ref), None)

    def summary(self) -> dict[str, Any]:
        """What results.jsonl keeps of the answer."""
        return {
            "answer": excerpt(self.text, 1200),
            "tool_calls": [{"name": t.name, "args": t.args} for t in self.tool_calls],
            "citations": self.cited_refs[:40],
            "proposals": self.proposals,
            "flagged": self.flagged,
            "writes": self.writes,
            "error": self.error,
            "denied": self.denied,
        }


def from_reply(case_id: str, dataset: str, reply: ChatReply, *, latency_ms: int) -> Answer:
    """A chat turn as users get it: the persisted message, its tool calls, proposals and flags."""
    message = reply.message
    text = message.content
    cited = set(refs_in(text))
    citations = list({c.ref: c for c in message.citations if c.ref in cited}.values())
    answer = Answer(
        case_id=case_id,
        dataset=dataset,
        text=text,
        sentences=cited_sentences(text),
        citations=citations,
        tool_calls=[ToolCall(t.name, dict(t.args)) for t in message.tool_calls],
        proposals=[
            {"id": p.id, "kind": p.kind.value, "status": p.status.value, "summary": p.summary} for p in reply.proposals
        ],
        flagged=[c.ref for c in reply.flagged],
        error=reply.error or message.error,
        latency_ms=latency_ms,
        tokens_in=message.tokens_in,
        tokens_out=message.tokens_out,
    )
    kind = _draft_kind(answer.tool_calls)
    if kind is not None and _HEADING.search(text):
        # Only an answer that presents a draft has one; a drafting tool that found nothing (an account outside
        # the portfolio, say) leaves a plain answer.
        answer.draft = DraftShape.from_markdown(kind, text)
    return answer


def from_draft(
    case_id: str, dataset: str, draft: Draft, *, latency_ms: int, proposal: ProposalOut | None = None
) -> Answer:
    """A draft from the facade's draft methods: claims keep their own citations, no parsing needed."""
    from assistant.drafting.render import to_markdown

    sentences = [
        Sentence(text=claim.text, refs=[c.ref for c in claim.citations])
        for section in draft.sections
        for claim in section.claims
    ]
    proposals = []
    if proposal is not None:
        proposals.append(
            {
                "id": proposal.id,
                "kind": proposal.kind.value,
                "status": proposal.status.value,
                "summary": proposal.summary,
            }
        )
    return Answer(
        case_id=case_id,
        dataset=dataset,
        text=to_markdown(draft),
        sentences=sentences,
        citations=draft.citations(),
        proposals=proposals,
        draft=DraftShape.of(draft),
        latency_ms=latency_ms,
    )


_DRAFT_TOOLS = {
    "draft_meeting_brief": "meeting_brief",
    "draft_quarterly_review": "quarterly_review",
    "review_ten_keys": "ten_keys_review",
    "propose_health_assessment": "health_assessment",
    "propose_charter_revision": "charter_revision",
}


def _draft_kind(calls: list[ToolCall]) -> str | None:
    return next((_DRAFT_TOOLS[c.name] for c in calls if c.name in _DRAFT_TOOLS), None)
