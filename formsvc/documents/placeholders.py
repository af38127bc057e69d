"""Check that every placeholder in a Word template is declared by its definition.

The template's Jinja syntax tree is walked with the definition at hand: `applicant.iin`
must be a declared field, `m.relation` inside `{% for m in family_members %}` must be a
field of a family member, and filters must exist. Each mistake is reported with the
paragraph it stands in, in words a person editing the template in Word understands.
"""
from __future__ import annotations

import difflib
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from docx import Document
from jinja2 import TemplateSyntaxError, nodes
from jinja2.exceptions import TemplateAssertionError

from formsvc.core.errors import DefinitionError
from formsvc.definitions.loading import DocumentType, FieldSpec
from formsvc.documents.render import GLOBALS, Template, jinja_env

_OPAQUE = FieldSpec(name="", type="opaque")  # a value whose attributes are not checked


@dataclass(frozen=True)
class TemplateProblem:
    """One finding in a template: where it stands, what is wrong, and the paragraph's text."""

    where: str        # "body, paragraph 12", "footer", "File > Properties > title"
    message: str
    text: str = ""    # the paragraph as a person sees it, shortened
    placeholder: str = ""
    warning: bool = False   # reported, but the template is used

    def __str__(self) -> str:
        text = f" «{self.text}»" if self.text else ""
        return f"{'warning: ' if self.warning else ''}{self.where}:{text} — {self.message}"


# docxtpl fills these document properties too (File > Properties)
PROPERTIES = ("title", "subject", "author", "comments", "identifier", "language")
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"

# Jinja's messages, said so that a person editing the file in Word can act on them.
_HINTS = [
    (r"unexpected char '([«»„“”‚‘’′])'", "a typographic quote {0} inside the marks: type a plain ' instead"),
    (r"unexpected char '(\\u200b|\\xad|\\ufeff)'", "an invisible character inside the marks: retype them"),
    (r"unexpected char '([–—…])'", "a {0} inside the marks (AutoCorrect?): type a plain - or . instead"),
    (r"unknown tag '(tr|p|tc|r)'", "write {{%{0} with no space between % and {0}"),
    (r"'endfor'|'for'", "a {{% for %}} has no matching {{% endfor %}} (a deleted row or paragraph?)"),
    (r"'endif'|'if'", "an {{% if %}} has no matching {{% endif %}} (a deleted paragraph?)"),
    (r".*", "{{{{ }}}} and {{% %}} marks must each be closed and hold a name of this document ({message})"),
]


def template_parts(content: bytes) -> list[tuple[str, str]]:
    """Every part docxtpl fills, as (name, Jinja source with one paragraph per line)."""
    tpl = Template(BytesIO(content))
    doc = Document(BytesIO(content))
    parts = [("body", tpl.patch_xml(tpl.xml_to_string(doc.element.body)))]
    for rel in doc.part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI):
            name = "header" if rel.reltype == tpl.HEADER_URI else "footer"
            parts.append((name, tpl.patch_xml(rel.target_part.blob.decode("utf-8"))))
    parts += [("footnotes", tpl.patch_xml(part.blob.decode("utf-8")))
              for part in doc.part.package.parts if part.content_type == FOOTNOTES]
    parts += [(f"File > Properties > {name}", value) for name in PROPERTIES
              if (value := getattr(doc.core_properties, name))]
    return [(name, re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)) for name, xml in parts]


def template_source(content: bytes) -> str:
    """The Jinja source of a DOCX as the check reads it: every part, one after another."""
    return "\n".join(source for _, source in template_parts(content))


def _plain(line: str, around: str = "") -> str:
    text = re.sub(r"<[^>]+>", "", line).strip()
    i = text.find(around) if around else 0
    start = max(0, i - 50)
    return ("…" if start else "") + text[start:start + 120 + len(around)] + ("…" if len(text) > start + 120 + len(around) else "")


def _where(name: str, source: str, needle: str) -> tuple[str, str]:
    for number, line in enumerate(source.splitlines(), start=0):
        if needle in re.sub(r"<[^>]+>", "", line):
            return (f"{name}, paragraph {number}" if number else name), _plain(line, needle)
    return name, ""


def _syntax_problem(name: str, source: str, exc: TemplateSyntaxError | TemplateAssertionError) -> TemplateProblem:
    message = exc.message or str(exc)
    hint = next(h.format(*m.groups(), message=message) for pattern, h in _HINTS
                if (m := re.search(pattern, message)))
    lines = source.splitlines()
    line = lines[(exc.lineno or 1) - 1] if lines else ""
    where = f"{name}, paragraph {exc.lineno - 1}" if (exc.lineno or 0) > 1 else name
    return TemplateProblem(where, hint, _plain(line, "{"))


def template_problems(doc: DocumentType, content: bytes, lang: str) -> list[TemplateProblem]:
    """Every mistake in a template's placeholders (an empty list if it is sound), all at once."""
    try:
        parts = template_parts(content)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one problem to report
        return [TemplateProblem("file", f"not a Word document that can be read ({exc.__class__.__name__}); "
                                        "save it as Word (.docx)")]
    found: list[TemplateProblem] = []
    if re.search(rb"<w:(ins|del|moveFrom|moveTo) ", _xml_of(content)):
        found.append(TemplateProblem("file", "tracked changes were accepted as they stand; turn Track Changes "
                                             "off before saving", warning=True))
    env = jinja_env(lang)
    scope: dict[str, FieldSpec] = {**dict(doc.root.fields or {}), **dict(doc.computed),
                                   **{name: _OPAQUE for name in GLOBALS}}
    known = sorted(_dotted_names(scope))
    for name, source in parts:
        try:
            tree = env.parse(source)
            env.compile(tree)  # unknown filters are found here
        except (TemplateSyntaxError, TemplateAssertionError) as exc:
            found.append(_syntax_problem(name, source, exc))
            continue
        walker = _Walker()
        walker.visit(tree, dict(scope))
        for placeholder in dict.fromkeys(walker.unknown):
            close = difflib.get_close_matches(placeholder, known, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            where, text = _where(name, source, placeholder)
            found.append(TemplateProblem(where, f"{placeholder} is not a field of {doc.path.name}{hint}",
                                         text, placeholder))
    return found


def _xml_of(content: bytes) -> bytes:
    with zipfile.ZipFile(BytesIO(content)) as package:
        return b"".join(package.read(n) for n in package.namelist() if n.startswith("word/") and n.endswith(".xml"))


def check_template(doc: DocumentType, content: bytes, path: Path, lang: str) -> None:
    """Raise DefinitionError unless every placeholder of the template is declared by `doc`."""
    errors = [p for p in template_problems(doc, content, lang) if not p.warning]
    if errors:
        first = errors[0]
        if first.placeholder:
            raise DefinitionError(path, first.placeholder, f"placeholder not declared in {doc.path.name} "
                                  f"({first.where}{': ' + first.text if first.text else ''})")
        raise DefinitionError(path, first.where, f"{first.message}: {first.text}")


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
