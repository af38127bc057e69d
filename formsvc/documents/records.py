"""Records of generated documents: what was made, from what, and its fingerprint."""
from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, DateTime, String, select
from sqlalchemy.orm import Mapped, mapped_column

from formsvc.core.db import Base, DbSession


class DocumentRecord(Base):
    """One generated file (DOCX or PDF)."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(64), index=True)
    lang: Mapped[str] = mapped_column(String(2))
    format: Mapped[str] = mapped_column(String(4))
    input: Mapped[dict[str, Any]] = mapped_column(JSON)
    template_sha256: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def new_id() -> str:
    """A fresh document id (printed on the page before the file exists)."""
    return str(uuid.uuid4())


def sha256(content: bytes) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(content).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def save(session: DbSession, doc_id: str, doc_type: str, lang: str, fmt: str, data: dict[str, Any],
         template_sha256: str, content: bytes) -> DocumentRecord:
    """Record a generated file in the session; the caller commits (one transaction per action)."""
    record = DocumentRecord(id=doc_id, doc_type=doc_type, lang=lang, format=fmt,
                            input=json.loads(json.dumps(data, default=_plain)),
                            template_sha256=template_sha256, sha256=sha256(content),
                            created_at=datetime.now(timezone.utc))
    session.add(record)
    return record


def find(session: DbSession, doc_id: str) -> DocumentRecord | None:
    """The record with this id, if any."""
    try:
        uuid.UUID(doc_id)
    except ValueError:
        return None
    return session.get(DocumentRecord, doc_id)


def find_by_hash(session: DbSession, digest: str) -> DocumentRecord | None:
    """The record of a file with this SHA-256, if any."""
    return session.scalars(select(DocumentRecord).where(DocumentRecord.sha256 == digest)).first()


def database_ok(session: DbSession) -> bool:
    """True if the database answers."""
    try:
        session.execute(select(1))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not ok" for the health check
        session.rollback()
        return False
