"""HTTP overhead of the API under a bounded local load, as a ratio to a bare FastAPI endpoint in the same run.

Three servers' endpoints are timed, each served by its own uvicorn process on 127.0.0.1 (one worker):

* `GET /v1/accounts/{id}`: authentication (a key lookup), portfolio scoping and one account read;
* `GET /v1/knowledge/search?q=...`: the same plus hybrid retrieval (query embedding, BM25, vector search);
* `GET /bare`: a FastAPI app with one route returning a constant JSON, the floor for this machine.

The API runs offline on the demo portfolio (SQLite and chroma in a temporary folder). The load is a fixed number
of requests from a small thread pool of keep-alive httpx clients, after a warm-up; the client shares the CPU with
the server, so compare the ratios rather than the absolute numbers across machines.

    .venv/bin/python -m benchmarks.api [--requests 2000] [--concurrency 8] [--embedding local|hash]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx

HOST = "127.0.0.1"
TODAY = date(2026, 1, 15)
SEARCH_QUERY = "how do I find an executive sponsor"
REPO = Path(__file__).resolve().parents[1]


def make_bare_app() -> object:
    from fastapi import FastAPI

    bare = FastAPI()

    @bare.get("/bare")
    async def constant() -> dict[str, str]:
        return {"status": "ok"}

    return bare


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def prepare(root: Path, embedding: str) -> tuple[str, int]:
    """Demo data, the index and an API key for Dana; returns (key, an account id of hers)."""
    from assistant.records.demo.loader import load_demo
    from assistant.records.enums import Channel
    from assistant.runtime import build_runtime
    from assistant.settings import EmbeddingSettings, LLMSettings, Settings

    settings = Settings(
        data_dir=root,
        database_url=None,
        chroma_path=None,
        chroma_host=None,
        llm=LLMSettings(provider="offline"),
        embedding=EmbeddingSettings(provider=embedding),
    )
    runtime = build_runtime(settings)
    records = runtime.records
    load_demo(records, today=TODAY)
    runtime.retrieval.sync_curriculum()
    runtime.retrieval.rebuild_notes(records.notes.all_for_reindex())
    dana = records.users.get_by_email(email="dana@beacon.example")
    key = records.keys.create(user_id=dana.id, name="benchmark").secret
    account = records.accounts.list(actor=records.users.actor(email=dana.email, channel=Channel.CLI))[0].id
    runtime.close()
    return key, account


def start(args: list[str], env: dict[str, str], port: int, ready_path: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", *args, "--host", HOST, "--port", str(port)]
    command += ["--log-level", "warning", "--no-access-log"]
    process = subprocess.Popen(command, env=env, cwd=env["SAMCOACH_DATA_DIR"])
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {' '.join(command)}")
        try:
            if httpx.get(f"http://{HOST}:{port}{ready_path}").is_success:
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start in time")


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float]
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def load(name: str, url: str, headers: dict[str, str], requests: int, concurrency: int) -> Result:
    local = threading.local()

    def client() -> httpx.Client:
        if not hasattr(local, "client"):
            local.client = httpx.Client(headers=headers, timeout=30)
        return local.client  # type: ignore[no-any-return]

    def one(_: int) -> tuple[float, bool]:
        started = time.perf_counter()
        response = client().get(url)
        return (time.perf_counter() - started) * 1000, response.status_code == 200

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(min(200, requests))))  # warm-up: connections, caches, lazy imports
        started = time.perf_counter()
        samples = list(pool.map(one, range(requests)))
        seconds = time.perf_counter() - started
    return Result(name, requests, seconds, [ms for ms, _ in samples], sum(1 for _, ok in samples if not ok))


def main(argv: list[str] | None = None) -> int:
    # Run as a script, this folder comes first on sys.path, and its assistant.py and api.py would shadow the
    # packages of the same names.
    here = Path(__file__).resolve().parent
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--embedding", choices=("local", "hash"), default="local")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="samcoach-api-bench-") as folder:
        root = Path(folder)
        print(f"Preparing the demo portfolio and index ({args.embedding} embedding)…", flush=True)
        key, account = prepare(root, args.embedding)
        # The servers see only these settings: no SAMCOACH_* variable of the caller's, and no .env (cwd is the
        # temporary folder).
        env = {
            **{name: value for name, value in os.environ.items() if not name.startswith("SAMCOACH_")},
            "SAMCOACH_DATA_DIR": str(root),
            "SAMCOACH_EMBEDDING__PROVIDER": args.embedding,
            "SAMCOACH_LLM__PROVIDER": "offline",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",
        }
        api_port, bare_port = _free_port(), _free_port()
        servers = [
            start(["api.main:create_app", "--factory"], env, api_port, "/readyz"),
            start(["benchmarks.api:make_bare_app", "--factory", "--app-dir", str(REPO)], env, bare_port, "/bare"),
        ]
        try:
            auth = {"Authorization": f"Bearer {key}"}
            runs: list[tuple[str, str, dict[str, str]]] = [
                ("bare FastAPI GET /bare", f"http://{HOST}:{bare_port}/bare", {}),
                (f"GET /v1/accounts/{account}", f"http://{HOST}:{api_port}/v1/accounts/{account}", auth),
                (
                    "GET /v1/knowledge/search",
                    f"http://{HOST}:{api_port}/v1/knowledge/search?q={SEARCH_QUERY.replace(' ', '+')}&k=5",
                    auth,
                ),
            ]
            results = [load(name, url, headers, args.requests, args.concurrency) for name, url, headers in runs]
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
    report(results, args.concurrency)
    return 1 if any(r.errors for r in results) else 0


def report(results: list[Result], concurrency: int) -> None:
    base = results[0]
    print(f"\n{results[0].requests} requests per endpoint, {concurrency} concurrent keep-alive clients, loopback\n")
    print(
        f"{'endpoint':<34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'rps ratio':>10} {'p50 ratio':>10} {'errors':>7}"
    )
    for r in results:
        print(
            f"{r.name:<34} {r.rps:8.0f} {r.percentile(50):8.2f} {r.percentile(95):8.2f} "
            f"{base.rps / r.rps:9.1f}x {r.percentile(50) / base.percentile(50):9.1f}x {r.errors:7d}"
        )
    print(f"\n(mean latency of the bare endpoint: {statistics.fmean(base.latencies_ms):.2f} ms)")


if __name__ == "__main__":
    raise SystemExit(main())
