"""What a message says besides names: stances, power and interest, titles and decision roles, note bodies,
action titles and owners, charter triggers, health words and zone scores."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from assistant.offline.dates import find_dates

STANCE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "sponsor": ("sponsor", "champion", "executive sponsor"),
    "supporter": ("supporter", "supportive", "ally", "advocate", "on our side", "in our corner", "fan"),
    "neutral": ("neutral", "on the fence", "undecided", "indifferent"),
    "skeptic": ("skeptic", "sceptic", "skeptical", "sceptical", "doubtful", "wary", "doubter"),
    "detractor": ("detractor", "against us", "hostile", "opponent", "blocker", "critic"),
}
_STANCE_PATTERNS = [
    (stance, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")s?\b", re.IGNORECASE))
    for stance, words in STANCE_SYNONYMS.items()
]
_NEGATED = re.compile(r"\b(?:no longer|not|isn't|isn’t|never)\s+(?:an?\s+|the\s+|our\s+)?$", re.IGNORECASE)
_TURNED_AGAINST = re.compile(r"\bturned\s+against\b", re.IGNORECASE)


def find_stance(text: str) -> str | None:
    """The stance the message gives someone; a negated stance ("no longer a sponsor") is not one."""
    if _TURNED_AGAINST.search(text):
        return "detractor"
    best: tuple[int, str] | None = None
    for stance, pattern in _STANCE_PATTERNS:
        for match in pattern.finditer(text):
            if _NEGATED.search(text[: match.start()]):
                continue
            if best is None or match.start() > best[0]:
                best = (match.start(), stance)  # the last stance named is the new one ("from neutral to detractor")
    return best[1] if best else None


_RATING_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_RATING_FIELDS = {"power": r"power|influence|clout", "interest": r"interest|engagement"}
_RATING_FILLER = frozenset(
    """is of to at now up down has have gone went level score rating from should be raised increased dropped
    set a""".split()
)
_WORD = re.compile(r"[\w'’]+|[:=/]")
# A rating is said within its clause ("power should really be a 5 now, he's running the RFI").
_RATING_CLAUSE_END = re.compile(r"[.;!?\n]|,\s|\s(?:but|and|because|since|so)\s", re.IGNORECASE)
# Words besides the filler a rating may wait through ("should *really* be a 5", "*probably* a 4"); more than
# this and the number is about something else.
_RATING_SKIPS = 2
# A number followed by one of these counts something ("in 3 weeks", "5 sites"): it is no rating.
_COUNTED = re.compile(r"^\s*(?:days?|weeks?|months?|years?|people|sites?|hours?|times|%|percent)\b", re.IGNORECASE)


def find_rating(text: str, field: str) -> int | None:
    """A 1-5 rating for `power` or `interest`: "power 5", "set her power to 4", "influence has gone up to 5",
    "power should really be a 5 now".

    "from 3 to 5" gives 5: the value after "to" is the new one.
    """
    other = "|".join(pattern for name, pattern in _RATING_FIELDS.items() if name != field)
    for keyword in re.finditer(rf"\b(?:{_RATING_FIELDS[field]})\b", text, re.IGNORECASE):
        window = text[keyword.end() : keyword.end() + 60]
        end = _RATING_CLAUSE_END.search(window)
        clause = window[: end.start()] if end is not None else window
        value: int | None = None
        skipped = 0
        for match in _WORD.finditer(clause.lower()):
            word = match.group(0)
            number = int(word) if word.isdigit() else _RATING_WORDS.get(word)
            if number is not None:
                if not 1 <= number <= 5 or _COUNTED.match(clause[match.end() :]):
                    break
                value = number
                if re.match(r"\s+to\b", clause[match.end() :], re.IGNORECASE):
                    continue  # "from 3 to 5": keep reading
                return value
            if re.fullmatch(other, word):
                break  # "interest 2 and power five": the other field's value is not this one
            if word not in _RATING_FILLER and word not in (":", "=", "/"):
                skipped += 1
                if skipped > _RATING_SKIPS:
                    break
        if value is not None:
            return value
    return None


DECISION_ROLES = {
    "decision_maker": r"decision[- ]?maker",
    "influencer": r"influencer",
    "recommender": r"recommender",
    "approver": r"approver",
    "user": r"(?:end[- ])?user",
}


def find_decision_role(text: str) -> str | None:
    for role, pattern in DECISION_ROLES.items():
        if role == "user":
            continue  # "user" is too common a word to be read as a decision role
        if re.search(rf"\b{pattern}s?\b", text, re.IGNORECASE):
            return role
    return None


_TITLE_CUE = re.compile(
    r"\b(?:is now (?:the |our |their |an? )?|promoted to (?:the )?|new (?:title|role|job)(?: is|:)?\s+|"
    r"(?:title|job title|role)(?:\s+(?:at|with|in)\s+[\w&'’ ]{1,40}?)?\s*(?:to|is now|is|:|=)\s*(?:the |an? )?|"
    r"now works as (?:the |an? )?|became (?:the )?|"
    # "he's been made VP of ...", "was named Chief ...", "got appointed as head of ...", "stepped up to CFO"
    r"(?:been |was |got |is |being )?(?:made|named|appointed|elevated to|stepped up to|moved up to|took over as)"
    r"(?:\s+as)?\s+(?:the |our |their |an? )?(?:new )?)(?P<title>[A-Za-z][\w ,&/'-]{1,90})",
    re.IGNORECASE,
)
_TITLE_WORDS = re.compile(
    r"\b(?:chief|officer|vp|vice president|director|head|manager|president|ceo|cfo|coo|cio|cto|cmo|lead|svp|evp|"
    r"partner|counsel|controller|treasurer|chair|chairman|chairwoman|chairperson|secretary|dean|provost|principal)\b",
    re.IGNORECASE,
)
_TITLE_END = re.compile(
    r"\s+(?:and|with|but|so|since|because|after|at|last|this|yesterday|today|recently)(?:\s+|$)|[,.;!?]"
)


def find_title(text: str) -> str | None:
    """A new title: "is now the COO", "title to CFO and Chair of the Integration Committee" (an "and" that joins
    two roles stays in the title; one that starts another clause ends it)."""
    match = _TITLE_CUE.search(text)
    if match is None:
        return None
    raw = match.group("title")
    title = raw
    for end in _TITLE_END.finditer(raw):
        rest = raw[end.end() :]
        if end.group(0).strip() == "and" and _TITLE_WORDS.match(rest):
            continue
        title = raw[: end.start()]
        break
    title = title.strip()
    if not _TITLE_WORDS.search(title) or find_stance(title):
        return None
    return title[:1].upper() + title[1:]


_NOTE_PATTERNS = [
    re.compile(
        r"\b(?:log|add|record|save|write|create|make|jot|take|capture|put)\b(?:\s+(?:down|in|up))?\s+(?:a |an |this |"
        r"the |my )?(?:quick |short )?(?:note|observation|memo|call|meeting|email)\b[^:\n]*?(?::|\s[–—-])\s*"
        r"(?P<body>.+)$",
        re.IGNORECASE | re.DOTALL,
    ),
    re.compile(r"\b(?:please\s+)?note(?:\s+down)?\s+that\s+(?P<body>.+)$", re.IGNORECASE | re.DOTALL),
    re.compile(
        r"\b(?:log|record|jot down|write down|remember)\s+that\s+(?P<body>.+)$",
        re.IGNORECASE | re.DOTALL,
    ),
    re.compile(
        r"\b(?:log|add|record|save|write|create|make|jot)\s+(?:down\s+)?(?:a |an |the )?(?:quick )?(?:note|observation)"
        r"\s+(?:(?:for|on|to|about)\s+[\w&'’ ]+?\s+)?(?:that|saying|:)\s*(?P<body>.+)$",
        re.IGNORECASE | re.DOTALL,
    ),
    re.compile(
        r"^\s*(?:please\s+)?(?:log|record)\s+(?:a |the |this |my )?(?P<body>(?:call|meeting|email|chat|conversation)"
        r"\b.+)$",
        re.IGNORECASE | re.DOTALL,
    ),
    re.compile(r"^\s*(?:please\s+)?note\s*[:–—-]?\s+(?P<body>.+)$", re.IGNORECASE | re.DOTALL),
    # "Jot this down for Solara: ...", "put this on record for Acme - ...": the body is what follows the colon.
    re.compile(
        r"^\s*(?:(?:please|pls|ok|okay|so)[,\s]+)?(?:(?:can|could|would)\s+you\s+)?(?:please\s+)?"
        r"(?:log|jot|record|write|note|save|capture|put|file|keep)\b(?:\s+(?:this|that|it|the following))?"
        r"(?:\s+(?:down|up|on record|on file))?\b[^:\n]{0,40}?(?::|\s[–—-])\s*(?P<body>.+)$",
        re.IGNORECASE | re.DOTALL,
    ),
]
_NOTE_KINDS = (
    ("customer_feedback", re.compile(r"\b(?:feedback|complain\w*|survey)\b", re.IGNORECASE)),
    ("email", re.compile(r"\be-?mail(?:ed|s)?\b", re.IGNORECASE)),
    ("call", re.compile(r"\b(?:call(?:ed)?|phoned|rang|phone)\b", re.IGNORECASE)),
    ("meeting", re.compile(r"\b(?:meeting|met|meet|workshop|visit(?:ed)?|lunch|dinner|review(?:ed)? with)\b", re.I)),
)


# "... she wants a joint session in May. Can you log it?", "... confirmed for the 9th. log that as a call pls":
# the request only points back ("it", "that") and at most says what kind of note; the body is what came before.
_POINTS_BACK = re.compile(
    r"(?P<body>\S.*?[.!?;,]|\S.*?(?=\s[–—-]\s))\s*[–—-]?\s*(?:(?:so|ok|okay|and)[,\s]+)?(?:(?:can|could|would|will)\s+"
    r"you\s+)?(?:please\s+|pls\s+|just\s+)?(?:log|record|note|jot|write|save|file|capture|add)\s+(?:it|that|this)"
    r"(?:\s+(?:down|up|in|on record|on file))?(?:\s+(?:as|for)\s+(?:a|an|the)?\s*(?:quick\s+)?(?:call|meeting|email|"
    r"note|chat|conversation|observation|lunch|visit)(?:\s+note)?)?(?:\s+(?:for me|please|pls|plz|thanks|thx))*"
    r"\s*[.!?]*\s*$",
    re.IGNORECASE | re.DOTALL,
)
# A lead-in that says a news item follows ("update -", "fyi:") is not part of what happened.
_NEWS_LEAD = re.compile(r"^\s*(?:quick\s+)?(?:update|fyi|news|heads[- ]up)\s*[:–—-]\s*", re.IGNORECASE)


def find_note_body(text: str) -> str | None:
    back = _POINTS_BACK.search(text)
    if back is not None:
        body = _NEWS_LEAD.sub("", back.group("body")).strip().rstrip(",;").strip()
        if len(body.split()) >= 3:
            return body[:1].upper() + body[1:]
    for pattern in _NOTE_PATTERNS:
        match = pattern.search(text)
        if match is not None:
            body = match.group("body").strip().strip("\"“”'")
            if len(body.split()) >= 2:
                return body[:1].upper() + body[1:]
    return None


def note_kind(text: str) -> str:
    for kind, pattern in _NOTE_KINDS:
        if pattern.search(text):
            return kind
    return "observation"


_ACTION_PATTERNS = [
    re.compile(r"\bremind(?:er)?\s+(?:me|us)\s+to\s+(?P<title>.+)$", re.IGNORECASE | re.DOTALL),
    re.compile(r"\bset\s+(?:a|me a)\s+reminder\s+to\s+(?P<title>.+)$", re.IGNORECASE | re.DOTALL),
    re.compile(r"\baction(?:\s+item)?\s+for\s+(?:me|us)\s*[:–—-]\s*(?P<title>.+)$", re.IGNORECASE | re.DOTALL),
    re.compile(
        r"\b(?:add|create|log|make|set up|open|track|put|raise|new)\s+(?:an?\s+|the\s+)?(?:new\s+)?"
        r"(?:action(?:\s+item)?|task|to-?do|follow[- ]?up)s?\b(?P<title>.+)$",
        re.IGNORECASE | re.DOTALL,
    ),
    re.compile(r"\b(?:i|we)\s+(?:need|have|must|should)\s+to\s+(?P<title>.+)$", re.IGNORECASE | re.DOTALL),
]
_ACTION_LEADS = re.compile(
    r"^(?:\s*(?:on|for|to|in|at)\s+(?:the\s+)?(?P<place>[\w&'’]+(?:\s+[A-Z][\w&'’]*)*)(?:\s+account)?(?=\s*[:–—-]|\s+(?:to|for)\b)"
    r"|\s*(?:to|for me to|that|so that|[:–—-])\s*"
    r"|\s*for\s+[A-Z][a-z]+\s+to\s+)+",
)
_ACTION_TRAILERS = [
    re.compile(r",?\s*(?:please|thanks|thank you)[.!]?$", re.IGNORECASE),
    re.compile(r",?\s*(?:and\s+)?(?:add|put|log) (?:it|this|that)\b.*$", re.IGNORECASE),
    re.compile(
        r",?\s*(?:assign(?:ed)?\s+(?:it\s+)?to|owner(?:\s+is|:)?|owned by)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?", re.I
    ),
    re.compile(r"\s+(?:on|for|at)\s+the\s+[\w&'’ ]{2,40}\s+account\b", re.IGNORECASE),
]
_OWNER = re.compile(
    r"\b(?:assign(?:ed)?\s+(?:it\s+)?to|owner(?:\s+is|:)?|owned by)\s+(?P<owner>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
    r"|\bfor\s+(?P<for>[A-Z][a-z]+)\s+to\s+",
)


def find_action_title(text: str, today: date, *, remove: Sequence[str] = ()) -> str | None:
    """The action's title: what follows "remind me to" / "add an action to", without its date, owner and account.

    `remove` lists names (the account's) that are where the action lives, not what it is.
    """
    for pattern in _ACTION_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        title = match.group("title")
        for phrase in remove:
            title = re.sub(
                rf"\s*\b(?:for|at|on|with|to)?\s*(?:the\s+)?{re.escape(phrase)}(?:'s|’s)?(?:\s+account)?\b\s*:?",
                " ",
                title,
                flags=re.IGNORECASE,
            )
        title = _ACTION_LEADS.sub("", title)
        title = _strip_dates(title, today)
        for trailer in _ACTION_TRAILERS:
            title = trailer.sub("", title).strip()
        title = " ".join(title.split()).strip(" ,.;:-–—")
        if len(title) > 3:
            return title[:1].upper() + title[1:]
    return None


def find_owner(text: str) -> str | None:
    match = _OWNER.search(text)
    if match is None:
        return None
    return match.group("owner") or match.group("for")


def _strip_dates(text: str, today: date) -> str:
    for mention in reversed(find_dates(text, today)):
        before = text[: mention.start]
        lead = re.search(r"(?:\s*,)?\s*(?:by|on|before|due|until|for|no later than|starting)?\s*$", before, re.I)
        cut = lead.start() if lead is not None else mention.start
        text = text[:cut] + text[mention.end :]
    return text.strip()


_TRIGGERS = (
    (
        "new_stakeholder",
        re.compile(
            r"\b(?:new (?:stakeholder|ceo|cfo|coo|cio|cto|chief|executive|sponsor|vp|director|signatory|leader)|"
            r"successor|joined|has left|replaced|retir\w*|came in|arrived|is in|"
            r"is (?:now )?(?:the )?(?:new )?(?:ceo|cfo|coo|cio|cto|chief|president|head|vp|svp))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "missed_metric",
        re.compile(r"\b(?:miss(?:ed|ing)?|below target|under ?perform\w*|short of|off target|fell short)\b", re.I),
    ),
    ("annual_review", re.compile(r"\b(?:annual|yearly|anniversary|once a year|year[- ]end)\b", re.IGNORECASE)),
)


def charter_trigger(text: str) -> str:
    for trigger, pattern in _TRIGGERS:
        if pattern.search(text):
            return trigger
    return "user_request"


_HEALTH = re.compile(r"\b(?P<status>strong|vulnerable|damaged)\b", re.IGNORECASE)
_ZONE_SCORE = re.compile(
    r"\b(?P<zone>value|alignment|relationships?|growth)\b\s*(?:zone\s*)?(?:is|at|of|=|:|to)?\s*(?P<score>[1-5])\b",
    re.IGNORECASE,
)


def find_health_status(text: str) -> str | None:
    match = _HEALTH.search(text)
    return match.group("status").lower() if match else None


def find_zone_scores(text: str) -> dict[str, int]:
    scores = {}
    for match in _ZONE_SCORE.finditer(text):
        zone = match.group("zone").lower()
        scores["relationships" if zone.startswith("relationship") else zone] = int(match.group("score"))
    return scores
