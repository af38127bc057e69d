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
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Engine, event

from formsvc.cases import facts
from formsvc.cases.service import Register
from formsvc.core.crypto import RING, new_key
from formsvc.core.datafile import instance_secret
from formsvc.core.db import Base
from formsvc.definitions.registry import Registry, build_registry
from formsvc.documents.pdf import PdfPool, PoolConfig
from formsvc.documents.service import Documents
from formsvc.documents.templates import TemplateStore
from formsvc.regulation.procedure import load_procedure
from formsvc.staff.service import Directory

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()      # people's sessions (the clerk pages)
limiter = Limiter(get_remote_address)   # storage: RATELIMIT_STORAGE_URI (memory, or Redis)


def init_login(app: Flask) -> None:
    """Sessions for people, rate limits (in memory, or Redis by RATELIMIT_STORAGE_URI)."""
    from formsvc.auth.users import User

    login_manager.init_app(app)
    login_manager.login_view = "clerk.login"
    login_manager.session_protection = "strong"

    def _load(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.active else None   # a disabled account's sessions end
    login_manager.user_loader(_load)   # called, not used as a decorator: flask-login is untyped

    limiter.init_app(app)


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
    configure_data_keys(app)
    options: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True}   # no personal data in errors
    if url.startswith("sqlite"):
        options["connect_args"] = {"timeout": 30}   # writers wait for each other instead of failing
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", options)
    db.init_app(app)
    migrate.init_app(app, db, directory=app.config["MIGRATIONS_DIR"])


def configure_data_keys(app: Flask) -> None:
    """The keys that encrypt personal data at rest: DATA_KEYS (newest first), else the instance
    folder's own key, made once (0600)."""
    keys = app.config.get("DATA_KEYS")
    if not keys:
        keys = [instance_secret(Path(app.instance_path) / "data_key", new_key)]
    RING.configure(list(keys))


def pool_config(app: Flask) -> PoolConfig:
    """The PDF pool's settings from the app config."""
    cfg = app.config
    total, processes = int(cfg["PDF_WORKERS"]), max(1, int(cfg["SERVER_PROCESSES"]))
    workers = -(-total // processes) if total > 0 else 0
    queue = cfg["PDF_QUEUE"]
    if queue is None:   # a bound the server can reach: some requests must be left over to refuse
        queue = max(1, min(2 * workers, int(cfg["THREADS"]) - workers))
    return PoolConfig(
        workers=workers, queue_size=int(queue), timeout=float(cfg["PDF_TIMEOUT"]),
        probe_every=float(cfg["PDF_PROBE_SECONDS"]),
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
    procedure = load_procedure(Path(cfg["PROCEDURE_FILE"]), registry.types, registry.regulation.params.names(),
                               facts.vocabulary())
    version = hashlib.sha256(Path(cfg["PARAMETERS_FILE"]).read_bytes()
                             + Path(cfg["CALENDAR_FILE"]).read_bytes()).hexdigest()[:16]
    search_key = hashlib.sha256(b"formsvc iin search|" + str(cfg["SECRET_KEY"]).encode()).digest()
    app.extensions["formsvc.register"] = Register(service, procedure, str(cfg["AUTHORITY"]), version, search_key,
                                                  languages=tuple(cfg["CASE_LANGUAGES"]),
                                                  formats=tuple(cfg["CASE_FORMATS"]), staff=Directory)


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
