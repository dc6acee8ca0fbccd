"""Names in a message: accounts and people, matched fuzzily against the caller's own records.

Names are matched only against what the caller may see (their portfolio, that account's stakeholders), so a
name outside the portfolio is never "recognised"; it can only surface as an unknown proper name, which the
tools then answer with "not in your portfolio" without revealing whether it exists elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from assistant.offline.dates import MONTHS, WEEKDAYS

# Words that say what kind of organisation an account is, not which one: never an alias on their own.
GENERIC_NAME_WORDS = frozenset(
    """the of and & a an company co inc ltd llc plc gmbh ag sa group corp corporation holdings international
    system systems health healthcare energy technologies technology tech logistics university college real
    estate services service solutions partners global industries bank hospital hospitals medical center centre
    foods food city state national american first new account accounts""".split()
)
# Capitalised words that are not names of organisations (for the unknown-name fallback).
NOT_NAMES = (
    frozenset(
        """i i'm i've i'd a an the and or but if how what who whom whose which when where why is are was were do
    does did can could should would will shall may might must please thanks thank hi hello hey ok okay yes no
    show give tell list find search draft prepare prep get log add create record note set update change mark make
    remind review assess score rate run check open start quiz teach help explain summarize summarise brief
    catch let put track book send email delete remove ignore reveal print forward export my our your their his
    her its me we us you they it this that these those any all some every each qbr kpi kpis ceo cfo coo cio cto
    vp svp evp sam beacon key keys module modules guide lesson exercise charter partnership meeting call notes
    note health zones zone value alignment relationships growth today tomorrow yesterday next last this week
    month quarter year q1 q2 q3 q4 also and also just now then sure great good morning afternoon evening
    and what's how's who's where's is there there's true north ask forensics sama rain mercuri zurich st reit
    stmicroelectronics pareto harvard""".split()
    )
    # Dates written short ("Dec 9", "call on Tue") are dates, never an account or a person.
    | frozenset(
        "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun tonight".split()
    )
    | frozenset(WEEKDAYS)
    | frozenset(MONTHS)
)
# Surnames and first names that are also everyday words: in a lower-case message they are read as words.
EVERYDAY_WORDS = frozenset(
    """grant park reed hale moss brooks marsh holt lowe will mark rich may june rose bill hope joy grace frank
    fields stone wood hill king young green white black brown gray grey long bell ford chase hunter bishop cook
    baker miller price page lane wells banks fisher hall rice berg lang lee carter walsh shaw mercer foster blake
    case dean major sharp strong young love field house cole cross""".split()
)
STOPWORDS = frozenset(
    """a an the of for at on in to with about from by and or is are was be my our your me i we you it this that
    what how who which please can could would should do does did any some""".split()
)

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9&'’.-]*")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@dataclass(frozen=True)
class Named:
    """A record a name can refer to: an account of the portfolio or a stakeholder of one account."""

    id: int
    name: str
    account_id: int | None = None


@dataclass(frozen=True)
class Mention:
    id: int
    name: str
    start: int
    end: int
    score: float
    account_id: int | None = None


@dataclass(frozen=True)
class _Token:
    text: str
    norm: str
    start: int
    end: int


def tokens(text: str) -> list[_Token]:
    found = []
    for match in _TOKEN.finditer(text):
        raw = match.group(0).rstrip(".-")
        norm = _POSSESSIVE.sub("", raw.lower())
        if norm:
            found.append(_Token(raw, norm, match.start(), match.start() + len(raw)))
    return found


class NameIndex:
    """Aliases of a set of names, matched fuzzily against the n-grams of a message (longest match first).

    Accounts get their full name and each distinctive word ("Northgate" for "Northgate Health System"); people
    get their full name, first name and last name. A one-word alias of a person must be written like a name
    (see `_plausible_person_word`), so "grant access" does not find Olivia Grant. An alias two records share
    ("Helen" for two Helens) names neither.
    """

    def __init__(self, items: Iterable[Named], *, people: bool = False) -> None:
        self.people = people
        self._aliases: dict[int, dict[str, list[Named]]] = {}
        for item in items:
            for alias in self._aliases_of(item.name):
                self._aliases.setdefault(len(alias.split()), {}).setdefault(alias, []).append(item)
        self._choices = {size: list(aliases) for size, aliases in self._aliases.items()}

    def _aliases_of(self, name: str) -> set[str]:
        words = [t.norm for t in tokens(name)]
        if not words:
            return set()
        aliases = {" ".join(words)}
        if self.people:
            aliases.update(w for w in (words[0], words[-1]) if len(w) >= 3)
            return aliases
        distinctive = [w for w in words if w not in GENERIC_NAME_WORDS and len(w) >= 3]
        aliases.update(distinctive)
        if len(distinctive) > 1:
            aliases.add(" ".join(distinctive))
        return aliases

    def find(self, text: str) -> list[Mention]:
        words = tokens(text)
        lowercase_message = text == text.lower()
        used: set[int] = set()
        found: list[Mention] = []
        for size in sorted(self._aliases, reverse=True):
            aliases = self._aliases[size]
            for first in range(len(words) - size + 1):
                window = range(first, first + size)
                if used.intersection(window):
                    continue
                span = words[first : first + size]
                if span[0].norm in STOPWORDS or span[-1].norm in STOPWORDS:
                    continue
                phrase = " ".join(t.norm for t in span)
                best, score = _best_alias(phrase, aliases, self._choices[size])
                if best is None:
                    continue
                targets = aliases[best]
                if len(targets) != 1:
                    continue  # an alias shared by two records names neither
                if self.people and size == 1 and not self._plausible_person_word(span[0], score, lowercase_message):
                    continue
                target = targets[0]
                last = first + size
                if not self.people:
                    # "northgate health" names one account: the generic words of its name belong to the mention.
                    own_words = {t.norm for t in tokens(target.name)}
                    while last < len(words) and last not in used and words[last].norm in own_words:
                        last += 1
                used.update(range(first, last))
                end = words[last - 1].end
                found.append(Mention(target.id, target.name, span[0].start, end, score, target.account_id))
        return sorted(found, key=lambda m: m.start)

    @staticmethod
    def _plausible_person_word(token: _Token, score: float, lowercase_message: bool) -> bool:
        """One word names a person only when written like a name: capitalised (typos allowed), or exactly
        right in an all-lower-case message and not an everyday word ("grant", "park", "charter")."""
        if token.text[:1].isupper():
            return True
        return lowercase_message and score == 100.0 and token.norm not in EVERYDAY_WORDS


def _best_alias(phrase: str, aliases: dict[str, list[Named]], choices: list[str]) -> tuple[str | None, float]:
    if phrase in aliases:
        return phrase, 100.0
    # Short words only match exactly: "acne" is not "Acme", "lee" is not "leo".
    if len(phrase) <= 4:
        return None, 0.0
    best = process.extractOne(phrase, choices, scorer=fuzz.ratio, score_cutoff=86.0 if " " in phrase else 88.0)
    return (best[0], float(best[1])) if best is not None else (None, 0.0)


def mask(text: str, spans: Sequence[tuple[int, int, str]]) -> str:
    """Replace each (start, end) span by its placeholder, e.g. accounts by ACCOUNT before embedding."""
    out, cursor = [], 0
    for start, end, placeholder in sorted(spans):
        if start < cursor:
            continue
        out.append(text[cursor:start])
        out.append(placeholder)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


_HOW_IS_BEFORE = re.compile(r"\bhow(?:'s|’s| is| are)\s+(?:things\s+(?:at|with)\s+)?$", re.IGNORECASE)
_HOW_IS = re.compile(
    r"\bhow(?:'s|’s| is| are)\s+(?:things\s+(?:at|with)\s+)?(?P<name>[a-z0-9][\w&'’ -]{2,40}?)\s+"
    r"(?:doing|going|looking)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Unknown:
    """A proper name that matched nothing in scope, with how strongly its place says "account" (see
    `account_slot`)."""

    text: str
    start: int
    end: int
    slot: int = 0


def unknown_names(text: str, known: Sequence[tuple[int, int]] = ()) -> list[Unknown]:
    """Proper names in the message that matched nothing in scope (e.g. another user's account), in order.

    Runs of capitalised words that are not common words, outside the spans already recognised; in an
    all-lower-case message, the name in "how is X doing".
    """
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    for token in tokens(text):
        inside_known = any(start <= token.start < end for start, end in known)
        acronym = token.text.isupper() and len(token.text) <= 5  # CRM, KPI, RFP: terms, not organisations
        is_name = token.text[:1].isupper() and token.norm not in NOT_NAMES and not inside_known and not acronym
        if is_name and len(token.norm) >= 2:
            current.append(token)
            if _POSSESSIVE.search(token.text):
                runs.append(current)  # "Halvorsen's charter": the name ends at its possessive
                current = []
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    found = []
    for run in runs:
        if not any(len(t.norm) >= 3 for t in run):
            continue
        start = run[0].start
        possessive = _POSSESSIVE.search(run[-1].text)
        end = run[-1].end - (len(possessive.group(0)) if possessive else 0)
        found.append(Unknown(text[start:end], start, end, account_slot(text, start, end)))
    if found:
        return found
    match = _HOW_IS.search(text)
    if match is not None:
        words = [w for w in match.group("name").split() if w.lower() not in NOT_NAMES]
        if words and not any(start <= match.start("name") < end for start, end in known):
            name = " ".join(words)
            start = text.find(name, match.start("name"))
            if start >= 0:
                return [Unknown(name, start, start + len(name), STRONG_SLOT)]
    return []


def unknown_name(text: str, known: Sequence[tuple[int, int]] = ()) -> str | None:
    """The longest unrecognised proper name in the message, if any (see `unknown_names`)."""
    found = unknown_names(text, known)
    return max(found, key=lambda u: len(u.text)).text if found else None


def account_candidate(found: Sequence[Unknown]) -> Unknown | None:
    """The unknown name that stands where an account name would, the strongest place first, then the longest:
    "Acme" in "my meeting with Helen Ortiz at Acme". A name in no such place ("Crestline Foods will bid",
    "dashboards in Salesforce") is not read as an account."""
    slotted = [u for u in found if u.slot > NO_SLOT]
    return max(slotted, key=lambda u: (u.slot, len(u.text))) if slotted else None


NO_SLOT, WEAK_SLOT, STRONG_SLOT = 0, 1, 2
# Where only an account stands: "at X", "for X", "X's charter", "how is X doing".
_STRONG_BEFORE = re.compile(r"\b(?:at|for|about|of|from|on)\s+(?:the\s+)?$", re.I)
# Where an account or a person may stand: "with X", "is X ...", "meet X".
_WEAK_BEFORE = re.compile(r"\b(?:with|is|are|does|did|visit|see|meet)\s+(?:the\s+)?$", re.I)
_STRONG_AFTER = re.compile(
    r"^(?:'s|’s)?\s+(?:account|doing|going|looking|charter|stakeholders?|team|notes?|metrics|health|renewal|"
    r"contract|qbr|review|relationship|sponsor|people|portfolio|plan)\b",
    re.IGNORECASE,
)
_COMMON_NOUN_AFTER = re.compile(r"\s+[a-z]")
_WEAK_AFTER = re.compile(r"^(?:'s|’s)(?!\w)")


def account_slot(text: str, start: int, end: int) -> int:
    """How strongly a name's place says "account": STRONG_SLOT ("at X", "X's charter", "how is X doing"),
    WEAK_SLOT (a person could stand there too: "with X", "X's"), or NO_SLOT ("in Ireland", "X will bid")."""
    before, after = text[:start], text[end:]
    if _STRONG_AFTER.search(after) or _HOW_IS_BEFORE.search(before):
        return STRONG_SLOT
    strong = _STRONG_BEFORE.search(before)
    if strong is not None:
        # "for the Lakeside hospitals": the name qualifies a noun (a site, a bid); it is not read as an account.
        modifier = strong.group(0).lower().rstrip().endswith(" the") and _COMMON_NOUN_AFTER.match(after)
        return NO_SLOT if modifier else STRONG_SLOT
    if _WEAK_BEFORE.search(before) or _WEAK_AFTER.search(after):
        return WEAK_SLOT
    # A message that is nothing but the name ("Halvorsen?") asks about it as an account.
    if not text[:start].strip(" \t\"'“”") and not text[end:].strip(" ?.!\"'“”"):
        return STRONG_SLOT
    return NO_SLOT


def in_account_slot(text: str, start: int, end: int) -> bool:
    """Whether a name stands where an account name would ("how is X doing", "at X", "X's charter")."""
    return account_slot(text, start, end) > NO_SLOT
