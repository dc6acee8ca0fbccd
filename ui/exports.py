"""Edited Markdown back into a Word document, so a brief the user changed exports as changed.

Only the Markdown the drafts produce needs to round-trip: headings, bullets, numbered sources, italic lines and
plain paragraphs. An unedited draft is exported with `assistant.drafting.render.to_docx` instead.
"""

from __future__ import annotations

import re
from io import BytesIO

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+\.\s+(.*)$")
_ITALIC_LINE = re.compile(r"^_(.+)_$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def markdown_to_docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        heading = _HEADING.match(line)
        if heading:
            document.add_heading(_plain(heading.group(2)), level=min(len(heading.group(1)) - 1, 4))
            continue
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        if bullet:
            document.add_paragraph(_plain(bullet.group(1)), style="List Bullet")
        elif numbered:
            document.add_paragraph(_plain(numbered.group(1)), style="List Number")
        elif italic := _ITALIC_LINE.match(line.strip()):
            document.add_paragraph().add_run(_plain(italic.group(1))).italic = True
        else:
            document.add_paragraph(_plain(line))
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _plain(text: str) -> str:
    return _BOLD.sub(r"\1", text).strip()
