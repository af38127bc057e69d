"""The regulation in force on a date: dated parameters, working days, limits and deadlines.

Imports no Flask. `Regulation` is what rules and computations consult besides the input.
"""
from __future__ import annotations

from dataclasses import dataclass

from formsvc.regulation.parameters import Parameters
from formsvc.regulation.workdays import WorkingCalendar


@dataclass(frozen=True)
class Regulation:
    """The dated parameters and the working-day calendar."""

    params: Parameters
    calendar: WorkingCalendar
