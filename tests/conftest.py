"""Fixtures (like flaskr's): a fresh app and database per test module, its client and CLI runner.

`generate` is the one way tests ask the API for a document or a validation.
"""
from __future__ import annotations

import copy
import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import Any

import flask_migrate
import psycopg
import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.serving import make_server

from formsvc import create_app
from formsvc.documents.pdf import PdfPool, free_port

DATA = Path(__file__).parent.parent / "schemas" / "examples"


def make_app(instance: Path, **config: Any) -> Flask:
    """An app on its own instance folder and SQLite database, migrated to the latest schema,
    with a token for each role in `app.config["TEST_TOKENS"]` (case documents made as DOCX only,
    unless `CASE_FORMATS` says otherwise)."""
    from formsvc.auth import tokens
    from formsvc.regulation.roles import ROLES
    # a case document is made as DOCX only here, unless a module asks for the production's DOCX and
    # PDF/A (CASE_FORMATS): only the tests that need LibreOffice start it (and are marked so)
    settings = {"TESTING": True, "INSTANCE_PATH": str(instance), "PDF_WORKERS": 1, "CASE_FORMATS": ["docx"],
                "DATABASE_URL": f"sqlite:///{instance}/test.db", "PUBLIC_URL": "https://formsvc.example",
                "API_RATE_LIMIT": "100000 per minute", "VERIFY_RATE_LIMIT": "100000 per minute", **config}
    app = create_app(settings)
    with app.app_context():
        flask_migrate.upgrade()
        session = app.extensions["sqlalchemy"].session
        app.config["TEST_TOKENS"] = {role: tokens.create(session, f"tests-{role}-{uuid.uuid4().hex[:6]}", role)
                                     for role in ROLES}
        session.commit()
    return app


PASSWORD = "correct horse battery"
PEOPLE = {"clerk": "clerk", "district": "district_commission", "special": "special_commission", "admin": "admin"}


def make_clerk_app(instance: Path, people: dict[str, str] | None = None, **config: Any) -> Flask:
    """An app (as `make_app`) with a signed-in person's account for each of `people` (username: role),
    forms without CSRF and sign-ins unlimited, for the HTTP tests of the clerk pages."""
    from formsvc.auth import users
    app = make_app(instance, **{"WTF_CSRF_ENABLED": False, "LOGIN_RATE_LIMIT": "1000 per minute", **config})
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        for name, role in (PEOPLE if people is None else people).items():
            users.create(session, name, role, PASSWORD, full_name=f"Тест {name}")
        session.commit()
    return app


def signed_in(app: Flask, who: str) -> FlaskClient:
    """A client signed in as `who` (made by `make_clerk_app`)."""
    client = app.test_client()
    resp = client.post("/clerk/login", data={"username": who, "password": PASSWORD})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    return client


def auth_for(app: Flask, doc_type: str) -> dict[str, str]:
    """The Authorization header of a role that may issue `doc_type` (none if anyone may)."""
    doc = app.extensions["formsvc.documents"].registry.types.get(doc_type)
    if doc is None or doc.may_issue(None):
        return {}
    return {"Authorization": f"Bearer {app.config['TEST_TOKENS'][sorted(doc.roles)[0]]}"}


def wait_until(condition: Callable[[], object], timeout: float, interval: float = 0.05) -> bool:
    """Poll `condition` until it holds or `timeout` seconds have passed; whether it held.

    For what a test must wait for (a restart, a process gone): a fixed sleep would be too
    short on a busy machine and too long on a quiet one.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)   # the poll's interval, not a guess at how long the event takes
    return True


PG = "postgresql+psycopg://postgres@127.0.0.1:5432/"


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
    """A throw-away PostgreSQL database (the machine's server, trust auth)."""
    name = f"formsvc_test_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True,
                                connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL must be reachable in CI: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    admin.execute(f'CREATE DATABASE "{name}"')
    yield PG + name
    admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.close()


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """The app served over real HTTP on 127.0.0.1 (a free port) in a thread; yields its base URL."""
    httpd = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """An app on SQLite and on PostgreSQL in turn, inside its app context."""
    url = None if request.param == "sqlite" else request.getfixturevalue("pg_database")
    app = make_app(tmp_path, **({"DATABASE_URL": url} if url else {}))
    with app.app_context():
        yield app
        app.extensions["sqlalchemy"].session.remove()
        app.extensions["sqlalchemy"].engine.dispose()


# --- LibreOffice only where a test says so (`-m "not libreoffice"` then runs without it)

_running: list[pytest.Item] = []        # the test being set up, run or torn down
_unmarked: dict[str, str] = {}          # node id -> what it did, for tests caught using the pool


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[object]:
    """Know which test runs, module fixtures included (they are set up in its setup)."""
    _running.append(item)
    try:
        return (yield)
    finally:
        _running.pop()


def guard_pool_start(pool: PdfPool) -> None:
    """Fail the running test if it is not marked `libreoffice` and this pool would run LibreOffice.

    Every use of the pool (convert, probe, wait_ready) goes through `start`, also once it is
    started, so a test using a pool another test started is caught too.
    """
    item = _running[-1] if _running else None
    if pool.reason is None and item is not None and item.get_closest_marker("libreoffice") is None:
        if threading.current_thread() is not threading.main_thread():   # a server thread may swallow it
            _unmarked[item.nodeid] = "started or used the PDF pool"
        pytest.fail(f"{item.nodeid} starts LibreOffice (the PDF pool) but is not marked "
                    "@pytest.mark.libreoffice", pytrace=False)


@pytest.fixture(scope="session", autouse=True)
def libreoffice_only_where_marked() -> Iterator[None]:
    """Every pool of the session checks, before it starts or converts, that the test may use it."""
    start = PdfPool.start

    def guarded(self: PdfPool) -> None:
        guard_pool_start(self)
        start(self)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PdfPool, "start", guarded)
        yield


@pytest.fixture(autouse=True)
def _no_unmarked_libreoffice(request: pytest.FixtureRequest) -> Iterator[None]:
    """Also fail a test whose use of the pool happened where the failure was swallowed
    (a server thread answering 500)."""
    yield
    found = _unmarked.pop(request.node.nodeid, None)
    if found:
        pytest.fail(f"{request.node.nodeid} {found} but is not marked @pytest.mark.libreoffice", pytrace=False)


def pool_of(app: Flask) -> PdfPool:
    """The app's LibreOffice pool (it starts on first use)."""
    pool: PdfPool = app.extensions["formsvc.documents"].pdf
    return pool


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """A fresh app with its own instance folder and database for each test module."""
    app = make_app(tmp_path_factory.mktemp("instance"))
    yield app
    pool_of(app).stop()


@pytest.fixture(scope="module")
def pdf_ready(app: Flask) -> None:
    """Start the module's LibreOffice worker and wait until it is warm."""
    assert pool_of(app).wait_ready(120), pool_of(app).status()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def example(name: str) -> dict[str, Any]:
    """A fresh copy of a valid example input from schemas/examples."""
    return copy.deepcopy(json.loads((DATA / f"{name}.json").read_text(encoding="utf-8")))


@pytest.fixture
def application() -> dict[str, Any]:
    return example("application")


def generate(client: FlaskClient, doc_type: str, body: Any = None, lang: str | None = None,
             fmt: str | None = None, validate: bool = False, expect: int | None = None,
             **kwargs: Any) -> Any:
    """POST `body` (default: the type's example) to the API, with the token of a role that may issue
    it; check the status if `expect` is given."""
    kwargs.setdefault("headers", auth_for(client.application, doc_type))
    query = "&".join(f"{k}={v}" for k, v in (("lang", lang), ("format", fmt)) if v)
    path = f"/api/v1/documents/{doc_type}{'/validate' if validate else ''}{'?' + query if query else ''}"
    resp = client.post(path, data=json.dumps(example(doc_type) if body is None else body,
                                              ensure_ascii=False, default=str),
                       content_type="application/json", **kwargs)
    if expect is not None:
        assert resp.status_code == expect, resp.get_data(as_text=True)[:500]
    return resp


def docx_text(content: bytes) -> str:
    """All text of a DOCX as a person reading it would see: paragraphs and table cells
    (non-breaking spaces and hyphens read as plain ones)."""
    doc = Document(BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in doc.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts).replace("\u00a0", " ").replace("\u2011", "-")


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted path (list indices as numbers); value DELETE removes the key."""
    *parents, last = path.split(".")
    target: Any = data
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if value is DELETE:
        del target[last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value


DELETE = object()


def errors_of(response: Any) -> set[tuple[str, str]]:
    """The (field, code) pairs of a problem+json response."""
    return {(e["field"], e["code"]) for e in response.get_json()["errors"]}


Mutator = Callable[[dict[str, Any]], None]


def make_iin(birth: str, century_sex: str = "5", serial: str = "0001") -> str:
    """A valid IIN for a birth date YYMMDD (e.g. "030303"), with its check digit."""
    from formsvc.definitions.validators import iin_check_digit
    for n in range(int(serial), 10000):
        first11 = f"{birth}{century_sex}{n:04d}"
        digit = iin_check_digit(first11)
        if digit is not None:
            return first11 + str(digit)
    raise ValueError(birth)
