"""People who sign in: clerks, commission members, administrators.

Passwords are hashed with Argon2id (argon2-cffi's defaults: memory-hard, salted, with the
parameters in the hash so they can be raised later; a hash made with older parameters is
replaced at the next sign-in). The model satisfies Flask-Login's user protocol without
importing Flask.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Boolean, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from formsvc.core.db import Base, DbSession, UtcDateTime
from formsvc.regulation.roles import ROLES

MIN_PASSWORD = 10
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")
_hasher = PasswordHasher()
# verified against when the user does not exist, so that a wrong name costs the same time
_DUMMY = _hasher.hash("formsvc: no such user")


class User(Base):
    """An account: a username, one role, an Argon2id password hash."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    # Flask-Login's user protocol
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        """A disabled account cannot sign in, and its open sessions end."""
        return self.active

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session."""
        return str(self.id)


class UserError(ValueError):
    """A user command that cannot be done (taken name, unknown role, short password)."""


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password needs at least {MIN_PASSWORD} characters")
    if len(password) > 200:
        raise UserError("the password may have at most 200 characters")


def create(session: DbSession, username: str, role: str, password: str, full_name: str = "") -> User:
    """A new active account (added to the session; the caller commits)."""
    username = username.strip().lower()
    if not _USERNAME.fullmatch(username):
        raise UserError("a username is 3-64 small Latin letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise UserError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
    _check_password(password)
    if find(session, username) is not None:
        raise UserError(f"the username {username!r} is taken")
    user = User(username=username, role=role, full_name=full_name.strip()[:200],
                password_hash=_hasher.hash(password), active=True, created_at=datetime.now(timezone.utc))
    session.add(user)
    return user


def find(session: DbSession, username: str) -> User | None:
    """The account with this username, if any."""
    return session.scalars(select(User).where(User.username == username.strip().lower())).first()


def authenticate(session: DbSession, username: str, password: str) -> User | None:
    """The active account if the password is right, else None (in about the same time either way)."""
    user = find(session, username) if len(username) <= 64 and len(password) <= 200 else None
    try:
        _hasher.verify(user.password_hash if user else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = datetime.now(timezone.utc)
    return user


def set_password(session: DbSession, username: str, password: str) -> User:
    """Give an account a new password."""
    user = find(session, username)
    if user is None:
        raise UserError(f"no user {username!r}")
    _check_password(password)
    user.password_hash = _hasher.hash(password)
    return user


def set_active(session: DbSession, username: str, active: bool) -> User:
    """Disable (or enable again) an account."""
    user = find(session, username)
    if user is None:
        raise UserError(f"no user {username!r}")
    user.active = active
    return user


def listing(session: DbSession) -> list[User]:
    """Every account, by username."""
    return list(session.scalars(select(User).order_by(User.username)))
