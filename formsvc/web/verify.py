"""Public verification of a printed document: does this id or this file match our record?

Says what the document is, its number and date (to compare with a paper copy), when and by
which body it was issued, the case it belongs to, or that the applicant prepared it
(not an act of the authority). Never personal data; look-ups are rate-limited.
"""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, render_template, request

from formsvc.core.formatting import long_date, zone_label
from formsvc.documents import records
from formsvc.cases.models import Case
from formsvc.extensions import db, limiter, registry
from formsvc.http.language import request_language

bp = Blueprint("verify", __name__)


@bp.route("/verify/", methods=["GET", "POST"])
@bp.route("/verify/<doc_id>", methods=["GET", "POST"])
@limiter.limit(lambda: str(current_app.config["VERIFY_RATE_LIMIT"]))
def verify(doc_id: str | None = None) -> str:
    """The verification page; a POSTed file is compared by its SHA-256."""
    lang = request_language()
    record = records.find(db.session, doc_id) if doc_id else None
    match, digest = None, None
    upload = request.files.get("file") if request.method == "POST" else None
    if upload is not None:
        digest = records.sha256(upload.read())
        if record is None and doc_id is None:
            record = records.find_by_hash(db.session, digest)
        match = record is not None and records.matches(db.session, record, digest)
    type_title, created, case_number = "", "", None
    if record is not None:
        if record.case_id:
            found = db.session.get(Case, record.case_id)
            case_number = found.registration_number if found else None
        doc = registry().types.get(record.doc_type)
        type_title = doc.title[lang] if doc else record.doc_type
        local = record.created_at.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
        created = f"{long_date(local.date(), lang)}, {local:%H:%M} ({zone_label(local)})"
    facts = record.input if record is not None else {}
    later = records.find(db.session, record.replaced_by) if record is not None and record.replaced_by else None
    kind = registry().types.get(record.doc_type) if record is not None else None
    by_applicant = record is not None and (record.issuer_role is None or (kind is not None and kind.may_issue(None)))
    return render_template("verify.html", record=record, doc_id=doc_id, match=match, digest=digest,
                           type_title=type_title, created=created, case_number=case_number,
                           number=facts.get("number"), dated=_dated(facts.get("date"), lang),
                           by_applicant=by_applicant, later=later,
                           later_dated=_dated(later.input.get("date"), lang) if later else "")


def _dated(value: object, lang: str) -> str:
    try:
        return long_date(date.fromisoformat(str(value)), lang) if value else ""
    except ValueError:
        return ""
