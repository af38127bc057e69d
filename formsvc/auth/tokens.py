"""API tokens for other applications: shown once, stored only as a hash, revocable.

A token is 32 random bytes (URL-safe text). Only its SHA-256 is kept: a token has enough
entropy that a fast hash is safe, unlike a person's password.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timezone

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from formsvc.regulation.roles import ROLES
from formsvc.core.db import Base, DbSession, UtcDateTime

PREFIX = "fsv_"   # makes a leaked token recognisable to secret scanners


class ApiToken(Base):
    """A token an application sends as `Authorization: Bearer ...`."""

    __tablename__ = "api_tokens"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    role: Mapped[str] = mapped_column(String(32))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class TokenError(ValueError):
    """A token command that cannot be done (duplicate name, unknown role or token)."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(session: DbSession, name: str, role: str) -> str:
    """Store a new token for `name` with `role`; return the token (the only time it is seen)."""
    if role not in ROLES:
        raise TokenError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
    if not name.strip() or len(name) > 100:
        raise TokenError("a token needs a name of 1 to 100 characters")
    if session.get(ApiToken, name) is not None:
        raise TokenError(f"a token named {name!r} exists already")
    token = PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, role=role, token_sha256=_digest(token),
                         created_at=datetime.now(timezone.utc)))
    return token


def find(session: DbSession, token: str) -> ApiToken | None:
    """The live (not revoked) token record for a presented token, if any."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    found = session.scalars(select(ApiToken).where(ApiToken.token_sha256 == _digest(token))).first()
    return found if found is not None and found.revoked_at is None else None


def revoke(session: DbSession, name: str) -> None:
    """Revoke the token called `name` (it stops working at once)."""
    found = session.get(ApiToken, name)
    if found is None:
        raise TokenError(f"no token named {name!r}")
    if found.revoked_at is None:
        found.revoked_at = datetime.now(timezone.utc)


def listing(session: DbSession) -> list[ApiToken]:
    """Every token, oldest first (names and roles; the tokens themselves are not kept)."""
    return list(session.scalars(select(ApiToken).order_by(ApiToken.created_at)))
