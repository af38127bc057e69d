"""The OpenAPI 3.1 description of the API, for people and for client generators.

The document operations and their bodies are generated from the same definitions that
validate (one operation per type, so a generated client has a typed body for each); the case
register's answers and its list's query from the marshmallow schemas the views dump and parse
with (`api/schemas.py`, `http/query.py`, through apispec); the fixed operations (cases, health,
the calendar) are the tables below, checked against the app's routes by the tests. Written for generators (`openapi-python-client` is run against
it in the tests): every operation has a stable `operationId` and one tag by audience, every
response a schema, every error the one problem+json schema, and model names are ASCII (a
schema's `title` names a generated class, so the definitions' labels go to `description`).
"""
from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, cast

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from formsvc.api import schemas
from formsvc.core.i18n import LANGUAGES
from formsvc.definitions.json_schema import document_schema
from formsvc.definitions.loading import DocumentType
from formsvc.documents.service import FORMATS, MIMETYPES
from formsvc.http.query import CaseQuery
from formsvc.regulation.procedure import Procedure
from formsvc.regulation.roles import ANYONE, CASE_KEEPERS, CASE_READERS

Json = dict[str, Any]
# The description's own version: 1.x is the `/api/v1` contract; the minor number grows with each
# addition (an operation, an optional field, a code), the patch with corrections of the text.
VERSION = "1.1.0"
TAGS = [
    {"name": "documents", "description": "Stateless documents: the types, their JSON Schema, validation and "
                                         "the filled DOCX or PDF. Applications and legal-aid requests need no "
                                         "token; the clerk documents will need one (see each operation)."},
    {"name": "cases", "description": "The case register: a case carried through the procedure, its documents "
                                     "and deadlines. A bearer token with a role is required."},
    {"name": "public", "description": "Health, the working-day calendar and this description: no token, no "
                                      "personal data."},
]
OCTET_STREAM = "application/octet-stream"
_BINARY: Json = {"type": "string", "format": "binary"}


def ref(name: str, kind: str = "schemas") -> Json:
    """A reference to a component."""
    return {"$ref": f"#/components/{kind}/{name}"}


def _nullable(schema: Json) -> Json:
    return {"anyOf": [schema, {"type": "null"}]}


def _obj(properties: Mapping[str, Json], required: Iterable[str] | None = None, description: str = "") -> Json:
    """An object schema; every property required unless `required` says otherwise."""
    out: Json = {"type": "object", "properties": dict(properties),
                 "required": list(properties if required is None else required)}
    if description:
        out["description"] = description
    return out


_DATE: Json = {"type": "string", "format": "date"}
_STRING: Json = {"type": "string"}
_UUID: Json = {"type": "string", "format": "uuid"}

# --- errors: one problem+json schema, one named response per status

_PROBLEM_SCHEMAS: dict[str, Json] = {
    "Problem": _obj({
        "type": {"type": "string", "description": "Always `about:blank` in v1."},
        "title": {"type": "string", "description": "The HTTP status's title."},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What went wrong, for people."},
        "errors": {"type": "array", "items": ref("ProblemError"),
                   "description": "Every finding about the input (422, and a 400 on a query parameter)."},
    }, required=["type", "title", "status", "detail"], description="An error: RFC 9457 problem details."),
}

_ERRORS: dict[int, tuple[str, str]] = {
    400: ("BadRequest", "The request is malformed: not JSON, a duplicate key, or a query parameter out of "
                        "its range (`errors[].field` names the parameter)."),
    401: ("Unauthorized", "No `Authorization: Bearer` token, or one that is unknown or revoked."),
    403: ("Forbidden", "The token's role may not do this."),
    404: ("NotFound", "No such document type, case, document or step."),
    409: ("Conflict", "Not possible at the case's step (`step_out_of_order`); `detail` says what is possible now."),
    413: ("ContentTooLarge", "The body is larger than the service's limit (`MAX_CONTENT_LENGTH`)."),
    415: ("UnsupportedMediaType", "The body is not sent as `application/json`."),
    422: ("UnprocessableContent", "The input breaks field or procedure rules: every finding is in `errors`."),
    503: ("ServiceUnavailable", "The PDF renderer is busy or unavailable, or a template is being mended; "
                               "try again after `Retry-After` seconds."),
}
_ERROR_HEADERS: dict[int, Json] = {
    401: {"WWW-Authenticate": {"schema": _STRING, "required": True, "description": "`Bearer realm=\"formsvc\"`"}},
    503: {"Retry-After": {"schema": _STRING, "description": "Seconds to wait before trying again."}},
}


def _error_responses() -> Json:
    out = {}
    for status, (name, text) in _ERRORS.items():
        response: Json = {"description": text, "content": {"application/problem+json": {"schema": ref("Problem")}}}
        if status in _ERROR_HEADERS:
            response["headers"] = _ERROR_HEADERS[status]
        out[name] = response
    return out


def _responses(ok: Mapping[str, Json], errors: Iterable[int]) -> Json:
    return {**ok, **{str(s): ref(_ERRORS[s][0], "responses") for s in sorted(errors)}}


def _json(schema: Json, description: str, status: str = "200", headers: Json | None = None,
          links: Json | None = None) -> Json:
    response: Json = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    if links:
        response["links"] = links
    return {status: response}


def _file(description: str, formats: Iterable[str], headers: Json) -> Json:
    """A file response: its real media types, and `application/octet-stream` for generic clients."""
    content = {MIMETYPES[f]: {"schema": _BINARY} for f in formats}
    content[OCTET_STREAM] = {"schema": _BINARY}
    return {"200": {"description": description + " The `Content-Type` is the format's own; generators that only "
                                                 "know `application/octet-stream` may read it as that.",
                    "headers": headers, "content": content}}


# --- parameters

_PARAMETERS: dict[str, Json] = {
    "lang": {"name": "lang", "in": "query", "schema": ref("Language"),
             "description": "Language of the document and of the messages: `kk` (Kazakh) or `ru` (Russian). "
                            "Without it, `Accept-Language` decides, else `kk`. Another value is a 400 where the "
                            "operation reads it."},
    "AcceptLanguage": {"name": "Accept-Language", "in": "header", "schema": _STRING,
                       "examples": {"ru": {"value": "ru-RU,ru;q=0.9"}, "kk": {"value": "kk"}},
                       "description": "Used when `lang` is not given: the best of `kk` and `ru`, else `kk`."},
    "messages_lang": {"name": "lang", "in": "query", "schema": _STRING, "examples": {"ru": {"value": "ru"}},
                      "description": "Language of the messages: `kk` or `ru`; another value is ignored here "
                                     "(`Accept-Language` decides, else `kk`)."},
    "case_id": {"name": "case_id", "in": "path", "required": True, "schema": _UUID,
                "description": "The case's `id`."},
}
_LANGUAGE_PARAMETERS = [ref("lang", "parameters"), ref("AcceptLanguage", "parameters")]
# operations that do not check `lang` (it only picks the language of their error messages)
_MESSAGE_LANGUAGE_PARAMETERS = [ref("messages_lang", "parameters"), ref("AcceptLanguage", "parameters")]

_BEARER: list[Json] = [{"bearerAuth": []}]


def _operation(op_id: str, tag: str, summary: str, responses: Json, *, description: str = "",
               parameters: Iterable[Json] = (), body: Json | None = None,
               security: list[Json] | None = None, roles: Iterable[str] = ()) -> Json:
    op: Json = {"operationId": op_id, "tags": [tag], "summary": summary}
    if description:
        op["description"] = description
    params = list(parameters)
    if params:
        op["parameters"] = params
    if body is not None:
        op["requestBody"] = body
    if security is not None:
        op["security"] = security
    if roles:
        op["x-roles"] = sorted(roles)
    op["responses"] = responses
    return op


def _body(schema: Json, example: Any = None) -> Json:
    media: Json = {"schema": schema}
    if example is not None:
        media["example"] = example
    return {"required": True, "content": {"application/json": media}}


# --- the schemas of document inputs, made fit for generators


def for_generators(schema: Json) -> Json:
    """A definition's JSON Schema with each `title` folded into `description` (titles name classes)."""
    out = {}
    for key, value in schema.items():
        if key == "title":
            continue
        if key == "properties":
            value = {name: for_generators(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            value = for_generators(value)
        elif key in ("anyOf", "oneOf", "allOf"):
            value = [for_generators(sub) for sub in value]
        out[key] = value
    if "title" in schema:
        out["description"] = schema["title"] + (f". {schema['description']}" if schema.get("description") else "")
    return out


def _all_optional(schema: Json) -> Json:
    """`schema` with no `required` anywhere inside (the case fills what is left out)."""
    out = {k: v for k, v in schema.items() if k != "required"}
    if "properties" in out:
        out["properties"] = {name: _all_optional(sub) for name, sub in out["properties"].items()}
    if isinstance(out.get("items"), dict):
        out["items"] = _all_optional(out["items"])
    if "anyOf" in out:
        out["anyOf"] = [_all_optional(sub) for sub in out["anyOf"]]
    return out


def _in_case(schema: Json, known: set[str]) -> Json:
    """A document's schema as posted to a case: what the case knows may be left out."""
    out = copy.deepcopy(schema)
    out["required"] = [k for k in out.get("required", []) if k not in known]
    for key in known:
        out["properties"][key] = _all_optional(out["properties"][key])
    out["description"] = (f"{out.get('description', '')}. Filled from the case and so optional: "
                          f"{', '.join(sorted(known)) or 'nothing'}; a value sent there that contradicts the "
                          "case is a 422 `case_mismatch` on that field.").lstrip(". ")
    return out


def known_by_a_case(types: Mapping[str, DocumentType], procedure: Procedure) -> dict[str, set[str]]:
    """Per document type, the top-level fields a case always fills in: procedure.yaml's `takes`, and
    its `defaults` taken from earlier documents (those from kept compositions or profiles may be absent)."""
    known = {}
    for name, doc in types.items():
        flow = procedure.flow(name)
        paths = [*flow.takes, *(path for path, src in flow.defaults.items() if src.document is not None),
                 *(["number"] if flow.numbering else [])]
        known[name] = {path.split(".")[0] for path in paths} & set(doc.root.fields or {})
    return known


def load_examples(directory: str | Path) -> dict[str, Any]:
    """The sample input of every type (`schemas/examples/<type>.json`), for request examples."""
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(Path(directory).glob("*.json"))}


# --- the fixed schemas: answers of the document and public operations


def _fixed_schemas(types: Mapping[str, DocumentType]) -> dict[str, Json]:
    return {
        "Language": {"type": "string", "enum": list(LANGUAGES), "description": "kk: Kazakh, ru: Russian"},
        "Format": {"type": "string", "enum": list(FORMATS), "description": "docx (Word) or pdf (PDF/A-2b)"},
        "DocumentTypeName": {"type": "string", "enum": list(types)},
        "LocalizedText": _obj({lang: _STRING for lang in LANGUAGES}),
        "DocumentTypeSummary": _obj({"type": _STRING, "title": ref("LocalizedText"),
                                     "formats": {"type": "array", "items": _STRING},
                                     "schema_url": {"type": "string", "format": "uri-reference"}}),
        "ValidationResult": _obj({"valid": {"type": "boolean", "const": True},
                                  "warnings": {"type": "array", "items": ref("ProblemError"),
                                               "description": "Accepted, but worth a look (a late decision)."}}),
        "PdfStatus": _obj({"available": {"type": "boolean"}, "reason": _nullable(_STRING),
                           "started": {"type": "boolean"}, "workers": {"type": "integer"},
                           "ready": {"type": "integer"}, "converted": {"type": "integer"},
                           "restarts": {"type": "integer"}}),
        "Health": _obj({"status": {"type": "string", "description": "ok, or degraded (no database or no PDF)"},
                        "database": {"type": "boolean"}, "pdf": ref("PdfStatus"),
                        "formats": {"type": "array", "items": _STRING}}),
        "WorkingDays": _obj({"from": _DATE, "add": {"type": "integer"}, "date": _DATE}),
        "StepDone": _obj({"date": _DATE}, required=[],
                         description="The day the step was done (default: today; not in the future)."),
    }


# --- the case register's answers and list query: from the marshmallow schemas the views use


def _marshmallow() -> MarshmallowPlugin:
    """apispec's converter of marshmallow schemas, taught this API's own fields."""
    plugin = MarshmallowPlugin(schema_name_resolver=_unregistered)
    APISpec("formsvc", VERSION, "3.1.0", plugins=[plugin])
    assert plugin.converter is not None     # made by APISpec above
    plugin.converter.field_mapping[schemas.Timestamp] = ("string", None)
    cast(Any, plugin.converter).add_attribute_function(_step_map)   # apispec leaves this one unannotated
    return plugin


def _unregistered(schema: Any) -> str:
    raise TypeError(f"{schema} is nested in an answer but not in schemas.COMPONENTS")


def _step_map(converter: Any, field: Any, ret: Json, **kwargs: Any) -> Json:
    """A `StepMap` is its component (the procedure's steps are its properties)."""
    if not isinstance(field, schemas.StepMap):
        return {}
    ret.clear()
    return ref(field.component)


def _with_statuses(text: str, procedure: Procedure) -> str:
    return text.replace("{statuses}", ", ".join(["new", *(s.status for s in procedure.steps)]))


def _answer_schemas(procedure: Procedure) -> dict[str, Json]:
    """The case register's answers (`schemas.COMPONENTS`), and a component per step map."""
    plugin = _marshmallow()
    spec = plugin.spec
    assert spec is not None and plugin.converter is not None
    for name, schema in schemas.COMPONENTS.items():
        spec.components.schema(name, schema=schema)
    out: dict[str, Json] = copy.deepcopy(spec.to_dict()["components"]["schemas"])
    step_maps: dict[str, schemas.StepMap] = {}
    for name, schema in schemas.COMPONENTS.items():
        described = out[name]
        described["required"] = list(described["properties"])    # every field is in every answer
        described.setdefault("description", (schema.__doc__ or "").strip())
        for prop in described["properties"].values():
            if "description" in prop:
                prop["description"] = _with_statuses(prop["description"], procedure)
        step_maps.update({f.component: f for f in schema._declared_fields.values()
                          if isinstance(f, schemas.StepMap)})
    for name, field in step_maps.items():
        steps = [s.name for s in procedure.steps if field.steps == "all" or s.deadline is not None]
        assert field.value_field is not None
        value = plugin.converter.field2property(field.value_field)
        out[name] = _obj({step: copy.deepcopy(value) for step in steps}, required=[],
                         description=field.metadata.get("description", ""))
    return out


def _case_filters(procedure: Procedure) -> list[Json]:
    """The case list's query parameters (`CaseQuery`; an empty filter is no filter)."""
    converter = _marshmallow().converter
    assert converter is not None
    params: list[Json] = converter.schema2parameters(CaseQuery, location="query")
    for param in params:
        if CaseQuery._declared_fields[param["name"]].metadata.get("allow_empty"):
            param["allowEmptyValue"] = True
        if "description" in param:
            param["description"] = _with_statuses(param["description"], procedure)
    return params


# --- operations


def _document_operations(doc: DocumentType, example: Any) -> Json:
    """validate_TYPE and generate_TYPE."""
    name, title = doc.type, doc.title
    roles = sorted(doc.roles - {ANYONE})
    public = ANYONE in doc.roles
    security = None if public else _BEARER
    note = "" if public else f" Issued by {', '.join(roles)}: a bearer token with one of these roles is required."
    access = () if public else (401, 403)
    body = _body(ref(name), example)
    described = f"{title['ru']} / {title['kk']} ({doc.regulation})."
    file_headers = {
        "X-Document-Id": {"schema": _UUID, "required": True,
                          "description": "The stored record: `/verify/{id}` confirms the document."},
        "Content-Disposition": {"schema": _STRING, "required": True,
                                "description": "`attachment` with an ASCII `filename` and an RFC 5987 `filename*`."},
        "X-Warnings": {"schema": _STRING, "description": "`field:code` of each warning, comma-separated."},
    }
    return {
        f"/api/v1/documents/{name}/validate": {"post": _operation(
            f"validate_{name}", "documents", f"Validate: {title['ru']}", description=described + note,
            parameters=_LANGUAGE_PARAMETERS, body=body, security=security, roles=roles,
            responses=_responses(_json(ref("ValidationResult"), "Valid (possibly with warnings)"),
                                 (400, *access, 413, 415, 422)))},
        f"/api/v1/documents/{name}": {"post": _operation(
            f"generate_{name}", "documents", f"Generate: {title['ru']}", description=described + note,
            parameters=[*_LANGUAGE_PARAMETERS, {"name": "format", "in": "query", "schema": ref("Format"),
                                                "description": "docx (default) or pdf"}],
            body=body, security=security, roles=roles,
            responses=_responses(_file("The filled document.", FORMATS, file_headers),
                                 (400, *access, 413, 415, 422, 503)))},
    }


def _case_document_operation(doc: DocumentType, known: set[str], example: Any) -> Json:
    """issue_TYPE_in_case: the next document of a case, filled from what the case knows."""
    roles = sorted(doc.roles - {ANYONE})
    sample = {k: v for k, v in example.items() if k not in known} if isinstance(example, dict) else None
    return {"post": _operation(
        f"issue_{doc.type}_in_case", "cases", f"Issue in a case: {doc.title['ru']}",
        description=f"Roles: {', '.join(roles)}. Accepted only at its step of the procedure (else 409 "
                    f"`step_out_of_order`); fields the case knows ({', '.join(sorted(known)) or 'none'}) are "
                    "filled from it.",
        parameters=[ref("case_id", "parameters"), *_LANGUAGE_PARAMETERS],
        body=_body(ref(f"{doc.type}_in_case"), sample), security=_BEARER, roles=roles,
        responses=_responses(_json(ref("IssuedCaseDocument"), "Issued", "201"),
                             (400, 401, 403, 404, 409, 413, 415, 422, 503)))}


_CASE_ID = {"case_id": "$response.body#/id"}
_CASE_DETAIL_LINKS = {
    **{f"Download{fmt.capitalize()}": {
        "operationId": f"download_case_document_{fmt}", "description": f"The first document as {fmt.upper()}",
        "parameters": {**_CASE_ID, "doc_id": "$response.body#/documents/0/id"}} for fmt in FORMATS},
    "Bundle": {"operationId": "get_case_bundle", "parameters": _CASE_ID},
}


def _case_links(in_case: Iterable[str], steps: Iterable[str]) -> Json:
    """Where a new case leads (for people, and for stateful testers)."""
    return {"GetCase": {"operationId": "get_case", "parameters": _CASE_ID},
            "FindByNumber": {"operationId": "list_cases",
                             "parameters": {"number": "$response.body#/registration_number"}},
            **{f"MarkStep{step.upper()}": {"operationId": "mark_case_step", "parameters": {**_CASE_ID, "step": step}}
               for step in steps},
            **{f"Issue_{name}": {"operationId": f"issue_{name}_in_case", "parameters": _CASE_ID} for name in in_case}}


def _case_download(fmt: str) -> Json:
    headers = {"X-Document-Id": {"schema": _UUID, "required": True},
               "Content-Disposition": {"schema": _STRING, "required": True}}
    return {"get": _operation(
        f"download_case_document_{fmt}", "cases", f"A case document as {fmt.upper()}",
        description="Made on the first request in each language and format, then kept: the same bytes every time.",
        parameters=[ref("case_id", "parameters"), {"name": "doc_id", "in": "path", "required": True, "schema": _UUID},
                    *_LANGUAGE_PARAMETERS],
        security=_BEARER, roles=CASE_READERS,
        responses=_responses(_file("The document.", [fmt], headers), (400, 401, 403, 404, 503)))}


def _case_operations(types: Mapping[str, DocumentType], procedure: Procedure, known: Mapping[str, set[str]],
                     examples: Mapping[str, Any]) -> Json:
    readers, keepers = sorted(CASE_READERS), sorted(CASE_KEEPERS)
    marked = [s.name for s in procedure.steps if not s.documents]   # steps done by a date, not a document
    registration_example = {**examples["application"], "registered_on": examples["application"]["date"]} \
        if "application" in examples else None
    paths: Json = {
        "/api/v1/cases": {
            "post": _operation(
                "register_case", "cases", "Register an application (p13)",
                description="Numbers the case (`YYYY-NNNNNN`, without gaps per year), records the application "
                            "and computes the working-day deadlines. Not idempotent: posting twice registers two "
                            "cases.",
                parameters=_LANGUAGE_PARAMETERS, body=_body(ref("case_registration"), registration_example),
                security=_BEARER, roles=keepers,
                responses=_responses(_json(ref("Case"), "Registered", "201", headers={
                    "Location": {"schema": {"type": "string", "format": "uri-reference"}, "required": True}},
                    links=_case_links(in_procedure(types, procedure), marked)),
                    (400, 401, 403, 413, 415, 422, 503))),
            "get": _operation(
                "list_cases", "cases", "List cases, filtered, 50 a page",
                parameters=[*_case_filters(procedure), *_MESSAGE_LANGUAGE_PARAMETERS],
                security=_BEARER, roles=readers,
                responses=_responses(_json(ref("CasePage"), "One page of cases"), (400, 401, 403)))},
        "/api/v1/cases/{case_id}": {"get": _operation(
            "get_case", "cases", "A case: its documents, deadlines and events",
            parameters=[ref("case_id", "parameters"), *_MESSAGE_LANGUAGE_PARAMETERS], security=_BEARER,
            roles=readers, responses=_responses(_json(ref("CaseDetail"), "The case", links=_CASE_DETAIL_LINKS),
                                                (401, 403, 404)))},
        "/api/v1/cases/{case_id}/steps/{step}": {"post": _operation(
            "mark_case_step", "cases", "Mark a step without a document as done (p16, p20)",
            parameters=[ref("case_id", "parameters"),
                        {"name": "step", "in": "path", "required": True,
                         "schema": {"type": "string", "enum": marked}},
                        *_MESSAGE_LANGUAGE_PARAMETERS],
            body=_body(ref("StepDone"), {"date": examples.get("application", {}).get("date", "2026-11-20")}),
            security=_BEARER, roles=keepers,
            responses=_responses(_json(ref("Case"), "The case"), (400, 401, 403, 404, 409, 413, 415, 422)))},
        "/api/v1/cases/{case_id}/documents/{doc_id}.docx": _case_download("docx"),
        "/api/v1/cases/{case_id}/documents/{doc_id}.pdf": _case_download("pdf"),
        "/api/v1/cases/{case_id}/bundle.pdf": {"get": _operation(
            "get_case_bundle", "cases", "Every document of the case as one PDF, a bookmark each",
            parameters=[ref("case_id", "parameters"), *_LANGUAGE_PARAMETERS], security=_BEARER, roles=readers,
            responses=_responses(_file("The case file, in procedure order.", ["pdf"], {
                "Content-Disposition": {"schema": _STRING, "required": True}}), (400, 401, 403, 404, 503)))},
    }
    for name in in_procedure(types, procedure):
        paths[f"/api/v1/cases/{{case_id}}/documents/{name}"] = _case_document_operation(
            types[name], known[name], examples.get(name))
    return paths


def in_procedure(types: Mapping[str, DocumentType], procedure: Procedure) -> list[str]:
    """The document types a case accepts after registration, in procedure order."""
    names = [d.type for step in procedure.steps if step.name != "registration" for d in step.documents]
    return [n for n in dict.fromkeys(names) if n in types]


def _fixed_operations() -> Json:
    """The document types, their schemas, and the public operations."""
    return {
        "/api/v1/document-types": {"get": _operation(
            "list_document_types", "documents", "List document types",
            responses=_json({"type": "array", "items": ref("DocumentTypeSummary")}, "Document types"))},
        "/api/v1/document-types/{type}/schema": {"get": _operation(
            "document_schema", "documents", "JSON Schema (2020-12) of a document type's input",
            description="Titles and help in the request's language; `x-label` and `x-choices` carry both.",
            parameters=[{"name": "type", "in": "path", "required": True, "schema": ref("DocumentTypeName")},
                        *_LANGUAGE_PARAMETERS],
            responses=_responses({"200": {"description": "JSON Schema", "content": {
                "application/schema+json": {"schema": {"type": "object", "additionalProperties": True}}}}},
                (400, 404)))},
        "/api/v1/openapi.json": {"get": _operation(
            "get_openapi", "public", "This description",
            responses=_json({"type": "object", "additionalProperties": True}, "OpenAPI 3.1"))},
        "/api/v1/health": {"get": _operation(
            "get_health", "public", "Whether the service, its database and its PDF renderer work",
            responses=_json(ref("Health"), "Always 200: `status` says ok or degraded"))},
        "/api/v1/calendar/working-days": {"get": _operation(
            "add_working_days", "public", "The date N working days after a date (Kazakhstan calendar)",
            parameters=[{"name": "from", "in": "query", "required": True, "description": "A day of 1901–2199.",
                         "schema": {**_DATE, "pattern": r"^(19(0[1-9]|[1-9][0-9])|2[01][0-9]{2})-"}},
                        {"name": "add", "in": "query", "required": True,
                         "schema": {"type": "integer", "minimum": 0, "maximum": 400}},
                        *_MESSAGE_LANGUAGE_PARAMETERS],
            responses=_responses(_json(ref("WorkingDays"), "The date"), (400,)))},
    }


def _document_schemas(types: Mapping[str, DocumentType], procedure: Procedure,
                      known: Mapping[str, set[str]]) -> dict[str, Json]:
    schemas: dict[str, Json] = {}
    for doc in types.values():
        schema = document_schema(doc, "ru")
        schema.pop("$schema")
        schema.pop("$id")
        schemas[doc.type] = for_generators(schema)
    if "application" in schemas:
        registration = copy.deepcopy(schemas["application"])
        registration["properties"]["registered_on"] = {
            "anyOf": [_DATE, {"type": "null"}],
            "description": "The day of registration (null or left out: today; not before the application's "
                           "date, not in the future)."}
        registration["description"] = "An application to register, with its registration day."
        schemas["case_registration"] = registration
    for name in in_procedure(types, procedure):
        schemas[f"{name}_in_case"] = _in_case(schemas[name], known[name])
    return schemas


def openapi(types: Mapping[str, DocumentType], procedure: Procedure, examples: Mapping[str, Any],
            max_content_length: int | None = None) -> Json:
    """The whole OpenAPI document."""
    known = known_by_a_case(types, procedure)
    paths = _fixed_operations()
    for doc in types.values():
        paths.update(_document_operations(doc, examples.get(doc.type)))
    paths.update(_case_operations(types, procedure, known, examples))
    limit = f" Bodies are limited to {max_content_length} bytes (413 above)." if max_content_length else ""
    return {
        "openapi": "3.1.0",
        "info": {"title": "formsvc", "version": VERSION,
                 "description": "Documents of the Saran social assistance procedure, in Kazakh and Russian. Errors "
                                "are `application/problem+json` with `errors[]` of `{field, code, message}`; "
                                f"messages follow `lang`, else `Accept-Language`, else Kazakh.{limit}"},
        "tags": TAGS,
        "paths": paths,
        "components": {
            "schemas": {**_PROBLEM_SCHEMAS, **_answer_schemas(procedure), **_fixed_schemas(types),
                        **_document_schemas(types, procedure, known)},
            "responses": _error_responses(),
            "parameters": _PARAMETERS,
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "A token made with `flask --app formsvc token create --name NAME --role ROLE`, "
                               "sent as `Authorization: Bearer TOKEN`."}},
        },
    }
