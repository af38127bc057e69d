"""Signing in and out (Flask-Login sessions; attempts rate-limited per address and username)."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

import wtforms
from flask import current_app, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm

from formsvc.auth import users
from formsvc.clerk.access import bp
from formsvc.core.i18n import message
from formsvc.extensions import db, limiter
from formsvc.http.language import request_language
from formsvc.web.formpage import render


class LoginForm(FlaskForm):
    """Username and password (labels set per language by the view)."""

    username = wtforms.StringField(validators=[wtforms.validators.InputRequired(), wtforms.validators.Length(max=64)])
    password = wtforms.PasswordField(validators=[wtforms.validators.InputRequired(), wtforms.validators.Length(max=200)])


class LogoutForm(FlaskForm):
    """The sign-out button's CSRF token."""


def _username_key() -> str:
    return "login:" + (request.form.get("username", "") or "").strip().lower()[:64]


def _safe_next(target: str | None, lang: str) -> str:
    """Only a path on this site (no scheme or host: no open redirect); else the dashboard."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")) and not urlsplit(target).netloc:
        return target
    return url_for("clerk.dashboard", lang=lang)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: str(current_app.config["LOGIN_RATE_LIMIT"]), methods=["POST"])
@limiter.limit(lambda: str(current_app.config["LOGIN_RATE_LIMIT"]), methods=["POST"], key_func=_username_key)
def login() -> ResponseReturnValue:
    """The sign-in page."""
    lang = request_language()
    form = LoginForm()
    form.username.label.text, form.password.label.text = message("username", lang), message("password", lang)
    error = None
    if request.method == "POST":
        if not form.validate():
            error = message("csrf_expired" if form.csrf_token.errors else "login_failed", lang)
        else:
            user = users.authenticate(db.session, form.username.data or "", form.password.data or "")
            if user is None:
                db.session.rollback()
                error = message("login_failed", lang)
            else:
                db.session.commit()
                session.clear()
                login_user(user)
                session.permanent = True
                session["signed_in_at"] = time.time()
                return redirect(_safe_next(request.args.get("next"), lang))
    status = 401 if error else 200
    return render("clerk/login.html", lang, form=form, error=error), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Sign out (a form with a CSRF token: another site cannot sign a clerk out)."""
    if LogoutForm().validate():
        logout_user()
        session.clear()
    return redirect(url_for("clerk.login", lang=request_language()))
