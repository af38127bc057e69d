"""Field types: one class per type; the published JSON Schema accepts what the validator accepts."""
import re
from datetime import date

import jsonschema
import pytest

from formsvc.definitions import validators as v
from formsvc.definitions.fieldtypes import FIELD_TYPES, FieldType
from formsvc.definitions.loading import FieldSpec

TODAY = date(2026, 11, 21)


def accepts(check, value) -> bool:
    try:
        check(value)
        return True
    except v.Invalid:
        return False


SAMPLES = {
    "phone": ("phone", v.check_phone, ["+77015550123", "+7 (701) 555-01-23", "+7 701 555 01 23", " +7-701-555-0123 ",
                                       "87015550123", "+7701555012", "+7 (701) 555-01-2x", "+8 701 555 01 23"]),
    "iban": ("iban", v.check_iban, ["KZ86125KZT5004100100", "kz86 125K ZT50 0410 0100", " KZ86 125K ZT50 0410 0100 ",
                                    "KZ86125KZT500410010", "DE89370400440532013000", "KZ86-125K-ZT50-0410-0100"]),
    "iin": ("iin", lambda x: v.check_iin(x, TODAY), ["871008401427", " 871008401427 ", "87100840142", "8710084014270"]),
    "money": ("money", v.check_money, ["180000", "180000.5", " 12.34 ", "1e3", "+5", "1_000", "1.234", "-1", "abc"]),
}


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_the_published_pattern_accepts_what_the_validator_accepts(kind):
    """One source of truth: for every sample, JSON Schema and validator agree (modulo checksums)."""
    type_name, check, values = SAMPLES[kind]
    schema = FIELD_TYPES[type_name].json_schema(FieldSpec(name="x", type=type_name), "kk")
    for value in values:
        in_schema = jsonschema.Draft202012Validator(schema).is_valid(value)
        if accepts(check, value):
            assert in_schema, f"{kind}: the validator accepts {value!r} but the JSON Schema refuses it"
        elif in_schema:   # the pattern may pass what only a checksum or a range rejects
            assert kind in ("iban", "iin", "money"), f"{kind}: the schema accepts {value!r}, the validator not"


def test_phone_and_spaced_iban_pass_the_document_schema(client, application):
    schema = client.get("/api/v1/document-types/application/schema").get_json()
    application["applicant"]["phone"] = "+7 (701) 555-01-23"
    application["bank_account"]["iban"] = "KZ86 125K ZT50 0410 0100"
    jsonschema.validate(application, schema)
    assert client.post("/api/v1/documents/application/validate", json=application).status_code == 200


def test_every_type_is_complete():
    """A new type must say how it is checked, described, printed and shown; nothing is left to a table."""
    for name, kind in FIELD_TYPES.items():
        assert isinstance(kind, FieldType)
        own = type(kind).__dict__
        assert "json_schema" in own, name
        if name not in ("object", "list"):
            assert "check" in own, name


def test_no_other_module_keys_behaviour_by_type_name():
    """The field types are the one place: no table keyed by type names elsewhere."""
    from pathlib import Path
    root = Path(__file__).parent.parent / "formsvc"
    names = "|".join(n for n in FIELD_TYPES if n not in ("object", "list", "text", "date"))
    table = re.compile(rf'^\s*"({names})"\s*:', re.M)
    for path in root.rglob("*.py"):
        if path.name == "fieldtypes.py":
            continue
        assert not table.search(path.read_text(encoding="utf-8")), f"{path} keys behaviour by field type"


def test_integer_digits_typed_in_a_form_become_a_number():
    kind = FIELD_TYPES["integer"]
    spec = FieldSpec(name="n", type="integer")
    assert kind.from_form(spec, " 4 ") == 4
    assert kind.from_form(spec, "four") == "four"     # left for the validator to report
    assert kind.from_form(spec, "") is None
    with pytest.raises(v.Invalid):
        v.check_integer("4")                           # the API takes numbers as numbers
