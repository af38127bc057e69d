"""JSON Schema (2020-12) of a document type's input, built from its definition."""
from __future__ import annotations

from typing import Any

from formsvc.definitions.loading import DocumentType


def document_schema(doc: DocumentType, lang: str) -> dict[str, Any]:
    """The JSON Schema of the input of `doc` (each field described by its field type)."""
    schema = doc.root.json_schema(lang)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"/api/v1/document-types/{doc.type}/schema",
            "title": doc.title[lang], "x-label": dict(doc.title),
            "description": doc.regulation, **{k: v for k, v in schema.items() if k != "title"}}
