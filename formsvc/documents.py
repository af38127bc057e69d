"""Service functions behind the views: validate input, produce a document file."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from formsvc import render
from formsvc.errors import Problem, ServiceError
from formsvc.registry import registry

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = ("docx", "pdf")


class FormatUnavailable(ServiceError):
    """PDF output is not available in this build of the service."""

    status = 501
    code = "format_unavailable"


@dataclass
class DocumentFile:
    """A generated document, ready to send."""

    content: bytes
    mimetype: str
    filename: str            # UTF-8 name, e.g. Өтініш_2026-11-20.docx
    ascii_filename: str      # for clients without RFC 5987, e.g. application_2026-11-20.docx
    warnings: list[Problem] = field(default_factory=list)


def _file_stem(text: str) -> str:
    return re.sub(r"[\s/\\:*?\"<>|]+", "_", text).strip("._")[:120]


def validate_document(doc_type: str, payload: Any) -> list[Problem]:
    """Validate input for `doc_type`: the warnings, or InvalidInput."""
    return registry().validate(doc_type, payload).warnings


def generate_document(doc_type: str, payload: Any, lang: str, fmt: str) -> DocumentFile:
    """Validate and fill the template of `doc_type` in `lang`; DOCX or PDF."""
    reg = registry()
    doc = reg.get(doc_type)
    validated = reg.validate(doc_type, payload)
    if fmt == "pdf":
        raise FormatUnavailable("PDF output is not available yet; ask for format=docx")
    ctx = render.context(doc, validated.data, lang, reg.env, reg.today())
    content = render.render_docx(doc.template_path(reg.templates_dir, lang), ctx, lang)
    ident = str(validated.data.get("number") or validated.data.get("date") or reg.today())
    ascii_ident = re.sub(r"[^A-Za-z0-9-]+", "_", ident).strip("_")
    return DocumentFile(content, DOCX_MIMETYPE, f"{_file_stem(doc.title[lang] + ' ' + ident)}.{fmt}",
                        f"{doc.type}_{ascii_ident}".rstrip("_") + f".{fmt}", validated.warnings)
