"""Document definitions: one YAML file per document type in `schemas/`, read strictly.

Everything else — the marshmallow schema, the JSON Schema, the OpenAPI description,
the HTML form and the template check — is built from the `DocumentType` made here.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import marshmallow as mm

from formsvc.core.datafile import read_yaml
from formsvc.core.errors import DefinitionError
from formsvc.core.i18n import LANGUAGES
from formsvc.definitions.fieldtypes import FIELD_TYPES, FieldType, ObjectType, Today
from formsvc.regulation.roles import ANYONE, ROLES

Labels = Mapping[str, str]
BLANK_PATTERN = r"^\s*$"

# Keys every field may have; what else a field may say is its type's `keys`.
_COMMON_KEYS = frozenset({"type", "label", "help", "required", "compute", "codes"})
_DEFINITION_KEYS = {"type", "title", "regulation", "template", "roles", "fields", "rules", "computed"}
_SHARED_KEYS = {"enums", "objects"}


@dataclass(frozen=True)
class FieldSpec:
    """One field of a document type, as declared."""

    name: str
    type: str
    label: Labels = field(default_factory=dict)
    help: Labels = field(default_factory=dict)
    required: bool = True
    max_length: int | None = None
    multiline: bool = False
    not_future: bool = False
    positive: bool = False
    minimum: int | None = None
    maximum: int | None = None
    choices: Mapping[str, Labels] | None = None
    fields: Mapping[str, FieldSpec] | None = None
    item: FieldSpec | None = None
    min_items: int = 0
    max_items: int | None = None
    compute: str | None = None
    codes: Mapping[str, str] = field(default_factory=dict)  # generic code -> this field's code
    masked: bool = False  # print only the ends (a bank account on a notice)

    @property
    def kind(self) -> FieldType:
        """The field type that knows how this field behaves."""
        return FIELD_TYPES[self.type]

    def json_schema(self, lang: str) -> dict[str, Any]:
        """The JSON Schema of this field, titled in `lang` with both labels under x-label."""
        schema = self.kind.json_schema(self, lang)
        if not self.required and self.type not in ("object", "list"):
            # what the validator reads as "not given": null, or a blank string
            schema = {"anyOf": [schema, {"type": "null"}, {"type": "string", "pattern": BLANK_PATTERN}]}
        if self.label:
            schema.update({"title": self.label[lang], "x-label": dict(self.label)})
        if self.help:
            schema.update({"description": self.help[lang], "x-help": dict(self.help)})
        return {**schema, **self.kind.annotations(self)}

    def printed(self, value: Any, lang: str) -> Any:
        """Validated data wrapped for printing (objects get every declared field, None if absent)."""
        return None if value is None else self.kind.printed(self, value, lang)

    def form_field(self, lang: str) -> Any:
        """The unbound WTForms field, labelled in `lang`."""
        return self.kind.form_field(self, self.label.get(lang, self.name), lang)

    def code(self, generic: str) -> str:
        """The public error code for a generic one (`required` -> `p25_reason_required`)."""
        return self.codes.get(generic, generic)

    def walk(self, prefix: str = "") -> Iterator[tuple[str, FieldSpec]]:
        """Every field below this one with its dotted path (`*` for list items)."""
        for name, sub in (self.fields or {}).items():
            path = f"{prefix}{name}"
            yield path, sub
            yield from sub.walk(path + ".")
        if self.item is not None:
            yield f"{prefix}*", self.item
            yield from self.item.walk(f"{prefix}*.")


@dataclass(frozen=True)
class DocumentType:
    """A document type: its input fields, rules, computed values and template."""

    type: str
    title: Labels
    regulation: str
    template: str
    root: FieldSpec
    rules: tuple[str, ...]
    computed: Mapping[str, FieldSpec]
    path: Path
    roles: frozenset[str] = frozenset()   # who may issue it; `anyone` for no credentials

    def may_issue(self, role: str | None) -> bool:
        """True if someone with `role` (None: no credentials) may issue this document."""
        return ANYONE in self.roles or (role is not None and role in self.roles)

    def template_path(self, templates_dir: Path, lang: str) -> Path:
        """The Word template for `lang`."""
        return templates_dir / f"{self.template}.{lang}.docx"

    def input_schema(self, today: Today) -> mm.Schema:
        """The marshmallow schema that loads this type's input."""
        kind = self.root.kind
        assert isinstance(kind, ObjectType)
        return kind.schema(self.root, today)


@dataclass
class _Shared:
    path: Path
    enums: dict[str, dict[str, Labels]]
    objects: dict[str, Any]


def load_definitions(schemas_dir: Path, rule_names: set[str],
                     compute_names: set[str]) -> dict[str, DocumentType]:
    """Read every `schemas/*.yaml` (files starting with `_` are shared parts)."""
    shared = _load_shared(schemas_dir / "_shared.yaml")
    types: dict[str, DocumentType] = {}
    for path in sorted(schemas_dir.glob("[!_]*.yaml")):
        doc = _load_definition(path, shared, rule_names, compute_names)
        if doc.type in types:
            raise DefinitionError(path, "type", f"duplicate document type {doc.type!r}")
        types[doc.type] = doc
    if not types:
        raise DefinitionError(schemas_dir, "", "no document definitions found")
    return types


def _read_yaml(path: Path) -> dict[str, Any]:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DefinitionError(path, "", "expected a mapping at the top level")
    return data


def _unknown(path: Path, keypath: str, given: Mapping[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(given) - allowed)
    if extra:
        where = f"{keypath}.{extra[0]}" if keypath else extra[0]
        raise DefinitionError(path, where, f"unknown key (allowed: {', '.join(sorted(allowed))})")


def _labels(path: Path, keypath: str, value: Any, required: bool) -> Labels:
    if value is None and not required:
        return {}
    if not isinstance(value, dict) or set(value) != set(LANGUAGES) \
            or not all(isinstance(v, str) and v for v in value.values()):
        raise DefinitionError(path, keypath, f"needs a text for each of {', '.join(LANGUAGES)}")
    return dict(value)


def _load_shared(path: Path) -> _Shared:
    data = _read_yaml(path)
    _unknown(path, "", data, _SHARED_KEYS)
    enums: dict[str, dict[str, Labels]] = {}
    for name, choices in (data.get("enums") or {}).items():
        if not isinstance(choices, dict) or not choices:
            raise DefinitionError(path, f"enums.{name}", "needs at least one choice")
        enums[name] = {code: _labels(path, f"enums.{name}.{code}", labels, True)
                       for code, labels in choices.items()}
    objects = data.get("objects") or {}
    for name, spec in objects.items():
        _unknown(path, f"objects.{name}", spec, {"label", "fields"})
    return _Shared(path, enums, objects)


def _load_definition(path: Path, shared: _Shared, rule_names: set[str],
                     compute_names: set[str]) -> DocumentType:
    data = _read_yaml(path)
    _unknown(path, "", data, _DEFINITION_KEYS)
    for key in ("type", "title", "template", "roles", "fields"):
        if key not in data:
            raise DefinitionError(path, key, "missing")
    if data["type"] != path.stem:
        raise DefinitionError(path, "type", f"must equal the file name {path.stem!r}")
    roles = data["roles"]
    if not isinstance(roles, list) or not roles or set(roles) - {ANYONE, *ROLES}:
        raise DefinitionError(path, "roles", f"a list of roles who may issue it: {ANYONE} or {', '.join(ROLES)}")
    rules = tuple(data.get("rules") or ())
    for i, rule in enumerate(rules):
        if rule not in rule_names:
            raise DefinitionError(path, f"rules.{i}", f"unknown rule {rule!r}")
    parser = FieldParser(path, shared, compute_names)
    root = parser.parse("", "", {"type": "object", "fields": data["fields"]}, input_field=True)
    computed = {name: parser.parse(f"computed.{name}", name, spec, input_field=False)
                for name, spec in (data.get("computed") or {}).items()}
    for name, spec in computed.items():
        if spec.compute is None:
            raise DefinitionError(path, f"computed.{name}.compute", "missing")
        if root.fields and name in root.fields:
            raise DefinitionError(path, f"computed.{name}", "clashes with an input field")
    return DocumentType(type=data["type"], title=_labels(path, "title", data["title"], True),
                        regulation=str(data.get("regulation", "")), template=str(data["template"]),
                        root=root, rules=rules, computed=computed, path=path, roles=frozenset(roles))


@dataclass
class FieldParser:
    """Reads field specs of one definition file; every key is checked by the field's type."""

    path: Path
    shared: _Shared
    compute_names: set[str]

    def parse(self, keypath: str, name: str, spec: Any, input_field: bool) -> FieldSpec:
        """Turn one YAML field spec into a FieldSpec, checking every key."""
        if not isinstance(spec, dict) or "type" not in spec:
            raise DefinitionError(self.path, keypath or "fields", "a field needs a `type`")
        kind = spec["type"]
        if kind in self.shared.objects:       # `type: address` means an address object
            obj = self.shared.objects[kind]
            spec = {"label": obj.get("label"), **spec, "type": "object", "include": [kind]}
            kind = "object"
        if kind not in FIELD_TYPES:
            raise DefinitionError(self.path, f"{keypath}.type", f"unknown type {kind!r}")
        field_type = FIELD_TYPES[kind]
        if input_field and field_type.computed_only:
            raise DefinitionError(self.path, f"{keypath}.type", f"{kind!r} is computed, never input: "
                                  "declare it under `computed:`")
        _unknown(self.path, keypath, spec, set(_COMMON_KEYS | field_type.keys))
        codes = spec.get("codes") or {}
        if not isinstance(codes, dict) or not all(isinstance(k, str) and isinstance(c, str)
                                                  for k, c in codes.items()):
            raise DefinitionError(self.path, f"{keypath}.codes", "a mapping of error code to error code")
        compute = spec.get("compute")
        if compute is not None and compute not in self.compute_names:
            raise DefinitionError(self.path, f"{keypath}.compute", f"unknown computation {compute!r}")
        return FieldSpec(
            name=name, type=kind,
            label=self.labels(f"{keypath}.label", spec.get("label"), required=input_field and bool(keypath)),
            help=self.labels(f"{keypath}.help", spec.get("help"), required=False),
            required=bool(spec.get("required", True)), compute=compute, codes=codes,
            **field_type.options(self, spec, keypath, input_field))

    def labels(self, keypath: str, value: Any, required: bool) -> Labels:
        """A text in each language (checked)."""
        return _labels(self.path, keypath, value, required)

    def for_shared(self) -> FieldParser:
        """A parser for fields of `_shared.yaml`, so that errors name that file."""
        return FieldParser(self.shared.path, self.shared, self.compute_names)
