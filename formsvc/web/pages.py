"""What every HTML page shares: the language, interface texts and the language switch."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from flask import Flask, current_app, request, url_for

from formsvc.core.formatting import local_time, money
from formsvc.core.i18n import message
from formsvc.definitions.loading import FieldSpec
from formsvc.web.forms import input_attrs
from formsvc.http.language import request_language


def switch_url(lang: str) -> str:
    """The current page in another language (the form keeps what was typed: see web/views.py).

    Built from the path and the query as they are, not through url_for, whose own arguments
    (`_method`, `_external`, `endpoint`, ...) a query could otherwise smuggle in.
    """
    query = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"] + [("lang", lang)]
    return f"{request.path}?{urlencode(query)}"


def page_globals(lang: str) -> dict[str, Any]:
    """What a page in `lang` needs: the language, `t()` for its texts, the links."""
    return {"lang": lang, "t": lambda code, **params: message(code, lang, **params),
            "switch_url": switch_url, "home_url": url_for("web.index", lang=lang)}


def in_words(value: Any, spec: FieldSpec | None = None, lang: str = "kk") -> str:
    """A value the case holds, as one line a person reads: its texts and figures in order, a
    choice by its label (with `spec`, the field it fills)."""
    if isinstance(value, dict):
        fields = (spec.fields or {}) if spec is not None else {}
        return ", ".join(part for part in (in_words(v, fields.get(k), lang) for k, v in value.items()) if part)
    if isinstance(value, list):
        item = spec.item if spec is not None else None
        return "; ".join(part for part in (in_words(v, item, lang) for v in value) if part)
    if spec is not None and spec.choices and isinstance(value, str) and value in spec.choices:
        return spec.choices[value].get(lang, value)
    return "" if value is None else str(value)


def local_time_filter(moment: datetime | None) -> str:
    """For templates: a stored moment as the site's local time, the zone named ('—' if none)."""
    return local_time(moment, str(current_app.config["TIMEZONE"])) if moment is not None else "—"


def init_app(app: Flask) -> None:
    """Give every HTML template `lang`, `t()` and `switch_url()` in the request's language."""
    app.jinja_env.globals["input_attrs"] = input_attrs
    app.jinja_env.filters["in_words"] = in_words
    app.jinja_env.filters["money"] = lambda value: money(Decimal(str(value)))
    app.jinja_env.filters["local_time"] = local_time_filter

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return page_globals(request_language())
