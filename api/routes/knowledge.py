"""Knowledge: search the curriculum, your documents and your accounts' notes; upload documents to ingest."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile

from api.deps import MAX_ID, AssistantDep, CurrentUser, SettingsDep
from api.errors import problems
from api.schemas import DocumentOut
from api.uploads import save_upload, upload_name
from assistant.citations import Citation
from assistant.records.errors import InvalidInput

router = APIRouter(prefix="/v1/knowledge", tags=["knowledge"], responses=problems(401, 422))

UPLOAD_PATH = "/v1/knowledge/documents"


@router.get("/search", response_model=list[Citation], responses=problems(404))
def search_knowledge(
    assistant: AssistantDep,
    actor: CurrentUser,
    q: Annotated[str, Query(min_length=1, max_length=500, pattern=r"\S", description="what to look for")],
    k: Annotated[int, Query(ge=1, le=50, description="how many passages")] = 5,
    account_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="only this account's notes")] = None,
    include_notes: bool = True,
) -> list[Citation]:
    """Curriculum and documents for everyone; notes only of the accounts in your portfolio."""
    return assistant.search(actor, q, k=k, account_id=account_id, include_notes=include_notes)


@router.post("/documents", status_code=201, response_model=DocumentOut, responses=problems(413, 415))
def upload_document(
    assistant: AssistantDep,
    actor: CurrentUser,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="a PDF, DOCX, Markdown or text file")],
) -> DocumentOut:
    """Ingest a document into the knowledge base (searchable by everyone). A file that cannot be read is a 422
    naming it and why; nothing of it is kept."""
    name = upload_name(file.filename)
    folder = settings.data_dir / "uploads" / str(actor.user_id)
    saved = save_upload(file.file, folder, name, limit=settings.api.max_upload_bytes)
    try:
        report = assistant.ingest([folder])
    except BaseException:
        saved.discard()
        raise
    source = f"{folder.name}/{name}"
    reason = dict(report.skipped).get(source)
    if reason is not None:
        saved.discard()
        raise InvalidInput.field("file", f"{name}: {reason}")
    saved.keep()
    status = "added" if source in report.added else "updated" if source in report.updated else "unchanged"
    return DocumentOut(source=source, status=status, chunks_written=report.chunks_written)
