"""Sentences with their evidence: the composer cites only refs that this turn's tools returned."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from assistant.citations import Citation
from assistant.drafting.text import shorten


class Cite:
    """Appends `[kind:id]` refs to a sentence, keeping only refs the tools returned (the runner drops others)."""

    def __init__(self, known: Iterable[Citation]) -> None:
        self.known = {c.ref for c in known}

    def refs(self, citations: Iterable[Citation | None]) -> str:
        seen: list[str] = []
        for citation in citations:
            if citation is not None and citation.ref in self.known and citation.ref not in seen:
                seen.append(citation.ref)
        return " ".join(f"[{ref}]" for ref in seen)

    def line(self, text: str, *citations: Citation | None) -> str:
        refs = self.refs(citations)
        return f"{text} {refs}" if refs else text

    def ref(self, kind: str, ident: object) -> str:
        """A ref by kind and id, if a tool returned it (e.g. the lesson a quiz came from)."""
        ref = f"{kind}:{ident}"
        return f"[{ref}]" if ref in self.known else ""


def days_ago(when: date | None, today: date) -> str:
    if when is None:
        return "never"
    days = (today - when).days
    if days == 0:
        return f"{when.isoformat()} (today)"
    if days < 0:
        return f"{when.isoformat()} (in {-days} days)"
    return f"{when.isoformat()} ({days} days ago)"


def clip(text: object, limit: int = 120) -> str:
    return shorten(str(text), limit)
