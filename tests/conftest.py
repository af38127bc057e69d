"""Fixtures: the app built by the factory, its test client and CLI runner."""
from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from formsvc import create_app

DATA = Path(__file__).parent / "data"


def make_app(instance: Path, **config: Any) -> Flask:
    """An app on its own instance folder and SQLite database, migrated to the latest schema."""
    settings = {"TESTING": True, "INSTANCE_PATH": str(instance), "PDF_WORKERS": 1,
                "DATABASE_URL": f"sqlite:///{instance}/test.db", **config}
    app = create_app(settings)
    with app.app_context():
        flask_migrate.upgrade()
    return app


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = make_app(tmp_path_factory.mktemp("instance"))
    yield app
    app.extensions["formsvc.pdf"].stop()


@pytest.fixture(scope="session")
def pdf_ready(app: Flask) -> None:
    """Wait until the session's LibreOffice worker is warm."""
    assert app.extensions["formsvc.pdf"].wait_ready(120), app.extensions["formsvc.pdf"].status()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def example(name: str) -> dict[str, Any]:
    """A fresh copy of a valid example input from tests/data."""
    return copy.deepcopy(json.loads((DATA / f"{name}.json").read_text(encoding="utf-8")))


@pytest.fixture
def application() -> dict[str, Any]:
    return example("application")


def docx_text(content: bytes) -> str:
    """All text of a DOCX as a person reading it would see: paragraphs and table cells."""
    doc = Document(BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in doc.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


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
    from formsvc.validators import iin_check_digit
    for n in range(int(serial), 10000):
        first11 = f"{birth}{century_sex}{n:04d}"
        digit = iin_check_digit(first11)
        if digit is not None:
            return first11 + str(digit)
    raise ValueError(birth)
