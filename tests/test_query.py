"""The case list's query string (`formsvc.http.query`), read the same for the API and the clerk pages."""
from datetime import date

import pytest

from formsvc.cases.service import CaseFilters
from formsvc.core.errors import BadRequest
from formsvc.http.query import parse_filters


def test_no_parameters_is_the_first_page_unfiltered():
    assert parse_filters({}) == (CaseFilters(), 1)


def test_every_filter_is_read():
    filters, page = parse_filters({"status": "registered", "overdue": "true", "ground": "fire",
                                   "registered_from": "2026-01-01", "registered_to": "2026-12-31",
                                   "number": "2026-000001", "iin": "871008401427", "page": "3"})
    assert page == 3
    assert filters == CaseFilters(status="registered", overdue=True, ground="fire",
                                  registered_from=date(2026, 1, 1), registered_to=date(2026, 12, 31),
                                  number="2026-000001", iin="871008401427")


def test_an_empty_value_is_no_filter():
    empty = {name: "" for name in ("status", "overdue", "ground", "registered_from", "registered_to", "number",
                                   "iin")}
    assert parse_filters(empty) == (CaseFilters(), 1)
    assert parse_filters({"overdue": "false"})[0].overdue is False


@pytest.mark.parametrize("name, value", [
    ("page", "0"), ("page", "100001"), ("page", "x"), ("page", "-1"), ("page", ""),
    ("overdue", "maybe"), ("overdue", "1"),
    ("registered_from", "yesterday"), ("registered_to", "2026-02-30"),
])
def test_a_bad_value_is_a_400_naming_the_parameter(name, value):
    with pytest.raises(BadRequest) as caught:
        parse_filters({name: value})
    assert [(p.field, p.code) for p in caught.value.problems] == [(name, "invalid")]
