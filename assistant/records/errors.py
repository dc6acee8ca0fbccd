"""Errors a user can cause. Each names what was wrong so every surface can say it plainly."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError


class RecordsError(Exception):
    """Base of every error the records layer raises on purpose."""


class NotFound(RecordsError):
    """Missing *or outside the caller's portfolio*: the two are indistinguishable on purpose."""

    def __init__(self, entity: str, key: object) -> None:
        self.entity = entity
        self.key = key
        super().__init__(f"{entity} {key!r} not found")


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidInput(RecordsError):
    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))

    @classmethod
    def field(cls, field: str, message: str) -> InvalidInput:
        return cls([FieldError(field, message)])

    @classmethod
    def from_validation(cls, exc: ValidationError) -> InvalidInput:
        errors = []
        for err in exc.errors(include_url=False):
            field = ".".join(str(part) for part in err["loc"]) or "body"
            message = str(err["msg"]).removeprefix("Value error, ")
            errors.append(FieldError(field, message))
        return cls(errors)


class Conflict(RecordsError):
    """The change clashes with what is stored (a duplicate name, an approval out of turn)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")
