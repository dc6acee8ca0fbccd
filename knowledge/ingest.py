"""Ingesting the curriculum and user documents into the ``library`` collection.

Both entry points compute every source's chunks first (cheap, no model), compare chunk ids with what is
stored, and embed only what changed, so re-running an ingest over unchanged files writes nothing. A source
that cannot be read is reported in ``skipped`` and its previously indexed chunks are kept: a file that
became unreadable is a problem to fix, not a reason to lose what was already searchable.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from knowledge.chunking import Chunk, build_chunks, markdown_sections
from knowledge.curriculum import CurriculumError, Lesson, default_curriculum_dir, lesson_paths, parse_lesson
from knowledge.loaders import UnreadableDocument, is_supported, load_document
from knowledge.store import KnowledgeStore
from knowledge.sync import IngestReport, Progress, apply_plan, stored_ids_by_source

__all__ = ["IngestReport", "curriculum_chunks", "ingest_paths", "sync_curriculum"]


def sync_curriculum(
    store: KnowledgeStore, directory: Path | None = None, *, progress: Progress | None = None
) -> IngestReport:
    """Make the index hold exactly the lessons under ``directory`` (the packaged curriculum by default)."""
    root = (directory or default_curriculum_dir()).resolve()
    report = IngestReport()
    planned: dict[str, list[Chunk]] = {}
    for path in lesson_paths(root):
        source = path.relative_to(root).as_posix()
        try:
            planned[source] = curriculum_chunks(parse_lesson(path), source)
        except CurriculumError as error:
            report.skipped.append((source, str(error)))
    stored = stored_ids_by_source(store, "library", {"kind": "curriculum"})
    kept = set(planned) | {source for source, _ in report.skipped}
    return apply_plan(store, "library", planned, stored, remove=set(stored) - kept, report=report, progress=progress)


def curriculum_chunks(lesson: Lesson, source: str) -> list[Chunk]:
    """Chunks of the lesson body only: exercises and quizzes must not be retrievable."""
    _, sections = markdown_sections(lesson.body)
    metadata: dict[str, str | int | float | bool] = {
        "kind": "curriculum",
        "source_id": lesson.id,
        "lesson_kind": lesson.kind,
        "tags": ",".join(lesson.tags),
    }
    if lesson.order is not None:
        metadata["order"] = lesson.order
    return build_chunks(source=source, title=lesson.title, sections=sections, metadata=metadata)


def ingest_paths(
    store: KnowledgeStore,
    paths: Sequence[Path],
    *,
    root: Path | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Index user documents (kind ``document``) from files and directories.

    Sources are paths relative to ``root`` when given; otherwise a directory's files are named
    ``<directory name>/<relative path>`` and a lone file by its name. For each directory, indexed files that
    are no longer in it are removed. Hidden files and folders are ignored; other files of an unsupported
    type, and files that cannot be read, are reported in ``skipped``.
    """
    report = IngestReport()
    planned: dict[str, list[Chunk]] = {}
    folders: set[str] = set()
    kept: set[str] = set()
    for path in paths:
        if root is not None and _source_name(path, root, base=root) is None:
            report.skipped.append((str(path), f"outside the ingest root {root}"))
            continue
        if path.is_dir():
            folder = _source_name(path, root, base=path.parent) or path.name
            folders.add(folder)
            files = [(file, folder) for file in sorted(path.rglob("*")) if file.is_file() and not _hidden(file, path)]
        elif path.is_file():
            files = [(path, "")]
        else:
            report.skipped.append((str(path), "not found"))
            continue
        for file, file_folder in files:
            source = _source_name(file, root, base=path.parent) or file.name
            kept.add(source)
            chunks, reason = _document_chunks(file, source, file_folder)
            if reason is not None:
                report.skipped.append((source, reason))
            else:
                planned[source] = chunks
    stored: dict[str, set[str]] = {}
    for folder in sorted(folders):
        stored |= stored_ids_by_source(store, "library", {"$and": [{"kind": "document"}, {"folder": folder}]})
    for source in planned:
        if source not in stored:
            stored |= stored_ids_by_source(store, "library", {"$and": [{"kind": "document"}, {"source": source}]})
    return apply_plan(store, "library", planned, stored, remove=set(stored) - kept, report=report, progress=progress)


def _document_chunks(file: Path, source: str, folder: str) -> tuple[list[Chunk], str | None]:
    if not is_supported(file):
        return [], f"unsupported file type {file.suffix or '(none)'}"
    try:
        document = load_document(file)
    except UnreadableDocument as error:
        return [], str(error)
    metadata: dict[str, str | int | float | bool] = {"kind": "document", "source_id": source, "folder": folder}
    return build_chunks(source=source, title=document.title, sections=document.sections, metadata=metadata), None


def _source_name(path: Path, root: Path | None, *, base: Path) -> str | None:
    anchor = root if root is not None else base
    try:
        return path.resolve().relative_to(anchor.resolve()).as_posix()
    except ValueError:
        return None


def _hidden(file: Path, directory: Path) -> bool:
    return any(part.startswith(".") for part in file.relative_to(directory).parts)
