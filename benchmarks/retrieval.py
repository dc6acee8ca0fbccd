"""Retrieval benchmark: curriculum ingest throughput, scoped search latency at 10k and 100k note chunks,
and our search overhead against a raw chromadb ``collection.query`` with the same account filter.

Run: ``python -m benchmarks.retrieval`` (about 3-5 minutes on 2 CPU cores; ``--notes 10000`` for a quick
run). Uses the real local model and a persistent chroma in a temporary directory.

Synthetic notes: embedding 100k notes with MiniLM on CPU would take over an hour, so the model embeds a
pool of distinct note bodies once (``--pool``, batched), and each synthetic note reuses one pool vector with
small Gaussian jitter (sigma 0.01, re-normalised). HNSW and the ``where`` filter therefore see 100k distinct
vectors over ~1,000 accounts, while the note texts (what BM25 reads) differ by account and date.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.embeddings import build_embedding_function
from knowledge.ingest import sync_curriculum
from knowledge.notes import NoteRecord, note_chunks
from knowledge.search import search
from knowledge.store import KnowledgeStore, build_chroma_client

ROLES = ["CFO", "COO", "procurement lead", "site manager", "CIO", "VP Operations", "facilities director"]
TOPICS = [
    "asked for a price freeze before the renewal",
    "raised patient meal satisfaction below target for two quarters",
    "wants quarterly business reviews with the executive sponsor",
    "mentioned an acquisition that could add four new sites",
    "is unhappy with response times at the flagship building",
    "asked about the plate-recognition valet trial and its 5-7% labour savings",
    "wants the partnership charter reviewed with the new CEO",
    "praised the night shift team for the storm response",
    "is comparing our rates with a competitor's tender",
    "wants gross profit and tenant satisfaction in the scorecard",
    "asked who owns the relationship with the new CIO",
    "said the contract expires in about 24 months",
]
ACTIONS = ["send a proposal", "book a site visit", "brief our executive sponsor", "update the stakeholder map"]
QUERIES = [
    "renewal price freeze",
    "who is unhappy with response times",
    "acquisition new sites",
    "executive sponsor quarterly review",
    "competitor tender rates",
    "24 months contract expiry",
    "valet trial labour savings",
    "partnership charter new CEO",
]


def synthetic_bodies(count: int, rng: random.Random) -> list[str]:
    return [
        f"The {rng.choice(ROLES)} {rng.choice(TOPICS)}; we agreed to {rng.choice(ACTIONS)} "
        f"within {rng.randint(1, 6)} weeks (pool {index})."
        for index in range(count)
    ]


def add_synthetic_notes(
    store: KnowledgeStore,
    *,
    start: int,
    count: int,
    accounts: int,
    pool_texts: Sequence[str],
    pool_vectors: np.ndarray[Any, np.dtype[np.float32]],
    rng: random.Random,
) -> None:
    """Write ``count`` notes through our own chunking and metadata, with jittered pool embeddings."""
    noise = np.random.default_rng(start)
    ids: list[str] = []
    texts: list[str] = []
    metadatas: list[dict[str, str | int | float | bool]] = []
    vectors: list[np.ndarray[Any, np.dtype[np.float32]]] = []
    for note_id in range(start, start + count):
        pick = rng.randrange(len(pool_texts))
        record = NoteRecord(
            note_id=note_id,
            account_id=note_id % accounts,
            occurred_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=note_id % 300),
            author="Dana",
            kind="meeting",
            body=f"{pool_texts[pick]} Account {note_id % accounts}.",
        )
        (chunk,) = note_chunks(record)
        vector = pool_vectors[pick] + noise.normal(0.0, 0.01, pool_vectors.shape[1]).astype(np.float32)
        ids.append(chunk.id)
        texts.append(chunk.text)
        metadatas.append(chunk.metadata)
        vectors.append(vector / np.linalg.norm(vector))
    store.upsert("notes", ids, texts, metadatas, vectors)


def timed(function: Callable[[], object]) -> float:
    """Wall time of one call in milliseconds."""
    began = time.perf_counter()
    function()
    return (time.perf_counter() - began) * 1000.0


def percentile(samples: Sequence[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def measure(store: KnowledgeStore, accounts: int, repeats: int, rng: random.Random) -> dict[str, list[float]]:
    """Interleaved timings (ms) per query, so load from other processes hits every column alike.

    ``*_e2e`` include embedding the query (ours through ``search``, raw through ``query_texts``);
    ``*_cached`` hand both sides a precomputed query vector, isolating retrieval from the model.
    """
    collection = store.collection("notes")
    cases = [(rng.choice(QUERIES), rng.randrange(accounts)) for _ in range(repeats)]
    vectors = {query: store.embed_query(query) for query in QUERIES}
    cached = KnowledgeStore(store.client, store.embedding_function, prefix=store.prefix)
    cached.embed_query = vectors.__getitem__  # type: ignore[method-assign,assignment]
    names = ("raw_e2e", "notes_e2e", "all_e2e", "raw_cached", "notes_cached", "all_cached")
    results: dict[str, list[float]] = {name: [] for name in names}
    for query, account in cases[:5]:  # warm caches: the model, sqlite pages, the library lexical index
        search(store, query, k=5, account_id=account)
        search(cached, query, k=5, account_id=account)
    for query, account in cases:
        where: Any = {"account_id": account}
        vector: Any = vectors[query]
        results["raw_e2e"].append(timed(partial(collection.query, query_texts=[query], n_results=5, where=where)))
        results["notes_e2e"].append(timed(partial(search, store, query, k=5, kinds=["note"], account_id=account)))
        results["all_e2e"].append(timed(partial(search, store, query, k=5, account_id=account)))
        results["raw_cached"].append(
            timed(partial(collection.query, query_embeddings=[vector], n_results=5, where=where))
        )
        results["notes_cached"].append(timed(partial(search, cached, query, k=5, kinds=["note"], account_id=account)))
        results["all_cached"].append(timed(partial(search, cached, query, k=5, account_id=account)))
    return results


TABLE_HEADER = (
    "| note chunks | notes/account | raw query p50/p95 | search(notes) p50/p95 | search(all kinds) p50/p95 "
    "| ratio notes/raw p50 | raw query, cached vector | search(notes), cached vector | ratio cached p50 |"
)


def table_row(target: int, accounts: int, samples: dict[str, list[float]]) -> str:
    def pair(name: str) -> str:
        return f"{percentile(samples[name], 50):.1f} / {percentile(samples[name], 95):.1f} ms"

    def ratio(ours: str, raw: str) -> str:
        return f"{percentile(samples[ours], 50) / percentile(samples[raw], 50):.2f}x"

    return (
        f"| {target:,} | {target // accounts} | {pair('raw_e2e')} | {pair('notes_e2e')} | {pair('all_e2e')} "
        f"| {ratio('notes_e2e', 'raw_e2e')} | {pair('raw_cached')} | {pair('notes_cached')} "
        f"| {ratio('notes_cached', 'raw_cached')} |"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, nargs="+", default=[10_000, 100_000], help="note-chunk counts")
    parser.add_argument("--accounts", type=int, default=1_000)
    parser.add_argument("--pool", type=int, default=2_000, help="distinct note bodies embedded by the model")
    parser.add_argument("--repeats", type=int, default=200, help="queries per size")
    args = parser.parse_args(argv)
    rng = random.Random(7)

    with tempfile.TemporaryDirectory(prefix="samcoach-bench-") as directory:
        began = time.perf_counter()
        ef = build_embedding_function("local")
        load_seconds = time.perf_counter() - began
        store = KnowledgeStore(build_chroma_client(path=Path(directory)), ef, prefix="bench")

        began = time.perf_counter()
        report = sync_curriculum(store)
        ingest_seconds = time.perf_counter() - began
        print(f"model load: {load_seconds:.1f}s")
        print(
            f"curriculum ingest: {report.chunks_written} chunks from {len(report.added)} lessons in "
            f"{ingest_seconds:.1f}s = {report.chunks_written / ingest_seconds:.1f} chunks/s"
        )
        began = time.perf_counter()
        again = sync_curriculum(store)
        print(f"curriculum re-sync (unchanged): {again.chunks_written} writes in {time.perf_counter() - began:.2f}s")

        began = time.perf_counter()
        pool_texts = synthetic_bodies(args.pool, rng)
        pool_vectors = np.asarray(store.embed(pool_texts), dtype=np.float32)
        print(f"embedded {args.pool} pool note bodies in {time.perf_counter() - began:.1f}s")

        rows = []
        written = 0
        for target in sorted(args.notes):
            began = time.perf_counter()
            add_synthetic_notes(
                store,
                start=written,
                count=target - written,
                accounts=args.accounts,
                pool_texts=pool_texts,
                pool_vectors=pool_vectors,
                rng=rng,
            )
            print(f"wrote notes {written}..{target} in {time.perf_counter() - began:.1f}s")
            written = target
            rows.append(table_row(target, args.accounts, measure(store, args.accounts, args.repeats, rng)))
            print(rows[-1], flush=True)

    print()
    print(TABLE_HEADER)
    print("|" + "---|" * (TABLE_HEADER.count("|") - 1))
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
