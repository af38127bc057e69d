"""The case register over the API, on SQLite and on PostgreSQL: a case carried through the
whole procedure (both outcomes), documents filled from the case, deadlines on the working-day
calendar, steps out of order and contradicting values refused, numbers without gaps, tokens."""
import json
import threading
from io import BytesIO

import pytest
from pypdf import PdfReader

from formsvc.auth import tokens
from formsvc.cases.models import Case, CaseEvent, RegistrationCounter
from formsvc.documents.records import DocumentRecord
from tests.conftest import docx_text, example, make_app, set_path

ROLES = ("clerk", "district_commission", "special_commission", "admin")
# What each document's example says that a case already knows (it is filled from the case).
KNOWN = {"inspection_act": ("application", "applicant", "settlement", "family_members"),
         "district_commission_conclusion": ("application", "applicant"),
         "special_commission_conclusion": ("application", "applicant", "ground", "household_size",
                                           "household_income_quarter"),
         "decision": ("application", "applicant"),
         "refusal_notice": ("application", "decision", "applicant"),
         "grant_notice": ("application", "decision", "applicant", "amount", "periodicity", "form", "bank_account"),
         "termination_notice": ("decision", "applicant")}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def app(request, tmp_path_factory):
    url = None if request.param == "sqlite" else request.getfixturevalue("pg_database")
    app = make_app(tmp_path_factory.mktemp("cases"), **({"DATABASE_URL": url} if url else {}))
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        app.config["TOKENS"] = {role: tokens.create(session, f"test-{role}", role) for role in ROLES}
        session.commit()
    yield app
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()


def caller(app):
    """Call the API of `app` as a role (by its token), with a JSON body and query parameters."""
    client = app.test_client()

    def call(method, path, role="clerk", body=None, **query):
        headers = {"Authorization": f"Bearer {app.config['TOKENS'][role]}"} if role else {}
        q = "&".join(f"{k}={v}" for k, v in query.items())
        return client.open(f"/api/v1{path}{'?' + q if q else ''}", method=method, headers=headers,
                           data=None if body is None else json.dumps(body, ensure_ascii=False),
                           content_type="application/json")
    return call


@pytest.fixture
def api(app):
    return caller(app)


def application(date="2026-11-02"):
    body = example("application")
    body["date"] = date
    return body


def register(api, registered_on="2026-11-02", body=None, expect=201):
    resp = api("POST", "/cases", body={**(body or application()), "registered_on": registered_on})
    assert resp.status_code == expect, resp.get_data(as_text=True)[:600]
    return resp.get_json()


def fresh(doc_type, **changes):
    """The example of `doc_type` without what the case knows, with `changes`."""
    body = {k: v for k, v in example(doc_type).items() if k not in KNOWN.get(doc_type, ())}
    body.update(changes)
    return body


def issue(api, case, doc_type, role, expect=201, lang="kk", **changes):
    resp = api("POST", f"/cases/{case['id']}/documents/{doc_type}", role=role, body=fresh(doc_type, **changes),
               lang=lang)
    assert resp.status_code == expect, resp.get_data(as_text=True)[:800]
    return resp.get_json()


def step(api, case, name, date, expect=200):
    resp = api("POST", f"/cases/{case['id']}/steps/{name}", body={"date": date})
    assert resp.status_code == expect, resp.get_data(as_text=True)[:600]
    return resp.get_json()


def through_conclusion(api, amount="43250"):
    """A case registered on 2 November 2026 and carried to the special commission's conclusion."""
    case = register(api)
    step(api, case, "p16", "2026-11-03")
    issue(api, case, "inspection_act", "district_commission", date="2026-11-04", number="А-1")
    issue(api, case, "district_commission_conclusion", "district_commission", date="2026-11-05",
          received_on="2026-11-05")
    step(api, case, "p20", "2026-11-06")
    issue(api, case, "special_commission_conclusion", "special_commission", date="2026-11-09", amount=amount)
    return case


def text_of(api, case, doc, lang="kk"):
    resp = api("GET", f"/cases/{case['id']}/documents/{doc['id']}.docx", lang=lang)
    assert resp.status_code == 200
    return docx_text(resp.data).replace("\xa0", " ")


def test_registration_gives_a_number_and_the_deadlines(api):
    case = register(api, "2026-11-02")
    assert case["registration_number"].startswith("2026-") and len(case["registration_number"]) == 11
    assert case["status"] == "registered" and case["registered_on"] == "2026-11-02"
    assert set(case["deadlines"]) == {"p16", "p17", "p20", "p21", "p22", "p23"}
    assert case["deadlines"]["p16"] == {"due": "2026-11-03", "done": None, "overdue": True}
    assert case["deadlines"]["p22"]["due"] == "2026-11-12"     # 8 working days
    detail = api("GET", f"/cases/{case['id']}").get_json()
    [doc] = detail["documents"]
    assert doc["type"] == "application" and doc["number"] == case["registration_number"]
    assert case["registration_number"] in text_of(api, case, doc)


def test_deadlines_follow_the_kazakhstan_calendar_across_nauryz(api):
    case = register(api, "2025-03-19", body=application("2025-03-18"))
    assert case["registration_number"].startswith("2025-")
    assert case["deadlines"]["p22"]["due"] == "2025-04-03"
    assert case["deadlines"]["p16"]["due"] == "2025-03-20"
    assert case["deadlines"]["p17"]["due"] == "2025-03-27"    # 2 working days after the 20th: 21–25 March are off


def test_the_whole_procedure_granted(app, api):
    case = through_conclusion(api)
    decision = issue(api, case, "decision", "clerk", date="2026-11-10")
    assert decision["case"]["outcome"] == "granted"
    notice = issue(api, case, "grant_notice", "clerk", date="2026-11-11", lang="ru")
    assert notice["case"]["status"] == "notified"
    detail = api("GET", f"/cases/{case['id']}").get_json()
    assert [d["type"] for d in detail["documents"]] == [
        "application", "inspection_act", "district_commission_conclusion", "special_commission_conclusion",
        "decision", "grant_notice"]
    assert all(v["done"] for v in detail["deadlines"].values())
    assert not any(v["overdue"] for k, v in detail["deadlines"].items() if k != "p16")
    # every document is filled from the case
    number = case["registration_number"]
    act = text_of(api, case, detail["documents"][1], "ru")
    assert number in act and "Серікова" in act and "Сериков" in act
    text = text_of(api, case, notice, "ru")
    assert number in text and "43 250,00" in text and "Ш-118" in text and "**** 0100" in text
    decision_text = text_of(api, case, detail["documents"][4], "ru")
    assert "Серікова" in decision_text and "Заключение специальной комиссии: от 9 ноября 2026 г. № АК-19" in decision_text
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        record = session.get(DocumentRecord, notice["id"])
        assert record.case_id == case["id"] and record.issued_by == "token:test-clerk"
        assert record.input["decision"]["number"] == "Ш-118"
    # termination applies to a granted case
    issue(api, case, "termination_notice", "clerk", date="2026-11-19", circumstance_date="2026-11-16")
    assert api("GET", f"/cases/{case['id']}").get_json()["status"] == "terminated"


def test_the_whole_procedure_refused(api):
    case = through_conclusion(api)
    issue(api, case, "decision", "clerk", date="2026-11-10", outcome="refused", amount=None, periodicity=None,
          form=None, refusal_reasons=["p25_1_unreliable_information"])
    resp = api("POST", f"/cases/{case['id']}/documents/grant_notice", body=fresh("grant_notice"))
    assert resp.status_code == 409 and resp.get_json()["detail"]
    wrong = issue(api, case, "refusal_notice", "clerk", expect=422, date="2026-11-11",
                  reasons=[{"code": "p25_2_inspection_refused", "details": "Тексеруден бас тартты."}])
    assert {(e["field"], e["code"]) for e in wrong["errors"]} == {("reasons", "refusal_reasons_differ")}
    issue(api, case, "refusal_notice", "clerk", date="2026-11-11",
          reasons=[{"code": "p25_1_unreliable_information", "details": "Табыс туралы мәлімет расталмады."}])
    resp = api("POST", f"/cases/{case['id']}/documents/termination_notice", body=fresh("termination_notice"))
    assert resp.status_code == 409


def test_steps_out_of_order_are_409(api):
    case = register(api)
    resp = api("POST", f"/cases/{case['id']}/documents/inspection_act", role="district_commission",
               body=fresh("inspection_act", date="2026-11-04"))
    assert resp.status_code == 409 and resp.mimetype == "application/problem+json"
    assert "steps/p16" in resp.get_json()["detail"]
    assert step(api, case, "p20", "2026-11-04", expect=409)["status"] == 409
    step(api, case, "p16", "2026-11-03")
    assert step(api, case, "p16", "2026-11-03", expect=409)["status"] == 409     # done already
    issue(api, case, "inspection_act", "district_commission", date="2026-11-04")
    issue(api, case, "district_commission_conclusion", "district_commission", date="2026-11-05",
          received_on="2026-11-05")
    step(api, case, "p20", "2026-11-06")
    # once the next step is taken, the act can no longer be corrected
    issue(api, case, "inspection_act", "district_commission", expect=409, date="2026-11-04")


def test_a_value_that_contradicts_the_case_is_refused(api):
    case = register(api)
    step(api, case, "p16", "2026-11-03")
    body = fresh("inspection_act", date="2026-11-04")
    body["applicant"] = {"iin": "760212350620"}
    resp = api("POST", f"/cases/{case['id']}/documents/inspection_act", role="district_commission", body=body)
    assert resp.status_code == 422
    assert ("applicant.iin", "case_mismatch") in {(e["field"], e["code"]) for e in resp.get_json()["errors"]}
    # the same value, written differently, agrees with the case
    body["applicant"] = {"iin": " 871008401427 ", "last_name": "Серікова"}
    body["family_members"] = [{"occupation": "Зейнеткер"}]
    resp = api("POST", f"/cases/{case['id']}/documents/inspection_act", role="district_commission", body=body)
    assert resp.status_code == 201, resp.get_json()


def test_a_document_cannot_predate_the_step_before_it(api):
    case = register(api)
    step(api, case, "p16", "2026-11-04")
    wrong = issue(api, case, "inspection_act", "district_commission", expect=422, date="2026-11-03")
    assert ("date", "before_previous_step") in {(e["field"], e["code"]) for e in wrong["errors"]}


def test_decision_amount_is_bounded_by_the_conclusion_and_p9(api):
    case = through_conclusion(api, amount="30000")
    wrong = issue(api, case, "decision", "clerk", expect=422, date="2026-11-10", amount="35000")
    assert ("amount", "amount_above_conclusion") in {(e["field"], e["code"]) for e in wrong["errors"]}
    issue(api, case, "decision", "clerk", date="2026-11-10", amount="30000")


def test_a_late_decision_is_issued_with_a_warning(api):
    case = through_conclusion(api)
    decision = issue(api, case, "decision", "clerk", date="2026-11-13")
    assert [w["code"] for w in decision["warnings"]] == ["p22_deadline_passed", "printed_as_typed"]
    assert decision["case"]["deadlines"]["p22"]["overdue"] is True


@pytest.fixture(scope="module")
def pdf_app(tmp_path_factory):
    """Case documents made as the production makes them: DOCX and PDF/A at issue."""
    app = make_app(tmp_path_factory.mktemp("cases-pdf"), CASE_FORMATS=["docx", "pdf"])
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        app.config["TOKENS"] = {role: tokens.create(session, f"test-{role}", role) for role in ROLES}
        session.commit()
    yield app
    app.extensions["formsvc.documents"].pdf.stop()


@pytest.fixture
def pdf_api(pdf_app):
    return caller(pdf_app)


@pytest.mark.libreoffice
def test_the_bundle_has_one_bookmark_per_document_and_numbered_pages(pdf_api):
    api = pdf_api
    case = through_conclusion(api)
    issue(api, case, "decision", "clerk", date="2026-11-10")
    resp = api("GET", f"/cases/{case['id']}/bundle.pdf", lang="ru")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(resp.data))
    titles = [item.title for item in reader.outline]
    assert len(titles) == 5 and titles[0].startswith("Заявление") and titles[-1].startswith("Решение")
    pages = len(reader.pages)
    assert f"стр. 1 из {pages}" in reader.pages[0].extract_text()
    assert f"Дело № {case['registration_number']}" in reader.pages[-1].extract_text()
    assert "/OutputIntents" in reader.trailer["/Root"]
    again = api("GET", f"/cases/{case['id']}/bundle.pdf", lang="ru")
    assert again.status_code == 200


@pytest.mark.libreoffice
def test_a_kept_pdf_is_served_again_unchanged_and_verifiable(pdf_app, pdf_api):
    app, api = pdf_app, pdf_api
    case = register(api)
    doc = api("GET", f"/cases/{case['id']}").get_json()["documents"][0]
    first = api("GET", f"/cases/{case['id']}/documents/{doc['id']}.pdf", lang="ru")
    second = api("GET", f"/cases/{case['id']}/documents/{doc['id']}.pdf", lang="ru")
    assert first.status_code == 200 and first.data == second.data
    assert first.headers["X-Document-Id"] == doc["id"]
    page = app.test_client().post(f"/verify/{doc['id']}?lang=ru",
                                  data={"file": (BytesIO(first.data), "copy.pdf")})
    assert page.status_code == 200 and "notice-ok" in page.get_data(as_text=True)


def test_every_access_leaves_an_event(app, api):
    case = register(api)
    doc = api("GET", f"/cases/{case['id']}").get_json()["documents"][0]
    api("GET", f"/cases/{case['id']}/documents/{doc['id']}.docx")
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        actions = [e.action for e in session.query(CaseEvent).filter_by(case_id=case["id"]).order_by(CaseEvent.id)]
    assert actions == ["registered", "consent_recorded", "case_viewed", "document_viewed"]


@pytest.mark.parametrize("role, path, method, body, status", [
    (None, "/cases", "GET", None, 401),
    ("district_commission", "/cases", "POST", "application", 403),
    ("admin", "/cases", "GET", None, 403),
])
def test_access(api, role, path, method, body, status):
    resp = api(method, path, role=role, body=application() if body else None)
    assert resp.status_code == status and resp.mimetype == "application/problem+json"


def test_district_commission_cannot_issue_a_decision(api):
    case = through_conclusion(api)
    resp = api("POST", f"/cases/{case['id']}/documents/decision", role="district_commission",
               body=fresh("decision", date="2026-11-10"))
    assert resp.status_code == 403


def test_a_revoked_or_unknown_token_is_401(app):
    client = app.test_client()
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        token = tokens.create(session, "short-lived", "clerk")
        session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/cases", headers=headers).status_code == 200
    result = app.test_cli_runner().invoke(args=["token", "revoke", "short-lived"])
    assert result.exit_code == 0
    assert client.get("/api/v1/cases", headers=headers).status_code == 401
    assert client.get("/api/v1/cases", headers={"Authorization": "Bearer fsv_nonsense"}).status_code == 401
    assert client.get("/api/v1/cases", headers={"Authorization": "Basic abc"}).status_code == 401


def test_token_cli_prints_once_and_lists_without_the_token(app):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["token", "create", "--name", "e-sobes", "--role", "clerk"])
    assert created.exit_code == 0
    token = created.stdout.strip()
    assert token.startswith("fsv_") and len(token) > 40
    listed = runner.invoke(args=["token", "list"]).output
    assert "e-sobes\tclerk" in listed and token not in listed
    assert runner.invoke(args=["token", "create", "--name", "e-sobes", "--role", "clerk"]).exit_code == 1
    with app.app_context():
        stored = app.extensions["sqlalchemy"].session.get(tokens.ApiToken, "e-sobes")
        assert stored.token_sha256 != token and token not in stored.token_sha256


def test_concurrent_registrations_get_consecutive_numbers(app, api):
    results, errors = [], []

    def one():
        try:
            client = app.test_client()
            resp = client.post("/api/v1/cases", headers={"Authorization": f"Bearer {app.config['TOKENS']['clerk']}"},
                               json={**application("2024-06-03"), "registered_on": "2024-06-03"})
            results.append((resp.status_code, resp.get_json().get("registration_number")))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
    threads = [threading.Thread(target=one) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and all(status == 201 for status, _ in results), results
    numbers = sorted(n for _, n in results)
    assert numbers == [f"2024-{i:06d}" for i in range(1, 13)]


def test_a_failed_registration_leaves_nothing_and_no_gap(app, api):
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        before = session.query(Case).count()
    bad = application("2023-05-02")
    set_path(bad, "applicant.iin", "871008401428")
    resp = api("POST", "/cases", body={**bad, "registered_on": "2023-05-02"})
    assert resp.status_code == 422
    future = api("POST", "/cases", body={**application(), "registered_on": "2099-01-01"})
    assert (future.status_code, future.get_json()["errors"][0]["code"]) == (422, "date_in_future")
    early = api("POST", "/cases", body={**application("2023-05-03"), "registered_on": "2023-05-02"})
    assert early.get_json()["errors"][0]["code"] == "registered_before_application"
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        assert session.query(Case).count() == before
        assert session.get(RegistrationCounter, ("saran", 2023)) is None
    assert register(api, "2023-05-02", application("2023-05-02"))["registration_number"] == "2023-000001"


def test_the_list_filters_and_pages(api):
    a = register(api, "2022-02-01", application("2022-02-01"))
    fire = application("2022-02-02") | {
        "ground": "fire", "event_date": "2022-01-20", "incomes": [],
        "attachments": {"identity_document": True, "situation_proof": True,
                        "situation_proof_description": "Өрт туралы акт"}}
    b = register(api, "2022-02-02", fire)
    step(api, b, "p16", "2022-02-03")
    listed = api("GET", "/cases", registered_from="2022-01-01", registered_to="2022-12-31").get_json()
    assert {c["id"] for c in listed["items"]} == {a["id"], b["id"]} and listed["total"] == 2
    assert listed["page"] == 1 and listed["pages"] == 1
    fires = api("GET", "/cases", ground="fire", registered_from="2022-01-01", registered_to="2022-12-31").get_json()
    assert [c["id"] for c in fires["items"]] == [b["id"]]
    sent = api("GET", "/cases", status="sent_to_district_commission", registered_to="2022-12-31").get_json()
    assert [c["id"] for c in sent["items"]] == [b["id"]]
    by_number = api("GET", "/cases", number=a["registration_number"]).get_json()
    assert [c["id"] for c in by_number["items"]] == [a["id"]]
    overdue = api("GET", "/cases", overdue="true", registered_to="2022-12-31").get_json()
    assert {c["id"] for c in overdue["items"]} == {a["id"], b["id"]}
    for bad in ({"page": "0"}, {"overdue": "maybe"}, {"registered_from": "yesterday"}):
        assert api("GET", "/cases", **bad).status_code == 400


def test_working_days_for_other_applications(app):
    client = app.test_client()
    resp = client.get("/api/v1/calendar/working-days?from=2025-03-19&add=8")
    assert resp.get_json() == {"from": "2025-03-19", "add": 8, "date": "2025-04-03"}
    for query in ("from=2025-02-30&add=1", "from=2025-03-19&add=-1", "from=2025-03-19&add=401", "add=1"):
        assert client.get(f"/api/v1/calendar/working-days?{query}").status_code == 400


def test_unknown_case_and_document_are_404(api):
    assert api("GET", "/cases/nope").status_code == 404
    assert api("GET", "/cases/00000000-0000-0000-0000-000000000000").status_code == 404
    case = register(api)
    assert api("GET", f"/cases/{case['id']}/documents/00000000-0000-0000-0000-000000000000.docx").status_code == 404
    assert api("GET", f"/cases/{case['id']}/documents/x.odt").status_code == 400


def test_a_document_corrected_before_the_next_step_replaces_the_earlier_one(app, api):
    case = register(api)
    step(api, case, "p16", "2026-11-03")
    first = issue(api, case, "inspection_act", "district_commission", date="2026-11-04", situation="Бірінші нұсқа.")
    second = issue(api, case, "inspection_act", "district_commission", date="2026-11-05", situation="Түзетілген нұсқа.")
    detail = api("GET", f"/cases/{case['id']}").get_json()
    acts = [d for d in detail["documents"] if d["type"] == "inspection_act"]
    assert [(d["id"], d["replaced_by"]) for d in acts] == [(first["id"], second["id"]), (second["id"], None)]
    assert "document_replaced" in [e["action"] for e in detail["events"]]
    assert "Түзетілген нұсқа." in text_of(api, case, second)
    page = app.test_client().get(f"/verify/{first['id']}?lang=ru").get_data(as_text=True)
    assert "Этот документ заменён более поздним" in page and f"/verify/{second['id']}" in page
    # the case goes on from the corrected act; a decision may be corrected until the notice
    issue(api, case, "district_commission_conclusion", "district_commission", date="2026-11-05",
          received_on="2026-11-05")
    step(api, case, "p20", "2026-11-06")
    issue(api, case, "special_commission_conclusion", "special_commission", date="2026-11-09")
    issue(api, case, "decision", "clerk", date="2026-11-10")
    corrected = issue(api, case, "decision", "clerk", date="2026-11-10", outcome="refused", amount=None,
                      periodicity=None, form=None, refusal_reasons=["p25_1_unreliable_information"])
    assert corrected["case"]["outcome"] == "refused"
    assert api("POST", f"/cases/{case['id']}/documents/grant_notice", body=fresh("grant_notice")).status_code == 409
    issue(api, case, "refusal_notice", "clerk", date="2026-11-11",
          reasons=[{"code": "p25_1_unreliable_information", "details": "Табыс туралы мәлімет расталмады."}])
    issue(api, case, "decision", "clerk", expect=409, date="2026-11-10")      # notified: too late to correct
