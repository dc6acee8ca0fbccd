"""The optional LLM judge: a rubric (accuracy, usefulness to a SAM leader, tone of a senior coach) scored 1-5
with structured output by any OpenAI-compatible model. Only when configured, reported on its own, never gated.

Configure with `SAMCOACH_EVAL_JUDGE__MODEL`, `SAMCOACH_EVAL_JUDGE__BASE_URL` and `SAMCOACH_EVAL_JUDGE__API_KEY`
(or `--judge-model` / `--judge-base-url`); the key is read from the environment only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from evals.scorers.base import Score
from evals.text import excerpt

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from evals.answers import Answer
    from evals.cases import Case

JUDGE_PROMPT = """\
You are grading answers of SAM Coach, an assistant for strategic account management (SAM) leaders. Grade the \
answer to the user's request on three criteria, each 1 (poor) to 5 (excellent):

- accuracy: every statement is supported by the answer's cited evidence or the reference facts below; nothing \
is invented; when evidence is missing the answer says so.
- usefulness: a SAM leader could act on it (what to do, ask or watch, and why), and it covers the reference \
facts.
- tone: the voice of a senior coach: direct, warm, concise, no filler.

Reference facts a good answer contains (any phrasing): {facts}
Things a good answer must not claim: {must_not}

Give the three scores and a one-sentence rationale."""

JUDGED_DATASETS = frozenset({"coaching", "account_scenarios", "abstention"})


class JudgeSettings(BaseModel):
    model: str | None = None
    base_url: str | None = None
    api_key: SecretStr | None = None
    timeout_s: float = Field(default=60.0, gt=0)
    method: str = Field(default="function_calling", description="structured output method of langchain-openai")

    @property
    def configured(self) -> bool:
        return bool(self.model)


class EvalEnv(BaseSettings):
    """The eval suite's own settings: `SAMCOACH_EVAL_JUDGE__MODEL` etc."""

    model_config = SettingsConfigDict(env_prefix="SAMCOACH_EVAL_", env_nested_delimiter="__", extra="ignore")

    judge: JudgeSettings = Field(default_factory=JudgeSettings)


class JudgeVerdict(BaseModel):
    """The judge's grades for one answer."""

    accuracy: int = Field(ge=1, le=5, description="1-5: supported by evidence, nothing invented")
    usefulness: int = Field(ge=1, le=5, description="1-5: actionable for a SAM leader, covers the key facts")
    tone: int = Field(ge=1, le=5, description="1-5: a senior coach's voice")
    rationale: str = Field(description="one sentence")


class LLMJudge:
    name = "judge"

    def __init__(self, model: BaseChatModel, *, method: str = "function_calling") -> None:
        self._structured: Any = model.with_structured_output(JudgeVerdict, method=method)

    def applies(self, dataset: str) -> bool:
        return dataset in JUDGED_DATASETS

    def score(self, case: Case, answer: Answer) -> Score:
        facts = "; ".join(" / ".join(group[:2]) for group in case.expect.facts) or "(none given)"
        must_not = "; ".join(case.expect.must_not_claim) or "(none given)"
        messages = [
            ("system", JUDGE_PROMPT.format(facts=facts, must_not=must_not)),
            ("human", f"Request:\n{answer.question}\n\nAnswer:\n{excerpt(answer.text, 8000)}"),
        ]
        verdict = self._structured.invoke(messages)
        if isinstance(verdict, dict):
            verdict = JudgeVerdict.model_validate(verdict)
        grades = (verdict.accuracy, verdict.usefulness, verdict.tone)
        value = sum(g - 1 for g in grades) / (4 * len(grades))
        reason = (
            f"accuracy {verdict.accuracy}, usefulness {verdict.usefulness}, tone {verdict.tone}: {verdict.rationale}"
        )
        return Score(value, min(grades) >= 3, reason)


def build_judge(settings: JudgeSettings) -> LLMJudge:
    from langchain_openai import ChatOpenAI

    if not settings.model:
        raise ValueError("the judge needs a model: SAMCOACH_EVAL_JUDGE__MODEL or --judge-model")
    if settings.api_key is None and settings.base_url is None:
        raise ValueError(
            "the judge needs SAMCOACH_EVAL_JUDGE__API_KEY (OpenAI) or SAMCOACH_EVAL_JUDGE__BASE_URL (a local "
            "OpenAI-compatible server)"
        )
    key = settings.api_key or SecretStr("not-needed")
    model = ChatOpenAI(
        model=settings.model,
        base_url=settings.base_url,
        api_key=key,
        temperature=0,
        timeout=settings.timeout_s,
        max_retries=2,
    )
    return LLMJudge(model, method=settings.method)
