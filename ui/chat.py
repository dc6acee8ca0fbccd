"""One chat turn as the UI follows it: the stream of `ChatEvent`s folded into what the page shows — the text to
stream, the activity feed, citations, flagged passages, proposals and the error. Plain Python, so the folding is
tested without Streamlit."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.agent.events import TOOL_LABELS, ChatEvent
from assistant.citations import REF_PATTERN, Citation
from assistant.conversations.service import MessageOut, ToolCallRecord
from assistant.proposals.service import ProposalOut


def tool_label(name: str) -> str:
    return TOOL_LABELS.get(name, name.replace("_", " "))


def activity_line(name: str, summary: str, duration_ms: int = 0) -> str:
    """ "searching the curriculum → read 4 passages (0.2 s)" """
    took = f" ({duration_ms / 1000:.1f} s)" if duration_ms >= 100 else ""
    return f"{tool_label(name)} → {summary}{took}" if summary else f"{tool_label(name)}{took}"


def number_refs(text: str, citations: Sequence[Citation]) -> tuple[str, list[Citation]]:
    """Replace the `[note:185]` refs of an answer by [1], [2]… in order of first mention, so the answer reads
    like a document with footnotes. Returns the text and the citations in footnote order (cited ones first,
    then anything else consulted). A ref with no citation behind it is left as it is."""
    by_ref = {c.ref: c for c in citations}
    order: dict[str, int] = {}

    def number(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref not in by_ref:
            return match.group(0)
        order.setdefault(ref, len(order) + 1)
        return f"[{order[ref]}]"

    numbered = REF_PATTERN.sub(number, text)
    # "[1] [2]" reads better as "[1][2]".
    numbered = re.sub(r"\](?:[ \t]+)\[(?=\d+\])", "][", numbered)
    cited = [by_ref[ref] for ref in order]
    rest = [c for c in citations if c.ref not in order]
    return numbered, [*cited, *rest]


def history_activity(calls: list[ToolCallRecord]) -> list[str]:
    return [activity_line(c.name, c.summary, c.duration_ms) for c in calls]


@dataclass
class TurnLog:
    """Everything one streamed turn produced, in arrival order."""

    text: list[str] = field(default_factory=list)
    running: str | None = None
    activity: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    flagged: list[Citation] = field(default_factory=list)
    proposals: list[ProposalOut] = field(default_factory=list)
    error: str | None = None
    retryable: bool = False
    message: MessageOut | None = None

    def feed(self, event: ChatEvent) -> str | None:
        """Record one event; returns the text to stream when it is a token."""
        if event.type == "token":
            self.text.append(event.text)
            return event.text
        if event.type == "tool_start":
            self.running = event.label
        elif event.type == "tool_end":
            self.running = None
            self.activity.append(activity_line(event.name, event.summary, event.duration_ms))
        elif event.type == "citation":
            self.citations.append(event.citation)
        elif event.type == "flagged":
            self.flagged.append(event.citation)
        elif event.type == "proposal":
            self.proposals.append(event.proposal)
        elif event.type == "error":
            self.error, self.retryable = event.message, event.retryable
        elif event.type == "done":
            self.message = event.message
        return None

    @property
    def status_label(self) -> str:
        if self.error is not None:
            return "The coach could not finish this answer"
        if self.running:
            return f"{self.running[:1].upper()}{self.running[1:]}…"
        steps = len(self.activity)
        return f"Done: {steps} step{'s' if steps != 1 else ''}" if steps else "Answered from what the coach knows"
