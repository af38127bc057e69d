"""The case register over HTTP (`/api/v1/cases`, `/api/v1/calendar`): thin views."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, g, jsonify, request, url_for

from formsvc.api.access import limit_writes, require_role, roles_required
from formsvc.api.body import json_body, query_language
from formsvc.api.schemas import (CaseDetailSchema, CaseDocumentSchema, CasePageSchema, CaseSchema,
                                 CaseSummarySchema, IssuedCaseDocumentSchema, Shown)
from formsvc.cases.models import Case
from formsvc.cases.service import PAGE_SIZE, Register
from formsvc.core.errors import BadRequest, Problem
from formsvc.documents.records import DocumentRecord
from formsvc.documents.service import FORMATS, MIMETYPES
from formsvc.extensions import db, register, registry
from formsvc.http.files import attachment, case_document_name, case_file_name, public_base_url
from formsvc.http.query import CASE_QUERY, parse_filters
from formsvc.regulation.roles import CASE_KEEPERS, CASE_READERS

bp = limit_writes(Blueprint("cases", __name__, url_prefix="/api/v1"))


@bp.post("/cases")
@roles_required(CASE_KEEPERS)
def create_case() -> tuple[Response, int]:
    """Register an application (p13): 201 with the number and the deadlines."""
    case = register().register(db.session, json_body(), query_language(), g.actor, public_base_url())
    db.session.commit()
    resp = jsonify(case_json(register(), case))
    resp.headers["Location"] = url_for("cases.get_case", case_id=case.id)
    return resp, 201


@bp.get("/cases")
@roles_required(CASE_READERS)
def list_cases() -> Response:
    """One page of cases, filtered."""
    filters, page = parse_filters(request.args, CASE_QUERY)
    items, total = register().search(db.session, filters, page)
    db.session.commit()   # deadlines recomputed after a calendar change are kept
    return jsonify(CASE_PAGE.dump({"items": [_shown_case(register(), c, deadlines=False) for c in items],
                                   "page": page, "pages": max(1, -(-total // PAGE_SIZE)), "total": total}))


@bp.get("/cases/<case_id>")
@roles_required(CASE_READERS)
def get_case(case_id: str) -> Response:
    """The case: its documents, deadlines and events."""
    reg = register()
    case = reg.get(db.session, case_id)
    body = CASE_DETAIL.dump(_shown_case(
        reg, case, documents=[_shown_document(case, r) for r in reg.documents_of(db.session, case, replaced=True)],
        events=reg.events(db.session, case), next=reg.allowed_next(db.session, case)))
    reg.viewed(db.session, case, g.actor)   # reading a case is audited as on the clerk's page
    db.session.commit()
    return jsonify(body)


@bp.post("/cases/<case_id>/steps/<step>")
@roles_required(CASE_KEEPERS)
def mark_step(case_id: str, step: str) -> Response:
    """Record a step without a document (p16, p20) as done on a date."""
    reg = register()
    case = reg.get(db.session, case_id)
    reg.mark_step(db.session, case, step, json_body(), g.actor)
    db.session.commit()
    return jsonify(case_json(reg, case))


@bp.post("/cases/<case_id>/documents/<doc_type>")
def add_document(case_id: str, doc_type: str) -> tuple[Response, int]:
    """Issue the case's next document, filled from what the case knows."""
    actor = require_role(registry().get(doc_type).roles)
    reg = register()
    case = reg.get(db.session, case_id)
    issued = reg.add_document(db.session, case, doc_type, json_body(), query_language(), actor,
                              public_base_url())
    db.session.commit()
    return jsonify(ISSUED_CASE_DOCUMENT.dump(_shown_document(
        case, issued.record, warnings=[w.to_json(query_language()) for w in issued.warnings],
        case=_shown_case(reg, case)))), 201


@bp.get("/cases/<case_id>/documents/<doc_id>.<fmt>")
@roles_required(CASE_READERS)
def download(case_id: str, doc_id: str, fmt: str) -> Response:
    """A case document as DOCX or PDF (kept after the first time)."""
    if fmt not in FORMATS:
        raise BadRequest(f"format: {fmt!r}", problems=[Problem("format", "invalid_choice",
                                                                 {"choices": ", ".join(FORMATS)})])
    reg = register()
    case = reg.get(db.session, case_id)
    stored = reg.file(db.session, case, doc_id, query_language(), fmt, g.actor, public_base_url())
    db.session.commit()
    return attachment(stored.content, MIMETYPES[fmt],
                      case_document_name(db.session, case.registration_number, doc_id, query_language(), fmt), doc_id)


@bp.get("/cases/<case_id>/bundle.pdf")
@roles_required(CASE_READERS)
def case_bundle(case_id: str) -> Response:
    """Every document of the case in procedure order, one PDF, a bookmark each."""
    lang = query_language()
    reg = register()
    case = reg.get(db.session, case_id)
    content = reg.bundle(db.session, case, lang, g.actor, public_base_url())
    db.session.commit()
    return attachment(content, "application/pdf", case_file_name(case.registration_number, "bundle", lang, "pdf"))


@bp.get("/calendar/working-days")
def working_days() -> Response:
    """The date `add` working days after `from` on the Kazakhstan calendar (public: no personal data)."""
    try:
        start = date.fromisoformat(request.args.get("from", ""))
    except ValueError:
        raise BadRequest("from: expected YYYY-MM-DD", problems=[Problem("from", "invalid")]) from None
    add = request.args.get("add", "")
    if not add.isdigit() or int(add) > 400 or not 1900 < start.year < 2200:
        raise BadRequest("add: a whole number of working days from 0 to 400",
                         problems=[Problem("add", "invalid")])
    due = registry().regulation.calendar.add_working_days(start, int(add))
    return jsonify({"from": start.isoformat(), "add": int(add), "date": due.isoformat()})


CASE_SUMMARY, CASE, CASE_DETAIL = CaseSummarySchema(), CaseSchema(), CaseDetailSchema()
CASE_DOCUMENT, ISSUED_CASE_DOCUMENT, CASE_PAGE = CaseDocumentSchema(), IssuedCaseDocumentSchema(), CasePageSchema()


def case_json(reg: Register, case: Case, deadlines: bool = True) -> dict[str, Any]:
    """The public shape of a case (no personal data beyond what the caller's role may see)."""
    body: dict[str, Any] = (CASE if deadlines else CASE_SUMMARY).dump(_shown_case(reg, case, deadlines))
    return body


def document_json(case: Case, record: DocumentRecord) -> dict[str, Any]:
    """A case document: type, id, number, date and download links."""
    body: dict[str, Any] = CASE_DOCUMENT.dump(_shown_document(case, record))
    return body


def _shown_case(reg: Register, case: Case, /, deadlines: bool = True, **values: Any) -> Shown:
    """A case with what its schema shows beyond its columns (`values`: more, for a bigger answer)."""
    today = reg.documents.registry.today()
    values["overdue"] = bool(case.next_due and case.next_due < today)
    if deadlines:
        values["facts"] = case
        states = reg.states(db.session, case)
        values["deadlines"] = {s.step.name: {"due": s.deadline.due, "done": s.done, "overdue": s.overdue(today)}
                               for s in states if s.deadline is not None}
        values["steps"] = {s.step.name: s.done for s in states}
    return Shown(case, **values)


def _shown_document(case: Case, record: DocumentRecord, /, **values: Any) -> Shown:
    """A case document with its number, date (from its input) and links."""
    base = f"/api/v1/cases/{case.id}/documents/{record.id}"
    return Shown(record, number=record.input.get("number"), date=record.input.get("date"),
                 links={"docx": f"{base}.docx", "pdf": f"{base}.pdf", "verify": f"/verify/{record.id}"}, **values)
