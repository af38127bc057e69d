"""Faults heal, and requests that cost far more than they weigh are refused before the work."""
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import auth_for, example, make_app, pool_of, wait_until

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("faults"))


@pytest.fixture
def client(app):
    return app.test_client()


# --- requests that cost far more than they weigh

@pytest.mark.parametrize("number", ["1e1000000", "1" + "0" * 60, "-1e-1000000", "1E+99999"])
def test_huge_numbers_are_refused_before_they_are_converted(client, number):
    body = json.dumps(example("special_commission_conclusion")).replace('"household_size": 2',
                                                                       f'"household_size": {number}')
    started = time.process_time()
    resp = client.post("/api/v1/documents/special_commission_conclusion/validate", data=body,
                       content_type="application/json", headers=auth_for(client.application,
                                                                          "special_commission_conclusion"))
    assert time.process_time() - started < 0.5
    assert resp.status_code == 400 and "number" in resp.get_json()["detail"]


def test_a_long_list_is_refused_before_its_items_are_read(client):
    body = example("application")
    body["family_members"] = [{}] * 60000
    started = time.process_time()
    resp = client.post("/api/v1/documents/application/validate", json=body)
    assert time.process_time() - started < 1.0
    assert resp.status_code == 422 and len(resp.data) < 2000
    assert resp.get_json()["errors"] == [{"field": "family_members", "code": "too_many_items",
                                          "message": "Ең көбі 20 жол."}]


def test_the_number_of_reported_errors_is_capped(client):
    body = example("application")
    body["family_members"] = [{"iin": "1"}] * 20
    body["incomes"] = [{"iin": "1"}] * 60
    resp = client.post("/api/v1/documents/application/validate?lang=ru", json=body)
    errors = resp.get_json()["errors"]
    assert resp.status_code == 422 and len(errors) == 51
    assert errors[-1]["code"] == "too_many_errors" and "50" in errors[-1]["message"]


def test_a_chunked_body_over_the_limit_is_413(client):
    big = json.dumps({**example("application"), "ground_details": "x" * 600_000}).encode()
    resp = client.post("/api/v1/documents/application/validate", input_stream=io.BytesIO(big),
                       content_type="application/json", headers={"Transfer-Encoding": "chunked"},
                       environ_overrides={"wsgi.input_terminated": True})
    assert resp.status_code == 413 and resp.mimetype == "application/problem+json"
    small = json.dumps(example("application")).encode()
    resp = client.post("/api/v1/documents/application/validate", input_stream=io.BytesIO(small),
                       content_type="application/json", headers={"Transfer-Encoding": "chunked"},
                       environ_overrides={"wsgi.input_terminated": True})
    assert resp.status_code == 200


def test_a_form_naming_thousands_of_rows_is_refused(client):
    form = "&".join(f"family_members-{i}-last_name=x" for i in range(14_500))
    started = time.process_time()
    resp = client.post("/forms/application", data=form, content_type="application/x-www-form-urlencoded")
    assert time.process_time() - started < 1.0
    assert resp.status_code == 413 and len(resp.data) < 5000


@pytest.mark.parametrize("query", ["endpoint=x", "_method=x", "_external=1", "_anchor=x", "_scheme=x"])
def test_odd_query_parameters_do_not_break_pages(client, query):
    for path in ("/forms/application", "/verify/", "/", "/clerk/login"):
        resp = client.get(f"{path}?{query}")
        assert resp.status_code == 200, (path, query)


@pytest.mark.parametrize("payload", ['{"a": ' * 5000 + "1" + "}" * 5000, "[" * 100_000 + "]" * 100_000,
                                     '{"date": 1e999999}'])
def test_a_deep_or_odd_payload_from_the_page_is_a_bad_request(client, payload):
    resp = client.post("/forms/application", data={"_payload": payload, "_action": "ready"})
    assert resp.status_code in (400, 413, 422) and resp.mimetype == "text/html"


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2101-01-01"])
def test_dates_outside_a_sensible_range_are_refused(client, day):
    body = example("application")
    body["applicant"]["identity_document"]["issued_on"] = day
    resp = client.post("/api/v1/documents/application/validate", json=body)
    assert ("applicant.identity_document.issued_on", "date_out_of_range") in \
        {(e["field"], e["code"]) for e in resp.get_json()["errors"]}


def test_dates_before_the_regulation_data_are_422_naming_the_field(client):
    decision = example("decision")
    decision["application"].update(date="2013-03-01", registered_on="2013-03-04")
    decision["date"] = "2013-03-10"
    resp = client.post("/api/v1/documents/decision/validate", json=decision, headers=auth_for(client.application,
                                                                                             "decision"))
    assert resp.status_code == 422
    assert ("application.registered_on", "parameters_unavailable") in \
        {(e["field"], e["code"]) for e in resp.get_json()["errors"]}
    application = example("application")
    application.update(date="2013-05-02", ground="fire", event_date="2013-04-20")
    resp = client.post("/api/v1/documents/application/validate", json=application)
    assert ("date", "parameters_unavailable") in {(e["field"], e["code"]) for e in resp.get_json()["errors"]}
    clerk = {"Authorization": f"Bearer {client.application.config['TEST_TOKENS']['clerk']}"}
    case = client.post("/api/v1/cases", json={**example("application"), "date": "2013-05-02",
                                              "registered_on": "2013-05-02"}, headers=clerk)
    assert case.status_code == 422      # the Rules of 2014 were not yet in force for the application itself
    assert {(e["field"], e["code"]) for e in case.get_json()["errors"]} == {("date", "act_not_in_force")}


# --- the database

def test_a_read_only_database_answers_503_and_health_says_so(tmp_path):
    writable = make_app(tmp_path)   # migrated through a writable connection
    del writable
    url = f"sqlite:///file:{tmp_path}/test.db?mode=ro&uri=true"
    app = make_app_without_migration(tmp_path, url)
    client = app.test_client()
    resp = client.post("/api/v1/documents/application", json=example("application"))
    assert resp.status_code == 503 and resp.headers["Retry-After"] == "30"
    assert resp.mimetype == "application/problem+json"
    health = client.get("/api/v1/health")
    assert health.status_code == 503 and health.get_json()["database"] is False


def test_a_database_that_is_down_answers_503(tmp_path):
    app = make_app_without_migration(tmp_path, "postgresql+psycopg://postgres@127.0.0.1:1/none")
    client = app.test_client()
    resp = client.post("/api/v1/documents/application", json=example("application"))
    assert resp.status_code == 503 and resp.mimetype == "application/problem+json"
    assert client.get("/verify/00000000-0000-0000-0000-000000000000").status_code == 503
    assert client.get("/api/v1/health").get_json()["database"] is False


def make_app_without_migration(instance, url):
    from formsvc import create_app
    return create_app({"TESTING": True, "INSTANCE_PATH": str(instance), "PDF_WORKERS": 0, "DATABASE_URL": url,
                       "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}}
                       if url.startswith("postgresql") else {}})


# --- LibreOffice does not outlive the service

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from formsvc import create_app
    app = create_app({{"TESTING": True, "INSTANCE_PATH": {instance!r}, "PDF_WORKERS": 1,
                      "DATABASE_URL": "sqlite:///{instance}/x.db"}})
    pool = app.extensions["formsvc.documents"].pdf
    assert pool.wait_ready(120), pool.status()
    print(" ".join(str(p) for w in pool.workers for p in w.pids()), flush=True)
    sys.stdin.read()   # serve until the test kills this process (or, should it fail, closes stdin)
""")


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_libreoffice_dies_with_the_service(tmp_path, how):
    with subprocess.Popen([sys.executable, "-c", CHILD.format(root=str(ROOT), instance=str(tmp_path))],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as proc:
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert pids, "the worker did not start"
        os.kill(proc.pid, how)
        proc.wait(10)
    wait_until(lambda: not any(Path(f"/proc/{p}").exists() for p in pids), 10)
    alive = [p for p in pids if Path(f"/proc/{p}").exists()
             and "Z" not in Path(f"/proc/{p}/stat").read_text().split()[2]]
    assert alive == [], "LibreOffice outlived the service"
    # a new pool on the same instance starts cleanly and converts
    app = make_app(tmp_path)   # the same instance folder, and so the same profiles folder
    pool = pool_of(app)
    try:
        assert pool.wait_ready(120), pool.status()
        assert pool.convert(generate_docx(app)).startswith(b"%PDF")
    finally:
        pool.stop()


def generate_docx(app):
    return app.test_client().post("/api/v1/documents/application", json=example("application")).data


@pytest.mark.slow
@pytest.mark.libreoffice
def test_health_reports_a_real_conversion(tmp_path):
    app = make_app(tmp_path, PDF_PROBE_SECONDS=0)
    pool = pool_of(app)
    try:
        assert pool.wait_ready(120)
        before = pool.status()["converted"]
        body = app.test_client().get("/api/v1/health").get_json()
        assert body["status"] == "ok" and body["pdf"]["available"] is True
        assert pool.status()["converted"] == before + 1
    finally:
        pool.stop()


# --- overload

@pytest.mark.slow
@pytest.mark.libreoffice
def test_a_full_pdf_queue_answers_503_at_once(tmp_path):
    """With 1 LibreOffice worker and 3 threads the queue holds 2: of 6 requests at once some are
    refused with Retry-After instead of all waiting."""
    import threading
    app = make_app(tmp_path, THREADS=3)
    pool = pool_of(app)
    try:
        assert pool.wait_ready(120) and pool.cfg.queue_size == 2
        answers: list = []

        def one():
            resp = app.test_client().post("/api/v1/documents/application?format=pdf", json=example("application"))
            answers.append((resp.status_code, resp.headers.get("Retry-After")))
        threads = [threading.Thread(target=one) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        codes = sorted(code for code, _ in answers)
        assert codes.count(200) >= 1 and codes.count(503) >= 1, answers
        assert all(after for code, after in answers if code == 503)
    finally:
        pool.stop()


def test_rate_limits_count_in_redis_when_configured(tmp_path):
    """The production setting for several processes: the limits live in Redis (127.0.0.1:6379)."""
    import redis
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis must be reachable in CI: {exc}")
        pytest.skip(f"Redis not reachable: {exc}")
    redis.Redis(host="127.0.0.1", port=6379, db=15).flushdb()
    settings = {"API_RATE_LIMIT": "2 per minute", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15"}
    first, second = make_app(tmp_path / "a", **settings), make_app(tmp_path / "b", **settings)
    body = example("application")
    codes = [app.test_client().post("/api/v1/documents/application/validate", json=body).status_code
             for app in (first, second, first)]
    assert codes == [200, 200, 429]      # two processes, one count
    assert redis.Redis(host="127.0.0.1", port=6379, db=15).dbsize() > 0
