"""Service functions behind the views: validate input, produce a document file."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from urllib.parse import quote

from flask import Response, current_app, request

from formsvc import records, render
from formsvc.pdf import PdfPool
from formsvc.errors import Problem
from formsvc.registry import registry

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIMETYPES = {"docx": DOCX_MIMETYPE, "pdf": "application/pdf"}
FORMATS = ("docx", "pdf")


@dataclass
class DocumentFile:
    """A generated document, ready to send."""

    content: bytes
    mimetype: str
    filename: str            # UTF-8 name, e.g. Өтініш_2026-11-20.docx
    ascii_filename: str      # for clients without RFC 5987, e.g. application_2026-11-20.docx
    document_id: str
    warnings: list[Problem] = field(default_factory=list)


_LATIN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
                  ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r",
                   "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia",
                   "a", "g", "q", "n", "o", "u", "u", "h", "i"]))


def ascii_name(text: str) -> str:
    """Kazakh or Russian text in Latin letters, for a plain ASCII file name ("АК-19" -> "AK-19")."""
    latin = "".join(_LATIN.get(ch.lower(), ch).upper() if ch.isupper() else _LATIN.get(ch, ch) for ch in text)
    return re.sub(r"[^A-Za-z0-9-]+", "_", latin).strip("_")


def _file_stem(text: str) -> str:
    return re.sub(r"[\s/\\:*?\"<>|]+", "_", text).strip("._")[:120]


def validate_document(doc_type: str, payload: Any) -> list[Problem]:
    """Validate input for `doc_type`: the warnings, or InvalidInput."""
    return registry().validate(doc_type, payload).warnings


def pdf_pool() -> PdfPool:
    """The application's LibreOffice pool."""
    pool: PdfPool = current_app.extensions["formsvc.pdf"]
    return pool


def public_base_url() -> str:
    """Where the verification links printed on pages point: PUBLIC_URL, else this host."""
    return str(current_app.config["PUBLIC_URL"] or request.host_url)


def file_response(made: DocumentFile) -> Response:
    """The HTTP answer carrying a generated file: attachment names and its record id."""
    resp = Response(made.content, mimetype=made.mimetype)
    resp.headers["Content-Disposition"] = (
        f'attachment; filename="{made.ascii_filename}"; filename*=UTF-8\'\'{quote(made.filename)}')
    resp.headers["X-Document-Id"] = made.document_id
    return resp


def generate_document(doc_type: str, payload: Any, lang: str, fmt: str, base_url: str) -> DocumentFile:
    """Validate, fill the template of `doc_type` in `lang`, convert to PDF if asked, record it.

    The record is written only once the file exists, so a failure leaves nothing behind.
    """
    reg = registry()
    doc = reg.get(doc_type)
    validated = reg.validate(doc_type, payload)
    if fmt == "pdf":
        pdf_pool().require()
    doc_id = records.new_id()
    template = doc.template_path(reg.templates_dir, lang)
    ctx = render.context(doc, validated.data, lang, reg.env, reg.today(), doc_id,
                         f"{base_url.rstrip('/')}/verify/{doc_id}")
    content = render.render_docx(template, ctx, lang)
    if fmt == "pdf":
        content = pdf_pool().convert(content)
    records.save(doc_id, doc_type, lang, fmt, validated.data, reg.template_sha256[template.name], content)
    ident = str(validated.data.get("number") or validated.data.get("date") or reg.today())
    ascii_ident = ascii_name(ident)
    return DocumentFile(content, MIMETYPES[fmt], f"{_file_stem(doc.title[lang] + ' ' + ident)}.{fmt}",
                        f"{doc.type}_{ascii_ident}".rstrip("_") + f".{fmt}", doc_id, validated.warnings)
