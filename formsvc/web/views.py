"""HTML forms for people and clerks: `/` lists them, `/forms/{type}` is one form.

Everything works without JavaScript: adding or removing a row and switching language
are submit buttons that redisplay the form with what was typed. Submitting checks the
input with the validator of record; a valid form leads to the download page.
"""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import wtforms
from flask import Blueprint, Response, abort, render_template, request
from flask_wtf import FlaskForm

from formsvc.core.errors import BadRequest, InvalidInput, Problem
from formsvc.core.i18n import LANGUAGES, message
from formsvc.definitions.loading import DocumentType
from formsvc.documents.service import FORMATS
from formsvc.extensions import db, documents, pdf_pool, registry
from formsvc.http.files import file_response, public_base_url
from formsvc.http.language import request_language
from formsvc.web import forms
from formsvc.web.pages import page_globals

bp = Blueprint("web", __name__)

PUBLIC_TYPES = ("application", "legal_aid_request")
MAX_ROWS = 100  # a bound on "add a row"; the definition's own limit is reported by the validator


def _lang() -> str:
    action = request.form.get("_action", "")
    if action.startswith("lang:") and action[5:] in LANGUAGES:
        return action[5:]
    return request_language()


def _posted_payload() -> Any:
    """The checked data a page sent back in `_payload`; anything but JSON is a bad request."""
    try:
        return json.loads(request.form["_payload"], parse_float=Decimal)
    except ValueError:
        raise BadRequest(message("malformed_json", request_language())) from None


def _render(template: str, lang: str, **context: Any) -> str:
    return render_template(template, **page_globals(lang), **context)


@bp.get("/")
def index() -> str:
    """The list of forms."""
    lang = request_language()
    types = registry().types
    return _render("index.html", lang, public=[types[t] for t in PUBLIC_TYPES],
                   clerk=[d for name, d in types.items() if name not in PUBLIC_TYPES])


@bp.route("/forms/<doc_type>", methods=["GET", "POST"])
def form(doc_type: str) -> str:
    """Show, redisplay or submit one form."""
    doc = registry().types.get(doc_type) or abort(404)
    lang = _lang()
    if request.method == "GET":
        blank = forms.form_class(doc, lang)()
        if "date" in (doc.root.fields or {}):
            blank["date"].data = registry().today().isoformat()
        return _show(doc, lang, blank)
    if "_payload" in request.form and request.form.get("_action") == "ready":   # language switch
        return _ready(doc, lang, _posted_payload())
    if "_payload" in request.form:          # "edit" from the download page
        payload = _posted_payload()
        formdata = forms.formdata_from_payload(doc.root, payload)
        return _show(doc, lang, forms.form_class(doc, lang)(formdata=formdata, meta={"csrf": False}))
    filled = forms.form_class(doc, lang)()
    action = request.form.get("_action", "")
    if action.startswith(("add:", "remove:", "lang:")):
        _change_rows(filled, action)
        return _show(doc, lang, filled)
    if not filled.validate():               # only CSRF: the rules are checked below
        return _show(doc, lang, filled, [Problem("", "csrf_expired")])
    payload = forms.payload_from_form(doc.root, filled.data)
    try:
        return _ready(doc, lang, payload)
    except InvalidInput as exc:
        return _show(doc, lang, filled, exc.problems)


def _ready(doc: DocumentType, lang: str, payload: Any) -> str:
    """The download page for a payload that passes the validator of record."""
    warnings = registry().validate(doc.type, payload).warnings
    return _render("ready.html", lang, doc=doc, payload=json.dumps(payload, ensure_ascii=False, default=str),
                   warnings=[w.message(lang) for w in warnings], pdf=pdf_pool().status(),
                   download=DownloadForm())


def _change_rows(filled: FlaskForm, action: str) -> None:
    verb, _, target = action.partition(":")
    if verb == "add":
        field = forms.find_field(filled, target)
        if isinstance(field, wtforms.FieldList) and len(field) < MAX_ROWS:
            field.append_entry()
    elif verb == "remove":
        list_id, _, index = target.rpartition("-")
        field = forms.find_field(filled, list_id)
        if isinstance(field, wtforms.FieldList) and index.isdigit():
            forms.remove_entry(field, int(index))


def _show(doc: DocumentType, lang: str, filled: FlaskForm, problems: list[Problem] | None = None) -> str:
    errors: dict[str, list[str]] = {}
    summary = []
    for problem in problems or []:
        fid = forms.field_id(problem.field, filled)
        text = problem.message(lang)
        errors.setdefault(fid, []).append(text)
        summary.append({"id": fid, "code": problem.code, "field": problem.field, "message": text,
                        "label": _label(filled, fid)})
    return _render("form.html", lang, doc=doc, form=filled, spec=doc.root, errors=errors, summary=summary)


def _label(filled: FlaskForm, fid: str) -> str:
    field = forms.find_field(filled, fid) if fid else None
    return str(field.label.text) if field is not None else ""


class DownloadForm(FlaskForm):
    """The download buttons' CSRF token (the checked payload travels beside it and is validated again)."""


@bp.post("/forms/<doc_type>/download")
def download(doc_type: str) -> Response | tuple[str, int]:
    """The file of a validated form, generated from the same payload the page showed."""
    doc = registry().types.get(doc_type) or abort(404)
    lang = request_language()
    fmt = request.form.get("format", "docx")
    if fmt not in FORMATS:
        abort(400)
    if not DownloadForm().validate():
        return _render("message.html", lang, title=message("csrf_expired_title", lang),
                       text=message("csrf_expired", lang)), 400
    payload = _posted_payload() if "_payload" in request.form else {}
    made = documents().generate(db.session, doc.type, payload, lang, fmt, public_base_url())
    db.session.commit()
    return file_response(made)
