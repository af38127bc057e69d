"""The JSON API: statuses, the error shape, every rule of the application broken on purpose."""

import jsonschema
import pytest
from openapi_spec_validator import validate as validate_openapi

from tests.conftest import DELETE, docx_text, errors_of, example, generate, make_iin, set_path

URL = "/api/v1/documents/application"


def test_document_types(client):
    resp = client.get("/api/v1/document-types")
    assert resp.status_code == 200
    app_type = next(t for t in resp.get_json() if t["type"] == "application")
    assert app_type["title"]["kk"].endswith("өтініш") and app_type["title"]["ru"].startswith("Заявление")
    assert app_type["formats"] == ["docx", "pdf"]
    assert client.get(app_type["schema_url"]).status_code == 200


def test_schema_accepts_the_example_and_rejects_unknown_fields(client, application):
    schema = client.get("/api/v1/document-types/application/schema").get_json()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(application, schema)
    application["applicant"]["nickname"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(application, schema)


def test_schema_titles_follow_the_language(client):
    kk = client.get("/api/v1/document-types/application/schema").get_json()
    ru = client.get("/api/v1/document-types/application/schema?lang=ru").get_json()
    assert kk["properties"]["applicant"]["properties"]["iin"]["title"] == "ЖСН"
    assert ru["properties"]["applicant"]["properties"]["iin"]["title"] == "ИИН"


def test_openapi_is_valid_and_covers_every_type(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    validate_openapi(spec)
    assert "/api/v1/documents/application" in spec["paths"]
    assert "application" in spec["components"]["schemas"]


def test_validate_ok(client, application):
    resp = generate(client, "application", application, validate=True)
    assert resp.status_code == 200
    assert resp.get_json() == {"valid": True, "warnings": []}


def test_ascii_file_name_transliterates(client):
    resp = generate(client, "special_commission_conclusion")
    assert 'filename="special_commission_conclusion_AK-19.docx"' in resp.headers["Content-Disposition"]


def test_generate_docx_headers(client, application):
    resp = generate(client, "application", application)
    assert resp.status_code == 200
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="application_2026-11-20.docx"' in disposition
    assert "filename*=UTF-8''" in disposition


# --- request-level errors: always problem+json, never HTML

def test_malformed_json_is_400(client):
    resp = client.post(URL, data='{"date": ', content_type="application/json")
    assert resp.status_code == 400
    assert resp.mimetype == "application/problem+json"
    assert resp.get_json()["status"] == 400


@pytest.mark.parametrize("raw", ['{"date": NaN}', '{"a": 1, "a": 2}', "[" * 100000, b"\xff\xfe"])
def test_other_unparseable_bodies_are_400(client, raw):
    resp = client.post(URL, data=raw, content_type="application/json")
    assert resp.status_code == 400
    assert resp.mimetype == "application/problem+json"


def test_unknown_type_is_404(client, application):
    resp = generate(client, "no_such_type", application)
    assert resp.status_code == 404
    assert resp.mimetype == "application/problem+json"
    assert client.get("/api/v1/document-types/nope/schema").status_code == 404


def test_unknown_api_route_and_method_are_json(client):
    resp = client.get("/api/v1/nothing-here")
    assert (resp.status_code, resp.mimetype) == (404, "application/problem+json")
    resp = client.get(URL)
    assert (resp.status_code, resp.mimetype) == (405, "application/problem+json")


def test_oversized_body_is_413(client, application):
    application["ground_details"] = "ә" * 400_000
    resp = generate(client, "application", application)
    assert resp.status_code == 413
    assert resp.mimetype == "application/problem+json"


def test_not_json_is_415(client):
    resp = client.post(URL, data="date=2026-11-20", content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 415
    assert resp.mimetype == "application/problem+json"


def test_bad_query_parameters_are_400(client, application):
    for query in ({"lang": "en"}, {"fmt": "odt"}):
        resp = generate(client, "application", application, **query)
        assert resp.status_code == 400
        assert resp.get_json()["errors"][0]["code"] == "invalid_choice"


def test_body_must_be_an_object(client):
    resp = generate(client, "application", [1, 2])
    assert resp.status_code == 422
    assert errors_of(resp) == {("", "invalid")}


# --- field and rule errors: 422 with the right field and code

CASES = [
    # (what is changed, value, expected field, expected code)
    ("applicant.iin", "871008401428", "applicant.iin", "iin_invalid"),
    ("applicant.last_name", DELETE, "applicant.last_name", "required"),
    ("applicant.last_name", None, "applicant.last_name", "required"),
    ("applicant.last_name", "   ", "applicant.last_name", "required"),
    ("applicant.last_name", "Ә" * 101, "applicant.last_name", "too_long"),
    ("applicant.last_name", "Bad\x00name", "applicant.last_name", "invalid_characters"),
    ("applicant.nickname", "x", "applicant.nickname", "unknown_field"),
    ("nickname", "x", "nickname", "unknown_field"),
    ("applicant.phone", "8 701 555 01 23", "applicant.phone", "phone_invalid"),
    ("applicant.email", "not-an-email", "applicant.email", "email_invalid"),
    ("applicant.identity_document.issued_on", "2099-01-01", "applicant.identity_document.issued_on", "date_in_future"),
    ("applicant.identity_document.kind", "driving_licence", "applicant.identity_document.kind", "invalid_choice"),
    ("applicant.address.settlement", "almaty", "applicant.address.settlement", "invalid_choice"),
    ("date", "2099-01-01", "date", "date_in_future"),
    ("date", "20.11.2026", "date", "invalid"),
    ("bank_account.iban", "KZ00125KZT5004100100", "bank_account.iban", "iban_invalid"),
    ("incomes.0.amount_quarter", "-5", "incomes.0.amount_quarter", "too_small"),
    ("incomes.0.amount_quarter", "1.005", "incomes.0.amount_quarter", "too_many_decimals"),
    ("incomes.0.iin", "871008401427", None, None),   # the applicant's own income is fine
    ("incomes.0.iin", make_iin("030303"), "incomes.0.iin", "income_person_unknown"),
    ("family_members.0.iin", "871008401427", "family_members.0.iin", "iin_duplicate"),
    ("family_members.0.birth_date", "1976-02-13", "family_members.0.birth_date", "birth_date_mismatch"),
    ("family_members.0.birth_date", "1976-02-12", None, None),
    ("family_members.0.relation", "cousin", "family_members.0.relation", "invalid_choice"),
    ("family_members", [{"last_name": "А", "first_name": "Б", "iin": "760212350620", "relation": "child"}] * 21,
     "family_members", "too_many_items"),
    ("attachments.identity_document", False, "attachments.identity_document", "p13_document_missing"),
    ("attachments.situation_proof", False, "attachments.situation_proof", "p13_document_missing"),
    ("attachments.income_information", False, "attachments.income_information", "p13_document_missing"),
    ("attachments.income_information", DELETE, "attachments.income_information", None),
    ("incomes", [], "incomes", "required"),
    ("no_income", True, "no_income", "no_income_conflict"),
    ("consent_personal_data", False, "consent_personal_data", "consent_required"),
    ("consent_personal_data", "yes", "consent_personal_data", "invalid"),
    ("ground", "unemployment", "ground", "invalid_choice"),
]


@pytest.mark.parametrize("path, value, field, code", CASES,
                         ids=[f"{c[0]}={str(c[1])[:20]}" for c in CASES])
def test_each_rule_broken_on_purpose(client, application, path, value, field, code):
    set_path(application, path, value)
    resp = generate(client, "application", application)
    if code is None and field is None:
        assert resp.status_code == 200, resp.get_json()
        return
    assert resp.status_code == 422, resp.data[:300]
    assert resp.mimetype == "application/problem+json"
    if code is None:
        # income_information absent: a missing optional attachment for this ground
        assert (field, "p13_document_missing") in errors_of(resp)
        return
    assert (field, code) in errors_of(resp)


def test_income_information_absent_is_missing_for_income_dependent_ground(client, application):
    del application["attachments"]["income_information"]
    resp = generate(client, "application", application)
    assert resp.status_code == 422


def test_incomes_empty_allowed_with_no_income(client, application):
    application["incomes"] = []
    application["no_income"] = True
    assert generate(client, "application", application).status_code == 200


INCOME_FREE = [("natural_disaster", "2026-10-01"), ("fire", "2026-09-15"), ("release_from_prison", "2026-08-20")]


@pytest.mark.parametrize("ground, event", INCOME_FREE)
def test_income_free_grounds_need_no_income_information(client, application, ground, event):
    application.update(ground=ground, event_date=event, incomes=[])
    application["attachments"]["income_information"] = False
    assert generate(client, "application", application).status_code == 200


@pytest.mark.parametrize("ground", [g for g, _ in INCOME_FREE])
def test_p10_event_date_required(client, application, ground):
    application["ground"] = ground
    resp = generate(client, "application", application)
    assert resp.status_code == 422
    assert ("event_date", "required") in errors_of(resp)


@pytest.mark.parametrize("event, ok", [("2026-08-20", True), ("2026-08-19", False), ("2026-05-01", False)])
def test_p10_three_calendar_months(client, application, event, ok):
    application.update(ground="fire", event_date=event)   # date is 2026-11-20
    resp = generate(client, "application", application)
    if ok:
        assert resp.status_code == 200
    else:
        assert resp.status_code == 422
        assert errors_of(resp) == {("event_date", "p10_window_expired")}


def test_p10_event_after_application(client, application):
    application.update(ground="fire", event_date="2026-11-21", date="2026-11-20")
    resp = generate(client, "application", application)
    assert ("event_date", "event_after_application") in errors_of(resp)


def test_all_problems_reported_at_once(client, application):
    application["applicant"]["iin"] = "1"
    application["consent_personal_data"] = False
    application["attachments"]["situation_proof"] = False
    resp = generate(client, "application", application)
    assert errors_of(resp) >= {("applicant.iin", "iin_invalid"), ("consent_personal_data", "consent_required"),
                               ("attachments.situation_proof", "p13_document_missing")}


def test_messages_in_kazakh_by_default_and_russian_on_request(client, application):
    application["applicant"]["iin"] = "871008401428"
    kk = generate(client, "application", application).get_json()["errors"][0]["message"]
    ru = generate(client, "application", application, lang="ru").get_json()["errors"][0]["message"]
    ru_header = generate(client, "application", application, headers={"Accept-Language": "ru-RU,ru;q=0.9"}).get_json()
    assert "ЖСН" in kk and "ИИН" in ru
    assert ru_header["errors"][0]["message"] == ru


def test_failed_request_changes_nothing(client, application):
    before = generate(client, "application", application).data
    bad = example("application")
    bad["applicant"]["iin"] = "0"
    generate(client, "application", bad)
    assert docx_text(generate(client, "application", application).data) == docx_text(before)
