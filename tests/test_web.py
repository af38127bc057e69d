"""The HTML forms: same rules and messages as the API, nothing typed is ever lost."""
import re
from html.parser import HTMLParser

import pytest

from formsvc.web.forms import formdata_from_payload
from tests.conftest import docx_text, errors_of, example, make_app, set_path
from tests.test_api import CASES

DOC_ID_LINES = re.compile(r".*(коды|Код документа|тексеру|Проверка подлинности|verify).*\n?")


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """An app without CSRF, to compare the form path with the JSON path field by field."""
    app = make_app(tmp_path_factory.mktemp("web"), WTF_CSRF_ENABLED=False)
    return app.test_client()


def form_errors(html: str) -> set[tuple[str, str]]:
    return set(re.findall(r'data-field="([^"]*)" data-code="([^"]*)"', html))


def form_messages(html: str) -> set[str]:
    return {m.strip() for m in re.findall(r'<li data-field="[^"]*" data-code="[^"]*">\s*(?:<a [^>]*>)?(.*?)(?:</a>)?\s*</li>',
                                           html, re.S)}


def post_form(client, doc_type, payload, lang="kk", action="submit", **extra):
    app_spec = client.application.extensions["formsvc.documents"].registry.types[doc_type].root
    data = formdata_from_payload(app_spec, payload)
    data.add("_action", action)
    for k, v in extra.items():
        data.add(k, v)
    return client.post(f"/forms/{doc_type}?lang={lang}", data=data)


# Cases a form cannot express are left out: unknown fields, and a non-boolean for a checkbox.
APPLICATION_CASES = [c for c in CASES if c[3] is not None and c[3] != "unknown_field"
                     and not (c[0] == "consent_personal_data" and c[1] == "yes")]


@pytest.mark.parametrize("path, value, field, code", APPLICATION_CASES,
                         ids=[f"{c[0]}={str(c[1])[:16]}" for c in APPLICATION_CASES])
def test_form_and_api_give_the_same_errors(plain, path, value, field, code):
    payload = example("application")
    set_path(payload, path, value)
    api = plain.post("/api/v1/documents/application/validate?lang=ru", json=payload)
    page = post_form(plain, "application", payload, "ru").get_data(as_text=True)
    assert api.status_code == 422
    assert form_errors(page) == errors_of(api)
    api_messages = {e["message"] for e in api.get_json()["errors"]}
    assert all(any(m in shown for shown in form_messages(page)) for m in api_messages)


@pytest.mark.parametrize("doc_type", ["application", "legal_aid_request"])
def test_every_public_type_has_a_working_form(plain, doc_type):
    assert plain.get(f"/forms/{doc_type}").status_code == 200
    page = post_form(plain, doc_type, example(doc_type)).get_data(as_text=True)
    assert "Құжат дайын" in page, form_errors(page)


@pytest.mark.parametrize("doc_type", ["inspection_act", "district_commission_conclusion",
                                      "special_commission_conclusion", "decision", "refusal_notice",
                                      "grant_notice", "termination_notice"])
def test_the_authoritys_documents_are_not_open_to_anyone(plain, doc_type):
    """Issued inside a case by a signed-in clerk or commission: anonymous people get the sign-in page."""
    for resp in (plain.get(f"/forms/{doc_type}"), post_form(plain, doc_type, example(doc_type)),
                 plain.post(f"/forms/{doc_type}/download", data={"_payload": "{}", "format": "docx"})):
        assert resp.status_code == 302 and "/clerk/login" in resp.headers["Location"]


def test_every_input_has_a_label(plain):
    html = plain.get("/forms/application?lang=ru").get_data(as_text=True)

    class Inputs(HTMLParser):
        ids, labels = set(), set()

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
                self.ids.add(a["id"])
            if tag == "label":
                self.labels.add(a.get("for"))

    parser = Inputs()
    parser.feed(html)
    assert parser.ids and parser.ids <= parser.labels


def test_errors_are_announced_and_typed_values_kept(plain):
    payload = example("application")
    payload["applicant"]["iin"] = "871008401428"
    payload["ground_details"] = "Мәтін & <b>белгі</b> {{ x }}"
    html = post_form(plain, "application", payload).get_data(as_text=True)
    assert 'role="alert"' in html and 'href="#applicant-iin"' in html
    assert re.search(r'id="applicant-iin"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="applicant-iin"', html)
    assert 'aria-describedby="applicant-iin-hint applicant-iin-error"' in html
    assert 'value="871008401428"' in html and 'value="Серікова"' in html
    assert "Мәтін &amp; &lt;b&gt;белгі&lt;/b&gt; {{ x }}" in html


def test_language_switch_keeps_what_was_typed(plain):
    payload = {"applicant": {"last_name": "Серікова", "iin": "8710"}, "ground_details": "жол"}
    html = post_form(plain, "application", payload, "kk", action="lang:ru").get_data(as_text=True)
    assert '<html lang="ru">' in html and "Фамилия" in html
    assert 'value="Серікова"' in html and 'value="8710"' in html and re.search(r"<textarea[^>]*>\s*жол</textarea>", html)
    assert "error-summary" not in html


def test_rows_are_added_and_removed_without_javascript(plain):
    payload = example("application")
    html = post_form(plain, "application", payload, action="add:family_members").get_data(as_text=True)
    assert 'name="family_members-1-last_name"' in html and 'value="Сериков"' in html
    payload["family_members"].append({"last_name": "Екінші", "first_name": "Бала", "iin": "1", "relation": "child"})
    html = post_form(plain, "application", payload, action="remove:family_members-0").get_data(as_text=True)
    assert 'value="Екінші"' in html and 'value="Сериков"' not in html
    assert 'name="family_members-0-last_name"' in html and 'family_members-1-last_name' not in html


def test_blank_rows_are_ignored(plain):
    payload = example("application")
    page = post_form(plain, "application", payload, **{"family_members-1-last_name": ""}).get_data(as_text=True)
    assert "Құжат дайын" in page


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_with_csrf_the_download_gives_the_same_document_as_the_api(client):
    token = csrf_token(client.get("/forms/application?lang=ru").get_data(as_text=True))
    payload = example("application")
    ready = post_form(client, "application", payload, "ru", csrf_token=token).get_data(as_text=True)
    assert "Документ готов" in ready
    hidden = re.search(r'name="_payload" value="([^"]+)"', ready).group(1)
    import html as htmllib
    download = client.post("/forms/application/download?lang=ru",
                           data={"_payload": htmllib.unescape(hidden), "format": "docx",
                                 "csrf_token": csrf_token(ready)})
    assert download.status_code == 200 and download.headers["X-Document-Id"]
    api = client.post("/api/v1/documents/application?lang=ru", json=payload)
    assert DOC_ID_LINES.sub("", docx_text(download.data)) == DOC_ID_LINES.sub("", docx_text(api.data))


def test_expired_csrf_keeps_the_data(client):
    payload = example("application")
    html = post_form(client, "application", payload, "kk", csrf_token="stale").get_data(as_text=True)
    assert "Беттің мерзімі өтіп кетті" in html and 'value="Серікова"' in html


def test_download_without_csrf_is_refused(client):
    resp = client.post("/forms/application/download", data={"_payload": "{}", "format": "docx"})
    assert resp.status_code == 400


def test_index_lists_the_public_forms_and_the_staff_sign_in(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="kk">' in html
    assert "/forms/application" in html and "/forms/legal_aid_request" in html and "/forms/decision" not in html
    assert "/clerk/login" in html
    assert "Заявления и документы" in client.get("/?lang=ru").get_data(as_text=True)


def test_today_is_prefilled(client, app):
    today = app.extensions["formsvc.documents"].registry.today().isoformat()
    assert f'value="{today}"' in client.get("/forms/application").get_data(as_text=True)


def test_unknown_form_is_404_html(client):
    resp = client.get("/forms/nope")
    assert resp.status_code == 404 and resp.mimetype == "text/html"


@pytest.mark.parametrize("path", ["/forms/application", "/forms/application/download"])
def test_payload_that_is_not_json_is_a_bad_request(plain, path):
    resp = plain.post(path, data={"_payload": "{not json", "format": "docx", "_action": "ready"})
    assert resp.status_code == 400 and resp.mimetype == "text/html"
