"""Error classes of formsvc, free of Flask: raised, never returned.

Each carries an HTTP status and a stable `code` (and parameters for its message);
`formsvc.http.errors` turns them into problem+json under `/api/` and an HTML page elsewhere.
"""
from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from formsvc.core import i18n


@dataclass(frozen=True)
class Problem:
    """One finding about the input: an error (422) or a warning (accepted)."""

    field: str
    code: str
    params: dict[str, Any] = dataclass_field(default_factory=dict)
    warning: bool = False
    explain: str | None = None  # catalogue key of a more specific message than the code's

    def message(self, lang: str) -> str:
        """The human message in `lang`."""
        return i18n.message(self.explain or self.code, lang, **self.params)

    def to_json(self, lang: str) -> dict[str, Any]:
        """The public shape: field, code and a message in `lang`."""
        return {"field": self.field, "code": self.code, "message": self.message(lang)}


class ServiceError(Exception):
    """Base of formsvc's own errors: an HTTP status, a code and a description."""

    status = 500
    code = "internal_error"

    def __init__(self, description: str = "", *, problems: list[Problem] | None = None,
                 headers: dict[str, str] | None = None, params: dict[str, Any] | None = None,
                 code: str | None = None) -> None:
        if code is not None:
            self.code = code   # a more precise code (and message) than the class's
        super().__init__(description or self.code)
        self.description = description
        self.problems = problems or []
        self.headers = headers or {}
        self.params = params or {}

    def detail(self, lang: str) -> str:
        """The human description in `lang`: the given text, else the catalogue's for the code."""
        return self.description or i18n.message(self.code, lang, **self.params)


class BadRequest(ServiceError):
    """The request itself is malformed (bad JSON, bad query parameter)."""

    status = 400
    code = "bad_request"


class Unauthorized(ServiceError):
    """No credentials, or credentials that are not valid (unknown or revoked token)."""

    status = 401
    code = "unauthorized"


class Forbidden(ServiceError):
    """Valid credentials whose role may not do this."""

    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    """Unknown document type, case or document."""

    status = 404
    code = "not_found"


class Conflict(ServiceError):
    """The case is not at a step that allows this (a document out of procedure order)."""

    status = 409
    code = "step_out_of_order"


class TooLarge(ServiceError):
    """More than a request may ask for (rows of a form)."""

    status = 413
    code = "too_many_rows"


class UnsupportedMediaType(ServiceError):
    """The body is not JSON."""

    status = 415
    code = "unsupported_media_type"


class InvalidInput(ServiceError):
    """The input breaks one or more field or cross-field rules."""

    status = 422
    code = "invalid_document"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems=problems, params={"count": len(problems)})


class Unavailable(ServiceError):
    """A needed backend (the PDF renderer) is saturated or missing."""

    status = 503
    code = "unavailable"


class DefinitionError(Exception):
    """A document definition, template or data file is wrong: the service must not start."""

    def __init__(self, path: object, key: str, message: str) -> None:
        super().__init__(f"{path}: {key}: {message}")
        self.path = str(path)
        self.key = key
