"""The case register's tables: cases, the steps they have done, their event log, the counter
that numbers them.

A case's documents are `documents` records with its `case_id`. What later steps rest on is
held by the case itself as facts: columns for what is not personal data (dates, outcomes,
amounts, periodicity, form, period, refusal and termination grounds, settlement), and one
encrypted column for the household figures (incomes are personal data). Each step's
document sets them, as `regulation/data/procedure.yaml` declares.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, Numeric, String, UniqueConstraint
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
    # bumped by every change: two writers of one case cannot both succeed (optimistic lock)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    __mapper_args__ = {"version_id_col": version}

    # --- facts the steps set (procedure.yaml `sets:`); none of them personal data
    settlement: Mapped[str | None] = mapped_column(String(10), nullable=True)
    inspection_outcome: Mapped[str | None] = mapped_column(String(12), nullable=True)  # carried_out | refused
    inspected_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    inspection_refused_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    district_conclusion: Mapped[str | None] = mapped_column(String(24), nullable=True)
    district_concluded_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    district_received_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    special_conclusion: Mapped[str | None] = mapped_column(String(24), nullable=True)
    special_concluded_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2), nullable=True)
    periodicity: Mapped[str | None] = mapped_column(String(12), nullable=True)
    form: Mapped[str | None] = mapped_column(String(8), nullable=True)
    period_from: Mapped[str | None] = mapped_column(String(7), nullable=True)       # YYYY-MM
    payments: Mapped[int | None] = mapped_column(Integer, nullable=True)
    decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    refusal_reasons: Mapped[str | None] = mapped_column(String(120), nullable=True)  # codes, comma-separated
    notified_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    termination_ground: Mapped[str | None] = mapped_column(String(40), nullable=True)
    circumstance_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    payments_stop_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    terminated_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # personal data, encrypted: household size, quarterly income, and the p20 computation
    household: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON, nullable=True)

    @property
    def refusal_reason_codes(self) -> list[str]:
        """The decision's p25 grounds, as a list."""
        return self.refusal_reasons.split(",") if self.refusal_reasons else []
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
