"""The clerks' workspace over HTTP: sign-in, who may open what, the dashboard, the case list and
page, the next step prefilled from the case, a paper application, users, the audit log."""
import re
from io import BytesIO

import pytest

from formsvc.auth import users
from formsvc.cases.models import CaseEvent
from tests.conftest import PASSWORD, example, make_app, make_clerk_app, signed_in
from tests.test_cases import fresh



@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_clerk_app(tmp_path_factory.mktemp("clerk"))


def new_case(client, registered_on="2026-11-02"):
    """Register a paper application through the form; the case page's path."""
    from werkzeug.datastructures import MultiDict

    from formsvc.web.forms import formdata_from_payload
    body = example("application")
    body["date"] = registered_on
    data = formdata_from_payload(client.application.extensions["formsvc.documents"].registry.types["application"].root,
                                 body)
    data = MultiDict(list(data.items(multi=True)) + [("registered_on", registered_on), ("_action", "submit")])
    resp = client.post("/clerk/cases/new", data=data)
    assert resp.status_code == 302, re.findall(r'data-code="([^"]*)"', resp.get_data(as_text=True))
    return resp.headers["Location"].split("?")[0]


def test_pages_need_a_sign_in(app):
    client = app.test_client()
    for path in ("/clerk/", "/clerk/cases", "/clerk/cases/new", "/clerk/admin/users"):
        resp = client.get(path)
        assert resp.status_code == 302 and "/clerk/login" in resp.headers["Location"]


def test_a_wrong_password_or_a_disabled_account_cannot_sign_in(app):
    client = app.test_client()
    resp = client.post("/clerk/login", data={"username": "clerk", "password": "wrong password!"})
    assert resp.status_code == 401 and "Пайдаланушы аты немесе құпиясөз қате" in resp.get_data(as_text=True)
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        users.create(session, "leaver", "clerk", PASSWORD)
        session.commit()
    active = signed_in(app, "leaver")
    assert active.get("/clerk/cases").status_code == 200
    assert app.test_cli_runner().invoke(args=["user", "disable", "leaver"]).exit_code == 0
    assert active.get("/clerk/cases").status_code == 302          # the open session ends too
    assert client.post("/clerk/login", data={"username": "leaver", "password": PASSWORD}).status_code == 401


def test_login_never_redirects_to_another_site(app):
    client = app.test_client()
    resp = client.post("/clerk/login?next=https://evil.example/x", data={"username": "clerk", "password": PASSWORD})
    assert resp.headers["Location"] == "/clerk/?lang=kk"


def test_sign_out_ends_the_session(app):
    client = signed_in(app, "clerk")
    assert client.post("/clerk/logout").status_code == 302
    assert client.get("/clerk/cases").status_code == 302


def test_roles_see_only_their_pages(app):
    admin, district = signed_in(app, "admin"), signed_in(app, "district")
    assert admin.get("/clerk/cases").status_code == 403          # an administrator manages accounts, not cases
    assert admin.get("/clerk/admin/users").status_code == 200
    assert district.get("/clerk/admin/users").status_code == 403
    assert district.get("/clerk/cases/new").status_code == 403   # only the authority registers


def test_a_case_through_the_pages(app):
    clerk, district, special = signed_in(app, "clerk"), signed_in(app, "district"), signed_in(app, "special")
    case_path = new_case(clerk)
    page = clerk.get(case_path + "?lang=ru").get_data(as_text=True)
    number = re.search(r"Дело № (\d{4}-\d{6})", page).group(1)
    assert "871008401427" in page and "Сериков Ержан" in page
    assert "Документы направлены в участковую комиссию" in page
    # the district commission cannot act before p16; the clerk records it
    case_id = case_path.rsplit("/", 1)[1]
    assert clerk.post(f"/clerk/cases/{case_id}/steps/p16", data={"date": "2026-11-03"}).status_code == 302
    form = district.get(f"/clerk/cases/{case_id}/issue/inspection_act?lang=ru").get_data(as_text=True)
    assert 'name="situation"' in form and 'name="applicant-iin"' not in form      # known fields are not asked
    assert "Что берётся из дела" in form
    from formsvc.web.forms import formdata_from_payload
    doc = app.extensions["formsvc.documents"].registry.types["inspection_act"]
    from tests.test_cases import KNOWN
    body = fresh("inspection_act", date="2026-11-04")
    spec_fields = {k: v for k, v in doc.root.fields.items() if k not in KNOWN["inspection_act"]}
    from formsvc.definitions.loading import FieldSpec
    data = formdata_from_payload(FieldSpec(name="", type="object", fields=spec_fields), body)
    data.add("_action", "submit")
    resp = district.post(f"/clerk/cases/{case_id}/issue/inspection_act?lang=ru", data=data)
    assert resp.status_code == 302, re.findall(r'data-code="([^"]*)"', resp.get_data(as_text=True))
    page = clerk.get(case_path + "?lang=ru").get_data(as_text=True)
    assert "Акт обследования материального положения" in page
    # until the next step is taken the commission may correct its act, starting from what it wrote
    district_page = district.get(case_path + "?lang=ru").get_data(as_text=True)
    assert f"/clerk/cases/{case_id}/issue/inspection_act" in district_page and "Исправить" in district_page
    correction = district.get(f"/clerk/cases/{case_id}/issue/inspection_act?lang=ru").get_data(as_text=True)
    assert body["situation"] in correction
    doc_link = re.search(rf'href="(/clerk/cases/{case_id}/documents/[0-9a-f-]+\.docx)\?lang=ru"', page).group(1)
    assert clerk.get(doc_link + "?lang=ru").status_code == 200
    # a contradiction shows on the form, beside the summary
    assert special.get(f"/clerk/cases/{case_id}/issue/decision").status_code == 403
    # the list finds the case by its number and by the applicant's IIN
    for q in (number, "871008401427"):     # posted: an IIN never stands in a URL or an access log
        listed = clerk.post("/clerk/cases?lang=ru", data={"q": q}).get_data(as_text=True)
        assert case_path in listed
    assert case_path not in clerk.post("/clerk/cases", data={"q": "2099-000001"}).get_data(as_text=True)
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        actions = [e.action for e in session.query(CaseEvent).filter_by(case_id=case_id)]
    assert actions.count("case_viewed") >= 2 and "document_viewed" in actions and "step_done" in actions


def test_the_dashboard_shows_what_is_due_for_the_role(app):
    clerk, district = signed_in(app, "clerk"), signed_in(app, "district")
    case_path = new_case(clerk, "2026-10-01")
    case_id = case_path.rsplit("/", 1)[1]
    page = clerk.get("/clerk/?lang=ru").get_data(as_text=True)
    overdue = page.split('id="group-overdue"')[1].split("</section>")[0]
    assert case_id in overdue and "п. 16 Документы направлены" in overdue
    assert case_id not in district.get("/clerk/?lang=ru").get_data(as_text=True)   # p16 is the clerk's
    clerk.post(f"/clerk/cases/{case_id}/steps/p16", data={"date": "2026-10-02"})
    assert case_id in district.get("/clerk/?lang=ru").get_data(as_text=True)


def test_a_paper_application_with_a_mistake_keeps_what_was_typed(app):
    clerk = signed_in(app, "clerk")
    from formsvc.web.forms import formdata_from_payload
    body = example("application")
    body["applicant"]["iin"] = "871008401428"
    data = formdata_from_payload(app.extensions["formsvc.documents"].registry.types["application"].root, body)
    data.add("_action", "submit")
    resp = clerk.post("/clerk/cases/new?lang=ru", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and 'data-code="iin_invalid"' in html and 'value="871008401428"' in html


def test_admin_manages_accounts_and_exports_the_log(app):
    admin = signed_in(app, "admin")
    resp = admin.post("/clerk/admin/users", data={"new-username": "new.clerk", "new-full_name": "Жаңа Қызметкер",
                                                  "new-role": "clerk", "new-password": PASSWORD})
    assert resp.status_code == 302
    assert signed_in(app, "new.clerk").get("/clerk/cases").status_code == 200
    short = admin.post("/clerk/admin/users", data={"new-username": "x.y", "new-role": "clerk", "new-password": "short"})
    assert short.status_code == 422
    admin.post("/clerk/admin/users", data={"act-username": "new.clerk", "act-action": "disable"})
    assert app.test_client().post("/clerk/login", data={"username": "new.clerk", "password": PASSWORD}).status_code == 401
    csv = admin.get("/clerk/admin/audit.csv?from=2000-01-01&to=2100-01-01")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0].endswith("time_utc,actor,action,case,detail") and any(",registered," in line for line in lines)
    assert "871008401427" not in csv.get_data(as_text=True)                    # no personal data in the log
    assert admin.get("/clerk/admin/audit.csv?from=x&to=y").status_code == 400


def test_login_attempts_are_rate_limited(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    codes = [client.post("/clerk/login", data={"username": "nobody", "password": "x" * 12}).status_code
             for _ in range(4)]
    assert codes == [401, 401, 401, 429]


def test_the_login_form_has_csrf(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        users.create(session, "clerk", "clerk", PASSWORD)
        session.commit()
    client = app.test_client()
    assert client.post("/clerk/login", data={"username": "clerk", "password": PASSWORD}).status_code == 401
    page = client.get("/clerk/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    ok = client.post("/clerk/login", data={"username": "clerk", "password": PASSWORD, "csrf_token": token})
    assert ok.status_code == 302
    cookie = ok.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_user_cli(app):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["user", "create", "--username", "cli.user", "--role", "special_commission",
                               "--password-stdin"], input=PASSWORD + "\n")
    assert made.exit_code == 0, made.output
    assert "cli.user\tspecial_commission\tactive" in runner.invoke(args=["user", "list"]).output
    assert runner.invoke(args=["user", "set-password", "cli.user", "--password-stdin"],
                         input="another long password\n").exit_code == 0
    assert runner.invoke(args=["user", "create", "--username", "bad", "--role", "clerk", "--password-stdin"],
                         input="short\n").exit_code == 1
    with app.app_context():
        stored = users.find(app.extensions["sqlalchemy"].session, "cli.user")
        assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash


def test_verify_tells_an_authoritys_decision_from_an_applicants_draft(app):
    client = app.test_client()
    token = app.config["TEST_TOKENS"]["clerk"]
    decision = client.post("/api/v1/documents/decision?lang=ru", json=example("decision"),
                           headers={"Authorization": f"Bearer {token}"})
    draft = client.post("/api/v1/documents/application?lang=ru", json=example("application"))
    official = client.get(f"/verify/{decision.headers['X-Document-Id']}?lang=ru").get_data(as_text=True)
    assert "Отдел занятости и социальных программ города Сарани (уполномоченный орган)" in official
    assert "Ш-118" in official and "12 ноября 2026" in official
    own = client.get(f"/verify/{draft.headers['X-Document-Id']}?lang=ru").get_data(as_text=True)
    assert "подготовил сам заявитель: это не акт уполномоченного органа" in own
    for html in (official, own):
        assert "Серікова" not in html and "871008401427" not in html
    upload = client.post("/verify/?lang=ru", data={"file": (BytesIO(decision.data), "d.docx")})
    assert "уполномоченный орган" in upload.get_data(as_text=True)
