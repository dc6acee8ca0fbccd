"""Retrieval evaluation: recall@k, MRR and coverage@k of ``knowledge.search`` over a labelled dataset.

It scores exactly the function the assistant calls (``search(kinds=["curriculum"])``), per mode, so the
numbers for hybrid, vector and lexical are directly comparable. Dataset schema: the header of
``evals/datasets/retrieval.yaml``. ``python -m evals.retrieval`` builds an in-memory index of the packaged
curriculum with the local model and prints the table.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.search import Mode, search
from knowledge.store import KnowledgeStore

DEFAULT_DATASET = Path(__file__).resolve().parent / "datasets" / "retrieval.yaml"
ALL_MODES: tuple[Mode, ...] = ("hybrid", "vector", "lexical")


@dataclass(frozen=True)
class RetrievalCase:
    id: str
    question: str
    relevant: tuple[str, ...]


@dataclass(frozen=True)
class CaseResult:
    case: RetrievalCase
    retrieved: tuple[str, ...]
    first_relevant_rank: int | None

    @property
    def hit(self) -> bool:
        return self.first_relevant_rank is not None

    @property
    def reciprocal_rank(self) -> float:
        return 1.0 / self.first_relevant_rank if self.first_relevant_rank else 0.0

    @property
    def coverage(self) -> float:
        return len(set(self.retrieved) & set(self.case.relevant)) / len(self.case.relevant)


@dataclass
class ModeReport:
    mode: Mode
    k: int
    results: list[CaseResult] = field(default_factory=list)

    @property
    def recall_at_k(self) -> float:
        return sum(result.hit for result in self.results) / len(self.results)

    @property
    def mrr(self) -> float:
        return sum(result.reciprocal_rank for result in self.results) / len(self.results)

    @property
    def coverage_at_k(self) -> float:
        return sum(result.coverage for result in self.results) / len(self.results)

    @property
    def misses(self) -> list[CaseResult]:
        return [result for result in self.results if not result.hit]


def load_dataset(path: Path = DEFAULT_DATASET) -> list[RetrievalCase]:
    """Read and validate a version-1 retrieval dataset; errors name the file and the case."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("version") != 1:
        raise ValueError(f"{path}: expected a mapping with 'version: 1'")
    cases: list[RetrievalCase] = []
    for number, raw in enumerate(data.get("cases") or [], start=1):
        if not isinstance(raw, dict):
            raise ValueError(f"{path}: case {number} must be a mapping")
        case_id, question, relevant = raw.get("id"), raw.get("question"), raw.get("relevant")
        if not isinstance(case_id, str) or not isinstance(question, str) or not question.strip():
            raise ValueError(f"{path}: case {number} needs a string id and a non-empty question")
        if not isinstance(relevant, list) or not relevant or not all(isinstance(item, str) for item in relevant):
            raise ValueError(f"{path}: case {case_id!r} needs a non-empty list of relevant curriculum ids")
        cases.append(RetrievalCase(id=case_id, question=question.strip(), relevant=tuple(relevant)))
    ids = [case.id for case in cases]
    duplicates = sorted({case_id for case_id in ids if ids.count(case_id) > 1})
    if duplicates:
        raise ValueError(f"{path}: duplicate case ids {duplicates}")
    if not cases:
        raise ValueError(f"{path}: no cases")
    return cases


def unknown_ids(cases: Iterable[RetrievalCase], known: Iterable[str]) -> dict[str, list[str]]:
    """Relevant ids that name no curriculum lesson, by case id (labels must point at real lessons)."""
    known_ids = set(known)
    found = {case.id: [item for item in case.relevant if item not in known_ids] for case in cases}
    return {case_id: items for case_id, items in found.items() if items}


def evaluate_retrieval(
    store: KnowledgeStore,
    dataset_path: Path = DEFAULT_DATASET,
    k: int = 5,
    modes: Sequence[Mode] = ALL_MODES,
) -> dict[Mode, ModeReport]:
    """Score every case in every mode against the curriculum indexed in ``store``."""
    cases = load_dataset(dataset_path)
    reports: dict[Mode, ModeReport] = {}
    for mode in modes:
        report = ModeReport(mode=mode, k=k)
        for case in cases:
            passages = search(store, case.question, k=k, kinds=["curriculum"], mode=mode)
            retrieved = tuple(passage.citation.source_id for passage in passages)
            first = next((rank for rank, item in enumerate(retrieved, 1) if item in case.relevant), None)
            report.results.append(CaseResult(case=case, retrieved=retrieved, first_relevant_rank=first))
        reports[mode] = report
    return reports


def format_table(reports: dict[Mode, ModeReport]) -> str:
    lines = ["| mode | recall@k | MRR | coverage@k | misses |", "|---|---|---|---|---|"]
    for mode, report in reports.items():
        lines.append(
            f"| {mode} | {report.recall_at_k:.3f} | {report.mrr:.3f} | {report.coverage_at_k:.3f} "
            f"| {len(report.misses)}/{len(report.results)} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    from knowledge.embeddings import build_embedding_function
    from knowledge.ingest import sync_curriculum
    from knowledge.store import build_chroma_client

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="list the misses of each mode")
    args = parser.parse_args(argv)

    store = KnowledgeStore(build_chroma_client(), build_embedding_function("local"), prefix="eval-retrieval")
    try:
        sync_curriculum(store)
        reports = evaluate_retrieval(store, args.dataset, k=args.k)
    finally:
        store.reset()
    print(format_table(reports))
    if args.verbose:
        for mode, report in reports.items():
            for miss in report.misses:
                print(f"{mode} miss {miss.case.id}: got {list(miss.retrieved)} want {list(miss.case.relevant)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
