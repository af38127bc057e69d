"""What every form page does, public or clerk's: show a definition's form, keep what was typed
through row and language changes, and show the validator's problems beside their fields."""
from __future__ import annotations

import re
from typing import Any

import wtforms
from flask import render_template, request
from flask_wtf import FlaskForm

from formsvc.core.errors import Problem, TooLarge
from formsvc.core.i18n import LANGUAGES
from formsvc.definitions.loading import DocumentType, FieldSpec
from formsvc.http.language import request_language
from formsvc.web import forms
from formsvc.web.pages import page_globals

MAX_ROWS = 100  # a bound on "add a row"; the definition's own limit is reported by the validator


def form_language() -> str:
    """The page's language: a language-switch button pressed on the form, else the request's."""
    action = request.form.get("_action", "")
    if action.startswith("lang:") and action[5:] in LANGUAGES:
        return action[5:]
    return request_language()


MAX_FORM_FIELDS = 5000
_INDEX = re.compile(r"-(\d+)(?=-|$)")


def check_posted_rows() -> None:
    """Refuse, before any form is built, a post with more rows than a list may have (WTForms
    would build every row it names: 14,500 of them made a 44 MB page)."""
    keys = list(request.form.keys())
    if len(keys) > MAX_FORM_FIELDS or any(int(i) >= MAX_ROWS for key in keys for i in _INDEX.findall(key)):
        raise TooLarge(params={"max": MAX_ROWS})


def render(template: str, lang: str, **context: Any) -> str:
    """An HTML page in `lang` with everything pages share."""
    return render_template(template, **page_globals(lang), **context)


def change_rows(filled: FlaskForm, action: str) -> bool:
    """Apply an "add a row" / "remove a row" / language button; True if it was one."""
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
    return verb in ("add", "remove", "lang")


def show(doc: DocumentType, spec: FieldSpec, lang: str, filled: FlaskForm, action: str,
         problems: list[Problem] | None = None, template: str = "form.html", **context: Any) -> str:
    """The form with each problem beside its field and in the summary (linked where it has a field)."""
    errors: dict[str, list[str]] = {}
    summary = []
    for problem in problems or []:
        fid = forms.field_id(problem.field, filled)
        text = problem.message(lang)
        errors.setdefault(fid, []).append(text)
        summary.append({"id": fid, "code": problem.code, "field": problem.field, "message": text,
                        "label": label(filled, fid)})
    return render(template, lang, doc=doc, form=filled, spec=spec, errors=errors, summary=summary,
                  action=action, **context)


def label(filled: FlaskForm, fid: str) -> str:
    """The label of the field with this id ('' if there is none)."""
    field = forms.find_field(filled, fid) if fid else None
    return str(field.label.text) if field is not None else ""
