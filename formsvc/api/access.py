"""Who is calling the API: an application's bearer token and its role, checked per view."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, current_app, g, request
from flask_limiter.util import get_remote_address

from formsvc.auth import tokens
from formsvc.auth.actor import ANONYMOUS, Actor
from formsvc.core.errors import Forbidden, Unauthorized
from formsvc.definitions.loading import DocumentType
from formsvc.extensions import db, limiter

F = TypeVar("F", bound=Callable[..., Any])
_CHALLENGE = 'Bearer realm="formsvc"'


def caller_key() -> str:
    """Who a rate limit counts: the token (hashed), else the client address."""
    header = request.headers.get("Authorization", "")
    if header:
        return "token:" + hashlib.sha256(header.encode()).hexdigest()[:32]
    return "addr:" + get_remote_address()


def limit_writes(bp: Blueprint) -> Blueprint:
    """Every POST of the blueprint counts against API_RATE_LIMIT per token or address (once, at import)."""
    limiter.limit(lambda: str(current_app.config["API_RATE_LIMIT"]), key_func=caller_key, methods=["POST"])(bp)
    return bp


def caller() -> Actor:
    """The caller: the application whose valid bearer token this request carries, or anonymous.

    A malformed, unknown or revoked token is 401, never anonymous.
    """
    header = request.headers.get("Authorization", "")
    if not header:
        return ANONYMOUS
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(headers={"WWW-Authenticate": _CHALLENGE})
    found = tokens.find(db.session, token.strip())
    if found is None:
        raise Unauthorized(headers={"WWW-Authenticate": f'{_CHALLENGE}, error="invalid_token"'})
    return Actor("token", found.name, found.role)


def require_role(roles: Collection[str]) -> Actor:
    """The caller, if its role is one of `roles`: 401 without valid credentials, else 403."""
    actor = caller()
    if actor.role is None:
        raise Unauthorized(headers={"WWW-Authenticate": _CHALLENGE})
    if actor.role not in roles:
        raise Forbidden(params={"role": actor.role})
    g.actor = actor
    return actor


def may_issue(doc: DocumentType) -> Actor:
    """The caller, if it may issue `doc` (anyone may prepare the application and the legal-aid request)."""
    actor = caller()
    if doc.may_issue(actor.role):
        return actor
    return require_role(doc.roles)


def roles_required(roles: Collection[str]) -> Callable[[F], F]:
    """A view for callers with one of `roles` only (`g.actor` then says who)."""
    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            require_role(roles)
            return view(*args, **kwargs)
        return cast(F, wrapped)
    return decorate
