"""The clerk pages as a clerk would expect them: error pages in the person's language, a confirmation
after every action, step errors beside the step, a complete case, a correction with its reason,
local time, names in lists and search by name / part of the number / a family member's IIN,
the history in words, downloads named by number, type and language."""
import json
import re
import uuid
from urllib.parse import unquote

import pytest
from sqlalchemy import text

from formsvc.auth import users
from formsvc.cases.models import Case, CaseEvent, CaseSearchTerm, CaseStep
from tests.conftest import PASSWORD, PEOPLE, example, make_app, make_clerk_app, signed_in
from formsvc.definitions.loading import FieldSpec
from formsvc.web.forms import formdata_from_payload
from tests.test_cases import KNOWN, fresh
from tests.test_clerk import new_case

FAMILY_IIN = "760212350620"     # the spouse in the example application


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_clerk_app(tmp_path_factory.mktemp("clerk-pages"))


@pytest.fixture(scope="module")
def pdf_app(tmp_path_factory):
    """Case documents made as in production, DOCX and PDF/A at issue (the bundle binds the PDFs)."""
    app = make_clerk_app(tmp_path_factory.mktemp("clerk-pages-pdf"), CASE_FORMATS=["docx", "pdf"])
    yield app
    app.extensions["formsvc.documents"].pdf.stop()


def api(app, method, path, role="clerk", body=None, lang="ru"):
    token = app.config["TEST_TOKENS"][role]
    return app.test_client().open(f"/api/v1{path}?lang={lang}", method=method,
                                  headers={"Authorization": f"Bearer {token}"},
                                  data=None if body is None else json.dumps(body, ensure_ascii=False),
                                  content_type="application/json")


def issue(app, case_id, doc_type, role, **changes):
    resp = api(app, "POST", f"/cases/{case_id}/documents/{doc_type}", role, fresh(doc_type, **changes))
    assert resp.status_code == 201, resp.get_data(as_text=True)[:600]
    return resp.get_json()


def step(app, case_id, name, day):
    assert api(app, "POST", f"/cases/{case_id}/steps/{name}", body={"date": day}).status_code == 200


def through_notice(app, case_id):
    step(app, case_id, "p16", "2026-11-03")
    issue(app, case_id, "inspection_act", "district_commission", date="2026-11-04", number="А-1")
    issue(app, case_id, "district_commission_conclusion", "district_commission", date="2026-11-05",
          received_on="2026-11-05")
    step(app, case_id, "p20", "2026-11-06")
    issue(app, case_id, "special_commission_conclusion", "special_commission", date="2026-11-09", amount="43250")
    issue(app, case_id, "decision", "clerk", date="2026-11-10")
    issue(app, case_id, "grant_notice", "clerk", date="2026-11-11")


def act_form(app, **changes):
    """The inspection act's form data as the case page's form posts it (without what the case knows)."""
    doc = app.extensions["formsvc.documents"].registry.types["inspection_act"]
    fields = {k: v for k, v in doc.root.fields.items() if k not in KNOWN["inspection_act"]}
    data = formdata_from_payload(FieldSpec(name="", type="object", fields=fields), fresh("inspection_act", **changes))
    data.add("_action", "submit")
    return data


def with_reason(data, reason):
    posted = data.copy()
    posted.add("correction_reason", reason)
    return posted


def db_session(app):
    return app.extensions["sqlalchemy"].session


# 1. 403 and 404 in the person's language, with the site around them

@pytest.mark.parametrize("lang, forbidden, missing", [("kk", "Қол жеткізу мүмкін емес", "Бет табылмады"),
                                                      ("ru", "Доступ запрещён", "Страница не найдена")])
def test_403_and_404_pages_speak_the_persons_language_and_keep_the_navigation(app, lang, forbidden, missing):
    district = signed_in(app, "district")
    resp = district.get(f"/clerk/admin/users?lang={lang}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 403 and resp.mimetype == "text/html"
    assert forbidden in html and 'class="clerk-nav"' in html and 'hreflang="' in html and "Тест district" in html
    resp = district.get(f"/clerk/cases/{uuid.uuid4()}?lang={lang}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 404 and missing in html and 'class="clerk-nav"' in html
    assert 'href="/clerk/?lang=' in html                                    # a way on, never a dead end
    public = app.test_client().get(f"/forms/nope?lang={lang}")
    html = public.get_data(as_text=True)
    assert public.status_code == 404 and missing in html and 'class="langs"' in html and "clerk-nav" not in html


def test_the_api_still_answers_errors_as_problem_json(app):
    resp = app.test_client().get("/api/v1/nope")
    assert resp.status_code == 404 and resp.mimetype == "application/problem+json"


# 2. a confirmation after every action

def test_every_action_is_confirmed_on_the_page_it_leads_to(app):
    clerk, district = signed_in(app, "clerk"), signed_in(app, "district")
    case_path = new_case(clerk)
    case_id = case_path.rsplit("/", 1)[1]
    page = clerk.get(case_path + "?lang=ru").get_data(as_text=True)
    assert re.search(r'role="status"><p>Заявление зарегистрировано: дело № \d{4}-\d{6}\.', page)
    assert 'role="status"><p>' not in clerk.get(case_path + "?lang=ru").get_data(as_text=True)   # shown once
    resp = clerk.post(f"/clerk/cases/{case_id}/steps/p16?lang=kk", data={"date": "2026-11-03"},
                      follow_redirects=True)
    assert 'role="status"' in resp.get_data(as_text=True) and "Белгіленді: 16-т." in resp.get_data(as_text=True)
    data = act_form(app, date="2026-11-04")
    resp = district.post(f"/clerk/cases/{case_id}/issue/inspection_act?lang=ru", data=data, follow_redirects=True)
    assert 'role="status"><p>Документ выдан: Акт обследования' in resp.get_data(as_text=True)
    admin = signed_in(app, "admin")
    resp = admin.post("/clerk/admin/users?lang=ru", data={"new-username": "temp.clerk", "new-role": "clerk",
                                                          "new-password": PASSWORD}, follow_redirects=True)
    assert 'role="status"><p>Пользователь «temp.clerk» создан.' in resp.get_data(as_text=True)
    resp = admin.post("/clerk/admin/users?lang=kk", data={"act-username": "temp.clerk", "act-action": "disable"},
                      follow_redirects=True)
    assert "«temp.clerk» пайдаланушысы бұғатталды." in resp.get_data(as_text=True)


# 3. a step's date refused beside the step, nothing written; no way out to the public forms

@pytest.mark.parametrize("day, status, shown", [
    ("2099-01-01", 422, "будущ"),                    # in the future
    ("2026-10-01", 422, "2026-11-02"),               # before the registration
    ("not a date", 422, "Неверное значение"),
])
def test_a_refused_step_date_shows_on_the_case_page_beside_the_step(app, day, status, shown):
    clerk = signed_in(app, "clerk")
    case_path = new_case(clerk)
    case_id = case_path.rsplit("/", 1)[1]
    resp = clerk.post(f"/clerk/cases/{case_id}/steps/p16?lang=ru", data={"date": day})
    html = resp.get_data(as_text=True)
    assert resp.status_code == status, html[:500]
    assert "Дело №" in html and 'id="step-p16-error"' in html
    error = html.split('id="step-p16-error"')[1].split("</p>")[0]
    assert shown.lower() in error.lower()
    assert 'aria-describedby="step-p16-error"' in html
    with app.app_context():
        assert db_session(app).query(CaseStep).filter_by(case_id=case_id, step="p16").count() == 0


def test_a_step_out_of_order_is_409_on_the_case_page(app):
    clerk = signed_in(app, "clerk")
    case_id = new_case(clerk).rsplit("/", 1)[1]
    resp = clerk.post(f"/clerk/cases/{case_id}/steps/p20?lang=ru", data={"date": "2026-11-03"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "Дело №" in html
    assert "«p20» сейчас невозможно" in html.split('id="step-p20-error"')[1].split("</p>")[0]   # not a dead end
    with app.app_context():
        assert db_session(app).query(CaseStep).filter_by(case_id=case_id, step="p20").count() == 0


def test_no_clerk_page_links_to_the_public_forms(app):
    clerk = signed_in(app, "clerk")
    case_path = new_case(clerk)
    for path in ("/clerk/", "/clerk/cases", case_path, "/clerk/cases/new"):
        html = clerk.get(path + "?lang=ru").get_data(as_text=True)
        assert 'href="/forms/' not in html and 'href="/?' not in html, path


# 4. complete after the notice; termination a secondary action

def test_after_the_notice_the_case_reads_complete_and_termination_is_secondary(app):
    clerk = signed_in(app, "clerk")
    case_path = new_case(clerk)
    case_id = case_path.rsplit("/", 1)[1]
    through_notice(app, case_id)
    for lang, complete in (("ru", "Дело завершено"), ("kk", "Іс аяқталды")):
        html = clerk.get(f"{case_path}?lang={lang}").get_data(as_text=True)
        assert f'<p class="lead">{complete}' in html
        termination = re.search(r'<a class="([^"]*)" href="[^"]*/issue/termination_notice', html)
        assert termination and "button-secondary" in termination.group(1)
        assert html.index("later-actions") > html.index(complete)
        listed = clerk.post(f"/clerk/cases?lang={lang}", data={"q": FAMILY_IIN}).get_data(as_text=True)
        row = listed.split(case_path)[1].split("</tr>")[0]
        assert complete in row


# 5. a correction asks a reason and works at the first submit (CSRF on)

def test_a_correction_asks_a_reason_and_works_at_the_first_submit(tmp_path):
    app = make_app(tmp_path, LOGIN_RATE_LIMIT="1000 per minute")
    with app.app_context():
        for name, role in PEOPLE.items():
            users.create(db_session(app), name, role, PASSWORD, full_name=f"Тест {name}")
        db_session(app).commit()
    case = api(app, "POST", "/cases", body={**example("application"), "date": "2026-11-02",
                                            "registered_on": "2026-11-02"}).get_json()
    step(app, case["id"], "p16", "2026-11-03")
    issue(app, case["id"], "inspection_act", "district_commission", date="2026-11-04", number="А-1")
    client = app.test_client()
    login = client.get("/clerk/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
    assert client.post("/clerk/login", data={"username": "district", "password": PASSWORD,
                                             "csrf_token": token}).status_code == 302
    path = f"/clerk/cases/{case['id']}/issue/inspection_act?lang=ru"
    form = client.get(path).get_data(as_text=True)
    assert 'name="csrf_token"' in form and "Причина исправления" in form and 'name="correction_reason"' in form
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    assert "Сериков" in form or "А-1" in form             # it starts from the act it corrects
    data = act_form(app, date="2026-11-04", number="А-2")
    data.add("csrf_token", token)
    missing = client.post(path, data=data)
    html = missing.get_data(as_text=True)
    assert missing.status_code == 422 and 'id="correction_reason-error"' in html
    assert "Сессия истекла" not in html and "csrf" not in html.lower().split("csrf_token")[0][-200:]
    too_long = client.post(path, data=with_reason(data, "x" * 501))
    assert too_long.status_code == 422 and "не более 500" in too_long.get_data(as_text=True)
    reason = "Опечатка в номере акта, Серікова"
    done = client.post(path, data=with_reason(data, reason))
    assert done.status_code == 302, re.findall(r'data-code="([^"]*)"', done.get_data(as_text=True))
    with app.app_context():
        session = db_session(app)
        event = session.query(CaseEvent).filter_by(case_id=case["id"], action="document_replaced").one()
        assert event.note == reason and reason not in json.dumps(event.detail, ensure_ascii=False)
        raw = session.execute(text("SELECT note FROM case_events WHERE id = :i"), {"i": event.id}).scalar_one()
        assert reason not in raw and "Опечатка" not in raw
    page = client.get(f"/clerk/cases/{case['id']}?lang=ru").get_data(as_text=True)
    assert "Документ исправлен: Акт обследования" in page and "Документ исправлен, прежний заменён" in page
    assert f"Причина: {reason}" in page


def test_a_correction_through_the_api_keeps_working_without_a_reason(app):
    case = api(app, "POST", "/cases", body={**example("application"), "date": "2026-11-02",
                                            "registered_on": "2026-11-02"}).get_json()
    step(app, case["id"], "p16", "2026-11-03")
    issue(app, case["id"], "inspection_act", "district_commission", date="2026-11-04")
    issue(app, case["id"], "inspection_act", "district_commission", date="2026-11-04")
    with app.app_context():
        event = db_session(app).query(CaseEvent).filter_by(case_id=case["id"], action="document_replaced").one()
        assert event.note is None


# 6. local time, the zone named

def test_times_are_local_with_the_zone_named_on_the_page_and_in_the_audit(app):
    clerk, admin = signed_in(app, "clerk"), signed_in(app, "admin")
    case_path = new_case(clerk)
    html = clerk.get(case_path + "?lang=ru").get_data(as_text=True)
    history = html.split('id="history-title"')[1]
    assert "(UTC+5, Asia/Almaty)" in history
    with app.app_context():
        event = db_session(app).query(CaseEvent).filter_by(case_id=case_path.rsplit("/", 1)[1],
                                                           action="registered").one()
        local = event.at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Almaty"))
    assert f"{local:%d.%m.%Y %H:%M} (UTC+5, Asia/Almaty)" in history
    csv = admin.get("/clerk/admin/audit.csv?from=2000-01-01&to=2100-01-01").get_data(as_text=True)
    lines = csv.splitlines()
    assert lines[0].lstrip("\ufeff").startswith("time_local,time_zone,time_utc,")
    assert any(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:00,\"UTC\+5, Asia/Almaty\",", line) for line in lines)
    assert "(UTC+5, Asia/Almaty)" in admin.get("/clerk/admin/users?lang=ru").get_data(as_text=True)


# 7. names in lists, search by name, part of the number, a family member's IIN

def test_names_in_lists_and_search_by_name_number_part_and_family_iin(app):
    clerk = signed_in(app, "clerk")
    case_path = new_case(clerk)
    case_id = case_path.rsplit("/", 1)[1]
    page = clerk.get(case_path + "?lang=ru").get_data(as_text=True)
    number = re.search(r"Дело № (\d{4}-\d{6})", page).group(1)
    for query in ("Серікова", "серікова", "  СЕРІКОВА гүлнар ", number, number[-3:], number[:7], FAMILY_IIN,
                  "871008401427"):
        resp = clerk.post("/clerk/cases?lang=ru", data={"q": query})
        listed = resp.get_data(as_text=True)
        assert resp.status_code == 200 and case_path in listed, query
        assert "Серікова Гүлнар Ержанқызы" in listed.split(case_path)[1].split("</tr>")[0]
        assert query.strip() not in resp.request.url
    for query in ("Петрова", "Серікова Петр", "760212350621", "2099-"):
        assert case_path not in clerk.post("/clerk/cases?lang=ru", data={"q": query}).get_data(as_text=True), query
    assert "Серікова Гүлнар" in clerk.get("/clerk/?lang=ru").get_data(as_text=True)     # the dashboard too
    with app.app_context():
        session = db_session(app)
        raw = session.execute(text("SELECT applicant_name FROM cases WHERE id = :i"), {"i": case_id}).scalar_one()
        assert "Серікова" not in raw
        terms = [t.digest for t in session.query(CaseSearchTerm).filter_by(case_id=case_id)]
        assert len(terms) == 4 and not any(FAMILY_IIN in t or "871008401427" in t for t in terms)
        assert session.get(Case, case_id).applicant_name == "Серікова Гүлнар Ержанқызы"


def test_a_name_with_yo_is_found_written_with_e(app):
    body = {**example("application"), "date": "2026-11-02", "registered_on": "2026-11-02"}
    body["applicant"] = {**body["applicant"], "last_name": "Фёдорова"}
    case = api(app, "POST", "/cases", body=body)
    assert case.status_code == 201, case.get_data(as_text=True)[:500]
    listed = signed_in(app, "clerk").post("/clerk/cases?lang=ru", data={"q": "федорова"}).get_data(as_text=True)
    assert case.get_json()["id"] in listed


def test_reindex_rebuilds_names_and_terms_of_existing_cases(app):
    clerk = signed_in(app, "clerk")
    case_id = new_case(clerk).rsplit("/", 1)[1]
    with app.app_context():
        session = db_session(app)
        session.query(CaseSearchTerm).delete()
        session.execute(text("UPDATE cases SET applicant_name = NULL"))
        session.commit()
    assert case_id not in clerk.post("/clerk/cases", data={"q": FAMILY_IIN}).get_data(as_text=True)
    result = app.test_cli_runner().invoke(args=["cases", "reindex"])
    assert result.exit_code == 0 and "reindexed" in result.output
    assert case_id in clerk.post("/clerk/cases", data={"q": FAMILY_IIN}).get_data(as_text=True)
    assert case_id in clerk.post("/clerk/cases", data={"q": "Гүлнар"}).get_data(as_text=True)


# 8. the history in words, without the views

def test_the_history_shows_what_happened_in_words_without_the_views(app):
    clerk = signed_in(app, "clerk")
    case_path = new_case(clerk)
    case_id = case_path.rsplit("/", 1)[1]
    clerk.post(f"/clerk/cases/{case_id}/steps/p16", data={"date": "2026-11-03"})
    issue(app, case_id, "inspection_act", "district_commission", date="2026-11-04")
    clerk.get(case_path)
    for lang, texts in (("ru", ("Заявление зарегистрировано, №", "Шаг п. 16 отмечен: Документы направлены",
                                "03.11.2026", "Выдан документ: Акт обследования", "Тест clerk")),
                        ("kk", ("Өтініш тіркелді, №", "16-т. қадамы белгіленді", "Құжат берілді: Адамның"))):
        history = clerk.get(f"{case_path}?lang={lang}").get_data(as_text=True).split('id="history-title"')[1]
        for words in texts:
            assert words in history, words
        assert "case_viewed" not in history and "просмотрено" not in history and "қаралды" not in history
    with app.app_context():        # the views stay in the log
        assert db_session(app).query(CaseEvent).filter_by(case_id=case_id, action="case_viewed").count() >= 2


# 9. downloads named by number, type and language

def test_downloads_are_named_by_number_type_and_language(app):
    clerk = signed_in(app, "clerk")
    case_path = new_case(clerk)
    case_id = case_path.rsplit("/", 1)[1]
    page = clerk.get(case_path + "?lang=kk").get_data(as_text=True)
    number = re.search(r"(\d{4}-\d{6})", page).group(1)
    link = re.search(rf'href="(/clerk/cases/{case_id}/documents/[0-9a-f-]+)\.docx', page).group(1)
    for lang, title in (("kk", "Өтініш"), ("ru", "Заявление")):
        for resp in (clerk.get(f"{link}.docx?lang={lang}"),
                     api(app, "GET", link.replace("/clerk", "") + ".docx", lang=lang)):
            disposition = resp.headers["Content-Disposition"]
            assert f'filename="{number}_application_{lang}.docx"' in disposition
            assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"{number}_{title}_{lang}.docx"


@pytest.mark.libreoffice
def test_the_bundle_is_named_by_number_and_language(pdf_app):
    app = pdf_app
    clerk = signed_in(app, "clerk")
    case_path = new_case(clerk)
    number = re.search(r"(\d{4}-\d{6})", clerk.get(case_path).get_data(as_text=True)).group(1)
    disposition = clerk.get(f"{case_path}/bundle.pdf?lang=kk").headers["Content-Disposition"]
    assert f'filename="{number}_bundle_kk.pdf"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"{number}_Іс_kk.pdf"
    resp = api(app, "GET", f"/cases/{case_path.rsplit('/', 1)[1]}/bundle.pdf", lang="ru")
    assert f'filename="{number}_bundle_ru.pdf"' in resp.headers["Content-Disposition"]


# 10. reading a case through the API is audited

def test_reading_a_case_through_the_api_is_audited(app):
    case = api(app, "POST", "/cases", body={**example("application"), "date": "2026-11-02",
                                            "registered_on": "2026-11-02"}).get_json()
    assert api(app, "GET", f"/cases/{case['id']}").status_code == 200
    with app.app_context():
        viewed = db_session(app).query(CaseEvent).filter_by(case_id=case["id"], action="case_viewed").one()
        assert viewed.actor.startswith("token:")
