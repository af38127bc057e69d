"""Public verification of a printed document: does this id or this file match our record?

Shows only what identifies the file (type, time, fingerprint), never personal data.
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, render_template, request

from formsvc.core.formatting import long_date
from formsvc.documents import records
from formsvc.extensions import db, registry
from formsvc.http.language import request_language

bp = Blueprint("verify", __name__)


@bp.route("/verify/", methods=["GET", "POST"])
@bp.route("/verify/<doc_id>", methods=["GET", "POST"])
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
    type_title, created = "", ""
    if record is not None:
        doc = registry().types.get(record.doc_type)
        type_title = doc.title[lang] if doc else record.doc_type
        local = record.created_at.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
        created = f"{long_date(local.date(), lang)}, {local:%H:%M}"
    return render_template("verify.html", record=record, doc_id=doc_id, match=match, digest=digest,
                           type_title=type_title, created=created)
