"""formsvc: documents and forms for municipal social assistance (Saran rules)."""
from __future__ import annotations

import atexit
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The application factory: defaults, instance/config.py, FORMSVC_* env, then test_config."""
    instance = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("FORMSVC_INSTANCE_PATH")
    app = Flask(__name__, instance_relative_config=True, instance_path=instance)
    app.config.from_object("formsvc.config")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("FORMSVC")
    else:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Kazakh text stays readable

    from formsvc import api, cli, db, errors, pages, registry, verify, web

    errors.init_app(app)
    registry.init_app(app)
    db.init_app(app)
    _init_pdf(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(verify.bp)
    pages.init_app(app)
    web.init_app(app)
    cli.init_app(app)
    return app


def _init_pdf(app: Flask) -> None:
    from formsvc.pdf import PdfPool, PoolConfig

    cfg = app.config
    pool = PdfPool(PoolConfig(
        workers=int(cfg["PDF_WORKERS"]), queue_size=int(cfg["PDF_QUEUE"]), timeout=float(cfg["PDF_TIMEOUT"]),
        start_timeout=float(cfg["PDF_START_TIMEOUT"]), recycle_after=int(cfg["PDF_RECYCLE_AFTER"]),
        uno_python=cfg["UNO_PYTHON"], soffice=cfg["SOFFICE"],
        profiles_dir=Path(app.instance_path) / "libreoffice"))
    app.extensions["formsvc.pdf"] = pool
    if cfg.get("PDF_AUTOSTART", True):
        pool.start()
    atexit.register(pool.stop)
