"""The case register: register an application, carry it through the procedure, answer for it.

Every function adds to the caller's session and never commits: one user action is one
transaction, so a request that fails leaves nothing behind. Who acts is passed in as
`actor` (a token or a signed-in person, with the role) and written to the case's event log.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Select, delete, func, select

from formsvc.auth.actor import Actor
from formsvc.cases import prefill
from formsvc.cases.models import Case, CaseEvent, CaseSearchTerm, CaseStep
from formsvc.cases.numbers import next_sequence, registration_number
from formsvc.core.db import DbSession
from formsvc.core.errors import BadRequest, Conflict, InvalidInput, NotFound, Problem
from formsvc.definitions.validators import Invalid, check_date
from formsvc.documents import records
from formsvc.documents.bundle import bundle
from formsvc.documents.records import DocumentFile, DocumentRecord
from formsvc.documents.service import Documents
from formsvc.regulation.procedure import Procedure, Step, StepState
from formsvc.regulation.roles import CASE_KEEPERS

PAGE_SIZE = 50
VIEWS = frozenset({"case_viewed", "document_viewed", "bundle_viewed"})   # audit only, not history


@dataclass
class Issued:
    """A document issued in a case: its record and any warnings (a late decision)."""

    record: DocumentRecord
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class WorkItem:
    """A step a case waits for, with its due date (for a body's list of what is due)."""

    case: Case
    step: Step
    due: date | None
    documents: tuple[str, ...]   # the documents to issue; empty: a step the clerk records


@dataclass
class CaseFilters:
    """What the case list may be narrowed to."""

    status: str | None = None
    overdue: bool | None = None
    ground: str | None = None
    registered_from: date | None = None
    registered_to: date | None = None
    number: str | None = None
    iin: str | None = None
    number_part: str | None = None   # digits and hyphens found anywhere in the registration number
    name: str | None = None          # the applicant's last and/or first name


@dataclass
class Register:
    """The case register over the document service and the procedure."""

    documents: Documents
    procedure: Procedure
    authority: str
    version: str   # of the calendar and parameters the stored deadlines were computed with
    search_key: bytes = b""   # keys the IIN digest that lets a clerk find a case by IIN

    def iin_digest(self, iin: str) -> str:
        """A keyed hash of an IIN: searchable, without keeping the IIN itself in the cases table."""
        return hmac.new(self.search_key, iin.strip().encode("ascii", "replace"), hashlib.sha256).hexdigest()

    def name_digest(self, name: str) -> str:
        """A keyed hash of one name, normalised (casefolded, ё as е), prefixed apart from IINs."""
        return hmac.new(self.search_key, b"name:" + normal_name(name).encode("utf-8"), hashlib.sha256).hexdigest()

    def index_people(self, session: DbSession, case: Case, application: Mapping[str, Any]) -> None:
        """(Re)write the case's encrypted applicant name and the keyed search terms from an application."""
        applicant = application.get("applicant") or {}
        case.applicant_name = " ".join(str(applicant.get(k) or "").strip()
                                       for k in ("last_name", "first_name", "middle_name")).strip() or None
        people = [applicant, *(application.get("family_members") or [])]
        digests = {self.iin_digest(str(p["iin"])) for p in people if p.get("iin")}
        digests |= {self.name_digest(str(applicant[k])) for k in ("last_name", "first_name") if applicant.get(k)}
        session.execute(delete(CaseSearchTerm).where(CaseSearchTerm.case_id == case.id))
        session.add_all(CaseSearchTerm(case_id=case.id, digest=d) for d in sorted(digests))
        session.flush()

    # --- reading

    def get(self, session: DbSession, case_id: str) -> Case:
        """The case, or NotFound."""
        case = session.get(Case, case_id) if _is_uuid(case_id) else None
        if case is None:
            raise NotFound(code="case_not_found")
        return case

    def documents_of(self, session: DbSession, case: Case, replaced: bool = False) -> list[DocumentRecord]:
        """The case's documents in force (with `replaced`, also the corrected ones), in the order issued."""
        query = select(DocumentRecord).where(DocumentRecord.case_id == case.id)
        if not replaced:
            query = query.where(DocumentRecord.replaced_by.is_(None))
        return list(session.scalars(query.order_by(DocumentRecord.created_at)))

    def done(self, session: DbSession, case: Case) -> dict[str, date]:
        """Step name -> the day it was done."""
        return {s.step: s.done_on for s in session.scalars(select(CaseStep).where(CaseStep.case_id == case.id))}

    def states(self, session: DbSession, case: Case, done: Mapping[str, date] | None = None) -> list[StepState]:
        """Every applicable step with its done date and deadline (`done`: the steps, if already read)."""
        return self.procedure.states(self.done(session, case) if done is None else done,
                                     self.documents.registry.regulation, case.extended_review, case.outcome)

    def events(self, session: DbSession, case: Case) -> list[CaseEvent]:
        """The case's log, oldest first."""
        return list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))

    def search(self, session: DbSession, filters: CaseFilters, page: int) -> tuple[list[Case], int]:
        """One page of cases (newest registration first) and how many match in all."""
        self.refresh_stale(session)
        query = select(Case)
        if filters.status:
            query = query.where(Case.status == filters.status)
        if filters.ground:
            query = query.where(Case.ground == filters.ground)
        if filters.registered_from:
            query = query.where(Case.registered_on >= filters.registered_from)
        if filters.registered_to:
            query = query.where(Case.registered_on <= filters.registered_to)
        if filters.number:
            query = query.where(Case.registration_number == filters.number.strip())
        query = self._search_people(query, filters)
        if filters.overdue is not None:
            today = self.documents.registry.today()
            late = Case.next_due < today
            query = query.where(late if filters.overdue else (Case.next_due.is_(None) | ~late))
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        items = session.scalars(query.order_by(Case.registered_on.desc(), Case.sequence.desc())
                                .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
        return list(items), total

    def _search_people(self, query: Select[Case], filters: CaseFilters) -> Select[Case]:
        """Narrow to a part of the number, a family member's IIN, the applicant's names (all given)."""
        if filters.number_part:
            query = query.where(Case.registration_number.contains(filters.number_part.strip(), autoescape=True))
        if filters.iin:
            digest = self.iin_digest(filters.iin)
            query = query.where((Case.iin_digest == digest) | Case.id.in_(_with_term(digest)))
        for word in (filters.name or "").split():
            query = query.where(Case.id.in_(_with_term(self.name_digest(word))))
        return query

    def history(self, session: DbSession, case: Case) -> list[CaseEvent]:
        """The case's log without the reading of it (views stay in the log and the audit export)."""
        return [e for e in self.events(session, case) if e.action not in VIEWS]

    def reindex(self, session: DbSession) -> int:
        """Rewrite every case's name and search terms from its application record; how many."""
        count = 0
        for case in session.scalars(select(Case)):
            application = next((r for r in self.documents_of(session, case) if r.doc_type == "application"), None)
            if application is not None:
                self.index_people(session, case, application.input)
                count += 1
        return count

    def worklist(self, session: DbSession, role: str) -> list[WorkItem]:
        """What each open case waits for from `role`, earliest due first."""
        items = []
        for case in session.scalars(select(Case).where(Case.next_due.is_not(None))):
            done = self.done(session, case)
            due = {s.step.name: s.deadline.due if s.deadline else None for s in self.states(session, case, done)}
            issued = {r.doc_type for r in self.documents_of(session, case)}
            for step in self.procedure.next_steps(done, case.outcome):
                todo = tuple(t for t in step.documents_for(case.outcome) if t not in issued
                             and self.documents.registry.types[t].may_issue(role))
                if todo or (not step.documents and role in CASE_KEEPERS):
                    items.append(WorkItem(case, step, due.get(step.name), todo))
        return sorted(items, key=lambda i: (i.due or date.max, i.case.registration_number))

    # --- writing

    def register(self, session: DbSession, payload: Any, lang: str, actor: Actor, base_url: str) -> Case:
        """Register an application (p13): number it, record its document, compute its deadlines."""
        if not isinstance(payload, dict):
            raise InvalidInput([Problem("", "invalid")])
        payload = dict(payload)
        registered_raw = payload.pop("registered_on", None)
        validated = self.documents.registry.validate("application", payload)   # InvalidInput first
        today = self.documents.registry.today()
        registered_on = self._registration_day(registered_raw, validated.data["date"], today)
        try:
            self.procedure.states({"registration": registered_on}, self.documents.registry.regulation, False, None)
        except LookupError:
            raise InvalidInput([Problem("registered_on", "parameters_unavailable",
                                        {"date": registered_on.isoformat()})]) from None
        sequence = next_sequence(session, self.authority, registered_on.year)
        number = registration_number(registered_on.year, sequence)
        sent_number = validated.data.get("number")
        if sent_number and sent_number != number:
            raise InvalidInput([Problem("number", "case_mismatch", {"known": number})])
        case = Case(id=str(uuid.uuid4()), authority=self.authority, year=registered_on.year, sequence=sequence,
                    registration_number=number, registered_on=registered_on, status="new",
                    ground=validated.data["ground"], extended_review=False, outcome=None,
                    iin_digest=self.iin_digest(validated.data["applicant"]["iin"]),
                    deadline_version=self.version, created_at=datetime.now(timezone.utc))
        session.add(case)
        session.flush()
        self.index_people(session, case, validated.data)
        payload["number"] = number
        made = self.documents.generate(session, "application", payload, lang, "docx", base_url,
                                       actor=actor, case_id=case.id, keep=True)
        self._mark(session, case, "registration", registered_on)
        self._log(session, case, actor, "registered", {"document_id": made.document_id, "number": number})
        self._log(session, case, actor, "consent_recorded", {"document_id": made.document_id,
                                                             "field": "consent_personal_data"})
        return case

    def _registration_day(self, raw: Any, written_on: date, today: date) -> date:
        if raw is None:
            return today
        try:
            day = check_date(raw, today, not_future=True)
        except Invalid as exc:
            raise InvalidInput([Problem("registered_on", exc.code, exc.params)]) from None
        if day < written_on:
            raise InvalidInput([Problem("registered_on", "registered_before_application",
                                        {"date": written_on.isoformat()})])
        return day

    def add_document(self, session: DbSession, case: Case, doc_type: str, payload: Any, lang: str,
                     actor: Actor, base_url: str, reason: str | None = None) -> Issued:
        """Issue the next document of the procedure, filled from what the case knows."""
        registry = self.documents.registry
        doc = registry.get(doc_type)
        step = self._step_for(session, case, doc_type)
        if not isinstance(payload, dict):
            raise InvalidInput([Problem("", "invalid")])
        facts = self.facts(session, case)
        known = prefill.known_fields(doc_type, doc.root, facts)
        merged, contested = prefill.merge(known, payload)
        validated = registry.validate(doc_type, merged)
        clean = records.plain(validated.data)
        problems = [Problem(path, "case_mismatch", {"known": _shown(prefill.pick(known, path))})
                    for path in prefill.contradictions(known, clean, contested)]
        problems += self._procedure_problems(session, case, step, doc_type, validated.data, facts)
        if problems:
            raise InvalidInput(problems)
        earlier = next((r for r in self.documents_of(session, case) if r.doc_type == doc_type), None)
        made = self.documents.generate(session, doc_type, merged, lang, "docx", base_url,
                                       actor=actor, case_id=case.id, keep=True)
        record = session.get(DocumentRecord, made.document_id)
        assert record is not None
        if earlier is not None:   # a correction: the earlier document stays on record, replaced
            earlier.replaced_by = record.id
            session.execute(delete(CaseStep).where(CaseStep.case_id == case.id, CaseStep.step == step.name))
            session.flush()
            self._log(session, case, actor, "document_replaced",
                      {"type": doc_type, "document_id": record.id, "replaces": earlier.id}, note=reason)
        if doc_type == "decision":
            case.outcome = validated.data["outcome"]
            case.extended_review = bool(validated.data.get("extended_review"))
        self._log(session, case, actor, "document_issued", {"type": doc_type, "document_id": record.id})
        self._complete(session, case, step)
        return Issued(record, made.warnings)

    def mark_step(self, session: DbSession, case: Case, step_name: str, payload: Any, actor: Actor) -> None:
        """Record a step that produces no document (p16, p20) as done on a date."""
        step = self.procedure.by_name.get(step_name)
        if step is None or step.documents:
            raise NotFound(f"no step {step_name!r} without a document"
                           f" (those are {', '.join(s.name for s in self.procedure.steps if not s.documents)})")
        self._require_open(session, case, step)
        if not isinstance(payload, dict) or set(payload) - {"date"}:
            raise InvalidInput([Problem("", "invalid")])
        today = self.documents.registry.today()
        try:
            day = check_date(payload.get("date", today.isoformat()), today, not_future=True)
        except Invalid as exc:
            raise InvalidInput([Problem("date", exc.code, exc.params)]) from None
        previous = self._previous_done(session, case, step)
        if previous and day < previous:
            raise InvalidInput([Problem("date", "before_previous_step", {"previous": previous.isoformat()})])
        self._mark(session, case, step.name, day)
        self._log(session, case, actor, "step_done", {"step": step.name, "date": day.isoformat()})

    def facts(self, session: DbSession, case: Case) -> dict[str, Any]:
        """What the case knows: each document type's recorded input, and the registration day."""
        known: dict[str, Any] = {"registered_on": case.registered_on.isoformat()}
        for record in self.documents_of(session, case):
            known[record.doc_type] = record.input
        return known

    # --- files

    def file(self, session: DbSession, case: Case, doc_id: str, lang: str, fmt: str, actor: Actor,
             base_url: str, log: bool = True) -> DocumentFile:
        """A case document in `lang` and `fmt`: kept from before, or made now (same id) and kept."""
        record = session.get(DocumentRecord, doc_id) if _is_uuid(doc_id) else None
        if record is None or record.case_id != case.id:
            raise NotFound(code="document_not_found")
        stored = records.stored_file(session, doc_id, lang, fmt)
        if stored is None:
            content, template_sha = self.documents.render(record.doc_type, record.input, lang, fmt, doc_id, base_url)
            stored = records.store_file(session, doc_id, lang, fmt, content, template_sha)
        if log:
            self._log(session, case, actor, "document_viewed", {"document_id": doc_id, "lang": lang, "format": fmt})
        return stored

    def bundle(self, session: DbSession, case: Case, lang: str, actor: Actor, base_url: str) -> bytes:
        """Every document of the case in procedure order as one PDF, a bookmark each, pages numbered."""
        title = {"kk": "Іс", "ru": "Дело"}[lang] + f" № {case.registration_number}"
        return bundle(self.bundle_parts(session, case, lang, actor, base_url), case.registration_number, title, lang)

    def bundle_parts(self, session: DbSession, case: Case, lang: str, actor: Actor,
                     base_url: str) -> list[tuple[str, bytes]]:
        """(title, PDF) of every document of the case, in procedure order."""
        order = {doc.type: i for i, step in enumerate(self.procedure.steps) for doc in step.documents}
        docs = sorted(self.documents_of(session, case), key=lambda r: (order.get(r.doc_type, 99), r.created_at))
        titles = self.documents.registry.types
        parts = [(f"{titles[r.doc_type].title[lang]} № {r.input.get('number') or ''}".strip(" №"),
                  self.file(session, case, r.id, lang, "pdf", actor, base_url, log=False).content) for r in docs]
        self._log(session, case, actor, "bundle_viewed", {"lang": lang, "documents": len(parts)})
        return parts

    # --- the procedure

    def _step_for(self, session: DbSession, case: Case, doc_type: str) -> Step:
        step = self.procedure.step_of(doc_type)
        if step is None or step.name == "registration":
            raise Conflict(params={"step": doc_type, "allowed": self.allowed_next(session, case)})
        issued = {r.doc_type for r in self.documents_of(session, case)}
        if not (doc_type in issued and self.correctable(session, case, step)):   # a correction, else the next step
            self._require_open(session, case, step)
        if doc_type not in step.documents_for(case.outcome):
            raise Conflict(params={"step": doc_type, "allowed": self.allowed_next(session, case)})
        return step

    def correctable(self, session: DbSession, case: Case, step: Step) -> bool:
        """A step's documents may be issued again (corrected) until a later step is done."""
        done = self.done(session, case)
        later = self.procedure.steps[self.procedure.steps.index(step) + 1:]
        return step.name != "registration" and not any(s.name in done for s in later)

    def _require_open(self, session: DbSession, case: Case, step: Step) -> None:
        done = self.done(session, case)
        if step not in self.procedure.next_steps(done, case.outcome):
            raise Conflict(params={"step": step.name, "allowed": self.allowed_next(session, case)})

    def allowed_next(self, session: DbSession, case: Case) -> str:
        """What the case may do now: document types, or `steps/NAME` for a step without one."""
        done = self.done(session, case)
        issued = {r.doc_type for r in self.documents_of(session, case)}
        names = []
        for step in self.procedure.next_steps(done, case.outcome):
            names += [t for t in step.documents_for(case.outcome) if t not in issued] or \
                ([] if step.documents else [f"steps/{step.name}"])
        return ", ".join(names) or "—"

    def _previous_done(self, session: DbSession, case: Case, step: Step) -> date | None:
        done = self.done(session, case)
        earlier = self.procedure.steps[:self.procedure.steps.index(step)]
        days = [done[s.name] for s in earlier if s.name in done]
        return max(days) if days else None

    def _procedure_problems(self, session: DbSession, case: Case, step: Step, doc_type: str,
                            data: Mapping[str, Any], facts: Mapping[str, Any]) -> list[Problem]:
        found = []
        previous = self._previous_done(session, case, step)
        if previous and data.get("date") and data["date"] < previous:
            found.append(Problem("date", "before_previous_step", {"previous": previous.isoformat()}))
        if doc_type == "refusal_notice":
            wanted = set(facts["decision"].get("refusal_reasons") or [])
            given = {r["code"] for r in data.get("reasons") or []}
            if given != wanted:
                found.append(Problem("reasons", "refusal_reasons_differ", {"known": ", ".join(sorted(wanted))}))
        return found

    def _complete(self, session: DbSession, case: Case, step: Step) -> None:
        """Mark `step` done once every document it needs is issued (on the latest one's date)."""
        issued = {r.doc_type: r for r in self.documents_of(session, case)}
        needed = step.documents_for(case.outcome)
        if all(t in issued for t in needed):
            day = max(date.fromisoformat(issued[t].input["date"]) for t in needed)
            self._mark(session, case, step.name, day)

    def _mark(self, session: DbSession, case: Case, step: str, day: date) -> None:
        session.add(CaseStep(case_id=case.id, step=step, done_on=day))
        session.flush()
        self.refresh(session, case)

    def refresh(self, session: DbSession, case: Case) -> None:
        """Recompute the status and the earliest open deadline (after a step, or a calendar change)."""
        done = self.done(session, case)
        case.status = self.procedure.status(done)
        open_due = [s.deadline.due for s in self.states(session, case, done) if s.done is None and s.deadline]
        case.next_due = min(open_due) if open_due else None
        case.deadline_version = self.version

    def refresh_stale(self, session: DbSession) -> int:
        """Recompute the deadlines of cases computed with another calendar or parameters."""
        stale = list(session.scalars(select(Case).where(Case.deadline_version != self.version)))
        for case in stale:
            self.refresh(session, case)
        return len(stale)

    def viewed(self, session: DbSession, case: Case, actor: Actor) -> None:
        """Log that someone opened the case's personal data."""
        self._log(session, case, actor, "case_viewed", {})

    def _log(self, session: DbSession, case: Case, actor: Actor, action: str, detail: dict[str, Any],
             note: str | None = None) -> None:
        session.add(CaseEvent(case_id=case.id, at=datetime.now(timezone.utc), actor=str(actor), action=action,
                              detail=detail, note=note))


def normal_name(name: str) -> str:
    """A name as searched: trimmed, casefolded, ё as е."""
    return name.strip().casefold().replace("ё", "е")


def _with_term(digest: str) -> Select[str]:
    return select(CaseSearchTerm.case_id).where(CaseSearchTerm.digest == digest)


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
        return True
    except ValueError:
        return False


def with_query(filters: CaseFilters, query: str) -> CaseFilters:
    """The filters narrowed by what a clerk typed: an IIN (12 digits, anyone in the family), a part of
    a registration number (digits and hyphens), else the applicant's last and/or first name."""
    query = query.strip()
    if query.isdigit() and len(query) == 12:
        filters.iin = query
    elif re.fullmatch(r"[\d-]+", query):
        filters.number_part = query
    elif query:
        filters.name = query
    return filters


def parse_filters(args: Mapping[str, str]) -> tuple[CaseFilters, int]:
    """The list's filters from query parameters, checked (BadRequest naming the parameter)."""
    def day(name: str) -> date | None:
        raw = args.get(name)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise BadRequest(f"{name}: expected YYYY-MM-DD", problems=[Problem(name, "invalid")]) from None

    overdue_raw = args.get("overdue")
    if overdue_raw not in (None, "", "true", "false"):
        raise BadRequest("overdue: true or false", problems=[Problem("overdue", "invalid")])
    page_raw = args.get("page", "1")
    if not page_raw.isdigit() or not 1 <= int(page_raw) <= 100000:
        raise BadRequest("page: a number from 1", problems=[Problem("page", "invalid")])
    return CaseFilters(status=args.get("status") or None,
                       overdue=None if overdue_raw in (None, "") else overdue_raw == "true",
                       ground=args.get("ground") or None, registered_from=day("registered_from"),
                       registered_to=day("registered_to"), number=args.get("number") or None,
                       iin=args.get("iin") or None), int(page_raw)
