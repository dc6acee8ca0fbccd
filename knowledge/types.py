"""Value types shared by the store, the ingest pipeline and search.

They are plain frozen dataclasses so the layers above can cache, compare and serialise them without
importing chroma.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal, get_args

Kind = Literal["curriculum", "document", "note"]
KINDS: tuple[Kind, ...] = get_args(Kind)
LIBRARY_KINDS: tuple[Kind, ...] = ("curriculum", "document")

_LABEL_TITLE_MAX = 40


@dataclass(frozen=True)
class Citation:
    """Where a passage came from, precise enough for the user to open the source."""

    kind: Kind
    source_id: str
    title: str
    section: str
    source: str
    chunk_id: str
    date: datetime.date | None = None
    account_id: int | None = None

    def label(self) -> str:
        """A short label for inline citations; titles are cut so answers stay readable."""
        if self.kind == "note":
            when = f" ({self.date.isoformat()})" if self.date else ""
            return f"note {self.source_id}{when}"
        title = _short_title(self.title)
        return f"{title} § {self.section}" if self.section else title


@dataclass(frozen=True)
class Passage:
    """One retrieved chunk with its fused score and the ranks that produced it."""

    text: str
    score: float
    citation: Citation
    vector_rank: int | None = None
    lexical_rank: int | None = None

    @property
    def trusted(self) -> bool:
        """Only our own curriculum is trusted; notes and uploads are user data and must never be obeyed."""
        return self.citation.kind == "curriculum"


def _short_title(title: str) -> str:
    head, sep, _ = title.partition(":")
    if sep and len(head) <= _LABEL_TITLE_MAX:
        return f"{head} …"
    if len(title) <= _LABEL_TITLE_MAX:
        return title
    return title[: _LABEL_TITLE_MAX - 1].rstrip() + "…"
