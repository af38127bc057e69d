"""What the case register answers, declared once: `api/cases.py` dumps cases and documents with
these schemas and `api/openapi.py` describes the answers from them, so the two cannot drift.

Each field reads the attribute of the same name (or its `attribute`) from the case or record,
unless the view computed the value (`Shown`). A new field is one line here; where the model has
no such attribute, the view passes the value. Every field of an answer is always in it (`null`
where `allow_none`), and the description says so.
"""
from __future__ import annotations

from typing import Any

import marshmallow as mm
from marshmallow import fields

UUID = {"format": "uuid"}
URI = {"format": "uri-reference"}
TIMESTAMP_TEXT = "ISO 8601 date and time in UTC (the `+00:00` may be missing on SQLite)."


class Shown:
    """A case or a record as the API shows it: its attributes, and values the view computed."""

    def __init__(self, source: object, **values: Any) -> None:
        self.source, self.values = source, values


class Output(mm.Schema):
    """An answer's schema: reads a `Shown`'s computed values first, then its source's attributes."""

    class Meta:
        unknown = mm.EXCLUDE    # described without `additionalProperties: false`: v1 may add fields

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        """The computed value named `attr`, else the attribute (a plain dict or object as usual)."""
        if isinstance(obj, Shown):
            if attr in obj.values:
                return obj.values[attr]
            obj = obj.source
        return super().get_attribute(obj, attr, default)


class Timestamp(fields.DateTime):
    """A moment, ISO 8601; described as a plain string (SQLite keeps no offset, so not `date-time`)."""


class StepMap(fields.Dict):
    """Values by step name; described as the component `component` with one property per step of
    the procedure (`steps`: "all", or "with_deadline" for the steps that have one)."""

    def __init__(self, values: fields.Field[Any], component: str, steps: str, **kwargs: Any) -> None:
        super().__init__(keys=fields.String(), values=values, **kwargs)
        self.component, self.steps = component, steps


class ProblemErrorSchema(Output):
    """One finding about the input."""

    field = fields.String(metadata={"description": "Dotted path into the input, list indices as numbers "
                                                   "(`family_members.2.iin`); `''` for the whole document; the "
                                                   "parameter's name for a query parameter."})
    code = fields.String(metadata={"description": "Stable, machine-readable: see the README's table of codes.",
                                   "examples": ["iin_invalid", "required", "case_mismatch"]})
    message = fields.String(metadata={"description": "For people, in the request's language; may be reworded."})


class DeadlineSchema(Output):
    """A step's working-day deadline."""

    due = fields.Date()
    done = fields.Date(allow_none=True)
    overdue = fields.Boolean(metadata={"description": "Done after `due`, or still open after it."})


class CaseSummarySchema(Output):
    """A case as the list shows it."""

    id = fields.String(metadata=UUID)
    registration_number = fields.String(metadata={"pattern": r"^[0-9]{4}-[0-9]{6}$", "examples": ["2026-000123"]})
    registered_on = fields.Date()
    status = fields.String(metadata={"description": "That of the last step done: {statuses}."})
    ground = fields.String(metadata={"description": "The application's ground (`ground` of an application)."})
    outcome = fields.String(allow_none=True, metadata={"description": "granted or refused"})
    next_due = fields.Date(allow_none=True)
    overdue = fields.Boolean(metadata={"description": "The earliest open deadline has passed."})


class CaseFactsSchema(Output):
    """What the case's documents established, as the case holds it (no personal data: the household
    and its incomes stay encrypted and are not shown here)."""

    settlement = fields.String(allow_none=True, metadata={"description": "saran or aktas (the applicant's)."})
    inspection_outcome = fields.String(allow_none=True, metadata={"description": "carried_out or refused (p25.2)."})
    inspected_on = fields.Date(allow_none=True, metadata={"description": "The inspection act's date."})
    inspection_refused_on = fields.Date(allow_none=True)
    district_conclusion = fields.String(allow_none=True, metadata={
        "description": "assistance_needed or assistance_not_needed."})
    district_concluded_on = fields.Date(allow_none=True)
    district_received_on = fields.Date(allow_none=True)
    special_conclusion = fields.String(allow_none=True, metadata={
        "description": "assistance_needed or assistance_not_needed."})
    special_concluded_on = fields.Date(allow_none=True)
    decided_on = fields.Date(allow_none=True)
    amount = fields.Decimal(as_string=True, allow_none=True, metadata={
        "description": "The granted amount of one payment, tenge (decimal text)."})
    periodicity = fields.String(allow_none=True, metadata={"description": "one_time, monthly, quarterly, semiannual."})
    form = fields.String(allow_none=True, metadata={"description": "cash or in_kind."})
    period_from = fields.String(allow_none=True, metadata={"pattern": r"^[0-9]{4}-[0-9]{2}$",
                                                           "description": "The first month of a periodic grant."})
    payments = fields.Integer(allow_none=True, metadata={"description": "How many payments the grant makes."})
    refusal_reasons = fields.List(fields.String(), attribute="refusal_reason_codes", metadata={
        "description": "The decision's p25 grounds (empty unless refused)."})
    notified_on = fields.Date(allow_none=True)
    termination_ground = fields.String(allow_none=True)
    circumstance_on = fields.Date(allow_none=True)
    payments_stop_from = fields.Date(allow_none=True, metadata={
        "description": "p27: the first day of the month payment stops from."})
    terminated_on = fields.Date(allow_none=True)


class CaseSchema(CaseSummarySchema):
    """A case with its facts, its deadlines and the days its steps were done."""

    facts = fields.Nested(CaseFactsSchema, metadata={
        "description": "What the case's documents established (procedure.yaml `sets:`)."})

    deadlines = StepMap(fields.Nested(DeadlineSchema), "Deadlines", "with_deadline", metadata={
        "description": "The working-day deadline of each step that has one and applies to the case."})
    steps = StepMap(fields.Date(allow_none=True), "StepDates", "all", metadata={
        "description": "The day each applicable step was done (null while open)."})


class CaseDocumentLinksSchema(Output):
    """Where a case document is downloaded and verified."""

    docx = fields.String(metadata=URI)
    pdf = fields.String(metadata=URI)
    verify = fields.String(metadata=URI)


class CaseDocumentSchema(Output):
    """A document of a case: type, id, number, date and download links."""

    id = fields.String(metadata=UUID)
    type = fields.String(attribute="doc_type", metadata={"description": "The document type."})
    number = fields.String(allow_none=True)
    date = fields.String(allow_none=True, metadata={"format": "date"})
    issued_by = fields.String(allow_none=True)
    issued_at = Timestamp(attribute="created_at", metadata={"description": TIMESTAMP_TEXT,
                                                            "examples": ["2026-11-23T09:15:02.123456+00:00"]})
    replaced_by = fields.String(allow_none=True, metadata={
        **UUID, "description": "The later document that corrected this one, if any (a document may be "
                               "issued again until the next step)."})
    links = fields.Nested(CaseDocumentLinksSchema)


class CaseEventSchema(Output):
    """One entry of a case's history."""

    at = Timestamp(metadata={"description": TIMESTAMP_TEXT, "examples": ["2026-11-23T09:15:02.123456+00:00"]})
    actor = fields.String()
    action = fields.String()
    detail = fields.Dict(metadata={"additionalProperties": True})


class CaseDetailSchema(CaseSchema):
    """A case with its documents, history and what may be done next."""

    documents = fields.List(fields.Nested(CaseDocumentSchema))
    events = fields.List(fields.Nested(CaseEventSchema))
    next = fields.String(metadata={"description": "What may be done now: document types and `steps/NAME`, "
                                                  "comma-separated (`—` for nothing)."})


class IssuedCaseDocumentSchema(CaseDocumentSchema):
    """A document just issued in a case, its warnings, and the case after it."""

    warnings = fields.List(fields.Nested(ProblemErrorSchema))
    case = fields.Nested(CaseSchema)


class CasePageSchema(Output):
    """One page of the case list."""

    items = fields.List(fields.Nested(CaseSummarySchema))
    page = fields.Integer()
    pages = fields.Integer()
    total = fields.Integer()


# The answers' components in the OpenAPI description, by name (nested ones before those using them).
COMPONENTS: dict[str, type[Output]] = {
    "ProblemError": ProblemErrorSchema, "Deadline": DeadlineSchema, "CaseSummary": CaseSummarySchema,
    "CaseFacts": CaseFactsSchema,
    "Case": CaseSchema, "CaseDocumentLinks": CaseDocumentLinksSchema, "CaseDocument": CaseDocumentSchema,
    "CaseEvent": CaseEventSchema, "CaseDetail": CaseDetailSchema, "IssuedCaseDocument": IssuedCaseDocumentSchema,
    "CasePage": CasePageSchema,
}
