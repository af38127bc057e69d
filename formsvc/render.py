"""Fill a Word template (docxtpl) with validated input, safely.

docxtpl does not escape by default: an `&` or `<` in a value would corrupt the XML.
Here every printed value is XML-escaped, and `{`/`}` are written as character
references, so user text such as `{{ x }}` or `{_{` prints literally (docxtpl rewrites
`{_{` after rendering). A missing variable is an error (StrictUndefined), never a blank.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import segno
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from formsvc import formatting
from formsvc.compute import COMPUTATIONS, full_name
from formsvc.definitions import DocumentType, FieldSpec
from formsvc.rules import RuleEnv


class EnumValue:
    """A chosen code that prints as its label and compares equal to its code."""

    __slots__ = ("code", "label")

    def __init__(self, code: str, label: str) -> None:
        self.code, self.label = code, label

    def __str__(self) -> str:
        return self.label

    def __eq__(self, other: object) -> bool:
        return self.code == (other.code if isinstance(other, EnumValue) else other)

    def __hash__(self) -> int:
        return hash(self.code)


class DateValue:
    """A date that prints in the document's language; `.short` gives 21.11.2026."""

    __slots__ = ("value", "lang")

    def __init__(self, value: date, lang: str) -> None:
        self.value, self.lang = value, lang

    def __str__(self) -> str:
        return formatting.long_date(self.value, self.lang)

    @property
    def short(self) -> str:
        """dd.mm.yyyy."""
        return formatting.short_date(self.value)


class Money:
    """Tenge that prints as '180 000,00'."""

    __slots__ = ("value", "lang")

    def __init__(self, value: Decimal, lang: str) -> None:
        self.value, self.lang = value, lang

    def __str__(self) -> str:
        return formatting.money(self.value)

    @property
    def words(self) -> str:
        """The amount in words, tenge and tiyn, in the document's language."""
        return formatting.money_words(self.value, self.lang)


# Attributes a template may use on a printed value, by field type (checked at start-up).
LEAF_ATTRIBUTES: dict[str, set[str]] = {"enum": {"code", "label"}, "date": {"short"}, "money": {"words"}}
# Names every template may use besides the definition's fields and computed values.
GLOBALS = ("title", "lang", "generated_on", "document_id", "verify_url", "qr")

_LEAVES: dict[str, Callable[[FieldSpec, Any, str], Any]] = {
    "enum": lambda s, v, lang: EnumValue(v, (s.choices or {})[v][lang]),
    "date": lambda s, v, lang: DateValue(v, lang),
    "money": lambda s, v, lang: Money(v, lang),
    "iban": lambda s, v, lang: mask_iban(v) if s.masked else v,
}


def mask_iban(iban: str) -> str:
    """KZ86 **** **** **** 0100: enough to recognise the account, not to use it."""
    return f"{iban[:4]} **** **** **** {iban[-4:]}"


def view(spec: FieldSpec, value: Any, lang: str) -> Any:
    """Wrap validated data for printing; objects get every declared field (None if absent)."""
    if value is None:
        return None
    if spec.type == "object":
        return SimpleNamespace(**{name: view(sub, value.get(name), lang)
                                  for name, sub in (spec.fields or {}).items()})
    if spec.type == "list":
        assert spec.item is not None
        return [view(spec.item, item, lang) for item in value]
    leaf = _LEAVES.get(spec.type)
    return leaf(spec, value, lang) if leaf else value


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
    env.filters.update({"full_name": _person_name, "address": _address(lang)})
    return env


def context(doc: DocumentType, data: Mapping[str, Any], lang: str, env: RuleEnv,
            today: date, document_id: str = "", verify_url: str = "") -> dict[str, Any]:
    """Everything the template sees: input fields, computed values and the globals."""
    fields = vars(view(doc.root, data, lang))
    computed = {name: view(spec, COMPUTATIONS[spec.compute](dict(data), env), lang)
                for name, spec in doc.computed.items() if spec.compute}
    return {**fields, **computed, "title": doc.title[lang], "lang": lang,
            "generated_on": DateValue(today, lang), "document_id": document_id,
            "verify_url": verify_url, "qr": None}


def qr_png(text: str) -> BytesIO:
    """A QR code of `text` as PNG (medium error correction, survives a photocopy)."""
    out = BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=6, border=2)
    out.seek(0)
    return out


def render_docx(template: Path, ctx: dict[str, Any], lang: str) -> bytes:
    """Fill `template` with `ctx` and return the DOCX bytes.

    With a `verify_url` in the context the page gets its QR code; the document id goes
    into the file's properties, which the PDF export carries into its metadata.
    """
    tpl = DocxTemplate(template)
    ctx = dict(ctx)
    if ctx.get("verify_url"):
        ctx["qr"] = InlineImage(tpl, qr_png(ctx["verify_url"]), width=Mm(18))
    tpl.render(ctx, jinja_env=jinja_env(lang), autoescape=True)
    if ctx.get("document_id"):
        props = tpl.docx.core_properties
        props.identifier = props.keywords = ctx["document_id"]
    out = BytesIO()
    tpl.save(out)
    return out.getvalue()
