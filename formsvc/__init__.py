"""formsvc: documents and forms for municipal social assistance (Saran rules)."""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:   # the domain packages below import no Flask, and neither does `import formsvc`
    from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The application factory: configuration, then extensions, blueprints and CLI commands.

    A wrong definition or template stops it here. Nothing is started: the PDF pool starts on
    first use or with the server (`formsvc.wsgi`).
    """
    app = configured_app(test_config)

    from formsvc import api, clerk, cli, extensions, web
    from formsvc.http import errors, security

    security.init_app(app)
    errors.init_app(app)
    extensions.init_documents(app)
    extensions.init_db(app)
    extensions.init_login(app)
    api.init_app(app)
    web.init_app(app)
    clerk.init_app(app)
    cli.init_app(app)
    return app


def configured_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """A Flask app with its configuration and nothing else: defaults, instance/config.py,
    FORMSVC_* variables (JSON values parsed), then `test_config`.

    The template commands use it, so that they work while a template is broken.
    """
    from flask import Flask

    instance = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("FORMSVC_INSTANCE_PATH")
    app = Flask(__name__, instance_relative_config=True, instance_path=instance,
                static_folder="web/static", template_folder="web/templates")
    app.config.from_object("formsvc.config")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("FORMSVC")
    else:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Kazakh text stays readable
    return app
