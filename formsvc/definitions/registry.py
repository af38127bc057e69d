"""Everything the service knows about document types at start-up: definitions, their
schemas, the regulation's parameters and calendar. Built once, checked strictly, then read-only."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import marshmallow as mm

from formsvc.core.errors import NotFound
from formsvc.definitions import compute
from formsvc.definitions.loading import DocumentType, load_definitions
from formsvc.definitions.rules import RULES
from formsvc.definitions.validation import Validated, validate
from formsvc.regulation import Regulation
from formsvc.regulation.acts import load_acts
from formsvc.regulation.parameters import load_parameters
from formsvc.regulation.workdays import load_calendar


@dataclass
class Registry:
    """Document types with their schemas, plus the regulation they are checked against."""

    types: dict[str, DocumentType]
    schemas: dict[str, mm.Schema]
    regulation: Regulation
    today: Callable[[], date]

    def get(self, doc_type: str) -> DocumentType:
        """The document type, or NotFound."""
        try:
            return self.types[doc_type]
        except KeyError:
            raise NotFound(f"unknown document type {doc_type!r}") from None

    def validate(self, doc_type: str, payload: Any) -> Validated:
        """Validate input for `doc_type` (raises InvalidInput)."""
        doc = self.get(doc_type)
        return validate(self.schemas[doc_type], doc.rules, payload, self.regulation, doc.root)


def kazakhstan_today(timezone: str) -> Callable[[], date]:
    """Today's date where the authority is (it decides what is "in the future")."""
    tz = ZoneInfo(timezone)
    return lambda: datetime.now(tz).date()


def build_registry(config: Mapping[str, Any]) -> Registry:
    """Load and check everything; a mistake raises DefinitionError naming file and key."""
    today = kazakhstan_today(config["TIMEZONE"])
    types = load_definitions(Path(config["SCHEMAS_DIR"]), set(RULES), set(compute.COMPUTATIONS))
    regulation = Regulation(load_parameters(Path(config["PARAMETERS_FILE"])),
                            load_calendar(Path(config["CALENDAR_FILE"])), load_acts(Path(config["ACTS_FILE"])))
    schemas = {name: doc.input_schema(today) for name, doc in types.items()}
    return Registry(types, schemas, regulation, today)
