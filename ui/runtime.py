"""Where the UI gets its `Runtime` and the signed-in actor, and the first index build with visible progress.

`current_runtime()` returns `st.session_state["runtime"]` when a test put one there, else the one runtime of
this process, built from settings on first use and shared by every browser session (`st.cache_resource`).
That is the only seam tests need: no page knows whether it runs under `AppTest` or a real server.
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING, cast

import streamlit as st

from assistant.records.enums import Channel
from assistant.records.errors import NotFound

if TYPE_CHECKING:
    from collections.abc import Callable

    from assistant.records.actor import Actor
    from assistant.runtime import Runtime

RUNTIME_KEY = "runtime"


@st.cache_resource(show_spinner="Opening the SAM Coach database…")
def _shared_runtime() -> Runtime:
    from assistant.runtime import build_runtime
    from assistant.settings import get_settings

    return build_runtime(get_settings())


def current_runtime() -> Runtime:
    injected = st.session_state.get(RUNTIME_KEY)
    if injected is not None:
        return cast("Runtime", injected)
    return _shared_runtime()


class UnknownUser(Exception):
    """The configured user is not in the database (the demo was never loaded, or a typo in the e-mail)."""


def current_actor(runtime: Runtime) -> Actor:
    email = runtime.settings.user_email
    try:
        return runtime.records.users.actor(email=email, channel=Channel.UI)
    except NotFound:
        raise UnknownUser(
            f"No user with e-mail {email} in the database. Load the demo portfolio with `samcoach demo`, "
            "or set SAMCOACH_USER_EMAIL to an existing user (`samcoach users list`)."
        ) from None


class _IndexRegistry:
    """Which runtimes of this process have their search index in step; the lock makes the first build run once
    even when two browser tabs open at the same moment."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ready: weakref.WeakSet[Runtime] = weakref.WeakSet()


@st.cache_resource(show_spinner=False)
def _index_registry() -> _IndexRegistry:
    return _IndexRegistry()


def ensure_index(runtime: Runtime) -> None:
    """Sync the curriculum and the notes index once per runtime, showing progress (the first build with the
    local embedding model takes a while; later starts find nothing to do)."""
    registry = _index_registry()
    if runtime in registry.ready:
        return
    with registry.lock:
        if runtime in registry.ready:
            return
        placeholder = st.empty()
        with placeholder.status("Preparing the knowledge index…", expanded=True) as status:
            bar = st.progress(0.0, text="Curriculum")

            def advance(label: str) -> Callable[[int, int], None]:
                def update(done: int, total: int) -> None:
                    bar.progress(min(done / total, 1.0) if total else 1.0, text=f"{label}: {done} of {total}")

                return update

            retrieval = runtime.retrieval
            report = retrieval.sync_curriculum(progress=advance("Curriculum"))
            skipped = [f"Skipped {source}: {reason}" for source, reason in report.skipped]
            notes = runtime.records.notes.all_for_reindex()
            if retrieval.indexed_notes() != len(notes):
                bar.progress(0.0, text="Account notes")
                retrieval.rebuild_notes(notes, progress=advance("Account notes"))
            status.update(label="Knowledge index ready", state="complete", expanded=False)
        # Once built, the status box has nothing more to say; a skipped lesson file is worth keeping on screen.
        placeholder.empty()
        for message in skipped:
            st.warning(message)
        registry.ready.add(runtime)
