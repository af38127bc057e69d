"""Amounts of the regulation: per-capita income (p20), the p8 threshold and the p9 limits.

One computation serves the rule that checks a figure and the document that prints it.
"""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from formsvc.regulation.parameters import Parameters

# p8/p13: grounds whose assistance depends on income (income information required).
INCOME_DEPENDENT_GROUNDS = frozenset({"statutory", "socially_significant_disease"})
# p10: grounds with a three-month application window after the event.
P10_GROUNDS = frozenset({"natural_disaster", "fire", "release_from_prison"})
P9_LIMIT_PARAMETER = {"socially_significant_disease": "p9_limit_disease_mci",
                      "natural_disaster": "p9_limit_disaster_mci", "fire": "p9_limit_disaster_mci"}
P8_THRESHOLD_GROUNDS = frozenset({"socially_significant_disease"})
MONEY_STEP = Decimal("0.01")
PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6}   # p5: months between two payments


def p9_limit(ground: str | None, day: date, params: Parameters) -> tuple[int, Decimal] | None:
    """The p9 limit for `ground` on `day` as (number of MCI, tenge), or None if unlimited."""
    name = P9_LIMIT_PARAMETER.get(ground or "")
    if name is None:
        return None
    count = params.whole(name, day)
    return count, (params.value("mci", day) * count).quantize(MONEY_STEP)


def p9_bounds_total(ground: str | None, params: Parameters) -> bool:
    """True if the p9 limit of `ground` bounds a periodic grant's total (the reading kept beside
    the parameter in parameters.yaml), False if it bounds each payment."""
    name = P9_LIMIT_PARAMETER.get(ground or "")
    return name is not None and params[name].applies_to == "grant_total"


def grant_total(amount: Decimal, periodicity: str | None, payments: int | None) -> Decimal:
    """What a grant pays in all: the amount, times the payments of a periodic grant."""
    count = payments if periodicity not in (None, "one_time") and payments else 1
    return (amount * count).quantize(MONEY_STEP)


def per_capita_income(quarter_income: Decimal, household_size: int) -> Decimal:
    """p2.6, p20: the family's monthly income per member (quarter / 3 / household size)."""
    return (quarter_income / 3 / household_size).quantize(MONEY_STEP, rounding=ROUND_HALF_UP)


def p8_threshold(ground: str | None, day: date, params: Parameters) -> Decimal | None:
    """p8: the per-capita income ceiling (factor × subsistence minimum), where one applies."""
    if ground not in P8_THRESHOLD_GROUNDS:
        return None
    return (params.value("p8_income_factor", day)
            * params.value("subsistence_minimum", day)).quantize(MONEY_STEP)
