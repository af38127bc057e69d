"""The contract as an integrator meets it: a Python client generated from the live
`/api/v1/openapi.json` by openapi-python-client (no warnings), then used the way the README
says, against the service over real HTTP: validate an application, download it as DOCX and
PDF, read the codes of a 422, and register and carry a case with bearer tokens.
"""
import importlib
import json
import os
import subprocess
import sys
import urllib.request
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from formsvc.auth import tokens
from tests.conftest import docx_text, example, make_app, pool_of, serving

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice, pytest.mark.usefixtures("pdf_ready")]
GENERATOR = [sys.executable, "-m", "openapi_python_client"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """Case documents made as in production (DOCX and PDF/A at issue): the client fetches the bundle."""
    app = make_app(tmp_path_factory.mktemp("client-app"), CASE_FORMATS=["docx", "pdf"])
    yield app
    pool_of(app).stop()


@pytest.fixture(scope="module")
def server(app):
    with serving(app) as base:
        yield base


@pytest.fixture(scope="module")
def bearer(app):
    """Tokens as `flask token create` makes them, in this module's database."""
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        made = {role: tokens.create(session, f"integrator-{role}", role)
                for role in ("clerk", "district_commission")}
        session.commit()
    return made


@pytest.fixture(scope="module")
def generated(server, tmp_path_factory):
    """The client package generated from the live description, importable as `formsvc_client`."""
    where = tmp_path_factory.mktemp("client")
    spec = where / "openapi.json"
    with urllib.request.urlopen(f"{server}/api/v1/openapi.json", timeout=30) as resp:
        spec.write_bytes(resp.read())
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])   # with ruff
    run = subprocess.run([*GENERATOR, "generate", "--path", str(spec), "--output-path", str(where / "out")],
                         capture_output=True, text=True, timeout=300, env={**os.environ, "PATH": path})
    output = (run.stdout + run.stderr).strip()
    assert run.returncode == 0, output
    assert output.splitlines() == [f"Generating {where / 'out'}"], output    # not one warning
    sys.path.insert(0, str(where / "out"))
    try:
        yield importlib.import_module("formsvc_client")
    finally:
        sys.path.remove(str(where / "out"))
        for name in [m for m in sys.modules if m == "formsvc_client" or m.startswith("formsvc_client.")]:
            del sys.modules[name]


def test_the_generated_client_has_every_operation_under_its_audience(generated):
    api = importlib.import_module("formsvc_client.api")
    tags = {p.name for p in Path(api.__file__).parent.iterdir() if p.is_dir() and not p.name.startswith("_")}
    assert tags == {"documents", "cases", "public"}      # nothing left under `default`
    documents = importlib.import_module("formsvc_client.api.documents")
    modules = {p.stem for p in Path(documents.__file__).parent.glob("*.py")}
    assert {"generate_application", "validate_application", "generate_decision", "document_schema"} <= modules


# --- below, code as an integrator writes it, against the generated package only


def test_documents_validate_download_and_read_error_codes(generated, server):
    from formsvc_client import Client
    from formsvc_client.api.documents import generate_application, validate_application
    from formsvc_client.models import Application, Format, Language, Problem, ValidationResult

    client = Client(base_url=server, raise_on_unexpected_status=True, timeout=120)
    body = Application.from_dict(example("application"))

    checked = validate_application.sync(client=client, body=body, lang=Language.RU)
    assert isinstance(checked, ValidationResult) and checked.valid is True and checked.warnings == []

    docx = generate_application.sync_detailed(client=client, body=body, lang=Language.RU, format_=Format.DOCX)
    assert docx.status_code == 200 and docx.headers["X-Document-Id"]
    assert docx.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "Серікова" in docx_text(docx.parsed.payload.read())

    pdf = generate_application.sync_detailed(client=client, body=body, lang=Language.KK, format_=Format.PDF)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.parsed.payload.read())).pages)
    assert "Серікова" in text

    wrong = example("application")
    wrong["applicant"]["iin"] = "871008401428"           # a wrong check digit
    problem = validate_application.sync(client=client, body=Application.from_dict(wrong), accept_language="ru")
    assert isinstance(problem, Problem) and problem.status == 422
    assert [(e.field, e.code) for e in problem.errors] == [("applicant.iin", "iin_invalid")]
    assert problem.errors[0].message.startswith("Неверный ИИН")


def test_a_case_registered_and_carried_with_tokens(generated, server, bearer):
    from formsvc_client import AuthenticatedClient
    from formsvc_client.api.cases import (download_case_document_docx, get_case, get_case_bundle,
                                          issue_inspection_act_in_case, list_cases, mark_case_step, register_case)
    from formsvc_client.models import (Case, CaseDetail, CasePage, CaseRegistration, InspectionActInCase,
                                       IssuedCaseDocument, Language, MarkCaseStepStep, Problem, StepDone)

    clerk = AuthenticatedClient(base_url=server, token=bearer["clerk"], raise_on_unexpected_status=True)
    district = AuthenticatedClient(base_url=server, token=bearer["district_commission"],
                                   raise_on_unexpected_status=True)
    stranger = AuthenticatedClient(base_url=server, token="fsv_not-a-token", raise_on_unexpected_status=True)
    application = {**example("application"), "date": "2026-11-02", "registered_on": "2026-11-02"}

    refused = register_case.sync(client=stranger, body=CaseRegistration.from_dict(application))
    assert isinstance(refused, Problem) and refused.status == 401

    case = register_case.sync(client=clerk, body=CaseRegistration.from_dict(application))
    assert isinstance(case, Case) and case.status == "registered"
    assert case.registration_number.startswith("2026-") and case.deadlines.p22.due.isoformat() == "2026-11-12"

    page = list_cases.sync(client=clerk, number=case.registration_number)
    assert isinstance(page, CasePage) and [c.id for c in page.items] == [case.id]

    done = mark_case_step.sync(case.id, MarkCaseStepStep.P16, client=clerk,
                               body=StepDone.from_dict({"date": "2026-11-03"}))
    assert isinstance(done, Case) and done.steps.p16.isoformat() == "2026-11-03"

    act = {k: v for k, v in example("inspection_act").items() if k not in ("application", "applicant",
                                                                           "settlement", "family_members")}
    issued = issue_inspection_act_in_case.sync(case.id, client=district,
                                               body=InspectionActInCase.from_dict({**act, "date": "2026-11-04"}))
    assert isinstance(issued, IssuedCaseDocument) and issued.type_ == "inspection_act"

    again = issue_inspection_act_in_case.sync(case.id, client=district,     # a correction, before the next step
                                              body=InspectionActInCase.from_dict({**act, "date": "2026-11-04"}))
    assert isinstance(again, IssuedCaseDocument)
    early = mark_case_step.sync(case.id, MarkCaseStepStep.P20, client=clerk,
                                body=StepDone.from_dict({"date": "2026-11-05"}))
    assert isinstance(early, Problem) and early.status == 409          # p17 needs the district conclusion too

    detail = get_case.sync(case.id, client=clerk)
    assert isinstance(detail, CaseDetail)
    assert [d.type_ for d in detail.documents] == ["application", "inspection_act", "inspection_act"]
    assert detail.documents[1].replaced_by == again.id
    file = download_case_document_docx.sync(case.id, detail.documents[2].id, client=clerk, lang=Language.RU)
    assert case.registration_number in docx_text(file.payload.read())
    bundle = get_case_bundle.sync(case.id, client=clerk, lang=Language.RU)
    assert len(PdfReader(BytesIO(bundle.payload.read())).outline) == 2     # a bookmark per document


def test_the_description_an_integrator_downloads_is_json(server):
    with urllib.request.urlopen(f"{server}/api/v1/openapi.json", timeout=30) as resp:
        assert resp.headers["Content-Type"] == "application/json"
        assert json.loads(resp.read())["openapi"].startswith("3.1")
