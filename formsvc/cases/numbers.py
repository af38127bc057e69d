"""Registration numbers: `YYYY-NNNNNN`, unique and without gaps per authority and year.

The counter row is incremented in the registering transaction itself (the first statement
that writes, so the row or database lock is held only for that short transaction): two
registrations at once get consecutive numbers, and a registration that fails rolls its
number back with everything else.
"""
from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from formsvc.cases.models import RegistrationCounter
from formsvc.core.db import DbSession


def next_sequence(session: DbSession, authority: str, year: int) -> int:
    """The next number of `authority` in `year` (1, 2, 3, ...), taken inside the caller's transaction."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(RegistrationCounter).values(authority=authority, year=year, last=0)
                    .on_conflict_do_nothing())
    last: int = session.execute(
        update(RegistrationCounter)
        .where(RegistrationCounter.authority == authority, RegistrationCounter.year == year)
        .values(last=RegistrationCounter.last + 1)
        .returning(RegistrationCounter.last)).scalar_one()
    return last


def registration_number(year: int, sequence: int) -> str:
    """2026-000123."""
    return f"{year}-{sequence:06d}"
