"""Each claim cites the records behind that sentence, and each account citation states a fact the sentence uses.

A summary that cites every record ("4 of 4 metrics on target [1][2][3][4]") only helps a reader who can see,
in the sentence, which fact each reference carries; a warning that quotes a note must cite that note on the
sentence with the quote. These tests hold the drafts to that on every demo account.
"""

from __future__ import annotations

import re

import pytest

from assistant.citations import Citation, Claim, SourceKind
from assistant.drafting.models import Draft
from assistant.drafting.render import to_markdown
from assistant.drafting.signals import EarlyWarning
from tests.drafting.conftest import ACME, ALL_ACCOUNTS, NORTHGATE, SOLARA, TODAY, Demo

# Words a citation label or excerpt uses about any record; sharing only these says nothing about the fact.
GENERIC = frozenset(
    """the a an and or of in on to for with by is are was were be has have had at as from that this it its no not
    account record records note notes client customer our we us they them their last latest new""".split()
)
QUOTE = re.compile(r"“([^”]+)”")


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in GENERIC and len(w) > 1}


def drafts(demo: Demo, name: str) -> list[Draft]:
    actor, account_id = demo.owner(name), demo.account(name).id
    return [
        demo.drafting.meeting_brief(actor, account_id, today=TODAY),
        demo.drafting.quarterly_review(actor, account_id, today=TODAY),
        demo.drafting.health_assessment(actor, account_id, today=TODAY),
        demo.drafting.ten_keys_review(actor, account_id, today=TODAY),
    ]


def unsupported(claim: Claim) -> list[str]:
    """Account citations whose label and excerpt share no specific word with the claim citing them.

    An absence ("no client sponsor") has no record of its own: it cites the account record with an excerpt
    saying what is missing, which no lexical check can tie to the sentence, so those are left out.
    """
    said = words(claim.text)
    return [
        c.ref
        for c in claim.citations
        if c.is_account_record
        and not (c.kind is SourceKind.ACCOUNT and (c.excerpt or "").startswith("no "))
        and not said & words(f"{c.label} {c.excerpt or ''}")
    ]


@pytest.mark.parametrize("name", ALL_ACCOUNTS)
def test_every_account_citation_carries_a_fact_its_sentence_states(demo: Demo, name: str) -> None:
    problems = [
        f"{draft.kind}/{section.key}: {refs} for “{claim.text[:90]}”"
        for draft in drafts(demo, name)
        for section in draft.sections
        for claim in section.claims
        if (refs := unsupported(claim))
    ]
    assert not problems, "\n".join(problems)


def test_aggregate_claims_name_every_record_they_count(demo: Demo) -> None:
    review = demo.drafting.quarterly_review(demo.dana, demo.account(ACME).id, today=TODAY)
    (metrics,) = [c for c in review.section("summary").claims if "charter metrics are on target" in c.text]
    readings = [c for c in metrics.citations if c.kind is SourceKind.METRIC_READING]
    assert len(readings) == 4
    for reading in readings:
        assert reading.label.rsplit(" ", 1)[0] in metrics.text, reading.label  # the metric's name
    assessment = demo.drafting.health_assessment(demo.dana, demo.account(ACME).id, today=TODAY)
    (breadth,) = [c for c in assessment.section("relationships").claims if "powerful client" in c.text]
    for person in breadth.citations:
        assert person.label.split(" (")[0] in breadth.text, person.label


def test_the_rating_trend_names_both_assessments_it_cites(demo: Demo) -> None:
    brief = demo.drafting.meeting_brief(demo.dana, demo.account(ACME).id, today=TODAY)
    (moved,) = [c for c in brief.section("health").claims if c.text.startswith("The rating")]
    assert len(moved.citations) == 2
    for citation in moved.citations:
        assert citation.date is not None and str(citation.date) in moved.text


def warnings_of(demo: Demo, name: str) -> list[EarlyWarning]:
    return demo.drafting.early_warnings(demo.owner(name), demo.account(name).id, today=TODAY)


@pytest.mark.parametrize("name", ALL_ACCOUNTS)
def test_each_warning_point_cites_its_own_records_and_a_quote_cites_the_quoted_note(demo: Demo, name: str) -> None:
    for warning in warnings_of(demo, name):
        assert warning.points and warning.title_citations, warning.rule
        assert warning.detail == " ".join(p.text for p in warning.points)
        refs = {c.ref for c in warning.citations}
        assert {c.ref for p in warning.points for c in p.citations if c.is_account_record} <= refs
        assert {c.ref for c in warning.title_citations} <= refs
        for point in warning.points:
            assert point.citations, point.text
            for quote in QUOTE.findall(point.text):
                notes = [c for c in point.citations if c.kind is SourceKind.NOTE]
                assert any(quote.rstrip("…") in (c.excerpt or "") for c in notes), point.text


def test_the_leadership_warning_quotes_each_note_on_the_sentence_that_cites_it(demo: Demo) -> None:
    (leadership,) = [w for w in warnings_of(demo, ACME) if w.rule.value == "leadership_change"]
    quoted = [p for p in leadership.points if p.text.startswith("Note of")]
    assert quoted
    for point in quoted:
        (note,) = point.citations
        assert note.kind is SourceKind.NOTE and str(note.date) in point.text
    # The people named in the title are what the title cites, not every note the rule read.
    assert {c.kind for c in leadership.title_citations} == {SourceKind.STAKEHOLDER}


def test_a_warning_renders_as_one_bullet_with_references_after_each_sentence(demo: Demo) -> None:
    brief = demo.drafting.meeting_brief(demo.dana, demo.account(NORTHGATE).id, today=TODAY)
    markdown = to_markdown(brief)
    section = markdown.split("## Early warnings", 1)[1].split("\n## ", 1)[0]
    bullets = [line for line in section.splitlines() if line.startswith("- ")]
    assert len(bullets) == len(brief.warnings)
    for bullet, warning in zip(bullets, brief.warnings, strict=True):
        # Title plus each point, each sentence closed by its own reference numbers.
        assert len(re.findall(r"(?:\[\d+\])+", bullet)) == 1 + len(warning.points), bullet


def test_questions_and_actions_from_a_warning_cite_the_records_behind_its_title(demo: Demo) -> None:
    account = demo.account(SOLARA)
    (silent,) = [w for w in warnings_of(demo, SOLARA) if w.rule.value == "silent_sponsor"]
    basis = {c.ref for c in silent.title_citations}
    attempts = {c.ref for c in silent.citations} - basis
    assert attempts  # later notes record attempts to reach the sponsor: cited on that sentence only
    brief = demo.drafting.meeting_brief(demo.dana, account.id, today=TODAY)
    asked = [q for q in brief.questions if "Marta" in q.question or q.to == "Marta Lindqvist"]
    assert asked and all({c.ref for c in q.citations} == basis for q in asked[:1])
    review = demo.drafting.quarterly_review(demo.dana, account.id, today=TODAY)
    (action,) = [a for a in review.proposed_actions if "Marta Lindqvist" in a.title]
    assert {c.ref for c in action.citations} == basis and action.reason == silent.title


def test_portfolio_summary_names_the_accounts_at_each_verdict(demo: Demo) -> None:
    review = demo.drafting.ten_keys_review(demo.dana, None, today=TODAY)
    names = [a.account_name for a in review.accounts]
    for claim in review.section("summary").claims:
        for name in names:
            assert name in claim.text, claim.text
        cited = {c.account_id for c in claim.citations if c.kind is SourceKind.ACCOUNT}
        assert cited == {a.account_id for a in review.accounts}
    for account in review.accounts:
        claims = review.section(f"account-{account.account_id}").claims
        for verdict in account.keys:
            (head,) = [c for c in claims if c.text.startswith(f"Key {verdict.key} (")]
            expected: list[Citation] = verdict.found[0].citations if verdict.found else [verdict.curriculum]
            assert [c.ref for c in head.citations] == [c.ref for c in expected]
