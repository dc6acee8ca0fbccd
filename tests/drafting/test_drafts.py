"""Every draft type for every demo account: all sections present, every claim cited, citations only to
records of that account, the planted signals in the brief and the review, and rendering to Markdown/DOCX."""

from __future__ import annotations

from io import BytesIO

import pytest
from docx import Document

from assistant.drafting import (
    CharterRevisionDraft,
    CharterTrigger,
    Draft,
    HealthAssessmentDraft,
    MeetingBrief,
    QuarterlyReview,
    TenKeysReview,
)
from assistant.drafting.brief import BRIEF_SECTIONS
from assistant.drafting.questions import MAX_QUESTIONS, MIN_QUESTIONS
from assistant.drafting.render import GAPS_HEADING, SOURCES_HEADING, to_docx, to_markdown
from assistant.drafting.review import REVIEW_SECTIONS
from assistant.records.enums import HealthStatus, Zone
from knowledge.curriculum import Lesson
from tests.drafting.conftest import (
    ACME,
    ALL_ACCOUNTS,
    HALVORSEN,
    NORTHGATE,
    QUANTIS,
    RIVERBEND,
    SOLARA,
    TODAY,
    Demo,
    account_ids,
    assert_grounded,
)

# Each planted signal of docs/demo-portfolio.md, as phrases that must appear in the account's brief and review.
PLANTED = {
    ACME: ["Helen Ortiz", "retir", "Daniel Kim", "Site Manager", "Kevin O'Brien", "plate recognition", "20 months"],
    NORTHGATE: ["Lakeside", "acquisition", "Patient meal satisfaction below target", "Raymond Cole", "Crestline"],
    RIVERBEND: ["does not agree the account is strategic", "I didn't know we were a strategic account"],
    SOLARA: ["Marta Lindqvist", "94 days", "customer says vulnerable, we say strong"],
    QUANTIS: ["Aisha Rahman", "No relationship owner", "Six-campus room booking"],
    HALVORSEN: ["Gunnar Lund", "Claire Dubois", "replaced by Claire Dubois"],
}
EXPECTED_HEALTH = {
    ACME: HealthStatus.VULNERABLE,
    NORTHGATE: HealthStatus.DAMAGED,
    RIVERBEND: HealthStatus.VULNERABLE,
    SOLARA: HealthStatus.VULNERABLE,
    QUANTIS: HealthStatus.STRONG,
    HALVORSEN: HealthStatus.STRONG,
}
HEALTH_SECTIONS = ["summary", "value", "alignment", "relationships", "growth", "trend", "perception"]
CHARTER_SECTIONS = ["summary", "changes", "approvers"]


def all_drafts(demo: Demo, name: str) -> list[Draft]:
    actor, account_id = demo.owner(name), demo.account(name).id
    service = demo.drafting
    return [
        service.meeting_brief(actor, account_id, today=TODAY),
        service.health_assessment(actor, account_id, today=TODAY),
        *(service.charter_revision(actor, account_id, trigger=t, today=TODAY) for t in CharterTrigger),
        service.quarterly_review(actor, account_id, today=TODAY),
        service.ten_keys_review(actor, account_id, today=TODAY),
    ]


@pytest.mark.parametrize("name", ALL_ACCOUNTS)
def test_every_draft_only_cites_records_of_its_account(demo: Demo, name: str, curriculum: list[Lesson]) -> None:
    account = demo.account(name)
    ids = account_ids(demo.records, demo.admin, account.id)
    lessons = {lesson.id: lesson for lesson in curriculum}
    for draft in all_drafts(demo, name):
        assert draft.account_id == account.id and draft.account_name == name
        assert draft.generated_on == TODAY
        assert draft.writer == "template (offline)"
        assert_grounded(draft, ids, account.id, lessons)
        for section in draft.sections:
            cited = {c.ref for claim in section.claims for c in claim.citations if c.is_account_record}
            assert section.evidence_used == len(cited)


@pytest.mark.parametrize("name", ALL_ACCOUNTS)
def test_every_draft_has_all_its_sections(demo: Demo, name: str) -> None:
    brief, health, *charters, review, keys = all_drafts(demo, name)
    assert [s.key for s in brief.sections] == list(BRIEF_SECTIONS)
    assert [s.title for s in brief.sections] == list(BRIEF_SECTIONS.values())
    assert [s.key for s in health.sections] == HEALTH_SECTIONS
    for charter in charters:
        assert [s.key for s in charter.sections] == CHARTER_SECTIONS
    assert [s.key for s in review.sections] == list(REVIEW_SECTIONS)
    assert [s.key for s in keys.sections] == ["summary", *(f"key-{n}" for n in range(1, 11))]


@pytest.mark.parametrize("name", ALL_ACCOUNTS)
def test_brief_and_review_contain_every_planted_signal(demo: Demo, name: str) -> None:
    actor, account_id = demo.owner(name), demo.account(name).id
    brief = to_markdown(demo.drafting.meeting_brief(actor, account_id, today=TODAY))
    review = to_markdown(demo.drafting.quarterly_review(actor, account_id, today=TODAY))
    for phrase in PLANTED[name]:
        assert phrase.lower() in brief.lower(), f"brief of {name} lacks {phrase!r}"
        assert phrase.lower() in review.lower(), f"review of {name} lacks {phrase!r}"


@pytest.mark.parametrize("name", ALL_ACCOUNTS)
def test_brief_has_five_to_ten_grounded_questions(demo: Demo, name: str) -> None:
    brief = demo.drafting.meeting_brief(demo.owner(name), demo.account(name).id, today=TODAY)
    assert MIN_QUESTIONS <= len(brief.questions) <= MAX_QUESTIONS
    people = {s.name for s in demo.records.stakeholders.list(actor=demo.admin, account_id=brief.account_id)}
    for question in brief.questions:
        assert question.citations and question.curriculum.kind.value == "curriculum"
        assert question.to == "any" or question.to in people
        assert question.question.endswith("?") and question.why


def test_acme_brief_asks_the_true_north_questions(demo: Demo) -> None:
    brief = demo.drafting.meeting_brief(demo.dana, demo.account(ACME).id, today=TODAY)
    asked = [q.question for q in brief.questions]
    assert any("retiring" in q and "Daniel Kim" in q for q in asked)
    assert any("about 20 months from the end of our agreement" in q and "next phase" in q for q in asked)
    assert any("trial sites" in q and "plate recognition" in q for q in asked)
    assert any("Kevin O'Brien" in q and "new Site Manager" in q for q in asked)


def test_brief_addresses_attendees_by_their_role(demo: Demo) -> None:
    account = demo.account(ACME)
    people = {s.name: s for s in demo.records.stakeholders.list(actor=demo.dana, account_id=account.id)}
    brief = demo.drafting.meeting_brief(
        demo.dana, account.id, stakeholder_ids=[people["Helen Ortiz"].id], meeting_date=TODAY, today=TODAY
    )
    assert brief.attendees == ["Helen Ortiz"]
    retiring = next(q for q in brief.questions if "retiring" in q.question)
    assert retiring.to == "Helen Ortiz" and retiring.question.startswith("I understand you are retiring")
    assert {q.to for q in brief.questions} <= {"Helen Ortiz", "any"}


def test_brief_what_changed_starts_at_the_last_meeting_or_thirty_days_back(demo: Demo) -> None:
    brief = demo.drafting.meeting_brief(demo.dana, demo.account(ACME).id, today=TODAY)
    changed = brief.section("what_changed")
    assert "2025-05-16" in changed.claims[0].text  # 30 days back: the last meeting (6 days ago) is more recent
    texts = " ".join(c.text for c in changed.claims)
    assert "Kevin O'Brien joined" in texts and "Carla Mendes" in texts


@pytest.mark.parametrize("name", ALL_ACCOUNTS)
def test_health_assessment_scores_zones_by_rule(demo: Demo, name: str) -> None:
    draft = demo.drafting.health_assessment(demo.owner(name), demo.account(name).id, today=TODAY)
    assert isinstance(draft, HealthAssessmentDraft)
    assert draft.overall is EXPECTED_HEALTH[name]
    assert {z.zone for z in draft.zones} == set(Zone)
    for zone in draft.zones:
        assert 1 <= zone.score <= 5 and zone.rationale and zone.previous is not None
    saved = draft.to_assessment_in()
    assert saved.assessor.value == "assistant" and saved.overall is draft.overall
    assert saved.evidence and len({(e.kind, e.id) for e in saved.evidence}) == len(saved.evidence)


def test_health_perception_gap_against_the_customer(demo: Demo) -> None:
    draft = demo.drafting.health_assessment(demo.dana, demo.account(SOLARA).id, today=TODAY)
    assert draft.customer_overall is HealthStatus.VULNERABLE
    assert draft.zone(Zone.VALUE).customer == 2
    assert draft.section("perception").claims
    northgate = demo.drafting.health_assessment(demo.dana, demo.account(NORTHGATE).id, today=TODAY)
    assert northgate.zone(Zone.VALUE).score == 2 and northgate.trend == "same"
    assert northgate.section("perception").missing  # no customer-stated view on record


def test_charter_revision_replaces_a_departed_signatory_with_the_successor(demo: Demo) -> None:
    draft = demo.drafting.charter_revision(
        demo.marcus, demo.account(HALVORSEN).id, trigger=CharterTrigger.NEW_STAKEHOLDER, today=TODAY
    )
    assert isinstance(draft, CharterRevisionDraft) and draft.proposed is not None and draft.diff is not None
    everyone = demo.records.stakeholders.list(
        actor=demo.marcus, account_id=demo.account(HALVORSEN).id, include_inactive=True
    )
    people = {s.id: s.name for s in everyone}
    assert "Claire Dubois" in {people[i] for i in draft.proposed.signatory_ids}
    assert "Gunnar Lund" not in {people[i] for i in draft.proposed.signatory_ids}
    changes = {(c.clause, c.change) for c in draft.diff.changes}
    assert ("signatory: Gunnar Lund", "removed") in changes and ("signatory: Claire Dubois", "added") in changes
    assert ("key player: Claire Dubois", "added") in changes
    assert "Claire Dubois" in draft.approvers and "Gunnar Lund" not in draft.approvers
    for change in draft.changes:
        assert change.rationale and all(claim.citations for claim in change.rationale)


def test_charter_revision_for_a_new_stakeholder_at_acme(demo: Demo) -> None:
    draft = demo.drafting.charter_revision(demo.dana, demo.account(ACME).id, trigger="new_stakeholder", today=TODAY)
    assert draft.proposed is not None
    players = {p.name for p in draft.proposed.key_players}
    assert {"Daniel Kim", "Kevin O'Brien"} <= players and "Carla Mendes" not in players
    assert "Helen Ortiz" in draft.summary and "leaving" in draft.summary


def test_charter_revision_for_a_missed_metric_adds_a_recovery_commitment(demo: Demo) -> None:
    draft = demo.drafting.charter_revision(demo.dana, demo.account(NORTHGATE).id, trigger="missed_metric", today=TODAY)
    assert draft.proposed is not None and draft.diff is not None
    added = [c for c in draft.diff.changes if c.change == "added" and c.clause.startswith("commitment")]
    assert len(added) == 1 and "Patient meal satisfaction" in (added[0].after or "")
    assert {t.metric_key: t.target for t in draft.proposed.targets}["patient_meal_satisfaction"] == 85
    rationale = next(c for c in draft.changes if c.clause == added[0].clause).rationale
    assert any(c.kind.value == "metric_reading" for claim in rationale for c in claim.citations)


def test_charter_annual_review_refreshes_the_review_date(demo: Demo) -> None:
    draft = demo.drafting.charter_revision(demo.dana, demo.account(SOLARA).id, trigger="annual_review", today=TODAY)
    assert draft.proposed is not None
    assert draft.proposed.next_review_due == TODAY.replace(year=TODAY.year + 1)
    assert draft.proposed.effective_on is None


def test_charter_user_request_without_a_recognisable_change_carries_content_over(demo: Demo) -> None:
    draft = demo.drafting.charter_revision(
        demo.dana, demo.account(QUANTIS).id, trigger="user_request", request="Tidy the wording", today=TODAY
    )
    assert draft.proposed is not None and draft.proposed.change_reason == "Tidy the wording"
    assert draft.diff is not None
    assert {c.clause for c in draft.diff.changes} <= {"effective_on", "next_review_due"}
    assert "Nothing in the records calls for a change" in draft.summary


@pytest.mark.parametrize("name", ALL_ACCOUNTS)
def test_quarterly_review_metrics_actions_and_charter(demo: Demo, name: str) -> None:
    review = demo.drafting.quarterly_review(demo.owner(name), demo.account(name).id, today=TODAY)
    assert isinstance(review, QuarterlyReview)
    assert review.metrics and all(len(m.readings) <= 4 for m in review.metrics)
    assert len(review.proposed_actions) == len(review.warnings)
    assert all(a.due_on > TODAY and a.citations for a in review.proposed_actions)
    assert "Charter version" in review.section("charter").claims[0].text
    if name == NORTHGATE:
        meals = next(m for m in review.metrics if m.key == "patient_meal_satisfaction")
        assert meals.on_target is False and meals.target == 85


def test_ten_keys_verdicts_follow_the_evidence(demo: Demo) -> None:
    def verdicts(name: str) -> dict[int, str]:
        review = demo.drafting.ten_keys_review(demo.owner(name), demo.account(name).id, today=TODAY)
        assert isinstance(review, TenKeysReview) and len(review.keys) == 10
        return {v.key: v.verdict for v in review.keys}

    assert verdicts(RIVERBEND)[1] == "weak"
    assert verdicts(QUANTIS)[1] == "strong"
    assert verdicts(QUANTIS)[8] == "strong"  # planned jointly, customer in the room
    assert verdicts(ACME)[8] == "weak"  # no joint planning on record
    assert verdicts(NORTHGATE)[9] == "partial"  # a charter metric below target
    assert verdicts(SOLARA)[3] == "partial"  # a sponsor, but a silent one
    assert verdicts(RIVERBEND)[3] == "weak"  # no sponsor at all
    assert verdicts(ACME)[3] == "weak"  # the sponsor is retiring and the CEO-designate has no coverage
    assert verdicts(ACME)[4] == "unknown"  # no customer-stated view of our value


def test_ten_keys_portfolio_mode_covers_the_actors_portfolio(demo: Demo) -> None:
    dana = demo.drafting.ten_keys_review(demo.dana, None, today=TODAY)
    assert dana.account_id is None and len(dana.accounts) == 5
    assert HALVORSEN not in {a.account_name for a in dana.accounts}
    assert len(demo.drafting.ten_keys_review(demo.marcus, None, today=TODAY).accounts) == 1
    priya = demo.drafting.ten_keys_review(demo.priya, None, today=TODAY)
    assert {a.account_name for a in priya.accounts} == set(ALL_ACCOUNTS)
    visible = {a.account_id for a in dana.accounts}
    for citation in dana.citations():
        assert citation.account_id is None or citation.account_id in visible


@pytest.mark.parametrize("name", [ACME, NORTHGATE])
def test_markdown_and_docx_carry_every_heading(demo: Demo, name: str) -> None:
    for draft in all_drafts(demo, name):
        markdown = to_markdown(draft)
        assert markdown.startswith(f"# {draft.title}: {name}")
        for section in draft.sections:
            assert f"\n## {section.title}\n" in markdown
        assert f"## {SOURCES_HEADING}" in markdown
        document = Document(BytesIO(to_docx(draft)))
        headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
        assert [s.title for s in draft.sections] == [h for h in headings if h not in (GAPS_HEADING, SOURCES_HEADING)]
        assert SOURCES_HEADING in headings


def test_markdown_numbers_sources_and_quotes_them(demo: Demo) -> None:
    markdown = to_markdown(demo.drafting.meeting_brief(demo.dana, demo.account(ACME).id, today=TODAY))
    sources = markdown.split(f"## {SOURCES_HEADING}\n", 1)[1]
    assert sources.lstrip().startswith("1. ")
    assert "(note:" in sources and "(curriculum:" in sources and "“" in sources


def test_to_markdown_refuses_what_is_not_a_draft() -> None:
    with pytest.raises(TypeError):
        to_markdown({"title": "not a draft"})


def test_brief_is_a_meeting_brief(demo: Demo) -> None:
    assert isinstance(demo.drafting.meeting_brief(demo.dana, demo.account(ACME).id, today=TODAY), MeetingBrief)
