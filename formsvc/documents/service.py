"""The document service: validate input, fill the template, convert, record.

Free of Flask: the views pass the registry, templates, PDF pool and database session in
(`Documents`), and commit the session themselves once the answer is ready.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Mapping, Sequence
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
class Made:
    """The files of one issued document: (language, format) -> (bytes, template hash)."""

    id: str
    files: dict[tuple[str, str], tuple[bytes, str]] = field(default_factory=dict)


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
                 base_url: str, actor: Actor = ANONYMOUS) -> DocumentFile:
        """A stand-alone document: validate, then issue it in one language and format, unkept."""
        validated = self.registry.validate(doc_type, payload)
        issued = self.issue(session, doc_type, validated.data, (lang,), (fmt,), base_url, actor)
        return self.file_of(doc_type, validated.data, issued, lang, fmt, validated.warnings)

    def issue(self, session: DbSession, doc_type: str, data: Mapping[str, Any], langs: Sequence[str],
              formats: Sequence[str], base_url: str, actor: Actor = ANONYMOUS, case_id: str | None = None,
              variants: Mapping[str, Mapping[str, Any]] | None = None) -> Made:
        """The one issuing path: make every file of validated `data`, then record the document.

        A case document keeps its files (served as made from then on); a stand-alone one keeps its
        fingerprint only. `variants` gives a language its own data (a position kept per language).
        """
        made = self.make(doc_type, data, langs, formats, base_url, variants)
        self.record(session, made, doc_type, data, actor, case_id)
        return made

    def make(self, doc_type: str, data: Mapping[str, Any], langs: Sequence[str], formats: Sequence[str],
             base_url: str, variants: Mapping[str, Mapping[str, Any]] | None = None) -> Made:
        """Every file of a document, rendered once per language and converted from that (no database)."""
        if "pdf" in formats:
            self.pdf.require()
        made = Made(records.new_id())
        for lang in langs:
            docx, template_sha = self.fill(doc_type, (variants or {}).get(lang, data), lang, made.id, base_url)
            for fmt in formats:
                made.files[(lang, fmt)] = (docx if fmt == "docx" else self.pdf.convert(docx), template_sha)
        return made

    def record(self, session: DbSession, made: Made, doc_type: str, data: Mapping[str, Any], actor: Actor,
               case_id: str | None = None) -> records.DocumentRecord:
        """Add the record of made files to `session` (with a case, the files too); the caller commits."""
        (lang, fmt), (content, template_sha) = next(iter(made.files.items()))
        record = records.save(session, made.id, doc_type, lang, fmt, dict(data), template_sha, content,
                              case_id=case_id, issued_by=None if actor.role is None else str(actor),
                              issuer_role=actor.role)
        if case_id is not None:
            session.flush()   # the record first: its files refer to it
            for (lang, fmt), (content, template_sha) in made.files.items():
                records.store_file(session, made.id, lang, fmt, content, template_sha)
        return record

    def file_of(self, doc_type: str, data: Mapping[str, Any], made: Made, lang: str, fmt: str,
                warnings: list[Problem] | None = None) -> DocumentFile:
        """One of the made files, named for sending."""
        doc = self.registry.get(doc_type)
        ident = str(data.get("number") or data.get("date") or self.registry.today())
        return DocumentFile(made.files[(lang, fmt)][0], MIMETYPES[fmt],
                            f"{_file_stem(doc.title[lang] + ' ' + ident)}.{fmt}",
                            f"{doc.type}_{ascii_name(ident)}".rstrip("_") + f".{fmt}", made.id, warnings or [])

    def fill(self, doc_type: str, data: Mapping[str, Any], lang: str, doc_id: str, base_url: str) -> tuple[bytes, str]:
        """The DOCX of validated `data` under the id `doc_id`, and the hash of the template used."""
        reg = self.registry
        template = self.templates.get(doc_type, lang)
        ctx = render.context(reg.get(doc_type), data, lang, reg.regulation, reg.today(), doc_id,
                             f"{base_url.rstrip('/')}/verify/{doc_id}")
        return template.compiled.render(ctx), template.sha256

    def render(self, doc_type: str, recorded: Mapping[str, Any], lang: str, fmt: str, doc_id: str,
               base_url: str) -> tuple[bytes, str]:
        """A document recorded before files were kept at issue, made once in a missing language or format."""
        if fmt == "pdf":
            self.pdf.require()
        docx, template_sha = self.fill(doc_type, self.registry.schemas[doc_type].load(recorded), lang, doc_id,
                                       base_url)
        return (docx if fmt == "docx" else self.pdf.convert(docx)), template_sha
