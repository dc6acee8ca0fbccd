"""Requests the coach refuses without calling any tool, decided by rules (more reliable here than similarity).

Deleting records, revealing the prompt, sending data anywhere, acting as another user and "ignore your
instructions" are refused politely. A request to change a record *without approval* is not refused: it still
becomes a proposal, and the answer says why approval cannot be skipped.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from enum import StrEnum


class Refusal(StrEnum):
    DELETE = "delete"
    PROMPT = "prompt"
    SEND = "send"
    OTHER_USER = "other_user"
    OVERRIDE = "override"


# Asking for the prompt without naming it: the text "above this message" or "before the conversation", the rules
# "you were given", or those rules "word for word". Coaching questions ask about rules of a charter or a key,
# never about rules given to the coach, so these do not catch them.
_SETUP = r"(?:rules|instructions|directives|guidelines|prompt|configuration|system message|setup|programming)"
_PROMPT_EXFILTRATION = "|".join(
    (
        r"\b(?:repeat|print|show|output|display|copy|paste|reproduce|recite|quote|dump|echo|write out|give me|"
        r"tell me|type out)\b.{0,40}\b(?:above|before|preceding|prior to|earlier than)\s+(?:this|my|our|the)\s+"
        r"(?:(?:very\s+)?first\s+)?(?:message|conversation|chat|question|line|request)",
        rf"\b{_SETUP}\b.{{0,30}}\byou(?:'ve| have| were| was|'re| are)?\s+(?:been\s+)?(?:given|told|programmed|"
        r"configured|instructed|set up|fed|loaded|started)\b",
        rf"\b(?:word for word|verbatim|word-for-word|exact wording|exact words|in full)\b.{{0,60}}\byour\s+"
        rf"(?:\w+\s+)?{_SETUP}\b|\byour\s+(?:\w+\s+)?{_SETUP}\b.{{0,60}}\b(?:word for word|verbatim|word-for-word)\b",
        r"\bstarting (?:from|with|at)\s+[\"“'‘]?you are\b",
        rf"\b(?:list|enumerate|number|summari[sz]e|recite)\b.{{0,20}}\byour\s+(?:own\s+)?{_SETUP}\b",
    )
)
_RULES: tuple[tuple[Refusal, re.Pattern[str]], ...] = tuple(
    (refusal, re.compile(pattern, re.IGNORECASE | re.DOTALL))
    for refusal, pattern in (
        (
            Refusal.OVERRIDE,
            r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:instructions?|prompts?|rules?|guardrails?|"
            r"safety|restrictions?|policies|policy)\b|\bjailbreak|\bdeveloper mode\b|\byou are now\b|"
            r"\bpretend (?:you are|to be)\b|\bact as (?:an? )?(?:admin|administrator|root|superuser|system)\b",
        ),
        (
            Refusal.PROMPT,
            r"\b(?:system|developer|hidden|initial|original)\s+(?:prompt|instructions?|message)\b|"
            r"\b(?:reveal|print|show|repeat|display|output|leak|dump|tell me)\b.{0,25}\byour\s+(?:prompt|instructions|"
            r"rules|configuration|api key|secrets?|password)\b|"
            r"\b(?:your|the|admin|system|database|server)\s+api[_ ]?keys?\b|"
            r"\b(?:admin|system|database|server|root)\s+passwords?\b|" + _PROMPT_EXFILTRATION,
        ),
        (
            Refusal.DELETE,
            r"\b(?:delete|erase|wipe|purge|destroy|truncate)\b|\b(?:drop|remove|clear)\b.{0,30}\b(?:all|every|each|"
            r"whole|entire|accounts?|records?|notes?|stakeholders?|database|tables?|history|data|charters?|contacts?|"
            r"everything|users?)\b",
        ),
        (
            Refusal.SEND,
            r"\b(?:e-?mail|send|forward|post|upload|share|export|publish|leak|transmit|slack|tweet)\b.{0,80}"
            r"(?:@|https?://|www\.|\.com\b|\burl\b|\baddress\b|\bgmail\b|\bpersonal\b|\bexternal\b|\boutside\b|"
            r"\bcompetitor\b|\bpress\b|\bjournalist\b)|"
            # Chat channels and hooks outside the coach: "post it in #deals", "push this to our Teams channel".
            r"\b(?:send|forward|post|share|push|publish|upload|pipe|sync)\b.{0,80}(?:(?<![\w&])#[a-z][\w-]+|"
            r"\bslack\b|\b(?:ms|microsoft)\s+teams\b|\bteams\s+(?:channel|chat|group)\b|\b(?:on|in|via|to)\s+teams\b|"
            r"\bwebhook\b|\b(?:in|to|on|into)\s+(?:the|our|a|my)\s+(?:[#\w-]+\s+){0,2}channel\b|"
            r"\bwhats ?app\b|\btelegram\b|\bdiscord\b|\bsms\b|\btext message\b|"
            r"\bmailing list\b|\bdistribution list\b)|"
            # An order to post or publish is an order to put the data somewhere outside the coach.
            r"^\s*(?:(?:please|pls|ok|okay|now|can you|could you|would you|will you)[,\s]+)*(?:post|publish|broadcast|"
            r"tweet|announce)\b(?![-’'])",
        ),
        (
            Refusal.OTHER_USER,
            r"\b(?:another|other|a different|someone else'?s?|every|all)\s+(?:users?|people'?s|leaders?'?s?)\b.{0,30}"
            r"\b(?:accounts?|portfolios?|data|notes|records)\b|\b(?:log ?in|sign ?in|switch user)\s+(?:as|to)\b|"
            r"\bact (?:as|on behalf of) (?:another|other|a different)\b|\bimpersonat\w*",
        ),
    )
)
_POSSESSIVE_PORTFOLIO = re.compile(
    r"\b(?P<name>[A-Z][a-z]+)(?:'s|’s)\s+(?:accounts?|portfolio|book of business|clients|customers|pipeline)\b"
)
_SKIP_APPROVAL = re.compile(
    r"\bwithout\s+(?:asking|approval|my approval|confirmation|checking|a proposal|waiting)\b|"
    r"\bwithout\s+(?:any|a|the|my|your)\s+(?:\w+\s+)?(?:confirm\w*|approv\w*|sign-?off|review)\b|"
    r"\b(?:don't|do not|dont|no need to|never)\s+(?:bother|ask|check with|trouble)\b.{0,30}\b(?:confirm\w*|approv\w*|"
    r"proposals?|sign-?off)\b|"
    r"\b(?:skip|bypass|no need for|don't need|do not need)\b.{0,20}\b(?:approval|confirmation|proposal)\b|"
    r"\b(?:directly|straight away|right away|immediately)\b.{0,20}\b(?:update|change|save|write|apply|edit)\b|"
    r"\b(?:update|change|save|write|apply|edit)\b.{0,40}\b(?:directly|straight away|without\b)|\bjust do it\b|"
    r"\bdon't ask me\b|\bdo not ask me\b|\bauto-?approve\b",
    re.IGNORECASE,
)


def refusal_for(text: str, *, allowed_names: Collection[str] = ()) -> Refusal | None:
    """The kind of refusal a request calls for, or None.

    Call it on the message with recognised names masked (so "ACCOUNT's customers" is not someone's portfolio)
    and with the text of a note or action removed (a note may say "she emailed the survey to the board").
    """
    for refusal, pattern in _RULES:
        if pattern.search(text):
            return refusal
    for match in _POSSESSIVE_PORTFOLIO.finditer(text):
        if match.group("name").lower() not in {name.lower() for name in allowed_names}:
            return Refusal.OTHER_USER
    return None


def asks_to_skip_approval(text: str) -> bool:
    return _SKIP_APPROVAL.search(text) is not None
