"""Field types shared by the records schemas: every bound a user can break is declared once, here."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Rating = Annotated[int, Field(ge=1, le=5, description="1 (low) to 5 (high)")]
# Ids a caller refers to, bounded to what an INTEGER key holds: out-of-range numbers are a field error, not a
# database overflow.
RecordRef = Annotated[int, Field(ge=1, le=2_147_483_647, description="the id of a record")]
Money = Annotated[float, Field(ge=0, le=1e13, description="amount in the account's currency")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]


class InModel(BaseModel):
    """Input models refuse unknown fields so a typo is an error, not a silently ignored value."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OutModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)
