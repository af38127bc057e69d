"""The clerk pages: what is due, the case list, the case page, its next step, a paper application."""
from __future__ import annotations

from datetime import date
from collections.abc import Callable
from typing import Any

import wtforms
from flask import Response, abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from formsvc.cases import prefill
from formsvc.cases.service import MAX_REASON
from formsvc.clerk.access import actor, bp, signed_in
from formsvc.clerk.session import LogoutForm
from formsvc.core.errors import BadRequest, Conflict, InvalidInput, Problem
from formsvc.core.formatting import long_date
from formsvc.core.i18n import message
from formsvc.definitions.loading import DocumentType, FieldSpec
from formsvc.documents.service import FORMATS, MIMETYPES
from formsvc.extensions import db, register, registry
from formsvc.http.files import attachment, public_base_url
from formsvc.http.language import request_language
from formsvc.http.query import PAGE_SIZE, parse_filters
from formsvc.regulation.roles import ADMIN, CASE_KEEPERS, CASE_READERS, ROLES
from formsvc.web import forms
from formsvc.web.formpage import change_rows, check_posted_rows, form_language, render, show

EVERYONE = frozenset(ROLES)


class StepForm(FlaskForm):
    """Record a step without a document on a date."""

    date = wtforms.DateField()


def _chrome() -> dict[str, Any]:
    return {"user": current_user, "logout": LogoutForm(), "clerk_nav": True}


def page(template: str, lang: str, **context: Any) -> str:
    """A clerk page: the person, the sign-out button and the navigation beside the content."""
    return render(template, lang, **_chrome(), **context)


@bp.get("/")
@signed_in(EVERYONE)
def dashboard() -> ResponseReturnValue:
    """What is overdue, due today and coming, for the signed-in person's role."""
    lang = request_language()
    if current_user.role == ADMIN:
        return redirect(url_for("clerk.users_page", lang=lang))
    today = registry().today()
    items = register().worklist(db.session, current_user.role)
    groups = {"overdue": [i for i in items if i.due and i.due < today],
              "today": [i for i in items if i.due == today],
              "later": [i for i in items if not i.due or i.due > today]}
    return page("clerk/dashboard.html", lang, groups=groups, today=today, steps=_step_titles(lang))


class SearchForm(FlaskForm):
    """A registration number or an IIN: posted, so that an IIN never stands in a URL or a log."""

    q = wtforms.StringField(validators=[wtforms.validators.Length(max=40)])


@bp.route("/cases", methods=["GET", "POST"])
@signed_in(CASE_READERS)
def cases() -> ResponseReturnValue:
    """The case list: filters, search by registration number or IIN, pages."""
    lang = request_language()
    args = request.args.to_dict()
    search = SearchForm()
    query = ""
    if request.method == "POST" and search.validate():
        query = (search.q.data or "").strip()
        if query.isdigit() and len(query) == 12:
            args["iin"] = query
        elif query:
            args["number"] = query
    try:
        filters, number = parse_filters(args)
    except BadRequest:
        abort(400)
    found, total = register().search(db.session, filters, number)
    db.session.commit()
    return page("clerk/cases.html", lang, cases=found, total=total, page_number=number,
                pages=max(1, -(-total // PAGE_SIZE)), args=request.args, q=query, today=registry().today(),
                search=search, statuses=[s.status for s in register().procedure.steps],
                grounds=registry().types["application"].root.fields["ground"].choices)  # type: ignore[index]


@bp.get("/cases/<case_id>")
@signed_in(CASE_READERS)
def case(case_id: str) -> ResponseReturnValue:
    """The case: applicant and family, the steps with their deadlines, documents, the next step."""
    lang = request_language()
    reg = register()
    found = reg.get(db.session, case_id)
    facts = reg.facts(db.session, found)
    reg.viewed(db.session, found, actor())
    db.session.commit()
    today = registry().today()
    issued = {r.doc_type for r in reg.documents_of(db.session, found)}
    next_steps = [(s, [registry().types[t] for t in s.documents_for(found.outcome) if t not in issued])
                  for s in reg.procedure.next_steps(reg.done(db.session, found), found.outcome)]
    return page("clerk/case.html", lang, case=found, application=facts.get("application", {}),
                states=reg.states(db.session, found), today=today, next_steps=next_steps,
                documents=reg.documents_of(db.session, found, replaced=True), events=reg.events(db.session, found),
                correctable={r.doc_type for r in reg.documents_of(db.session, found)
                             if (step := reg.procedure.step_of(r.doc_type)) is not None
                             and reg.correctable(db.session, found, step)
                             and registry().types[r.doc_type].may_issue(current_user.role)
                             and not registry().types[r.doc_type].may_issue(None)},
                application_correctable=current_user.role in CASE_KEEPERS
                and "p23" not in reg.done(db.session, found),
                types=registry().types, role=current_user.role, keepers=CASE_KEEPERS,
                step_form=StepForm(data={"date": today}), long_date=long_date)


@bp.post("/cases/<case_id>/steps/<step>")
@signed_in(CASE_KEEPERS)
def mark_step(case_id: str, step: str) -> ResponseReturnValue:
    """Record p16 or p20 as done."""
    lang = request_language()
    reg = register()
    found = reg.get(db.session, case_id)
    form = StepForm()
    if not form.validate() or form.date.data is None:
        abort(400)
    try:
        reg.mark_step(db.session, found, step, {"date": form.date.data.isoformat()}, actor())
    except (InvalidInput, Conflict) as exc:
        db.session.rollback()
        return page("message.html", lang, title=str(exc.detail(lang)),
                    text="; ".join(p.message(lang) for p in exc.problems)), exc.status
    db.session.commit()
    return redirect(url_for("clerk.case", case_id=case_id, lang=lang))


_SUBSETS: dict[tuple[str, frozenset[str]], FieldSpec] = {}


def _open_fields(doc: DocumentType, known: frozenset[str]) -> FieldSpec:
    """The part of a document's form the case cannot fill: its fields minus the known ones
    (one object per combination, so that its form class is built once)."""
    key = (doc.type, known)
    if key not in _SUBSETS:
        _SUBSETS[key] = FieldSpec(name=doc.root.name, type="object",
                                  fields={k: v for k, v in (doc.root.fields or {}).items() if k not in known})
    return _SUBSETS[key]


@bp.route("/cases/<case_id>/issue/<doc_type>", methods=["GET", "POST"])
@signed_in(CASE_READERS)
def issue(case_id: str, doc_type: str) -> ResponseReturnValue:
    """The next document of the case: a form of only what the case does not know yet."""
    doc = registry().types.get(doc_type) or abort(404)
    if not doc.may_issue(current_user.role) or doc.may_issue(None):
        abort(403)
    lang = form_language()
    reg = register()
    found = reg.get(db.session, case_id)
    prepared = reg.prepare(db.session, found, doc_type, lang, actor())
    known = prefill.localized(prepared.known, lang)
    spec = _open_fields(doc, frozenset(known))
    earlier = prepared.facts.documents.get(doc_type)
    start = earlier.input if earlier else {"date": registry().today().isoformat(),   # a correction: the earlier one
                                           **prefill.localized(prepared.start, lang)}
    context: dict[str, Any] = {"case": found, "known": known,
                               "prefill": {k: v for k, v in start.items() if k not in known} or None}

    def submit(payload: Any) -> ResponseReturnValue:
        reg.add_document(db.session, found, doc_type, payload, lang, actor(), public_base_url())
        return redirect(url_for("clerk.case", case_id=case_id, lang=lang))
    return _form_page(doc, spec, lang, f"{doc_type}_in_case",
                      url_for("clerk.issue", case_id=case_id, doc_type=doc_type, lang=lang), submit, context)


def _form_page(doc: DocumentType, spec: FieldSpec, lang: str, name: str, action: str,
               submit: Callable[[Any], ResponseReturnValue], context: dict[str, Any]) -> ResponseReturnValue:
    """A form of `spec` on a clerk page: blank, rows and language kept, then `submit(payload)`
    in one transaction, or the form again with the problems beside their fields."""
    form_cls = forms.form_class_of(spec, lang, name)
    earlier = context.pop("prefill", None)   # a correction starts from the document it corrects
    context = {**context, "template": "clerk/issue.html", **_chrome()}
    if request.method == "GET" and earlier:
        # rendered with a fresh CSRF token, so that the first submit of a prefilled form counts
        return show(doc, spec, lang, form_cls(formdata=forms.formdata_from_payload(spec, earlier)), action,
                    **context)
    if request.method == "GET":
        blank = form_cls()
        if "date" in (spec.fields or {}):
            blank["date"].data = registry().today().isoformat()
        return show(doc, spec, lang, blank, action, **context)
    check_posted_rows()
    filled = form_cls()
    if change_rows(filled, request.form.get("_action", "")):
        return show(doc, spec, lang, filled, action, **context)
    if not filled.validate():
        return show(doc, spec, lang, filled, action, [Problem("", "csrf_expired")], **context)
    try:
        answer = submit(forms.payload_from_form(spec, filled.data))
    except InvalidInput as exc:
        db.session.rollback()
        return show(doc, spec, lang, filled, action, exc.problems, **context), 422
    except Conflict as exc:
        db.session.rollback()
        return show(doc, spec, lang, filled, action, [Problem("", exc.code, exc.params)], **context), 409
    db.session.commit()
    return answer


def _registration_fields(doc: DocumentType) -> FieldSpec:
    """The application's form and, first, the day the paper application was received."""
    key = (doc.type, frozenset({"+registered_on"}))
    if key in _SUBSETS:
        return _SUBSETS[key]
    received = FieldSpec(name="registered_on", type="date", not_future=True,
                         label={"kk": "Өтініш қабылданған күн", "ru": "Дата приёма заявления"},
                         help={"kk": "Бүгін қабылданса, бос қалдырыңыз", "ru": "Оставьте пустым, если принято сегодня"},
                         required=False)
    _SUBSETS[key] = FieldSpec(name=doc.root.name, type="object",
                              fields={"registered_on": received, **(doc.root.fields or {})})
    return _SUBSETS[key]


@bp.route("/cases/new", methods=["GET", "POST"])
@signed_in(CASE_KEEPERS)
def new_case() -> ResponseReturnValue:
    """Register a paper application: the application form, then the case."""
    doc = registry().get("application")
    spec = _registration_fields(doc)
    lang = form_language()

    def submit(payload: Any) -> ResponseReturnValue:
        created = register().register(db.session, payload, lang, actor(), public_base_url())
        return redirect(url_for("clerk.case", case_id=created.id, lang=lang))
    return _form_page(doc, spec, lang, "registration", url_for("clerk.new_case", lang=lang), submit,
                      {"case": None, "known": {}})


def _correction_fields(doc: DocumentType) -> FieldSpec:
    """The application's form and, last, the reason for correcting it (kept on record)."""
    key = (doc.type, frozenset({"+reason"}))
    if key not in _SUBSETS:
        reason = FieldSpec(name="reason", type="text", max_length=MAX_REASON, multiline=True,
                           label={"kk": "Түзету себебі", "ru": "Причина исправления"},
                           help={"kk": "Мысалы: тегі қате жазылған; ЖСН қате", "ru": "Например: ошибка в фамилии; неверный ИИН"})
        _SUBSETS[key] = FieldSpec(name=doc.root.name, type="object",
                                  fields={**(doc.root.fields or {}), "reason": reason})
    return _SUBSETS[key]


@bp.route("/cases/<case_id>/correct-application", methods=["GET", "POST"])
@signed_in(CASE_KEEPERS)
def correct_application(case_id: str) -> ResponseReturnValue:
    """Correct the registered application, with a reason: the form starts from the application in force."""
    doc = registry().get("application")
    lang = form_language()
    reg = register()
    found = reg.get(db.session, case_id)
    current = reg.read(db.session, found).input("application") or {}

    def submit(payload: Any) -> ResponseReturnValue:
        reason = payload.pop("reason", None)
        reg.correct_application(db.session, found, payload, reason, lang, actor(), public_base_url())
        return redirect(url_for("clerk.case", case_id=case_id, lang=lang))
    return _form_page(doc, _correction_fields(doc), lang, "application_correction",
                      url_for("clerk.correct_application", case_id=case_id, lang=lang), submit,
                      {"case": found, "known": {}, "prefill": current})


@bp.get("/cases/<case_id>/documents/<doc_id>.<fmt>")
@signed_in(CASE_READERS)
def download(case_id: str, doc_id: str, fmt: str) -> ResponseReturnValue:
    """A case document as DOCX or PDF, in the page's language."""
    if fmt not in FORMATS:
        abort(404)
    reg = register()
    found = reg.get(db.session, case_id)
    stored = reg.file(db.session, found, doc_id, request_language(), fmt, actor(), public_base_url())
    db.session.commit()
    return attachment(stored.content, MIMETYPES[fmt], f"{found.registration_number}_{doc_id[:8]}.{fmt}", doc_id)


@bp.get("/cases/<case_id>/bundle.pdf")
@signed_in(CASE_READERS)
def case_bundle(case_id: str) -> ResponseReturnValue:
    """The whole file of the case, one PDF."""
    lang = request_language()
    reg = register()
    found = reg.get(db.session, case_id)
    content = reg.bundle(db.session, found, lang, actor(), public_base_url())
    db.session.commit()
    return attachment(content, "application/pdf", f"case_{found.registration_number}.pdf")


def _step_titles(lang: str) -> dict[str, str]:
    return {s.name: f"{message('point', lang, n=s.point[1:])} {s.title[lang]}" for s in register().procedure.steps}


def overdue(due: date | None, today: date) -> bool:
    """For the templates: is this due date past?"""
    return due is not None and due < today
