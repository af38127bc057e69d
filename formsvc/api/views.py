"""The JSON API (`/api/v1`): thin views that parse, call one service function, return."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from formsvc.api.access import limit_writes, may_issue
from formsvc.api.body import json_body, query_choice, query_language
from formsvc.api.openapi import load_examples, openapi
from formsvc.definitions.json_schema import document_schema
from formsvc.documents import records
from formsvc.documents.service import FORMATS
from formsvc.extensions import db, documents, pdf_pool, register, registry
from formsvc.http.files import file_response, public_base_url

bp = limit_writes(Blueprint("api", __name__, url_prefix="/api/v1"))


@bp.get("/document-types")
def list_types() -> Response:
    """Every document type with its titles, formats and schema URL."""
    return jsonify([{"type": name, "title": dict(doc.title), "formats": list(FORMATS),
                     "schema_url": f"/api/v1/document-types/{name}/schema"}
                    for name, doc in registry().types.items()])


@bp.get("/document-types/<doc_type>/schema")
def type_schema(doc_type: str) -> Response:
    """The JSON Schema of a type's input."""
    resp = jsonify(document_schema(registry().get(doc_type), query_language()))
    resp.mimetype = "application/schema+json"
    return resp


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """The OpenAPI description of this API."""
    cfg = current_app.config
    return jsonify(openapi(registry().types, register().procedure, load_examples(cfg["EXAMPLES_DIR"]),
                           cfg.get("MAX_CONTENT_LENGTH")))


@bp.post("/documents/<doc_type>/validate")
def validate(doc_type: str) -> Response:
    """Validate without producing a file."""
    lang = query_language()
    may_issue(registry().get(doc_type))  # 404, 401, 403 before reading the body
    warnings = documents().validate(doc_type, json_body())
    return jsonify({"valid": True, "warnings": [w.to_json(lang) for w in warnings]})


@bp.post("/documents/<doc_type>")
def generate(doc_type: str) -> Response:
    """Validate and return the filled document."""
    lang = query_language()
    fmt = query_choice("format", FORMATS, "docx")
    actor = may_issue(registry().get(doc_type))
    made = documents().generate(db.session, doc_type, json_body(), lang, fmt, public_base_url(), actor=actor)
    db.session.commit()
    return file_response(made)


@bp.get("/health")
def health() -> tuple[Response, int]:
    """Whether the service works: the database takes a write, and a conversion really makes a
    PDF (a small one, at most every PDF_PROBE_SECONDS). 503 when the database does not."""
    pdf = pdf_pool().probe()
    database = records.database_ok(db.session)
    status = "ok" if database and pdf["available"] else "degraded"
    body = jsonify({"status": status, "database": database, "pdf": pdf,
                    "formats": ["docx", "pdf"] if pdf["available"] else ["docx"]})
    if not database:
        body.headers["Retry-After"] = "30"
    return body, 200 if database else 503
