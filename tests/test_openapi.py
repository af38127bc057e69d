"""The OpenAPI description (`formsvc/api/openapi.py`): valid 3.1; every API route described and
every described path routed; what client generators need (ids, one tag by audience, `items`,
a schema on every response, ASCII model names); one problem+json for every error; security and
languages described; request examples that are the sample inputs and fit their schemas; and
what the service really answers along a case's way, errors included, is what it documents.
"""
import copy
import json
import re
import runpy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing
import referencing.jsonschema
from openapi_spec_validator import validate as validate_openapi

from formsvc.auth import tokens
from formsvc.regulation.roles import ANYONE
from tests.conftest import example

METHODS = ("get", "post", "put", "patch", "delete")
AUDIENCES = {"documents", "cases", "public"}
SAMPLE = {"case_id": "00000000-0000-4000-8000-000000000000", "doc_id": "00000000-0000-4000-8000-000000000001",
          "type": "application", "step": "p16"}
URN = "urn:formsvc:openapi"
ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def spec(app):
    resp = app.test_client().get("/api/v1/openapi.json")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    return resp.get_json()


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def resolve(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def schemas_in(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object in a schema (properties' names are not schemas)."""
    if not isinstance(node, dict):
        return
    yield where, node
    for name, sub in node.get("properties", {}).items():
        yield from schemas_in(sub, f"{where}.{name}")
    for key in ("items", "additionalProperties"):
        yield from schemas_in(node.get(key), f"{where}[{key}]")
    for key in ("anyOf", "oneOf", "allOf"):
        for i, sub in enumerate(node.get(key, [])):
            yield from schemas_in(sub, f"{where}<{key}{i}>")


def all_schemas(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, schema in spec["components"]["schemas"].items():
        yield from schemas_in(schema, name)
    for path, method, op in operations(spec):
        for status, response in op["responses"].items():
            for media, content in (resolve(spec, response).get("content") or {}).items():
                yield from schemas_in(content.get("schema"), f"{method} {path} {status} {media}")
        for param in op.get("parameters", []):
            yield from schemas_in(resolve(spec, param)["schema"], f"{method} {path} {resolve(spec, param)['name']}")


def validator(spec: dict[str, Any], schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    """A validator of `schema`, its `#/components/...` references read from the whole spec."""
    absolute = json.loads(json.dumps(schema).replace('"#/components/', f'"{URN}#/components/'))
    resource = referencing.Resource.from_contents(spec, default_specification=referencing.jsonschema.DRAFT202012)
    return jsonschema.Draft202012Validator(absolute, registry=referencing.Registry().with_resource(URN, resource),
                                           format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


# --- the description itself


def test_it_is_valid_openapi_3_1(spec):
    validate_openapi(spec)
    assert spec["openapi"] == "3.1.0"


def test_every_operation_has_a_stable_id_and_one_audience(spec):
    ids = [op["operationId"] for _, _, op in operations(spec)]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids)
    assert {t["name"] for t in spec["tags"]} == AUDIENCES
    assert {path: op["tags"] for path, _, op in operations(spec) if len(op["tags"]) != 1 or op["tags"][0] not in
            AUDIENCES} == {}
    assert {"validate_application", "generate_application", "register_case", "list_cases", "get_case",
            "download_case_document_docx", "download_case_document_pdf", "get_case_bundle", "add_working_days",
            "get_health", "get_openapi", "list_document_types", "document_schema"} <= set(ids)


def test_every_api_route_is_described_and_every_described_path_is_routed(app, spec):
    adapter = app.url_map.bind("localhost")
    described = set()
    for path, method, _ in operations(spec):
        concrete = re.sub(r"\{(\w+)\}", lambda m: SAMPLE[m[1]], path)
        endpoint, _ = adapter.match(concrete, method=method.upper())
        described.add((endpoint, method.upper()))
    routed = {(rule.endpoint, method) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
              for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    assert routed - described == set()


def test_every_document_type_has_its_operations_and_the_case_ones_where_the_procedure_takes_it(app, spec):
    types = app.extensions["formsvc.documents"].registry.types
    procedure = app.extensions["formsvc.register"].procedure
    for name in types:
        assert f"/api/v1/documents/{name}/validate" in spec["paths"] and f"/api/v1/documents/{name}" in spec["paths"]
    in_case = {d.type for s in procedure.steps if s.name != "registration" for d in s.documents}
    assert {p.rsplit("/", 1)[1] for p in spec["paths"] if re.match(r"^/api/v1/cases/\{case_id\}/documents/\w+$", p)
            } == in_case


def test_what_generators_need_arrays_with_items_and_no_titles(spec):
    assert [where for where, s in all_schemas(spec) if s.get("type") == "array" and "items" not in s] == []
    # a `title` would name the generated class (in Cyrillic): the labels are in `description`
    assert [where for where, s in all_schemas(spec) if "title" in s] == []
    assert all(re.fullmatch(r"[A-Za-z_]+", name) for name in spec["components"]["schemas"])


def test_every_response_has_a_schema_and_every_file_a_type_generators_read(spec):
    for path, method, op in operations(spec):
        for status, response in op["responses"].items():
            content = resolve(spec, response).get("content")
            assert content and all("schema" in media for media in content.values()), (method, path, status)
            binary = [m for m, media in content.items() if media["schema"].get("format") == "binary"]
            if binary:
                assert "application/octet-stream" in binary and len(binary) >= 2, (method, path, status)


def test_every_error_is_the_one_problem_schema(spec):
    problem = spec["components"]["schemas"]["Problem"]
    assert problem["properties"]["errors"]["items"] == {"$ref": "#/components/schemas/ProblemError"}
    assert spec["components"]["schemas"]["ProblemError"]["required"] == ["field", "code", "message"]
    for path, method, op in operations(spec):
        for status, response in op["responses"].items():
            if int(status) >= 400:
                assert response["$ref"].startswith("#/components/responses/"), (method, path, status)
                assert resolve(spec, response)["content"] == {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def test_security_is_described_where_it_is_needed(app, spec):
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        **spec["components"]["securitySchemes"]["bearerAuth"], "type": "http", "scheme": "bearer"}
    types = app.extensions["formsvc.documents"].registry.types
    for path, method, op in operations(spec):
        if op["tags"] == ["cases"]:
            assert op["security"] == [{"bearerAuth": []}] and {"401", "403"} <= set(op["responses"]), path
        elif op["operationId"].startswith(("validate_", "generate_")):
            doc = types[op["operationId"].split("_", 1)[1]]
            if ANYONE in doc.roles:
                assert "security" not in op and "401" not in op["responses"], path
            else:   # the authority's documents: a token whose role issues them
                assert op["security"] == [{"bearerAuth": []}] and {"401", "403"} <= set(op["responses"]), path
        else:
            assert "security" not in op, path


def test_languages_are_described_wherever_a_message_can_come_back(spec):
    for path, method, op in operations(spec):
        if any(int(s) >= 400 for s in op["responses"]):
            names = {resolve(spec, p)["name"] for p in op["parameters"]}
            assert {"lang", "Accept-Language"} <= names, (method, path)


def test_request_examples_are_the_sample_inputs_and_fit_their_schemas(spec):
    for path, method, op in operations(spec):
        if "requestBody" not in op:
            continue
        media = op["requestBody"]["content"]["application/json"]
        assert "example" in media, (method, path)
        errors = sorted(validator(spec, media["schema"]).iter_errors(media["example"]), key=str)
        assert errors == [], (method, path, [e.message for e in errors[:3]])
        if op["operationId"].startswith(("validate_", "generate_")):
            assert media["example"] == example(op["operationId"].split("_", 1)[1])


# --- what the service answers is what it says


def conforms(spec: dict[str, Any], method: str, template: str, resp: Any) -> None:
    """The answer's status, type, required headers and JSON body are documented for the operation."""
    op = spec["paths"][template][method]
    where = f"{method.upper()} {template} -> {resp.status_code}"
    assert str(resp.status_code) in op["responses"], f"{where}: undocumented status"
    response = resolve(spec, op["responses"][str(resp.status_code)])
    assert resp.mimetype in response["content"], f"{where}: undocumented {resp.mimetype}"
    for name, header in response.get("headers", {}).items():
        assert not header.get("required") or name in resp.headers, f"{where}: no {name}"
    if resp.mimetype.endswith("json"):
        schema = response["content"][resp.mimetype]["schema"]
        errors = [e.message for e in validator(spec, schema).iter_errors(resp.get_json())]
        assert errors == [], f"{where}: {errors[:3]}"


@pytest.fixture(scope="module")
def bearer(app):
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        made = {role: tokens.create(session, f"openapi-{role}", role)
                for role in ("clerk", "district_commission")}
        session.commit()
    return made


def test_documents_answer_as_described(client, spec):
    def call(method, template, path, **kwargs):
        resp = client.open(path, method=method.upper(), **kwargs)
        conforms(spec, method, template, resp)
        return resp.status_code

    body = json.dumps(example("application"))
    wrong = copy.deepcopy(example("application"))
    wrong["applicant"]["iin"] = "871008401428"
    json_type = {"content_type": "application/json"}
    assert call("get", "/api/v1/document-types", "/api/v1/document-types") == 200
    assert call("get", "/api/v1/document-types/{type}/schema", "/api/v1/document-types/decision/schema") == 200
    assert call("get", "/api/v1/document-types/{type}/schema", "/api/v1/document-types/nothing/schema") == 404
    assert call("get", "/api/v1/document-types/{type}/schema", "/api/v1/document-types/decision/schema?lang=en") == 400
    validate, generate = "/api/v1/documents/application/validate", "/api/v1/documents/application"
    assert call("post", validate, validate, data=body, **json_type) == 200
    assert call("post", validate, validate + "?lang=ru", data=json.dumps(wrong), **json_type) == 422
    assert call("post", validate, validate, data="{", **json_type) == 400
    assert call("post", validate, validate, data=body, content_type="text/plain") == 415
    assert call("post", validate, validate, data="[" + "0," * 300_000 + "0]", **json_type) == 413
    assert call("post", generate, generate + "?lang=ru", data=body, **json_type) == 200
    assert call("post", generate, generate + "?format=odt", data=body, **json_type) == 400
    assert call("get", "/api/v1/openapi.json", "/api/v1/openapi.json") == 200
    days = "/api/v1/calendar/working-days"
    assert call("get", days, days + "?from=2026-03-19&add=3") == 200
    assert call("get", days, days + "?from=2026-13-01&add=3") == 400


def test_the_case_register_answers_as_described(client, spec, bearer):
    def call(method, template, path, role="clerk", body=None, **query):
        headers = {"Authorization": f"Bearer {bearer[role]}"} if role else {}
        resp = client.open(path, method=method.upper(), headers=headers, query_string=query,
                           data=None if body is None else json.dumps(body), content_type="application/json")
        conforms(spec, method, template, resp)
        return resp

    cases, one = "/api/v1/cases", "/api/v1/cases/{case_id}"
    application = {**example("application"), "date": "2026-11-02", "registered_on": "2026-11-02"}
    assert call("post", cases, cases, role=None, body=application).status_code == 401
    assert call("post", cases, cases, role="district_commission", body=application).status_code == 403
    assert call("post", cases, cases, body={**application, "registered_on": "2026-10-01"}).status_code == 422
    case = call("post", cases, cases, body=application).get_json()
    here = f"/api/v1/cases/{case['id']}"
    assert call("get", cases, cases, number=case["registration_number"]).get_json()["total"] == 1
    assert call("get", cases, cases, page="0").status_code == 400
    assert call("get", one, here).status_code == 200
    assert call("get", one, f"/api/v1/cases/{SAMPLE['case_id']}").status_code == 404
    step = "/api/v1/cases/{case_id}/steps/{step}"
    assert call("post", step, f"{here}/steps/p20", body={"date": "2026-11-03"}).status_code == 409
    assert call("post", step, f"{here}/steps/p16", body={"date": "2026-11-03"}).status_code == 200
    act_path = "/api/v1/cases/{case_id}/documents/inspection_act"
    act = {k: v for k, v in example("inspection_act").items()
           if k not in ("application", "applicant", "settlement", "family_members")}
    contradicting = {**act, "date": "2026-11-04", "applicant": {"iin": "760212350620"}}
    assert call("post", act_path, f"{here}/documents/inspection_act", "district_commission",
                contradicting).status_code == 422
    issued = call("post", act_path, f"{here}/documents/inspection_act", "district_commission",
                  {**act, "date": "2026-11-04"})
    assert issued.status_code == 201
    corrected = call("post", act_path, f"{here}/documents/inspection_act", "district_commission",
                     {**act, "date": "2026-11-04"})      # before the next step: a correction
    assert corrected.status_code == 201
    detail = call("get", one, here).get_json()
    assert [(d["type"], d["replaced_by"]) for d in detail["documents"]] == [
        ("application", None), ("inspection_act", corrected.get_json()["id"]), ("inspection_act", None)]
    docx = "/api/v1/cases/{case_id}/documents/{doc_id}.docx"
    assert call("get", docx, f"{here}/documents/{issued.get_json()['id']}.docx").status_code == 200
    assert call("get", docx, f"{here}/documents/{SAMPLE['doc_id']}.docx").status_code == 404
    assert call("get", docx, f"{here}/documents/{issued.get_json()['id']}.docx", lang="en").status_code == 400


# --- the README's promise


def test_the_readme_lists_every_error_code():
    script = runpy.run_path(str(ROOT / "scripts" / "error_codes.py"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split(script["START"])[1].split(script["END"])[0]
    listed = re.findall(r"^\| `(\w+)` \|", table, re.MULTILINE)
    assert listed == script["codes"](), "the codes changed: run scripts/error_codes.py --write"
    # the codes the public contract (shared/spec/api.md) names at least
    assert {"required", "invalid", "unknown_field", "too_long", "iin_invalid", "iban_invalid", "date_in_future",
            "p10_window_expired", "p13_document_missing", "p9_limit_exceeded", "p25_reason_required",
            "p25_reason_unknown", "la_p10_entrepreneurial", "case_mismatch", "step_out_of_order"} <= set(listed)
