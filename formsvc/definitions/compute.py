"""Values the service computes for printing, never taken from the client.

A definition's `computed:` entry names one of these functions; it receives the
validated input and the rule environment, and returns the value to print.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from formsvc.core.naming import registrar
from formsvc.definitions.rules import Data
from formsvc.definitions.validators import iin_birth_date
from formsvc.regulation import Regulation
from formsvc.regulation.deadlines import decision_deadline, notice_deadline
from formsvc.regulation.acts import ActVersion
from formsvc.regulation.limits import (INCOME_DEPENDENT_GROUNDS, PERIOD_MONTHS, grant_total, p8_threshold, p9_limit,
                                       per_capita_income)

Computation = Callable[[Data, Regulation], Any]
COMPUTATIONS: dict[str, Computation] = {}


computation = registrar(COMPUTATIONS)   # @computation("name"): a value definitions print by name


def full_name(person: Data) -> str:
    """Last, first and middle name, as printed on Kazakh documents."""
    return " ".join(p for p in (person.get("last_name"), person.get("first_name"),
                                person.get("middle_name")) if p)


@computation("family_rows")
def family_rows(data: Data, env: Regulation) -> list[Data]:
    """The family composition table (Model Rules Appendix 1): birth dates from the IIN."""
    return [{"full_name": full_name(m), "iin": m["iin"], "relation": m["relation"],
             "birth_date": m.get("birth_date") or iin_birth_date(m["iin"])}
            for m in data.get("family_members") or []]


@computation("income_rows")
def income_rows(data: Data, env: Regulation) -> list[Data]:
    """Declared incomes with the name of the person who receives each."""
    people = [data["applicant"], *(data.get("family_members") or [])]
    names = {p["iin"]: full_name(p) for p in people}
    return [{"full_name": names[row["iin"]], "kind": row["kind"],
             "amount_quarter": row["amount_quarter"]}
            for row in data.get("incomes") or []]


@computation("income_total")
def income_total(data: Data, env: Regulation) -> Decimal:
    """The family's total income for the quarter."""
    return sum((row["amount_quarter"] for row in data.get("incomes") or []), Decimal("0.00"))


def _day(data: Data) -> date:
    day: date = data["date"]
    return day


@computation("saran_rules")
def saran_rules(data: Data, env: Regulation) -> ActVersion:
    """The Saran rules (maslikhat decision No. 279) in force on the document date."""
    return env.acts.on("saran_rules", _day(data))


@computation("model_rules")
def model_rules(data: Data, env: Regulation) -> ActVersion:
    """The Model Rules (Government decree No. 504) whose appendices give the forms of p17."""
    return env.acts.on("model_rules", _day(data))


@computation("legal_aid_rules")
def legal_aid_rules(data: Data, env: Regulation) -> ActVersion:
    """The legal aid regulation in force on the document date."""
    return env.acts.on("legal_aid_rules", _day(data))


@computation("income_dependent")
def income_dependent(data: Data, env: Regulation) -> bool:
    """p8, p13: whether assistance on this ground depends on income (otherwise regardless of it)."""
    return data.get("ground") in INCOME_DEPENDENT_GROUNDS


@computation("per_capita_income")
def per_capita(data: Data, env: Regulation) -> Decimal | None:
    """p2.6, p20: monthly income per household member (where the income was given)."""
    income, size = data.get("household_income_quarter"), data.get("household_size")
    return None if income is None or not size else per_capita_income(income, size)


@computation("subsistence_minimum")
def subsistence_minimum(data: Data, env: Regulation) -> Decimal:
    """The subsistence minimum in force on the document date."""
    return env.params.value("subsistence_minimum", _day(data))


@computation("mci")
def mci(data: Data, env: Regulation) -> Decimal:
    """The MCI in force on the document date."""
    return env.params.value("mci", _day(data))


@computation("income_threshold")
def income_threshold(data: Data, env: Regulation) -> Decimal | None:
    """p8: the per-capita ceiling for the ground, if it has one."""
    return p8_threshold(data.get("ground"), _day(data), env.params)


@computation("p8_factor")
def p8_factor(data: Data, env: Regulation) -> str:
    """The p8 factor in force, as printed ("1,5")."""
    return str(env.params.value("p8_income_factor", _day(data))).replace(".", ",")


@computation("amount_limit")
def amount_limit(data: Data, env: Regulation) -> Decimal | None:
    """p9: the limit in tenge for the ground, if it has one."""
    limit = p9_limit(data.get("ground"), _day(data), env.params)
    return limit[1] if limit else None


@computation("amount_limit_mci")
def amount_limit_mci(data: Data, env: Regulation) -> int | None:
    """p9: the limit in MCI for the ground, if it has one."""
    limit = p9_limit(data.get("ground"), _day(data), env.params)
    return limit[0] if limit else None


@computation("decision_due")
def decision_due(data: Data, env: Regulation) -> date:
    """p22: the last working day for the decision."""
    return decision_deadline(env, data["application"]["registered_on"], bool(data.get("extended_review"))).due


@computation("notice_due")
def notice_due(data: Data, env: Regulation) -> date:
    """p23: the last working day to notify the applicant of the decision."""
    return notice_deadline(env, _day(data)).due


@computation("payment_stops_from")
def payment_stops_from(data: Data, env: Regulation) -> date:
    """p27: payment stops from the first day of the month the circumstance arose."""
    day: date = data["circumstance_date"]
    return day.replace(day=1)


@computation("overpayment")
def overpayment(data: Data, env: Regulation) -> Decimal | None:
    """p28: the overpaid amount to return, only when there is one."""
    amount: Decimal | None = data.get("overpaid_amount")
    return amount if amount else None


@computation("period_last")
def period_last(data: Data, env: Regulation) -> str | None:
    """The month of a periodic grant's last payment (YYYY-MM)."""
    period, step = data.get("period") or {}, PERIOD_MONTHS.get(data.get("periodicity") or "")
    if not period or step is None:
        return None
    first = int(period["from"][:4]) * 12 + int(period["from"][5:]) - 1 + step * (int(period["payments"]) - 1)
    return f"{first // 12:04d}-{first % 12 + 1:02d}"


@computation("grant_total")
def grant_total_of(data: Data, env: Regulation) -> Decimal | None:
    """What the grant pays in all (the amount, times the payments of a periodic grant)."""
    if data.get("amount") is None:
        return None
    return grant_total(data["amount"], data.get("periodicity"), (data.get("period") or {}).get("payments"))
