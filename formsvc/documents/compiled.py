"""Templates compiled once: per document only the Jinja is run and the zip written.

`CompiledDocx` does exactly what `render.render_docx` (docxtpl in full) does, split in two; the
template store keeps one per checked file (`templates.Template.compiled`).
"""
from __future__ import annotations

import copy
import re
import threading
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from io import BytesIO
from types import SimpleNamespace
from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml.ns import nsmap
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Template as JinjaTemplate
from jinja2 import meta
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from formsvc.documents.render import QR_WIDTH, Template, jinja_env, qr_png


# docxtpl fills these document properties (File > Properties), in this order
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_SAMPLE_URL = "https://formsvc.invalid/verify/00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class _Part:
    """One part of the package that is filled per document."""

    member: str              # its name in the zip, e.g. word/footer1.xml
    kind: str                # "body", "story" (header, footer) or "footnotes"
    template: JinjaTemplate  # the patched XML, compiled
    qr: Markup | None        # the QR drawing as this part refers to it (its own relationship)


class CompiledDocx:
    """A template compiled once (on first use, or by `compile`): per document only the Jinja is
    run and the zip written.

    Exactly what `render_docx` does, split in two. Once: docxtpl's patching (with tracked
    changes accepted and plain quotes, `Template.patch_xml`) of the body, headers, footers and
    footnotes, compiled by the same sandboxed environment; the document properties compiled;
    the QR code's drawing, relationship and content type prepared by python-docx itself; every
    other part of the package kept as python-docx saves it, compressed once. Per document: the
    compiled parts rendered and finished as docxtpl finishes them (paragraph marks, `{_{`,
    line breaks, tables, drawing ids), the properties set, the QR image added, and the zip
    written around the unchanged parts' compressed bytes.
    """

    def __init__(self, template: bytes, lang: str) -> None:
        self.template, self.lang = template, lang
        self._lock = threading.Lock()
        self._compiled = False

    def compile(self) -> CompiledDocx:
        """Compile now (once; `render` does it on first use). ValueError if the QR code stands
        where it cannot (a footnote)."""
        with self._lock:
            if not self._compiled:
                self._compile(jinja_env(self.lang))
                self._compiled = True
        return self

    def _compile(self, env: SandboxedEnvironment) -> None:
        tpl = Template(BytesIO(self.template))
        tpl.render_init()                      # loaded; settings no longer record changes
        docx = tpl.docx
        package = docx.part.package
        sources = [("body", docx.part, tpl.patch_xml(tpl.get_xml()))]
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            sources += [("story", part, tpl.patch_xml(tpl.get_part_xml(part)))
                        for _, part in tpl.get_headers_footers(uri)]
        sources += [("footnotes", part, tpl.patch_xml(part.blob.decode("utf-8")))
                    for part in package.parts if part.content_type == CT.WML_FOOTNOTES]
        core = docx.core_properties            # (python-docx adds the part if the file has none)
        self.properties = [(name, env.from_string(getattr(core, name))) for name in PROPERTIES]
        core_part = next(p for p in package.iter_parts() if p.content_type == CT.OPC_CORE_PROPERTIES)
        self.core_member = core_part.partname.membername
        self.core_xml = serialize_part_xml(core_part.element)

        body = docx.element.body
        self.body_index = list(docx.element).index(body)
        self.skeleton = copy.deepcopy(docx.element)   # the document element around the body
        self.skeleton.remove(self.skeleton[self.body_index])

        plain = _saved(docx)
        before = {p.partname for p in package.iter_parts()}
        self.parts = [_Part(part.partname.membername, kind,
                            env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", source)),
                            _qr_drawing(env, kind, part, source)) for kind, part, source in sources]
        with_qr = _saved(docx)
        self.qr_member = next((p.partname.membername for p in package.iter_parts() if p.partname not in before), "")
        filled = {p.member for p in self.parts} | {self.core_member, self.qr_member}
        self.prefix = {False: _without(plain, filled), True: _without(with_qr, filled)}

    def render(self, ctx: Mapping[str, Any]) -> bytes:
        """The DOCX of `ctx` (with a `verify_url`, the page gets its QR code; a `document_id`
        goes into the file's properties, which the PDF export carries into its metadata)."""
        if not self._compiled:
            self.compile()
        png = qr_png(ctx["verify_url"]) if ctx.get("verify_url") and self.qr_member else None
        members = [(part.member, self._fill(part, {**ctx, "qr": part.qr} if png and part.qr else ctx))
                   for part in self.parts]
        members.append((self.core_member, self._properties(ctx)))
        if png:
            members.append((self.qr_member, png))
        out = BytesIO(self.prefix[png is not None])
        with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as package:
            for name, data in members:
                package.writestr(name, data)
        return out.getvalue()

    def _fill(self, part: _Part, ctx: Mapping[str, Any]) -> bytes:
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", part.template.render(ctx))
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if any(c in xml for c in "\t\a\n\f"):     # docxtpl's tabs, line and page breaks
            xml = _DOCXTPL.resolve_listing(xml)
        if part.kind == "footnotes":
            return xml.encode("utf-8")
        if part.kind == "story":
            return serialize_part_xml(parse_xml(xml.encode("utf-8")))
        body = _DOCXTPL.fix_tables(xml)
        for number, drawing in enumerate(body.xpath("//wp:docPr", namespaces=nsmap), start=1001):
            drawing.attrib["id"] = str(number)
        root = copy.deepcopy(self.skeleton)
        root.insert(self.body_index, body)
        return serialize_part_xml(root)

    def _properties(self, ctx: Mapping[str, Any]) -> bytes:
        element = parse_xml(self.core_xml)
        props = CoreProperties(element)
        for name, template in self.properties:
            setattr(props, name, template.render(ctx))
        if ctx.get("document_id"):
            props.identifier = props.keywords = ctx["document_id"]
        return serialize_part_xml(element)


_DOCXTPL = DocxTemplate(BytesIO())   # for docxtpl's helpers that need no template


def _qr_drawing(env: SandboxedEnvironment, kind: str, part: Any, source: str) -> Markup | None:
    """The QR code's drawing in `part`, if its Jinja uses `qr` (adds the image to the package)."""
    if "qr" not in source or "qr" not in meta.find_undeclared_variables(env.parse(source)):
        return None
    if kind == "footnotes":
        raise ValueError("the QR code {{ qr }} can stand in the body, a header or a footer, not in a footnote")
    image = InlineImage(SimpleNamespace(current_rendering_part=part), BytesIO(qr_png(_SAMPLE_URL)), width=QR_WIDTH)
    return Markup(str(image))


def _saved(docx: Any) -> bytes:
    out = BytesIO()
    docx.save(out)
    return out.getvalue()


def _without(package: bytes, names: set[str]) -> bytes:
    """The zip `package` without the members `names` (compressed once, here, at load)."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename not in names:
                target.writestr(info, source.read(info.filename))
    return out.getvalue()
