"""The database: SQLAlchemy 2 through Flask-SQLAlchemy, migrations through Alembic.

SQLite under instance/ by default; PostgreSQL by setting DATABASE_URL.
"""
from __future__ import annotations

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base of formsvc's tables."""


db = SQLAlchemy(model_class=Base)
migrate = Migrate()


def init_app(app: Flask) -> None:
    """Bind the database and migrations to the app."""
    url = app.config.get("DATABASE_URL") or f"sqlite:///{app.instance_path}/formsvc.db"
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", url)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    db.init_app(app)
    migrate.init_app(app, db, directory=app.config["MIGRATIONS_DIR"])
