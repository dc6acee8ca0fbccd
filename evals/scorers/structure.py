"""Structure completeness: every section the spec asks of a draft is there, and its fixed parts are complete
(5-10 questions in a brief, all four zones scored 1-5 in an assessment, all ten keys in a ten-keys review,
approvers named in a charter revision).

The required sections are written out here from the spec (issue 4), not imported from the drafting code, so a
section dropped there shows up here. Drafts from the facade are checked by section key; drafts delivered in a
chat answer by their Markdown headings.
"""

from __future__ import annotations

from evals.answers import Answer, DraftShape
from evals.cases import Case
from evals.scorers.base import Score, ratio

# kind -> [(section key, words one of which a heading for it contains)]
SECTIONS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "meeting_brief": [
        ("what_changed", ("what changed",)),
        ("health", ("health",)),
        ("warnings", ("early warning", "warnings")),
        ("stakeholders", ("stakeholder",)),
        ("commitments", ("commitment",)),
        ("questions", ("question",)),
    ],
    "quarterly_review": [
        ("summary", ("executive summary",)),
        ("metrics", ("metric",)),
        ("health", ("health",)),
        ("relationships", ("relationship",)),
        ("warnings", ("risk", "early warning")),
        ("growth", ("growth",)),
        ("actions", ("action plan",)),
        ("charter", ("charter",)),
    ],
    "health_assessment": [
        ("summary", ("summary",)),
        ("value", ("value",)),
        ("alignment", ("alignment",)),
        ("relationships", ("relationships",)),
        ("growth", ("growth",)),
        ("trend", ("trend",)),
        ("perception", ("perception", "customer's view")),
    ],
    "charter_revision": [
        ("summary", ("summary",)),
        ("changes", ("change", "outline")),
        ("approvers", ("signator", "approv", "outline")),
    ],
    "ten_keys_review": [("summary", ("summary",))],
}
ZONES = ("value", "alignment", "relationships", "growth")
QUESTIONS = (5, 10)


class StructureCompleteness:
    name = "structure"

    def applies(self, case: Case) -> bool:
        return case.expect.structure is not None

    def score(self, case: Case, answer: Answer) -> Score:
        kind = case.expect.structure
        assert kind is not None
        shape = answer.draft
        if shape is None or shape.kind != kind:
            got = shape.kind if shape else "no draft"
            return Score(0.0, False, f"expected a {kind.replace('_', ' ')}, got {got}")
        problems = [f"section missing: {key}" for key, words in SECTIONS[kind] if not _has(shape, key, words)]
        checks = len(SECTIONS[kind])
        if kind == "meeting_brief":
            checks += 1
            low, high = QUESTIONS
            if not low <= shape.questions <= high:
                problems.append(f"{shape.questions} questions (want {low}-{high})")
        if kind == "health_assessment":
            checks += len(ZONES)
            problems += [f"zone not scored 1-5: {z}" for z in ZONES if not 1 <= shape.zones.get(z, 0) <= 5]
        if kind == "ten_keys_review":
            checks += 1
            if shape.keys < 10:
                problems.append(f"{shape.keys} of 10 keys scored")
        value = ratio(checks - len(problems), checks)
        return Score(value, not problems, "; ".join(problems) or f"all {checks} parts present")


def _has(shape: DraftShape, key: str, words: tuple[str, ...]) -> bool:
    if key in shape.sections:
        return True
    # Markdown: the first heading is the draft's title ("# Meeting brief: Acme"), not a section.
    headings = [t.lower() for t in shape.titles[1:]] if shape.titles and ":" in shape.titles[0] else shape.titles
    return any(word in heading.lower() for heading in headings for word in words)
