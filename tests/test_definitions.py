"""A wrong definition or template stops the service at start-up, naming file and key."""
import shutil
from pathlib import Path

import pytest
from docx import Document

from formsvc import config, create_app
from formsvc.definitions.compute import COMPUTATIONS
from formsvc.definitions.loading import load_definitions
from formsvc.core.errors import DefinitionError
from formsvc.definitions.rules import RULES

SCHEMAS = Path(config.SCHEMAS_DIR)
TEMPLATES = Path(config.TEMPLATES_DIR)


@pytest.fixture
def dirs(tmp_path):
    schemas, templates = tmp_path / "schemas", tmp_path / "templates"
    shutil.copytree(SCHEMAS, schemas)
    shutil.copytree(TEMPLATES, templates)
    return schemas, templates


def start(schemas, templates):
    return create_app({"TESTING": True, "SCHEMAS_DIR": str(schemas), "TEMPLATES_DIR": str(templates)})


def test_real_definitions_load():
    types = load_definitions(SCHEMAS, set(RULES), set(COMPUTATIONS))
    assert "application" in types
    paths = {path for path, _ in types["application"].root.walk()}
    assert {"applicant.iin", "applicant.identity_document.issued_on", "family_members.*.relation",
            "incomes.*.amount_quarter", "bank_account.iban", "consent_personal_data"} <= paths


@pytest.mark.parametrize("old, new, key", [
    ("  ground_details:\n    type: text", "  ground_details:\n    typo_key: 1\n    type: text", "ground_details.typo_key"),
    ("template: application", "template: application\ncolour: red", "colour"),
    ("  - p10_window", "  - p11_window", "rules.2"),
    ("    max_length: 2000\n    multiline: true", "    multiline: true", "ground_details.max_length"),
    ("    enum: ground\n", "    enum: grounds\n", "ground.enum"),
    ("        relation: {type: enum", "        relation: {type: enumeration", "family_members.item.fields.relation.type"),
])
def test_unknown_key_stops_start_up(dirs, old, new, key):
    schemas, templates = dirs
    path = schemas / "application.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        start(schemas, templates)
    assert info.value.key == key
    assert str(path) in str(info.value)


def _add_paragraph(path: Path, text: str) -> None:
    doc = Document(str(path))
    doc.add_paragraph(text)
    doc.save(str(path))


@pytest.mark.parametrize("placeholder, key", [
    ("{{ applicant.adress }}", "applicant.adress"),
    ("{{ applicant.address.flat }}", "applicant.address.flat"),
    ("{{ no_such_field }}", "no_such_field"),
    ("{% for m in family_rows %}{{ m.nickname }}{% endfor %}", "m.nickname"),
    ("{{ ground.colour }}", "ground.colour"),
])
def test_undeclared_placeholder_stops_start_up(dirs, placeholder, key):
    schemas, templates = dirs
    path = templates / "application.ru.docx"
    _add_paragraph(path, placeholder)
    with pytest.raises(DefinitionError) as info:
        start(schemas, templates)
    assert info.value.key == key
    assert "application.ru.docx" in str(info.value)


def test_unknown_filter_and_syntax_error_stop_start_up(dirs):
    schemas, templates = dirs
    _add_paragraph(templates / "application.kk.docx", "{{ applicant|shout }}")
    with pytest.raises(DefinitionError, match="shout"):
        start(schemas, templates)


def test_declared_placeholders_and_loop_fields_pass(dirs):
    schemas, templates = dirs
    _add_paragraph(templates / "application.kk.docx",
                   "{{ ground.code }} {{ date.short }} {% for r in income_rows %}{{ r.kind }}{% endfor %}")
    start(schemas, templates)


def test_missing_template_stops_start_up(dirs):
    schemas, templates = dirs
    (templates / "application.kk.docx").unlink()
    with pytest.raises(DefinitionError, match="template missing"):
        start(schemas, templates)


def test_cli_check_ok(runner):
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0
    assert "ok  application" in result.output


def test_cli_check_names_file_and_key(dirs):
    schemas, templates = dirs
    app = start(schemas, templates)
    path = schemas / "application.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nextra: 1\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 1
    assert "application.yaml: extra: unknown key" in result.output
