"""Partnership charters: versions, diffs, drafts, proposing to the signatories and their approvals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import MAX_ID, AccountId, CurrentUser, RecordsDep
from api.errors import problems
from api.examples import CharterApprovalBody, CharterBody
from assistant.records.errors import NotFound
from assistant.records.schemas import CharterDiff, CharterOut

router = APIRouter(prefix="/v1/accounts/{account_id}/charters", tags=["charters"], responses=problems(401, 404, 422))

Version = Annotated[int, Query(ge=1, le=MAX_ID)]


@router.get("", response_model=list[CharterOut])
def list_charter_versions(records: RecordsDep, actor: CurrentUser, account_id: AccountId) -> list[CharterOut]:
    """Every version, oldest first: signed, superseded, proposed and the open draft."""
    return records.charters.list_versions(actor=actor, account_id=account_id)


@router.get("/current", response_model=CharterOut)
def get_current_charter(records: RecordsDep, actor: CurrentUser, account_id: AccountId) -> CharterOut:
    """The signed charter in force (404 when none is signed yet)."""
    current = records.charters.current(actor=actor, account_id=account_id)
    if current is None:
        raise NotFound("signed charter of account", account_id)
    return current


@router.get("/diff", response_model=CharterDiff)
def diff_charter_versions(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, from_version: Version, to_version: Version
) -> CharterDiff:
    """Clause-by-clause changes between two versions."""
    return records.charters.diff(actor=actor, account_id=account_id, from_version=from_version, to_version=to_version)


@router.get("/{version}", response_model=CharterOut)
def get_charter_version(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, version: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> CharterOut:
    return records.charters.get_version(actor=actor, account_id=account_id, version=version)


@router.post("", status_code=201, response_model=CharterOut, responses=problems(409))
def create_charter_draft(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, data: CharterBody
) -> CharterOut:
    """Start the next version as a draft (signatories carry over from the signed charter unless given)."""
    return records.charters.create_draft(actor=actor, account_id=account_id, data=data)


@router.put("/{version}", response_model=CharterOut, responses=problems(409))
def update_charter_draft(
    records: RecordsDep,
    actor: CurrentUser,
    account_id: AccountId,
    version: Annotated[int, Path(ge=1, le=MAX_ID)],
    data: CharterBody,
) -> CharterOut:
    """Replace the content of a draft; proposed and signed versions cannot be edited (409)."""
    return records.charters.update_draft(actor=actor, account_id=account_id, version=version, data=data)


@router.post("/{version}/propose", response_model=CharterOut, responses=problems(409))
def propose_charter(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, version: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> CharterOut:
    """Send the draft to its signatories; its content is frozen from here on."""
    return records.charters.propose(actor=actor, account_id=account_id, version=version)


@router.post("/{version}/approvals", response_model=CharterOut, responses=problems(409))
def approve_charter(
    records: RecordsDep,
    actor: CurrentUser,
    account_id: AccountId,
    version: Annotated[int, Path(ge=1, le=MAX_ID)],
    data: CharterApprovalBody,
) -> CharterOut:
    """Record one signatory's approval; the last one signs the version and supersedes the previous charter."""
    return records.charters.approve(
        actor=actor,
        account_id=account_id,
        version=version,
        signatory_id=data.signatory_id,
        approved_on=data.approved_on,
    )
