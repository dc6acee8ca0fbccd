from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from knowledge.ingest import ingest_paths, sync_curriculum
from knowledge.search import search
from knowledge.store import KnowledgeStore

PdfWriter = Callable[[Path, Sequence[str]], Path]
DocxWriter = Callable[[Path, str, Sequence[tuple[int, str, str]]], Path]

PLAN = """# Acme account plan

## Goals

Expand the valet contract to three new sites.

## Risks

The procurement sponsor retires next spring.
"""

LESSON = """---
id: {id}
title: "{title}"
kind: guide
tags: [testing, charters]
summary: "Test lesson."
sources: []
exercise:
  prompt: "SECRET EXERCISE PROMPT"
  rubric: []
  model_answer: "SECRET MODEL ANSWER"
quiz:
  - question: "SECRET QUIZ QUESTION"
    options: ["a", "b"]
    answer: 0
    explanation: "SECRET EXPLANATION"
---

# {title}

## What it covers

{body}

## Pitfalls

Skipping the annual review of the charter.
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def stored(store: KnowledgeStore, kind: str = "document") -> dict[str, str]:
    return {chunk.id: chunk.text for chunk in store.get("library", where={"kind": kind})}


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    write(folder / "acme-plan.md", PLAN)
    write(folder / "notes" / "call.txt", "Call with Acme CFO about gross profit targets.")
    return folder


def test_reingesting_unchanged_files_writes_nothing(any_store: KnowledgeStore, docs: Path) -> None:
    first = ingest_paths(any_store, [docs])
    before = stored(any_store)

    second = ingest_paths(any_store, [docs])

    assert sorted(first.added) == ["docs/acme-plan.md", "docs/notes/call.txt"]
    assert first.chunks_written == 3
    assert sorted(second.unchanged) == ["docs/acme-plan.md", "docs/notes/call.txt"]
    assert (second.added, second.updated, second.removed) == ([], [], [])
    assert (second.chunks_written, second.chunks_deleted) == (0, 0)
    assert stored(any_store) == before


def test_changed_file_replaces_its_chunks(any_store: KnowledgeStore, docs: Path) -> None:
    ingest_paths(any_store, [docs])
    write(docs / "acme-plan.md", PLAN.replace("retires next spring", "moved to the Zurich office"))

    report = ingest_paths(any_store, [docs])

    texts = stored(any_store).values()
    assert report.updated == ["docs/acme-plan.md"]
    assert report.unchanged == ["docs/notes/call.txt"]
    assert (report.chunks_written, report.chunks_deleted) == (1, 1)
    assert any("Zurich" in text for text in texts)
    assert not any("retires next spring" in text for text in texts)
    assert any_store.count("document") == 3


def test_removed_file_in_a_directory_is_deleted(any_store: KnowledgeStore, docs: Path) -> None:
    ingest_paths(any_store, [docs])
    (docs / "notes" / "call.txt").unlink()

    report = ingest_paths(any_store, [docs])

    assert report.removed == ["docs/notes/call.txt"]
    assert report.chunks_deleted == 1
    assert {chunk.metadata["source"] for chunk in any_store.get("library")} == {"docs/acme-plan.md"}


def test_unsupported_and_corrupt_files_are_skipped_by_name_while_good_files_land(
    store: KnowledgeStore, docs: Path, pdf_writer: PdfWriter, docx_writer: DocxWriter
) -> None:
    pdf_writer(docs / "review.pdf", ["Renewal is due in 24 months", "Gross profit grew 11%"])
    docx_writer(docs / "charter.docx", "Charter", [(1, "Signatories", "Both CEOs sign the charter.")])
    write(docs / "deck.pptx", "not really a deck")
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    (docs / "broken.docx").write_bytes(b"PK\x03\x04 definitely not a zip archive")
    (docs / "empty.txt").write_text("   \n")
    write(docs / ".hidden" / "secret.md", "# hidden")

    report = ingest_paths(store, [docs, docs.parent / "missing.md"])

    skipped = dict(report.skipped)
    assert set(skipped) == {
        "docs/deck.pptx",
        "docs/broken.pdf",
        "docs/broken.docx",
        "docs/empty.txt",
        str(docs.parent / "missing.md"),
    }
    assert "unsupported file type .pptx" in skipped["docs/deck.pptx"]
    assert "PDF" in skipped["docs/broken.pdf"]
    assert "DOCX" in skipped["docs/broken.docx"]
    assert sorted(report.added) == [
        "docs/acme-plan.md",
        "docs/charter.docx",
        "docs/notes/call.txt",
        "docs/review.pdf",
    ]


def test_encrypted_pdf_is_skipped_with_reason(store: KnowledgeStore, tmp_path: Path, pdf_writer: PdfWriter) -> None:
    from pypdf import PdfWriter as Writer

    writer = Writer(clone_from=pdf_writer(tmp_path / "plain.pdf", ["Confidential pricing"]))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    with (tmp_path / "locked.pdf").open("wb") as handle:
        writer.write(handle)

    report = ingest_paths(store, [tmp_path / "locked.pdf"])

    assert report.skipped == [("locked.pdf", "encrypted PDF (needs a password)")]
    assert store.count() == 0


def test_a_pdf_without_a_text_layer_is_skipped_with_reason(store: KnowledgeStore, tmp_path: Path) -> None:
    from pypdf import PdfWriter as Writer

    writer = Writer()
    writer.add_blank_page(width=595, height=842)  # what a scan looks like to a text extractor: no text at all
    with (tmp_path / "scan.pdf").open("wb") as handle:
        writer.write(handle)

    report = ingest_paths(store, [tmp_path / "scan.pdf"])

    [(source, reason)] = report.skipped
    assert source == "scan.pdf" and "no text layer" in reason and "OCR" in reason
    assert store.count() == 0


def test_headings_pages_and_docx_styles_become_section_metadata(
    store: KnowledgeStore, docs: Path, pdf_writer: PdfWriter, docx_writer: DocxWriter
) -> None:
    pdf_writer(docs / "review.pdf", ["Renewal is due in 24 months", "Gross profit grew 11%"])
    docx_writer(
        docs / "charter.docx",
        "Acme charter",
        [(1, "Signatories", "Both CEOs sign."), (2, "Changes", "Signatories authorise every change.")],
    )

    ingest_paths(store, [docs])

    sections = {
        (chunk.metadata["source"], chunk.metadata["title"], chunk.metadata["section"]) for chunk in store.get("library")
    }
    assert ("docs/acme-plan.md", "Acme account plan", "Goals") in sections
    assert ("docs/acme-plan.md", "Acme account plan", "Risks") in sections
    assert ("docs/review.pdf", "review", "page 2") in sections
    assert ("docs/charter.docx", "Acme charter", "Signatories > Changes") in sections
    (hit,) = search(store, "grow gross profit 11%", k=1, kinds=["document"])
    assert hit.citation.section == "page 2"
    assert hit.citation.label() == "review § page 2"


def test_crash_mid_ingest_is_repaired_by_rerunning(
    any_store: KnowledgeStore, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_paths(any_store, [docs])
    write(docs / "acme-plan.md", PLAN.replace("three new sites", "five new sites"))
    write(docs / "notes" / "call.txt", "Call with Acme CFO: the 11% price rise is off the table.")
    write(docs / "new.md", "# New\n\nA brand new document.")

    real_delete = any_store.delete

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated crash after upsert, before deleting stale chunks")

    monkeypatch.setattr(any_store, "delete", crash)
    with pytest.raises(RuntimeError, match="simulated crash"):
        ingest_paths(any_store, [docs])
    monkeypatch.setattr(any_store, "delete", real_delete)

    rerun = ingest_paths(any_store, [docs])

    texts = list(stored(any_store).values())
    assert rerun.chunks_deleted == 2
    assert not any("three new sites" in text for text in texts)
    assert not any("gross profit targets" in text for text in texts)
    assert sum("five new sites" in text for text in texts) == 1
    assert sum("A brand new document" in text for text in texts) == 1
    assert ingest_paths(any_store, [docs]).chunks_written == 0


def test_ingest_with_root_names_sources_relative_to_it(store: KnowledgeStore, docs: Path) -> None:
    report = ingest_paths(store, [docs / "acme-plan.md", docs.parent / "elsewhere.md"], root=docs)

    assert report.added == ["acme-plan.md"]
    assert report.skipped[0][1].startswith("outside the ingest root")


def test_curriculum_sync_indexes_bodies_only_and_tracks_removals(store: KnowledgeStore, tmp_path: Path) -> None:
    curriculum = tmp_path / "curriculum"
    write(curriculum / "guides" / "guide-a.md", LESSON.format(id="guide-a", title="Guide A: charters", body="Alpha."))
    write(curriculum / "guides" / "guide-b.md", LESSON.format(id="guide-b", title="Guide B", body="Beta."))
    write(curriculum / "README.md", "# Not a lesson")

    first = sync_curriculum(store, curriculum)
    chunks = store.get("library", where={"kind": "curriculum"})

    assert sorted(first.added) == ["guides/guide-a.md", "guides/guide-b.md"]
    assert not any("SECRET" in chunk.text for chunk in chunks)
    alpha = next(chunk for chunk in chunks if chunk.text == "Alpha.")
    assert alpha.metadata["source_id"] == "guide-a"
    assert alpha.metadata["title"] == "Guide A: charters"
    assert alpha.metadata["lesson_kind"] == "guide"
    assert alpha.metadata["tags"] == "testing,charters"
    assert alpha.metadata["section"] == "What it covers"

    (curriculum / "guides" / "guide-b.md").unlink()
    write(curriculum / "guides" / "guide-c.md", "no front matter here")
    second = sync_curriculum(store, curriculum)

    assert second.removed == ["guides/guide-b.md"]
    assert second.unchanged == ["guides/guide-a.md"]
    assert second.skipped[0][0] == "guides/guide-c.md"
    assert str(curriculum / "guides" / "guide-c.md") in second.skipped[0][1]
    assert {chunk.metadata["source_id"] for chunk in store.get("library")} == {"guide-a"}


def test_packaged_curriculum_syncs_idempotently(store: KnowledgeStore) -> None:
    progress: list[tuple[int, int]] = []

    first = sync_curriculum(store, progress=lambda done, total: progress.append((done, total)))
    second = sync_curriculum(store)

    assert first.skipped == []
    assert len(first.added) >= 27
    assert progress[-1] == (len(first.added), len(first.added))
    assert second.chunks_written == 0 and len(second.unchanged) == len(first.added)
