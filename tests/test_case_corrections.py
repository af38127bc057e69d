"""Correcting the registered application on the clerk page: a reason on record, later documents
use the corrected data, issued ones stay as issued; number, date and ground are the case's."""
import re

import pytest
from sqlalchemy import select, text
from werkzeug.datastructures import MultiDict

from formsvc.auth.actor import Actor
from formsvc.staff import service as staff
from formsvc.cases.models import CaseEvent
from formsvc.documents.records import DocumentRecord
from formsvc.web.forms import formdata_from_payload
from tests.conftest import docx_text, example, make_clerk_app, signed_in
from tests.test_cases import fresh
from tests.test_clerk import new_case


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_clerk_app(tmp_path_factory.mktemp("corrections"), {"clerk": "clerk", "district": "district_commission"})


def correction(app, changes, reason):
    body = example("application")
    body["date"] = "2026-11-02"
    body["applicant"]["last_name"] = changes.pop("last_name", body["applicant"]["last_name"])
    body.update(changes)
    root = app.extensions["formsvc.documents"].registry.types["application"].root
    data = formdata_from_payload(root, body)
    return MultiDict(list(data.items(multi=True)) + [("correction_reason", reason), ("_action", "submit")])


def codes(resp):
    return set(re.findall(r'data-field="([^"]*)" data-code="([^"]*)"', resp.get_data(as_text=True)))


def test_a_misspelt_name_is_corrected_with_a_reason(app):
    client = signed_in(app, "clerk")
    case_path = new_case(client)
    case_id = case_path.rsplit("/", 1)[1]
    page = client.get(f"{case_path}/correct-application?lang=ru").get_data(as_text=True)
    assert 'name="correction_reason"' in page and 'value="Серікова"' in page    # starts from the application
    # no reason: refused beside the field, nothing written
    resp = client.post(f"{case_path}/correct-application?lang=ru", data=correction(app, {"last_name": "Серикова"}, ""))
    assert resp.status_code == 422 and ("correction_reason", "required") in codes(resp), codes(resp)
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
        assert event.note == "Тегі қате жазылған"      # the reason, encrypted at rest
        raw = s.execute(text("SELECT note FROM case_events WHERE id = :id"), {"id": event.id}).scalar()
        assert "Тегі" not in raw
    # later documents use the corrected data
    assert client.post(f"{case_path}/steps/p16?lang=ru", data={"date": "2026-11-03"}).status_code == 302
    district = signed_in(app, "district")
    page = district.get(f"{case_path}/issue/inspection_act?lang=ru").get_data(as_text=True)
    assert "Серикова" in page and "Серікова" not in page
    assert "Саран қаласы" not in page and "город Сарань" in page and "saran" not in page   # a choice in words


# --- nothing typed twice: kept commissions and the signed-in person's name and position


def test_kept_commissions_and_the_signatory_fill_every_act_in_each_language(app):
    with app.app_context():
        s = app.extensions["sqlalchemy"].session
        for kind, settlement, chair in (("district", "saran", "Жұмабаев Қ. С."), ("special", None, "Әлиева С. М.")):
            staff.set_commission(s, staff.CommissionInput(kind, settlement, "Комиссия", "Комиссия", chair,
                                                          ["Иванов П. С."]), "test")
        staff.save_signatory(s, "clerk", "Нұрланов Ғ. Һ.", "Бөлім басшысы", "Руководитель отдела")
        s.commit()
    client = signed_in(app, "clerk")
    case_path = new_case(client)
    case_id = case_path.rsplit("/", 1)[1]
    assert client.post(f"{case_path}/steps/p16?lang=ru", data={"date": "2026-11-03"}).status_code == 302
    district = signed_in(app, "district")
    page = district.get(f"{case_path}/issue/inspection_act?lang=ru").get_data(as_text=True)
    assert 'value="Жұмабаев Қ. С."' in page and "Иванов П. С." in page    # the kept composition, editable
    with app.app_context():
        reg = app.extensions["formsvc.register"]
        s = app.extensions["sqlalchemy"].session
        case = reg.get(s, case_id)
        commission = Actor("user", "district", "district_commission")
        act = {k: v for k, v in fresh("inspection_act", date="2026-11-04").items() if k != "commission"}
        assert reg.add_document(s, case, "inspection_act", act, "ru", commission, "https://x").record.input[
            "commission"]["chair"] == "Жұмабаев Қ. С."
        reg.add_document(s, case, "district_commission_conclusion", {
            k: v for k, v in fresh("district_commission_conclusion", date="2026-11-05",
                                   received_on="2026-11-05").items() if k != "commission"}, "ru", commission, "x")
        reg.mark_step(s, case, "p20", {"date": "2026-11-06"}, Actor("user", "clerk", "clerk"))
        special = {k: v for k, v in fresh("special_commission_conclusion", date="2026-11-09").items()
                   if k not in ("commission", "number")}
        concluded = reg.add_document(s, case, "special_commission_conclusion", special, "ru",
                                     Actor("user", "special", "special_commission"), "x").record
        assert concluded.input["commission"]["chair"] == "Әлиева С. М."
        assert concluded.input["number"] == f"{case.registration_number}-АК"
        clerk = Actor("user", "clerk", "clerk")
        prepared = reg.prepare(s, case, "decision", "ru", clerk)
        assert prepared.start["signatory"] == {"full_name": "Нұрланов Ғ. Һ.",
                                               "position": {"kk": "Бөлім басшысы", "ru": "Руководитель отдела"}}
        # the form sends back what it offered, in the page's language: each language prints its own
        decision = reg.add_document(s, case, "decision", {
            "date": "2026-11-10", "outcome": "granted",
            "signatory": {"full_name": "Нұрланов Ғ. Һ.", "position": "Руководитель отдела"}}, "ru", clerk, "x")
        s.commit()
        assert decision.warnings == []     # the position kept per language: nothing to warn about
        record = decision.record
        assert record.input["number"] == f"{case.registration_number}-Ш" and record.input["amount"] == "43250.00"
        printed = {lang: docx_text(reg.file(s, case, record.id, lang, "docx", clerk, "x").content)
                   for lang in ("kk", "ru")}
    assert "Бөлім басшысы" in printed["kk"] and "Руководитель отдела" not in printed["kk"]
    assert "Руководитель отдела" in printed["ru"] and "Бөлім басшысы" not in printed["ru"]


def test_the_case_page_shows_what_the_case_established_with_the_p20_computation(app):
    client = signed_in(app, "clerk")
    case_path = new_case(client)
    case_id = case_path.rsplit("/", 1)[1]
    api = app.test_client()

    def post(path, role, body):
        resp = api.post(f"/api/v1/cases/{case_id}{path}", json=body,
                        headers={"Authorization": f"Bearer {app.config['TEST_TOKENS'][role]}"})
        assert resp.status_code in (200, 201), resp.get_json()
    post("/steps/p16", "clerk", {"date": "2026-11-03"})
    post("/documents/inspection_act", "district_commission",
         {k: v for k, v in fresh("inspection_act", date="2026-11-04").items() if k != "incomes"})
    post("/documents/district_commission_conclusion", "district_commission",
         fresh("district_commission_conclusion", date="2026-11-05", received_on="2026-11-05"))
    post("/steps/p20", "clerk", {"date": "2026-11-06"})
    page = client.get(f"{case_path}?lang=ru").get_data(as_text=True).replace("\xa0", " ")
    assert "Что установлено по делу" in page and "проведено, 04.11.2026" in page
    # the declared 180 000 a quarter for two people, against 1.5 subsistence minima of 2026
    assert "180 000,00 ₸ (квартал) ÷ 3 ÷ 2 чел. = 30 000,00 ₸ в месяц" in page
    assert "порог пункта 8 — 76 276,50 ₸:" in page and "не выше порога" in page
