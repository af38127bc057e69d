"""The regulation in force on a date: dated parameters, working days, limits, deadlines and acts.

Imports no Flask. `Regulation` is what rules and computations consult besides the input.
"""
from __future__ import annotations

from dataclasses import dataclass

from formsvc.regulation.acts import Acts
from formsvc.regulation.parameters import Parameters
from formsvc.regulation.workdays import WorkingCalendar


@dataclass(frozen=True)
class Regulation:
    """The dated parameters, the working-day calendar and the acts documents cite."""

    params: Parameters
    calendar: WorkingCalendar
    acts: Acts
