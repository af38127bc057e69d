"""The OpenAPI 3.1 description of the API, generated from the same definitions that validate."""
from __future__ import annotations

from typing import Any

from formsvc.definitions.loading import DocumentType
from formsvc.definitions.json_schema import document_schema

_PROBLEM = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["field", "code", "message"],
            "properties": {"field": {"type": "string", "description": "dotted path; '' for the whole document"},
                           "code": {"type": "string"}, "message": {"type": "string"}}}},
    },
}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


_ERRORS = {"400": _problem("Malformed JSON or query parameter"), "404": _problem("Unknown document type"),
           "413": _problem("Body over the size limit"), "415": _problem("Body is not JSON"),
           "422": _problem("Invalid input: see `errors`")}
_LANG = {"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["kk", "ru"], "default": "kk"},
         "description": "Language of the document and of error messages (else Accept-Language)"}
_FORMAT = {"name": "format", "in": "query",
           "schema": {"type": "string", "enum": ["docx", "pdf"], "default": "docx"}}


def _paths_for(doc: DocumentType) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{doc.type}"}
    body = {"required": True, "content": {"application/json": {"schema": ref}}}
    return {
        f"/api/v1/documents/{doc.type}/validate": {"post": {
            "summary": f"Validate: {doc.title['ru']}", "operationId": f"validate_{doc.type}",
            "parameters": [_LANG], "requestBody": body,
            "responses": {"200": {"description": "Valid", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"valid": {"const": True},
                                                 "warnings": {"type": "array"}}}}}}, **_ERRORS}}},
        f"/api/v1/documents/{doc.type}": {"post": {
            "summary": f"Generate: {doc.title['ru']}", "operationId": f"generate_{doc.type}",
            "parameters": [_LANG, _FORMAT], "requestBody": body,
            "responses": {"200": {
                "description": "The document file",
                "headers": {"X-Document-Id": {"schema": {"type": "string"}},
                            "Content-Disposition": {"schema": {"type": "string"}}},
                "content": {
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
                        {"schema": {"type": "string", "format": "binary"}},
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
                **_ERRORS, "503": _problem("PDF renderer saturated or unavailable")}}},
    }


def openapi(types: dict[str, DocumentType]) -> dict[str, Any]:
    """The whole OpenAPI document."""
    paths: dict[str, Any] = {
        "/api/v1/document-types": {"get": {
            "summary": "List document types", "operationId": "list_document_types",
            "responses": {"200": {"description": "Document types"}}}},
        "/api/v1/document-types/{type}/schema": {"get": {
            "summary": "JSON Schema of a document type's input", "operationId": "document_schema",
            "parameters": [{"name": "type", "in": "path", "required": True,
                            "schema": {"type": "string", "enum": list(types)}}, _LANG],
            "responses": {"200": {"description": "JSON Schema"}, "404": _ERRORS["404"]}}},
    }
    schemas: dict[str, Any] = {"Problem": _PROBLEM}
    for doc in types.values():
        paths.update(_paths_for(doc))
        schema = document_schema(doc, "ru")
        schema.pop("$schema")
        schema.pop("$id")
        schemas[doc.type] = schema
    return {"openapi": "3.1.0",
            "info": {"title": "formsvc", "version": "1",
                     "description": "Documents of the Saran social assistance procedure, in Kazakh and Russian."},
            "paths": paths, "components": {"schemas": schemas}}
