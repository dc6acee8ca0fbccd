"""Small text helpers shared by the drafting modules: sentences, keyword matching, dates in words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[A-Z0-9\"“‘(])")
_MARKUP = re.compile(r"\*\*|__|`")
_BULLET = re.compile(r"^\s*(?:[-*]|\d+\.)\s+")
# Abbreviations that end in a full stop without ending the sentence ("Dr. Evelyn Shaw").
_ABBREVIATIONS = ("Dr.", "Mr.", "Mrs.", "Ms.", "St.", "e.g.", "i.e.", "vs.", "Inc.", "Ltd.", "No.")


def sentences(text: str) -> list[str]:
    """Split prose (or Markdown) into sentences; bullets and lines count as their own sentences."""
    found: list[str] = []
    for raw_line in text.splitlines():
        line = _MARKUP.sub("", _BULLET.sub("", raw_line)).strip()
        if not line or line.startswith("#"):
            continue
        parts = _SENTENCE_END.split(line)
        merged: list[str] = []
        for part in parts:
            if merged and merged[-1].endswith(_ABBREVIATIONS):
                merged[-1] = f"{merged[-1]} {part}"
            else:
                merged.append(part)
        found.extend(p.strip() for p in merged if p.strip())
    return found


def shorten(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def first_sentence(text: str, limit: int = 240) -> str:
    found = sentences(text)
    return shorten(found[0] if found else text, limit)


def sentence_about(text: str, pattern: re.Pattern[str] | str | None, limit: int = 240) -> str:
    """The first sentence matching `pattern` (a regex or case-insensitive substring), else the first one."""
    found = sentences(text)
    if pattern is not None:
        for sentence in found:
            if isinstance(pattern, re.Pattern):
                if pattern.search(sentence):
                    return shorten(sentence, limit)
            elif pattern.lower() in sentence.lower():
                return shorten(sentence, limit)
    return shorten(found[0] if found else text, limit)


def any_term(terms: Iterable[str]) -> re.Pattern[str]:
    """One case-insensitive regex matching any of `terms` (each itself a regex fragment) as whole words."""
    return re.compile(r"\b(?:" + "|".join(terms) + r")\b", re.IGNORECASE)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym or a name-like capitalised pair."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def as_sentence(text: str) -> str:
    """Capitalise and end with a full stop unless the text already ends a sentence."""
    text = capitalised(" ".join(text.split()))
    if text and text[-1] not in '.!?…"”':
        text += "."
    return text


def months_until(today: date, end: date) -> int:
    """Whole months from `today` to `end`, rounded to the nearest month (never negative)."""
    return max(0, round((end - today).days / 30.44))


def ago(today: date, day: date | None) -> str:
    if day is None:
        return "never"
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 0:
        return f"in {-days} days"
    return f"{days} days ago"


def first_name(name: str) -> str:
    parts = name.replace("Dr. ", "").split()
    return parts[0] if parts else name


def join_names(names: Iterable[str]) -> str:
    items = list(dict.fromkeys(names))
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def number(value: float) -> str:
    """A reading as people write it: 106300 -> 106,300; 5.3 -> 5.3."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
