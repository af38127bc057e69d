"""The case register's answers (`formsvc/api/schemas.py`): the views dump with these schemas and
the OpenAPI description is built from them, so a field added there is answered and described."""
from datetime import date
from types import SimpleNamespace

import pytest
from marshmallow import fields

from formsvc.api import schemas


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/v1/openapi.json").get_json()


@pytest.mark.parametrize("name", schemas.COMPONENTS)
def test_each_answer_is_described_by_its_schema(spec, name):
    described = spec["components"]["schemas"][name]
    declared = [f.data_key or key for key, f in schemas.COMPONENTS[name]().dump_fields.items()]
    assert sorted(described["properties"]) == sorted(declared)
    assert sorted(described["required"]) == sorted(declared)     # every field is in every answer
    assert "additionalProperties" not in described      # v1 may add fields


@pytest.mark.parametrize("field, component, all_steps", [("deadlines", "Deadlines", False),
                                                         ("steps", "StepDates", True)])
def test_a_step_map_has_a_property_per_step(app, spec, field, component, all_steps):
    from formsvc.extensions import register
    with app.app_context():
        steps = [s.name for s in register().procedure.steps if all_steps or s.deadline is not None]
    assert spec["components"]["schemas"]["Case"]["properties"][field] == {"$ref": f"#/components/schemas/{component}"}
    described = spec["components"]["schemas"][component]
    assert sorted(described["properties"]) == sorted(steps) and described["required"] == []


def test_computed_values_come_first_then_the_attributes():
    class Answer(schemas.Output):
        plain = fields.String()
        computed = fields.String()
        day = fields.Date(allow_none=True)
        absent = fields.String()

    source = SimpleNamespace(plain="from the model", computed="not this", day=date(2026, 11, 2))
    assert Answer().dump(schemas.Shown(source, computed="from the view")) == {
        "plain": "from the model", "computed": "from the view", "day": "2026-11-02"}
    assert Answer().dump(schemas.Shown(source, day=None))["day"] is None
