"""A case document's input: what the case knows filled in, what was sent on top.

`procedure.yaml` names the sources (`takes`: fixed; `defaults`: a start this document may
change). A document is posted with only what the case does not know yet; a sent value that
contradicts a fixed one is a `case_mismatch` on that field.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from formsvc.cases.facts import CaseFacts, pick
from formsvc.core.i18n import LANGUAGES
from formsvc.definitions.loading import FieldSpec
from formsvc.regulation.procedure import Source

Json = Any
LANGS = frozenset(LANGUAGES)


def filled(sources: Mapping[str, Source], facts: CaseFacts, root: FieldSpec) -> dict[str, Json]:
    """The fields `sources` fill from the case, limited to what `root` declares (unknown ones left out)."""
    found: dict[str, Json] = {}
    for path, src in sources.items():
        value = facts.resolve(src)
        if value is not None:
            _put(found, path, value)
    fitted: dict[str, Json] = fit(found, root)
    return fitted


def _put(target: dict[str, Json], path: str, value: Json) -> None:
    *parents, last = path.split(".")
    for key in parents:
        target = target.setdefault(key, {})
    target[last] = value


def localized(value: Json, lang: str) -> Json:
    """`value` with every text kept per language ({"kk": .., "ru": ..}) taken in `lang`."""
    if isinstance(value, dict):
        if set(value) == LANGS and all(isinstance(v, str) for v in value.values()):
            return value[lang]
        return {k: localized(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [localized(v, lang) for v in value]
    return value


def per_language(value: Json, path: str = "") -> list[str]:
    """The paths in `value` of texts kept per language."""
    if isinstance(value, dict):
        if set(value) == LANGS and all(isinstance(v, str) for v in value.values()):
            return [path]
        return [p for k, v in value.items() for p in per_language(v, f"{path}.{k}" if path else k)]
    return []


def fit(value: Json, spec: FieldSpec) -> Json:
    """`value` with only the keys `spec` declares (recursively); absent values left out."""
    if isinstance(value, dict) and spec.fields is not None:
        return {k: fit(v, spec.fields[k]) for k, v in value.items() if k in spec.fields and v is not None}
    if isinstance(value, list) and spec.item is not None:
        return [fit(item, spec.item) for item in value]
    return value


def merge(known: Json, sent: Json, path: str = "") -> tuple[Json, list[str]]:
    """The document to validate: `known`, with what was `sent` on top; and the paths where a
    sent value stands on a known one (to compare once both are validated)."""
    if isinstance(known, dict) and isinstance(sent, dict):
        merged, contested = dict(known), []
        for key, value in sent.items():
            sub = f"{path}.{key}" if path else key
            if key in known:
                merged[key], found = merge(known[key], value, sub)
                contested += found
            else:
                merged[key] = value
        return merged, contested
    if isinstance(known, list) and isinstance(sent, list) and len(known) == len(sent) \
            and all(isinstance(k, dict) and isinstance(s, dict) for k, s in zip(known, sent)):
        rows = [merge(k, s, f"{path}.{i}") for i, (k, s) in enumerate(zip(known, sent))]
        return [row for row, _ in rows], [p for _, found in rows for p in found]
    if sent is None:
        return known, []
    return sent, [path]


def project(value: Json, shape: Json) -> Json:
    """`value` seen through the keys `shape` has (extra keys of a row are not a contradiction)."""
    if isinstance(value, dict) and isinstance(shape, dict):
        return {k: project(value.get(k), v) for k, v in shape.items()}
    if isinstance(value, list) and isinstance(shape, list) and len(value) == len(shape):
        return [project(v, s) for v, s in zip(value, shape)]
    return value


def contradictions(known: Json, validated: Json, contested: list[str]) -> list[str]:
    """The contested paths where the validated document says something else than the case."""
    return [path for path in contested
            if project(pick(validated, path), pick(known, path)) != pick(known, path)]


__all__ = ["contradictions", "filled", "fit", "localized", "merge", "per_language", "pick", "project"]
