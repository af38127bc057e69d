"""Extensions and the service objects the views use, created unbound and bound by the factory.

`db` and `migrate` are Flask-SQLAlchemy and Flask-Migrate (SQLite under instance/ by
default, PostgreSQL by setting DATABASE_URL). `init_documents` builds what never changes
while the service runs (definitions, templates) and the PDF pool, which starts on first use.
"""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Engine, event

from formsvc.cases.service import Register
from formsvc.core.db import Base
from formsvc.definitions.registry import Registry, build_registry
from formsvc.documents.pdf import PdfPool, PoolConfig
from formsvc.documents.service import Documents
from formsvc.documents.templates import TemplateStore
from formsvc.regulation.procedure import load_procedure

db = SQLAlchemy(model_class=Base)
migrate = Migrate()


@event.listens_for(Engine, "connect")
def _sqlite_write_ahead(connection: Any, _record: Any) -> None:
    """SQLite in write-ahead mode: a commit writes and syncs the log once (as durable as before,
    a third of the syncs), and readers no longer wait for a writer."""
    if isinstance(connection, sqlite3.Connection):
        connection.execute("PRAGMA journal_mode=WAL")


def init_db(app: Flask) -> None:
    """Bind the database and migrations to the app."""
    url = app.config.get("DATABASE_URL") or f"sqlite:///{app.instance_path}/formsvc.db"
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", url)
    options: dict[str, Any] = {"pool_pre_ping": True}
    if url.startswith("sqlite"):
        options["connect_args"] = {"timeout": 30}   # writers wait for each other instead of failing
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", options)
    db.init_app(app)
    migrate.init_app(app, db, directory=app.config["MIGRATIONS_DIR"])


def pool_config(app: Flask) -> PoolConfig:
    """The PDF pool's settings from the app config."""
    cfg = app.config
    total, processes = int(cfg["PDF_WORKERS"]), max(1, int(cfg["SERVER_PROCESSES"]))
    return PoolConfig(
        workers=-(-total // processes) if total > 0 else 0, queue_size=int(cfg["PDF_QUEUE"]), timeout=float(cfg["PDF_TIMEOUT"]),
        start_timeout=float(cfg["PDF_START_TIMEOUT"]), recycle_after=int(cfg["PDF_RECYCLE_AFTER"]),
        uno_python=cfg["UNO_PYTHON"], soffice=cfg["SOFFICE"],
        profiles_dir=Path(app.instance_path) / "libreoffice")


def init_documents(app: Flask) -> None:
    """Load and check definitions, templates and the procedure (a mistake stops the start-up here)."""
    cfg = app.config
    registry = build_registry(cfg)
    templates = TemplateStore(Path(cfg["TEMPLATES_DIR"]), registry.types)
    service = Documents(registry, templates, PdfPool(pool_config(app)))
    app.extensions["formsvc.documents"] = service
    procedure = load_procedure(Path(cfg["PROCEDURE_FILE"]), registry.types, registry.regulation.params.names())
    version = hashlib.sha256(Path(cfg["PARAMETERS_FILE"]).read_bytes()
                             + Path(cfg["CALENDAR_FILE"]).read_bytes()).hexdigest()[:16]
    app.extensions["formsvc.register"] = Register(service, procedure, str(cfg["AUTHORITY"]), version)


def documents() -> Documents:
    """The current application's document service."""
    service: Documents = current_app.extensions["formsvc.documents"]
    return service


def registry() -> Registry:
    """The current application's document types, schemas and regulation."""
    return documents().registry


def register() -> Register:
    """The current application's case register."""
    found: Register = current_app.extensions["formsvc.register"]
    return found


def pdf_pool() -> PdfPool:
    """The current application's LibreOffice pool (started on first use)."""
    return documents().pdf
