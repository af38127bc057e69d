"""Error classes and the one handler that turns them into responses.

Errors are raised, never returned. Each carries an HTTP status and a stable `code`;
under `/api/` they become `application/problem+json`, elsewhere an HTML page.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from flask import Flask, Response, json, render_template_string, request
from werkzeug.exceptions import HTTPException

from formsvc import i18n


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
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(description or self.code)
        self.description = description
        self.problems = problems or []
        self.headers = headers or {}


class BadRequest(ServiceError):
    """The request itself is malformed (bad JSON, bad query parameter)."""

    status = 400
    code = "bad_request"


class NotFound(ServiceError):
    """Unknown document type (or, later, case)."""

    status = 404
    code = "not_found"


class UnsupportedMediaType(ServiceError):
    """The body is not JSON."""

    status = 415
    code = "unsupported_media_type"


class InvalidInput(ServiceError):
    """The input breaks one or more field or cross-field rules."""

    status = 422
    code = "invalid"


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


_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
           405: "Method Not Allowed", 413: "Content Too Large", 415: "Unsupported Media Type",
           422: "Unprocessable Entity", 500: "Internal Server Error",
           501: "Not Implemented", 503: "Service Unavailable"}

_HTML = """<!doctype html><html lang="{{ lang }}"><meta charset="utf-8">
<title>{{ status }} {{ title }}</title><h1>{{ status }} {{ title }}</h1><p>{{ detail }}</p></html>"""


def problem_response(status: int, detail: str, lang: str, problems: Sequence[Problem] = (),
                     headers: dict[str, str] | None = None) -> Response:
    """Build an RFC 9457 problem+json response."""
    body: dict[str, Any] = {"type": "about:blank", "title": _TITLES.get(status, "Error"),
                            "status": status, "detail": detail}
    if problems:
        body["errors"] = [p.to_json(lang) for p in problems]
    resp = Response(json.dumps(body, ensure_ascii=False), status=status,
                    mimetype="application/problem+json")
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _handle(status: int, detail: str, problems: list[Problem],
            headers: dict[str, str]) -> Response:
    lang = i18n.request_language()
    if _wants_json():
        return problem_response(status, detail, lang, problems, headers)
    html = render_template_string(_HTML, lang=lang, status=status,
                                  title=_TITLES.get(status, "Error"), detail=detail)
    resp = Response(html, status=status, mimetype="text/html")
    resp.headers.update(headers)
    return resp


def init_app(app: Flask) -> None:
    """Register the handlers that turn every error into problem+json under /api/."""

    @app.errorhandler(ServiceError)
    def _service_error(exc: ServiceError) -> Response:
        lang = i18n.request_language()
        detail = exc.description or i18n.message(exc.code, lang)
        return _handle(exc.status, detail, exc.problems, exc.headers)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        headers = dict(exc.get_headers()) if exc.code == 405 else {}
        headers.pop("Content-Type", None)
        return _handle(exc.code or 500, exc.description or "", [], headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        if isinstance(exc, HTTPException):  # pragma: no cover - routed above
            return _http_error(exc)
        app.logger.exception("unhandled error")
        return _handle(500, "internal error", [], {})
