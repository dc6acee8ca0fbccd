"""Fact coverage: does the answer state the findings a good answer must contain, and none it must not?"""

from __future__ import annotations

from evals.answers import Answer
from evals.cases import Case
from evals.scorers.base import Score, ratio
from evals.text import contains_phrase, first_match


class FactCoverage:
    """Each fact group is a list of alternative phrasings (any one counts); each must-not-claim phrase counts
    as one more check that passes when the phrase is absent. Value: the share of checks met."""

    name = "facts"

    def applies(self, case: Case) -> bool:
        return bool(case.expect.facts or case.expect.must_not_claim)

    def score(self, case: Case, answer: Answer) -> Score:
        text = answer.text
        missing = [group for group in case.expect.facts if first_match(text, group) is None]
        claimed = [phrase for phrase in case.expect.must_not_claim if contains_phrase(text, phrase)]
        total = len(case.expect.facts) + len(case.expect.must_not_claim)
        value = ratio(total - len(missing) - len(claimed), total)
        reasons = [f"missing {' / '.join(repr(p) for p in group[:3])}" for group in missing]
        reasons += [f"claims {phrase!r}" for phrase in claimed]
        covered = len(case.expect.facts) - len(missing)
        summary = f"{covered}/{len(case.expect.facts)} fact groups"
        return Score(value, not missing and not claimed, "; ".join([summary, *reasons]))
