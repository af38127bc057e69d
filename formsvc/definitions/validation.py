"""The validator of record: field checks (marshmallow) then the definition's named rules.

Both the JSON API and the HTML forms call `validate`, so they agree by construction.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import marshmallow as mm

from formsvc.core.errors import InvalidInput, Problem
from formsvc.definitions.rules import RULES
from formsvc.definitions.loading import FieldSpec
from formsvc.definitions.schema import problems_from_messages
from formsvc.regulation import Regulation


@dataclass
class Validated:
    """Clean input (Python dates and Decimals) and any warnings about it."""

    data: dict[str, Any]
    warnings: list[Problem] = field(default_factory=list)


def _covered(path: str, taken: set[str]) -> bool:
    """True if a field error already stands on `path` or on one of its parents."""
    parts = path.split(".")
    return any(".".join(parts[:i]) in taken for i in range(1, len(parts) + 1))


# Bounds on the work one document may cause, checked before any field is validated.
MAX_LIST_ITEMS = 200      # a list without its own max_items
MAX_PROBLEMS = 50         # problems reported; the rest are summed up in one `too_many_errors`


def oversized(spec: FieldSpec, value: Any, path: str = "") -> Problem | None:
    """The first list longer than its definition allows (with its items unread), if any."""
    if spec.item is not None and isinstance(value, list):
        limit = spec.max_items if spec.max_items is not None else MAX_LIST_ITEMS
        if len(value) > limit:
            return Problem(path, spec.code("too_many_items"), {"max": limit})
        for i, item in enumerate(value):
            found = oversized(spec.item, item, f"{path}.{i}")
            if found:
                return found
    elif spec.fields is not None and isinstance(value, dict):
        for name, sub in spec.fields.items():
            if name in value:
                found = oversized(sub, value[name], f"{path}.{name}" if path else name)
                if found:
                    return found
    return None


def capped(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS problems, then one that says how many more there were."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    return problems[:MAX_PROBLEMS] + [Problem("", "too_many_errors",
                                              {"max": MAX_PROBLEMS, "more": len(problems) - MAX_PROBLEMS})]


def validate(schema: mm.Schema, rules: tuple[str, ...], payload: Any, env: Regulation,
             root: FieldSpec | None = None) -> Validated:
    """Validate `payload`; raise InvalidInput listing every problem found (at most MAX_PROBLEMS)."""
    if not isinstance(payload, dict):
        raise InvalidInput([Problem("", "invalid")])
    too_long = oversized(root, payload) if root is not None else None
    if too_long:
        raise InvalidInput([too_long])
    try:
        data = schema.load(payload)
        errors: list[Problem] = []
    except mm.ValidationError as exc:
        data = exc.valid_data if isinstance(exc.valid_data, dict) else {}
        errors = problems_from_messages(exc.messages)
    taken = {p.field for p in errors}
    warnings: list[Problem] = []
    for name in rules:
        for problem in RULES[name](data, env):
            if problem.warning:
                warnings.append(problem)
            elif not _covered(problem.field, taken):
                errors.append(problem)
                taken.add(problem.field)
    if errors:
        raise InvalidInput(capped(errors))
    return Validated(data, warnings)
