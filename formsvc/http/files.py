"""File responses: a generated document as an attachment, and where its verification link points."""
from __future__ import annotations

from typing import NamedTuple
from urllib.parse import quote

from flask import Response, current_app

from formsvc.core.db import DbSession
from formsvc.core.i18n import message
from formsvc.documents import records
from formsvc.documents.service import DocumentFile


class FileName(NamedTuple):
    """A download's name: ASCII for `filename`, and in full (UTF-8) for `filename*` (RFC 5987)."""

    ascii: str
    full: str


def case_file_name(number: str, kind: str, lang: str, fmt: str) -> FileName:
    """'2026-000012_decision_kk.pdf', and '2026-000012_Шешім_kk.pdf' in full (`kind`: a type or 'bundle')."""
    return FileName(f"{number}_{kind}_{lang}.{fmt}", f"{number}_{message('file_' + kind, lang)}_{lang}.{fmt}")


def case_document_name(session: DbSession, number: str, doc_id: str, lang: str, fmt: str) -> FileName:
    """The download name of a case's document (by its recorded type)."""
    record = records.find(session, doc_id)
    return case_file_name(number, record.doc_type if record else "document", lang, fmt)


def public_base_url() -> str:
    """Where the verification links printed on documents point: PUBLIC_URL, never the Host header."""
    return str(current_app.config["PUBLIC_URL"])


def attachment(content: bytes, mimetype: str, filename: str | FileName, document_id: str | None = None) -> Response:
    """A file to save (an ASCII name, and a full one if given), with the id of the document it is, if one."""
    resp = Response(content, mimetype=mimetype)
    if isinstance(filename, FileName):
        resp.headers["Content-Disposition"] = (
            f'attachment; filename="{filename.ascii}"; filename*=UTF-8\'\'{quote(filename.full)}')
    else:
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
