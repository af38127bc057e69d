"""What a case already knows about each of its documents, and how what is sent must agree.

Facts are read from the case's documents as recorded (JSON values). A document is posted
with only what the case does not know yet; the known fields are filled in, and a sent value
that contradicts them is a `case_mismatch` on that field.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from formsvc.definitions.loading import FieldSpec
from formsvc.definitions.validators import Invalid, iin_birth_date

Json = Any
Facts = Mapping[str, Json]     # document type -> its recorded input; "registered_on" -> ISO date


def _ref(doc: Mapping[str, Json]) -> dict[str, Json]:
    return {"number": doc.get("number"), "date": doc.get("date")}


def _members(application: Mapping[str, Json]) -> list[dict[str, Json]]:
    """Family members as listed, the birth date taken from the IIN where it was not given."""
    members = []
    for member in application.get("family_members") or []:
        member = dict(member)
        if not member.get("birth_date"):
            try:
                member["birth_date"] = iin_birth_date(member["iin"]).isoformat()
            except (Invalid, KeyError):
                pass
        members.append(member)
    return members


def _application_facts(f: Facts) -> dict[str, Json]:
    return {"application": _ref(f["application"]), "applicant": f["application"]["applicant"]}


def _decision_facts(f: Facts) -> dict[str, Json]:
    return {"decision": _ref(f["decision"]), "applicant": f["application"]["applicant"]}


KNOWN: dict[str, Callable[[Facts], dict[str, Json]]] = {
    "inspection_act": lambda f: {**_application_facts(f), "family_members": _members(f["application"]),
                                 "settlement": f["application"]["applicant"]["address"]["settlement"]},
    "district_commission_conclusion": lambda f: {
        **_application_facts(f), "settlement": f["application"]["applicant"]["address"]["settlement"]},
    "special_commission_conclusion": lambda f: {**_application_facts(f), "ground": f["application"]["ground"]},
    "decision": lambda f: {
        "application": {**_ref(f["application"]), "registered_on": f["registered_on"]},
        "applicant": f["application"]["applicant"], "ground": f["application"]["ground"],
        **({"conclusion": {**_ref(f["special_commission_conclusion"]),
                           "amount": f["special_commission_conclusion"].get("amount")}}
           if "special_commission_conclusion" in f else {})},
    "refusal_notice": lambda f: {**_application_facts(f), **_decision_facts(f)},
    "grant_notice": lambda f: {
        **_application_facts(f), **_decision_facts(f),
        **{key: f["decision"][key] for key in ("amount", "periodicity", "form")},
        **({"bank_account": f["application"]["bank_account"]} if f["application"].get("bank_account") else {})},
    "termination_notice": _decision_facts,
}


def known_fields(doc_type: str, root: FieldSpec, facts: Facts) -> dict[str, Json]:
    """What the case knows of `doc_type`, limited to the fields its definition declares."""
    build = KNOWN.get(doc_type)
    return fit(build(facts), root) if build else {}


def fit(value: Json, spec: FieldSpec) -> Json:
    """`value` with only the keys `spec` declares (recursively); absent values left out."""
    if isinstance(value, dict) and spec.fields is not None:
        return {k: fit(v, spec.fields[k]) for k, v in value.items() if k in spec.fields and v is not None}
    if isinstance(value, list) and spec.item is not None:
        return [fit(item, spec.item) for item in value]
    return value


def merge(known: Json, sent: Json, path: str = "") -> tuple[Json, list[str]]:
    """The document to validate: `known`, with what was `sent` on top; and the paths where a
    sent value stands on a known one (to compare once both are validated)."""
    if isinstance(known, dict) and isinstance(sent, dict):
        merged, contested = dict(known), []
        for key, value in sent.items():
            sub = f"{path}.{key}" if path else key
            if key in known:
                merged[key], found = merge(known[key], value, sub)
                contested += found
            else:
                merged[key] = value
        return merged, contested
    if isinstance(known, list) and isinstance(sent, list) and len(known) == len(sent) \
            and all(isinstance(k, dict) and isinstance(s, dict) for k, s in zip(known, sent)):
        rows = [merge(k, s, f"{path}.{i}") for i, (k, s) in enumerate(zip(known, sent))]
        return [row for row, _ in rows], [p for _, found in rows for p in found]
    if sent is None:
        return known, []
    return sent, [path]


def pick(data: Json, path: str) -> Json:
    """The value at a dotted path (None where there is none)."""
    for key in path.split("."):
        if isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        elif isinstance(data, dict):
            data = data.get(key)
        else:
            return None
    return data


def project(value: Json, shape: Json) -> Json:
    """`value` seen through the keys `shape` has (extra keys of a row are not a contradiction)."""
    if isinstance(value, dict) and isinstance(shape, dict):
        return {k: project(value.get(k), v) for k, v in shape.items()}
    if isinstance(value, list) and isinstance(shape, list) and len(value) == len(shape):
        return [project(v, s) for v, s in zip(value, shape)]
    return value


def contradictions(known: Json, validated: Json, contested: list[str]) -> list[str]:
    """The contested paths where the validated document says something else than the case."""
    return [path for path in contested
            if project(pick(validated, path), pick(known, path)) != pick(known, path)]
