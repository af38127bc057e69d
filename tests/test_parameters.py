from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from formsvc import config
from formsvc.core.errors import DefinitionError
from formsvc.regulation.parameters import load_parameters


@pytest.fixture(scope="module")
def params():
    return load_parameters(Path(config.PARAMETERS_FILE))


@pytest.mark.parametrize("day, mci, pm", [
    (date(2024, 6, 1), 3692, 43407),
    (date(2024, 12, 31), 3692, 43407),
    (date(2025, 1, 1), 3932, 46228),
    (date(2026, 11, 21), 4325, 50851),
])
def test_value_in_force_on_a_date(params, day, mci, pm):
    assert params.value("mci", day) == mci
    assert params.value("subsistence_minimum", day) == pm


def test_rule_parameters(params):
    day = date(2026, 11, 21)
    assert params.value("p8_income_factor", day) == Decimal("1.5")
    assert (params.whole("p9_limit_disease_mci", day), params.whole("p9_limit_disaster_mci", day)) == (10, 100)
    assert params.whole("p10_window_months", day) == 3
    assert [params.whole(f"p{n}_working_days", day) for n in (16, 17, 20, 21, 22, 23)] == [1, 2, 1, 2, 8, 3]
    assert params.whole("p22_extended_working_days", day) == 20


def test_no_value_before_the_first_date(params):
    with pytest.raises(LookupError):
        params.value("mci", date(2023, 12, 31))


@pytest.mark.parametrize("text, key", [
    ("mci: {unit: tenge, values: [{from: 2025-01-01, value: 1}, {from: 2024-01-01, value: 2}]}", "mci.values.1.from"),
    ("mci: {unit: tenge, values: []}", "mci.values"),
    ("mci: {unit: tenge, valuez: []}", "mci.valuez"),
    ("mci: {unit: euros, values: [{from: 2025-01-01, value: 1}]}", "mci.unit"),
    ("mci: {unit: tenge, values: [{from: 2025-01-01, value: abc}]}", "mci.values.0.value"),
])
def test_inconsistent_file_names_the_key(tmp_path, text, key):
    path = tmp_path / "parameters.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        load_parameters(path)
    assert info.value.key == key and str(path) in str(info.value)
