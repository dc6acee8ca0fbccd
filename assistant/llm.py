"""The generative backend: build the chat model, probe it at start-up, and name its failures.

`build_chat_model` returns a LangChain chat model for `SAMCOACH_LLM__PROVIDER=openai` (any OpenAI-compatible
endpoint). Retries with backoff on 429 (honouring `Retry-After`), 5xx, timeouts and refused connections are the
`openai` SDK's own, bounded by `max_retries`; we do not wrap a second retry loop around them. What is left after
the retries is mapped by `as_unavailable` to `LLMUnavailable`, the one error every surface turns into a 503 or a
plain message. `check_backend` runs once at start so a backend that cannot work fails loudly instead of
silently falling back to the offline composer.

The `openai` and `langchain_openai` imports stay inside the functions: importing this module is free.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.settings import LLMSettings

OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1"
# Local servers (Ollama, llama.cpp, vLLM) ignore the key, but the SDK refuses to build a client without one.
KEYLESS_PLACEHOLDER = "not-needed"
BASE_URL_VAR = "SAMCOACH_LLM__BASE_URL"
API_KEY_VAR = "SAMCOACH_LLM__API_KEY"
MODEL_VAR = "SAMCOACH_LLM__MODEL"
_MAX_LISTED_MODELS = 10
_MAX_DETAIL_CHARS = 200


class LLMUnavailable(Exception):
    """The configured model cannot answer now (after the SDK's retries) or cannot work as configured.

    `str(exc)` is written for users: which backend and URL failed and why, never a stack trace or a key.
    """

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None) -> None:
        message = message[:1].upper() + message[1:]
        super().__init__(message)
        self.message = message
        self.url = url
        self.status = status


def resolved_base_url(llm: LLMSettings) -> str:
    """The endpoint actually used. Explicit, so `OPENAI_API_BASE` or a gateway variable cannot reroute calls."""
    return (llm.base_url or OPENAI_DEFAULT_BASE_URL).rstrip("/")


def _api_key(llm: LLMSettings) -> str:
    return llm.api_key.get_secret_value() if llm.api_key is not None else KEYLESS_PLACEHOLDER


def build_chat_model(llm: LLMSettings) -> BaseChatModel:
    """The chat model for `llm.provider == "openai"`: streaming, native tool calls, SDK retries with backoff.

    Raises:
        ValueError: for `provider == "offline"`, which has no generative model (the offline composer is built
            elsewhere) — choosing the backend is the caller's explicit decision, never a fallback here.
    """
    if llm.provider != "openai":
        raise ValueError(
            f"build_chat_model builds the 'openai' backend; SAMCOACH_LLM__PROVIDER={llm.provider!r} "
            "has no generative model"
        )
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    return ChatOpenAI(
        model=llm.model,
        base_url=resolved_base_url(llm),
        api_key=SecretStr(_api_key(llm)),
        timeout=llm.timeout_s,
        max_retries=llm.max_retries,
        temperature=llm.temperature,
        # Usage on streamed turns feeds the per-turn token budget; LangChain leaves it off for custom URLs.
        stream_usage=True,
        # OpenAI-compatible servers (vLLM, Ollama, llama.cpp, LM Studio) speak Chat Completions; only
        # api.openai.com gets LangChain's own choice of the Responses API for models that need it.
        use_responses_api=None if llm.base_url is None else False,
    )


def check_backend(llm: LLMSettings, *, timeout_s: float = 5.0) -> str:
    """Start-up probe: list the endpoint's models and confirm `llm.model` is served.

    Returns a one-line description for logs and the UI. Raises `LLMUnavailable` when the endpoint is
    unreachable, refuses the key, fails, or lists models that do not include `llm.model`. Endpoints that do
    not implement `GET /models` pass, and the description says the model could not be verified.
    """
    if llm.provider != "openai":
        return llm.describe()
    import openai

    url = resolved_base_url(llm)
    # No retries: a probe at start should fail fast; chat calls keep the configured retries.
    client = openai.OpenAI(base_url=url, api_key=_api_key(llm), timeout=timeout_s, max_retries=0)
    try:
        with client:
            ids = [model.id for model in client.models.list()]
    except openai.AuthenticationError as exc:
        raise LLMUnavailable(
            f"LLM endpoint {url} rejected the API key (HTTP {exc.status_code}); check {API_KEY_VAR}",
            url=url,
            status=exc.status_code,
        ) from None
    except openai.PermissionDeniedError as exc:
        raise LLMUnavailable(
            f"LLM endpoint {url} denied access (HTTP {exc.status_code}); check {API_KEY_VAR}",
            url=url,
            status=exc.status_code,
        ) from None
    except openai.NotFoundError:
        return f"openai-compatible: {llm.model} at {url} (reachable; GET /models not served, model not verified)"
    except openai.APITimeoutError:
        raise LLMUnavailable(
            f"LLM endpoint {url} did not answer within {timeout_s:g}s; check {BASE_URL_VAR} and that the "
            "server is running",
            url=url,
        ) from None
    except openai.APIConnectionError as exc:
        raise LLMUnavailable(
            f"cannot reach the LLM endpoint {url} ({_root_cause(exc)}); check {BASE_URL_VAR} and that the "
            "server is running",
            url=url,
        ) from None
    except openai.APIStatusError as exc:
        raise LLMUnavailable(
            f"LLM endpoint {url} answered GET /models with HTTP {exc.status_code}: {_detail(exc)}; "
            f"check {BASE_URL_VAR}",
            url=url,
            status=exc.status_code,
        ) from None

    if not ids:
        return f"openai-compatible: {llm.model} at {url} (reachable; lists no models, model not verified)"
    if not llm.verify_model:
        return f"openai-compatible: {llm.model} at {url} (reachable; model check off)"
    if not _model_listed(llm.model, ids):
        shown = ", ".join(sorted(ids)[:_MAX_LISTED_MODELS])
        more = f" and {len(ids) - _MAX_LISTED_MODELS} more" if len(ids) > _MAX_LISTED_MODELS else ""
        raise LLMUnavailable(
            f"LLM endpoint {url} does not serve model {llm.model!r}; it lists: {shown}{more}. Check {MODEL_VAR}",
            url=url,
        )
    return f"openai-compatible: {llm.model} at {url} (reachable; model listed among {len(ids)})"


def _model_listed(model: str, ids: Iterable[str]) -> bool:
    # Ollama lists `llama3.2:latest` and serves it as `llama3.2` too.
    return any(model in (served, served.removesuffix(":latest")) for served in ids)


def as_unavailable(exc: BaseException, *, llm: LLMSettings | None = None) -> LLMUnavailable | None:
    """Map a backend failure that survived the SDK's retries to `LLMUnavailable`; None for anything else.

    Covers connection failures, timeouts, 429, 5xx and rejected credentials (401/403), plus a 404 for an
    unknown model. Everything else (a 400 for a malformed request, a bug in our code) returns None and must
    propagate unchanged. Pass `llm` to name the model and the retry budget in the message.
    """
    import openai
    from langchain_core import exceptions as lc

    if isinstance(exc, LLMUnavailable):
        return exc
    after = _after_retries(llm)
    if isinstance(exc, openai.APITimeoutError):
        url = _request_url(exc)
        limit = f" within {llm.timeout_s:g}s" if llm is not None else ""
        return LLMUnavailable(f"{_who(llm, url)} did not answer{limit}{after}", url=url)
    if isinstance(exc, openai.APIConnectionError):
        url = _request_url(exc)
        return LLMUnavailable(
            f"cannot reach {_who(llm, url)} ({_root_cause(exc)}){after}; check {BASE_URL_VAR}", url=url
        )
    if isinstance(exc, openai.APIStatusError):
        url = _response_url(exc)
        status = exc.status_code
        if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            return LLMUnavailable(
                f"{_who(llm, url)} rejected the API key (HTTP {status}); check {API_KEY_VAR}", url=url, status=status
            )
        if isinstance(exc, openai.RateLimitError):
            return LLMUnavailable(
                f"{_who(llm, url)} is rate-limiting requests (HTTP 429){after}: {_detail(exc)}",
                url=url,
                status=status,
            )
        if isinstance(exc, openai.NotFoundError):
            return LLMUnavailable(
                f"{_who(llm, url)} answered HTTP 404: {_detail(exc)}; check {MODEL_VAR} and {BASE_URL_VAR}",
                url=url,
                status=status,
            )
        if status >= 500:
            return LLMUnavailable(
                f"{_who(llm, url)} failed with HTTP {status}{after}: {_detail(exc)}", url=url, status=status
            )
        return None
    transport = _transport_error_types()
    if transport and isinstance(exc, transport):
        # Raised unwrapped by the HTTP client when a streamed answer breaks off mid-way.
        url = _request_url(exc)
        return LLMUnavailable(f"connection to {_who(llm, url)} broke off ({_root_cause(exc)})", url=url)
    # Provider-neutral LangChain errors, for chat models other than ChatOpenAI.
    neutral: tuple[tuple[type[lc.ModelError], str], ...] = (
        (lc.ModelTimeoutError, "did not answer in time"),
        (lc.ModelConnectionError, "cannot be reached"),
        (lc.ModelRateLimitError, "is rate-limiting requests"),
        (lc.ModelAPIError, "failed with a server error"),
        (lc.ModelAuthenticationError, f"rejected the API key; check {API_KEY_VAR}"),
        (lc.ModelPermissionDeniedError, f"denied access; check {API_KEY_VAR}"),
    )
    for kind, what in neutral:
        if isinstance(exc, kind):
            return LLMUnavailable(f"{_who(llm, None)} {what}{after}: {_clip(str(exc))}")
    return None


def _who(llm: LLMSettings | None, url: str | None) -> str:
    if llm is not None:
        return f"the LLM backend ({llm.model} at {url or resolved_base_url(llm)})"
    return f"the LLM backend at {url}" if url else "the LLM backend"


def _after_retries(llm: LLMSettings | None) -> str:
    if llm is None:
        return " after the SDK's retries"
    return f" after {llm.max_retries} retr{'y' if llm.max_retries == 1 else 'ies'}"


def _request_url(exc: BaseException) -> str | None:
    try:
        request = exc.request  # type: ignore[attr-defined]
    except (AttributeError, RuntimeError):  # httpx raises RuntimeError when no request is attached
        return None
    return _clean_url(request.url) if request is not None else None


def _response_url(exc: Any) -> str | None:
    response = getattr(exc, "response", None)
    return _clean_url(response.request.url) if response is not None else _request_url(exc)


def _clean_url(url: Any) -> str:
    # Scheme, host, port and path only: no credentials in userinfo, no query string.
    scheme, host, port, path = url.scheme, url.host, url.port, url.path
    return f"{scheme}://{host}{f':{port}' if port else ''}{path}"


def _root_cause(exc: BaseException) -> str:
    seen: BaseException = exc
    while seen.__cause__ is not None:
        seen = seen.__cause__
    text = str(seen) or type(seen).__name__
    return _clip(text)


def _detail(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        message = body.get("message") or (body.get("error") or {}).get("message")
        if isinstance(message, str) and message:
            return _clip(message)
    return _clip(str(getattr(exc, "message", "") or exc))


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_DETAIL_CHARS else text[: _MAX_DETAIL_CHARS - 1] + "…"


def _transport_error_types() -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = []
    for name in ("httpx", "httpx2"):  # openai<3 uses httpx, openai>=3 httpx2
        try:
            found.append(importlib.import_module(name).TransportError)
        except (ImportError, AttributeError):
            continue
    return tuple(found)
