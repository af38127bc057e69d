"""Which language a request wants."""
from __future__ import annotations

from flask import has_request_context, request

from formsvc.core.i18n import DEFAULT_LANGUAGE, LANGUAGES


def request_language() -> str:
    """The language of the current request: `lang` parameter, then Accept-Language, then kk.

    An unsupported `lang` value falls back here (it is reported separately by the API).
    """
    if not has_request_context():
        return DEFAULT_LANGUAGE
    lang = request.args.get("lang")
    if lang in LANGUAGES:
        return lang
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)
