"""The Kazakhstan working-day calendar: weekends, public holidays, their transfers,
government-moved working days, and a local override table for what the `holidays`
package does not know yet."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import holidays

from formsvc.core.datafile import read_yaml
from formsvc.core.errors import DefinitionError

_MAX_SPAN = 400  # working days; no deadline in the rules is anywhere near this


class WorkingCalendar:
    """Working days in Kazakhstan, with overrides applied on top of `holidays`."""

    def __init__(self, days_off: dict[date, str] | None = None,
                 working_days: dict[date, str] | None = None) -> None:
        self._holidays = holidays.country_holidays("KZ")
        self.days_off = dict(days_off or {})
        self.working_days = dict(working_days or {})

    def is_working_day(self, day: date) -> bool:
        """True if `day` is a working day in Kazakhstan."""
        if day in self.working_days:
            return True
        if day in self.days_off:
            return False
        return bool(self._holidays.is_working_day(day))

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (start itself is not counted)."""
        if not 0 <= n <= _MAX_SPAN:
            raise ValueError(f"n must be between 0 and {_MAX_SPAN}")
        day = start
        while n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie after `start` up to and including `end`."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


def load_calendar(path: Path) -> WorkingCalendar:
    """Build the calendar with the override table from `path` (checked strictly)."""
    raw = read_yaml(path) or {}
    if not isinstance(raw, dict) or set(raw) - {"days_off", "working_days"}:
        unknown = sorted(set(raw) - {"days_off", "working_days"}) if isinstance(raw, dict) else [""]
        raise DefinitionError(path, unknown[0], "unknown key (expected days_off, working_days)")
    tables = {key: _overrides(path, key, raw.get(key) or []) for key in ("days_off", "working_days")}
    both = set(tables["days_off"]) & set(tables["working_days"])
    if both:
        raise DefinitionError(path, str(min(both)), "listed both as a day off and a working day")
    return WorkingCalendar(tables["days_off"], tables["working_days"])


def _overrides(path: Path, key: str, entries: Any) -> dict[date, str]:
    if not isinstance(entries, list):
        raise DefinitionError(path, key, "expected a list")
    table: dict[date, str] = {}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or set(entry) != {"date", "reason"} \
                or not isinstance(entry["date"], date):
            raise DefinitionError(path, f"{key}.{i}", "each entry needs `date` (YYYY-MM-DD) and `reason`")
        table[entry["date"]] = str(entry["reason"])
    return table
