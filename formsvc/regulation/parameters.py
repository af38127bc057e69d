"""Dated regulation parameters: the value of a named parameter in force on a date."""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any


from formsvc.core.datafile import read_yaml
from formsvc.core.errors import DefinitionError

_PARAM_KEYS = {"title", "unit", "values", "applies_to"}
_APPLIES_TO = {"payment", "grant_total"}   # what a limit bounds: one payment, or a periodic grant's total
_UNITS = {"tenge", "factor", "mci", "months", "working_days"}


@dataclass(frozen=True)
class Parameter:
    """One parameter's history: ascending effective-from dates and their values."""

    name: str
    title: dict[str, str]
    unit: str
    starts: tuple[date, ...]
    values: tuple[Decimal, ...]
    applies_to: str | None = None   # for a limit: "payment" or "grant_total"

    def on(self, day: date) -> Decimal:
        """The value in force on `day` (LookupError before the first effective date)."""
        i = bisect.bisect_right(self.starts, day) - 1
        if i < 0:
            raise LookupError(f"parameter {self.name} has no value in force on {day}")
        return self.values[i]


class Parameters:
    """All regulation parameters, loaded and checked from one YAML file."""

    def __init__(self, params: dict[str, Parameter], path: Path) -> None:
        self._params = params
        self.path = path

    def __getitem__(self, name: str) -> Parameter:
        return self._params[name]

    def value(self, name: str, day: date) -> Decimal:
        """The value of parameter `name` in force on `day`."""
        return self._params[name].on(day)

    def whole(self, name: str, day: date) -> int:
        """An integral parameter (days, months) in force on `day`."""
        return int(self.value(name, day))

    def names(self) -> list[str]:
        """The parameter names, in file order."""
        return list(self._params)


def load_parameters(path: Path) -> Parameters:
    """Read and check the parameter file; any inconsistency names the file and key."""
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise DefinitionError(path, "", "expected a mapping of parameter names")
    return Parameters({name: _parameter(path, name, spec) for name, spec in raw.items()}, path)


def _parameter(path: Path, name: str, spec: Any) -> Parameter:
    if not isinstance(spec, dict):
        raise DefinitionError(path, name, "expected a mapping")
    unknown = set(spec) - _PARAM_KEYS
    if unknown:
        raise DefinitionError(path, f"{name}.{sorted(unknown)[0]}", "unknown key")
    if spec.get("unit") not in _UNITS:
        raise DefinitionError(path, f"{name}.unit", f"must be one of {sorted(_UNITS)}")
    entries = spec.get("values")
    if not isinstance(entries, list) or not entries:
        raise DefinitionError(path, f"{name}.values", "needs at least one dated value")
    starts: list[date] = []
    values: list[Decimal] = []
    for i, entry in enumerate(entries):
        key = f"{name}.values.{i}"
        if not isinstance(entry, dict) or set(entry) != {"from", "value"}:
            raise DefinitionError(path, key, "each value needs exactly `from` and `value`")
        start, value = entry["from"], entry["value"]
        if not isinstance(start, date):
            raise DefinitionError(path, f"{key}.from", "must be a date YYYY-MM-DD")
        if starts and start <= starts[-1]:
            raise DefinitionError(path, f"{key}.from", "dates must be in ascending order")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise DefinitionError(path, f"{key}.value", "must be a number")
        starts.append(start)
        values.append(Decimal(str(value)))
    applies_to = spec.get("applies_to")
    if applies_to is not None and applies_to not in _APPLIES_TO:
        raise DefinitionError(path, f"{name}.applies_to", f"one of {', '.join(sorted(_APPLIES_TO))}")
    return Parameter(name, dict(spec.get("title") or {}), spec["unit"], tuple(starts), tuple(values), applies_to)
