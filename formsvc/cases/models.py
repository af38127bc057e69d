"""The case register's tables: cases, the steps they have done, their event log, the counter
that numbers them.

A case's documents are `documents` records with its `case_id`; what the case knows (the
applicant, the decision's amount, ...) is read from those records' validated input.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from formsvc.core.crypto import EncryptedJSON
from formsvc.core.db import Base, UtcDateTime


class Case(Base):
    """One application followed through the procedure."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("authority", "year", "sequence"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    authority: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    registration_number: Mapped[str] = mapped_column(String(20), index=True)
    registered_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(40), index=True)
    ground: Mapped[str] = mapped_column(String(40), index=True)
    extended_review: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str | None] = mapped_column(String(10), nullable=True)
    iin_digest: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)   # keyed hash
    next_due: Mapped[date | None] = mapped_column(Date, index=True, nullable=True)   # earliest open deadline
    deadline_version: Mapped[str] = mapped_column(String(16))   # calendar + parameters it was computed with
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    applicant_name: Mapped[str | None] = mapped_column(EncryptedJSON, nullable=True)   # for lists; encrypted


class CaseSearchTerm(Base):
    """A keyed hash of a term a case is found by (an IIN of the family, the applicant's names)."""

    __tablename__ = "case_search_terms"

    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class CaseStep(Base):
    """A step of the procedure a case has done, and the day it was done."""

    __tablename__ = "case_steps"

    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id"), primary_key=True)
    step: Mapped[str] = mapped_column(String(20), primary_key=True)
    done_on: Mapped[date] = mapped_column(Date)


class CaseEvent(Base):
    """The append-only log of a case: who did what, when (no personal data in `detail`)."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(EncryptedJSON, nullable=True)   # free text (a reason): encrypted


class RegistrationCounter(Base):
    """The last registration number given by an authority in a year (numbers without gaps)."""

    __tablename__ = "registration_counters"

    authority: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)
