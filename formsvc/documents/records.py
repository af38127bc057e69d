"""Records of generated documents: what was made, from what, and its fingerprint."""
from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, or_, select, text
from sqlalchemy.orm import Mapped, mapped_column

from formsvc.core.crypto import EncryptedBytes, EncryptedJSON
from formsvc.core.db import Base, DbSession, UtcDateTime


PREPARED, ISSUED, SIGNED, REPLACED = "prepared", "issued", "signed", "replaced"
IN_FORCE = (ISSUED, SIGNED)


class DocumentRecord(Base):
    """One generated file (DOCX or PDF)."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(64), index=True)
    lang: Mapped[str] = mapped_column(String(2))
    format: Mapped[str] = mapped_column(String(4))
    input: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON)   # personal data: encrypted at rest
    template_sha256: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    case_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("cases.id"), index=True, nullable=True)
    issued_by: Mapped[str | None] = mapped_column(String(120), nullable=True)  # "token:NAME", "user:NAME"
    issuer_role: Mapped[str | None] = mapped_column(String(32), nullable=True)  # None: prepared by the applicant
    replaced_by: Mapped[str | None] = mapped_column(String(36), nullable=True)  # a later, corrected document
    state: Mapped[str] = mapped_column(String(10), default=ISSUED)   # prepared -> issued (-> signed) -> replaced
    # one document in force per type in a case, kept by the database itself
    __table_args__ = (Index("uq_documents_in_force", "case_id", "doc_type", unique=True,
                            sqlite_where=text("state IN ('issued', 'signed')"),
                            postgresql_where=text("state IN ('issued', 'signed')")),)


class DocumentFile(Base):
    """A stored rendition of a case document (a language and a format), kept to be served again
    and bound into the case's bundle exactly as issued."""

    __tablename__ = "document_files"

    document_id: Mapped[str] = mapped_column(String(36), ForeignKey("documents.id"), primary_key=True)
    lang: Mapped[str] = mapped_column(String(2), primary_key=True)
    format: Mapped[str] = mapped_column(String(4), primary_key=True)
    content: Mapped[bytes] = mapped_column(EncryptedBytes)          # personal data: encrypted at rest
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    template_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


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


def plain(data: Any) -> Any:
    """Validated data as JSON values: dates as ISO text, amounts as decimal text."""
    return json.loads(json.dumps(data, default=_plain))


def save(session: DbSession, doc_id: str, doc_type: str, lang: str, fmt: str, data: dict[str, Any],
         template_sha256: str, content: bytes, case_id: str | None = None,
         issued_by: str | None = None, issuer_role: str | None = None) -> DocumentRecord:
    """Record a generated file in the session; the caller commits (one transaction per action).

    A case's document keeps its whole input (the case is filled from it); a document made
    outside a case keeps only what verifying it needs, its number and date.
    """
    kept = plain(data) if case_id else {k: v for k, v in plain(data).items() if k in ("number", "date")}
    record = DocumentRecord(id=doc_id, doc_type=doc_type, lang=lang, format=fmt, input=kept,
                            template_sha256=template_sha256, sha256=sha256(content),
                            created_at=datetime.now(timezone.utc), case_id=case_id, issued_by=issued_by,
                            issuer_role=issuer_role)
    session.add(record)
    return record


def store_file(session: DbSession, doc_id: str, lang: str, fmt: str, content: bytes,
               template_sha256: str) -> DocumentFile:
    """Keep a rendition of a document (added to the session; the caller commits)."""
    stored = DocumentFile(document_id=doc_id, lang=lang, format=fmt, content=content, sha256=sha256(content),
                          template_sha256=template_sha256, created_at=datetime.now(timezone.utc))
    session.add(stored)
    return stored


def stored_file(session: DbSession, doc_id: str, lang: str, fmt: str) -> DocumentFile | None:
    """A kept rendition, if there is one."""
    return session.get(DocumentFile, (doc_id, lang, fmt))


def find(session: DbSession, doc_id: str) -> DocumentRecord | None:
    """The record with this id, if any."""
    try:
        uuid.UUID(doc_id)
    except ValueError:
        return None
    return session.get(DocumentRecord, doc_id)


def find_by_hash(session: DbSession, digest: str) -> DocumentRecord | None:
    """The record of a file with this SHA-256 (the first file or a kept rendition), if any."""
    renditions = select(DocumentFile.document_id).where(DocumentFile.sha256 == digest)
    return session.scalars(select(DocumentRecord).where(
        or_(DocumentRecord.sha256 == digest, DocumentRecord.id.in_(renditions)))).first()


def matches(session: DbSession, record: DocumentRecord, digest: str) -> bool:
    """True if a file with this SHA-256 is the record's file or one of its kept renditions."""
    if record.sha256 == digest:
        return True
    return session.scalars(select(DocumentFile.sha256).where(
        DocumentFile.document_id == record.id, DocumentFile.sha256 == digest)).first() is not None


class HealthCheck(Base):
    """One row, rewritten by every health check: proof that the database takes writes."""

    __tablename__ = "health_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime)


def database_ok(session: DbSession) -> bool:
    """True if the database answers and takes a write (down, read-only or deleted: False)."""
    try:
        row = session.get(HealthCheck, 1) or HealthCheck(id=1)
        row.checked_at = datetime.now(timezone.utc)
        session.add(row)
        session.commit()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not ok" for the health check
        session.rollback()
        return False
