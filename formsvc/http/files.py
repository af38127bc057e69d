"""File responses: a generated document as an attachment, and where its verification link points."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, current_app

from formsvc.documents.service import DocumentFile


def public_base_url() -> str:
    """Where the verification links printed on documents point: PUBLIC_URL, never the Host header."""
    return str(current_app.config["PUBLIC_URL"])


def attachment(content: bytes, mimetype: str, filename: str, document_id: str | None = None) -> Response:
    """A file to save (an ASCII name), with the id of the document it is, if one."""
    resp = Response(content, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if document_id:
        resp.headers["X-Document-Id"] = document_id
    return resp


def file_response(made: DocumentFile) -> Response:
    """The HTTP answer carrying a generated file: attachment names, its record id, its warnings."""
    resp = Response(made.content, mimetype=made.mimetype)
    resp.headers["Content-Disposition"] = (
        f'attachment; filename="{made.ascii_filename}"; filename*=UTF-8\'\'{quote(made.filename)}')
    resp.headers["X-Document-Id"] = made.document_id
    if made.warnings:
        resp.headers["X-Warnings"] = ",".join(f"{w.field}:{w.code}" for w in made.warnings)
    return resp
