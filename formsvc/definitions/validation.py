"""The validator of record: field checks (marshmallow) then the definition's named rules.

Both the JSON API and the HTML forms call `validate`, so they agree by construction.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import marshmallow as mm

from formsvc.core.errors import InvalidInput, Problem
from formsvc.definitions.rules import RULES
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


def validate(schema: mm.Schema, rules: tuple[str, ...], payload: Any, env: Regulation) -> Validated:
    """Validate `payload`; raise InvalidInput listing every problem found."""
    if not isinstance(payload, dict):
        raise InvalidInput([Problem("", "invalid")])
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
        raise InvalidInput(errors)
    return Validated(data, warnings)
