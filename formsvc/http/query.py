"""The case list's query string, declared once: the API and the clerk pages read it with these
schemas, and the OpenAPI description of `GET /api/v1/cases` is built from them."""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

import marshmallow as mm
from marshmallow import fields
from marshmallow.validate import Range

from formsvc.cases.service import PAGE_SIZE, CaseFilters
from formsvc.core.errors import BadRequest, Problem

__all__ = ["CASE_QUERY", "CLERK_CASE_QUERY", "PAGE_SIZE", "CaseQuery", "parse_filters"]


class Digits(fields.Integer):
    """A whole number written with digits only: `int()` alone would also take ` +1` or `1_0`."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> int:
        if not isinstance(value, str) or not value.isdigit():
            raise self.make_error("invalid")
        number: int = super()._deserialize(value, attr, data, **kwargs)
        return number


def _filter(kind: type[fields.Field[Any]], expected: str = "", description: str = "",
            **options: Any) -> fields.Field[Any]:
    """A filter: optional, an empty value is no filter; `expected` names a bad value's 400."""
    return kind(metadata={"allow_empty": True, "expected": expected or "invalid",
                          **({"description": description} if description else {})}, **options)


class CaseQuery(mm.Schema):
    """The case list's parameters, as `GET /api/v1/cases` documents them. `{statuses}` in a
    description is filled with the procedure's statuses where it is published."""

    class Meta:
        unknown = mm.EXCLUDE     # other parameters (`lang`) are read elsewhere

    status = _filter(fields.String, description="A case status: {statuses} (another matches none).")
    overdue = _filter(fields.Boolean, "true or false",
                      "true: the earliest open deadline has passed; false: it has not (or none is open).",
                      truthy={"true"}, falsy={"false"})
    ground = _filter(fields.String, description="An application `ground`.")
    registered_from = _filter(fields.Date, "expected YYYY-MM-DD")
    registered_to = _filter(fields.Date, "expected YYYY-MM-DD")
    number = _filter(fields.String, description="A registration number, exactly.")
    page = Digits(load_default=1, validate=Range(1, 100000), metadata={
        "expected": "a number from 1",
        "description": f"1 (default) and on; {PAGE_SIZE} cases a page, newest registration first."})

    @mm.pre_load
    def _empty_is_no_filter(self, data: Mapping[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {name: value for name, value in data.items()
                if not (value == "" and name in self.fields and self.fields[name].metadata.get("allow_empty"))}


class ClerkCaseQuery(CaseQuery):
    """The clerk pages' list: also an IIN, which their search posts (never the API: no IIN in a URL)."""

    iin = _filter(fields.String)


CASE_QUERY = CaseQuery()
CLERK_CASE_QUERY = ClerkCaseQuery()


def read_query(schema: mm.Schema, args: Mapping[str, str]) -> dict[str, Any]:
    """Query parameters loaded by `schema`; BadRequest naming every bad parameter."""
    try:
        loaded: dict[str, Any] = schema.load(dict(args.items()))
    except mm.ValidationError as exc:
        names = sorted(cast(dict[str, Any], exc.messages))
        expected = {name: schema.fields[name].metadata.get("expected", "invalid") if name in schema.fields
                    else "invalid" for name in names}
        raise BadRequest("; ".join(f"{name}: {expected[name]}" for name in names),
                         problems=[Problem(name, "invalid") for name in names]) from None
    return loaded


def parse_filters(args: Mapping[str, str], schema: CaseQuery = CLERK_CASE_QUERY) -> tuple[CaseFilters, int]:
    """The list's filters and page from query parameters, checked (BadRequest naming the parameter)."""
    values = read_query(schema, args)
    page: int = values.pop("page")
    return CaseFilters(**values), page


def with_query(filters: CaseFilters, query: str) -> CaseFilters:
    """The filters narrowed by what a clerk typed: an IIN (12 digits, anyone in the family), a part of
    a registration number (digits and hyphens), else the applicant's last and/or first name."""
    query = query.strip()
    if query.isdigit() and len(query) == 12:
        filters.iin = query
    elif re.fullmatch(r"[\d-]+", query):
        filters.number_part = query
    elif query:
        filters.name = query
    return filters
