"""A scripted OpenAI-compatible HTTP server on 127.0.0.1, for driving the real `openai` SDK and `ChatOpenAI`.

Each `POST /v1/chat/completions` plays the next step of the script (a text answer, tool calls, an HTTP error,
a delay); `GET /v1/models` and `POST /v1/embeddings` answer without consuming steps. Every request is recorded
so a test can assert what the client sent and how many times it tried.

    with ScriptedOpenAIServer([rate_limited(), text("Hello")]) as server:
        model = build_chat_model(server.llm_settings(max_retries=1))
        assert model.invoke("hi").content == "Hello"
        assert len(server.chat_requests) == 2

The server is the stdlib `ThreadingHTTPServer`: it starts in milliseconds, and a delayed step waits on an
event that `stop()` sets, so shutdown never waits out a delay.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from assistant.settings import LLMSettings

DEFAULT_MODEL = "gpt-4o-mini"


@dataclass(frozen=True)
class FunctionCall:
    """One tool call in a scripted answer. `arguments` is the raw JSON string the server sends, valid or not."""

    name: str
    arguments: str
    id: str = ""


@dataclass(frozen=True)
class Completion:
    """A successful answer: text, tool calls, or both."""

    content: str | None = None
    tool_calls: tuple[FunctionCall, ...] = ()
    finish_reason: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    chunk_chars: int = 5


@dataclass(frozen=True)
class HTTPError:
    """An error response in OpenAI's shape, with headers such as `Retry-After` or `retry-after-ms`."""

    status: int
    message: str = "scripted error"
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Delay:
    """Wait `seconds` before answering with `then` (used to outlast the client's timeout)."""

    seconds: float
    then: Step | None = None


Step = Completion | HTTPError | Delay | Callable[[dict[str, Any]], "Completion | HTTPError | Delay"]
"""A scripted answer to one chat-completions request, or a function of the request body giving one."""


def text(content: str, **kwargs: Any) -> Completion:
    return Completion(content=content, **kwargs)


def tool_calls(*calls: tuple[str, dict[str, Any] | str], content: str | None = None) -> Completion:
    """Tool calls given as `(name, args)`; args as a dict are JSON-encoded, a string is sent verbatim."""
    return Completion(
        content=content,
        tool_calls=tuple(
            FunctionCall(name=name, arguments=args if isinstance(args, str) else json.dumps(args))
            for name, args in calls
        ),
    )


def tool_call(name: str, /, **args: Any) -> Completion:
    return tool_calls((name, args))


def malformed_tool_call(name: str, raw_arguments: str = '{"account": Northwind}') -> Completion:
    """A tool call whose arguments are not valid JSON, as small local models sometimes emit.

    Mind that LangChain repairs *truncated* JSON in streamed tool calls (`{"a": "b", ` parses as `{"a": "b"}`),
    so the default is unquoted rather than cut short, which fails in both modes.
    """
    return tool_calls((name, raw_arguments))


def http_error(status: int, message: str = "scripted error", **headers: str) -> HTTPError:
    """`http_error(429, retry_after_ms="5")` sends header `retry-after-ms: 5` (underscores become dashes)."""
    return HTTPError(status, message, tuple((k.replace("_", "-"), v) for k, v in headers.items()))


def rate_limited(**headers: str) -> HTTPError:
    """HTTP 429; by default with `Retry-After: 0` (the SDK then uses its own short backoff)."""
    return http_error(429, "Rate limit reached (scripted)", **(headers or {"retry_after": "0"}))


def server_error(status: int = 500, **headers: str) -> HTTPError:
    return http_error(status, "The server had an error while processing your request (scripted)", **headers)


def delayed(seconds: float, then: Step | None = None) -> Delay:
    return Delay(seconds, then)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    """Header names in lower case."""
    body: Any
    at: float


@dataclass
class ScriptedOpenAIServer:
    """An OpenAI-compatible server on a free loopback port. Use as a context manager or via the fixture."""

    script: list[Step] = field(default_factory=list)
    models: Sequence[str] = (DEFAULT_MODEL,)
    api_key: str | None = None
    """When set, every request must carry `Authorization: Bearer <api_key>` or gets a 401."""
    models_status: int = 200
    """Set to 404 to mimic a server without `GET /models`."""
    requests: list[RecordedRequest] = field(default_factory=list, repr=False)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None
        self._ids = itertools.count(1)

    # Lifecycle

    def start(self) -> ScriptedOpenAIServer:
        handler = type("Handler", (_Handler,), {"server_state": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> ScriptedOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # What tests use

    @property
    def port(self) -> int:
        """The port it listens (or listened) on; still readable after `stop()` for assertions."""
        assert self._port is not None, "server not started"
        return self._port

    @property
    def url(self) -> str:
        """The base URL to configure: `http://127.0.0.1:<port>/v1`."""
        return f"http://127.0.0.1:{self.port}/v1"

    def llm_settings(self, **overrides: Any) -> LLMSettings:
        """Settings for the openai backend pointed at this server, with test-sized timeouts."""
        values: dict[str, Any] = {
            "provider": "openai",
            "base_url": self.url,
            "model": self.models[0] if self.models else DEFAULT_MODEL,
            "api_key": self.api_key,
            "timeout_s": 2.0,
            "max_retries": 0,
        }
        return LLMSettings(**{**values, **overrides})

    def add(self, *steps: Step) -> None:
        with self._lock:
            self.script.extend(steps)

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        """Bodies of every `POST /v1/chat/completions`, retries included."""
        return [r.body for r in self.requests if r.path.endswith("/chat/completions")]

    def assert_complete(self) -> None:
        assert not self.errors, f"ScriptedOpenAIServer errors: {self.errors}"
        assert not self.script, f"ScriptedOpenAIServer: {len(self.script)} step(s) never requested: {self.script}"

    # Internals, called from handler threads

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _next_step(self, body: dict[str, Any]) -> Completion | HTTPError | Delay | None:
        with self._lock:
            if not self.script:
                self.errors.append(f"script exhausted at chat request {len(self.chat_requests)}")
                return None
            step = self.script.pop(0)
        return step(body) if callable(step) else step

    def _new_id(self, prefix: str) -> str:
        with self._lock:
            return f"{prefix}{next(self._ids)}"


def _approx_tokens(value: Any) -> int:
    raw = value if isinstance(value, str) else json.dumps(value)
    return max(1, math.ceil(len(raw) / 4))


def _embedding(text_in: str, dimensions: int) -> list[float]:
    # Deterministic unit vector from the text's hash: equal texts embed equally, nothing else is promised.
    digest = b""
    counter = 0
    while len(digest) < dimensions:
        digest += hashlib.sha256(f"{counter}:{text_in}".encode()).digest()
        counter += 1
    raw = [(b - 127.5) / 127.5 for b in digest[:dimensions]]
    norm = math.sqrt(sum(x * x for x in raw)) or 1.0
    return [x / norm for x in raw]


class _Handler(BaseHTTPRequestHandler):
    server_state: ScriptedOpenAIServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: pytest shows the recorded requests when an assertion needs them

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout fired); nothing to answer

    # Routing

    def do_GET(self) -> None:
        self._record(None)
        if not self._authorized():
            return
        if self.path.rstrip("/").endswith("/models"):
            state = self.server_state
            if state.models_status != 200:
                self._send_error(HTTPError(state.models_status, "not served (scripted)"))
                return
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "scripted"} for m in state.models]
            self._send_json(200, {"object": "list", "data": data})
            return
        self._send_error(HTTPError(404, f"no route GET {self.path}"))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = {"_raw": raw.decode(errors="replace")}
        self._record(body)
        if not self._authorized():
            return
        path = self.path.rstrip("/")
        if path.endswith("/chat/completions"):
            self._chat(body)
        elif path.endswith("/embeddings"):
            self._embeddings(body)
        else:
            self._send_error(HTTPError(404, f"no route POST {self.path}"))

    # Endpoints

    def _chat(self, body: dict[str, Any]) -> None:
        state = self.server_state
        step = state._next_step(body)
        while isinstance(step, Delay):
            if state._stopping.wait(step.seconds):
                self.close_connection = True
                return
            then = step.then if step.then is not None else Completion(content="(late answer)")
            step = then(body) if callable(then) else then
        if step is None:
            # Not retryable, so the client fails at once with a message that names the cause.
            self._send_error(HTTPError(400, "ScriptedOpenAIServer: script exhausted", (("x-should-retry", "false"),)))
            return
        if isinstance(step, HTTPError):
            self._send_error(step)
            return
        if body.get("stream"):
            self._stream_completion(body, step)
        else:
            self._send_json(200, self._completion(body, step))

    def _embeddings(self, body: dict[str, Any]) -> None:
        inputs = body.get("input", [])
        inputs = [inputs] if isinstance(inputs, str | int) or (inputs and isinstance(inputs[0], int)) else inputs
        dimensions = int(body.get("dimensions") or 8)
        data = [
            {"object": "embedding", "index": i, "embedding": _embedding(str(item), dimensions)}
            for i, item in enumerate(inputs)
        ]
        tokens = sum(_approx_tokens(item) for item in inputs)
        usage = {"prompt_tokens": tokens, "total_tokens": tokens}
        self._send_json(200, {"object": "list", "data": data, "model": body.get("model"), "usage": usage})

    # Response shapes

    def _usage(self, body: dict[str, Any], step: Completion) -> dict[str, int]:
        prompt = step.prompt_tokens or _approx_tokens(body.get("messages", [])) + _approx_tokens(body.get("tools", []))
        out = step.completion_tokens or _approx_tokens(
            (step.content or "") + "".join(c.name + c.arguments for c in step.tool_calls)
        )
        return {"prompt_tokens": prompt, "completion_tokens": out, "total_tokens": prompt + out}

    def _tool_call_ids(self, step: Completion) -> list[str]:
        return [c.id or self.server_state._new_id("call_") for c in step.tool_calls]

    def _finish(self, step: Completion) -> str:
        return step.finish_reason or ("tool_calls" if step.tool_calls else "stop")

    def _completion(self, body: dict[str, Any], step: Completion) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": step.content}
        if step.tool_calls:
            message["tool_calls"] = [
                {"id": call_id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
                for call_id, c in zip(self._tool_call_ids(step), step.tool_calls, strict=True)
            ]
        return {
            "id": self.server_state._new_id("chatcmpl-"),
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", DEFAULT_MODEL),
            "choices": [{"index": 0, "message": message, "finish_reason": self._finish(step), "logprobs": None}],
            "usage": self._usage(body, step),
        }

    def _stream_completion(self, body: dict[str, Any], step: Completion) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        base = {
            "id": self.server_state._new_id("chatcmpl-"),
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model", DEFAULT_MODEL),
        }
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
            return {**base, "choices": [choice], **({"usage": None} if include_usage else {})}

        self._sse(chunk({"role": "assistant", "content": ""}))
        for piece in _pieces(step.content or "", step.chunk_chars):
            self._sse(chunk({"content": piece}))
        for index, (call_id, call) in enumerate(zip(self._tool_call_ids(step), step.tool_calls, strict=True)):
            start = {
                "index": index,
                "id": call_id,
                "type": "function",
                "function": {"name": call.name, "arguments": ""},
            }
            self._sse(chunk({"tool_calls": [start]}))
            for piece in _pieces(call.arguments, step.chunk_chars):
                self._sse(chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]}))
        self._sse(chunk({}, self._finish(step)))
        if include_usage:
            self._sse({**base, "choices": [], "usage": self._usage(body, step)})
        self._write(b"data: [DONE]\n\n")

    # Plumbing

    def _record(self, body: Any) -> None:
        self.server_state._record(
            RecordedRequest(
                self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.monotonic()
            )
        )

    def _authorized(self) -> bool:
        key = self.server_state.api_key
        if key is None or self.headers.get("Authorization") == f"Bearer {key}":
            return True
        self._send_error(HTTPError(401, "Incorrect API key provided (scripted)"))
        return False

    def _send_error(self, error: HTTPError) -> None:
        kind = {401: "invalid_request_error", 429: "rate_limit_error"}.get(error.status, "server_error")
        payload = {"error": {"message": error.message, "type": kind, "param": None, "code": None}}
        self._send_json(error.status, payload, error.headers)

    def _send_json(self, status: int, payload: Any, headers: Sequence[tuple[str, str]] = ()) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        # One request per connection: no idle keep-alive sockets outlive a test.
        self.send_header("Connection", "close")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.close_connection = True
        self._write(data)

    def _sse(self, payload: dict[str, Any]) -> None:
        self._write(f"data: {json.dumps(payload)}\n\n".encode())

    def _write(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()


def _pieces(value: str, size: int) -> Iterator[str]:
    for start in range(0, len(value), max(size, 1)):
        yield value[start : start + size]


@pytest.fixture(name="openai_server")
def openai_server_fixture() -> Iterator[ScriptedOpenAIServer]:
    """Fixture `openai_server`: a started server with an empty script; add steps with `openai_server.add(...)`.

    A test module enables it with `from tests.fakes.openai_server import openai_server_fixture  # noqa: F401`
    (named apart so the test's `openai_server` parameter does not shadow an import).
    """
    with ScriptedOpenAIServer() as server:
        yield server
