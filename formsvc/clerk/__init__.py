"""The workspace of the authority's clerks and the two commissions (`/clerk/`): sign-in, what is
due today, the case list, the case page with its next step, registering a paper application,
and the administrator's users and audit log. Thin views over the case register."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the clerk pages."""
    from formsvc.clerk import admin, session, views  # noqa: F401 - their routes join the blueprint
    from formsvc.clerk import staff  # noqa: F401 - commissions and signatory profiles
    from formsvc.clerk.access import bp
    from formsvc.clerk.views import chrome

    app.register_blueprint(bp)
    app.extensions["formsvc.page_chrome"] = chrome   # error pages under /clerk/ show the clerk's navigation
