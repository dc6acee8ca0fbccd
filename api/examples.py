"""Request bodies with documented examples, as `Annotated` aliases the routes declare.

The examples are valid requests against the demo portfolio's shapes; the OpenAPI page shows them and the
tests reuse them (`EXAMPLES`) as known-good bodies.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body
from pydantic import BaseModel

from api.openai_models import ChatCompletionRequest
from api.schemas import (
    CharterApprovalIn,
    CharterRevisionIn,
    ConversationIn,
    ExerciseIn,
    MeetingBriefIn,
    MessageIn,
    QuizIn,
    RejectIn,
    StakeholderReplaceIn,
)
from assistant.records.schemas import (
    AccountIn,
    AccountUpdate,
    ActionItemIn,
    ActionItemUpdate,
    CharterIn,
    CoverageIn,
    HealthAssessmentIn,
    MetricIn,
    NoteIn,
    NoteUpdate,
    OpportunityIn,
    OpportunityUpdate,
    ReadingIn,
    StakeholderIn,
    StakeholderUpdate,
)

_STAKEHOLDER = {
    "name": "Jordan Lee",
    "title": "VP Procurement",
    "side": "client",
    "department": "Procurement",
    "decision_role": "influencer",
    "power": 4,
    "interest": 3,
    "stance": "neutral",
}

EXAMPLES: dict[type[BaseModel], tuple[str, dict[str, Any]]] = {
    AccountIn: (
        "A new strategic account",
        {
            "name": "Meridian Hotels Group",
            "industry": "Hospitality",
            "segment": "Enterprise",
            "tier": 1,
            "annual_revenue": 2_400_000,
            "growth_potential": 4,
            "contract_start": "2026-01-01",
            "contract_end": "2028-12-31",
            "executive_sponsor": "Chief Operating Officer",
        },
    ),
    AccountUpdate: ("Raise the growth potential", {"growth_potential": 5, "segment": "Strategic"}),
    StakeholderIn: ("A new client-side influencer", _STAKEHOLDER),
    StakeholderUpdate: ("A change of stance", {"stance": "supporter", "interest": 4}),
    StakeholderReplaceIn: (
        "Someone left and a successor took the seat",
        {"successor": {**_STAKEHOLDER, "name": "Avery Chen"}, "left_on": "2026-11-01"},
    ),
    CoverageIn: (
        "Who on our team covers whom",
        {"team_member_id": 1, "stakeholder_id": 2, "access": 4, "influence": 3, "support": 4},
    ),
    CharterIn: (
        "A charter draft",
        {
            "purpose": "Run valet operations that delight tenants and cut cost.",
            "vision": "The benchmark for mobility services in commercial real estate.",
            "customer_win": "USD 100K annual savings and higher tenant satisfaction.",
            "supplier_win": "A margin of at least 5% and a multi-year renewal.",
            "commitments": [{"party": "supplier", "text": "Quarterly business reviews with tenant data."}],
            "key_players": [{"name": "Helen Ortiz", "side": "client", "role": "CEO"}],
            "governance_cadence": "quarterly",
            "change_reason": "Annual review",
        },
    ),
    CharterApprovalIn: ("A signatory approves", {"signatory_id": 1}),
    MetricIn: (
        "A success metric",
        {
            "key": "trial_sites_live",
            "name": "Innovation trial sites live",
            "unit": "sites",
            "direction": "higher_is_better",
        },
    ),
    ReadingIn: ("A quarterly reading", {"period": "2026-Q3", "period_end": "2026-09-30", "value": 87.5}),
    NoteIn: (
        "A meeting note",
        {
            "occurred_on": "2026-11-20",
            "author": "Dana Reyes",
            "kind": "meeting",
            "body": "Quarterly review with the facilities team; they asked about the plate-recognition trial.",
        },
    ),
    NoteUpdate: ("Correct the body", {"body": "Quarterly review with facilities; the trial starts in January."}),
    HealthAssessmentIn: (
        "Our assessment of the four zones",
        {
            "assessed_on": "2026-11-20",
            "overall": "vulnerable",
            "assessor": "sam_leader",
            "assessor_name": "Dana Reyes",
            "summary": "Value is delivered but the sponsor is leaving.",
            "zones": [
                {"zone": "value", "score": 4, "rationale": "Savings on target."},
                {"zone": "alignment", "score": 3, "rationale": "Charter due for review."},
                {"zone": "relationships", "score": 2, "rationale": "CEO retiring."},
                {"zone": "growth", "score": 3, "rationale": "Trial offered."},
            ],
        },
    ),
    ActionItemIn: (
        "A follow-up",
        {"title": "Meet the incoming CEO", "owner": "Dana Reyes", "due_on": "2026-12-15", "origin": "meeting"},
    ),
    ActionItemUpdate: ("Mark done", {"status": "done"}),
    OpportunityIn: (
        "An expansion opportunity",
        {
            "name": "Plate-recognition valet trial",
            "type": "innovation",
            "estimated_value": 180_000,
            "stage": "qualified",
            "offering": "Valet & Mobility",
            "expected_close": "2027-03-31",
        },
    ),
    OpportunityUpdate: ("Move the stage", {"stage": "proposed"}),
    ConversationIn: ("A conversation about one account", {"account_id": 1, "title": "Acme renewal"}),
    MessageIn: ("Ask, streamed", {"content": "How healthy is Acme, and what should I do next?", "stream": True}),
    MeetingBriefIn: ("Brief for a meeting", {"meeting_date": "2026-12-01"}),
    CharterRevisionIn: (
        "Ask for a revision",
        {"trigger": "user_request", "request": "Add a shared innovation target for the valet trial."},
    ),
    RejectIn: ("Say why", {"reason": "The stance change is not confirmed yet."}),
    QuizIn: ("One answer per question", {"answers": [0, 1, 2]}),
    ExerciseIn: ("An answer to the exercise", {"answer": "Map the decision makers and find a sponsor for value."}),
    ChatCompletionRequest: (
        "A question about an account",
        {
            "model": "samcoach",
            "messages": [{"role": "user", "content": "How is Acme doing?"}],
            "metadata": {"account": "acme"},
        },
    ),
}


def example_body(model: type[BaseModel]) -> Any:
    summary, value = EXAMPLES[model]
    return Body(openapi_examples={"example": {"summary": summary, "value": value}})


AccountBody = Annotated[AccountIn, example_body(AccountIn)]
AccountPatch = Annotated[AccountUpdate, example_body(AccountUpdate)]
StakeholderBody = Annotated[StakeholderIn, example_body(StakeholderIn)]
StakeholderPatch = Annotated[StakeholderUpdate, example_body(StakeholderUpdate)]
StakeholderReplaceBody = Annotated[StakeholderReplaceIn, example_body(StakeholderReplaceIn)]
CoverageBody = Annotated[CoverageIn, example_body(CoverageIn)]
CharterBody = Annotated[CharterIn, example_body(CharterIn)]
CharterApprovalBody = Annotated[CharterApprovalIn, example_body(CharterApprovalIn)]
MetricBody = Annotated[MetricIn, example_body(MetricIn)]
ReadingBody = Annotated[ReadingIn, example_body(ReadingIn)]
NoteBody = Annotated[NoteIn, example_body(NoteIn)]
NotePatch = Annotated[NoteUpdate, example_body(NoteUpdate)]
HealthAssessmentBody = Annotated[HealthAssessmentIn, example_body(HealthAssessmentIn)]
ActionItemBody = Annotated[ActionItemIn, example_body(ActionItemIn)]
ActionItemPatch = Annotated[ActionItemUpdate, example_body(ActionItemUpdate)]
OpportunityBody = Annotated[OpportunityIn, example_body(OpportunityIn)]
OpportunityPatch = Annotated[OpportunityUpdate, example_body(OpportunityUpdate)]
ConversationBody = Annotated[ConversationIn, example_body(ConversationIn)]
MessageBody = Annotated[MessageIn, example_body(MessageIn)]
QuizBody = Annotated[QuizIn, example_body(QuizIn)]
ExerciseBody = Annotated[ExerciseIn, example_body(ExerciseIn)]
ChatCompletionBody = Annotated[ChatCompletionRequest, example_body(ChatCompletionRequest)]
