"""The grounded composer: one answer from the tools' artifacts, a composer per artifact type.

It never states anything the artifacts do not hold: records are described from their fields, coaching is
extracted from retrieved passages, drafts are the drafting service's own cited Markdown, proposals say what
was proposed and that it waits for approval (or was auto-applied — never a change that did not happen).
Every answer ends with the line saying this is the offline mode and what an LLM would add.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.agent.artifacts import (
    AccountsArtifact,
    ActionsArtifact,
    CharterArtifact,
    DraftArtifact,
    FeedbackArtifact,
    HealthHistoryArtifact,
    LessonArtifact,
    MetricsArtifact,
    NotFoundArtifact,
    OverviewArtifact,
    PassagesArtifact,
    ProposalArtifact,
    StakeholdersArtifact,
    ToolArtifact,
    WarningsArtifact,
)
from assistant.agent.context import AssistantContext
from assistant.agent.events import TOOL_LABELS
from assistant.citations import SourceKind
from assistant.offline import accounts, templates
from assistant.offline.citing import Cite, clip
from assistant.offline.coaching import (
    compose_coaching,
    compose_feedback,
    compose_lesson,
    compose_quiz_marks,
    lesson_title,
)
from assistant.offline.extraction import Extractor
from assistant.offline.planner import STRATEGIC_FIT, Plan
from assistant.offline.questions import asks_question
from assistant.proposals.service import ProposalOut
from knowledge.curriculum import Lesson

_KINDS = "|".join(kind.value for kind in SourceKind)
_SOURCE_LINE = re.compile(rf"^(?P<number>\d+)\. .*?\((?P<ref>(?:{_KINDS}):[^,)\s]+)", re.MULTILINE)
_NUMBER_REF = re.compile(r"\[(\d+)\]")
_NOT_IN_PORTFOLIO = re.compile(r"^No account matching (['\"])(?P<name>.+)\1 in your portfolio\.?$")
MAX_DIFF_LINES = 8
# Rationales that only repeat the request: not worth a "Why" line.
_PLAIN_RATIONALES = ("Requested in conversation", "The user said", "The user asked", "The user's judgement")
DRAFT_NAMES = {
    "meeting_brief": "meeting brief",
    "quarterly_review": "quarterly account review",
    "ten_keys_review": "ten-keys plan review",
}


@dataclass(frozen=True)
class ToolResult:
    name: str
    args: dict[str, Any]
    artifact: ToolArtifact | None
    content: str


@dataclass
class Turn:
    text: str
    plan: Plan
    ctx: AssistantContext
    results: list[ToolResult] = field(default_factory=list)


class Composer:
    def __init__(self, extractor: Extractor, *, curriculum: Sequence[Lesson] = ()) -> None:
        self.extractor = extractor
        self.curriculum = list(curriculum)

    def reply(self, text: str) -> str:
        """A direct answer (help, refusal, a question back) with the offline line."""
        return f"{text}\n\n{templates.OFFLINE_FOOTER}"

    def compose(self, turn: Turn) -> str:
        known = [
            c for r in turn.results if r.artifact is not None for c in (*r.artifact.citations, *r.artifact.flagged)
        ]
        cite = Cite(known)
        parts = [*turn.plan.caveats, *(self._one(result, turn, cite) for result in turn.results)]
        if turn.plan.skip_approval and any(isinstance(r.artifact, ProposalArtifact) for r in turn.results):
            parts.append(templates.SKIP_APPROVAL_NOTE)
        parts.append(templates.OFFLINE_FOOTER)
        return "\n\n".join(p for p in parts if p)

    def _one(self, result: ToolResult, turn: Turn, cite: Cite) -> str:
        artifact = result.artifact
        ctx = turn.ctx
        lessons = ctx.curriculum or self.curriculum
        if artifact is None:
            label = TOOL_LABELS.get(result.name, result.name)
            return f"Something went wrong while {label}, so I can't answer that part: {clip(result.content, 300)}"
        if isinstance(artifact, NotFoundArtifact):
            return self._not_found(artifact, ctx)
        if isinstance(artifact, PassagesArtifact):
            if artifact.tool == "search_curriculum":
                return compose_coaching(
                    artifact,
                    turn.text,
                    extractor=self.extractor,
                    lessons=lessons,
                    cite=cite,
                    account_name=turn.plan.account_name,
                )
            return accounts.compose_notes(artifact, cite, question=asks_question(turn.text))
        if isinstance(artifact, LessonArtifact):
            if turn.plan.intent == "quiz_answer":
                return compose_quiz_marks(artifact, turn.text, cite)
            return compose_lesson(artifact, turn.plan.intent, lessons, cite)
        if isinstance(artifact, FeedbackArtifact):
            return compose_feedback(artifact, lesson_title(artifact.lesson_id, lessons), cite)
        if isinstance(artifact, DraftArtifact):
            return self._draft(artifact)
        if isinstance(artifact, ProposalArtifact):
            return self._proposal(artifact.proposal, artifact, cite)
        return self._records(artifact, turn, cite)

    def _records(self, artifact: ToolArtifact, turn: Turn, cite: Cite) -> str:
        today = turn.ctx.today
        if isinstance(artifact, AccountsArtifact):
            return accounts.compose_accounts(artifact, turn.text, cite)
        if isinstance(artifact, OverviewArtifact):
            return accounts.compose_overview(artifact, today, cite, strategic=turn.plan.intent == STRATEGIC_FIT)
        if isinstance(artifact, StakeholdersArtifact):
            return accounts.compose_stakeholders(artifact, turn.text, turn.plan.people, today, cite)
        if isinstance(artifact, CharterArtifact):
            return accounts.compose_charter(artifact, cite)
        if isinstance(artifact, MetricsArtifact):
            return accounts.compose_metrics(artifact, cite)
        if isinstance(artifact, HealthHistoryArtifact):
            return accounts.compose_health_history(artifact, cite)
        if isinstance(artifact, ActionsArtifact):
            return accounts.compose_actions(artifact, today, cite)
        if isinstance(artifact, WarningsArtifact):
            return accounts.compose_warnings(artifact, cite)
        return f"{TOOL_LABELS.get(artifact.tool, artifact.tool).capitalize()}: done."

    def _not_found(self, artifact: NotFoundArtifact, ctx: AssistantContext) -> str:
        match = _NOT_IN_PORTFOLIO.match(artifact.message.strip())
        if match is None:
            return artifact.message
        portfolio = ctx.records.accounts.list(actor=ctx.actor, limit=13)
        names = ", ".join(a.name for a in portfolio[:12]) + (" and more" if len(portfolio) > 12 else "")
        listed = f" — yours are {names}" if names else ""
        return templates.NOT_IN_PORTFOLIO.format(name=match.group("name"), portfolio=listed)

    @staticmethod
    def _draft(artifact: DraftArtifact) -> str:
        kind = DRAFT_NAMES.get(artifact.draft_kind, artifact.draft_kind.replace("_", " "))
        scope = f"for {artifact.account.name}" if artifact.account is not None else "for your portfolio"
        evidence = len({c.ref for c in artifact.citations if c.is_account_record})
        lead = f"Here is the {kind} {scope}, drafted by code from {evidence} records; every claim carries its source."
        return f"{lead}\n\n{refs_for_numbers(artifact.markdown.strip())}"

    @staticmethod
    def _proposal(proposal: ProposalOut, artifact: ProposalArtifact, cite: Cite) -> str:
        account = artifact.account.name if artifact.account is not None else "the account"
        kind = proposal.kind.value.replace("_", " ")
        evidence = [c for c in artifact.citations if c.is_account_record][:4]
        if artifact.draft_markdown:
            return Composer._drafted_proposal(proposal, artifact, account, kind, cite)
        head = cite.line(
            f"I prepared proposal #{proposal.id} ({kind}) for {account}: {clip(proposal.summary, 240)}", *evidence
        )
        lines = [head if head.endswith((".", "]")) else f"{head}."]
        rationale = proposal.rationale.strip()
        if rationale and not rationale.startswith(_PLAIN_RATIONALES):
            lines.append(cite.line(f"**Why:** {clip(rationale, 400)}", *evidence))
        changes = [_change_line(c.field, c.before, c.after) for c in proposal.diff[:MAX_DIFF_LINES]]
        if changes:
            lines.append("**Changes:**\n" + "\n".join(changes))
            if len(proposal.diff) > MAX_DIFF_LINES:
                lines[-1] += f"\n- … and {len(proposal.diff) - MAX_DIFF_LINES} more changes in the proposal card"
        lines.append(_status_line(proposal))
        return "\n\n".join(lines)

    @staticmethod
    def _drafted_proposal(
        proposal: ProposalOut, artifact: ProposalArtifact, account: str, kind: str, cite: Cite
    ) -> str:
        """A proposal built from a draft (a charter revision) shows the draft: its summary, each change with its
        reason and the signatories, every claim cited to what supports it. The one-line lead cites only the
        record the proposal revises (the charter), not the people the draft's evidence also names."""
        target = proposal.kind.value.split("_", 1)[0]
        revised = [c for c in artifact.citations if c.kind.value == target][:1]
        head = cite.line(
            f"I prepared proposal #{proposal.id} ({kind}) for {account}: {clip(proposal.summary, 240)}", *revised
        )
        lines = [head if head.endswith((".", "]")) else f"{head}.", refs_for_numbers(artifact.draft_markdown.strip())]
        lines.append(_status_line(proposal))
        return "\n\n".join(lines)


def _status_line(proposal: ProposalOut) -> str:
    if proposal.status.value == "applied":
        return "It was applied automatically, because your auto-approve setting covers this kind of change."
    if proposal.status.value == "pending":
        return "It is waiting for your approval: nothing has changed yet. Approve it to apply the change, or reject it."
    reason = f": {proposal.error}" if proposal.error else ""
    return f"Its status is {proposal.status.value}{reason}; nothing was changed."


def _change_line(name: str, before: object, after: object) -> str:
    label = name.replace("_", " ")
    if before is None or before == "":
        return f"- {label}: {clip(_plain(after), 160)}"
    return f"- {label}: {clip(_plain(before), 100)} → {clip(_plain(after), 160)}"


def _plain(value: object) -> str:
    if value is None:
        return "not set"
    if isinstance(value, list | tuple):
        return "; ".join(_plain(v) for v in value) or "none"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_plain(v)}" for k, v in value.items())
    return str(value)


def refs_for_numbers(markdown: str) -> str:
    """Drafts number their sources (`[3]`, listed under "Sources"); in chat every claim carries `[kind:id]` refs
    instead, so the answer's citations are checkable like any other answer's. The Sources list stays."""
    numbers = {m.group("number"): m.group("ref") for m in _SOURCE_LINE.finditer(markdown)}
    if not numbers:
        return markdown
    body, marker, sources = markdown.partition("\n## Sources")
    body = _NUMBER_REF.sub(lambda m: f" [{numbers[m.group(1)]}]" if m.group(1) in numbers else m.group(0), body)
    body = re.sub(r" {2,}\[", " [", body)
    return body + marker + sources
