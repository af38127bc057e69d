"""Safe defaults: the secret key, links from PUBLIC_URL only, headers, cookies, CSRF on every
post that leads anywhere, rate limits per token and per address, invisible characters."""
import os
import stat

import pytest

from tests.conftest import auth_for, example, make_app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("security"))


def test_a_random_secret_key_is_made_once_in_the_instance_folder(tmp_path):
    from formsvc import create_app
    first = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "PDF_WORKERS": 0})
    key = first.config["SECRET_KEY"]
    assert key and key != "dev-only-change-me" and len(key) >= 40
    path = tmp_path / "secret_key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path).st_mode) == 0o700
    again = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "PDF_WORKERS": 0})
    assert again.config["SECRET_KEY"] == key
    configured = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "PDF_WORKERS": 0,
                             "SECRET_KEY": "from the operator, long and random enough"})
    assert configured.config["SECRET_KEY"] == "from the operator, long and random enough"


def test_the_verification_link_never_comes_from_the_host_header(app):
    resp = app.test_client().post("/api/v1/documents/application", json=example("application"),
                                  headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
    import io
    import zipfile
    with zipfile.ZipFile(io.BytesIO(resp.data)) as package:
        xml = "".join(package.read(n).decode() for n in package.namelist() if n.endswith(".xml"))
    assert "https://formsvc.example/verify/" in xml and "evil.example" not in xml


def test_every_response_has_the_security_headers(app):
    client = app.test_client()
    for path in ("/", "/forms/application", "/verify/", "/api/v1/document-types", "/clerk/login"):
        headers = client.get(path).headers
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers
    assert "max-age" in client.get("/", base_url="https://formsvc.example").headers["Strict-Transport-Security"]


def test_behind_a_trusted_proxy_https_is_believed(tmp_path):
    app = make_app(tmp_path, PROXY_COUNT=1)
    resp = app.test_client().get("/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.7"})
    assert "Strict-Transport-Security" in resp.headers


def test_session_cookies_are_secure_with_an_https_public_url(app):
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax" and app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_a_cross_site_post_never_reaches_the_ready_page(app):
    """Without the page's CSRF token, a posted payload is only shown back as a form to check."""
    client = app.test_client()
    import json
    resp = client.post("/forms/application?lang=ru",
                       data={"_payload": json.dumps(example("application"), ensure_ascii=False), "_action": "ready"})
    html = resp.get_data(as_text=True)
    assert "Документ готов" not in html and 'data-code="csrf_expired"' in html
    switched = client.post("/forms/application?lang=ru", data={"_action": "lang:kk", "applicant-last_name": "Х"})
    assert 'data-code="csrf_expired"' in switched.get_data(as_text=True)


def test_api_writes_are_limited_per_token_and_per_address(tmp_path):
    app = make_app(tmp_path, API_RATE_LIMIT="3 per minute")
    client = app.test_client()
    codes = [client.post("/api/v1/documents/application/validate", json=example("application")).status_code
             for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.post("/api/v1/documents/application/validate", json=example("application"))
    assert limited.mimetype == "application/problem+json"
    with_token = [client.post("/api/v1/documents/decision/validate", json=example("decision"),
                              headers=auth_for(app, "decision")).status_code for _ in range(4)]
    assert with_token == [200, 200, 200, 429]      # a token has its own count
    assert client.get("/api/v1/document-types").status_code == 200   # reading is not limited


def test_verification_is_rate_limited(tmp_path):
    app = make_app(tmp_path, VERIFY_RATE_LIMIT="5 per minute")
    client = app.test_client()
    codes = [client.get(f"/verify/00000000-0000-0000-0000-00000000000{i}").status_code for i in range(6)]
    assert codes[:5] == [200] * 5 and codes[5] == 429


@pytest.mark.parametrize("name", ["Абай\u202eовеС", "Сері\u200bкова", "\u2066Серікова\u2069", "\ufeffСерікова"])
def test_direction_overrides_and_invisible_characters_are_refused_in_names(app, name):
    body = example("application")
    body["applicant"]["last_name"] = name
    resp = app.test_client().post("/api/v1/documents/application/validate", json=body)
    assert ("applicant.last_name", "invalid_characters") in {(e["field"], e["code"]) for e in resp.get_json()["errors"]}
