"""Request size limits and per-key rate limiting.

The size limit is a pure ASGI middleware: a declared Content-Length over the limit is refused before a byte of
the body is read, and a body without one (chunked) is counted as it streams and refused once it passes the
limit. Uploads get their own, larger limit.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Collection

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ApiProblem, problem_response


class BodyTooLarge(ApiProblem):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than the limit of {limit} bytes")


class BodySizeLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int, upload_max_bytes: int, upload_paths: Collection[str]) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_max_bytes = upload_max_bytes
        self.upload_paths = frozenset(upload_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_max_bytes if scope["path"] in self.upload_paths else self.max_bytes
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            response = problem_response(None, 413, BodyTooLarge(limit).detail, path=scope["path"])
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # An HTTPException, so FastAPI's body parsing re-raises it instead of answering 400.
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counting_receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class RateLimiter:
    """A sliding one-minute window per API key, in memory (one process; the limit is per key, not global)."""

    WINDOW_S = 60.0

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, token: str) -> None:
        """Count one call for `token`; raise a 429 `ApiProblem` with Retry-After when over the limit."""
        key = hashlib.sha256(token.encode()).hexdigest()[:24]
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.WINDOW_S:
                hits.popleft()
            if len(hits) >= self.per_minute:
                wait = max(1, math.ceil(hits[0] + self.WINDOW_S - now))
                raise ApiProblem(
                    429,
                    f"rate limit of {self.per_minute} chat and draft calls per minute reached; retry in {wait}s",
                    headers={"Retry-After": str(wait)},
                    code="rate_limit_exceeded",
                )
            hits.append(now)
