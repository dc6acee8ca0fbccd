"""What a stakeholder last said, in the notes' own words: the sentences of a recent note that carry the signal.

A note usually opens with where and with whom ("Lunch with Robert Feld.") and gets to the point later ("expects
the incoming CEO to look at every large contract with fresh eyes"). Citing the note without its point sends the
reader off to find it, so the brief quotes the sentences most worth reading: a quoted remark, an expectation, a
worry, a decision or a change ahead, said by or about the person.

Notes are written by people outside our control: a sentence that reads like an instruction to an AI is never
quoted (`assistant.agent.untrusted`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from assistant.agent.untrusted import looks_like_injection
from assistant.drafting.evidence import AccountEvidence
from assistant.drafting.people import notes_about
from assistant.drafting.text import any_term, first_name, sentences, shorten
from assistant.records.schemas import NoteOut, StakeholderOut

RECENT_DAYS = 120
MAX_SENTENCES = 2
MAX_CHARS = 320
MIN_WORDS = 6
# Words that mark a sentence as the point of a note rather than its setting.
SIGNAL_TERMS = any_term(
    [
        r"expects?",
        r"expected",
        r"expecting",
        r"wants?",
        r"asked",
        r"asks",
        r"worr\w*",
        r"concern\w*",
        r"warn\w*",
        r"unhappy",
        r"happy",
        r"frustrat\w*",
        r"plans?",
        r"will",
        r"review\w*",
        r"renew\w*",
        r"contracts?",
        r"budgets?",
        r"cuts?",
        r"risks?",
        r"priorit\w*",
        r"decid\w*",
        r"decisions?",
        r"approv\w*",
        r"ceo",
        r"board",
        r"tender",
        r"competitors?",
        r"savings",
        r"price",
        r"pricing",
    ]
)
_QUOTED = re.compile(r"[\"“”]")


@dataclass(frozen=True)
class LatestWord:
    note: NoteOut
    text: str
    # The sentence the citation's excerpt shows (the best one).
    anchor: str


def latest_word(ev: AccountEvidence, person: StakeholderOut, *, days: int = RECENT_DAYS) -> LatestWord | None:
    """The newest note about the person in the last `days` with a sentence worth quoting, and those sentences."""
    floor = ev.today - timedelta(days=days)
    for note in notes_about(ev, person):
        if note.occurred_on < floor:
            break
        picked = _best_sentences(note.body, person)
        if picked:
            best = max(picked, key=lambda s: _score(s, person))
            return LatestWord(note, shorten(" ".join(picked), MAX_CHARS), best)
    return None


def _best_sentences(body: str, person: StakeholderOut) -> list[str]:
    found = [s for s in sentences(body) if not looks_like_injection(s)]
    scored = [(i, _score(s, person)) for i, s in enumerate(found)]
    worth = [(i, score) for i, score in scored if score > 0]
    best = sorted(worth, key=lambda pair: (-pair[1], pair[0]))[:MAX_SENTENCES]
    return [found[i] for i, _ in sorted(best)]


def _score(sentence: str, person: StakeholderOut) -> int:
    """Signal words and quoted remarks count; a short opener ("Lunch with Robert Feld.") counts against."""
    words = len(sentence.split())
    score = len(SIGNAL_TERMS.findall(sentence)) + (2 if _QUOTED.search(sentence) else 0)
    if re.search(rf"\b(?:{re.escape(first_name(person.name))}|he|she|they)\b", sentence, re.IGNORECASE):
        score += 1
    if words < MIN_WORDS:
        score -= 3
    return score
