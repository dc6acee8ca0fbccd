"""Latency and token use per case: within the budget passes; beyond it the value falls as budget / latency."""

from __future__ import annotations

from evals.answers import Answer
from evals.cases import Case
from evals.scorers.base import Score


class LatencyBudget:
    name = "latency"

    def __init__(self, budget_ms: int = 10_000) -> None:
        self.budget_ms = budget_ms

    def applies(self, case: Case) -> bool:
        return True

    def score(self, case: Case, answer: Answer) -> Score:
        budget = case.expect.latency_ms or self.budget_ms
        latency = max(answer.latency_ms, 1)
        value = min(1.0, budget / latency)
        tokens = f"tokens {answer.tokens_in} in / {answer.tokens_out} out"
        return Score(value, latency <= budget, f"{latency} ms (budget {budget} ms); {tokens}")
