"""Abstention: when the evidence is thin or the question is outside the curriculum, the answer says what is
missing and invents nothing.

"Invents nothing" is checked on figures: every amount of money and every percentage the answer states must
appear in the records of the account in scope, in the curriculum, or in the user's own message.
"""

from __future__ import annotations

from evals.answers import Answer
from evals.cases import Case
from evals.scorers.base import Score, ratio
from evals.text import contains_phrase, first_match, money_figures, numbers, percent_figures


class Abstention:
    name = "abstention"

    def applies(self, case: Case) -> bool:
        return case.expect.abstain is not None

    def score(self, case: Case, answer: Answer) -> Score:
        spec = case.expect.abstain
        assert spec is not None
        text = "\n".join([answer.text, *(answer.draft.gaps if answer.draft else [])])
        if answer.draft:
            text += "\n" + "\n".join(answer.draft.missing)
        unsaid = [group for group in spec.missing if first_match(text, group) is None]
        claimed = [p for p in case.expect.must_not_claim if contains_phrase(answer.text, p)]
        invented = invented_figures(answer)
        checks = len(spec.missing) + len(case.expect.must_not_claim) + 1
        failed = len(unsaid) + len(claimed) + (1 if invented else 0)
        reasons = [f"does not say: {' / '.join(repr(p) for p in group[:3])}" for group in unsaid]
        reasons += [f"claims {p!r}" for p in claimed]
        if invented:
            reasons.append("figures found in no source: " + ", ".join(invented[:4]))
        return Score(ratio(checks - failed, checks), failed == 0, "; ".join(reasons) or "says what is missing")


def invented_figures(answer: Answer) -> list[str]:
    """Money amounts and percentages in the answer that no source in scope states.

    The account's records count with any number they hold (a reading of 79.3 in a "% satisfied" metric is a
    percentage); the curriculum and documents count only with the amounts and percentages they state as such.
    """
    index = answer.index
    records = [answer.question]
    library: list[str] = []
    if index is not None:
        for account_id in answer.scope_account_ids:
            records += [s.text for s in index.of_account(account_id)]
        library = [s.text for s in index.of_account(None)]
    plain: set[float] = set()
    for text in records:
        plain |= numbers(text)
    money = plain | {v for text in library for v in money_figures(text)}
    percent = plain | {v for text in library for v in percent_figures(text)}
    found = [f"${v:,.0f}" for v in sorted(money_figures(answer.text)) if not _known(v, money, scaled=True)]
    found += [f"{v:g}%" for v in sorted(percent_figures(answer.text)) if not _known(v, percent, scaled=False)]
    return found


def _known(value: float, allowed: set[float], *, scaled: bool) -> bool:
    # "$1.2M" is stated in the records as 1200000, or in thousands or millions ("$100K" holds 100): all count.
    candidates = {value, value / 1e3, value / 1e6, value / 1e9} if scaled else {value}
    return any(c == a or (a != 0 and abs(c - a) <= 1e-6 * abs(a)) for c in candidates for a in allowed)
