"""JSON Schema (2020-12) of a document type's input, built from its definition."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from formsvc.definitions import DocumentType, FieldSpec

_MONEY = {"anyOf": [{"type": "number", "minimum": 0, "multipleOf": 0.01},
                    {"type": "string", "pattern": r"^\s*[0-9]+(\.[0-9]{1,2})?\s*$"}]}

# Field type -> JSON Schema fragment for a scalar.
SCALARS: dict[str, Callable[[FieldSpec], dict[str, Any]]] = {
    "text": lambda s: {"type": "string", "maxLength": s.max_length, "minLength": 1},
    "date": lambda s: {"type": "string", "format": "date"},
    "money": lambda s: dict(_MONEY),
    "integer": lambda s: {"type": "integer",
                          **({"minimum": s.minimum} if s.minimum is not None else {}),
                          **({"maximum": s.maximum} if s.maximum is not None else {})},
    "bool": lambda s: {"type": "boolean"},
    "enum": lambda s: {"type": "string", "enum": list(s.choices or ())},
    "iin": lambda s: {"type": "string", "pattern": "^[0-9]{12}$"},
    "iban": lambda s: {"type": "string", "pattern": r"^KZ[0-9]{2}[0-9A-Z]{16}$"},
    "phone": lambda s: {"type": "string", "pattern": r"^\+7[0-9]{10}$"},
    "email": lambda s: {"type": "string", "format": "email", "maxLength": 254},
}


def field_schema(spec: FieldSpec, lang: str) -> dict[str, Any]:
    """The JSON Schema of one field, titled in `lang` with both labels under x-label."""
    if spec.type == "object":
        fields = spec.fields or {}
        schema: dict[str, Any] = {
            "type": "object", "additionalProperties": False,
            "properties": {name: field_schema(sub, lang) for name, sub in fields.items()},
            "required": [name for name, sub in fields.items() if sub.required]}
    elif spec.type == "list":
        assert spec.item is not None
        schema = {"type": "array", "items": field_schema(spec.item, lang), "minItems": spec.min_items}
        if spec.max_items is not None:
            schema["maxItems"] = spec.max_items
    else:
        schema = SCALARS[spec.type](spec)
    if not spec.required and spec.type not in ("object", "list"):
        schema = {"anyOf": [schema, {"type": "null"}]}
    if spec.label:
        schema.update({"title": spec.label[lang], "x-label": dict(spec.label)})
    if spec.help:
        schema.update({"description": spec.help[lang], "x-help": dict(spec.help)})
    if spec.type == "enum":
        schema["x-choices"] = {code: dict(labels) for code, labels in (spec.choices or {}).items()}
    return schema


def document_schema(doc: DocumentType, lang: str) -> dict[str, Any]:
    """The JSON Schema of the input of `doc`."""
    schema = field_schema(doc.root, lang)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"/api/v1/document-types/{doc.type}/schema",
            "title": doc.title[lang], "x-label": dict(doc.title),
            "description": doc.regulation, **{k: v for k, v in schema.items() if k != "title"}}
