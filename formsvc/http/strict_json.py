"""JSON as the service reads it: no duplicate keys, no NaN or Infinity, numbers bounded as text
before they are converted (a 632-byte "1e1000000" must not become a million-digit integer)."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

MAX_NUMBER_LENGTH = 40
MAX_EXPONENT = 30


class DuplicateKey(ValueError):
    """The same key twice in one object."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise DuplicateKey(key)
        obj[key] = value
    return obj


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _bounded_decimal(text: str) -> Decimal:
    if len(text) > MAX_NUMBER_LENGTH:
        raise ValueError(f"a number may have at most {MAX_NUMBER_LENGTH} characters")
    value = Decimal(text)
    if value and abs(value.adjusted()) > MAX_EXPONENT:
        raise ValueError(f"a number must lie between 1e-{MAX_EXPONENT} and 1e{MAX_EXPONENT}")
    return value


def _bounded_int(text: str) -> int:
    if len(text) > MAX_NUMBER_LENGTH:
        raise ValueError(f"a number may have at most {MAX_NUMBER_LENGTH} characters")
    return int(text)


def loads(text: str) -> Any:
    """Parse JSON strictly (numbers with decimals as Decimal); ValueError or RecursionError if not."""
    return json.loads(text, parse_float=_bounded_decimal, parse_int=_bounded_int,
                      parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
