"""Check that every placeholder in a Word template is declared by its definition.

The template's Jinja syntax tree is walked with the definition at hand: `applicant.iin`
must be a declared field, `m.relation` inside `{% for m in family_members %}` must be a
field of a family member, and filters must exist. Each mistake is reported with the
paragraph it stands in, in words a person editing the template in Word understands.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from docx import Document
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes
from jinja2.exceptions import TemplateAssertionError

from formsvc.core.errors import DefinitionError
from formsvc.definitions.loading import DocumentType, FieldSpec
from formsvc.documents.render import GLOBALS, jinja_env

_OPAQUE = FieldSpec(name="", type="opaque")  # a value whose attributes are not checked


@dataclass(frozen=True)
class TemplateProblem:
    """One mistake in a template: the placeholder (or line), what is wrong, and where."""

    placeholder: str
    message: str
    where: str = ""   # the paragraph's text, shortened

    def __str__(self) -> str:
        where = f" — in the paragraph «{self.where}»" if self.where else ""
        return f"{self.placeholder}: {self.message}{where}"


def template_source(content: bytes) -> str:
    """The patched Jinja source of a DOCX: body, headers and footers."""
    tpl = DocxTemplate(BytesIO(content))
    doc = Document(BytesIO(content))
    xml = tpl.patch_xml(tpl.xml_to_string(doc.element.body))
    for rel in doc.part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI):
            xml += tpl.patch_xml(rel.target_part.blob.decode("utf-8"))
    return xml


def paragraphs(content: bytes) -> Iterator[str]:
    """The text of every paragraph, as a person sees it: body, tables, headers, footers."""
    doc = Document(BytesIO(content))
    for el in doc.element.iter():
        if el.tag.endswith("}p"):
            yield "".join(t.text or "" for t in el.iter() if t.tag.endswith("}t"))
    for section in doc.sections:
        for part in (section.header, section.footer):
            yield from (p.text for p in part.paragraphs)


def _where(texts: list[str], needle: str) -> str:
    for text in texts:
        if needle in text:
            i = text.index(needle)
            start = max(0, i - 40)
            return ("…" if start else "") + text[start:i + len(needle) + 40].strip() + \
                ("…" if i + len(needle) + 40 < len(text) else "")
    return ""


def template_problems(doc: DocumentType, content: bytes, lang: str) -> list[TemplateProblem]:
    """Every mistake in a template's placeholders (an empty list if it is sound)."""
    try:
        texts = list(paragraphs(content))
        source = template_source(content)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one problem to report
        return [TemplateProblem("file", f"not a Word document that can be read ({exc.__class__.__name__})")]
    env = jinja_env(lang)
    try:
        tree = env.parse(source)
        env.compile(tree)  # unknown filters are found here
    except (TemplateSyntaxError, TemplateAssertionError) as exc:
        line = source.splitlines()[(exc.lineno or 1) - 1] if source else ""
        text = re.sub(r"<[^>]+>", "", line)
        brace = max(text.find("{"), 0)
        return [TemplateProblem(f"line {exc.lineno}", f"{exc.message} (check the {{{{ }}}} and {{% %}} "
                                "marks: each opened one must be closed)", text[max(0, brace - 40):brace + 80])]
    scope: dict[str, FieldSpec] = {**dict(doc.root.fields or {}), **dict(doc.computed),
                                   **{name: _OPAQUE for name in GLOBALS}}
    walker = _Walker()
    walker.visit(tree, scope)
    known = sorted(_dotted_names(scope))
    found = []
    for name in dict.fromkeys(walker.unknown):
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        found.append(TemplateProblem(name, f"not a field of {doc.path.name}{hint}", _where(texts, name)))
    return found


def check_template(doc: DocumentType, content: bytes, path: Path, lang: str) -> None:
    """Raise DefinitionError unless every placeholder of the template is declared by `doc`."""
    problems = template_problems(doc, content, lang)
    if problems:
        first = problems[0]
        raise DefinitionError(path, first.placeholder, f"placeholder not declared in {doc.path.name}"
                              if first.message.startswith("not a field") else first.message)


def _dotted_names(scope: Mapping[str, FieldSpec], prefix: str = "") -> Iterator[str]:
    for name, spec in scope.items():
        yield prefix + name
        yield from _dotted_names(spec.fields or {}, f"{prefix}{name}.")


class _Walker:
    def __init__(self) -> None:
        self.unknown: list[str] = []

    def visit(self, node: nodes.Node, scope: dict[str, FieldSpec]) -> None:
        if isinstance(node, nodes.For):
            self.visit(node.iter, scope)
            iterated = self.resolve(node.iter, scope)
            inner = {**scope, "loop": _OPAQUE}
            item = iterated.item if iterated.type == "list" and iterated.item else _OPAQUE
            targets = [node.target] if isinstance(node.target, nodes.Name) \
                else list(node.target.find_all(nodes.Name))
            for target in targets:
                inner[target.name] = item
            for child in [*node.body, *node.else_, *([node.test] if node.test else [])]:
                self.visit(child, inner)
        elif isinstance(node, nodes.Assign):
            self.visit(node.node, scope)
            for name in [node.target, *node.target.find_all(nodes.Name)]:
                if isinstance(name, nodes.Name):
                    scope[name.name] = _OPAQUE
        elif isinstance(node, (nodes.Name, nodes.Getattr)):
            self.resolve(node, scope)
        else:
            for child in node.iter_child_nodes():
                self.visit(child, scope)

    def resolve(self, node: nodes.Node, scope: Mapping[str, FieldSpec]) -> FieldSpec:
        """The declared field an expression refers to (opaque if it cannot be known)."""
        if isinstance(node, nodes.Name):
            if node.name not in scope:
                self.unknown.append(node.name)
            return scope.get(node.name, _OPAQUE)
        if isinstance(node, nodes.Getattr):
            base = self.resolve(node.node, scope)
            return self._attribute(base, node.attr, _dotted(node))
        self.visit(node, dict(scope))
        return _OPAQUE

    def _attribute(self, base: FieldSpec, attr: str, dotted: str) -> FieldSpec:
        if base.type == "opaque":
            return _OPAQUE
        if base.fields and attr in base.fields:
            return base.fields[attr]
        if base.fields is None and attr in base.kind.attributes:
            return _OPAQUE
        self.unknown.append(dotted)
        return _OPAQUE


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    return "…"
