"""The case list's query string, read once for the API and the clerk pages."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from formsvc.cases.service import PAGE_SIZE, CaseFilters
from formsvc.core.errors import BadRequest, Problem

__all__ = ["PAGE_SIZE", "parse_filters"]   # the page size with the query that pages


def parse_filters(args: Mapping[str, str]) -> tuple[CaseFilters, int]:
    """The list's filters from query parameters, checked (BadRequest naming the parameter)."""
    def day(name: str) -> date | None:
        raw = args.get(name)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise BadRequest(f"{name}: expected YYYY-MM-DD", problems=[Problem(name, "invalid")]) from None

    overdue_raw = args.get("overdue")
    if overdue_raw not in (None, "", "true", "false"):
        raise BadRequest("overdue: true or false", problems=[Problem("overdue", "invalid")])
    page_raw = args.get("page", "1")
    if not page_raw.isdigit() or not 1 <= int(page_raw) <= 100000:
        raise BadRequest("page: a number from 1", problems=[Problem("page", "invalid")])
    return CaseFilters(status=args.get("status") or None,
                       overdue=None if overdue_raw in (None, "") else overdue_raw == "true",
                       ground=args.get("ground") or None, registered_from=day("registered_from"),
                       registered_to=day("registered_to"), number=args.get("number") or None,
                       iin=args.get("iin") or None), int(page_raw)
