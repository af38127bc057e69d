"""Languages and the message catalogue (kk, ru): error and interface texts by code."""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("kk", "ru")
DEFAULT_LANGUAGE = "kk"
CATALOGUE = Path(__file__).parent / "messages.yaml"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Error and interface messages by code, each with a Kazakh and a Russian text."""
    with CATALOGUE.open(encoding="utf-8") as fh:
        data: dict[str, dict[str, str]] = yaml.safe_load(fh)
    for code, texts in data.items():
        if set(texts) != set(LANGUAGES):
            raise ValueError(f"{CATALOGUE}: {code}: needs exactly {LANGUAGES}")
    return data


def message(code: str, lang: str, **params: Any) -> str:
    """The message for `code` in `lang`, with `{name}` placeholders filled from params."""
    texts = catalogue().get(code) or catalogue()["invalid"]
    return texts[lang if lang in LANGUAGES else DEFAULT_LANGUAGE].format(**params)
