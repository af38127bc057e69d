"""Values the service computes for printing, never taken from the client.

A definition's `computed:` entry names one of these functions; it receives the
validated input and the rule environment, and returns the value to print.
"""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from formsvc.rules import Data, RuleEnv
from formsvc.validators import iin_birth_date

Computation = Callable[[Data, RuleEnv], Any]
COMPUTATIONS: dict[str, Computation] = {}


def computation(name: str) -> Callable[[Computation], Computation]:
    """Register a computation under `name`, the name definitions use."""
    def register(fn: Computation) -> Computation:
        COMPUTATIONS[name] = fn
        return fn
    return register


def full_name(person: Data) -> str:
    """Last, first and middle name, as printed on Kazakh documents."""
    return " ".join(p for p in (person.get("last_name"), person.get("first_name"),
                                person.get("middle_name")) if p)


@computation("family_rows")
def family_rows(data: Data, env: RuleEnv) -> list[Data]:
    """The family composition table (Model Rules Appendix 1): birth dates from the IIN."""
    return [{"full_name": full_name(m), "iin": m["iin"], "relation": m["relation"],
             "birth_date": m.get("birth_date") or iin_birth_date(m["iin"])}
            for m in data.get("family_members") or []]


@computation("income_rows")
def income_rows(data: Data, env: RuleEnv) -> list[Data]:
    """Declared incomes with the name of the person who receives each."""
    people = [data["applicant"], *(data.get("family_members") or [])]
    names = {p["iin"]: full_name(p) for p in people}
    return [{"full_name": names[row["iin"]], "kind": row["kind"],
             "amount_quarter": row["amount_quarter"]}
            for row in data.get("incomes") or []]


@computation("income_total")
def income_total(data: Data, env: RuleEnv) -> Decimal:
    """The family's total income for the quarter."""
    return sum((row["amount_quarter"] for row in data.get("incomes") or []), Decimal("0.00"))
