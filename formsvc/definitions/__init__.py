"""Document definitions: one YAML file per type in `schemas/`, and everything built from it.

Loading (strict), field types (one class each), validators, the marshmallow schema and
JSON Schema, the named cross-field rules, the computed values and the validator of record.
Imports no Flask.
"""
