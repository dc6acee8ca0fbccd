"""The scorer vocabulary: a scorer looks at one case and the answer the system gave, and returns a `Score`.

`value` is in [0, 1] (higher is better) and is what the summary averages and the gate compares; `passed` is the
scorer's verdict on this one case; `reason` says why, in words a person fixing the system can act on.
A scorer that does not apply to a case (no expectation of its kind) is simply not asked; one that applies but
finds nothing to judge (an answer with no citations, for citation validity) returns None.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from evals.answers import Answer
    from evals.cases import Case

Similarity = Callable[[str, Sequence[str]], float]
"""Best cosine similarity between a sentence and any of the given texts (embedding support, when available)."""


@dataclass(frozen=True)
class Score:
    value: float
    passed: bool
    reason: str

    def __post_init__(self) -> None:
        if not 0.0 <= self.value <= 1.0:
            raise ValueError(f"score value must be in [0, 1], got {self.value}")


class Scorer(Protocol):
    name: str

    def applies(self, case: Case) -> bool:
        """Whether the case states an expectation this scorer judges (decided before the case runs)."""
        ...

    def score(self, case: Case, answer: Answer) -> Score | None: ...


def ratio(hit: int, total: int) -> float:
    return 1.0 if total == 0 else hit / total
