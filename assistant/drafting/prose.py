"""Prose writers: turn cited claims into readable sentences without adding facts.

`TemplateProseWriter` is the offline writer: deterministic, one sentence per claim, citations kept.
`LLMProseWriter` asks a chat model to rephrase and merge the claims it is given, as JSON sentences that name
the reference tokens they rest on. A sentence citing a token it was not given (or none at all) is dropped
and counted; if nothing valid comes back the section falls back to the template writer; claims whose
evidence no kept sentence used are appended as they were, so the model can shorten a section but never
lose a cited fact. Model and network errors propagate: the caller maps them (see `assistant.llm`).
"""

from __future__ import annotations

import json
import re
from typing import Any, Protocol, runtime_checkable

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationError

from assistant.citations import REF_PATTERN, Citation, Claim, refs_in
from assistant.drafting.prompts import PROSE_SYSTEM_PROMPT, PROSE_USER_PROMPT
from assistant.drafting.text import as_sentence

MAX_SENTENCES = 12
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.IGNORECASE)


@runtime_checkable
class ProseWriter(Protocol):
    """Rewrites a section's claims; may merge or rephrase, never adds facts or citations.

    Writers may also expose `name` (shown on every draft) and `dropped` (sentences refused so far).
    """

    def write(self, task: str, claims: list[Claim]) -> list[Claim]: ...


class TemplateProseWriter:
    """The offline writer: each claim becomes one tidy sentence, with exactly its citations."""

    @property
    def name(self) -> str:
        return "template (offline)"

    def write(self, task: str, claims: list[Claim]) -> list[Claim]:
        return [Claim(text=as_sentence(c.text), citations=list(c.citations)) for c in claims if c.text.strip()]


class _Sentence(BaseModel):
    text: str
    refs: list[str] = Field(default_factory=list)


class _Sentences(BaseModel):
    sentences: list[_Sentence]


class LLMProseWriter:
    """Rephrases claims with a chat model, keeping only sentences whose references check out."""

    def __init__(
        self, chat_model: BaseChatModel, *, json_mode: bool = True, max_sentences: int = MAX_SENTENCES
    ) -> None:
        self._model = chat_model
        self._json_mode = json_mode
        self._max = max_sentences
        self._fallback = TemplateProseWriter()
        self.dropped = 0  # sentences refused for citing unknown (or no) sources, over the writer's life
        self.fallbacks = 0  # sections where nothing valid came back and the template writer was used

    @property
    def name(self) -> str:
        model = getattr(self._model, "model_name", None) or getattr(self._model, "model", None)
        return f"llm ({model or type(self._model).__name__})"

    def write(self, task: str, claims: list[Claim]) -> list[Claim]:
        if not claims:
            return []
        catalogue: dict[str, list[Citation]] = {}
        for claim in claims:
            for citation in claim.citations:
                catalogue.setdefault(citation.ref, [])
                if citation not in catalogue[citation.ref]:
                    catalogue[citation.ref].append(citation)
        facts = "\n".join(
            f"{number}. {claim.text} " + " ".join(f"[{c.ref}]" for c in claim.citations)
            for number, claim in enumerate(claims, 1)
        )
        messages = [
            SystemMessage(content=PROSE_SYSTEM_PROMPT),
            HumanMessage(content=PROSE_USER_PROMPT.format(task=task, facts=facts, limit=self._max)),
        ]
        model: Any = self._model.bind(response_format={"type": "json_object"}) if self._json_mode else self._model
        response = model.invoke(messages)  # errors propagate on purpose: the caller maps them
        parsed = _parse(_text_of(response))
        if parsed is None:
            self.fallbacks += 1
            return self._fallback.write(task, claims)
        kept = self._validated(parsed, catalogue)
        if not kept:
            self.fallbacks += 1
            return self._fallback.write(task, claims)
        used = {c.ref for claim in kept for c in claim.citations}
        lost = [c for c in claims if not any(cit.ref in used for cit in c.citations)]
        return kept + self._fallback.write(task, lost)

    def _validated(self, parsed: _Sentences, catalogue: dict[str, list[Citation]]) -> list[Claim]:
        kept: list[Claim] = []
        for sentence in parsed.sentences[: self._max]:
            refs = list(dict.fromkeys([*(r.strip().strip("[]") for r in sentence.refs), *refs_in(sentence.text)]))
            text = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(REF_PATTERN.sub("", sentence.text).split()))
            if not text or not refs or any(ref not in catalogue for ref in refs):
                self.dropped += 1
                continue
            citations = [c for ref in refs for c in catalogue[ref]]
            kept.append(Claim(text=as_sentence(text), citations=citations))
        return kept


def _text_of(response: object) -> str:
    content = getattr(response, "content", response)
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part if isinstance(part, str) else str(part.get("text", "")) for part in content)
    return str(content)


def _parse(raw: str) -> _Sentences | None:
    text = _FENCE.sub("", raw.strip())
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end <= start:
            return None
        try:
            data = json.loads(text[start : end + 1])
        except json.JSONDecodeError:
            return None
    if isinstance(data, list):
        data = {"sentences": data}
    try:
        return _Sentences.model_validate(data)
    except ValidationError:
        return None
