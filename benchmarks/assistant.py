"""Non-LLM overhead of a chat turn: routing, retrieval, records, drafting and prompt assembly.

Two backends are timed on two portfolios:

* `offline`: the whole turn (intent routing, tools, grounded composer) — it has no model, so every millisecond
  is overhead;
* `agent + instant model`: the LangChain agent with a scripted model that answers in zero time (one tool call,
  then a reply), so the number is what the openai backend adds around the model's own latency.

Portfolios: the demo (6 accounts, ~200 notes) and a synthetic one (1,000 accounts / 100,000 notes loaded with the
records benchmark's bulk loader, timed as one SAM leader with 50 accounts). The embedding model is the real
default (all-MiniLM-L6-v2); to keep set-up short only the timed leader's notes are embedded for the synthetic index.

    .venv/bin/python -m benchmarks.assistant [--turns 28]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from assistant.migrate import upgrade_database
from assistant.records.actor import Actor
from assistant.records.demo.loader import load_demo
from assistant.records.enums import Channel
from assistant.runtime import Runtime, build_runtime
from assistant.settings import Settings
from assistant.testing import ScriptedChatModel, calls_tool, reply

TODAY = date(2026, 1, 15)
GOAL_P95_MS = 100.0


def _settings(root: Path) -> Settings:
    return Settings(data_dir=root, database_url=f"sqlite:///{root / 'samcoach.db'}", chroma_path=root / "chroma")


def _time_turns(runtime: Runtime, actor: Actor, messages: Sequence[str], turns: int) -> list[float]:
    assistant = runtime.assistant
    assistant.clock = lambda: TODAY
    for message in messages:  # warm caches (router example embeddings, lexical index)
        list(assistant.answer(actor, [], message))
    samples = []
    for i in range(turns):
        message = messages[i % len(messages)]
        started = time.perf_counter()
        list(assistant.answer(actor, [], message))
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _scripted_turns(
    runtime_factory: Callable[[ScriptedChatModel], Runtime], actor_email: str, account: str, turns: int
) -> list[float]:
    script = []
    for _ in range(turns + 1):
        script += [calls_tool("get_account_overview", account=account), reply("Done.")]
    model = ScriptedChatModel(script)
    runtime = runtime_factory(model)
    actor = runtime.records.users.actor(email=actor_email, channel=Channel.API)
    return _time_turns(runtime, actor, [f"How is {account} doing?"], turns)[:turns]


def _demo(root: Path, turns: int) -> dict[str, list[float]]:
    settings = _settings(root)
    runtime = build_runtime(settings)
    load_demo(runtime.records, today=TODAY)
    runtime.retrieval.sync_curriculum()
    runtime.retrieval.rebuild_notes(runtime.records.notes.all_for_reindex())
    dana = runtime.records.users.actor(email="dana@beacon.example", channel=Channel.API)
    messages = [
        "What should go into a partnership charter?",
        "How is Acme doing?",
        "Who is our sponsor at Solara?",
        "What did we discuss about pricing at Riverbend?",
        "Prepare me for my meeting with Helen at Acme",
        "Show Northgate's metrics",
        "What are the early warnings on Quantis?",
    ]
    results = {"demo · offline": _time_turns(runtime, dana, messages, turns)}
    results["demo · agent + instant model"] = _scripted_turns(
        lambda model: build_runtime(settings, chat_model=model), "dana@beacon.example", "Acme", turns
    )
    return results


def _synthetic(root: Path, turns: int, accounts: int, notes: int) -> dict[str, list[float]]:
    from benchmarks import records as bench

    settings = _settings(root)
    runtime = build_runtime(settings, migrate=False)
    upgrade_database(runtime.engine)
    started = time.perf_counter()
    loaded = bench.load_portfolio(runtime.engine, runtime.records, random.Random(7), accounts=accounts, notes=notes)
    print(f"synthetic portfolio loaded in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    owner = loaded.accounts[0][2]
    actor = loaded.actors[owner].via(Channel.API)
    mine = [name for _, name, owner_id in loaded.accounts if owner_id == owner]
    visible = set(runtime.records.accounts.visible_ids(actor=actor))
    runtime.retrieval.sync_curriculum()
    runtime.retrieval.rebuild_notes([n for n in runtime.records.notes.all_for_reindex() if n.account_id in visible])
    email = runtime.records.users.get(user_id=owner).email
    messages = [
        "What should go into a partnership charter?",
        f"How is {mine[3]} doing?",
        f"Who are the stakeholders at {mine[7]}?",
        f"What did we discuss about pricing at {mine[11]}?",
        f"Prepare me for my meeting at {mine[5]}",
        f"Show the metrics of {mine[9]}",
    ]
    label = f"synthetic {accounts} accounts / {notes} notes ({len(mine)} in the leader's portfolio)"
    results = {f"{label} · offline": _time_turns(runtime, actor, messages, turns)}
    results[f"{label} · agent + instant model"] = _scripted_turns(
        lambda model: build_runtime(settings, chat_model=model, migrate=False), email, mine[3], turns
    )
    return results


def _percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=28)
    parser.add_argument("--accounts", type=int, default=1_000)
    parser.add_argument("--notes", type=int, default=100_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as demo_dir, tempfile.TemporaryDirectory() as synthetic_dir:
        results = _demo(Path(demo_dir), args.turns)
        results |= _synthetic(Path(synthetic_dir), args.turns, args.accounts, args.notes)
    print(f"\n{'scenario':<95} {'turns':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  goal p95 < {GOAL_P95_MS:.0f}")
    for name, samples in results.items():
        p95 = _percentile(samples, 95)
        verdict = "ok" if p95 < GOAL_P95_MS else "MISSED"
        print(
            f"{name:<95} {len(samples):>5} {statistics.median(samples):>8.1f} {p95:>8.1f} {max(samples):>8.1f}  "
            f"{verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
