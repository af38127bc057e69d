"""Document definitions: one YAML file per document type in `schemas/`, read strictly.

Everything else — the marshmallow schema, the JSON Schema, the OpenAPI description,
the HTML form and the template check — is built from the `DocumentType` made here.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from formsvc.errors import DefinitionError
from formsvc.i18n import LANGUAGES

Labels = Mapping[str, str]

_COMMON_KEYS = {"type", "label", "help", "required", "compute", "codes"}
# What each field type may say beyond the common keys: a key not listed is a mistake.
_TYPE_KEYS: dict[str, set[str]] = {
    "text": {"max_length", "multiline"},
    "date": {"not_future"},
    "money": {"positive"},
    "integer": {"minimum", "maximum"},
    "bool": set(),
    "enum": {"enum", "choices"},
    "iin": set(),
    "iban": {"masked"},
    "phone": set(),
    "email": set(),
    "object": {"fields", "include"},
    "list": {"item", "min_items", "max_items"},
}
_DEFINITION_KEYS = {"type", "title", "regulation", "template", "fields", "rules", "computed"}
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

    def template_path(self, templates_dir: Path, lang: str) -> Path:
        """The Word template for `lang`."""
        return templates_dir / f"{self.template}.{lang}.docx"


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
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionError(path, "", f"cannot read: {exc}") from None
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
    for key in ("type", "title", "template", "fields"):
        if key not in data:
            raise DefinitionError(path, key, "missing")
    if data["type"] != path.stem:
        raise DefinitionError(path, "type", f"must equal the file name {path.stem!r}")
    rules = tuple(data.get("rules") or ())
    for i, rule in enumerate(rules):
        if rule not in rule_names:
            raise DefinitionError(path, f"rules.{i}", f"unknown rule {rule!r}")
    parser = _FieldParser(path, shared, compute_names)
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
                        root=root, rules=rules, computed=computed, path=path)


@dataclass
class _FieldParser:
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
        if kind not in _TYPE_KEYS:
            raise DefinitionError(self.path, f"{keypath}.type", f"unknown type {kind!r}")
        _unknown(self.path, keypath, spec, _COMMON_KEYS | _TYPE_KEYS[kind])
        codes = spec.get("codes") or {}
        if not isinstance(codes, dict) or not all(isinstance(k, str) and isinstance(c, str)
                                                  for k, c in codes.items()):
            raise DefinitionError(self.path, f"{keypath}.codes", "a mapping of error code to error code")
        compute = spec.get("compute")
        if compute is not None and compute not in self.compute_names:
            raise DefinitionError(self.path, f"{keypath}.compute", f"unknown computation {compute!r}")
        result = FieldSpec(
            name=name, type=kind,
            label=_labels(self.path, f"{keypath}.label", spec.get("label"),
                          required=input_field and bool(keypath)),
            help=_labels(self.path, f"{keypath}.help", spec.get("help"), required=False),
            required=bool(spec.get("required", True)), compute=compute, codes=codes,
            masked=bool(spec.get("masked")))
        return getattr(self, f"_{kind}", lambda r, s, k, i: r)(result, spec, keypath, input_field)

    def _text(self, result: FieldSpec, spec: dict[str, Any], keypath: str, _: bool) -> FieldSpec:
        if not isinstance(spec.get("max_length"), int) or spec["max_length"] < 1:
            raise DefinitionError(self.path, f"{keypath}.max_length", "a text field needs a positive max_length")
        return replace(result, max_length=spec["max_length"], multiline=bool(spec.get("multiline")))

    def _date(self, result: FieldSpec, spec: dict[str, Any], keypath: str, _: bool) -> FieldSpec:
        return replace(result, not_future=bool(spec.get("not_future")))

    def _money(self, result: FieldSpec, spec: dict[str, Any], keypath: str, _: bool) -> FieldSpec:
        return replace(result, positive=bool(spec.get("positive")))

    def _integer(self, result: FieldSpec, spec: dict[str, Any], keypath: str, _: bool) -> FieldSpec:
        return replace(result, minimum=spec.get("minimum"), maximum=spec.get("maximum"))

    def _enum(self, result: FieldSpec, spec: dict[str, Any], keypath: str, _: bool) -> FieldSpec:
        if ("enum" in spec) == ("choices" in spec):
            raise DefinitionError(self.path, keypath, "an enum needs either `enum` or `choices`")
        if "enum" in spec:
            if spec["enum"] not in self.shared.enums:
                raise DefinitionError(self.path, f"{keypath}.enum", f"unknown enum {spec['enum']!r}")
            choices = self.shared.enums[spec["enum"]]
        else:
            choices = {code: _labels(self.path, f"{keypath}.choices.{code}", labels, True)
                       for code, labels in spec["choices"].items()}
        return replace(result, choices=choices)

    def _object(self, result: FieldSpec, spec: dict[str, Any], keypath: str,
                input_field: bool) -> FieldSpec:
        fields: dict[str, FieldSpec] = {}
        for part in spec.get("include") or ():
            if part not in self.shared.objects:
                raise DefinitionError(self.path, f"{keypath}.include", f"unknown object {part!r}")
            for name, sub in (self.shared.objects[part].get("fields") or {}).items():
                fields[name] = _SharedParser(self, part).parse(f"objects.{part}.fields.{name}", name,
                                                              sub, input_field)
        prefix = f"{keypath}.fields." if keypath else ""
        for name, sub in (spec.get("fields") or {}).items():
            if name in fields:
                raise DefinitionError(self.path, f"{prefix}{name}", "already given by `include`")
            fields[name] = self.parse(f"{prefix}{name}", name, sub, input_field)
        if not fields:
            raise DefinitionError(self.path, keypath, "an object needs fields")
        return replace(result, fields=fields)

    def _list(self, result: FieldSpec, spec: dict[str, Any], keypath: str,
              input_field: bool) -> FieldSpec:
        if "item" not in spec:
            raise DefinitionError(self.path, f"{keypath}.item", "a list needs an `item`")
        item_spec = dict(spec["item"])
        item_spec.setdefault("label", spec.get("label"))
        item = self.parse(f"{keypath}.item", "*", item_spec, input_field)
        return replace(result, item=item, min_items=int(spec.get("min_items", 0)),
                       max_items=spec.get("max_items"))


class _SharedParser(_FieldParser):
    """Parses fields of a shared object, so errors name `_shared.yaml`."""

    def __init__(self, parent: _FieldParser, _part: str) -> None:
        super().__init__(parent.shared.path, parent.shared, parent.compute_names)
