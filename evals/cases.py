"""Eval datasets: versioned YAML files of cases, validated field by field before anything runs.

The schema (version 1) is documented at the top of every file in `evals/datasets/` and in `evals/README.md`.
A case says who asks (`actor`), about what (`account`), through which surface (`via`: a chat turn or one of
the facade's draft methods), what to set up first (`setup`: a planted note, an uploaded document, a thin
account) and what a good answer looks like (`expect`). Evidence is named by stable selectors resolved at run
time (`{kind: note, contains: "announced her retirement"}`), never by database ids.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from assistant.citations import SourceKind

DATASETS_DIR = Path(__file__).resolve().parent / "datasets"
SCHEMA_VERSION = 1
# The suite's datasets, in report order. `retrieval` has its own schema (evals/retrieval.py).
SUITE = ("coaching", "account_scenarios", "tool_use", "abstention", "safety")

Actor = Literal["dana", "marcus", "priya", "admin"]
Via = Literal["chat", "meeting_brief", "health_assessment", "charter_revision", "quarterly_review", "ten_keys_review"]
DraftKind = Literal["meeting_brief", "health_assessment", "charter_revision", "quarterly_review", "ten_keys_review"]
Outcome = Literal["refusal", "flagged", "refusal_or_flag", "proposal", "proposal_or_refusal", "any"]


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _as_groups(value: Any) -> Any:
    """A fact group may be written as one phrase; it means a group with one alternative."""
    if isinstance(value, list):
        return [[item] if isinstance(item, str) else item for item in value]
    return value


Phrases = Annotated[list[str], BeforeValidator(_as_list)]
Groups = Annotated[list[list[str]], BeforeValidator(_as_groups)]


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Selector(Spec):
    """Evidence a good answer must cite, found in the records when the case runs.

    note: `contains` (text of the body); stakeholder: `name`; metric_reading: `metric` (name or key) and
    `latest` or `period`; assessment: `assessor` and `latest`; charter: `version` ("current" or a number);
    action: `contains` (title); opportunity: `contains` (name); account: nothing; curriculum: `id` (lesson id);
    document: `contains` (file name). `account` defaults to the case's account.
    """

    kind: SourceKind
    account: str | None = None
    id: str | None = None
    contains: str | None = None
    name: str | None = None
    metric: str | None = None
    period: str | None = None
    latest: bool = False
    assessor: Literal["sam_leader", "customer", "assistant"] | None = None
    version: int | Literal["current"] | None = None

    @property
    def label(self) -> str:
        detail = self.id or self.contains or self.name or self.metric or self.assessor or self.version or ""
        extra = " (latest)" if self.latest else ""
        return f"{self.kind.value}: {detail}{extra}".strip()


class ExpectedCall(Spec):
    """A tool call and the arguments that matter. String arguments match loosely (case-insensitive, and
    either containing the other, so "Raymond Cole" matches "Raymond"); lists match when every expected item is
    matched by an item of the actual list; anything else must be equal."""

    name: str
    args: dict[str, Any] = Field(default_factory=dict)


class ToolExpect(Spec):
    calls: list[ExpectedCall] = Field(default_factory=list)
    forbidden: list[str] = Field(default_factory=list, description="tool names, or 'any_write' / 'any'")
    allow_extra_reads: bool = Field(default=True, description="unexpected read tools do not lower precision")


class SafetyExpect(Spec):
    outcome: Outcome = "any"
    no_write: bool = True
    no_proposal: bool = False
    forbidden_text: Phrases = Field(default_factory=list, description="phrases that must not appear")


class AbstainExpect(Spec):
    missing: Groups = Field(description="groups of phrases; the answer must say what is missing")


class Expect(Spec):
    facts: Groups = Field(default_factory=list)
    must_not_claim: Phrases = Field(default_factory=list)
    cite: list[Selector] = Field(default_factory=list, description="every selector must be cited")
    cite_any: list[Selector] = Field(default_factory=list, description="at least one must be cited")
    structure: DraftKind | None = None
    tools: ToolExpect | None = None
    safety: SafetyExpect | None = None
    abstain: AbstainExpect | None = None
    latency_ms: int | None = Field(default=None, ge=1)


class PlantNote(Spec):
    account: str
    body: str = Field(min_length=1)
    kind: Literal["meeting", "call", "email", "observation", "customer_feedback"] = "email"
    author: str = "Dana Reyes"
    days_ago: int = Field(default=3, ge=0)


class UploadDocument(Spec):
    name: str = Field(pattern=r"^[\w.-]+\.(md|txt)$")
    text: str = Field(min_length=1)


class ThinNote(Spec):
    body: str = Field(min_length=1)
    kind: Literal["meeting", "call", "email", "observation", "customer_feedback"] = "call"
    author: str = "Dana Reyes"
    days_ago: int = Field(default=200, ge=0)


class ThinAccount(Spec):
    """An account with almost no records, owned by `owner`: what abstention is tested on."""

    name: str
    owner: Actor = "dana"
    industry: str = "Manufacturing"
    contract_end_days: int | None = None
    stakeholders: list[str] = Field(default_factory=list, description="'Name, Title' of client-side people")
    notes: list[ThinNote] = Field(default_factory=list, description="its few (old) notes")


class SetupStep(Spec):
    plant_note: PlantNote | None = None
    upload_document: UploadDocument | None = None
    create_account: ThinAccount | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> SetupStep:
        given = [f for f in ("plant_note", "upload_document", "create_account") if getattr(self, f) is not None]
        if len(given) != 1:
            raise ValueError("a setup step is exactly one of plant_note, upload_document, create_account")
        return self


class Case(Spec):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    description: str = ""
    tags: list[str] = Field(default_factory=list)
    actor: Actor = "dana"
    account: str | None = None
    bind: bool = Field(default=False, description="start the conversation bound to `account`")
    via: Via = "chat"
    ask: Phrases = Field(default_factory=list, description="chat turns; the last one is scored")
    attendees: list[str] = Field(default_factory=list, description="meeting_brief: stakeholder names")
    meeting_in_days: int | None = None
    trigger: Literal["new_stakeholder", "missed_metric", "annual_review", "user_request"] = "user_request"
    request: str | None = None
    setup: list[SetupStep] = Field(default_factory=list)
    isolated: bool | None = Field(default=None, description="own copy of the world; default: when it may write")
    expect: Expect = Field(default_factory=Expect)

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        if self.via == "chat" and not self.ask:
            raise ValueError("a chat case needs `ask`")
        if self.via not in ("chat", "ten_keys_review") and self.account is None:
            raise ValueError(f"via {self.via} needs `account`")
        return self

    @property
    def needs_isolation(self) -> bool:
        """Cases that set records up, or whose safety check compares the database before and after, get their
        own copy of the world, so a write (wanted or not) never reaches another case."""
        if self.isolated is not None:
            return self.isolated
        return bool(self.setup) or self.expect.safety is not None or self.expect.tools is not None

    @property
    def question(self) -> str:
        return "\n".join(self.ask) or (self.request or "")


class Dataset(Spec):
    version: Literal[1]
    name: str
    description: str = ""
    scorers: list[str] = Field(min_length=1)
    cases: list[Case] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Dataset:
        ids = [case.id for case in self.cases]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate case ids: {duplicates}")
        return self


class DatasetError(ValueError):
    """A dataset file is malformed; the message names the file, the case and the field."""


def load_dataset(path: Path) -> Dataset:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DatasetError(f"{path}: {exc}") from exc
    if not isinstance(raw, dict) or raw.get("version") != SCHEMA_VERSION:
        raise DatasetError(f"{path}: expected a mapping with 'version: {SCHEMA_VERSION}'")
    # Top-level `x-...` keys hold YAML anchors shared by several cases (a thin account's set-up, say).
    raw = {k: v for k, v in raw.items() if not str(k).startswith("x-")}
    try:
        return Dataset.model_validate(raw)
    except ValidationError as exc:
        raise DatasetError(f"{path}: {_describe(exc, raw)}") from exc


def _describe(exc: ValidationError, raw: dict[str, Any]) -> str:
    problems = []
    for error in exc.errors():
        where = list(error["loc"])
        if len(where) >= 2 and where[0] == "cases" and isinstance(where[1], int):
            cases = raw.get("cases") or []
            case_id = cases[where[1]].get("id") if where[1] < len(cases) and isinstance(cases[where[1]], dict) else None
            where[1] = f"case {case_id!r}" if case_id else f"case #{where[1] + 1}"
        problems.append(f"{'.'.join(str(part) for part in where)}: {error['msg']}")
    return "; ".join(problems)


def dataset_path(name: str, directory: Path = DATASETS_DIR) -> Path:
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml") and candidate.exists():
        return candidate
    return directory / f"{name}.yaml"


def load_suite(names: list[str] | None = None, directory: Path = DATASETS_DIR) -> list[Dataset]:
    """The named datasets (default: the whole suite) in suite order."""
    chosen = list(SUITE) if names is None else names
    return [load_dataset(dataset_path(name, directory)) for name in chosen]
