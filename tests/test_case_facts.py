"""The case holds facts: documents of one case agree (each contradiction refused with its code
and field, nothing written), figures come from the case, periodic grants carry their period,
issued files are fixed at issue, and one act per step under concurrent writers."""
import hashlib
import shutil
import threading
import zipfile
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient

from formsvc import config
from formsvc.auth import tokens
from formsvc.cases.models import Case, CaseEvent
from formsvc.documents.records import DocumentFile, DocumentRecord
from tests.conftest import docx_text, make_app
from tests.test_cases import ROLES, application, caller, fresh, issue, register, step

pytestmark = pytest.mark.libreoffice   # a case document is made as PDF/A at issue

def _app(tmp_path_factory, name, **config):
    app = make_app(tmp_path_factory.mktemp(name), **{"CASE_FORMATS": ["docx", "pdf"], **config})
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        app.config["TOKENS"] = {role: tokens.create(session, f"test-{role}", role) for role in ROLES}
        session.commit()
    return app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = _app(tmp_path_factory, "facts")
    yield app
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()


@pytest.fixture
def api(app):
    return caller(app)


def errors(resp):
    return {(e["field"], e["code"]) for e in resp.get_json().get("errors", [])}


TERMS = ("amount", "periodicity", "form", "period")
FINDINGS = ("situation", "able_bodied_count", "registered_unemployed_count", "children_paid_education_count",
            "paid_education_cost_year", "housing", "incomes", "vulnerable_categories", "vulnerable_other", "vehicles",
            "other_housing", "previous_assistance", "other_income", "children_provision", "sanitary_conditions",
            "other_observations")


def bare(doc_type, *drop, **changes):
    """The example of `doc_type` without what the case knows nor the fields in `drop`, with `changes`."""
    return {k: v for k, v in fresh(doc_type).items() if k not in drop} | changes


def post(api, case, doc_type, role, *drop, **changes):
    return api("POST", f"/cases/{case['id']}/documents/{doc_type}", role=role, body=bare(doc_type, *drop, **changes))


def issued(api, case, doc_type, role, *drop, **changes):
    resp = post(api, case, doc_type, role, *drop, **changes)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def counts(app, case_id):
    """What a case has written: documents, stored files, events, and its row's version."""
    with app.app_context():
        s = app.extensions["sqlalchemy"].session
        docs = s.scalar(select(func.count()).select_from(DocumentRecord).where(DocumentRecord.case_id == case_id))
        files = s.scalar(select(func.count()).select_from(DocumentFile).join(
            DocumentRecord, DocumentRecord.id == DocumentFile.document_id).where(DocumentRecord.case_id == case_id))
        events = s.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id))
        return docs, files, events, s.get(Case, case_id).version


def to_p20(api, body=None, refused=False):
    """A case carried to p20 (per-capita income computed)."""
    case = register(api, body=body)
    step(api, case, "p16", "2026-11-03")
    if refused:
        issued(api, case, "inspection_act", "district_commission", *FINDINGS, date="2026-11-04", number="А-1",
               inspection_refused=True, refusal_recorded_on="2026-11-04")
    else:   # the declared incomes and situation: from the case
        issued(api, case, "inspection_act", "district_commission", "incomes", "situation", date="2026-11-04",
               number="А-1")
    issue(api, case, "district_commission_conclusion", "district_commission", date="2026-11-05",
          received_on="2026-11-05", **({"conclusion": "assistance_not_needed"} if refused else {}))
    step(api, case, "p20", "2026-11-06")
    return case


def rich(income="600000"):
    """An application whose household's income is above the p8 threshold."""
    body = application()
    body["incomes"] = [{"iin": "760212350620", "kind": "pension", "amount_quarter": income}]
    return body


# --- documents that contradict the case are refused, and nothing is written


def test_household_figures_come_from_the_case(app, api):
    case = to_p20(api, body=rich())
    before = counts(app, case["id"])
    resp = post(api, case, "special_commission_conclusion", "special_commission", date="2026-11-09",
                household_size=5, household_income_quarter="60000")
    assert resp.status_code == 422
    assert errors(resp) >= {("household_size", "case_mismatch"), ("household_income_quarter", "case_mismatch")}
    assert counts(app, case["id"]) == before
    # without the figures, the case's are used: above the p8 threshold, "in need" is refused
    body = {k: v for k, v in fresh("special_commission_conclusion", date="2026-11-09").items()
            if k not in ("household_size", "household_income_quarter")}
    resp = api("POST", f"/cases/{case['id']}/documents/special_commission_conclusion", role="special_commission",
               body=body)
    assert resp.status_code == 422 and ("conclusion", "p8_income_above_threshold") in errors(resp)
    assert counts(app, case["id"]) == before


def test_p20_keeps_the_per_capita_income_with_its_computation(app, api):
    case = to_p20(api, body=rich())
    with app.app_context():
        row = app.extensions["sqlalchemy"].session.get(Case, case["id"])
        computed = row.household["computed"]
        assert computed == {"income_quarter": "600000.00", "size": "2", "per_capita": "100000.00",
                            "threshold": "76276.50", "on": "2026-11-06"}
        raw = app.extensions["sqlalchemy"].session.execute(
            text("SELECT household FROM cases WHERE id = :id"), {"id": case["id"]}).scalar()
        assert "600000" not in raw and "100000" not in raw     # personal data: encrypted at rest


def test_a_grant_needs_a_positive_special_conclusion(app, api):
    case = to_p20(api)
    issue(api, case, "special_commission_conclusion", "special_commission", date="2026-11-09",
          conclusion="assistance_not_needed", amount=None, periodicity=None, form=None)
    before = counts(app, case["id"])
    resp = post(api, case, "decision", "clerk", date="2026-11-10", amount="43250", periodicity="one_time",
                form="cash")
    assert resp.status_code == 422 and errors(resp) == {("outcome", "grant_without_positive_conclusion")}
    assert counts(app, case["id"]) == before


def test_p25_2_only_on_a_refused_inspection(app, api):
    carried_out = to_p20(api)
    issue(api, carried_out, "special_commission_conclusion", "special_commission", date="2026-11-09")
    resp = post(api, carried_out, "decision", "clerk", date="2026-11-10", outcome="refused", amount=None,
                periodicity=None, form=None, refusal_reasons=["p25_2_inspection_refused"])
    assert resp.status_code == 422 and errors(resp) == {("refusal_reasons.0", "p25_2_inspection_not_refused")}
    refused = to_p20(api, refused=True)
    issue(api, refused, "special_commission_conclusion", "special_commission", date="2026-11-09",
          conclusion="assistance_not_needed", amount=None, periodicity=None, form=None)
    decided = issued(api, refused, "decision", "clerk", *TERMS, date="2026-11-10", outcome="refused",
                     refusal_reasons=["p25_2_inspection_refused"])
    assert decided["case"]["outcome"] == "refused"


def test_a_refused_inspection_prints_no_findings(app, api):
    case = to_p20(api, refused=True)
    detail = api("GET", f"/cases/{case['id']}").get_json()
    act = next(d for d in detail["documents"] if d["type"] == "inspection_act")
    for lang, established, refusal in (("ru", "установила следующее", "отказалась (уклонилась)"),
                                       ("kk", "мынаны анықтады", "бас тартты")):
        content = api("GET", f"/cases/{case['id']}/documents/{act['id']}.docx", lang=lang).data
        printed = docx_text(content)
        assert refusal in printed and established not in printed
        assert "Жилищные условия" not in printed and "Тұрғын үй жағдайы" not in printed
    # findings sent with a refusal are refused
    other = register(api)
    step(api, other, "p16", "2026-11-03")
    resp = post(api, other, "inspection_act", "district_commission", "situation", "incomes", date="2026-11-04",
                inspection_refused=True, refusal_recorded_on="2026-11-04")
    assert resp.status_code == 422 and ("housing", "not_applicable") in errors(resp)
    # and an inspection carried out states them
    body = fresh("inspection_act", date="2026-11-04")
    del body["housing"]
    resp = api("POST", f"/cases/{other['id']}/documents/inspection_act", role="district_commission", body=body)
    assert resp.status_code == 422 and ("housing", "required") in errors(resp)


def test_p25_3_only_where_income_counts_and_exceeds_the_threshold(app, api):
    low = to_p20(api)   # 180 000 a quarter for two: 30 000 a head, under 76 276.50
    issue(api, low, "special_commission_conclusion", "special_commission", date="2026-11-09")
    resp = post(api, low, "decision", "clerk", date="2026-11-10", outcome="refused", amount=None,
                periodicity=None, form=None, refusal_reasons=["p25_3_income_above_threshold"])
    assert errors(resp) == {("refusal_reasons.0", "p25_3_income_not_above_threshold")}
    high = to_p20(api, body=rich())
    issue(api, high, "special_commission_conclusion", "special_commission", date="2026-11-09",
          conclusion="assistance_not_needed", amount=None, periodicity=None, form=None)
    issued(api, high, "decision", "clerk", *TERMS, date="2026-11-10", outcome="refused",
           refusal_reasons=["p25_3_income_above_threshold"])
    released = application()
    released.update(ground="release_from_prison", event_date="2026-10-01", incomes=[],
                    attachments={"identity_document": True, "situation_proof": True,
                                 "situation_proof_description": "Босатылу туралы анықтама"})
    case = to_p20(api, body=released)
    issue(api, case, "special_commission_conclusion", "special_commission", date="2026-11-09",
          ground="release_from_prison", conclusion="assistance_not_needed", amount=None, periodicity=None,
          form=None, household_size=None, household_income_quarter=None)
    resp = post(api, case, "decision", "clerk", date="2026-11-10", outcome="refused", amount=None,
                periodicity=None, form=None, refusal_reasons=["p25_3_income_above_threshold"])
    assert errors(resp) == {("refusal_reasons.0", "p25_3_not_income_dependent")}


def test_dates_follow_the_procedure(app, api):
    case = register(api)
    step(api, case, "p16", "2026-11-03")
    issue(api, case, "inspection_act", "district_commission", date="2026-11-04")
    before = counts(app, case["id"])
    resp = post(api, case, "district_commission_conclusion", "district_commission", date="2026-11-05",
                received_on="2026-11-01")
    assert ("received_on", "before_registration_date") in errors(resp)
    resp = post(api, case, "district_commission_conclusion", "district_commission", date="2026-11-05",
                received_on="2026-11-04")
    assert errors(resp) == {("received_on", "received_before_conclusion")}
    assert counts(app, case["id"]) == before


def test_termination_rests_on_its_dates_and_the_grant_period(app, api):
    case = to_p20(api)
    issue(api, case, "special_commission_conclusion", "special_commission", date="2026-11-09", amount="7000",
          periodicity="monthly", period={"from": "2026-12", "payments": 3})
    decision = issued(api, case, "decision", "clerk", *TERMS, date="2026-11-10")
    assert decision["case"]["outcome"] == "granted"
    issue(api, case, "grant_notice", "clerk", date="2026-11-11")
    after_notice = post(api, case, "termination_notice", "clerk", date="2026-11-19", circumstance_date="2026-11-20")
    assert errors(after_notice) == {("circumstance_date", "circumstance_after_notice")}
    resp = post(api, case, "termination_notice", "clerk", date="2026-11-19", circumstance_date="2026-11-16")
    assert resp.status_code == 201
    with app.app_context():
        row = app.extensions["sqlalchemy"].session.get(Case, case["id"])
        assert (row.termination_ground, str(row.payments_stop_from)) == ("p27_2_relocation", "2026-11-01")


# --- periodic assistance with its period


def test_a_periodic_grant_carries_its_period_total_and_the_p9_limit_of_the_total(app, api):
    case = to_p20(api)
    # 10 MCI = 43 250 for the whole grant: 6 payments of 10 000 exceed it
    resp = post(api, case, "special_commission_conclusion", "special_commission", date="2026-11-09", amount="10000",
                periodicity="monthly", period={"from": "2027-01", "payments": 6})
    assert errors(resp) == {("period.payments", "p9_total_exceeded")}
    resp = post(api, case, "special_commission_conclusion", "special_commission", date="2026-11-09", amount="5000",
                periodicity="monthly")
    assert errors(resp) == {("period", "required")}
    issue(api, case, "special_commission_conclusion", "special_commission", date="2026-11-09", amount="5000",
          periodicity="monthly", period={"from": "2027-01", "payments": 6})
    # the decision starts from the conclusion's terms; a larger total is refused
    resp = post(api, case, "decision", "clerk", "amount", "form", "periodicity", date="2026-11-10",
                period={"from": "2027-01", "payments": 8})
    assert errors(resp) >= {("period.payments", "total_above_conclusion")}
    body = {"number": "Ш-7", "date": "2026-11-10", "outcome": "granted",
            "signatory": {"full_name": "Нұрланов Ғ. Һ.", "position": "Бөлім басшысы"}}
    resp = api("POST", f"/cases/{case['id']}/documents/decision", body=body)
    assert resp.status_code == 201, resp.get_json()
    decision = resp.get_json()
    # a position typed once prints as typed in both languages: said, not refused
    assert [(w["field"], w["code"]) for w in decision["warnings"]] == [("signatory.position", "printed_as_typed")]
    ru = docx_text(api("GET", f"/cases/{case['id']}/documents/{decision['id']}.docx", lang="ru").data)
    assert "период – с января 2027 г. по июнь 2027 г., количество выплат – 6, всего – 30 000,00 тенге" in \
        ru.replace("\xa0", " ")
    kk = docx_text(api("GET", f"/cases/{case['id']}/documents/{decision['id']}.docx", lang="kk").data)
    assert "2027 жылғы қаңтардан бастап 2027 жылғы маусымға дейін" in kk.replace("\xa0", " ")
    notice = issue(api, case, "grant_notice", "clerk", date="2026-11-11", lang="ru")
    pdf = api("GET", f"/cases/{case['id']}/documents/{notice['id']}.pdf", lang="ru").data
    printed = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).replace("\xa0", " ")
    assert "30 000,00" in printed and "по июнь 2027" in printed
    with app.app_context():
        row = app.extensions["sqlalchemy"].session.get(Case, case["id"])
        assert (row.outcome, str(row.amount), row.periodicity, row.form, row.period_from, row.payments) == \
            ("granted", "5000.00", "monthly", "cash", "2027-01", 6)
        assert str(row.decided_on) == "2026-11-10" and str(row.notified_on) == "2026-11-11"
        assert row.special_conclusion == "assistance_needed" and row.inspection_outcome == "carried_out"
    facts = api("GET", f"/cases/{case['id']}").get_json()["facts"]   # what integrators and reports read
    assert {k: facts[k] for k in ("amount", "periodicity", "period_from", "payments", "decided_on", "notified_on",
                                  "inspection_outcome", "refusal_reasons")} == {
        "amount": "5000.00", "periodicity": "monthly", "period_from": "2027-01", "payments": 6,
        "decided_on": "2026-11-10", "notified_on": "2026-11-11", "inspection_outcome": "carried_out",
        "refusal_reasons": []}
    assert "household" not in facts


# --- issued files are fixed at issue


def test_every_file_is_made_at_issue_and_served_as_made(app, api, tmp_path_factory):
    case = register(api)
    step(api, case, "p16", "2026-11-03")
    act = issue(api, case, "inspection_act", "district_commission", date="2026-11-04")
    with app.app_context():
        s = app.extensions["sqlalchemy"].session
        stored = {(f.lang, f.format): f.sha256 for f in s.scalars(
            select(DocumentFile).where(DocumentFile.document_id == act["id"]))}
        assert set(stored) == {("kk", "docx"), ("kk", "pdf"), ("ru", "docx"), ("ru", "pdf")}
        record = s.get(DocumentRecord, act["id"])
        assert record.state == "issued"
    for (lang, fmt), digest in stored.items():
        served = api("GET", f"/cases/{case['id']}/documents/{act['id']}.{fmt}", lang=lang).data
        assert hashlib.sha256(served).hexdigest() == digest


def test_a_later_template_changes_no_issued_document(tmp_path_factory):
    templates = tmp_path_factory.mktemp("templates")
    shutil.copytree(config.TEMPLATES_DIR, templates, dirs_exist_ok=True)
    app = _app(tmp_path_factory, "fixed", TEMPLATES_DIR=str(templates), CASE_FORMATS=["docx"])
    api = caller(app)
    case = register(api)
    step(api, case, "p16", "2026-11-03")
    act = issue(api, case, "inspection_act", "district_commission", date="2026-11-04")
    first = api("GET", f"/cases/{case['id']}/documents/{act['id']}.docx", lang="ru").data
    # the administrator replaces the Russian template: a word changes
    path = templates / "inspection_act.ru.docx"
    zin = zipfile.ZipFile(path)
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace("Иные наблюдения".encode(), "Прочие наблюдения".encode())
            zout.writestr(item, data)
    path.write_bytes(out.getvalue())
    again = api("GET", f"/cases/{case['id']}/documents/{act['id']}.docx", lang="ru").data
    assert again == first and "Иные наблюдения" in docx_text(again)
    corrected = issue(api, case, "inspection_act", "district_commission", date="2026-11-04")
    assert "Прочие наблюдения" in docx_text(
        api("GET", f"/cases/{case['id']}/documents/{corrected['id']}.docx", lang="ru").data)
    assert api("GET", f"/cases/{case['id']}/documents/{act['id']}.pdf", lang="ru").status_code == 404


# --- one act per step, under any load


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def busy_app(request, tmp_path_factory):
    url = None if request.param == "sqlite" else request.getfixturevalue("pg_database")
    app = _app(tmp_path_factory, "busy", CASE_FORMATS=["docx"], **({"DATABASE_URL": url} if url else {}))
    yield app
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()


def parallel(app, requests):
    """Send `requests` (method, path, role, body) at once from threads; their status codes."""
    barrier, codes = threading.Barrier(len(requests)), [None] * len(requests)

    def send(i, method, path, role, body):
        call = caller(app)
        barrier.wait()
        codes[i] = call(method, path, role=role, body=body).status_code
    threads = [threading.Thread(target=send, args=(i, *r)) for i, r in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return codes


def test_ten_parallel_acts_leave_one_in_force(busy_app):
    api = caller(busy_app)
    case = register(api)
    codes = parallel(busy_app, [("POST", f"/cases/{case['id']}/steps/p16", "clerk", {"date": "2026-11-03"})] * 10)
    assert sorted(codes) == [200] + [409] * 9
    body = fresh("inspection_act", date="2026-11-04")
    codes = parallel(busy_app, [("POST", f"/cases/{case['id']}/documents/inspection_act", "district_commission",
                                 body)] * 10)
    assert codes.count(201) == 1 and codes.count(409) == 9, codes
    with busy_app.app_context():
        s = busy_app.extensions["sqlalchemy"].session
        acts = s.scalars(select(DocumentRecord).where(DocumentRecord.case_id == case["id"],
                                                      DocumentRecord.doc_type == "inspection_act")).all()
        assert [a.state for a in acts] == ["issued"]


def test_the_database_itself_refuses_a_second_act_in_force(busy_app):
    api = caller(busy_app)
    case = register(api)
    step(api, case, "p16", "2026-11-03")
    act = issue(api, case, "inspection_act", "district_commission", date="2026-11-04")
    with busy_app.app_context():
        s = busy_app.extensions["sqlalchemy"].session
        twin = s.get(DocumentRecord, act["id"])
        s.expunge(twin)
        make_transient(twin)
        twin.id = "00000000-0000-4000-8000-000000000001"
        s.add(twin)
        with pytest.raises(IntegrityError):
            s.commit()
        s.rollback()


def test_a_refusal_posted_with_the_terms_the_form_offered_leaves_them_out(app, api):
    case = to_p20(api)
    issue(api, case, "special_commission_conclusion", "special_commission", date="2026-11-09")
    offered = {"amount": "43250.00", "periodicity": "one_time", "form": "cash"}   # as the form showed them
    refused = issued(api, case, "decision", "clerk", *TERMS, date="2026-11-10", outcome="refused",
                     refusal_reasons=["p25_1_unreliable_information"], **offered)
    with app.app_context():
        record = app.extensions["sqlalchemy"].session.get(DocumentRecord, refused["id"])
        assert record.input.get("amount") is None and record.input["refusal_reasons"] == ["p25_1_unreliable_information"]
    # a figure of one's own on a refusal is still refused
    other = to_p20(api)
    issue(api, other, "special_commission_conclusion", "special_commission", date="2026-11-09")
    resp = post(api, other, "decision", "clerk", *TERMS, date="2026-11-10", outcome="refused",
                refusal_reasons=["p25_1_unreliable_information"], amount="100")
    assert ("amount", "not_applicable") in errors(resp)


def test_a_refused_inspection_posted_with_what_the_form_offered_records_no_findings(app, api):
    case = register(api)
    step(api, case, "p16", "2026-11-03")
    offered = {"situation": application()["ground_details"],   # as the form showed them, rows included
               "incomes": [{"member_name": "Сериков Ержан", "kind": "pension", "amount_quarter": "180000.00",
                            "household_plot": None}]}
    act = issued(api, case, "inspection_act", "district_commission", *FINDINGS, date="2026-11-04",
                 inspection_refused=True, refusal_recorded_on="2026-11-04", **offered)
    with app.app_context():
        record = app.extensions["sqlalchemy"].session.get(DocumentRecord, act["id"])
        assert record.input.get("situation") is None and not record.input.get("incomes")
        assert app.extensions["sqlalchemy"].session.get(Case, case["id"]).inspection_outcome == "refused"
