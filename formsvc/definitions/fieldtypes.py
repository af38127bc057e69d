"""Field types: one class each, the only place that knows how a type behaves.

A field type says which definition keys it takes, how its value is checked (the
validator of record, for the API and the forms alike), how it is described in JSON
Schema, how it prints in a document, and how it appears in and comes back from an HTML
form. Objects and lists are field types too: they recurse into their parts. Adding a type
is one class here and one entry in `FIELD_TYPES`.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import partial
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import marshmallow as mm
import wtforms
from wtforms import widgets

from formsvc.core import formatting
from formsvc.core.errors import DefinitionError
from formsvc.definitions import validators as v
from formsvc.definitions.schema import Checked, error_messages, items_count

if TYPE_CHECKING:
    from formsvc.definitions.loading import FieldParser, FieldSpec

Today = Callable[[], date]
Check = Callable[[Any], Any]
Options = dict[str, Any]


class FormData(Protocol):
    """Posted form data being built (werkzeug's MultiDict in the web layer)."""

    def add(self, key: str, value: str) -> None:
        """Add one value under `key`."""


class CheckboxesField(wtforms.SelectMultipleField):  # type: ignore[misc]  # wtforms ships no types
    """A group of checkboxes (a list of choices)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class FieldType:
    """A scalar field type: a typed input that one validator checks."""

    keys: ClassVar[frozenset[str]] = frozenset()       # definition keys beyond the common ones
    attributes: ClassVar[frozenset[str]] = frozenset()  # what a template may use on the printed value
    input_type: ClassVar[str | None] = None             # HTML <input type>
    input_mode: ClassVar[str | None] = None             # HTML inputmode (phone keyboards)
    verbatim: ClassVar[bool] = False                    # codes and numbers: no spell check
    computed_only: ClassVar[bool] = False               # a value the service computes, never input

    def options(self, parser: FieldParser, spec: dict[str, Any], keypath: str,
                input_field: bool) -> Options:
        """The FieldSpec attributes this type reads from its definition keys."""
        return {}

    def check(self, spec: FieldSpec, today: Today) -> Check:
        """The validator of record for one value (raises `validators.Invalid`)."""
        raise NotImplementedError

    def marshmallow(self, spec: FieldSpec, today: Today, optional: Options) -> mm.fields.Field[Any]:
        """The marshmallow field that loads this field in the API's JSON."""
        return Checked(self.check(spec, today), spec, **optional)

    def json_schema(self, spec: FieldSpec, lang: str) -> dict[str, Any]:
        """The JSON Schema of a value (without title, help or nullability)."""
        raise NotImplementedError

    def annotations(self, spec: FieldSpec) -> dict[str, Any]:
        """JSON Schema keywords for people and form builders (x-choices), beside title and help."""
        return {}

    def printed(self, spec: FieldSpec, value: Any, lang: str) -> Any:
        """The value as a template prints it."""
        return value

    def form_field(self, spec: FieldSpec, label: str, lang: str) -> Any:
        """The unbound WTForms field that shows this field."""
        return wtforms.StringField(label)

    def from_form(self, spec: FieldSpec, data: Any) -> Any:
        """Form data in the API's JSON shape (None for a blank)."""
        return None if _blank(data) else data

    def to_form(self, spec: FieldSpec, value: Any, name: str, out: FormData) -> None:
        """Add the posted-form equivalent of `value` to `out`."""
        if value is not None:
            out.add(name, str(value))


class TextType(FieldType):
    """One line, or several with `multiline`, of at most `max_length` characters."""

    keys = frozenset({"max_length", "multiline"})

    def options(self, parser: FieldParser, spec: dict[str, Any], keypath: str,
                input_field: bool) -> Options:
        if not isinstance(spec.get("max_length"), int) or spec["max_length"] < 1:
            raise DefinitionError(parser.path, f"{keypath}.max_length",
                                  "a text field needs a positive max_length")
        return {"max_length": spec["max_length"], "multiline": bool(spec.get("multiline"))}

    def check(self, spec: FieldSpec, today: Today) -> Check:
        return partial(v.check_text, max_length=spec.max_length or 0, multiline=spec.multiline)

    def json_schema(self, spec: FieldSpec, lang: str) -> dict[str, Any]:
        return {"type": "string", "maxLength": spec.max_length, "minLength": 1}

    def form_field(self, spec: FieldSpec, label: str, lang: str) -> Any:
        return wtforms.TextAreaField(label) if spec.multiline else wtforms.StringField(label)


class DateType(FieldType):
    """An ISO date; with `not_future`, not after Kazakhstan's today.

    Printed in words; `.short` as 21.11.2026, `.attr` `.loc` `.abl` `.dat` `.gen` in the Kazakh
    case a sentence needs, `.full` as the Russian "21 ноября 2026 года" (formatting.DateValue).
    """

    keys = frozenset({"not_future"})
    attributes = frozenset({"short", "attr", "loc", "abl", "dat", "gen", "full"})
    input_type = "date"

    def options(self, parser: FieldParser, spec: dict[str, Any], keypath: str,
                input_field: bool) -> Options:
        return {"not_future": bool(spec.get("not_future"))}

    def check(self, spec: FieldSpec, today: Today) -> Check:
        return lambda value: v.check_date(value, today(), spec.not_future)

    def json_schema(self, spec: FieldSpec, lang: str) -> dict[str, Any]:
        return {"type": "string", "format": "date"}

    def printed(self, spec: FieldSpec, value: Any, lang: str) -> Any:
        return formatting.DateValue(value, lang)


class MonthType(FieldType):
    """A month as YYYY-MM (the first month of a periodic grant).

    Printed as kk "2027 жылғы қаңтар" / ru "январь 2027 г."; `.since` and `.until` as the start
    and the end of a period (formatting.MonthValue).
    """

    attributes = frozenset({"since", "until"})
    input_type = "month"
    verbatim = True

    def check(self, spec: FieldSpec, today: Today) -> Check:
        return v.check_month

    def json_schema(self, spec: FieldSpec, lang: str) -> dict[str, Any]:
        return {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"}

    def printed(self, spec: FieldSpec, value: Any, lang: str) -> Any:
        return formatting.MonthValue(value, lang)


class MoneyType(FieldType):
    """Tenge with at most two decimals, as a JSON number or a decimal string."""

    keys = frozenset({"positive"})
    attributes = frozenset({"words"})
    input_mode = "decimal"
    verbatim = True

    def options(self, parser: FieldParser, spec: dict[str, Any], keypath: str,
                input_field: bool) -> Options:
        return {"positive": bool(spec.get("positive"))}

    def check(self, spec: FieldSpec, today: Today) -> Check:
        return partial(v.check_money, positive=spec.positive)

    def json_schema(self, spec: FieldSpec, lang: str) -> dict[str, Any]:
        return {"anyOf": [{"type": "number", "minimum": 0, "multipleOf": 0.01},
                          {"type": "string", "pattern": v.MONEY_PATTERN}]}

    def printed(self, spec: FieldSpec, value: Any, lang: str) -> Any:
        return formatting.Money(value, lang)


class IntegerType(FieldType):
    """A whole number within `minimum`..`maximum`."""

    keys = frozenset({"minimum", "maximum"})
    input_mode = "numeric"
    verbatim = True

    def options(self, parser: FieldParser, spec: dict[str, Any], keypath: str,
                input_field: bool) -> Options:
        return {"minimum": spec.get("minimum"), "maximum": spec.get("maximum")}

    def check(self, spec: FieldSpec, today: Today) -> Check:
        return partial(v.check_integer, minimum=spec.minimum, maximum=spec.maximum)

    def json_schema(self, spec: FieldSpec, lang: str) -> dict[str, Any]:
        bounds = {"minimum": spec.minimum, "maximum": spec.maximum}
        return {"type": "integer", **{k: b for k, b in bounds.items() if b is not None}}

    def from_form(self, spec: FieldSpec, data: Any) -> Any:
        if _blank(data):
            return None
        # typed digits become a number; anything else goes on to be reported as invalid
        return int(data) if re.fullmatch(r"\s*-?[0-9]{1,9}\s*", str(data)) else data


class BoolType(FieldType):
    """Yes or no (a checkbox)."""

    def check(self, spec: FieldSpec, today: Today) -> Check:
        return v.check_bool

    def json_schema(self, spec: FieldSpec, lang: str) -> dict[str, Any]:
        return {"type": "boolean"}

    def form_field(self, spec: FieldSpec, label: str, lang: str) -> Any:
        return wtforms.BooleanField(label)

    def from_form(self, spec: FieldSpec, data: Any) -> Any:
        return bool(data)

    def to_form(self, spec: FieldSpec, value: Any, name: str, out: FormData) -> None:
        if value:
            out.add(name, "y")


class EnumType(FieldType):
    """One code of a list of choices (shared `enum:` or own `choices:`), printed as its label."""

    keys = frozenset({"enum", "choices"})
    attributes = frozenset({"code", "label"})

    def options(self, parser: FieldParser, spec: dict[str, Any], keypath: str,
                input_field: bool) -> Options:
        if ("enum" in spec) == ("choices" in spec):
            raise DefinitionError(parser.path, keypath, "an enum needs either `enum` or `choices`")
        if "enum" in spec:
            if spec["enum"] not in parser.shared.enums:
                raise DefinitionError(parser.path, f"{keypath}.enum", f"unknown enum {spec['enum']!r}")
            return {"choices": parser.shared.enums[spec["enum"]]}
        return {"choices": {code: parser.labels(f"{keypath}.choices.{code}", labels, True)
                            for code, labels in spec["choices"].items()}}

    def check(self, spec: FieldSpec, today: Today) -> Check:
        return partial(v.check_choice, choices=tuple(spec.choices or ()))

    def json_schema(self, spec: FieldSpec, lang: str) -> dict[str, Any]:
        return {"type": "string", "enum": list(spec.choices or ())}

    def annotations(self, spec: FieldSpec) -> dict[str, Any]:
        return {"x-choices": {code: dict(labels) for code, labels in (spec.choices or {}).items()}}

    def printed(self, spec: FieldSpec, value: Any, lang: str) -> Any:
        return formatting.EnumValue(value, (spec.choices or {})[value][lang])

    def form_field(self, spec: FieldSpec, label: str, lang: str) -> Any:
        return wtforms.SelectField(label, choices=[wtforms.SelectChoice("", "—"), *self.choices(spec, lang)],
                                   validate_choice=False)

    @staticmethod
    def choices(spec: FieldSpec, lang: str) -> list[wtforms.SelectChoice]:
        """The choices as WTForms options in `lang`."""
        return [wtforms.SelectChoice(code, labels[lang]) for code, labels in (spec.choices or {}).items()]


class IinType(FieldType):
    """An individual identification number: 12 digits, real birth date, check digit."""

    input_mode = "numeric"
    verbatim = True

    def check(self, spec: FieldSpec, today: Today) -> Check:
        return lambda value: v.check_iin(value, today())

    def json_schema(self, spec: FieldSpec, lang: str) -> dict[str, Any]:
        return {"type": "string", "pattern": v.IIN_PATTERN}


class IbanType(FieldType):
    """A Kazakh IBAN; with `masked`, printed with only its ends."""

    keys = frozenset({"masked"})
    verbatim = True

    def options(self, parser: FieldParser, spec: dict[str, Any], keypath: str,
                input_field: bool) -> Options:
        return {"masked": bool(spec.get("masked"))}

    def check(self, spec: FieldSpec, today: Today) -> Check:
        return v.check_iban

    def json_schema(self, spec: FieldSpec, lang: str) -> dict[str, Any]:
        return {"type": "string", "pattern": v.IBAN_PATTERN}

    def printed(self, spec: FieldSpec, value: Any, lang: str) -> Any:
        return formatting.mask_iban(value) if spec.masked else value


class PhoneType(FieldType):
    """+7 and ten digits; spaces, hyphens and brackets as people type them."""

    input_type = "tel"
    input_mode = "tel"
    verbatim = True

    def check(self, spec: FieldSpec, today: Today) -> Check:
        return v.check_phone

    def json_schema(self, spec: FieldSpec, lang: str) -> dict[str, Any]:
        return {"type": "string", "pattern": v.PHONE_PATTERN}


class EmailType(FieldType):
    """An e-mail address."""

    input_type = "email"

    def check(self, spec: FieldSpec, today: Today) -> Check:
        return v.check_email

    def json_schema(self, spec: FieldSpec, lang: str) -> dict[str, Any]:
        return {"type": "string", "format": "email", "maxLength": v.EMAIL_MAX_LENGTH}


class ActType(FieldType):
    """A legal act a document cites: computed from the dated acts (regulation/acts.py), never input.

    Printed as its `title`, `cite` (genitive, with who approved it), `to` (dative), `number`, `date`.
    """

    computed_only = True
    attributes = frozenset({"title", "cite", "to", "number", "date"})

    def check(self, spec: FieldSpec, today: Today) -> Check:
        raise DefinitionError(spec.name, "type", "an act is computed from the dated acts, never input")

    def json_schema(self, spec: FieldSpec, lang: str) -> dict[str, Any]:
        texts = {name: {"type": "string"} for name in ("title", "cite", "to", "number")}
        return {"type": "object", "properties": {**texts, "date": {"type": "string", "format": "date"}}}

    def printed(self, spec: FieldSpec, value: Any, lang: str) -> Any:
        return value.printed(lang)


class ObjectType(FieldType):
    """A group of named fields (`fields:`, and shared objects through `include:`)."""

    keys = frozenset({"fields", "include"})

    def options(self, parser: FieldParser, spec: dict[str, Any], keypath: str,
                input_field: bool) -> Options:
        fields: dict[str, FieldSpec] = {}
        for part in spec.get("include") or ():
            if part not in parser.shared.objects:
                raise DefinitionError(parser.path, f"{keypath}.include", f"unknown object {part!r}")
            shared = parser.for_shared()
            for name, sub in (parser.shared.objects[part].get("fields") or {}).items():
                fields[name] = shared.parse(f"objects.{part}.fields.{name}", name, sub, input_field)
        prefix = f"{keypath}.fields." if keypath else ""
        for name, sub in (spec.get("fields") or {}).items():
            if name in fields:
                raise DefinitionError(parser.path, f"{prefix}{name}", "already given by `include`")
            fields[name] = parser.parse(f"{prefix}{name}", name, sub, input_field)
        if not fields:
            raise DefinitionError(parser.path, keypath, "an object needs fields")
        return {"fields": fields}

    def schema(self, spec: FieldSpec, today: Today) -> mm.Schema:
        """A marshmallow schema instance for the object (unknown fields rejected)."""
        fields = {name: sub.kind.marshmallow(sub, today, _optional(sub))
                  for name, sub in (spec.fields or {}).items()}
        schema_cls = mm.Schema.from_dict(fields, name=f"Schema_{spec.name or 'document'}")
        schema_cls.error_messages = {"unknown": "unknown_field", "type": "invalid"}
        return schema_cls(unknown=mm.RAISE)

    def marshmallow(self, spec: FieldSpec, today: Today, optional: Options) -> mm.fields.Field[Any]:
        return mm.fields.Nested(self.schema(spec, today), error_messages=error_messages(spec), **optional)

    def json_schema(self, spec: FieldSpec, lang: str) -> dict[str, Any]:
        fields = spec.fields or {}
        return {"type": "object", "additionalProperties": False,
                "properties": {name: sub.json_schema(lang) for name, sub in fields.items()},
                "required": [name for name, sub in fields.items() if sub.required]}

    def printed(self, spec: FieldSpec, value: Any, lang: str) -> Any:
        return SimpleNamespace(**{name: sub.printed(value.get(name), lang)
                                  for name, sub in (spec.fields or {}).items()})

    def form_field(self, spec: FieldSpec, label: str, lang: str) -> Any:
        return wtforms.FormField(self.form_class(spec, lang), label=label, separator="-")

    def form_class(self, spec: FieldSpec, lang: str, base: type[wtforms.Form] = wtforms.Form,
                   name: str = "") -> type[Any]:
        """The form class with a field for each part, built once per object and language."""
        key = (id(spec), lang, base)
        if key not in _FORM_CLASSES:   # the spec is kept with its class: its id is not reused
            _FORM_CLASSES[key] = (spec, type(
                f"Form_{name or spec.name or 'root'}_{lang}", (base,),
                {name: sub.form_field(lang) for name, sub in (spec.fields or {}).items()}))
        return _FORM_CLASSES[key][1]

    def from_form(self, spec: FieldSpec, data: Any) -> Any:
        out = {}
        for name, sub in (spec.fields or {}).items():
            value = sub.kind.from_form(sub, (data or {}).get(name))
            if value is not None:
                out[name] = value
        return None if not spec.required and _empty(out) else out

    def to_form(self, spec: FieldSpec, value: Any, name: str, out: FormData) -> None:
        if isinstance(value, dict):
            for key, sub in (spec.fields or {}).items():
                sub.kind.to_form(sub, value.get(key), f"{name}-{key}" if name else key, out)


class ListType(FieldType):
    """Repeating rows of one `item` (a list of choices shows as checkboxes)."""

    keys = frozenset({"item", "min_items", "max_items"})

    def options(self, parser: FieldParser, spec: dict[str, Any], keypath: str,
                input_field: bool) -> Options:
        if "item" not in spec:
            raise DefinitionError(parser.path, f"{keypath}.item", "a list needs an `item`")
        item_spec = dict(spec["item"])
        item_spec.setdefault("label", spec.get("label"))
        return {"item": parser.parse(f"{keypath}.item", "*", item_spec, input_field),
                "min_items": int(spec.get("min_items", 0)), "max_items": spec.get("max_items")}

    def marshmallow(self, spec: FieldSpec, today: Today, optional: Options) -> mm.fields.Field[Any]:
        item = _item(spec)
        if not spec.required:   # an optional list may be left out, but is never null
            optional = {**optional, "load_default": list, "allow_none": False}
        return mm.fields.List(item.kind.marshmallow(item, today, _optional(item)), validate=items_count(spec),
                              error_messages=error_messages(spec), **optional)

    def json_schema(self, spec: FieldSpec, lang: str) -> dict[str, Any]:
        schema = {"type": "array", "items": _item(spec).json_schema(lang), "minItems": spec.min_items}
        if spec.max_items is not None:
            schema["maxItems"] = spec.max_items
        return schema

    def printed(self, spec: FieldSpec, value: Any, lang: str) -> Any:
        return [_item(spec).printed(item, lang) for item in value]

    def form_field(self, spec: FieldSpec, label: str, lang: str) -> Any:
        item = _item(spec)
        if isinstance(item.kind, EnumType):
            return CheckboxesField(label, choices=EnumType.choices(item, lang), validate_choice=False)
        # no max_entries: WTForms would silently drop rows; the validator reports too_many_items
        return wtforms.FieldList(item.form_field(lang), label=label, min_entries=max(spec.min_items, 1))

    def from_form(self, spec: FieldSpec, data: Any) -> Any:
        item = _item(spec)
        rows = [item.kind.from_form(item, row) for row in data or [] if not _empty(row)]
        return rows if rows or spec.required else None

    def to_form(self, spec: FieldSpec, value: Any, name: str, out: FormData) -> None:
        if not isinstance(value, list):
            return
        item = _item(spec)
        for i, row in enumerate(value):
            if isinstance(item.kind, EnumType):
                out.add(name, str(row))
            else:
                item.kind.to_form(item, row, f"{name}-{i}", out)


_FORM_CLASSES: dict[tuple[int, str, type[Any]], tuple[object, type[Any]]] = {}


def _item(spec: FieldSpec) -> FieldSpec:
    assert spec.item is not None, spec.name
    return spec.item


def _empty(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_empty(x) for x in value.values())
    if isinstance(value, list):
        return all(_empty(x) for x in value)
    return value in (None, "", False)


def _optional(spec: FieldSpec) -> Options:
    """marshmallow's arguments for a required or an optional field."""
    if spec.required:
        return {"required": True}
    return {"required": False, "allow_none": True, "load_default": None}


FIELD_TYPES: dict[str, FieldType] = {
    "text": TextType(), "date": DateType(), "month": MonthType(), "money": MoneyType(), "integer": IntegerType(),
    "bool": BoolType(), "enum": EnumType(), "iin": IinType(), "iban": IbanType(),
    "phone": PhoneType(), "email": EmailType(), "object": ObjectType(), "list": ListType(),
    "act": ActType(),
}
