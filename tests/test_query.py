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


def test_the_api_reads_no_iin_from_a_url():
    """SECURITY.md: the API's case list has no IIN filter (an IIN never stands in a URL); the
    clerk pages' search posts one."""
    from formsvc.http.query import CASE_QUERY, CLERK_CASE_QUERY
    assert parse_filters({"iin": "871008401427"}, CASE_QUERY)[0].iin is None
    assert parse_filters({"iin": "871008401427"}, CLERK_CASE_QUERY)[0].iin == "871008401427"
    assert parse_filters({"iin": "871008401427"})[0].iin == "871008401427"   # the clerk pages' default


def test_the_list_is_described_by_the_schema_that_reads_it(client):
    from formsvc.http.query import CaseQuery
    spec = client.get("/api/v1/openapi.json").get_json()
    params = [p for p in spec["paths"]["/api/v1/cases"]["get"]["parameters"] if "$ref" not in p]
    assert [p["name"] for p in params] == list(CaseQuery().fields)
    assert {p["name"] for p in params if p.get("allowEmptyValue")} == \
        {"status", "overdue", "ground", "registered_from", "registered_to", "number"}
    page = next(p for p in params if p["name"] == "page")
    assert (page["schema"]["minimum"], page["schema"]["maximum"]) == (1, 100000)
    status = next(p for p in params if p["name"] == "status")
    assert "registered" in status["description"] and "{statuses}" not in status["description"]


def test_an_api_list_with_an_iin_in_the_url_is_not_filtered_by_it(app, client):
    from tests.conftest import example
    clerk = {"Authorization": f"Bearer {app.config['TEST_TOKENS']['clerk']}"}
    body = {**example("application"), "registered_on": example("application")["date"]}
    assert client.post("/api/v1/cases", json=body, headers=clerk).status_code == 201
    everything = client.get("/api/v1/cases", headers=clerk).get_json()
    other = client.get("/api/v1/cases?iin=760212350620", headers=clerk).get_json()
    assert everything["total"] >= 1 and other == everything
    bad = client.get("/api/v1/cases?page=0&overdue=maybe", headers=clerk)
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
    assert {(e["field"], e["code"]) for e in bad.get_json()["errors"]} == {("page", "invalid"), ("overdue", "invalid")}
