"""Extensions and the service objects the views use, created unbound and bound by the factory.

`db` and `migrate` are Flask-SQLAlchemy and Flask-Migrate (SQLite under instance/ by
default, PostgreSQL by setting DATABASE_URL). `init_documents` builds what never changes
while the service runs (definitions, templates) and the PDF pool, which starts on first use.
"""
from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from formsvc.core.db import Base
from formsvc.definitions.registry import Registry, build_registry
from formsvc.documents.pdf import PdfPool, PoolConfig
from formsvc.documents.service import Documents
from formsvc.documents.templates import TemplateStore

db = SQLAlchemy(model_class=Base)
migrate = Migrate()


def init_db(app: Flask) -> None:
    """Bind the database and migrations to the app."""
    url = app.config.get("DATABASE_URL") or f"sqlite:///{app.instance_path}/formsvc.db"
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", url)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    db.init_app(app)
    migrate.init_app(app, db, directory=app.config["MIGRATIONS_DIR"])


def pool_config(app: Flask) -> PoolConfig:
    """The PDF pool's settings from the app config."""
    cfg = app.config
    return PoolConfig(
        workers=int(cfg["PDF_WORKERS"]), queue_size=int(cfg["PDF_QUEUE"]), timeout=float(cfg["PDF_TIMEOUT"]),
        start_timeout=float(cfg["PDF_START_TIMEOUT"]), recycle_after=int(cfg["PDF_RECYCLE_AFTER"]),
        uno_python=cfg["UNO_PYTHON"], soffice=cfg["SOFFICE"],
        profiles_dir=Path(app.instance_path) / "libreoffice")


def init_documents(app: Flask) -> None:
    """Load and check definitions and templates (a mistake stops the start-up here)."""
    registry = build_registry(app.config)
    templates = TemplateStore(Path(app.config["TEMPLATES_DIR"]), registry.types)
    app.extensions["formsvc.documents"] = Documents(registry, templates, PdfPool(pool_config(app)))


def documents() -> Documents:
    """The current application's document service."""
    service: Documents = current_app.extensions["formsvc.documents"]
    return service


def registry() -> Registry:
    """The current application's document types, schemas and regulation."""
    return documents().registry


def pdf_pool() -> PdfPool:
    """The current application's LibreOffice pool (started on first use)."""
    return documents().pdf
