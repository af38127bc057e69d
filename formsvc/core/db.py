"""The declarative base of formsvc's tables (plain SQLAlchemy 2; Flask binds it in extensions)."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import DeclarativeBase, Session, scoped_session


class Base(DeclarativeBase):
    """Declarative base of formsvc's tables."""


# A session, or the request-scoped proxy of one that Flask-SQLAlchemy hands out.
DbSession = Session | scoped_session[Any]
