"""Run the suite: build the world, run every case in parallel (each with its own conversation, and its own
copy of the world when it may write), score it, aggregate, gate, and write the reports.

    result = run_suite(RunOptions(datasets=["coaching"]), settings)
    result.passed  # the gate's verdict; `python -m evals run` turns it into the exit code
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from evals.answers import Answer
from evals.cases import DATASETS_DIR, SUITE, Case, Dataset, DatasetError, load_suite
from evals.execute import execute
from evals.gate import (
    BASELINE_PATH,
    THRESHOLDS_PATH,
    Aggregate,
    Baseline,
    GateCheck,
    evaluate_gate,
    gate_passed,
    load_baseline,
    load_thresholds,
    write_baseline,
)
from evals.scorers import Score, Scorer, Similarity, build_scorers
from evals.world import EVAL_TODAY, World, WorldConfig, WorldFactory

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.settings import Settings
    from evals.judge import LLMJudge

RETRIEVAL = "retrieval"
DEFAULT_TIMEOUT_S = 120.0
DEFAULT_LATENCY_BUDGET_MS = 10_000

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class RunOptions:
    datasets: list[str] | None = None  # None: the whole suite plus the retrieval set
    workers: int = 0  # 0: one per core, at most 4
    timeout_s: float = DEFAULT_TIMEOUT_S
    fast: bool = False  # hash embedding: a smoke run, never compared with the baseline
    today: date = EVAL_TODAY
    out_dir: Path | None = None  # default: <data_dir>/evals
    datasets_dir: Path = DATASETS_DIR
    thresholds_path: Path = THRESHOLDS_PATH
    baseline_path: Path = BASELINE_PATH
    update_baseline: bool = False
    gate: bool = True
    latency_budget_ms: int = DEFAULT_LATENCY_BUDGET_MS
    judge: LLMJudge | None = None
    chat_model: BaseChatModel | None = None  # tests: the scripted model instead of the configured backend
    progress: bool = True
    keep_world: bool = False


@dataclass
class CaseResult:
    dataset: str
    case_id: str
    question: str
    scores: dict[str, Score] = field(default_factory=dict)
    answer: dict[str, Any] = field(default_factory=dict)
    latency_ms: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    error: str | None = None
    judge: Score | None = None
    tags: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Every gated scorer passed: how a held-out set is read (a case is right or it is not)."""
        return bool(self.scores) and all(score.passed for score in self.scores.values())


@dataclass
class RunResult:
    run_id: str
    config: dict[str, Any]
    results: list[CaseResult]
    aggregates: list[Aggregate]
    checks: list[GateCheck]
    passed: bool
    out_dir: Path
    duration_s: float
    messages: list[str] = field(default_factory=list)
    gated: bool = True

    @property
    def verdict(self) -> str:
        if not self.gated:
            return "not applied (report only)"
        return "PASSED" if self.passed else "FAILED"


def run_suite(options: RunOptions, settings: Settings) -> RunResult:
    from evals.report import append_history, write_reports

    started = time.monotonic()
    names = options.datasets or [*SUITE, RETRIEVAL]
    datasets = load_suite([n for n in names if n != RETRIEVAL], options.datasets_dir)
    thresholds = load_thresholds(options.thresholds_path)
    backend = "scripted" if options.chat_model is not None else settings.llm.provider
    config = {
        "backend": backend,
        "model": settings.llm.model if backend == "openai" else None,
        "embedding": "hash" if options.fast else settings.embedding.provider,
        "today": options.today.isoformat(),
    }
    run_id = datetime.now().astimezone().strftime("%Y%m%d-%H%M%S") + f"-{backend}"
    out_root = options.out_dir or Path(settings.data_dir) / "evals"
    out_dir = out_root / run_id
    work_dir = out_dir / "world" if options.keep_world else None
    factory = WorldFactory(
        WorldConfig(
            settings=settings,
            today=options.today,
            fast=options.fast,
            chat_model=options.chat_model,
            work_dir=work_dir,
        )
    )
    say = _printer(options.progress)
    try:
        base = factory.build_base(progress=lambda step: say(f"world: {step}"))
        _warm_up(base)
        _check_selectors(datasets, base)
        similarity = None if options.fast else make_similarity(factory)
        results = _run_cases(datasets, factory, base, options, similarity)
        if RETRIEVAL in names:
            results += _retrieval_results(base)
    finally:
        if not options.keep_world:
            factory.close()
    aggregates = aggregate(results)
    baseline = load_baseline(options.baseline_path)
    messages = []
    if options.update_baseline:
        write_baseline(options.baseline_path, run_id, config, _merged(baseline, config, aggregates))
        messages.append(f"baseline written to {options.baseline_path}")
        baseline = load_baseline(options.baseline_path)
    elif baseline is not None and not baseline.comparable(config):
        messages.append(f"baseline not compared: it was recorded with {baseline.config}, this run is {config}")
    checks = evaluate_gate(aggregates, thresholds, baseline, config)
    passed = gate_passed(checks) if options.gate else True
    if not options.gate:
        messages.append("report only: the gate was not applied (--no-gate, or a --fast run)")
    result = RunResult(
        run_id=run_id,
        config=config,
        results=results,
        aggregates=aggregates,
        checks=checks,
        passed=passed,
        out_dir=out_dir,
        duration_s=time.monotonic() - started,
        messages=messages,
        gated=options.gate,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    append_history(out_root / "history.jsonl", result)
    write_reports(result, history_path=out_root / "history.jsonl")
    return result


def _printer(enabled: bool) -> Callable[[str], None]:
    def say(message: str) -> None:
        if enabled:
            print(message, file=sys.stderr, flush=True)

    return say


def _warm_up(world: World) -> None:
    """One untimed turn, so the first timed case does not pay for the backend's lazy set-up (the offline
    router embeds its example utterances on first use)."""
    service = world.assistant
    actor = world.actors["dana"]
    conversation = service.start_conversation(actor, title="eval warm-up")
    try:
        service.ask(actor, conversation.id, "What is a partnership charter?")
    except Exception:  # a scripted model with no answer for it, say: the cases themselves will tell
        pass


def _check_selectors(datasets: list[Dataset], world: World) -> None:
    """A selector that names no record is a broken case, not a failing system: stop before running."""
    index = world.index()
    problems = []
    for dataset in datasets:
        for case in dataset.cases:
            if case.setup:
                continue  # resolved in the case's own world, after its set-up
            for selector in [*case.expect.cite, *case.expect.cite_any]:
                if not index.resolve(selector, case.account):
                    problems.append(f"{dataset.name}/{case.id}: {selector.label}")
    if problems:
        raise DatasetError("evidence selectors that match no record: " + "; ".join(problems))


def make_similarity(factory: WorldFactory) -> Similarity:
    embed = factory.embedding

    def similarity(sentence: str, texts: Sequence[str]) -> float:
        if not texts or embed is None:
            return 0.0
        vectors = np.asarray(embed([sentence, *texts]), dtype=np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
        return float(np.max(vectors[1:] @ vectors[0]))

    return similarity


def _run_cases(
    datasets: list[Dataset],
    factory: WorldFactory,
    base: World,
    options: RunOptions,
    similarity: Similarity | None,
) -> list[CaseResult]:
    scorers = {
        d.name: build_scorers(d.scorers, similarity=similarity, latency_budget_ms=options.latency_budget_ms)
        for d in datasets
    }
    tasks = [(d.name, case) for d in datasets for case in d.cases]

    def work(task: tuple[str, Case]) -> CaseResult:
        dataset, case = task
        return run_case(case, dataset, factory, base, scorers[dataset], judge=options.judge)

    def timed_out(task: tuple[str, Case], seconds: float) -> CaseResult:
        dataset, case = task
        return errored(case, dataset, scorers[dataset], f"timed out after {seconds:.0f} s")

    workers = options.workers or min(4, os.cpu_count() or 1)
    return run_parallel(tasks, work, timed_out, workers=workers, timeout_s=options.timeout_s, progress=options.progress)


def run_case(
    case: Case,
    dataset: str,
    factory: WorldFactory,
    base: World,
    scorers: list[Scorer],
    *,
    judge: LLMJudge | None = None,
) -> CaseResult:
    world = factory.isolated(case.id) if case.needs_isolation else base
    try:
        answer = execute(case, dataset, world, check_writes=case.needs_isolation)
    except Exception as exc:  # a crashing case is a failing case, with the error in the report
        return errored(case, dataset, scorers, f"{type(exc).__name__}: {exc}")
    finally:
        if world is not base:
            factory.discard(world)
    return score_case(case, dataset, answer, scorers, judge=judge)


def score_case(
    case: Case, dataset: str, answer: Answer, scorers: list[Scorer], *, judge: LLMJudge | None = None
) -> CaseResult:
    result = CaseResult(
        dataset=dataset,
        case_id=case.id,
        question=case.question,
        answer=answer.summary(),
        latency_ms=answer.latency_ms,
        tokens_in=answer.tokens_in,
        tokens_out=answer.tokens_out,
        error=answer.error,
        tags=list(case.tags),
    )
    for scorer in scorers:
        if not scorer.applies(case):
            continue
        if answer.error and scorer.name != "latency":
            result.scores[scorer.name] = Score(0.0, False, f"error: {answer.error}")
            continue
        try:
            score = scorer.score(case, answer)
        except Exception as exc:  # a scorer bug shows in the report instead of ending the run
            score = Score(0.0, False, f"scorer failed: {type(exc).__name__}: {exc}")
        if score is not None:
            result.scores[scorer.name] = score
    if judge is not None and judge.applies(dataset) and not answer.error:
        try:
            result.judge = judge.score(case, answer)
        except Exception as exc:  # the judge is advisory: its failure is reported, never fatal
            result.judge = Score(0.0, False, f"judge failed: {type(exc).__name__}: {exc}")
    return result


def errored(case: Case, dataset: str, scorers: list[Scorer], error: str) -> CaseResult:
    """Every scorer that applies scores 0: an error or a timeout always counts against the gate."""
    scores = {s.name: Score(0.0, False, f"error: {error}") for s in scorers if s.applies(case)}
    return CaseResult(
        dataset=dataset,
        case_id=case.id,
        question=case.question,
        scores=scores,
        error=error,
        answer={"error": error},
        tags=list(case.tags),
    )


def run_parallel(
    tasks: Sequence[T],
    work: Callable[[T], R],
    timed_out: Callable[[T, float], R],
    *,
    workers: int,
    timeout_s: float,
    progress: bool = True,
) -> list[R]:
    """Run `work` over `tasks` on daemon threads, in order of results; a task running longer than `timeout_s`
    gets `timed_out(task)` as its result and a fresh worker takes its place (a thread cannot be killed, but it
    no longer holds up the run or its exit)."""
    from tqdm import tqdm

    inbox: queue.Queue[tuple[int, T] | None] = queue.Queue()
    outbox: queue.Queue[tuple[int, R | BaseException]] = queue.Queue()
    started: dict[int, float] = {}
    lock = threading.Lock()

    def worker() -> None:
        while True:
            item = inbox.get()
            if item is None:
                return
            number, task = item
            with lock:
                started[number] = time.monotonic()
            try:
                outbox.put((number, work(task)))
            except BaseException as exc:  # handed to the main thread, which re-raises it
                outbox.put((number, exc))

    def spawn() -> None:
        threading.Thread(target=worker, daemon=True, name="eval-worker").start()

    for number, task in enumerate(tasks):
        inbox.put((number, task))
    for _ in range(max(1, workers)):
        inbox.put(None)
        spawn()
    results: dict[int, R] = {}
    expired: set[int] = set()
    with tqdm(total=len(tasks), desc="evals", unit="case", file=sys.stderr, disable=not progress) as bar:
        while len(results) < len(tasks):
            try:
                number, outcome = outbox.get(timeout=0.2)
            except queue.Empty:
                pass
            else:
                if number not in expired:
                    if isinstance(outcome, BaseException):
                        raise outcome
                    results[number] = outcome
                    bar.update(1)
            now = time.monotonic()
            with lock:
                running = [(n, t) for n, t in started.items() if n not in results and n not in expired]
            for number, began in running:
                if now - began > timeout_s:
                    expired.add(number)
                    results[number] = timed_out(tasks[number], timeout_s)
                    bar.update(1)
                    inbox.put(None)
                    spawn()
    return [results[number] for number in range(len(tasks))]


def _retrieval_results(world: World) -> list[CaseResult]:
    """The curriculum retrieval set (evals/datasets/retrieval.yaml) on the run's own index: recall@5 and MRR of
    the hybrid search the assistant uses."""
    from evals.retrieval import evaluate_retrieval

    report = evaluate_retrieval(world.runtime.retrieval.store, k=5, modes=("hybrid",))["hybrid"]
    results = []
    for item in report.results:
        rank = item.first_relevant_rank
        reason = f"first relevant at rank {rank}" if rank else f"none of {list(item.case.relevant)} in the top 5"
        results.append(
            CaseResult(
                dataset=RETRIEVAL,
                case_id=item.case.id,
                question=item.case.question,
                scores={
                    "recall@5": Score(1.0 if item.hit else 0.0, item.hit, reason),
                    "mrr": Score(item.reciprocal_rank, item.hit, reason),
                },
                answer={"retrieved": list(item.retrieved)},
            )
        )
    return results


def aggregate(results: list[CaseResult]) -> list[Aggregate]:
    """Mean and pass rate per dataset × scorer, in the order the datasets and scorers first appear."""
    collected: dict[tuple[str, str], list[Score]] = {}
    judged: dict[str, list[Score]] = {}
    for result in results:
        for name, score in result.scores.items():
            collected.setdefault((result.dataset, name), []).append(score)
        if result.judge is not None:
            judged.setdefault(result.dataset, []).append(result.judge)
    out = [_aggregate(dataset, name, scores) for (dataset, name), scores in collected.items()]
    out += [_aggregate(dataset, "judge", scores, gated=False) for dataset, scores in judged.items()]
    return out


def _aggregate(dataset: str, scorer: str, scores: list[Score], *, gated: bool = True) -> Aggregate:
    return Aggregate(
        dataset=dataset,
        scorer=scorer,
        n=len(scores),
        mean=sum(s.value for s in scores) / len(scores),
        pass_rate=sum(s.passed for s in scores) / len(scores),
        gated=gated,
    )


def _merged(baseline: Baseline | None, config: dict[str, Any], aggregates: list[Aggregate]) -> list[Aggregate]:
    """Rewriting the baseline from a partial run keeps the other datasets' entries (same configuration only)."""
    if baseline is None or not baseline.comparable(config):
        return aggregates
    ran = {a.dataset for a in aggregates}
    kept = [
        Aggregate(key.split("/")[0], key.split("/", 1)[1], int(v.get("n", 0)), v["mean"], v.get("pass_rate", 0.0))
        for key, v in baseline.scores.items()
        if key.split("/")[0] not in ran
    ]
    return kept + aggregates
