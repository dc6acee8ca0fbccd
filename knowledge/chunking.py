"""Turning a document's sections into chunks with stable ids and a contextual header.

A chunk is one section (split further only when it passes ``CHUNK_SIZE``), because the curriculum is
written so each ``##`` section stands alone. Sections are embedded with a one-line header naming the title
and section: a short section such as "Pitfalls" says little on its own, and the header is what lets
"pitfalls of account planning" find it. The stored text stays header-free; the header is rebuilt from
metadata where needed (lexical indexing, citations).

Chunk ids are ``source#ordinal-section-hash``. The hash covers the section, the embedded text and the
metadata, so an unchanged file yields the same ids (nothing to write) and any change yields new ids (old
ones are deleted after the new ones land).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from knowledge.store import Metadata

CHUNK_SIZE = 1500
CHUNK_OVERLAP = 150
SECTION_SEPARATOR = " > "
_HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3"), ("####", "h4")]


@dataclass(frozen=True)
class Section:
    path: str
    text: str


@dataclass(frozen=True)
class Chunk:
    id: str
    text: str
    embed_text: str
    metadata: Metadata


def markdown_sections(markdown: str) -> tuple[str | None, list[Section]]:
    """The first ``#`` heading (the title, if any) and the body split by headings into section paths.

    The title heading is left out of section paths so they read "Part > Sub" rather than repeating it.
    """
    from langchain_text_splitters import MarkdownHeaderTextSplitter

    splitter = MarkdownHeaderTextSplitter(headers_to_split_on=_HEADERS, strip_headers=True)
    documents = splitter.split_text(markdown)
    h1s = [str(doc.metadata["h1"]) for doc in documents if "h1" in doc.metadata]
    title = h1s[0] if h1s and len(set(h1s)) == 1 else None
    sections: list[Section] = []
    for doc in documents:
        levels = [str(doc.metadata[key]) for _, key in _HEADERS if key in doc.metadata]
        if title is not None and doc.metadata.get("h1") == title:
            levels = levels[1:]
        # The splitter joins lines with a Markdown hard break ("  \n"); plain newlines read better.
        text = doc.page_content.replace("  \n", "\n").strip()
        if text:
            sections.append(Section(SECTION_SEPARATOR.join(levels), text))
    return title, sections


def split_text(text: str) -> list[str]:
    """Split long text on paragraph, line, sentence and word boundaries into ``CHUNK_SIZE`` pieces."""
    if len(text) <= CHUNK_SIZE:
        return [text]
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_SIZE,
        chunk_overlap=CHUNK_OVERLAP,
        separators=["\n\n", "\n", ". ", " ", ""],
        keep_separator="end",
    )
    return [piece.strip() for piece in splitter.split_text(text) if piece.strip()]


def contextual_header(title: str, section: str) -> str:
    return f"{title} — {section}" if section else title


def build_chunks(
    *,
    source: str,
    title: str,
    sections: Sequence[Section],
    metadata: Mapping[str, str | int | float | bool],
    header: str | None = None,
) -> list[Chunk]:
    """Chunks for one source, numbered in document order; ``metadata`` goes on every chunk.

    ``header`` replaces the "title — section" line embedded with each chunk (notes use title and date).
    """
    chunks: list[Chunk] = []
    for section in sections:
        for piece in split_text(section.text):
            ordinal = len(chunks)
            embed_text = f"{header or contextual_header(title, section.path)}\n\n{piece}"
            chunk_metadata: Metadata = {
                **metadata,
                "source": source,
                "title": title,
                "section": section.path,
                "ordinal": ordinal,
            }
            digest = hashlib.sha256(
                json.dumps([section.path, embed_text, chunk_metadata], sort_keys=True).encode()
            ).hexdigest()[:12]
            chunk_id = f"{source}#{ordinal:03d}-{_slug(section.path)}-{digest}"
            chunks.append(Chunk(id=chunk_id, text=piece, embed_text=embed_text, metadata=chunk_metadata))
    return chunks


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:32].strip("-") or "body"
