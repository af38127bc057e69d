"""Document records on the embedded default (SQLite) and on PostgreSQL, through the migrations."""
import uuid

import flask_migrate
from sqlalchemy import inspect

from formsvc.documents.records import DocumentRecord, find, find_by_hash, save, sha256
from tests.conftest import generate


def test_migrations_create_the_table(db_app):
    engine = db_app.extensions["sqlalchemy"].engine
    columns = {c["name"] for c in inspect(engine).get_columns("documents")}
    assert columns == {"id", "doc_type", "lang", "format", "input", "template_sha256", "sha256", "created_at",
                       "case_id", "issued_by", "issuer_role", "replaced_by", "state"}
    tables = set(inspect(engine).get_table_names())
    assert {"cases", "case_steps", "case_events", "registration_counters", "api_tokens", "document_files",
            "users"} <= tables


def test_save_and_find(db_app):
    session = db_app.extensions["sqlalchemy"].session
    doc_id = str(uuid.uuid4())
    record = save(session, doc_id, "application", "kk", "docx", {"number": "A-1", "applicant": {"last_name": "Әлиева"}},
                  "a" * 64, b"file")
    session.commit()
    assert find(session, doc_id).input == {"number": "A-1"}   # outside a case: only the number and date
    assert find_by_hash(session, sha256(b"file")).id == record.id
    assert find(session, "not-a-uuid") is None


def test_save_leaves_the_commit_to_the_caller(db_app):
    session = db_app.extensions["sqlalchemy"].session
    doc_id = str(uuid.uuid4())
    save(session, doc_id, "decision", "ru", "docx", {}, "b" * 64, b"other file")
    session.rollback()   # the action failed after the record was added: nothing is left
    assert find(session, doc_id) is None


def test_generation_writes_a_record(db_app):
    resp = generate(db_app.test_client(), "decision", expect=200)
    record = db_app.extensions["sqlalchemy"].session.get(DocumentRecord, resp.headers["X-Document-Id"])
    assert record.sha256 == sha256(resp.data)
    assert record.input == {"number": "Ш-118", "date": "2026-11-12"}   # outside a case: only what verifying needs


def test_downgrade_and_upgrade_again(db_app):
    flask_migrate.downgrade(revision="base")
    assert "documents" not in inspect(db_app.extensions["sqlalchemy"].engine).get_table_names()
    flask_migrate.upgrade()
    assert "documents" in inspect(db_app.extensions["sqlalchemy"].engine).get_table_names()
