"""Facts about people that several rules and drafts need: who is an executive, who was last spoken to,
whose influence is rising, which notes are about whom, and who the competitors are."""

from __future__ import annotations

import re
from datetime import date, timedelta

from assistant.drafting.evidence import AccountEvidence
from assistant.drafting.text import any_term, first_name, sentence_about
from assistant.records.enums import DecisionRole, NoteKind
from assistant.records.schemas import NoteOut, StakeholderOut

EXECUTIVE_TITLES = any_term(
    [r"chief", r"ceo", r"cfo", r"coo", r"cio", r"cto", r"president", r"vice president", r"s?vp", r"evp"]
)
CONTACT_KINDS = (NoteKind.MEETING, NoteKind.CALL)
DEPARTURE_TERMS = any_term([r"retir\w*", r"steps? down", r"stepping down", r"resign\w*"])
# Generic signs of competition in a note, plus names the notes themselves introduce as competitors.
COMPETITOR_TERMS = [
    r"competitors?",
    r"competing",
    r"competitive (?:tender|bid|process)",
    r"rivals?",
    r"test(?:ing)? the market",
    r"tender",
    r"courting",
    r"pitching",
]
_NAME = r"([A-Z][\w&'-]+(?:\s+[A-Z][\w&'-]+){0,2})"
_COMPETITOR_NAMES = (
    re.compile(_NAME + r"\s+(?:is|are|has been|have been|was)\s+(?:pitching|courting|bidding|wooing)\b"),
    re.compile(r"\b(?:competitor|rival)s?,?\s+\(?" + _NAME),
    re.compile(_NAME + r",\s+a\s+(?:direct\s+)?(?:competitor|rival)\b"),
)
_NOT_NAMES = {"The", "This", "That", "They", "Our", "Beacon", "We", "He", "She", "It"}


def is_executive(person: StakeholderOut) -> bool:
    """Decision-makers, the executive department and C-suite or VP titles."""
    return (
        person.decision_role is DecisionRole.DECISION_MAKER
        or (person.department or "").strip().lower() == "executive"
        or bool(EXECUTIVE_TITLES.search(person.title or ""))
    )


def acronym(title: str | None) -> str | None:
    """ "Chief Operating Officer" -> "COO": how notes often name an executive's office."""
    words = [w for w in re.split(r"[\s,]+", title or "") if w and w[0].isupper()]
    if len(words) < 3 or words[0] != "Chief":
        return None
    return "".join(w[0] for w in words[:3])


def name_pattern(name: str) -> re.Pattern[str]:
    """Full name or first name, as whole words."""
    return re.compile(rf"\b(?:{re.escape(name)}|{re.escape(first_name(name))})\b")


def notes_about(ev: AccountEvidence, person: StakeholderOut) -> list[NoteOut]:
    """Notes tagging the person, naming them in full, or by first name when no one else on the account shares it."""
    first = first_name(person.name)
    unique = sum(first_name(s.name) == first for s in ev.stakeholders) == 1
    pattern = name_pattern(person.name) if unique else re.compile(rf"\b{re.escape(person.name)}\b")
    return [n for n in ev.notes if person.id in n.mentioned_ids or pattern.search(n.body)]


def last_contact(ev: AccountEvidence, person: StakeholderOut) -> tuple[date | None, NoteOut | None]:
    """The later of the recorded last contact and the newest meeting or call note that tags the person."""
    tagged = [n for n in ev.notes if person.id in n.mentioned_ids and n.kind in CONTACT_KINDS]
    note = tagged[0] if tagged else None
    recorded = person.last_contact_on
    if note is not None and (recorded is None or note.occurred_on >= recorded):
        return note.occurred_on, note
    same_day = next((n for n in tagged if n.occurred_on == recorded), None)
    return recorded, same_day


def power_rises(ev: AccountEvidence, person: StakeholderOut) -> tuple[int, int] | None:
    """(from, to) when the audit trail shows the person's power going up within the evidence window."""
    rises = []
    for event in ev.stakeholder_events:
        if event.entity_id != person.id or not event.before or not event.after:
            continue
        before, after = event.before.get("power"), event.after.get("power")
        if isinstance(before, int) and isinstance(after, int) and after > before:
            rises.append((before, after))
    if not rises:
        return None
    return min(b for b, _ in rises), max(a for _, a in rises)


def competitor_names(ev: AccountEvidence) -> set[str]:
    """Organisations the account's own notes and opportunities describe as competing for the business."""
    texts = [n.body for n in ev.notes] + [o.description for o in ev.opportunities]
    names: set[str] = set()
    for text in texts:
        for pattern in _COMPETITOR_NAMES:
            for match in pattern.finditer(text):
                name = match.group(1).strip()
                words = [w for w in name.split() if w not in _NOT_NAMES]
                if words and words[0][0].isupper() and len(words[0]) >= 4:
                    names.add(" ".join(words))
                    names.add(words[0])
    our_side = {s.name for s in ev.stakeholders} | {ev.account.name}
    return {n for n in names if n not in our_side and n not in ev.account.name}


def competitor_pattern(ev: AccountEvidence) -> re.Pattern[str]:
    names = [re.escape(n) for n in sorted(competitor_names(ev), key=len, reverse=True)]
    return any_term(COMPETITOR_TERMS + names)


def announced_departures(ev: AccountEvidence, within_days: int) -> list[tuple[StakeholderOut, NoteOut]]:
    """Active executives whom a recent note names as retiring or stepping down, most powerful first."""
    found: dict[int, tuple[StakeholderOut, NoteOut]] = {}
    for note in ev.notes_since(ev.today - timedelta(days=within_days)):
        sentence = sentence_about(note.body, DEPARTURE_TERMS)
        if not DEPARTURE_TERMS.search(sentence):
            continue
        # The person leaving is the first executive the sentence names ("Helen told Angela she will retire").
        named = [
            (m.start(), p) for p in ev.client() if is_executive(p) and (m := name_pattern(p.name).search(sentence))
        ]
        if named:
            person = min(named, key=lambda pair: pair[0])[1]
            found.setdefault(person.id, (person, note))
    return sorted(found.values(), key=lambda pair: -pair[0].power)
