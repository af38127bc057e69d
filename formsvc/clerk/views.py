"""The clerk pages: what is due, the case list, the case page, its next step, a paper application."""
from __future__ import annotations

from datetime import date
from collections.abc import Callable
from typing import Any

import wtforms
from flask import abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from formsvc.cases import prefill
from formsvc.clerk.access import actor, bp, confirm, signed_in
from formsvc.clerk.session import LogoutForm
from formsvc.core.errors import BadRequest, Conflict, InvalidInput, Problem
from formsvc.auth import users
from formsvc.cases.models import Case
from formsvc.clerk.history import describe, who
from formsvc.core.formatting import long_date, short_date
from formsvc.core.i18n import message
from formsvc.definitions.loading import DocumentType, FieldSpec
from formsvc.documents.service import FORMATS, MIMETYPES
from formsvc.extensions import db, register, registry
from formsvc.http.files import attachment, case_document_name, case_file_name, public_base_url
from formsvc.http.language import request_language
from formsvc.http.query import PAGE_SIZE, parse_filters, with_query
from formsvc.regulation.roles import ADMIN, CASE_KEEPERS, CASE_READERS, ROLES
from formsvc.web import forms
from formsvc.web.formpage import change_rows, check_posted_rows, form_language, render, show

EVERYONE = frozenset(ROLES)


class StepForm(FlaskForm):
    """Record a step without a document on a date."""

    date = wtforms.DateField()


def chrome() -> dict[str, Any]:
    """What a clerk page shows around its content: the person, the sign-out button, the navigation."""
    return {"user": current_user, "logout": LogoutForm(), "clerk_nav": True}


def page(template: str, lang: str, **context: Any) -> str:
    """A clerk page: the person, the sign-out button and the navigation beside the content."""
    return render(template, lang, **chrome(), **context)


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
    """A registration number (or part), an IIN or a name: posted, so that none stands in a URL or a log."""

    q = wtforms.StringField(validators=[wtforms.validators.Length(max=80)])


@bp.route("/cases", methods=["GET", "POST"])
@signed_in(CASE_READERS)
def cases() -> ResponseReturnValue:
    """The case list: filters, search by (part of) registration number, a family member's IIN or a name."""
    lang = request_language()
    search = SearchForm()
    query = ""
    if request.method == "POST" and search.validate():
        query = (search.q.data or "").strip()
    try:
        filters, number = parse_filters(request.args.to_dict())
    except BadRequest:
        abort(400)
    filters = with_query(filters, query)
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
    reg.viewed(db.session, found, actor())
    db.session.commit()
    return _case_page(found, lang)


def _fact_choices() -> dict[str, Any]:
    """The labels of the case's facts, from the definitions that set them."""
    fields = registry().types["decision"].root.fields or {}
    return {"need_conclusion": (registry().types["special_commission_conclusion"].root.fields or {})["conclusion"].choices,
            "periodicity": fields["periodicity"].choices, "assistance_form": fields["form"].choices}


def _case_page(found: Case, lang: str, step_form: StepForm | None = None,
               step_errors: dict[str, str] | None = None) -> str:
    """The case page; after a step refused, the posted date again with the reason beside it."""
    reg = register()
    facts = reg.read(db.session, found)
    today = registry().today()
    people = {u.username: u.full_name or u.username for u in users.listing(db.session)}
    next_steps = [(s, [registry().types[t] for t in s.documents_for(found.outcome) if t not in facts.documents])
                  for s in reg.procedure.next_steps(facts.done, found.outcome)]
    return page("clerk/case.html", lang, case=found, application=facts.input("application") or {},
                choices=_fact_choices(),
                states=reg.states(db.session, found), today=today, next_steps=next_steps,
                documents=reg.documents_of(db.session, found, replaced=True),
                history=[(e, describe(e, lang, registry().types, reg.procedure), who(e.actor, people, lang))
                         for e in reversed(reg.history(db.session, found))],
                correctable={r.doc_type for r in reg.documents_of(db.session, found)
                             if (step := reg.procedure.step_of(r.doc_type)) is not None
                             and reg.correctable(db.session, found, step)
                             and registry().types[r.doc_type].may_issue(current_user.role)
                             and not registry().types[r.doc_type].may_issue(None)},
                application_correctable=current_user.role in CASE_KEEPERS
                and "p23" not in reg.done(db.session, found),
                types=registry().types, role=current_user.role, keepers=CASE_KEEPERS,
                step_form=step_form or StepForm(data={"date": today}), step_errors=step_errors or {},
                long_date=long_date)


@bp.post("/cases/<case_id>/steps/<step>")
@signed_in(CASE_KEEPERS)
def mark_step(case_id: str, step: str) -> ResponseReturnValue:
    """Record p16 or p20 as done; a refused date is shown beside the step's field, nothing written."""
    lang = request_language()
    reg = register()
    found = reg.get(db.session, case_id)
    form = StepForm()
    if not form.validate() or form.date.data is None:
        code = "csrf_expired" if getattr(form, "csrf_token", None) is not None and form.csrf_token.errors else "invalid"
        return _case_page(found, lang, form, {step: message(code, lang)}), 422
    try:
        reg.mark_step(db.session, found, step, {"date": form.date.data.isoformat()}, actor())
    except (InvalidInput, Conflict) as exc:
        db.session.rollback()
        text = "; ".join(p.message(lang) for p in exc.problems) or exc.detail(lang)
        return _case_page(found, lang, form, {step: text}), exc.status
    db.session.commit()
    day = short_date(form.date.data)
    confirm(lambda lg: message("done_step", lg, step=_step_titles(lg).get(step, step), date=day))
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
    context: dict[str, Any] = {"case": found, "known": known, "correction": earlier is not None,
                               "prefill": {k: v for k, v in start.items() if k not in known} or None}

    def submit(payload: Any, reason: str | None) -> ResponseReturnValue:
        reg.add_document(db.session, found, doc_type, payload, lang, actor(), public_base_url(), reason=reason)
        confirm(lambda lg: message("done_corrected" if earlier else "done_issued", lg, doc=doc.title[lg]))
        return redirect(url_for("clerk.case", case_id=case_id, lang=lang))
    return _form_page(doc, spec, lang, f"{doc_type}_in_case",
                      url_for("clerk.issue", case_id=case_id, doc_type=doc_type, lang=lang), submit, context)


def _form_page(doc: DocumentType, spec: FieldSpec, lang: str, name: str, action: str,
               submit: Callable[[Any, str | None], ResponseReturnValue],
               context: dict[str, Any]) -> ResponseReturnValue:
    """A form of `spec` on a clerk page: blank, rows and language kept, then `submit(payload, reason)`
    in one transaction, or the form again with the problems beside their fields. `prefill` is what
    the form starts from (what the case offers, or for a `correction` the document it corrects,
    which also asks for a reason)."""
    earlier = context.pop("prefill", None)
    form_cls = forms.form_class_of(spec, lang, name)
    if context.pop("correction", False):
        form_cls = _with_reason(form_cls, lang)
    context = {**context, "template": "clerk/issue.html", **chrome()}
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
        return show(doc, spec, lang, filled, action, _refusals(filled), **context), 422
    try:
        reason = filled.data.get(REASON)
        answer = submit(forms.payload_from_form(spec, filled.data), reason.strip() if reason else None)
    except InvalidInput as exc:
        db.session.rollback()
        return show(doc, spec, lang, filled, action, exc.problems, **context), 422
    except Conflict as exc:
        db.session.rollback()
        return show(doc, spec, lang, filled, action, [Problem("", exc.code, exc.params)], **context), 409
    db.session.commit()
    return answer


REASON = "correction_reason"
REASON_MAX = 500
_WITH_REASON: dict[type[FlaskForm], type[FlaskForm]] = {}


def _with_reason(form_cls: type[FlaskForm], lang: str) -> type[FlaskForm]:
    """The form of a correction: the document's fields and the reason for correcting it (one class each)."""
    if form_cls not in _WITH_REASON:
        field = wtforms.TextAreaField(message("correction_reason", lang), filters=[lambda v: v.strip() if v else v],
                                      validators=[wtforms.validators.DataRequired(),
                                                  wtforms.validators.Length(max=REASON_MAX)])
        _WITH_REASON[form_cls] = type(f"{form_cls.__name__}Correction", (form_cls,), {REASON: field})
    return _WITH_REASON[form_cls]


def _refusals(filled: FlaskForm) -> list[Problem]:
    """Why a posted form did not validate: an expired session, or the correction's reason."""
    csrf = getattr(filled, "csrf_token", None)
    if csrf is not None and csrf.errors:
        return [Problem("", "csrf_expired")]
    reason = filled.data.get(REASON) or ""
    if len(reason) > REASON_MAX:
        return [Problem(REASON, "too_long", {"max": REASON_MAX, "length": len(reason)})]
    return [Problem(REASON, "required")]


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

    def submit(payload: Any, reason: str | None) -> ResponseReturnValue:
        created = register().register(db.session, payload, lang, actor(), public_base_url())
        confirm(lambda lg: message("done_registered", lg, number=created.registration_number))
        return redirect(url_for("clerk.case", case_id=created.id, lang=lang))
    return _form_page(doc, spec, lang, "registration", url_for("clerk.new_case", lang=lang), submit,
                      {"case": None, "known": {}})


@bp.route("/cases/<case_id>/correct-application", methods=["GET", "POST"])
@signed_in(CASE_KEEPERS)
def correct_application(case_id: str) -> ResponseReturnValue:
    """Correct the registered application, with a reason: the form starts from the application in force."""
    doc = registry().get("application")
    lang = form_language()
    reg = register()
    found = reg.get(db.session, case_id)
    current = reg.read(db.session, found).input("application") or {}

    def submit(payload: Any, reason: str | None) -> ResponseReturnValue:
        reg.correct_application(db.session, found, payload, reason, lang, actor(), public_base_url())
        confirm(lambda lg: message("done_corrected", lg, doc=doc.title[lg]))
        return redirect(url_for("clerk.case", case_id=case_id, lang=lang))
    return _form_page(doc, doc.root, lang, "application_correction",
                      url_for("clerk.correct_application", case_id=case_id, lang=lang), submit,
                      {"case": found, "known": {}, "prefill": current, "correction": True})


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
    lang = request_language()
    return attachment(stored.content, MIMETYPES[fmt],
                      case_document_name(db.session, found.registration_number, doc_id, lang, fmt), doc_id)


@bp.get("/cases/<case_id>/bundle.pdf")
@signed_in(CASE_READERS)
def case_bundle(case_id: str) -> ResponseReturnValue:
    """The whole file of the case, one PDF."""
    lang = request_language()
    reg = register()
    found = reg.get(db.session, case_id)
    content = reg.bundle(db.session, found, lang, actor(), public_base_url())
    db.session.commit()
    return attachment(content, "application/pdf", case_file_name(found.registration_number, "bundle", lang, "pdf"))


def _step_titles(lang: str) -> dict[str, str]:
    return {s.name: f"{message('point', lang, n=s.point[1:])} {s.title[lang]}" for s in register().procedure.steps}


def overdue(due: date | None, today: date) -> bool:
    """For the templates: is this due date past?"""
    return due is not None and due < today
