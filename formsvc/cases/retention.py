"""Keeping personal data no longer than needed: the purge of closed cases and of the records of
documents made outside a case, after RETENTION_DAYS; and re-encrypting with a new data key."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, text

from formsvc.cases.models import Case, CaseEvent, CaseSearchTerm, CaseStep
from formsvc.core.crypto import RING
from formsvc.core.db import DbSession
from formsvc.documents.records import DocumentFile, DocumentRecord

CLOSED = ("notified", "terminated")


@dataclass(frozen=True)
class Purge:
    """What a purge removes (or would remove, in a dry run)."""

    cases: int
    documents: int


def purge(session: DbSession, before: datetime, dry_run: bool = True) -> Purge:
    """Closed cases whose last event is before `before`, with everything in them, and the
    records of stand-alone documents made before it. Nothing is deleted in a dry run."""
    last_event = select(CaseEvent.case_id, func.max(CaseEvent.at).label("last")).group_by(CaseEvent.case_id).subquery()
    old_cases = list(session.scalars(select(Case.id).join(last_event, last_event.c.case_id == Case.id)
                                     .where(Case.status.in_(CLOSED), last_event.c.last < before)))
    case_docs = list(session.scalars(select(DocumentRecord.id).where(DocumentRecord.case_id.in_(old_cases))))
    loose_docs = list(session.scalars(select(DocumentRecord.id).where(DocumentRecord.case_id.is_(None),
                                                                      DocumentRecord.created_at < before)))
    found = Purge(len(old_cases), len(case_docs) + len(loose_docs))
    if dry_run:
        return found
    documents = case_docs + loose_docs
    session.execute(delete(DocumentFile).where(DocumentFile.document_id.in_(documents)))
    session.execute(delete(DocumentRecord).where(DocumentRecord.id.in_(documents)))
    for table in (CaseEvent, CaseStep, CaseSearchTerm):
        session.execute(delete(table).where(table.case_id.in_(old_cases)))
    session.execute(delete(Case).where(Case.id.in_(old_cases)))
    return found


def rotate_keys(session: DbSession) -> int:
    """Re-encrypt every stored input and file with the first data key; how many were rewritten."""
    count = 0
    for doc_id, token in session.execute(text("SELECT id, input FROM documents")).fetchall():
        session.execute(text("UPDATE documents SET input = :t WHERE id = :i"),
                        {"t": RING.rotate(token.encode("ascii")).decode("ascii"), "i": doc_id})
        count += 1
    for doc_id, lang, fmt, content in session.execute(
            text("SELECT document_id, lang, format, content FROM document_files")).fetchall():
        session.execute(text("UPDATE document_files SET content = :c WHERE document_id = :i AND lang = :l "
                             "AND format = :f"), {"c": RING.rotate(bytes(content)), "i": doc_id, "l": lang, "f": fmt})
        count += 1
    for table, key, column in (("cases", "id", "applicant_name"), ("cases", "id", "household"),
                               ("case_events", "id", "note")):
        for row_id, token in session.execute(text(f"SELECT {key}, {column} FROM {table} "
                                                  f"WHERE {column} IS NOT NULL")).fetchall():
            session.execute(text(f"UPDATE {table} SET {column} = :t WHERE {key} = :i"),
                            {"t": RING.rotate(token.encode("ascii")).decode("ascii"), "i": row_id})
            count += 1
    return count
