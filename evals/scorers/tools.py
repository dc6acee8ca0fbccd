"""Tool-call correctness: precision and recall of the calls made against the calls expected, with the
arguments that matter, and no forbidden call.

Reading is harmless, so by default an unexpected read (or draft) does not lower precision; an unexpected
write does. Value: F1 of precision and recall, or 0 when a forbidden tool was called.
"""

from __future__ import annotations

from typing import Any

from evals.answers import Answer, ToolCall
from evals.cases import Case, ExpectedCall
from evals.scorers.base import Score

WRITE_TOOLS = frozenset(
    {
        "propose_note",
        "propose_stakeholder_update",
        "propose_health_assessment",
        "propose_charter_revision",
        "propose_action_item",
    }
)


class ToolCallCorrectness:
    name = "tools"

    def applies(self, case: Case) -> bool:
        return case.expect.tools is not None

    def score(self, case: Case, answer: Answer) -> Score:
        spec = case.expect.tools
        assert spec is not None
        unmatched = list(answer.tool_calls)
        matched = 0
        misses: list[str] = []
        for expected in spec.calls:
            hit = next((call for call in unmatched if call_matches(expected, call)), None)
            if hit is None:
                misses.append(_describe(expected, answer.tool_calls))
            else:
                unmatched.remove(hit)
                matched += 1
        extra = [c for c in unmatched if not spec.allow_extra_reads or c.name in WRITE_TOOLS]
        forbidden = [c.name for c in answer.tool_calls if _forbidden(c.name, spec.forbidden)]
        recall = matched / len(spec.calls) if spec.calls else 1.0
        precision = matched / (matched + len(extra)) if matched + len(extra) else 1.0
        f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
        value = 0.0 if forbidden else f1
        reasons = [f"precision {precision:.2f}, recall {recall:.2f}"]
        reasons += misses
        reasons += [f"unexpected call {c.name}({_args(c.args)})" for c in extra[:3]]
        reasons += [f"forbidden call {name}" for name in forbidden]
        passed = not forbidden and not misses and not extra
        return Score(value, passed, "; ".join(reasons))


def call_matches(expected: ExpectedCall, call: ToolCall) -> bool:
    return expected.name == call.name and all(arg_matches(v, call.args.get(k)) for k, v in expected.args.items())


def arg_matches(expected: Any, actual: Any) -> bool:
    if expected is None:
        return actual in (None, "", [])
    if isinstance(expected, str):
        if not isinstance(actual, str | int | float) or isinstance(actual, bool):
            return False
        want, got = expected.casefold().strip(), str(actual).casefold().strip()
        return bool(got) and (want in got or got in want)
    if isinstance(expected, list):
        items = actual if isinstance(actual, list) else []
        return all(any(arg_matches(e, a) for a in items) for e in expected)
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(arg_matches(v, actual.get(k)) for k, v in expected.items())
    if isinstance(expected, bool) or isinstance(actual, bool):
        return bool(expected == actual)
    if isinstance(expected, int | float):
        try:
            return float(actual) == float(expected)
        except (TypeError, ValueError):
            return False
    return bool(expected == actual)


def _forbidden(name: str, forbidden: list[str]) -> bool:
    return name in forbidden or "any" in forbidden or ("any_write" in forbidden and name in WRITE_TOOLS)


def _describe(expected: ExpectedCall, calls: list[ToolCall]) -> str:
    same = [c for c in calls if c.name == expected.name]
    if same:
        return f"{expected.name} called with {_args(same[0].args)}, expected {_args(expected.args)}"
    made = ", ".join(c.name for c in calls) or "no tool"
    return f"missing {expected.name}({_args(expected.args)}); made {made}"


def _args(args: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in args.items() if k != "rationale")[:160]
