"""Working-day deadlines of the procedure (p16, p17, p20, p21, p22, p23).

Each deadline is a dated parameter (a number of working days) counted on the Kazakhstan
calendar from a start date. Rules, printed documents and cases all ask here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from formsvc.regulation import Regulation


@dataclass(frozen=True)
class Deadline:
    """`days` working days after `start` (the limit in force on `start`), ending on `due`."""

    parameter: str
    start: date
    days: int
    due: date

    def late(self, done: date) -> bool:
        """True if something done on `done` missed the deadline."""
        return done > self.due


def working_day_deadline(reg: Regulation, start: date, parameter: str) -> Deadline:
    """The deadline of `parameter` counted from `start` on the working-day calendar."""
    days = reg.params.whole(parameter, start)
    return Deadline(parameter, start, days, reg.calendar.add_working_days(start, days))


def p22_parameter(extended_review: bool) -> str:
    """Which p22 limit applies: 8 working days, or 20 in the cases of p18–19."""
    return "p22_extended_working_days" if extended_review else "p22_working_days"


def decision_deadline(reg: Regulation, registered_on: date, extended_review: bool) -> Deadline:
    """p22: the authorized body decides within 8 (or 20) working days of registration."""
    return working_day_deadline(reg, registered_on, p22_parameter(extended_review))


def notice_deadline(reg: Regulation, decided_on: date) -> Deadline:
    """p23: the applicant is notified in writing within 3 working days of the decision."""
    return working_day_deadline(reg, decided_on, "p23_working_days")
