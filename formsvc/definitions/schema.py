"""marshmallow plumbing of the field types: coded errors in, flat `Problem`s out.

Field errors are raised as message tokens `code` or `code|{json params}` so that the
error list can carry stable codes; `problems_from_messages` turns marshmallow's nested
error dict into flat `Problem`s with dotted paths. The schemas themselves are built by
the field types (`fieldtypes.ObjectType.schema`).
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import marshmallow as mm

from formsvc.core.errors import Problem
from formsvc.definitions import validators as v

if TYPE_CHECKING:
    from formsvc.definitions.loading import FieldSpec

Check = Callable[[Any], Any]

_MESSAGES: dict[str, str | list[Any] | dict[Any, Any]] = {"required": "required", "null": "required", "type": "invalid",
             "invalid": "invalid", "validator_failed": "invalid"}


def token(code: str, params: dict[str, Any] | None = None) -> str:
    """Encode an error code and its parameters as one marshmallow message."""
    return f"{code}|{json.dumps(params, default=str)}" if params else code


class Checked(mm.fields.Field[Any]):
    """A scalar field validated by one of `formsvc.validators`."""

    def __init__(self, check: Check, spec: FieldSpec, **kwargs: Any) -> None:
        super().__init__(error_messages=error_messages(spec), **kwargs)
        self.check, self.spec = check, spec

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not self.required and isinstance(value, str) and not value.strip():
            return None  # an optional field left empty is absent
        try:
            return self.check(value)
        except v.Invalid as exc:
            raise mm.ValidationError(token(self.spec.code(exc.code), exc.params)) from None


def error_messages(spec: FieldSpec) -> dict[str, str | list[Any] | dict[Any, Any]]:
    """marshmallow's own error messages as this field's codes."""
    return {key: spec.code(code) for key, code in _MESSAGES.items()}  # type: ignore[arg-type]


def items_count(spec: FieldSpec) -> Callable[[list[Any]], None]:
    """The check of a list's length against the definition's min_items/max_items."""
    def validate(items: list[Any]) -> None:
        if len(items) < spec.min_items:
            raise mm.ValidationError(token(spec.code("too_few_items"), {"min": spec.min_items}))
        if spec.max_items is not None and len(items) > spec.max_items:
            raise mm.ValidationError(token(spec.code("too_many_items"), {"max": spec.max_items}))
    return validate


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
