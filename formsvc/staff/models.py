"""The tables of commissions and signatory profiles.

At most one active commission per kind and settlement is the database's own rule (a partial
unique index, on SQLite and PostgreSQL alike), so two administrators saving at once cannot both
win. The special commission has no settlement; `coalesce` makes its NULL count as one value.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from formsvc.core.db import Base, UtcDateTime

DISTRICT, SPECIAL = "district", "special"      # inspects (p17); concludes (p21)
KINDS = (DISTRICT, SPECIAL)
SETTLEMENTS = ("saran", "aktas")                # as in schemas/_shared.yaml `settlement`
MAX_TEXT = 200                                  # as the documents' `commission` and `signatory` fields
MAX_MEMBERS = 20   # as many as a document's `commission.members` takes (schemas/_shared.yaml)


class Commission(Base):
    """A commission's composition: its names in both languages, chair and members."""

    __tablename__ = "commissions"
    __table_args__ = (
        CheckConstraint("kind IN ('district', 'special')", name="ck_commissions_kind"),
        CheckConstraint("(kind = 'district' AND coalesce(settlement, '') IN ('saran', 'aktas'))"
                        " OR (kind = 'special' AND settlement IS NULL)", name="ck_commissions_settlement"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    settlement: Mapped[str | None] = mapped_column(String(16), nullable=True)
    name_kk: Mapped[str] = mapped_column(String(MAX_TEXT))
    name_ru: Mapped[str] = mapped_column(String(MAX_TEXT))
    chair: Mapped[str] = mapped_column(String(MAX_TEXT))
    members: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(64))


Index("uq_commissions_one_active", Commission.kind, func.coalesce(Commission.settlement, ""), unique=True,
      sqlite_where=Commission.active, postgresql_where=Commission.active)


class SignatoryProfile(Base):
    """How a person's name and position print under the documents they issue."""

    __tablename__ = "signatory_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(MAX_TEXT))
    position_kk: Mapped[str] = mapped_column(String(MAX_TEXT))
    position_ru: Mapped[str] = mapped_column(String(MAX_TEXT))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
