"""Named code: a rule, computation, fact source or check is found by the name data files use,
and a name given twice is refused."""
import pytest

from formsvc.cases.facts import CHECKS, SOURCES
from formsvc.core.naming import registrar
from formsvc.definitions.compute import COMPUTATIONS
from formsvc.definitions.rules import RULES


def test_a_name_is_kept_once():
    table: dict = {}
    named = registrar(table)

    @named("p10_window")
    def first(data):
        return data

    assert table == {"p10_window": first} and first("x") == "x"
    with pytest.raises(ValueError, match="'p10_window' is registered twice"):
        named("p10_window")(lambda data: data)


def test_every_table_is_filled_by_its_module():
    assert {"p10_window", "p9_limit", "inspection_findings", "period_terms"} <= set(RULES)
    assert {"period_last", "grant_total"} <= set(COMPUTATIONS)
    assert {"household", "signatory", "district_commission", "conclusion_ref"} <= set(SOURCES)
    assert {"grant_on_positive_conclusion", "refusal_grounds_founded", "circumstance_in_grant"} <= set(CHECKS)
