"""HTML forms built from the document definitions (WTForms + Flask-WTF CSRF).

The forms hold and redisplay what a person typed; they validate nothing themselves.
Form data is turned into the same JSON shape the API takes (`payload_from_form`) and
checked by the one validator of record, whose problems map back onto form fields by
path: `family_members.0.iin` is the field `family_members-0-iin`.
"""
from __future__ import annotations

from typing import Any

import wtforms
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from formsvc.definitions.fieldtypes import ObjectType
from formsvc.definitions.loading import DocumentType, FieldSpec


def form_class(doc: DocumentType, lang: str) -> type[FlaskForm]:
    """The top-level form of a document type in one language, with CSRF protection."""
    kind = doc.root.kind
    assert isinstance(kind, ObjectType)
    cls: type[FlaskForm] = kind.form_class(doc.root, lang, base=FlaskForm, name=doc.type)
    return cls


def form_class_of(spec: FieldSpec, lang: str, name: str) -> type[FlaskForm]:
    """A form with CSRF protection for any object field (a part of a document's fields)."""
    kind = spec.kind
    assert isinstance(kind, ObjectType)
    cls: type[FlaskForm] = kind.form_class(spec, lang, base=FlaskForm, name=name)
    return cls


def payload_from_form(spec: FieldSpec, data: Any) -> Any:
    """Form data in the API's JSON shape: blanks left out, blank rows dropped."""
    return spec.kind.from_form(spec, data)


def formdata_from_payload(spec: FieldSpec, payload: Any) -> MultiDict[str, str]:
    """The posted-form equivalent of a JSON payload (to prefill a form from it)."""
    out: MultiDict[str, str] = MultiDict()
    spec.kind.to_form(spec, payload, "", out)
    return out


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
    kind = spec.kind
    if kind.input_type:
        attrs["type"] = kind.input_type
    if kind.input_mode:
        attrs["inputmode"] = kind.input_mode
    if kind.verbatim:
        attrs["spellcheck"] = "false"
    attrs["autocomplete"] = _AUTOCOMPLETE.get(field.id, "off")
    if spec.required and spec.type != "bool":
        attrs["aria-required"] = "true"
    return attrs
