"""Safe defaults for every response and for the secrets the service needs.

- SECRET_KEY: when none is configured, a random one is made once in the instance folder
  (readable by the service only) instead of a known default that would let anyone forge a
  session; a warning says so outside testing.
- The verification links printed on documents come from PUBLIC_URL only, never from the
  request's Host header (which a client chooses).
- Behind a reverse proxy, PROXY_COUNT trusted proxies' X-Forwarded-For/-Proto are believed
  (werkzeug's ProxyFix): the client address for rate limits, https for cookies and HSTS.
- Every response: a Content-Security-Policy that allows only this site, no framing,
  nosniff, a same-origin referrer; HSTS over HTTPS.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

from formsvc.core.datafile import instance_secret

DEFAULT_SECRET = "dev-only-change-me"
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


def ensure_secret_key(app: Flask) -> None:
    """Use the configured SECRET_KEY, else the instance folder's own random key (made once, 0600)."""
    if app.config.get("SECRET_KEY") not in (None, "", DEFAULT_SECRET):
        return
    path = Path(app.instance_path) / "secret_key"
    app.config["SECRET_KEY"] = instance_secret(path, lambda: secrets.token_urlsafe(48))
    if not app.testing:
        app.logger.warning("SECRET_KEY is not configured: using the random key in %s; set "
                           "FORMSVC_SECRET_KEY when more than one machine serves", path)


def init_app(app: Flask) -> None:
    """Secret key, trusted proxies, cookie flags and the response headers."""
    ensure_secret_key(app)
    os.chmod(app.instance_path, 0o700)     # the database, keys and LibreOffice profiles live here
    proxies = int(app.config.get("PROXY_COUNT", 0))
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0)  # type: ignore[method-assign]
    if str(app.config.get("PUBLIC_URL", "")).startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True

    @app.after_request
    def _headers(resp: Response) -> Response:
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        if request.is_secure:
            resp.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return resp
