"""Fixtures for the knowledge package: hash embeddings, per-test collection prefixes, a real chroma server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from chromadb.api import ClientAPI
from chromadb.api.types import Documents, EmbeddingFunction

from knowledge.embeddings import build_embedding_function
from knowledge.store import KnowledgeStore, build_chroma_client

SERVER_START_TIMEOUT = 60.0


def _chroma_executable() -> str | None:
    beside_python = Path(sys.executable).parent / "chroma"
    if beside_python.exists():
        return str(beside_python)
    return shutil.which("chroma")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real ``chroma run`` server on a free loopback port, for the whole session.

    ``SAMCOACH_TEST_CHROMA_HOST`` (``host`` or ``host:port``) points the tests at a server already running.
    """
    external = os.environ.get("SAMCOACH_TEST_CHROMA_HOST")
    if external:
        host, _, port_text = external.partition(":")
        yield host, int(port_text or 8000)
        return
    executable = _chroma_executable()
    if executable is None:
        pytest.skip("the `chroma` executable is not installed (pip install chromadb puts it beside python)")
    data = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    log = (data / "server.log").open("wb")
    process = subprocess.Popen(
        [executable, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        client = _wait_for_heartbeat(process, port, data / "server.log")
        del client
        yield "127.0.0.1", port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def _wait_for_heartbeat(process: subprocess.Popen[bytes], port: int, log: Path) -> ClientAPI:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chroma server exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            client = build_chroma_client(host="127.0.0.1", port=port)
            client.heartbeat()
            return client
        except Exception as error:  # the server is not up yet; any connection error means "wait"
            last_error = error
            time.sleep(0.2)
    raise RuntimeError(f"chroma server did not answer its heartbeat within {SERVER_START_TIMEOUT}s: {last_error}")


@pytest.fixture(scope="session")
def hash_ef() -> EmbeddingFunction[Documents]:
    return build_embedding_function("hash")


@pytest.fixture
def prefix() -> str:
    return f"t{uuid.uuid4().hex[:12]}"


@pytest.fixture
def store(hash_ef: EmbeddingFunction[Documents], prefix: str) -> Iterator[KnowledgeStore]:
    """A store on the embedded in-memory client, isolated by a unique collection prefix."""
    knowledge_store = KnowledgeStore(build_chroma_client(), hash_ef, prefix=prefix)
    yield knowledge_store
    knowledge_store.reset()


@pytest.fixture(
    params=["embedded", pytest.param("server", marks=pytest.mark.chroma_server)],
)
def any_store(
    request: pytest.FixtureRequest, hash_ef: EmbeddingFunction[Documents], prefix: str
) -> Iterator[KnowledgeStore]:
    """The same store on the embedded client and on a real chroma server over HTTP."""
    if request.param == "server":
        host, port = request.getfixturevalue("chroma_server")
        client = build_chroma_client(host=host, port=port)
    else:
        client = build_chroma_client()
    knowledge_store = KnowledgeStore(client, hash_ef, prefix=prefix)
    yield knowledge_store
    knowledge_store.reset()


def write_pdf(path: Path, pages: Sequence[str]) -> Path:
    """A minimal valid PDF with one line of Helvetica text per page, built by hand (no PDF writer needed)."""
    font = 3 + 2 * len(pages)
    kids = " ".join(f"{3 + 2 * number} 0 R" for number in range(len(pages)))
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>"]
    for number, text in enumerate(pages):
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * number} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>"
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    data = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(data)
    data += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    data += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    data += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(data)
    return path


def write_docx(path: Path, title: str, outline: Sequence[tuple[int, str, str]]) -> Path:
    """A DOCX with a Title paragraph and (heading level, heading, paragraph) entries."""
    import docx

    document = docx.Document()
    document.add_heading(title, 0)
    for level, heading, text in outline:
        document.add_heading(heading, level)
        document.add_paragraph(text)
    document.save(str(path))
    return path


@pytest.fixture
def pdf_writer() -> Callable[[Path, Sequence[str]], Path]:
    return write_pdf


@pytest.fixture
def docx_writer() -> Callable[[Path, str, Sequence[tuple[int, str, str]]], Path]:
    return write_docx
