"""HTML forms for people and clerks: `/` lists them, `/forms/{type}` is one form.

Everything works without JavaScript: adding or removing a row and switching language
are submit buttons that redisplay the form with what was typed. Submitting checks the
input with the validator of record; a valid form leads to the download page.
"""
from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, current_app, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf, validate_csrf
from wtforms.validators import ValidationError

from formsvc.core.errors import BadRequest, InvalidInput, Problem
from formsvc.core.i18n import message
from formsvc.definitions.loading import DocumentType
from formsvc.documents.service import FORMATS
from formsvc.extensions import db, documents, pdf_pool, registry
from formsvc.http.files import file_response, public_base_url
from formsvc.http import strict_json
from formsvc.http.language import request_language
from formsvc.web import forms
from formsvc.web.formpage import change_rows, check_posted_rows, form_language, render, show

bp = Blueprint("web", __name__)



def _posted_payload() -> Any:
    """The checked data a page sent back in `_payload`; anything but JSON is a bad request."""
    try:
        return strict_json.loads(request.form["_payload"])
    except (ValueError, RecursionError):
        raise BadRequest(message("malformed_json", request_language())) from None


@bp.get("/")
def index() -> str:
    """The forms anyone may fill, and the way in for staff."""
    lang = request_language()
    return render("index.html", lang, public=[d for d in registry().types.values() if d.may_issue(None)])


def _public(doc_type: str) -> DocumentType:
    """A document anyone may prepare here; the authority's documents are issued inside a case
    on the clerk pages (the sign-in page first)."""
    doc = registry().types.get(doc_type) or abort(404)
    if not doc.may_issue(None):
        target = url_for("clerk.cases", lang=request_language()) if current_user.is_authenticated \
            else url_for("clerk.login", next=url_for("clerk.cases"), lang=request_language())
        abort(redirect(target))
    return doc


@bp.route("/forms/<doc_type>", methods=["GET", "POST"])
def form(doc_type: str) -> str:
    """Show, redisplay or submit one form."""
    doc = _public(doc_type)
    lang = form_language()
    if request.method == "GET":
        blank = forms.form_class(doc, lang)()
        if "date" in (doc.root.fields or {}):
            blank["date"].data = registry().today().isoformat()
        return _show(doc, lang, blank)
    genuine = _csrf_ok()    # a post from another site only ever redisplays the data as a form
    if "_payload" in request.form:
        payload = _posted_payload()
        if genuine and request.form.get("_action") == "ready":   # language switch on the ready page
            return _ready(doc, lang, payload)
        formdata = forms.formdata_from_payload(doc.root, payload)   # "edit" from the ready page
        return _show(doc, lang, forms.form_class(doc, lang)(formdata=formdata, meta={"csrf": False}),
                     None if genuine else [Problem("", "csrf_expired")])
    check_posted_rows()
    filled = forms.form_class(doc, lang)()
    if change_rows(filled, request.form.get("_action", "")):
        return _show(doc, lang, filled, None if genuine else [Problem("", "csrf_expired")])
    if not filled.validate():               # only CSRF: the rules are checked below
        return _show(doc, lang, filled, [Problem("", "csrf_expired")])
    payload = forms.payload_from_form(doc.root, filled.data)
    try:
        return _ready(doc, lang, payload)
    except InvalidInput as exc:
        return _show(doc, lang, filled, exc.problems)


def _csrf_ok() -> bool:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    try:
        validate_csrf(request.form.get("csrf_token"))
        return True
    except ValidationError:
        return False


def _show(doc: DocumentType, lang: str, filled: FlaskForm, problems: list[Problem] | None = None) -> str:
    return show(doc, doc.root, lang, filled, url_for("web.form", doc_type=doc.type, lang=lang), problems)


def _ready(doc: DocumentType, lang: str, payload: Any) -> str:
    """The download page for a payload that passes the validator of record."""
    warnings = registry().validate(doc.type, payload).warnings
    return render("ready.html", lang, doc=doc, payload=json.dumps(payload, ensure_ascii=False, default=str),
                   warnings=[w.message(lang) for w in warnings], pdf=pdf_pool().status(),
                   download=DownloadForm(), csrf=generate_csrf())


class DownloadForm(FlaskForm):
    """The download buttons' CSRF token (the checked payload travels beside it and is validated again)."""


@bp.post("/forms/<doc_type>/download")
def download(doc_type: str) -> Response | tuple[str, int]:
    """The file of a validated form, generated from the same payload the page showed."""
    doc = _public(doc_type)
    lang = request_language()
    fmt = request.form.get("format", "docx")
    if fmt not in FORMATS:
        abort(400)
    if not DownloadForm().validate():
        return render("message.html", lang, title=message("csrf_expired_title", lang),
                       text=message("csrf_expired", lang)), 400
    payload = _posted_payload() if "_payload" in request.form else {}
    made = documents().generate(db.session, doc.type, payload, lang, fmt, public_base_url())
    db.session.commit()
    return file_response(made)
