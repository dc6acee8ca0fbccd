"""Retrieval quality on the real curriculum with the real local model (slow: loads the model)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from evals.retrieval import DEFAULT_DATASET, evaluate_retrieval, format_table, load_dataset, unknown_ids
from knowledge.curriculum import load_curriculum
from knowledge.embeddings import build_embedding_function
from knowledge.ingest import sync_curriculum
from knowledge.store import KnowledgeStore, build_chroma_client

HYBRID_RECALL_AT_5 = 0.90
HYBRID_MRR = 0.75


def test_dataset_is_large_labelled_with_real_ids_and_covers_every_lesson() -> None:
    cases = load_dataset(DEFAULT_DATASET)
    lesson_ids = {lesson.id for lesson in load_curriculum()}

    assert len(cases) >= 40
    assert unknown_ids(cases, lesson_ids) == {}
    assert lesson_ids <= {item for case in cases for item in case.relevant}
    assert len({case.question.lower() for case in cases}) == len(cases)


def test_harness_scores_a_tiny_index(tmp_path: Path) -> None:
    store = KnowledgeStore(build_chroma_client(), build_embedding_function("hash"), prefix=f"t{uuid.uuid4().hex[:8]}")
    lessons = tmp_path / "curriculum"
    lessons.mkdir()
    for lesson_id, body in (("guide-a", "Renewal starts 24 months early."), ("guide-b", "Gross profit beats revenue.")):
        (lessons / f"{lesson_id}.md").write_text(
            f'---\nid: {lesson_id}\ntitle: "{lesson_id}"\nkind: guide\nsummary: "s"\n---\n\n# {lesson_id}\n\n'
            f"## Body\n\n{body}\n",
            encoding="utf-8",
        )
    dataset = tmp_path / "dataset.yaml"
    dataset.write_text(
        "version: 1\ncases:\n"
        "  - {id: a, question: 'when do renewals start', relevant: [guide-a]}\n"
        "  - {id: b, question: 'gross profit or revenue', relevant: [guide-b]}\n"
        "  - {id: c, question: 'unrelated lunch menu', relevant: [guide-c]}\n",
        encoding="utf-8",
    )
    try:
        sync_curriculum(store, lessons)
        reports = evaluate_retrieval(store, dataset, k=1, modes=("lexical",))
    finally:
        store.reset()

    report = reports["lexical"]
    assert report.recall_at_k == pytest.approx(2 / 3)
    assert report.mrr == pytest.approx(2 / 3)
    assert [miss.case.id for miss in report.misses] == ["c"]
    assert "| lexical | 0.667 |" in format_table(reports)


@pytest.fixture(scope="module")
def curriculum_store() -> Iterator[KnowledgeStore]:
    store = KnowledgeStore(
        build_chroma_client(), build_embedding_function("local"), prefix=f"quality{uuid.uuid4().hex[:8]}"
    )
    report = sync_curriculum(store)
    assert report.skipped == []
    yield store
    store.reset()


@pytest.mark.slow
def test_hybrid_retrieval_meets_recall_and_mrr_targets(curriculum_store: KnowledgeStore) -> None:
    reports = evaluate_retrieval(curriculum_store, DEFAULT_DATASET, k=5)
    hybrid = reports["hybrid"]
    misses = [(miss.case.id, miss.retrieved) for miss in hybrid.misses]

    print("\n" + format_table(reports))
    assert hybrid.recall_at_k >= HYBRID_RECALL_AT_5, misses
    assert hybrid.mrr >= HYBRID_MRR, misses
    # Fusion must not be worse than either ranking alone; that is the reason to run both.
    assert hybrid.recall_at_k >= max(reports["vector"].recall_at_k, reports["lexical"].recall_at_k)


@pytest.mark.slow
def test_exact_figures_are_found_with_the_real_model(curriculum_store: KnowledgeStore) -> None:
    from knowledge.search import search

    expectations = {
        "11% of account plans": "research-sam-statistics",
        "24 months before the agreement expires": "key-07-growth-strategy",
        "79% gross profit": "research-sam-statistics",
    }
    for query, lesson_id in expectations.items():
        top = [passage.citation.source_id for passage in search(curriculum_store, query, k=3)]
        assert lesson_id in top, (query, top)
