"""The HTML pages: the forms people fill, and the public verification page."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the form pages, the verification page and what every page shares."""
    from formsvc.web import pages, verify, views

    app.register_blueprint(views.bp)
    app.register_blueprint(verify.bp)
    pages.init_app(app)
