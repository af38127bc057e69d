"""The validator of record, rules, computations and deadlines, without HTTP or Flask.

These run in a plain Python process, as a worker or a CLI command would call them.
"""
from datetime import date
from decimal import Decimal

import pytest

from formsvc import config
from formsvc.core.errors import InvalidInput
from formsvc.definitions.compute import COMPUTATIONS
from formsvc.definitions.registry import build_registry
from formsvc.regulation.deadlines import decision_deadline, notice_deadline
from formsvc.regulation.limits import p8_threshold, p9_limit, per_capita_income
from tests.conftest import DELETE, example, set_path
from tests.test_api import CASES


@pytest.fixture(scope="module")
def registry():
    return build_registry({name: getattr(config, name) for name in dir(config) if name.isupper()})


def problems(registry, doc_type, payload):
    try:
        return registry.validate(doc_type, payload).warnings, []
    except InvalidInput as exc:
        return [], exc.problems


@pytest.mark.parametrize("path, value, field, code", [c for c in CASES if c[3]],
                         ids=[f"{c[0]}={str(c[1])[:20]}" for c in CASES if c[3]])
def test_each_application_rule_without_http(registry, path, value, field, code):
    payload = example("application")
    set_path(payload, path, value)
    _, errors = problems(registry, "application", payload)
    assert (field, code) in {(p.field, p.code) for p in errors}


@pytest.mark.parametrize("doc_type", ["application", "inspection_act", "district_commission_conclusion",
                                      "special_commission_conclusion", "decision", "refusal_notice",
                                      "grant_notice", "termination_notice", "legal_aid_request"])
def test_every_example_is_valid(registry, doc_type):
    warnings, errors = problems(registry, doc_type, example(doc_type))
    assert errors == [] and warnings == []


def test_the_error_carries_its_count_and_no_language(registry):
    payload = example("application")
    set_path(payload, "applicant.iin", "871008401428")
    set_path(payload, "date", DELETE)
    with pytest.raises(InvalidInput) as info:
        registry.validate("application", payload)
    assert info.value.params == {"count": 2}
    assert info.value.detail("ru") == "Ошибок в документе: 2."
    assert info.value.detail("kk") == "Құжаттағы қателер саны: 2."


def test_late_decision_is_a_warning_not_an_error(registry):
    payload = example("decision")
    payload["application"].update(date="2025-03-19", registered_on="2025-03-19")
    payload["date"] = "2025-04-04"     # one working day after the p22 limit (Nauryz in between)
    warnings, errors = problems(registry, "decision", payload)
    assert errors == [] and [(w.field, w.code) for w in warnings] == [("date", "p22_deadline_passed")]
    assert warnings[0].params == {"days": 8, "due": "2025-04-03"}


def test_deadlines_count_working_days_across_holidays(registry):
    reg = registry.regulation
    due = decision_deadline(reg, date(2025, 3, 19), extended_review=False)
    assert (due.parameter, due.days, due.due) == ("p22_working_days", 8, date(2025, 4, 3))
    assert decision_deadline(reg, date(2025, 3, 19), extended_review=True).days == 20
    notice = notice_deadline(reg, date(2025, 4, 3))
    assert notice.due == date(2025, 4, 8) and notice.late(date(2025, 4, 9)) and not notice.late(notice.due)


def test_computations_print_the_regulation_figures(registry):
    data = registry.validate("special_commission_conclusion", example("special_commission_conclusion")).data
    reg = registry.regulation
    assert COMPUTATIONS["per_capita_income"](data, reg) == per_capita_income(
        data["household_income_quarter"], data["household_size"])
    assert COMPUTATIONS["mci"](data, reg) == reg.params.value("mci", data["date"])
    assert COMPUTATIONS["amount_limit"](data, reg) == (p9_limit(data["ground"], data["date"], reg.params) or (0, None))[1]


def test_limits():
    assert per_capita_income(Decimal("100.00"), 3) == Decimal("11.11")
    assert per_capita_income(Decimal("0.05"), 2) == Decimal("0.01")      # half up


def test_p8_threshold_only_for_disease(registry):
    params = registry.regulation.params
    day = date(2026, 11, 20)
    assert p8_threshold("fire", day, params) is None
    assert p8_threshold("socially_significant_disease", day, params) == (
        params.value("p8_income_factor", day) * params.value("subsistence_minimum", day)).quantize(Decimal("0.01"))
