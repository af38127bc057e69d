"""The document service: validate input, fill the template, convert, record.

Free of Flask: the views pass the registry, templates, PDF pool and database session in
(`Documents`), and commit the session themselves once the answer is ready.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from formsvc.core.db import DbSession

from formsvc.core.errors import Problem
from formsvc.definitions.registry import Registry
from formsvc.documents import records, render
from formsvc.documents.pdf import PdfPool
from formsvc.documents.templates import TemplateStore

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


@dataclass
class Documents:
    """What making a document needs: the definitions, the templates and the PDF pool."""

    registry: Registry
    templates: TemplateStore
    pdf: PdfPool

    def validate(self, doc_type: str, payload: Any) -> list[Problem]:
        """Validate input for `doc_type`: the warnings, or InvalidInput."""
        return self.registry.validate(doc_type, payload).warnings

    def generate(self, session: DbSession, doc_type: str, payload: Any, lang: str, fmt: str,
                 base_url: str) -> DocumentFile:
        """Validate, fill the template of `doc_type` in `lang`, convert to PDF if asked, record it.

        The record is added to `session` only once the file exists; the caller commits.
        """
        reg = self.registry
        doc = reg.get(doc_type)
        validated = reg.validate(doc_type, payload)
        if fmt == "pdf":
            self.pdf.require()
        template = self.templates.get(doc_type, lang)
        doc_id = records.new_id()
        ctx = render.context(doc, validated.data, lang, reg.regulation, reg.today(), doc_id,
                             f"{base_url.rstrip('/')}/verify/{doc_id}")
        content = render.render_docx(template.content, ctx, lang)
        if fmt == "pdf":
            content = self.pdf.convert(content)
        records.save(session, doc_id, doc_type, lang, fmt, validated.data, template.sha256, content)
        ident = str(validated.data.get("number") or validated.data.get("date") or reg.today())
        return DocumentFile(content, MIMETYPES[fmt], f"{_file_stem(doc.title[lang] + ' ' + ident)}.{fmt}",
                            f"{doc.type}_{ascii_name(ident)}".rstrip("_") + f".{fmt}", doc_id,
                            validated.warnings)
