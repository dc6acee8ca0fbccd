"""Run a blocking iterator (a chat turn) in one worker thread and read its items from the event loop.

Why not `iterate_in_threadpool`: it runs each `next()` in a fresh copy of the context, and a chat turn sets a
context variable (`refuse_writes`) in one step and resets it in a later one, which fails across contexts.
Here the whole iteration runs in one thread with one context. The turn also runs to completion when the
client goes away, so a half-streamed answer is still saved with its conversation.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, TypeVar

log = logging.getLogger("api")

T = TypeVar("T")
_ITEM, _ERROR, _END = "item", "error", "end"


async def iterate_in_thread(produce: Callable[[], Iterator[T]], *, name: str = "api-stream") -> AsyncIterator[T]:
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

    def put(kind: str, value: Any) -> None:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, (kind, value))
        except RuntimeError:
            pass  # the loop is gone (server shutting down); the turn still finishes and is saved

    def work() -> None:
        try:
            for item in produce():
                put(_ITEM, item)
        except BaseException as exc:
            put(_ERROR, exc)
        else:
            put(_END, None)

    context = contextvars.copy_context()
    threading.Thread(target=context.run, args=(work,), name=name, daemon=True).start()
    while True:
        kind, value = await queue.get()
        if kind == _END:
            return
        if kind == _ERROR:
            raise value
        yield value


async def prime(items: AsyncIterator[T]) -> AsyncIterator[T]:
    """Fetch the first item now, so an error before anything was produced (an unknown conversation, say)
    raises here and becomes a normal error response instead of a broken stream."""
    try:
        first = await anext(items)
    except StopAsyncIteration:
        return _empty()
    return _chain(first, items)


async def _empty() -> AsyncIterator[Any]:
    return
    yield


async def _chain(first: T, rest: AsyncIterator[T]) -> AsyncIterator[T]:
    yield first
    async for item in rest:
        yield item
