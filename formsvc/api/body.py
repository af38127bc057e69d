"""Reading a request: the JSON body (strictly) and query parameters with fixed choices."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from flask import request

from formsvc.core.errors import BadRequest, Problem, UnsupportedMediaType
from formsvc.core.i18n import LANGUAGES, message
from formsvc.http.language import request_language


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise _DuplicateKey(key)
        obj[key] = value
    return obj


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def json_body() -> Any:
    """The request body parsed as JSON (numbers with decimals as Decimal)."""
    if request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        raise UnsupportedMediaType(message("unsupported_media_type", request_language()))
    raw = request.get_data(cache=False)  # over MAX_CONTENT_LENGTH -> 413
    lang = request_language()
    try:
        return json.loads(raw.decode("utf-8"), parse_float=Decimal,
                          parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as exc:
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
