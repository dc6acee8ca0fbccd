"""Deterministic scorers (no model needed) and the optional LLM judge. `build_scorers` names them as datasets do."""

from __future__ import annotations

from collections.abc import Sequence

from evals.scorers.abstention import Abstention
from evals.scorers.base import Score, Scorer, Similarity
from evals.scorers.citations import CitationValidity, EvidenceRecall
from evals.scorers.facts import FactCoverage
from evals.scorers.grounded import Groundedness
from evals.scorers.latency import LatencyBudget
from evals.scorers.safety import Safety
from evals.scorers.structure import StructureCompleteness
from evals.scorers.tools import ToolCallCorrectness

SCORER_NAMES = (
    "facts",
    "evidence",
    "citations",
    "groundedness",
    "structure",
    "tools",
    "safety",
    "abstention",
    "latency",
)


def build_scorers(
    names: Sequence[str], *, similarity: Similarity | None = None, latency_budget_ms: int = 10_000
) -> list[Scorer]:
    unknown = [n for n in names if n not in SCORER_NAMES]
    if unknown:
        raise ValueError(f"unknown scorer(s) {unknown}; known: {', '.join(SCORER_NAMES)}")
    made: dict[str, Scorer] = {
        "facts": FactCoverage(),
        "evidence": EvidenceRecall(),
        "citations": CitationValidity(similarity),
        "groundedness": Groundedness(similarity),
        "structure": StructureCompleteness(),
        "tools": ToolCallCorrectness(),
        "safety": Safety(),
        "abstention": Abstention(),
        "latency": LatencyBudget(latency_budget_ms),
    }
    return [made[name] for name in names]


__all__ = [
    "SCORER_NAMES",
    "Abstention",
    "CitationValidity",
    "EvidenceRecall",
    "FactCoverage",
    "Groundedness",
    "LatencyBudget",
    "Safety",
    "Score",
    "Scorer",
    "Similarity",
    "StructureCompleteness",
    "ToolCallCorrectness",
    "build_scorers",
]
