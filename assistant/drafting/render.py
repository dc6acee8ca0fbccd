"""Render any draft as Markdown or as a Word document: the same headings, claims, gaps and numbered sources.

Claims carry numbered references (`[3]`) into a closing Sources list that names each record (kind, id,
date) and quotes the supporting excerpt, so a reader can check every sentence.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from assistant.citations import Citation, Claim
from assistant.drafting.models import (
    TREND_WORDS,
    CharterRevisionDraft,
    Draft,
    DraftSection,
    HealthAssessmentDraft,
    MeetingBrief,
    QuarterlyReview,
)

GAPS_HEADING = "Gaps in the evidence"
SOURCES_HEADING = "Sources"
# Sections written as running prose rather than bullets.
PARAGRAPH_SECTIONS = {"summary", "what_changed"}


class _Sources:
    """Numbers citations in order of first use."""

    def __init__(self) -> None:
        self.items: list[Citation] = []
        self._index: dict[tuple[str, str | None, str | None], int] = {}

    def number(self, citation: Citation) -> int:
        # The same record quoted for two different sentences is listed twice, each with its own excerpt.
        key = (citation.ref, citation.section, citation.excerpt)
        if key not in self._index:
            self.items.append(citation)
            self._index[key] = len(self.items)
        return self._index[key]

    def refs(self, claim: Claim) -> str:
        numbers = list(dict.fromkeys(self.number(c) for c in claim.citations))
        return "".join(f"[{n}]" for n in numbers)


def headline(draft: Draft) -> list[str]:
    """The lines under the title: when, who wrote the prose, how much evidence, and the draft's key facts."""
    first = (
        f"Generated {draft.generated_on} · prose writer: {draft.writer} · evidence used: {draft.evidence_used} records"
    )
    if draft.dropped_sentences:
        first += f" · {draft.dropped_sentences} model sentence(s) dropped for unverifiable citations"
    lines = [first]
    if isinstance(draft, MeetingBrief):
        who = ", ".join(draft.attendees) or "attendees not specified"
        lines.append(f"Meeting on {draft.meeting_date} with {who}; {len(draft.questions)} questions prepared.")
    elif isinstance(draft, HealthAssessmentDraft):
        zones = ", ".join(f"{z.zone.value} {z.score}/5" for z in draft.zones)
        lines.append(
            f"Proposed overall: {draft.overall.value} ({zones}); "
            + (
                f"{TREND_WORDS[draft.trend]} our previous {draft.previous_overall.value}"
                if draft.previous_overall
                else "our first assessment"
            )
            + (f"; customer's latest view: {draft.customer_overall.value}" if draft.customer_overall else "")
            + "."
        )
    elif isinstance(draft, CharterRevisionDraft):
        target = f"revises version {draft.current_version}" if draft.current_version else "no signed charter yet"
        approvers = ", ".join(draft.approvers) or "none named"
        lines.append(f"Trigger: {draft.trigger.value.replace('_', ' ')}; {target}; approvers: {approvers}.")
        if draft.request:
            lines.append(f"Request: {draft.request}")
    elif isinstance(draft, QuarterlyReview):
        lines.append(f"Quarter from {draft.period_start} to {draft.period_end}.")
    return lines


def to_markdown(draft: Any) -> str:
    if not isinstance(draft, Draft):
        raise TypeError(f"not a draft: {type(draft).__name__}")
    sources = _Sources()
    out = [f"# {draft.title}: {draft.account_name}", "", *(f"_{line}_" for line in headline(draft)), ""]
    if draft.gaps:
        out += [f"## {GAPS_HEADING}", "", *(f"- {gap}" for gap in draft.gaps), ""]
    for section in draft.sections:
        out += [f"## {section.title}", ""]
        out += _section_markdown(section, sources)
        out.append("")
    if sources.items:
        out += [f"## {SOURCES_HEADING}", ""]
        out += [f"{n}. {_source_text(c)}" for n, c in enumerate(sources.items, 1)]
        out.append("")
    return "\n".join(out)


def _section_markdown(section: DraftSection, sources: _Sources) -> list[str]:
    lines: list[str] = []
    if section.key in PARAGRAPH_SECTIONS and section.claims:
        lines.append(" ".join(f"{c.text} {sources.refs(c)}".strip() for c in section.claims))
    else:
        lines += ["- " + _cited(bullet, sources) for bullet in section.bullets()]
    if not section.claims:
        lines.append("_Nothing found in the records for this section._")
    if section.missing:
        lines += ["", "_Missing: " + "; ".join(section.missing) + "._"]
    lines += ["", f"_Evidence used: {section.evidence_used} record(s)._"]
    return lines


def _cited(claims: list[Claim], sources: _Sources) -> str:
    """Claims of one bullet, each followed by its own references."""
    return " ".join(f"{c.text} {sources.refs(c)}".strip() for c in claims)


def _source_text(citation: Citation) -> str:
    parts = [f"{citation.label} ({citation.ref}"]
    if citation.section:
        parts.append(f", § {citation.section}")
    if citation.date:
        parts.append(f", {citation.date}")
    parts.append(")")
    text = "".join(parts)
    return f"{text}: “{citation.excerpt}”" if citation.excerpt else text


def to_docx(draft: Draft) -> bytes:
    """The draft as a .docx file (python-docx), headings and sources as in the Markdown."""
    from docx import Document

    document = Document()
    document.add_heading(f"{draft.title}: {draft.account_name}", level=0)
    for line in headline(draft):
        document.add_paragraph().add_run(line).italic = True
    if draft.gaps:
        document.add_heading(GAPS_HEADING, level=1)
        for gap in draft.gaps:
            document.add_paragraph(gap, style="List Bullet")
    sources = _Sources()
    for section in draft.sections:
        document.add_heading(section.title, level=1)
        paragraph_style = None if section.key in PARAGRAPH_SECTIONS else "List Bullet"
        for bullet in section.bullets():
            document.add_paragraph(_cited(bullet, sources), style=paragraph_style)
        if not section.claims:
            document.add_paragraph().add_run("Nothing found in the records for this section.").italic = True
        if section.missing:
            document.add_paragraph().add_run("Missing: " + "; ".join(section.missing) + ".").italic = True
        document.add_paragraph().add_run(f"Evidence used: {section.evidence_used} record(s).").italic = True
    if sources.items:
        document.add_heading(SOURCES_HEADING, level=1)
        for number, citation in enumerate(sources.items, 1):
            document.add_paragraph(f"[{number}] {_source_text(citation)}")
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
