from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from knowledge.embeddings import build_embedding_function
from knowledge.ingest import ingest_paths
from knowledge.notes import NoteIndex, NoteRecord
from knowledge.store import KnowledgeStore, build_chroma_client


def test_client_needs_path_or_host_not_both(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="either path"):
        build_chroma_client(path=tmp_path, host="127.0.0.1")


def test_http_client_is_used_when_a_host_is_given(chroma_server: tuple[str, int]) -> None:
    host, port = chroma_server
    client = build_chroma_client(host=host, port=port)

    assert type(client).__name__ == "Client"
    assert client.get_settings().chroma_api_impl.endswith("FastAPI")
    assert client.get_settings().anonymized_telemetry is False


def test_prefix_must_be_a_valid_collection_name_part() -> None:
    with pytest.raises(ValueError, match="collection prefix"):
        KnowledgeStore(build_chroma_client(), build_embedding_function("hash"), prefix="bad prefix!")


def test_collection_names_carry_the_embedding_fingerprint(store: KnowledgeStore) -> None:
    other = KnowledgeStore(store.client, build_embedding_function("hash", dimensions=64), prefix=store.prefix)

    assert store.collection_name("library") != other.collection_name("library")
    assert store.collection_name("notes").startswith(f"{store.prefix}-notes-samcoach-hash-")


def test_count_by_kind_and_reset(any_store: KnowledgeStore, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n\n## One\n\nFirst.\n\n## Two\n\nSecond.\n", encoding="utf-8")
    ingest_paths(any_store, [tmp_path / "a.md"])
    NoteIndex(any_store).upsert(
        NoteRecord(1, 5, datetime.date(2026, 1, 2), "Dana", "call", "Called the CFO about renewal.")
    )

    assert any_store.count("document") == 2
    assert any_store.count("curriculum") == 0
    assert any_store.count("note") == 1
    assert any_store.count() == 3

    any_store.reset()

    assert any_store.count() == 0
