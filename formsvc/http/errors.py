"""The one handler that turns every error into a response.

Under `/api/` an error becomes `application/problem+json` (RFC 9457) with `errors[]`;
elsewhere a short HTML page. Messages follow the request's language.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Flask, Response, current_app, json, render_template, render_template_string, request, url_for
from flask_login import current_user
from sqlalchemy.exc import InternalError, OperationalError
from werkzeug.exceptions import HTTPException

from formsvc.core.errors import Problem, ServiceError
from formsvc.core.i18n import message
from formsvc.http.language import request_language

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


def _respond(status: int, detail: str, problems: list[Problem], headers: dict[str, str]) -> Response:
    lang = request_language()
    if request.path.startswith("/api/"):
        return problem_response(status, detail, lang, problems, headers)
    try:
        html = _page(status, detail, lang)
    except Exception:  # noqa: BLE001 - an error page must answer even when the page around it fails
        html = render_template_string(_HTML, lang=lang, status=status,
                                      title=_TITLES.get(status, "Error"), detail=detail)
    resp = Response(html, status=status, mimetype="text/html")
    resp.headers.update(headers)
    return resp


def _page(status: int, detail: str, lang: str) -> str:
    """The error as a page of the site in the person's language: its header, language switch and,
    for a signed-in person on the clerk pages, their navigation; 403 and 404 in words of ours."""
    context: dict[str, Any] = {"title": f"{status} {_TITLES.get(status, 'Error')}", "text": detail,
                               "back_url": url_for("web.index", lang=lang), "back_text": message("back_to_forms", lang)}
    if status in (403, 404):
        context.update(title=message(f"error_{status}_title", lang), text=message(f"error_{status}_text", lang))
    if request.path.startswith("/clerk/"):
        context.update(back_url=url_for("clerk.dashboard", lang=lang), back_text=message("back_to_dashboard", lang))
        chrome = current_app.extensions.get("formsvc.page_chrome")   # set by the clerk pages
        if status < 500 and current_user.is_authenticated and chrome is not None:
            context.update(chrome())
    return render_template("error.html", status=status, **context)   # lang, t(): the pages' context processor


def init_app(app: Flask) -> None:
    """Register the handlers that turn every error into problem+json under /api/."""

    @app.errorhandler(ServiceError)
    def _service_error(exc: ServiceError) -> Response:
        return _respond(exc.status, exc.detail(request_language()), exc.problems, exc.headers)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        headers = dict(exc.get_headers()) if exc.code == 405 else {}
        headers.pop("Content-Type", None)
        return _respond(exc.code or 500, exc.description or "", [], headers)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InternalError)
    def _database_down(exc: Exception) -> Response:
        # down, locked, read-only, deleted: the client may retry; nothing was written
        app.logger.error("database unavailable: %s", type(exc.__cause__ or exc).__name__)
        _rollback()
        lang = request_language()
        return _respond(503, message("database_unavailable", lang), [], {"Retry-After": "30"})

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        if isinstance(exc, HTTPException):  # pragma: no cover - routed above
            return _http_error(exc)
        app.logger.exception("unhandled error")
        _rollback()
        return _respond(500, "internal error", [], {})


def _rollback() -> None:
    from formsvc.extensions import db
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection itself may be gone
        pass
