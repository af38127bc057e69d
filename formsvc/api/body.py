"""Reading a request: the JSON body (strictly) and query parameters with fixed choices."""
from __future__ import annotations

from typing import Any

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wsgi import get_input_stream

from formsvc.core.errors import BadRequest, Problem, UnsupportedMediaType
from formsvc.core.i18n import LANGUAGES, message
from formsvc.http import strict_json
from formsvc.http.language import request_language


def body_bytes() -> bytes:
    """The request body, at most MAX_CONTENT_LENGTH bytes, also when it is sent in chunks
    (no Content-Length): one byte more than the limit is a 413, never a body cut short."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None:
        return request.get_data(cache=False)    # over the limit: 413 before anything is read
    raw = get_input_stream(request.environ, max_content_length=limit + 1).read(limit + 1)
    if len(raw) > limit:
        raise RequestEntityTooLarge()
    return raw


def json_body() -> Any:
    """The request body parsed as JSON (numbers with decimals as Decimal)."""
    if request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        raise UnsupportedMediaType(message("unsupported_media_type", request_language()))
    raw = body_bytes()
    lang = request_language()
    try:
        return strict_json.loads(raw.decode("utf-8"))
    except strict_json.DuplicateKey as exc:
        raise BadRequest(message("duplicate_key", lang, key=exc.key)) from None
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise BadRequest(f"{message('malformed_json', lang)} ({exc})"[:300]) from None


def query_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """A query parameter that must be one of `choices` (400 naming it otherwise)."""
    value = request.args.get(name, default)
    if value not in choices:
        raise BadRequest(f"{name}: {value!r}",
                         problems=[Problem(name, "invalid_choice", {"choices": ", ".join(choices)})])
    return value


def query_language() -> str:
    """The `lang` parameter (kk or ru), else the request's language."""
    return query_choice("lang", LANGUAGES, request_language())
