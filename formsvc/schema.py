"""Build the marshmallow schema of a document type from its definition.

Field errors are raised as message tokens `code` or `code|{json params}` so that the
error list can carry stable codes; `problems_from_messages` turns marshmallow's nested
error dict into flat `Problem`s with dotted paths.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

import marshmallow as mm

from formsvc import validators as v
from formsvc.definitions import FieldSpec
from formsvc.errors import Problem

Today = Callable[[], date]
Check = Callable[[Any], Any]

# Field type -> the validator of record for that type.
CHECKS: dict[str, Callable[[FieldSpec, Today], Check]] = {
    "text": lambda s, today: partial(v.check_text, max_length=s.max_length or 0, multiline=s.multiline),
    "date": lambda s, today: lambda value: v.check_date(value, today(), s.not_future),
    "money": lambda s, today: partial(v.check_money, positive=s.positive),
    "integer": lambda s, today: partial(v.check_integer, minimum=s.minimum, maximum=s.maximum),
    "bool": lambda s, today: v.check_bool,
    "enum": lambda s, today: partial(v.check_choice, choices=tuple(s.choices or ())),
    "iin": lambda s, today: lambda value: v.check_iin(value, today()),
    "iban": lambda s, today: v.check_iban,
    "phone": lambda s, today: v.check_phone,
    "email": lambda s, today: v.check_email,
}

_MESSAGES: dict[str, str | list[Any] | dict[Any, Any]] = {"required": "required", "null": "required", "type": "invalid",
             "invalid": "invalid", "validator_failed": "invalid"}


def token(code: str, params: dict[str, Any] | None = None) -> str:
    """Encode an error code and its parameters as one marshmallow message."""
    return f"{code}|{json.dumps(params, default=str)}" if params else code


class Checked(mm.fields.Field):
    """A scalar field validated by one of `formsvc.validators`."""

    def __init__(self, check: Check, spec: FieldSpec, **kwargs: Any) -> None:
        super().__init__(error_messages=_messages(spec), **kwargs)
        self.check, self.spec = check, spec

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not self.required and isinstance(value, str) and not value.strip():
            return None  # an optional field left empty is absent
        try:
            return self.check(value)
        except v.Invalid as exc:
            raise mm.ValidationError(token(self.spec.code(exc.code), exc.params)) from None


def _messages(spec: FieldSpec) -> dict[str, str | list[Any] | dict[Any, Any]]:
    return {key: spec.code(code) for key, code in _MESSAGES.items()}  # type: ignore[arg-type]


def _items_count(spec: FieldSpec) -> Callable[[list[Any]], None]:
    def validate(items: list[Any]) -> None:
        if len(items) < spec.min_items:
            raise mm.ValidationError(token(spec.code("too_few_items"), {"min": spec.min_items}))
        if spec.max_items is not None and len(items) > spec.max_items:
            raise mm.ValidationError(token(spec.code("too_many_items"), {"max": spec.max_items}))
    return validate


def build_field(spec: FieldSpec, today: Today) -> mm.fields.Field:
    """The marshmallow field for one declared field."""
    optional: dict[str, Any] = ({"required": True} if spec.required else
                                {"required": False, "allow_none": True, "load_default": None})
    if spec.type == "object":
        return mm.fields.Nested(build_schema(spec, today), error_messages=_messages(spec), **optional)
    if spec.type == "list":
        assert spec.item is not None
        if not spec.required:
            optional["load_default"] = list
        return mm.fields.List(build_field(spec.item, today), validate=_items_count(spec),
                              error_messages=_messages(spec), **optional)
    return Checked(CHECKS[spec.type](spec, today), spec, **optional)


def build_schema(spec: FieldSpec, today: Today) -> mm.Schema:
    """A marshmallow schema instance for an object field (unknown fields rejected)."""
    fields = {name: build_field(sub, today) for name, sub in (spec.fields or {}).items()}
    schema_cls = mm.Schema.from_dict(fields, name=f"Schema_{spec.name or 'document'}")
    schema_cls.error_messages = {"unknown": "unknown_field", "type": "invalid"}
    return schema_cls(unknown=mm.RAISE)


def problems_from_messages(messages: Any, prefix: str = "") -> list[Problem]:
    """Flatten marshmallow's error dict into Problems with dotted field paths."""
    if isinstance(messages, dict):
        found: list[Problem] = []
        for key, sub in messages.items():
            path = prefix if key == "_schema" else (f"{prefix}.{key}" if prefix else str(key))
            found.extend(problems_from_messages(sub, path))
        return found
    if isinstance(messages, list):
        return [p for m in messages for p in problems_from_messages(m, prefix)]
    code, _, params = str(messages).partition("|")
    return [Problem(prefix, code, json.loads(params) if params else {})]
