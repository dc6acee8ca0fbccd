"""One error shape for every failure: RFC 9457 problem+json (OpenAI's error object on the OpenAI-compatible paths).

Routes never build error responses: they raise (`NotFound`, `InvalidInput`, `Conflict`, `LLMUnavailable`,
`ApiProblem`) and the handlers here turn each into the same body. A resource outside the caller's portfolio
raises the same `NotFound` as a missing one, so the 404 bodies cannot tell the two apart.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.llm import LLMUnavailable, as_unavailable
from assistant.records.errors import Conflict, InvalidInput, NotFound

log = logging.getLogger("api")

PROBLEM_MEDIA_TYPE = "application/problem+json"
LLM_RETRY_AFTER_S = 30
# Paths that speak OpenAI's wire format, errors included, so OpenAI SDKs raise their usual exceptions.
OPENAI_PATHS = ("/v1/chat/completions", "/v1/models")

_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "content-too-large",
    415: "unsupported-media-type",
    422: "invalid-input",
    429: "rate-limited",
    500: "internal-error",
    503: "llm-unavailable",
}
_OPENAI_TYPES = {
    401: "authentication_error",
    403: "permission_error",
    404: "invalid_request_error",
    429: "rate_limit_error",
    500: "server_error",
    503: "server_error",
}


class FieldProblem(BaseModel):
    field: str = Field(description="dotted path of the offending field, e.g. `zones.0.score` or `limit`")
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(description="a URN naming the kind of problem", examples=["urn:samcoach:problem:not-found"])
    title: str
    status: int
    detail: str
    instance: str = Field(description="the request path")
    errors: list[FieldProblem] | None = Field(default=None, description="per-field errors (422, 409)")


class OpenAIErrorBody(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class OpenAIError(BaseModel):
    error: OpenAIErrorBody


class ApiProblem(StarletteHTTPException):
    """An HTTP-level refusal raised by the API itself (auth, rate limit, upload checks)."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        errors: list[FieldProblem] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(status_code=status, detail=detail, headers=headers)
        self.errors = errors
        self.code = code


def problem_response(
    request: Request | None,
    status: int,
    detail: str,
    *,
    path: str | None = None,
    errors: list[FieldProblem] | None = None,
    headers: Mapping[str, str] | None = None,
    code: str | None = None,
) -> JSONResponse:
    path = path if path is not None else (request.url.path if request is not None else "")
    if path.startswith(OPENAI_PATHS):
        body = OpenAIError(
            error=OpenAIErrorBody(
                message=detail,
                type=_OPENAI_TYPES.get(status, "invalid_request_error"),
                param=errors[0].field if errors else None,
                code=code,
            )
        )
        return JSONResponse(body.model_dump(), status_code=status, headers=headers)
    problem = Problem(
        type=f"urn:samcoach:problem:{_SLUGS.get(status, 'error')}",
        title=_TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        instance=path,
        errors=errors,
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True), status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE
    )


def field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    """`("body", "zones", 0, "score")` → `zones.0.score`; `("query", "limit")` → `limit`; `("body",)` → `body`."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        rest = parts[1:]
        # A JSON syntax error is located by character offset, which names no field.
        if parts[0] == "body" and rest and rest[0].isdigit() and len(rest) == 1:
            rest = []
        return ".".join(rest) or parts[0]
    return ".".join(parts) or "body"


def _validation_errors(exc: RequestValidationError) -> list[FieldProblem]:
    problems = []
    for error in exc.errors():
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        problems.append(FieldProblem(field=field_name(error.get("loc", ())), message=message))
    return problems


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _validation_errors(exc)
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors[:5]) or "the request is not valid"
    return problem_response(request, 422, detail, errors=errors)


async def _on_invalid_input(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InvalidInput)
    errors = [FieldProblem(field=e.field, message=e.message) for e in exc.errors]
    return problem_response(request, 422, str(exc), errors=errors)


async def _on_conflict(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Conflict)
    message = str(exc).removeprefix(f"{exc.field}: ")
    return problem_response(request, 409, str(exc), errors=[FieldProblem(field=exc.field, message=message)])


async def _on_not_found(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NotFound)
    return problem_response(request, 404, str(exc), code="model_not_found" if exc.entity == "model" else None)


def _unavailable(request: Request, exc: LLMUnavailable) -> JSONResponse:
    log.warning("LLM backend unavailable on %s: %s", request.url.path, exc)
    return problem_response(
        request,
        503,
        f"The language model backend is unavailable; try again shortly. {exc}",
        headers={"Retry-After": str(LLM_RETRY_AFTER_S)},
    )


async def _on_unavailable(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LLMUnavailable)
    return _unavailable(request, exc)


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    errors = exc.errors if isinstance(exc, ApiProblem) else None
    code = exc.code if isinstance(exc, ApiProblem) else None
    detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "Error")
    if exc.status_code == 404 and not isinstance(exc, ApiProblem):
        detail = f"no route {request.method} {request.url.path}"
    return problem_response(request, exc.status_code, detail, errors=errors, headers=exc.headers, code=code)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    unavailable = as_unavailable(exc)
    if unavailable is not None:
        return _unavailable(request, unavailable)
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(request, 500, "An unexpected error occurred; it has been logged.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(InvalidInput, _on_invalid_input)
    app.add_exception_handler(Conflict, _on_conflict)
    app.add_exception_handler(NotFound, _on_not_found)
    app.add_exception_handler(LLMUnavailable, _on_unavailable)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the given error statuses, all documented as problem+json."""
    schema = {"$ref": "#/components/schemas/Problem"}
    return {
        status: {
            "description": _TITLES.get(status, "Error"),
            "model": Problem,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}},
        }
        for status in statuses
    }


def openai_errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"description": _TITLES.get(status, "Error"), "model": OpenAIError} for status in statuses}
