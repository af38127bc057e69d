"""Fill a Word template (docxtpl) with validated input, safely.

docxtpl does not escape by default: an `&` or `<` in a value would corrupt the XML.
Here every printed value is XML-escaped, and `{`/`}` are written as character
references, so user text such as `{{ x }}` or `{_{` prints literally (docxtpl rewrites
`{_{` after rendering). A missing variable is an error (StrictUndefined), never a blank.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from io import BytesIO
from types import SimpleNamespace
from typing import Any, cast

import zxingcpp
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape
from PIL import Image, ImageOps

from formsvc.core.formatting import DateValue
from formsvc.definitions.compute import COMPUTATIONS, full_name
from formsvc.definitions.loading import DocumentType
from formsvc.documents.filters import language_filters
from formsvc.regulation import Regulation


# Names every template may use besides the definition's fields and computed values.
GLOBALS = ("title", "lang", "generated_on", "document_id", "verify_url", "qr")

# What a template saved by Word or LibreOffice may carry, made plain before docxtpl reads it:
# tracked changes (accepted, as "Accept All" would), and inside {{ }} / {% %} / {# #} the
# typographic quotes AutoCorrect types, the entities LibreOffice writes, invisible characters.
_DELETED = re.compile(r"<w:(del|moveFrom)(?=[ >])[^>]*>.*?</w:\1>", re.S)
_CHANGE_MARKS = re.compile(r"<w:(?:ins|del|moveFrom|moveTo)(?=[ >/])[^>]*/>|</?w:(?:ins|moveTo)(?=[ >/])[^>]*>"
                           r"|<w:(?:moveFrom|moveTo)Range(?:Start|End)[^>]*/>")
_PROPERTY_CHANGES = re.compile(r"<w:(rPrChange|pPrChange|sectPrChange|tblPrChange|trPrChange|tcPrChange)"
                               r"(?=[ >])[^>]*(?:/>|>.*?</w:\1>)", re.S)
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_PLAIN = str.maketrans({**{c: "'" for c in "‘’‚‛′"}, **{c: '"' for c in "“”„‟«»″"},
                        **{c: " " for c in "\u00a0\u2007\u2009\u200a\u202f"},
                        **{c: None for c in "\u00ad\u200b\u200c\u200d\u2060\ufeff"}})


def accept_changes(xml: str) -> str:
    """The XML with every tracked change accepted (deletions dropped, insertions kept)."""
    return _CHANGE_MARKS.sub("", _DELETED.sub("", _PROPERTY_CHANGES.sub("", xml)))


def plain_tags(xml: str) -> str:
    """Inside Jinja tags only: straight quotes, plain spaces, no invisible characters."""
    return _TAG.sub(lambda m: m.group(0).replace("&apos;", "'").replace("&quot;", '"').translate(_PLAIN), xml)


class Template(DocxTemplate):  # type: ignore[misc]  # docxtpl ships no types
    """docxtpl reading a template as a clerk's word processor left it (see `accept_changes`)."""

    def patch_xml(self, src_xml: str) -> str:
        """docxtpl's own patching, after accepting tracked changes; then plain tags."""
        return plain_tags(str(super().patch_xml(accept_changes(src_xml))))

    def render_init(self) -> None:
        """The generated file must not go on recording changes."""
        super().render_init()
        settings = self.docx.settings.element
        for element in settings.findall(qn("w:trackRevisions")):
            settings.remove(element)


def xml_text(text: str) -> Markup:
    """Escape text for a Word XML run, braces included."""
    return Markup(str(escape(text)).replace("{", "&#123;").replace("}", "&#125;"))


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (Markup, InlineImage)):
        return value
    return xml_text(str(value))


def _person_name(person: Any) -> str:
    return full_name(vars(person) if isinstance(person, SimpleNamespace) else person)


_ADDRESS_FORMS = {
    "kk": ("{settlement}, {street}, {building}-үй", ", {apartment}-пәтер"),
    "ru": ("{settlement}, {street}, д. {building}", ", кв. {apartment}"),
}


def _address(lang: str) -> Callable[[Any], str]:
    def fmt(addr: Any) -> str:
        base, flat = _ADDRESS_FORMS[lang]
        text = base.format(settlement=addr.settlement, street=addr.street, building=addr.building)
        return text + (flat.format(apartment=addr.apartment) if addr.apartment else "")
    return fmt


@cache
def jinja_env(lang: str) -> SandboxedEnvironment:
    """The template environment for one language (filters know the language)."""
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True, finalize=_finalize)
    env.filters.update({"full_name": _person_name, "address": _address(lang), **language_filters(lang)})
    return env


def context(doc: DocumentType, data: Mapping[str, Any], lang: str, regulation: Regulation,
            today: date, document_id: str = "", verify_url: str = "") -> dict[str, Any]:
    """Everything the template sees: input fields, computed values and the globals."""
    fields = vars(doc.root.printed(data, lang))
    computed = {name: spec.printed(COMPUTATIONS[spec.compute](dict(data), regulation), lang)
                for name, spec in doc.computed.items() if spec.compute}
    return {**fields, **computed, "title": doc.title[lang], "lang": lang,
            "generated_on": DateValue(today, lang), "document_id": document_id,
            "verify_url": verify_url, "qr": None}


QR_WIDTH = Mm(18)
_QR_SCALE, _QR_BORDER = 6, 2   # pixels per module, modules of white margin


def qr_png(text: str) -> bytes:
    """A QR code of `text` as PNG: error correction M (survives a photocopy), raised to Q or H
    where that needs no bigger symbol, the mask chosen by the standard's penalty rules (zxing-cpp)."""
    matrix = None
    for level in "MQH":
        candidate = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=level)
        image = candidate.to_image(scale=1, add_quiet_zones=False)
        if matrix is not None and image.shape != matrix.shape:
            break
        matrix = image
    assert matrix is not None
    size = matrix.shape[0]
    modules = Image.frombuffer("L", (size, size), bytes(cast(Any, matrix)), "raw", "L", 0, 1).convert("1")
    picture = ImageOps.expand(modules.resize((size * _QR_SCALE, size * _QR_SCALE), Image.Resampling.NEAREST),
                              border=_QR_BORDER * _QR_SCALE, fill=1)
    out = BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def render_docx(template: bytes, ctx: dict[str, Any], lang: str) -> bytes:
    """docxtpl in full: read the package, patch and compile every part, fill, save.

    The reference the compiled path (`compiled.CompiledDocx`) is tested against; the service uses that.
    """
    tpl = Template(BytesIO(template))
    ctx = dict(ctx)
    if ctx.get("verify_url"):
        ctx["qr"] = InlineImage(tpl, BytesIO(qr_png(ctx["verify_url"])), width=QR_WIDTH)
    tpl.render(ctx, jinja_env=jinja_env(lang), autoescape=True)
    if ctx.get("document_id"):
        props = tpl.docx.core_properties
        props.identifier = props.keywords = ctx["document_id"]
    out = BytesIO()
    tpl.save(out)
    return out.getvalue()
