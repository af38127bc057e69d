"""The clerk pages' blueprint and who may open each page (people signed in with a role)."""
from __future__ import annotations

import time
from collections.abc import Callable, Collection
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

from formsvc.auth.actor import Actor
from formsvc.core.i18n import LANGUAGES

bp = Blueprint("clerk", __name__, url_prefix="/clerk")
F = TypeVar("F", bound=Callable[..., Any])


def actor() -> Actor:
    """The signed-in person as the register's actor."""
    return Actor("user", current_user.username, current_user.role)


def confirm(text: Callable[[str], str]) -> None:
    """Confirm an action on the page it leads to, in every language (the page picks the person's)."""
    flash({lang: text(lang) for lang in LANGUAGES})  # type: ignore[arg-type]  # any JSON value is kept


def signed_in(roles: Collection[str]) -> Callable[[F], F]:
    """A page for people signed in with one of `roles`: the sign-in page otherwise, 403 for another role."""
    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated or _expired():
                logout_user()
                return redirect(url_for("clerk.login", next=request.full_path, lang=request.args.get("lang")))
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return cast(F, wrapped)
    return decorate


def _expired() -> bool:
    """Signed in longer ago than SESSION_MAX_AGE (the idle limit is the cookie's own lifetime)."""
    started = session.get("signed_in_at", 0)
    return not isinstance(started, (int, float)) or time.time() - started > current_app.config["SESSION_MAX_AGE"]
