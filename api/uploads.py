"""Saving an uploaded document under `<data_dir>/uploads/<user id>/` so that a failed ingest leaves no trace.

The file is written under a hidden name first (folder ingests skip hidden files), checked against the size
limit as it is copied, and only then moved into place; a file it replaces is kept aside until the ingest has
succeeded, so a corrupt re-upload cannot destroy the good copy.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from api.errors import ApiProblem
from assistant.records.errors import InvalidInput

ALLOWED_SUFFIXES = (".pdf", ".docx", ".md", ".markdown", ".txt")
_COPY_CHUNK = 1 << 20
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def upload_name(filename: str | None) -> str:
    """A safe file name from the client's (no folders, no hidden files), or 415 for an unsupported type."""
    base = re.split(r"[\\/]", filename or "")[-1]
    name = _UNSAFE.sub("_", base).strip(" .")
    if not name:
        raise InvalidInput.field("file", "the upload needs a file name, such as plan.pdf")
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ApiProblem(
            415, f"{name}: unsupported file type {suffix or '(none)'}; upload PDF, DOCX, Markdown or text files"
        )
    stem = Path(name).stem[: 120 - len(suffix)]
    return f"{stem}{suffix}"


@dataclass(frozen=True)
class SavedUpload:
    path: Path
    replaced: Path | None

    def keep(self) -> None:
        if self.replaced is not None:
            self.replaced.unlink(missing_ok=True)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
        if self.replaced is not None:
            self.replaced.replace(self.path)


def save_upload(source: BinaryIO, folder: Path, name: str, *, limit: int) -> SavedUpload:
    folder.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex[:12]
    incoming = folder / f".incoming-{token}-{name}"
    written = 0
    try:
        with incoming.open("wb") as out:
            while chunk := source.read(_COPY_CHUNK):
                written += len(chunk)
                if written > limit:
                    raise ApiProblem(413, f"{name} is larger than the upload limit of {limit} bytes")
                out.write(chunk)
    except BaseException:
        incoming.unlink(missing_ok=True)
        raise
    target = folder / name
    replaced = None
    if target.exists():
        replaced = folder / f".replaced-{token}-{name}"
        target.replace(replaced)
    incoming.replace(target)
    return SavedUpload(target, replaced)
