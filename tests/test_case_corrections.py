"""Correcting the registered application on the clerk page: a reason on record, later documents
use the corrected data, issued ones stay as issued; number, date and ground are the case's."""
import re

import pytest
from sqlalchemy import select, text
from werkzeug.datastructures import MultiDict

from formsvc.auth import users
from formsvc.cases.models import Case, CaseEvent
from formsvc.documents.records import DocumentRecord
from formsvc.web.forms import formdata_from_payload
from tests.conftest import docx_text, example, make_app
from tests.test_clerk import PASSWORD, new_case, signed_in


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("corrections"), WTF_CSRF_ENABLED=False, CASE_FORMATS=["docx"],
                   LOGIN_RATE_LIMIT="1000 per minute")
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        users.create(session, "clerk", "clerk", PASSWORD, full_name="Тест")
        users.create(session, "district", "district_commission", PASSWORD, full_name="Тест")
        session.commit()
    return app


def correction(app, changes, reason):
    body = example("application")
    body["date"] = "2026-11-02"
    body["applicant"]["last_name"] = changes.pop("last_name", body["applicant"]["last_name"])
    body.update(changes)
    root = app.extensions["formsvc.documents"].registry.types["application"].root
    data = formdata_from_payload(root, body)
    return MultiDict(list(data.items(multi=True)) + [("reason", reason), ("_action", "submit")])


def codes(resp):
    return set(re.findall(r'data-field="([^"]*)" data-code="([^"]*)"', resp.get_data(as_text=True)))


def test_a_misspelt_name_is_corrected_with_a_reason(app):
    client = signed_in(app, "clerk")
    case_path = new_case(client)
    case_id = case_path.rsplit("/", 1)[1]
    page = client.get(f"{case_path}/correct-application?lang=ru").get_data(as_text=True)
    assert "Причина исправления" in page and 'value="Серікова"' in page    # starts from the application
    # no reason: refused beside the field, nothing written
    resp = client.post(f"{case_path}/correct-application?lang=ru", data=correction(app, {"last_name": "Серикова"}, ""))
    assert resp.status_code == 422 and ("reason", "required") in codes(resp), codes(resp)
    # the ground is the case's
    resp = client.post(f"{case_path}/correct-application?lang=ru",
                       data=correction(app, {"ground": "fire", "event_date": "2026-10-20"}, "Негізі қате"))
    assert resp.status_code == 422 and ("ground", "case_mismatch") in codes(resp), codes(resp)
    with app.app_context():
        s = app.extensions["sqlalchemy"].session
        assert len(s.scalars(select(DocumentRecord).where(DocumentRecord.case_id == case_id)).all()) == 1
    resp = client.post(f"{case_path}/correct-application?lang=ru",
                       data=correction(app, {"last_name": "Серикова"}, "Тегі қате жазылған"))
    assert resp.status_code == 302
    with app.app_context():
        s = app.extensions["sqlalchemy"].session
        docs = s.scalars(select(DocumentRecord).where(DocumentRecord.case_id == case_id)
                         .order_by(DocumentRecord.created_at)).all()
        assert [(d.doc_type, d.state) for d in docs] == [("application", "replaced"), ("application", "issued")]
        assert docs[0].input["applicant"]["last_name"] == "Серікова"      # issued stays as issued
        assert docs[1].input["number"] == docs[0].input["number"]
        event = s.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id,
                                                  CaseEvent.action == "application_corrected")).one()
        assert event.actor == "user:clerk"
        assert event.note == {"reason": "Тегі қате жазылған"}      # the reason, encrypted at rest
        raw = s.execute(text("SELECT note FROM case_events WHERE id = :id"), {"id": event.id}).scalar()
        assert "Тегі" not in raw
    # later documents use the corrected data
    assert client.post(f"{case_path}/steps/p16?lang=ru", data={"date": "2026-11-03"}).status_code == 302
    district = signed_in(app, "district")
    page = district.get(f"{case_path}/issue/inspection_act?lang=ru").get_data(as_text=True)
    assert "Серикова" in page and "Серікова" not in page
