"""The JSON API under `/api/v1` (`../shared/spec/api.md`): thin views, problem+json errors."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the API blueprints (every write is rate-limited per token or address: access.py)."""
    from formsvc.api import cases, views

    app.register_blueprint(views.bp)
    app.register_blueprint(cases.bp)
