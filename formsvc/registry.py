"""Everything the service knows at start-up: definitions, their schemas, templates,
parameters and the calendar. Built once, checked strictly, then read-only."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import marshmallow as mm
from flask import Flask, current_app

from formsvc import compute, placeholders
from formsvc.definitions import DocumentType, load_definitions
from formsvc.errors import NotFound
from formsvc.i18n import LANGUAGES
from formsvc.parameters import load_parameters
from formsvc.records import sha256
from formsvc.rules import RULES, RuleEnv
from formsvc.schema import build_schema
from formsvc.validation import Validated, validate
from formsvc.workdays import load_calendar


@dataclass
class Registry:
    """Document types with their schemas and templates, plus parameters and calendar."""

    types: dict[str, DocumentType]
    schemas: dict[str, mm.Schema]
    templates_dir: Path
    env: RuleEnv
    today: Callable[[], date]
    template_sha256: dict[str, str]  # template file name -> SHA-256: the template version

    def get(self, doc_type: str) -> DocumentType:
        """The document type, or NotFound."""
        try:
            return self.types[doc_type]
        except KeyError:
            raise NotFound(f"unknown document type {doc_type!r}") from None

    def validate(self, doc_type: str, payload: Any) -> Validated:
        """Validate input for `doc_type` (raises InvalidInput)."""
        doc = self.get(doc_type)
        return validate(self.schemas[doc_type], doc.rules, payload, self.env)


def build_registry(config: dict[str, Any]) -> Registry:
    """Load and check everything; a mistake raises DefinitionError naming file and key."""
    tz = ZoneInfo(config["TIMEZONE"])

    def today() -> date:
        return datetime.now(tz).date()

    types = load_definitions(Path(config["SCHEMAS_DIR"]), set(RULES), set(compute.COMPUTATIONS))
    templates_dir = Path(config["TEMPLATES_DIR"])
    for doc in types.values():
        for lang in LANGUAGES:
            placeholders.check_template(doc, doc.template_path(templates_dir, lang), lang)
    env = RuleEnv(load_parameters(Path(config["PARAMETERS_FILE"])),
                  load_calendar(Path(config["CALENDAR_FILE"])))
    schemas = {name: build_schema(doc.root, today) for name, doc in types.items()}
    versions = {path.name: sha256(path.read_bytes()) for path in templates_dir.glob("*.docx")}
    return Registry(types, schemas, templates_dir, env, today, versions)


def init_app(app: Flask) -> None:
    """Build the registry at start-up: a bad definition stops the service here."""
    app.extensions["formsvc.registry"] = build_registry(app.config)


def registry() -> Registry:
    """The current application's registry."""
    reg: Registry = current_app.extensions["formsvc.registry"]
    return reg
