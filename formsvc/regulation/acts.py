"""The legal acts documents cite (data/acts.yaml): name, number and date, in force by date.

Like the parameters, an act has versions with the date from which each is the one to cite,
so a new decision is a change of the data file, not of the templates. The file is read
strictly: an unknown key, a missing text or a stray placeholder stops the start-up.
"""
from __future__ import annotations

import bisect
import string
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any


from formsvc.core.datafile import read_yaml
from formsvc.core.errors import DefinitionError
from formsvc.core.formatting import DateValue
from formsvc.core.i18n import LANGUAGES

# The acts the code cites by name (definitions/compute.py); the file must have each.
REQUIRED = ("saran_rules", "model_rules", "legal_aid_rules")
FORMS = ("title", "cite", "to")
_PLACEHOLDERS = {"number", "date", "date_full", "date_attr"}
_VERSION_KEYS = {"from", "number", "adopted", *LANGUAGES}


@dataclass(frozen=True)
class ActVersion:
    """One version of an act: its number, its date and its texts in each language."""

    act: str
    starts: date
    number: str
    adopted: date
    texts: dict[str, dict[str, str]]   # lang -> form -> text with placeholders

    def text(self, form: str, lang: str) -> str:
        """A form of the act's name (`title`, `cite`, `to`) with its number and date filled in."""
        day = DateValue(self.adopted, lang)
        text = self.texts[lang][form].format(number=self.number, date=day, date_full=day.full, date_attr=day.attr)
        return text.replace("№ ", "№\u00a0")

    def printed(self, lang: str) -> SimpleNamespace:
        """What a template sees: `title`, `cite`, `to`, `number` and `date`."""
        return SimpleNamespace(**{form: self.text(form, lang) for form in FORMS}, number=self.number,
                               date=DateValue(self.adopted, lang))


class Acts:
    """Every act's versions, loaded and checked from one YAML file."""

    def __init__(self, acts: dict[str, tuple[ActVersion, ...]], path: Path) -> None:
        self._acts = acts
        self.path = path

    def on(self, name: str, day: date) -> ActVersion:
        """The version of act `name` in force on `day` (LookupError before the first)."""
        versions = self._acts[name]
        i = bisect.bisect_right([v.starts for v in versions], day) - 1
        if i < 0:
            raise LookupError(f"act {name} has no version in force on {day}")
        return versions[i]

    def names(self) -> list[str]:
        """The act names, in file order."""
        return list(self._acts)


def load_acts(path: Path) -> Acts:
    """Read and check the acts file; any inconsistency names the file and key."""
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise DefinitionError(path, "", "expected a mapping of act names")
    for name in REQUIRED:
        if name not in raw:
            raise DefinitionError(path, name, "missing: the documents cite this act")
    return Acts({name: _versions(path, name, spec) for name, spec in raw.items()}, path)


def _versions(path: Path, name: str, spec: Any) -> tuple[ActVersion, ...]:
    if not isinstance(spec, dict) or set(spec) - {"about", "versions"}:
        raise DefinitionError(path, name, "expected `about` and `versions`")
    entries = spec.get("versions")
    if not isinstance(entries, list) or not entries:
        raise DefinitionError(path, f"{name}.versions", "needs at least one dated version")
    versions: list[ActVersion] = []
    for i, entry in enumerate(entries):
        key = f"{name}.versions.{i}"
        if not isinstance(entry, dict) or set(entry) != _VERSION_KEYS:
            raise DefinitionError(path, key, f"each version needs exactly {', '.join(sorted(_VERSION_KEYS))}")
        for field in ("from", "adopted"):
            if not isinstance(entry[field], date):
                raise DefinitionError(path, f"{key}.{field}", "must be a date YYYY-MM-DD")
        if versions and entry["from"] <= versions[-1].starts:
            raise DefinitionError(path, f"{key}.from", "dates must be in ascending order")
        if not isinstance(entry["number"], str):
            raise DefinitionError(path, f"{key}.number", "must be a string (quote it)")
        texts = {lang: _texts(path, f"{key}.{lang}", entry[lang]) for lang in LANGUAGES}
        versions.append(ActVersion(name, entry["from"], entry["number"], entry["adopted"], texts))
    return tuple(versions)


def _texts(path: Path, key: str, spec: Any) -> dict[str, str]:
    if not isinstance(spec, dict) or set(spec) != set(FORMS):
        raise DefinitionError(path, key, f"needs exactly {', '.join(FORMS)}")
    for form, text in spec.items():
        if not isinstance(text, str) or not text.strip():
            raise DefinitionError(path, f"{key}.{form}", "needs a text")
        fields = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
        if fields - _PLACEHOLDERS:
            raise DefinitionError(path, f"{key}.{form}", f"unknown placeholder {{{sorted(fields - _PLACEHOLDERS)[0]}}}"
                                  f" (allowed: {', '.join(sorted(_PLACEHOLDERS))})")
    return dict(spec)
