"""Text helpers the scorers share: normalising for phrase matching, splitting answers into cited sentences,
content words for lexical support, and the money and percentage figures an answer states.

Everything here is deterministic and model-free, so a score never depends on which machine runs it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.citations import REF_PATTERN

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "‐": "-", "‑": "-", "–": "-", "—": "-", "−": "-"})
_SPACES = re.compile(r"\s+")
_MARKUP = re.compile(r"[*_`#>]+")
_WORD = re.compile(r"[a-z0-9][a-z0-9'\-]*[a-z0-9]|[a-z0-9]")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")
_LEADING_REFS = re.compile(r"^(?:\s*" + REF_PATTERN.pattern + r")+")
OFFLINE_FOOTER = re.compile(r"^_?offline mode:", re.IGNORECASE)

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself yourselves
    s t don't can't won't isn't it's i'm i've we're they're there's that's what's let's via per
    """.split()
)


def normalize(text: str) -> str:
    """Lower case, plain quotes and hyphens, no Markdown emphasis, single spaces: for phrase matching."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = REF_PATTERN.sub(" ", text)
    text = _MARKUP.sub(" ", text)
    return _SPACES.sub(" ", text).strip().lower()


def _matchable(text: str) -> str:
    # "next-phase" and "next phase", "co-creation" and "co creation" are the same words to a reader.
    return _SPACES.sub(" ", re.sub(r"(?<=[a-z0-9])-(?=[a-z0-9])", " ", normalize(text)))


def contains_phrase(text: str, phrase: str) -> bool:
    """Whole-phrase match on normalised text, with word boundaries at both ends so "8%" does not match "18%".
    A phrase ending in `*` matches any word ending there: "validat*" matches "validate" and "validating"."""
    prefix = phrase.rstrip().endswith("*")
    needle = _matchable(phrase.rstrip().rstrip("*"))
    if not needle:
        return False
    haystack = _matchable(text)
    left = r"(?<![a-z0-9])" if needle[0].isalnum() else ""
    right = r"(?![a-z0-9])" if needle[-1].isalnum() and not prefix else ""
    return re.search(left + re.escape(needle) + right, haystack) is not None


def first_match(text: str, phrases: Iterable[str]) -> str | None:
    return next((phrase for phrase in phrases if contains_phrase(text, phrase)), None)


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


def content_words(text: str) -> set[str]:
    """Words that carry meaning: no stopwords, no single characters, plurals folded."""
    return {_stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1}


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass
class Sentence:
    """One sentence (or bullet) of an answer and the refs that cite it."""

    text: str
    refs: list[str] = field(default_factory=list)


def cited_sentences(answer: str) -> list[Sentence]:
    """Split model- or composer-written text into sentences with their `[kind:id]` refs.

    Refs that open a segment belong to the sentence before it ("... two quarters. [note:4] Next ..."), the way
    both the offline composer and LLMs place them. Headings, italic meta lines, the offline footer and the
    Sources list of a rendered draft are left out: they are navigation, not claims.
    """
    sentences: list[Sentence] = []
    in_sources = False
    for raw_line in answer.splitlines():
        line = raw_line.strip()
        if not line:
            continue
        if line.startswith("#"):
            in_sources = line.lstrip("#").strip().lower() == "sources"
            continue
        if in_sources or _is_meta(line):
            continue
        line = re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", line)
        in_line: list[Sentence] = []
        for segment in _SENTENCE_END.split(line):
            leading = _LEADING_REFS.match(segment)
            if leading and (in_line or sentences):
                (in_line or sentences)[-1].refs.extend(REF_PATTERN.findall(leading.group(0)))
                segment = segment[leading.end() :]
            refs = REF_PATTERN.findall(segment)
            text = REF_PATTERN.sub("", segment).strip()
            if text:
                in_line.append(Sentence(text=text, refs=refs))
            elif refs and (in_line or sentences):
                (in_line or sentences)[-1].refs.extend(refs)
        _carry_back(in_line)
        sentences.extend(in_line)
    return sentences


def _carry_back(line: list[Sentence]) -> None:
    """A ref at the end of a multi-sentence passage cites the whole passage: uncited sentences of the same line
    or bullet take the refs of the next cited sentence after them."""
    pending: list[Sentence] = []
    for sentence in line:
        if sentence.refs:
            for earlier in pending:
                earlier.refs.extend(sentence.refs)
            pending = []
        else:
            pending.append(sentence)


def _is_meta(line: str) -> bool:
    stripped = line.strip()
    if OFFLINE_FOOTER.match(stripped):
        return True
    # A line wholly in italics (`_Generated ..._`, `_Evidence used: 3 record(s)._`) is draft metadata.
    return len(stripped) > 2 and stripped[0] == "_" and stripped.rstrip(".")[-1] == "_"


_MONEY = re.compile(
    r"(?:\$|usd\s?|eur\s?|€|£)\s?(\d+(?:[.,]\d+)*)\s?(k|m|bn|b|thousand|million|billion)?\b", re.IGNORECASE
)
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?(?:-|to)?\s?(\d+(?:\.\d+)?)?\s?(?:%|percent\b)", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w])")
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}


def money_figures(text: str) -> set[float]:
    """Amounts of money stated in the text, as numbers: "$1.2M" -> 1200000.0, "$100,000" -> 100000.0."""
    found: set[float] = set()
    for amount, scale in _MONEY.findall(normalize(text)):
        value = _to_number(amount)
        if value is not None:
            found.add(round(value * _SCALE.get(scale.lower(), 1.0), 2))
    return found


def percent_figures(text: str) -> set[float]:
    """Percentages stated in the text: "5-7%" -> {5.0, 7.0}."""
    found: set[float] = set()
    for first, second in _PERCENT.findall(normalize(text)):
        for number in (first, second):
            if number:
                found.add(float(number))
    return found


def numbers(text: str) -> set[float]:
    """Every number in the text, so a figure can be checked against its sources whatever unit they use."""
    found: set[float] = set()
    for whole, fraction in _NUMBER.findall(normalize(text)):
        value = _to_number(whole + ("." + fraction if fraction else ""))
        if value is not None:
            found.add(value)
    return found


def _to_number(text: str) -> float | None:
    cleaned = text.replace(",", "")
    try:
        return float(cleaned)
    except ValueError:
        return None


def shingles(text: str, size: int) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def excerpt(text: str, limit: int = 600) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
