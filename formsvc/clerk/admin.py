"""The administrator's pages: accounts (create, disable, new password) and the audit log export."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, datetime, time
from functools import partial
from zoneinfo import ZoneInfo

import wtforms
from flask import Response, abort, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from sqlalchemy import select

from formsvc.auth import users
from formsvc.cases.models import Case, CaseEvent
from formsvc.clerk.access import bp, confirm, signed_in
from formsvc.clerk.views import page
from formsvc.core.formatting import in_zone, zone_label
from formsvc.core.i18n import message
from formsvc.extensions import db
from formsvc.http.language import request_language
from formsvc.regulation.roles import ADMIN, ROLES

MAX_EXPORT = 100_000   # events in one export


class NewUserForm(FlaskForm):
    """A new account."""

    username = wtforms.StringField(validators=[wtforms.validators.InputRequired(), wtforms.validators.Length(max=64)])
    full_name = wtforms.StringField(validators=[wtforms.validators.Length(max=200)])
    role = wtforms.SelectField(choices=[wtforms.SelectChoice(r, r) for r in ROLES])
    password = wtforms.PasswordField(validators=[wtforms.validators.InputRequired(),
                                                 wtforms.validators.Length(max=200)])


class UserActionForm(FlaskForm):
    """Disable, enable or set a new password for one account."""

    username = wtforms.HiddenField(validators=[wtforms.validators.InputRequired()])
    action = wtforms.HiddenField(validators=[wtforms.validators.AnyOf(["disable", "enable", "password"])])
    password = wtforms.PasswordField(validators=[wtforms.validators.Length(max=200)])


@bp.route("/admin/users", methods=["GET", "POST"])
@signed_in({ADMIN})
def users_page() -> ResponseReturnValue:
    """Accounts: the list, a new one, disable / enable / new password."""
    lang = request_language()
    new, act = NewUserForm(prefix="new"), UserActionForm(prefix="act")
    for field in ("username", "full_name", "role", "password"):
        new[field].label.text = message(field if field != "full_name" else "full_name_label", lang)
    error: str | None = None
    done: Callable[[str], str] = partial(message, "user_changed")
    if request.method == "POST":
        try:
            if "new-username" in request.form and new.validate():
                users.create(db.session, new.username.data or "", new.role.data or "", new.password.data or "",
                             new.full_name.data or "")
                done = partial(_named, "done_user_created", new.username.data or "")
            elif "act-username" in request.form and act.validate():
                done = _act(act)
            else:
                error = message("csrf_expired", lang)
        except users.UserError as exc:
            error = str(exc)
        if error:
            db.session.rollback()
        else:
            db.session.commit()
            confirm(done)
            return redirect(url_for("clerk.users_page", lang=lang))
    return page("clerk/users.html", lang, accounts=users.listing(db.session), new=new, act_form=UserActionForm,
                error=error), (422 if error else 200)


def _act(form: UserActionForm) -> Callable[[str], str]:
    """Do what the account's button asks; the confirmation to show (by language)."""
    name = form.username.data or ""
    if form.action.data == "password":
        users.set_password(db.session, name, form.password.data or "")
        return partial(_named, "done_user_password", name)
    users.set_active(db.session, name, form.action.data == "enable")
    return partial(_named, "done_user_enabled" if form.action.data == "enable" else "done_user_disabled", name)


def _named(code: str, name: str, lang: str) -> str:
    return message(code, lang, name=name)


@bp.get("/admin/audit.csv")
@signed_in({ADMIN})
def audit() -> ResponseReturnValue:
    """The case events of a period as CSV (local time and zone, UTC time, who, action, case number, detail)."""
    try:
        start = date.fromisoformat(request.args.get("from", ""))
        end = date.fromisoformat(request.args.get("to", ""))
    except ValueError:
        abort(400)
    if end < start:
        abort(400)
    zone = str(current_app.config["TIMEZONE"])
    since = datetime.combine(start, time.min, tzinfo=ZoneInfo(zone))   # the days of the period are local days
    until = datetime.combine(end, time.max, tzinfo=ZoneInfo(zone))
    rows = db.session.execute(
        select(CaseEvent, Case.registration_number).join(Case, Case.id == CaseEvent.case_id)
        .where(CaseEvent.at >= since, CaseEvent.at <= until).order_by(CaseEvent.id).limit(MAX_EXPORT))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["time_local", "time_zone", "time_utc", "actor", "action", "case", "detail"])
    for event, number in rows:
        local = in_zone(event.at, zone)
        writer.writerow([local.isoformat(timespec="seconds"), zone_label(local), event.at.isoformat(), event.actor,
                         event.action, number,
                         ";".join(f"{k}={v}" for k, v in sorted(event.detail.items()))])
    resp = Response("\ufeff" + out.getvalue(), mimetype="text/csv")   # BOM: Excel reads it as UTF-8
    resp.headers["Content-Disposition"] = f'attachment; filename="audit_{start}_{end}.csv"'
    return resp
