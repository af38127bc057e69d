"""The administrator's commissions and every person's own signatory profile: thin views over
`formsvc.staff.service`, whose problems are shown beside their fields in the person's language."""
from __future__ import annotations

from typing import Any

import wtforms
from flask import redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from formsvc.clerk.access import bp, signed_in
from formsvc.clerk.views import page
from formsvc.core.errors import InvalidInput, Problem
from formsvc.core.i18n import message
from formsvc.extensions import db
from formsvc.http.language import request_language
from formsvc.regulation.roles import ADMIN, ROLES
from formsvc.staff import service
from formsvc.staff.models import KINDS, SETTLEMENTS, Commission

EVERYONE = frozenset(ROLES)
DONE = {"created": "commission_created", "saved": "commission_saved", "deactivated": "commission_deactivated",
        "profile": "profile_saved"}


class CommissionForm(FlaskForm):
    """A commission as typed: checked by the service, not here (its messages are the person's language)."""

    kind = wtforms.SelectField(validate_choice=False)
    settlement = wtforms.SelectField(validate_choice=False)
    name_kk = wtforms.StringField()
    name_ru = wtforms.StringField()
    chair = wtforms.StringField()
    members = wtforms.TextAreaField()

    def typed(self, kind: str | None = None) -> service.CommissionInput:
        """What was typed; members one per line, blank lines left out."""
        lines = [line for line in (self.members.data or "").splitlines() if line.strip()]
        return service.CommissionInput(kind or self.kind.data or "", self.settlement.data or None,
                                       self.name_kk.data or "", self.name_ru.data or "", self.chair.data or "",
                                       lines)


class SignatoryForm(FlaskForm):
    """The person's name and position as printed under their documents."""

    full_name = wtforms.StringField()
    position_kk = wtforms.StringField()
    position_ru = wtforms.StringField()


class ConfirmForm(FlaskForm):
    """A confirmation button's CSRF token."""


def _commission_form(lang: str, found: Commission | None = None) -> CommissionForm:
    data = None
    if found is not None and request.method == "GET":
        data = {"kind": found.kind, "settlement": found.settlement or "", "name_kk": found.name_kk,
                "name_ru": found.name_ru, "chair": found.chair, "members": "\n".join(found.members)}
    form = CommissionForm(data=data)
    form.kind.choices = [(k, message(f"commission_kind_{k}", lang)) for k in KINDS]
    form.settlement.choices = [("", message("settlement_none", lang))] + [
        (s, message(f"settlement_{s}", lang)) for s in SETTLEMENTS]
    for name in ("kind", "settlement", "name_kk", "name_ru", "chair", "members"):
        form[name].label.text = message(f"commission_{name}", lang)
    return form


def _problems(form: FlaskForm, problems: list[Problem],
              lang: str) -> tuple[dict[str, list[str]], list[dict[str, str]]]:
    """Each problem beside its field (`name.kk` is the field `name_kk`, `members.2` the third line)."""
    errors: dict[str, list[str]] = {}
    summary = []
    for problem in problems:
        head, _, rest = problem.field.partition(".")
        fid, text = (head, message("member_line", lang, n=int(rest) + 1, message=problem.message(lang))) \
            if head == "members" and rest.isdigit() else (problem.field.replace(".", "_"), problem.message(lang))
        errors.setdefault(fid, []).append(text)
        label = form[fid].label.text if fid in form else ""
        summary.append({"id": fid, "field": problem.field, "code": problem.code, "message": text, "label": label})
    return errors, summary


def _failed(template: str, lang: str, form: FlaskForm, exc: InvalidInput | None,
            **context: Any) -> ResponseReturnValue:
    """The form again, nothing written: its problems inline, or the expired-page message (CSRF)."""
    db.session.rollback()
    errors, summary = _problems(form, exc.problems, lang) if exc else ({}, [])
    return page(template, lang, form=form, errors=errors, summary=summary,
                error=None if exc else message("csrf_expired", lang), **context), (422 if exc else 400)


def _done(lang: str) -> str | None:
    key = DONE.get(request.args.get("done", ""))
    return message(key, lang) if key else None


@bp.route("/admin/commissions", methods=["GET", "POST"])
@signed_in({ADMIN})
def commissions_page() -> ResponseReturnValue:
    """The commissions, and a new one."""
    lang = request_language()
    form = _commission_form(lang)
    listing = service.commissions(db.session)
    if request.method == "POST":
        if not form.validate():
            return _failed("clerk/commissions.html", lang, form, None, commissions=listing)
        try:
            service.create_commission(db.session, form.typed(), current_user.username)
        except InvalidInput as exc:
            db.session.rollback()   # before listing again: a refused flush leaves the transaction unusable
            return _failed("clerk/commissions.html", lang, form, exc, commissions=service.commissions(db.session))
        db.session.commit()
        return redirect(url_for("clerk.commissions_page", lang=lang, done="created"))
    return page("clerk/commissions.html", lang, form=form, commissions=listing, errors={}, summary=[],
                done=_done(lang))


@bp.route("/admin/commissions/<int:commission_id>", methods=["GET", "POST"])
@signed_in({ADMIN})
def commission_page(commission_id: int) -> ResponseReturnValue:
    """One commission's names, settlement, chair and members, to change."""
    lang = request_language()
    found = service.commission(db.session, commission_id)
    form = _commission_form(lang, found)
    if request.method == "POST":
        if not form.validate():
            return _failed("clerk/commission.html", lang, form, None, commission=found)
        try:
            service.update_commission(db.session, commission_id, form.typed(found.kind), current_user.username)
        except InvalidInput as exc:
            return _failed("clerk/commission.html", lang, form, exc, commission=found)
        db.session.commit()
        return redirect(url_for("clerk.commissions_page", lang=lang, done="saved"))
    return page("clerk/commission.html", lang, form=form, commission=found, errors={}, summary=[])


@bp.route("/admin/commissions/<int:commission_id>/deactivate", methods=["GET", "POST"])
@signed_in({ADMIN})
def deactivate_commission(commission_id: int) -> ResponseReturnValue:
    """Ask, then stop filling the commission into documents."""
    lang = request_language()
    found = service.commission(db.session, commission_id)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate():
            return _failed("clerk/commission_deactivate.html", lang, form, None, commission=found)
        service.deactivate_commission(db.session, commission_id, current_user.username)
        db.session.commit()
        return redirect(url_for("clerk.commissions_page", lang=lang, done="deactivated"))
    return page("clerk/commission_deactivate.html", lang, form=form, commission=found)


@bp.route("/profile", methods=["GET", "POST"])
@signed_in(EVERYONE)
def profile() -> ResponseReturnValue:
    """The signed-in person's name and position as printed under the documents they issue."""
    lang = request_language()
    saved = service.signatory_profile(db.session, current_user.username)
    form = SignatoryForm(obj=saved if request.method == "GET" else None)
    for name in ("full_name", "position_kk", "position_ru"):
        form[name].label.text = message(f"signatory_{name}", lang)
    if request.method == "POST":
        if not form.validate():
            return _failed("clerk/profile.html", lang, form, None, saved=saved)
        try:
            service.save_signatory(db.session, current_user.username, form.full_name.data or "",
                                   form.position_kk.data or "", form.position_ru.data or "")
        except InvalidInput as exc:
            return _failed("clerk/profile.html", lang, form, exc, saved=saved)
        db.session.commit()
        return redirect(url_for("clerk.profile", lang=lang, done="profile"))
    return page("clerk/profile.html", lang, form=form, saved=saved, errors={}, summary=[], done=_done(lang))
