"""HTML forms built from the document definitions (WTForms + Flask-WTF CSRF).

The forms hold and redisplay what a person typed; they validate nothing themselves.
Form data is turned into the same JSON shape the API takes (`payload_from_form`) and
checked by the one validator of record, whose problems map back onto form fields by
path: `family_members.0.iin` is the field `family_members-0-iin`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import wtforms
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import widgets

from formsvc.definitions import DocumentType, FieldSpec


class CheckboxesField(wtforms.SelectMultipleField):
    """A group of checkboxes (a list of choices)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _choices(spec: FieldSpec, lang: str) -> list[wtforms.SelectChoice]:
    return [wtforms.SelectChoice(code, labels[lang]) for code, labels in (spec.choices or {}).items()]


def _scalar(spec: FieldSpec, lang: str) -> wtforms.Field:
    label = spec.label.get(lang, spec.name)
    if spec.type == "bool":
        return wtforms.BooleanField(label)
    if spec.type == "enum":
        return wtforms.SelectField(label, choices=[wtforms.SelectChoice("", "—"), *_choices(spec, lang)], validate_choice=False)
    if spec.type == "text" and spec.multiline:
        return wtforms.TextAreaField(label)
    return wtforms.StringField(label)


def _field(spec: FieldSpec, lang: str) -> Any:
    label = spec.label.get(lang, spec.name)
    if spec.type == "object":
        return wtforms.FormField(subform_class(spec, lang), label=label, separator="-")
    if spec.type == "list":
        assert spec.item is not None
        if spec.item.type == "enum":
            return CheckboxesField(label, choices=_choices(spec.item, lang), validate_choice=False)
        # no max_entries: WTForms would silently drop rows; the validator reports too_many_items
        return wtforms.FieldList(_field(spec.item, lang), label=label, min_entries=max(spec.min_items, 1))
    return _scalar(spec, lang)


# Form classes by (id of the definition object, language); the object is kept with its class
# so that its id cannot be reused while the entry exists.
_CLASSES: dict[tuple[int, str], tuple[object, type[Any]]] = {}


def _cached(key_obj: object, lang: str, build: Callable[[], type[Any]]) -> type[Any]:
    key = (id(key_obj), lang)
    if key not in _CLASSES:
        _CLASSES[key] = (key_obj, build())
    return _CLASSES[key][1]


def subform_class(spec: FieldSpec, lang: str) -> type[wtforms.Form]:
    """A nested form (no CSRF of its own) for an object field."""
    return _cached(spec, lang, lambda: type(
        f"Form_{spec.name or 'root'}_{lang}", (wtforms.Form,),
        {name: _field(sub, lang) for name, sub in (spec.fields or {}).items()}))


def form_class(doc: DocumentType, lang: str) -> type[FlaskForm]:
    """The top-level form of a document type in one language, with CSRF protection."""
    return _cached(doc, lang, lambda: type(
        f"Form_{doc.type}_{lang}", (FlaskForm,),
        {name: _field(sub, lang) for name, sub in (doc.root.fields or {}).items()}))


def _empty(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    if isinstance(value, list):
        return all(_empty(v) for v in value)
    return value in (None, "", False)


_SCALARS: dict[str, Callable[[Any], Any]] = {"bool": bool}


def payload_from_form(spec: FieldSpec, data: Any) -> Any:
    """Form data in the API's JSON shape: blanks left out, blank rows dropped."""
    if spec.type == "object":
        out = {}
        for name, sub in (spec.fields or {}).items():
            value = payload_from_form(sub, (data or {}).get(name))
            if value is not None:
                out[name] = value
        if not spec.required and _empty(out):
            return None
        return out
    if spec.type == "list":
        assert spec.item is not None
        rows = [payload_from_form(spec.item, row) for row in data or [] if not _empty(row)]
        return rows if rows or spec.required else None
    if spec.type == "bool":
        return bool(data)
    if data is None or (isinstance(data, str) and not data.strip()):
        return None
    return _SCALARS.get(spec.type, lambda v: v)(data)


def formdata_from_payload(spec: FieldSpec, payload: Any, prefix: str = "") -> MultiDict[str, str]:
    """The posted-form equivalent of a JSON payload (to prefill a form from it)."""
    out: MultiDict[str, str] = MultiDict()
    _flatten(spec, payload, prefix, out)
    return out


def _flatten(spec: FieldSpec, value: Any, name: str, out: MultiDict[str, str]) -> None:
    if value is None:
        return
    if spec.type == "object" and isinstance(value, dict):
        for key, sub in (spec.fields or {}).items():
            _flatten(sub, value.get(key), f"{name}-{key}" if name else key, out)
    elif spec.type == "list" and isinstance(value, list) and spec.item is not None:
        for i, item in enumerate(value):
            if spec.item.type == "enum":
                out.add(name, str(item))
            else:
                _flatten(spec.item, item, f"{name}-{i}", out)
    elif spec.type == "bool":
        if value:
            out.add(name, "y")
    else:
        out.add(name, str(value))


def field_id(path: str, form: FlaskForm) -> str:
    """The id of the form field a problem's dotted path points to (or its nearest parent)."""
    parts = path.split(".") if path else []
    known = {f.id for f in _all_fields(form)}
    while parts:
        candidate = "-".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return ""


def _all_fields(form: Any) -> list[wtforms.Field]:
    found = []
    for field in form:
        found.append(field)
        if isinstance(field, wtforms.FormField):
            found.extend(_all_fields(field.form))
        elif isinstance(field, wtforms.FieldList):
            for entry in field.entries:
                found.append(entry)
                if isinstance(entry, wtforms.FormField):
                    found.extend(_all_fields(entry.form))
    return found


def find_field(form: Any, dotted_id: str) -> wtforms.Field | None:
    """The field with this id anywhere in the form."""
    return next((f for f in _all_fields(form) if f.id == dotted_id), None)


def remove_entry(field_list: wtforms.FieldList, index: int) -> None:
    """Remove one row of a repeating group and renumber the rest."""
    rows = [entry.data for i, entry in enumerate(field_list.entries) if i != index]
    field_list.entries, field_list.last_index = [], -1
    for row in rows or [None]:
        field_list.append_entry(row)


_INPUT_TYPES = {"date": "date", "email": "email", "phone": "tel"}
_INPUT_MODES = {"iin": "numeric", "money": "decimal", "integer": "numeric", "phone": "tel"}
# Only the person filling the form is the applicant: family members must not get their data.
_AUTOCOMPLETE = {"applicant-last_name": "family-name", "applicant-first_name": "given-name",
                 "applicant-middle_name": "additional-name", "applicant-phone": "tel",
                 "applicant-email": "email"}


def input_attrs(spec: FieldSpec, field: wtforms.Field, errors: list[str] | None) -> dict[str, str]:
    """HTML attributes of one input: type, input mode, autocomplete and ARIA wiring."""
    attrs: dict[str, str] = {}
    described = ([f"{field.id}-hint"] if spec.help else []) + ([f"{field.id}-error"] if errors else [])
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if errors:
        attrs["aria-invalid"] = "true"
    if spec.type in _INPUT_TYPES:
        attrs["type"] = _INPUT_TYPES[spec.type]
    if spec.type in _INPUT_MODES:
        attrs["inputmode"] = _INPUT_MODES[spec.type]
    if spec.type in ("iin", "iban", "phone", "money", "integer"):
        attrs["spellcheck"] = "false"
    attrs["autocomplete"] = _AUTOCOMPLETE.get(field.id, "off")
    if spec.required and spec.type != "bool":
        attrs["aria-required"] = "true"
    return attrs
