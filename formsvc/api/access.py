"""Who is calling the API: an application's bearer token and its role, checked per view."""
from __future__ import annotations

from collections.abc import Callable, Collection
from functools import wraps
from typing import Any, TypeVar, cast

from flask import g, request

from formsvc.auth import tokens
from formsvc.core.errors import Forbidden, Unauthorized
from formsvc.extensions import db

F = TypeVar("F", bound=Callable[..., Any])


def caller() -> tuple[str, str] | None:
    """(actor, role) of a valid bearer token on this request, or None without one."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        return None
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(headers={"WWW-Authenticate": 'Bearer realm="formsvc"'})
    found = tokens.find(db.session, token.strip())
    if found is None:
        raise Unauthorized(headers={"WWW-Authenticate": 'Bearer realm="formsvc", error="invalid_token"'})
    return f"token:{found.name}", found.role


def require_role(roles: Collection[str]) -> None:
    """Raise 401 without valid credentials and 403 when their role is not one of `roles`."""
    found = caller()
    if found is None:
        raise Unauthorized(headers={"WWW-Authenticate": 'Bearer realm="formsvc"'})
    actor, role = found
    if role not in roles:
        raise Forbidden(params={"role": role})
    g.actor, g.role = actor, role


def roles_required(roles: Collection[str]) -> Callable[[F], F]:
    """A view for callers with one of `roles` only (`g.actor` and `g.role` then say who)."""
    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            require_role(roles)
            return view(*args, **kwargs)
        return cast(F, wrapped)
    return decorate
