"""Whether a message tells of a change to a stakeholder's record, however it is worded.

The router knows stakeholder updates by their usual phrasings ("Raymond is now a detractor"); news told in
passing ("heads up, Anita has cooled on us - she's a skeptic now", "Aisha got a bigger remit, her title is now
CIO") sounds more like a meeting or a note to it. What decides is what the message says about a person it
names: a new stance, power or interest rating, title or decision role. A question never tells of a change.
"""

from __future__ import annotations

import re

from assistant.offline.arguments import Scene
from assistant.offline.entities import find_decision_role, find_rating, find_stance, find_title
from assistant.offline.questions import asks_question

# A stance or role said to be new, or asked to be recorded, rather than described ("Anita is a careful reader").
_CHANGE_CUE = re.compile(
    r"\b(?:now|anymore|any more|no longer|become|becomes|became|becoming|turned|turning|moved|switched|shifted|"
    r"cooled|warmed|flipped|changed|gone|went|update|mark|set|record)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def states_stakeholder_change(scene: Scene) -> bool:
    """A named stakeholder's new stance, rating, title or decision role, told rather than asked about."""
    if not scene.people or any(asks_question(s) for s in _SENTENCE.split(scene.text.strip()) if s):
        return False
    clause = scene.text[scene.people[0].start :]
    if find_rating(clause, "power") is not None or find_rating(clause, "interest") is not None:
        return True
    if find_title(clause) is not None:
        return True
    said = find_stance(clause) is not None or find_decision_role(clause) is not None
    return said and _CHANGE_CUE.search(clause) is not None
