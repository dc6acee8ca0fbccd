from __future__ import annotations

import datetime
import math
from pathlib import Path

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings

from knowledge.chunking import CHUNK_SIZE, Section, build_chunks, markdown_sections
from knowledge.embeddings import build_embedding_function, embedding_fingerprint
from knowledge.lexical import LexicalIndex, rank, tokenize
from knowledge.store import KnowledgeStore, build_chroma_client
from knowledge.types import Citation, Passage

MARKDOWN = """# Account plan for Acme

Intro line.

## Goals

Grow share.

### Year one

Land the pilot.

## Risks

The sponsor may leave.
"""


def test_markdown_sections_keep_heading_paths_without_the_title() -> None:
    title, sections = markdown_sections(MARKDOWN)

    assert title == "Account plan for Acme"
    assert [(section.path, section.text) for section in sections] == [
        ("", "Intro line."),
        ("Goals", "Grow share."),
        ("Goals > Year one", "Land the pilot."),
        ("Risks", "The sponsor may leave."),
    ]


def test_long_section_is_split_within_its_section() -> None:
    paragraph = "Strategic accounts need a plan that both sides agree. " * 12
    text = "\n\n".join([paragraph] * 6)

    chunks = build_chunks(source="a.md", title="T", sections=[Section("Long", text)], metadata={"kind": "document"})

    assert len(chunks) > 1
    assert all(len(chunk.text) <= CHUNK_SIZE for chunk in chunks)
    assert {chunk.metadata["section"] for chunk in chunks} == {"Long"}
    assert [chunk.metadata["ordinal"] for chunk in chunks] == list(range(len(chunks)))


def test_chunk_ids_are_stable_and_change_with_content() -> None:
    def make(text: str) -> list[str]:
        sections = [Section("Goals", "Grow share."), Section("Risks", text)]
        return [c.id for c in build_chunks(source="a.md", title="T", sections=sections, metadata={"kind": "document"})]

    first, again, changed = make("Sponsor may leave."), make("Sponsor may leave."), make("Sponsor left.")

    assert first == again
    assert first[0] == changed[0]
    assert first[1] != changed[1]
    assert first[1].startswith("a.md#001-risks-")


def test_chunks_are_embedded_with_a_contextual_header_but_stored_without() -> None:
    (chunk,) = build_chunks(
        source="a.md", title="Key 3", sections=[Section("Pitfalls", "Only one contact.")], metadata={}
    )

    assert chunk.text == "Only one contact."
    assert chunk.embed_text.startswith("Key 3 — Pitfalls\n")


def test_tokenizer_keeps_numbers_and_percentages() -> None:
    tokens = tokenize("Only 11% of plans; renew 24 months early, 2.5x growth and $100,000 saved. Sponsors!")

    assert "11%" in tokens and "11" in tokens
    assert "24" in tokens and "month" in tokens
    assert "2.5" in tokens
    assert "100000" in tokens
    assert "sponsor" in tokens
    assert "of" not in tokens


def test_bm25_ranks_matches_first_even_when_a_term_is_in_most_documents() -> None:
    # rank_bm25's Okapi IDF goes negative here and pushes matches below non-matches; ours must not.
    index = LexicalIndex.build(["a", "b", "c"], ["renewal risk", "renewal pricing", "lunch menu"])

    ranked = rank([index], "renewal")

    assert [key for key, _ in ranked] == ["a", "b"] or [key for key, _ in ranked] == ["b", "a"]
    assert all(score > 0 for _, score in ranked)


def test_bm25_statistics_span_all_indexes() -> None:
    library = LexicalIndex.build(["l1", "l2"], ["gross profit matters", "revenue matters"])
    notes = LexicalIndex.build(["n1"], ["gross profit fell 11%"])

    ranked = dict(rank([library, notes], "gross profit 11%"))

    assert set(ranked) == {"l1", "n1"}
    assert ranked["n1"] > ranked["l1"]


def test_citation_labels_and_trust() -> None:
    lesson = Citation(
        kind="curriculum",
        source_id="key-03-strategic-relationships",
        title="Key 3: Assess and strengthen the account's most strategic relationships",
        section="Why it matters",
        source="keys/key-03-strategic-relationships.md",
        chunk_id="x",
    )
    note = Citation(
        kind="note",
        source_id="123",
        title="Meeting note",
        section="",
        source="note:123",
        chunk_id="y",
        date=datetime.date(2026, 9, 1),
        account_id=7,
    )

    assert lesson.label() == "Key 3 … § Why it matters"
    assert note.label() == "note 123 (2026-09-01)"
    assert Passage(text="t", score=0.1, citation=lesson).trusted
    assert not Passage(text="t", score=0.1, citation=note).trusted
    assert not Passage(text="t", score=0.1, citation=note.__class__(**{**note.__dict__, "kind": "document"})).trusted


def test_hash_embeddings_are_deterministic_and_normalised() -> None:
    ef = build_embedding_function("hash", dimensions=64)

    first, second, other = ef(["gross profit 11%", "gross profit 11%", "lunch menu"])

    assert np.allclose(first, second)
    assert math.isclose(float(np.linalg.norm(first)), 1.0, rel_tol=1e-5)
    assert float(np.dot(first, other)) < float(np.dot(first, second))


def test_fingerprint_names_the_model_and_shape() -> None:
    small, large = build_embedding_function("hash", dimensions=64), build_embedding_function("hash")

    assert embedding_fingerprint(small) != embedding_fingerprint(large)
    assert embedding_fingerprint(large) == embedding_fingerprint(build_embedding_function("hash"))
    assert embedding_fingerprint(large).startswith("samcoach-hash-")


def test_unknown_provider_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown embedding provider"):
        build_embedding_function("nope")  # type: ignore[arg-type]


def test_persistent_collection_reopens_with_the_hash_function_from_its_config(tmp_path: Path) -> None:
    store = KnowledgeStore(build_chroma_client(path=tmp_path), build_embedding_function("hash"), prefix="p")
    store.upsert("library", ["a"], ["gross profit"], [{"kind": "document"}], store.embed(["gross profit"]))

    # A second client without an explicit function must rebuild ours from the persisted config.
    reopened = chromadb.PersistentClient(path=str(tmp_path), settings=Settings(anonymized_telemetry=False))
    collection = reopened.get_collection(store.collection_name("library"))
    result = collection.query(query_texts=["gross profit"], n_results=1)

    assert result["ids"] == [["a"]]
    assert collection.configuration_json["embedding_function"]["name"] == "samcoach_hash"
