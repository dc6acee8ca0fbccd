from __future__ import annotations

from assistant.records.enums import Role
from assistant.records.schemas.common import Email, InModel, Name, OutModel, RecordRef


class UserIn(InModel):
    name: Name
    email: Email
    role: Role = Role.SAM_LEADER
    manager_id: RecordRef | None = None


class UserOut(OutModel):
    id: int
    name: str
    email: str
    role: Role
    manager_id: int | None
    auto_approve: list[str]
