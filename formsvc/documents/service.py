"""The document service: validate input, fill the template, convert, record.

Free of Flask: the views pass the registry, templates, PDF pool and database session in
(`Documents`), and commit the session themselves once the answer is ready.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import Any

from formsvc.auth.actor import ANONYMOUS, Actor
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
                 base_url: str, actor: Actor = ANONYMOUS, case_id: str | None = None,
                 keep: bool = False) -> DocumentFile:
        """Validate, fill the template of `doc_type` in `lang`, convert to PDF if asked, record it.

        The record (and, with `keep`, the file itself) is added to `session` only once the file
        exists; the caller commits.
        """
        reg = self.registry
        doc = reg.get(doc_type)
        validated = reg.validate(doc_type, payload)
        if fmt == "pdf":
            self.pdf.require()
        doc_id = records.new_id()
        content, template_sha = self.fill(doc_type, validated.data, lang, fmt, doc_id, base_url)
        records.save(session, doc_id, doc_type, lang, fmt, validated.data, template_sha, content,
                     case_id=case_id, issued_by=None if actor.role is None else str(actor), issuer_role=actor.role)
        if keep:
            session.flush()   # the record first: the kept file refers to it
            records.store_file(session, doc_id, lang, fmt, content, template_sha)
        ident = str(validated.data.get("number") or validated.data.get("date") or reg.today())
        return DocumentFile(content, MIMETYPES[fmt], f"{_file_stem(doc.title[lang] + ' ' + ident)}.{fmt}",
                            f"{doc.type}_{ascii_name(ident)}".rstrip("_") + f".{fmt}", doc_id,
                            validated.warnings)

    def fill(self, doc_type: str, data: Mapping[str, Any], lang: str, fmt: str, doc_id: str,
             base_url: str) -> tuple[bytes, str]:
        """The file of validated `data` under the id `doc_id`, and the hash of the template used."""
        reg = self.registry
        template = self.templates.get(doc_type, lang)
        ctx = render.context(reg.get(doc_type), data, lang, reg.regulation, reg.today(), doc_id,
                             f"{base_url.rstrip('/')}/verify/{doc_id}")
        content = template.compiled.render(ctx)
        if fmt == "pdf":
            content = self.pdf.convert(content)
        return content, template.sha256

    def render(self, doc_type: str, recorded: Mapping[str, Any], lang: str, fmt: str, doc_id: str,
               base_url: str) -> tuple[bytes, str]:
        """A recorded document again, in another language or format, under its own id."""
        if fmt == "pdf":
            self.pdf.require()
        data = self.registry.schemas[doc_type].load(recorded)
        return self.fill(doc_type, data, lang, fmt, doc_id, base_url)
