"""Eval-harness fixtures: a world on the demo portfolio driven by the scripted chat model, and one driven by the
offline backend, both with the hash embedding (no model download, no network).

The scripted model's every step asks a `Brain` what to say, and each test sets the brain's behaviour: that is how
a test plays a deliberately broken model (one that leaks, invents, skips a tool or cites the wrong account).
Cases that may write run in their own copy of the world, exactly as in a real run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from assistant.settings import EmbeddingSettings, LLMSettings, Settings
from assistant.testing import ScriptedChatModel, calls_tool, reply
from evals.cases import Case
from evals.runner import CaseResult, run_case
from evals.scorers import Scorer, build_scorers
from evals.world import World, WorldConfig, WorldFactory

Play = Callable[[list[BaseMessage]], AIMessage]
_PASSAGE = re.compile(r'<(?:passage|data) ref="([^"]+)"[^>]*>\s*(.+?)\s*</(?:passage|data)>', re.DOTALL)


def extractive(messages: list[BaseMessage]) -> AIMessage:
    """A well-behaved model: searches the curriculum for the question, then answers with the first sentence of
    each passage it got, citing it."""
    last = messages[-1]
    if isinstance(last, HumanMessage):
        return calls_tool("search_curriculum", query=str(last.content))
    found = [m for m in messages if isinstance(m, ToolMessage)]
    sentences = []
    for ref, text in _PASSAGE.findall(str(found[-1].content) if found else "")[:3]:
        first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
        sentences.append(f"{first} [{ref}]")
    return reply(" ".join(sentences) or "The curriculum has nothing on that.")


@dataclass
class Brain:
    play: Play = extractive
    calls: list[list[BaseMessage]] = field(default_factory=list)

    def step(self, messages: list[BaseMessage]) -> AIMessage:
        self.calls.append(messages)
        return self.play(messages)


def scripted_model(brain: Brain, steps: int = 5000) -> ScriptedChatModel:
    return ScriptedChatModel([brain.step] * steps)


def hash_settings() -> Settings:
    return Settings(_env_file=None, llm=LLMSettings(), embedding=EmbeddingSettings(provider="hash"))


@dataclass
class EvalWorld:
    factory: WorldFactory
    base: World
    brain: Brain | None = None

    def run(
        self, case: dict[str, Any] | Case, *, dataset: str = "test", scorers: list[str] | None = None
    ) -> CaseResult:
        parsed = case if isinstance(case, Case) else Case.model_validate(case)
        names = scorers or ["facts", "evidence", "citations", "groundedness", "structure", "tools", "safety",
                            "abstention", "latency"]  # fmt: skip
        built: list[Scorer] = build_scorers(names)
        return run_case(parsed, dataset, self.factory, self.base, built)


@pytest.fixture(scope="session")
def brain() -> Brain:
    return Brain()


@pytest.fixture(scope="session")
def scripted(brain: Brain, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EvalWorld]:
    factory = WorldFactory(
        WorldConfig(
            settings=hash_settings(),
            fast=True,
            chat_model=scripted_model(brain),
            work_dir=tmp_path_factory.mktemp("scripted-world"),
        )
    )
    try:
        yield EvalWorld(factory, factory.build_base(), brain)
    finally:
        factory.close()


@pytest.fixture
def world(scripted: EvalWorld) -> Iterator[EvalWorld]:
    """The scripted world with the brain reset to the well-behaved model after each test."""
    yield scripted
    assert scripted.brain is not None
    scripted.brain.play = extractive


@pytest.fixture(scope="session")
def offline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EvalWorld]:
    factory = WorldFactory(
        WorldConfig(settings=hash_settings(), fast=True, work_dir=tmp_path_factory.mktemp("offline-world"))
    )
    try:
        yield EvalWorld(factory, factory.build_base())
    finally:
        factory.close()
