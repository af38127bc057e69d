"""The Word templates: the `.docx` files in `templates_docx/` are the source of every document.

A clerk or lawyer edits them in Word or LibreOffice. Each file is read, checked against
its definition and hashed once when it is loaded; before every use the store looks at the
file's size and modification time, and a changed file is checked again before it is used.
A file that fails the check is refused (the service answers 503 naming the template) until
it is mended. The bytes that were checked are the bytes rendered, and records carry their hash.

Each checked file is also compiled once (`compiled.CompiledDocx`: its patched parts as Jinja, the
unchanged parts of the package ready to be copied), so a document costs only the filling and
the zip: on first use, or all at once when the server starts (`warm`); a file touched but not
changed keeps its compiled form.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from formsvc.core.errors import DefinitionError, Unavailable
from formsvc.core.i18n import LANGUAGES
from formsvc.definitions.loading import DocumentType
from formsvc.documents.placeholders import check_template
from formsvc.documents.compiled import CompiledDocx

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Template:
    """One checked template file: its bytes, their SHA-256 (the template version), compiled."""

    path: Path
    content: bytes
    sha256: str
    stamp: tuple[int, int]   # (size, mtime_ns) of the file when it was read
    compiled: CompiledDocx


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def load_template(doc: DocumentType, path: Path, lang: str, previous: Template | None = None) -> Template:
    """Read, check, hash and compile one template (DefinitionError if it is missing or wrong);
    the same bytes as `previous` are not checked and compiled again."""
    try:
        stamp = _stamp(path)
        content = path.read_bytes()
    except OSError:
        raise DefinitionError(path, doc.template, f"template missing for {doc.type}") from None
    digest = hashlib.sha256(content).hexdigest()
    if previous is not None and previous.sha256 == digest:
        return replace(previous, stamp=stamp)
    check_template(doc, content, path, lang)
    return Template(path, content, digest, stamp, CompiledDocx(content, lang))


def compile_template(template: Template) -> Template:
    """Compile a checked template now (DefinitionError if it cannot be)."""
    try:
        template.compiled.compile()
    except ValueError as exc:
        raise DefinitionError(template.path, "qr", str(exc)) from None
    return template


class TemplateStore:
    """The templates of every document type in every language, kept checked."""

    def __init__(self, templates_dir: Path, types: dict[str, DocumentType]) -> None:
        self.dir = templates_dir
        self.types = types
        self._lock = threading.Lock()
        self._warm = False
        self._loaded = {(name, lang): load_template(doc, doc.template_path(templates_dir, lang), lang)
                        for name, doc in types.items() for lang in LANGUAGES}

    def warm(self) -> None:
        """Compile every template now (the server does, so no request waits for it), and from
        now on every changed file as soon as it has been checked."""
        for template in self._loaded.values():
            compile_template(template)
        self._warm = True

    def get(self, doc_type: str, lang: str) -> Template:
        """The checked template; a file changed on disk is checked again first."""
        current = self._loaded[(doc_type, lang)]
        try:
            unchanged = _stamp(current.path) == current.stamp
        except OSError:
            unchanged = False
        if unchanged:
            return current
        with self._lock:
            doc = self.types[doc_type]
            try:
                fresh = load_template(doc, current.path, lang, previous=current)
                if self._warm:
                    compile_template(fresh)
            except DefinitionError as exc:
                log.error("template refused: %s", exc)
                raise Unavailable(f"the template {current.path.name} was changed and fails its "
                                  f"check: {exc}", headers={"Retry-After": "300"}) from None
            if fresh.sha256 != current.sha256:
                log.info("template %s reloaded (sha256 %s)", current.path.name, fresh.sha256[:12])
            self._loaded[(doc_type, lang)] = fresh
            return fresh
