"""Languages: which one a request wants, and the message catalogue (kk, ru)."""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from flask import has_request_context, request

LANGUAGES = ("kk", "ru")
DEFAULT_LANGUAGE = "kk"
CATALOGUE = Path(__file__).parent / "data" / "messages.yaml"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Error and interface messages by code, each with a Kazakh and a Russian text."""
    with CATALOGUE.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    for code, texts in data.items():
        if set(texts) != set(LANGUAGES):
            raise ValueError(f"{CATALOGUE}: {code}: needs exactly {LANGUAGES}")
    return data


def message(code: str, lang: str, **params: Any) -> str:
    """The message for `code` in `lang`, with `{name}` placeholders filled from params."""
    texts = catalogue().get(code) or catalogue()["invalid"]
    return texts[lang if lang in LANGUAGES else DEFAULT_LANGUAGE].format(**params)


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
