"""formsvc: documents and forms for municipal social assistance (Saran rules)."""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The application factory: defaults, instance/config.py, FORMSVC_* env, then test_config."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object("formsvc.config")
    app.instance_path = os.environ.get("FORMSVC_INSTANCE_PATH", app.instance_path)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("FORMSVC")
    else:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Kazakh text stays readable

    from formsvc import api, cli, errors, registry

    errors.init_app(app)
    registry.init_app(app)
    app.register_blueprint(api.bp)
    cli.init_app(app)
    return app
