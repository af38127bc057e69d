"""Personal data: encrypted at rest, kept only as long and as much as the procedure needs,
never in URLs, logs or /verify (Kazakhstan's law on personal data)."""
import logging
from datetime import datetime, timedelta, timezone

import flask_migrate
import pytest
from sqlalchemy import text

from formsvc.cases.models import Case
from formsvc.documents.records import DocumentRecord
from tests.conftest import auth_for, example

PERSONAL = ("871008401427", "760212350620", "Серікова", "Сериков", "KZ86125KZT5004100100", "041234567",
            "Абай даңғылы", "+77015550123")


@pytest.fixture
def app(db_app):
    """The app on SQLite and on PostgreSQL (conftest's db_app)."""
    return db_app


def clerk(app):
    return {"Authorization": f"Bearer {app.config['TEST_TOKENS']['clerk']}"}


def register_case(app, registered_on="2026-11-02"):
    body = {**example("application"), "date": registered_on, "registered_on": registered_on}
    resp = app.test_client().post("/api/v1/cases", json=body, headers=clerk(app))
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def raw_database_text(app):
    """Every value of every table as the database holds it (what a stolen file shows)."""
    session = app.extensions["sqlalchemy"].session
    engine = app.extensions["sqlalchemy"].engine
    from sqlalchemy import inspect
    found = []
    for table in inspect(engine).get_table_names():
        for row in session.execute(text(f'SELECT * FROM "{table}"')).fetchall():
            found += [v.decode("latin-1") if isinstance(v, (bytes, memoryview)) else str(v) for v in row]
    return "\n".join(found)


def test_no_personal_data_in_the_database_in_clear(app):
    case = register_case(app)
    client = app.test_client()
    doc = client.get(f"/api/v1/cases/{case['id']}", headers=clerk(app)).get_json()["documents"][0]
    assert client.get(f"/api/v1/cases/{case['id']}/documents/{doc['id']}.docx?lang=ru", headers=clerk(app)).status_code == 200
    client.post("/api/v1/documents/application", json=example("application"))
    dump = raw_database_text(app)
    assert [p for p in PERSONAL if p in dump] == []
    # and yet the service reads it back
    session = app.extensions["sqlalchemy"].session
    record = session.get(DocumentRecord, doc["id"])
    assert record.input["applicant"]["iin"] == "871008401427"


def test_a_document_made_outside_a_case_keeps_only_its_number_and_date(app):
    resp = app.test_client().post("/api/v1/documents/decision", json=example("decision"), headers=auth_for(app, "decision"))
    record = app.extensions["sqlalchemy"].session.get(DocumentRecord, resp.headers["X-Document-Id"])
    assert record.input == {"number": "Ш-118", "date": "2026-11-12"}


def test_existing_rows_are_encrypted_by_the_migration(app):
    flask_migrate.downgrade(revision="0004_health")
    session = app.extensions["sqlalchemy"].session
    session.execute(text("INSERT INTO documents (id, doc_type, lang, format, input, template_sha256, sha256, created_at) "
                         "VALUES ('00000000-0000-4000-8000-000000000001', 'application', 'kk', 'docx', "
                         "'{\"applicant\": {\"iin\": \"871008401427\"}}', 'a', 'b', :at)"),
                    {"at": datetime.now(timezone.utc)})
    session.commit()
    flask_migrate.upgrade()
    assert "871008401427" not in raw_database_text(app)
    record = session.get(DocumentRecord, "00000000-0000-4000-8000-000000000001")
    assert record.input == {"applicant": {"iin": "871008401427"}}


def test_keys_rotate(app):
    from formsvc.core.crypto import RING, new_key
    register_case(app)
    fresh_key, old_keys = new_key(), list(RING.keys)
    RING.configure([fresh_key, *old_keys])
    result = app.test_cli_runner().invoke(args=["rotate-keys"])
    assert result.exit_code == 0 and "re-encrypted" in result.output
    session = app.extensions["sqlalchemy"].session
    session.expire_all()
    RING.keys = [fresh_key]   # the old keys dropped: everything reads with the new one alone
    try:
        assert all(r.input for r in session.query(DocumentRecord))
        read = [(c.household, c.applicant_name) for c in session.query(Case)]   # each decrypts, or raises
        assert any(household and name for household, name in read)
    finally:
        RING.keys = [fresh_key, *old_keys]


def test_purge_removes_closed_cases_past_the_retention_period_after_a_dry_run(app):
    case = register_case(app, "2026-11-02")
    app.test_client().post("/api/v1/documents/application", json=example("application"))
    session = app.extensions["sqlalchemy"].session
    session.execute(text("UPDATE cases SET status = 'notified' WHERE id = :c"), {"c": case["id"]})
    session.execute(text("UPDATE case_events SET at = :old WHERE case_id = :c"),
                    {"old": datetime.now(timezone.utc) - timedelta(days=4000), "c": case["id"]})
    session.execute(text("UPDATE documents SET created_at = :old WHERE case_id IS NULL"),
                    {"old": datetime.now(timezone.utc) - timedelta(days=4000)})
    session.commit()
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["purge"])
    assert "would remove" in dry.output and "closed case(s)" in dry.output
    assert session.get(Case, case["id"]) is not None
    done = runner.invoke(args=["purge", "--yes"])
    assert done.exit_code == 0 and done.output.startswith("removed: ")
    session.expire_all()
    assert session.get(Case, case["id"]) is None
    assert session.query(DocumentRecord).filter(DocumentRecord.case_id == case["id"]).count() == 0
    assert session.query(DocumentRecord).filter(DocumentRecord.case_id.is_(None)).count() == 0
    fresh = register_case(app)      # an open case, and a recent one, stay
    assert runner.invoke(args=["purge", "--yes"]).exit_code == 0
    assert session.get(Case, fresh["id"]) is not None


def test_no_personal_data_in_the_logs(app, caplog):
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    register_case(app)
    bad = example("application")
    bad["applicant"]["iin"] = "871008401428"
    client.post("/api/v1/documents/application", json=bad)
    client.post("/api/v1/documents/application", json=example("application"))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert [p for p in PERSONAL + ("871008401428",) if p in logged] == []
