"""Property-based tests (hypothesis): whatever arrives, the answer is a clear 4xx or a document,
never a 500, and the validators agree with what they publish."""
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formsvc.definitions import validators as v
from formsvc.http import strict_json
from tests.conftest import example, make_app

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=30)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("properties"), PDF_WORKERS=0).test_client()


@SETTINGS
@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_an_iin_is_valid_exactly_when_its_check_digit_and_birth_date_are(first11):
    digit = v.iin_check_digit(first11)
    for last in "0123456789":
        iin = first11 + last
        try:
            v.check_iin(iin, date(2026, 11, 23))
            valid = True
        except v.Invalid:
            valid = False
        try:
            born = v.iin_birth_date(iin) <= date(2026, 11, 23)
        except v.Invalid:
            born = False
        assert valid == (digit is not None and int(last) == digit and born)


@SETTINGS
@given(st.text(max_size=200))
def test_strict_json_fails_only_as_a_value_error(text):
    try:
        strict_json.loads(text)
    except (ValueError, RecursionError):
        pass


@SETTINGS
@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_money_round_trips_as_text_and_as_number(amount):
    assert v.check_money(str(amount)) == amount
    assert v.check_money(amount) == amount


@SETTINGS
@given(path=st.sampled_from(["applicant", "applicant.iin", "family_members", "incomes", "date", "ground",
                             "attachments", "bank_account.iban", "event_date", "consent_personal_data"]),
       value=json_values)
def test_any_value_anywhere_in_an_application_is_a_document_or_a_422(client, path, value):
    body = example("application")
    *parents, last = path.split(".")
    target = body
    for key in parents:
        target = target[key]
    target[last] = value
    resp = client.post("/api/v1/documents/application/validate", data=json.dumps(body), content_type="application/json")
    assert resp.status_code in (200, 400, 422), resp.get_data(as_text=True)[:300]
    if resp.status_code != 200:
        assert resp.mimetype == "application/problem+json" and len(resp.data) < 20_000


@SETTINGS
@given(body=json_values)
def test_any_json_body_is_a_clear_answer(client, body):
    for doc_type in ("application", "legal_aid_request"):
        resp = client.post(f"/api/v1/documents/{doc_type}/validate", data=json.dumps(body),
                           content_type="application/json")
        assert resp.status_code in (200, 400, 422) and resp.mimetype in ("application/json", "application/problem+json")
