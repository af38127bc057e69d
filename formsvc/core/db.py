"""The declarative base of formsvc's tables (plain SQLAlchemy 2; Flask binds it in extensions)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session


class Base(DeclarativeBase):
    """Declarative base of formsvc's tables (constraints named, so migrations can alter them)."""

    metadata = MetaData(naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"})


# A session, or the request-scoped proxy of one that Flask-SQLAlchemy hands out.
DbSession = Session | scoped_session[Any]
