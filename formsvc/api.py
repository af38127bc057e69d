"""The JSON API (`/api/v1`): thin views that parse, call one service function, return."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, jsonify, request

from formsvc import documents, records
from formsvc.errors import BadRequest, Problem, UnsupportedMediaType
from formsvc.i18n import LANGUAGES, message, request_language
from formsvc.json_schema import document_schema
from formsvc.openapi import openapi
from formsvc.registry import registry

bp = Blueprint("api", __name__, url_prefix="/api/v1")


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise _DuplicateKey(key)
        obj[key] = value
    return obj


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def json_body() -> Any:
    """The request body parsed as JSON (numbers with decimals as Decimal)."""
    if request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        raise UnsupportedMediaType(message("unsupported_media_type", request_language()))
    raw = request.get_data(cache=False)  # over MAX_CONTENT_LENGTH -> 413
    lang = request_language()
    try:
        return json.loads(raw.decode("utf-8"), parse_float=Decimal,
                          parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as exc:
        raise BadRequest(message("duplicate_key", lang, key=exc.key)) from None
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise BadRequest(f"{message('malformed_json', lang)} ({exc})"[:300]) from None


def _query_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = request.args.get(name, default)
    if value not in choices:
        raise BadRequest(f"{name}: {value!r}",
                         problems=[Problem(name, "invalid_choice", {"choices": ", ".join(choices)})])
    return value


def _lang() -> str:
    return _query_choice("lang", LANGUAGES, request_language())


@bp.get("/document-types")
def list_types() -> Response:
    """Every document type with its titles, formats and schema URL."""
    return jsonify([{"type": name, "title": dict(doc.title), "formats": list(documents.FORMATS),
                     "schema_url": f"/api/v1/document-types/{name}/schema"}
                    for name, doc in registry().types.items()])


@bp.get("/document-types/<doc_type>/schema")
def type_schema(doc_type: str) -> Response:
    """The JSON Schema of a type's input."""
    resp = jsonify(document_schema(registry().get(doc_type), _lang()))
    resp.mimetype = "application/schema+json"
    return resp


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """The OpenAPI description of this API."""
    return jsonify(openapi(registry().types))


@bp.post("/documents/<doc_type>/validate")
def validate(doc_type: str) -> Response:
    """Validate without producing a file."""
    lang = _lang()
    registry().get(doc_type)  # 404 before reading the body
    warnings = documents.validate_document(doc_type, json_body())
    return jsonify({"valid": True, "warnings": [w.to_json(lang) for w in warnings]})


@bp.post("/documents/<doc_type>")
def generate(doc_type: str) -> Response:
    """Validate and return the filled document."""
    lang = _lang()
    fmt = _query_choice("format", documents.FORMATS, "docx")
    registry().get(doc_type)
    doc = documents.generate_document(doc_type, json_body(), lang, fmt, documents.public_base_url())
    resp = documents.file_response(doc)
    if doc.warnings:
        resp.headers["X-Warnings"] = ",".join(f"{w.field}:{w.code}" for w in doc.warnings)
    return resp


@bp.get("/health")
def health() -> Response:
    """Whether the service, its database and its PDF renderer work."""
    pdf = documents.pdf_pool().status()
    database = records.database_ok()
    status = "ok" if database and pdf["available"] else "degraded"
    return jsonify({"status": status, "database": database, "pdf": pdf,
                    "formats": ["docx", "pdf"] if pdf["available"] else ["docx"]})
