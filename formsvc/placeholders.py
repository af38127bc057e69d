"""Check that every placeholder in a Word template is declared by its definition.

The template's Jinja syntax tree is walked with the definition at hand: `applicant.iin`
must be a declared field, `m.relation` inside `{% for m in family_members %}` must be a
field of a family member, and filters must exist. Any mistake names the template file
and the placeholder, and stops the service at start-up.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from docx import Document
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes
from jinja2.exceptions import TemplateAssertionError

from formsvc.definitions import DocumentType, FieldSpec
from formsvc.errors import DefinitionError
from formsvc.render import GLOBALS, LEAF_ATTRIBUTES, jinja_env

_OPAQUE = FieldSpec(name="", type="opaque")  # a value whose attributes are not checked


def template_source(path: Path) -> str:
    """The patched Jinja source of a DOCX: body, headers and footers."""
    tpl = DocxTemplate(path)
    doc = Document(str(path))
    xml = tpl.patch_xml(tpl.xml_to_string(doc.element.body))
    for rel in doc.part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI):
            xml += tpl.patch_xml(rel.target_part.blob.decode("utf-8"))
    return xml


def check_template(doc: DocumentType, path: Path, lang: str) -> None:
    """Raise DefinitionError unless every placeholder of `path` is declared by `doc`."""
    if not path.is_file():
        raise DefinitionError(path, doc.template, f"template missing for {doc.type}")
    try:
        source = template_source(path)
        env = jinja_env(lang)
        tree = env.parse(source)
        env.compile(tree)  # unknown filters are found here
    except (TemplateSyntaxError, TemplateAssertionError) as exc:
        raise DefinitionError(path, f"line {getattr(exc, 'lineno', '?')}", str(exc)) from None
    scope: dict[str, FieldSpec] = {**dict(doc.root.fields or {}), **dict(doc.computed),
                                   **{name: _OPAQUE for name in GLOBALS}}
    _Walker(doc, path).visit(tree, scope)


class _Walker:
    def __init__(self, doc: DocumentType, path: Path) -> None:
        self.doc, self.path = doc, path

    def fail(self, placeholder: str) -> None:
        raise DefinitionError(self.path, placeholder,
                              f"placeholder not declared in {self.doc.path.name}")

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
                self.fail(node.name)
            return scope.get(node.name, _OPAQUE)
        if isinstance(node, nodes.Getattr):
            base = self.resolve(node.node, scope)
            return self._attribute(base, node.attr, _dotted(node))
        self.visit(node, dict(scope))
        return _OPAQUE

    def _attribute(self, base: FieldSpec, attr: str, dotted: str) -> FieldSpec:
        if base.type == "opaque":
            return _OPAQUE
        if base.type == "object" and base.fields and attr in base.fields:
            return base.fields[attr]
        if attr in LEAF_ATTRIBUTES.get(base.type, set()):
            return _OPAQUE
        self.fail(dotted)
        return _OPAQUE


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    return "…"
