"""Reading user documents (Markdown, text, PDF, DOCX) into titled sections.

Loaders raise ``UnreadableDocument`` with a short reason a user can act on ("encrypted PDF", "not a valid
DOCX file") so one bad upload is reported by name and skipped while the rest of the batch lands. The parsing
libraries raise many unrelated exception types on malformed input, so each loader converts whatever they
raise into that one error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from knowledge.chunking import SECTION_SEPARATOR, Section, markdown_sections


class UnreadableDocument(Exception):
    """The file has a supported type but its content cannot be read; ``str(error)`` is the reason."""


@dataclass(frozen=True)
class LoadedDocument:
    title: str
    sections: list[Section]


def load_document(path: Path) -> LoadedDocument:
    """Read ``path`` with the loader for its extension; raises ``UnreadableDocument`` on bad content."""
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise UnreadableDocument(f"unsupported file type {path.suffix or '(none)'}")
    document = loader(path)
    if not any(section.text.strip() for section in document.sections):
        raise UnreadableDocument("no extractable text")
    return document


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in LOADERS


def _fallback_title(path: Path) -> str:
    return re.sub(r"[-_]+", " ", path.stem).strip() or path.name


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableDocument("not UTF-8 text") from error
    except OSError as error:
        raise UnreadableDocument(f"cannot read file: {error.strerror or error}") from error


def load_markdown(path: Path) -> LoadedDocument:
    title, sections = markdown_sections(_read_text(path))
    return LoadedDocument(title=title or _fallback_title(path), sections=sections)


def load_text(path: Path) -> LoadedDocument:
    return LoadedDocument(title=_fallback_title(path), sections=[Section("", _read_text(path).strip())])


def load_pdf(path: Path) -> LoadedDocument:
    """One section per page ("page 3"), so citations point at the page a reader can open."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument("encrypted PDF (needs a password)")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or _fallback_title(path)
    except UnreadableDocument:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise UnreadableDocument(f"not a readable PDF ({type(error).__name__}: {error})") from error
    sections = [Section(f"page {number}", text.strip()) for number, text in enumerate(pages, 1) if text.strip()]
    if pages and not sections:
        # Otherwise a scanned document would "ingest" as nothing, and the user would never learn why.
        raise UnreadableDocument("no text layer (a scanned PDF?); run OCR on it first, SAM Coach does not")
    return LoadedDocument(title=str(title).strip() or _fallback_title(path), sections=sections)


def load_docx(path: Path) -> LoadedDocument:
    """Paragraphs grouped under their Heading-styled parents; tables become ' | '-joined rows."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        blocks = list(document.iter_inner_content())
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableDocument(f"not a valid DOCX file ({type(error).__name__})") from error
    title = (document.core_properties.title or "").strip()
    headings: list[str] = []
    sections: list[Section] = []
    lines: list[str] = []

    def flush() -> None:
        text = "\n".join(lines).strip()
        if text:
            sections.append(Section(SECTION_SEPARATOR.join(headings), text))
        lines.clear()

    for block in blocks:
        if isinstance(block, Table):
            lines.extend(" | ".join(cell.text.strip() for cell in row.cells) for row in block.rows)
            continue
        style = (block.style.name if block.style is not None else "") or ""
        text = block.text.strip()
        if style == "Title" and text:
            title = title or text
        elif style.startswith("Heading") and text:
            flush()
            level = _heading_level(style)
            headings[:] = [*headings[: level - 1], text]
        elif text:
            lines.append(text)
    flush()
    return LoadedDocument(title=title or _fallback_title(path), sections=sections)


def _heading_level(style: str) -> int:
    digits = style.removeprefix("Heading").strip()
    return int(digits) if digits.isdigit() and int(digits) > 0 else 1


LOADERS: dict[str, Callable[[Path], LoadedDocument]] = {
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
    ".pdf": load_pdf,
    ".docx": load_docx,
}
