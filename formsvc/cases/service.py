"""The case register: register an application, carry it through the procedure, answer for it.

Every function adds to the caller's session and never commits: one user action is one
transaction, so a request that fails leaves nothing behind. Who acts is passed in as
`actor` (a token or a signed-in person, with the role) and written to the case's event log.
"""
from __future__ import annotations

import copy
import hashlib
import hmac
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from formsvc.auth.actor import Actor
from formsvc.cases import prefill
from formsvc.cases.facts import CHECKS, CaseFacts, NoStaff, Staff, fact_value, household
from formsvc.cases.models import Case, CaseEvent, CaseSearchTerm, CaseStep
from formsvc.cases.numbers import next_sequence, registration_number
from formsvc.core.db import DbSession
from formsvc.core.errors import Conflict, InvalidInput, NotFound, Problem
from formsvc.definitions.validation import Validated
from formsvc.definitions.validators import Invalid, check_date, check_text
from formsvc.documents import records
from formsvc.documents.bundle import bundle
from formsvc.documents.records import DocumentFile, DocumentRecord
from formsvc.documents.service import Documents
from formsvc.regulation.procedure import Procedure, Step, StepState
from formsvc.regulation.roles import CASE_KEEPERS

PAGE_SIZE = 50
MAX_REASON = 500   # characters of a correction's reason
VIEWS = frozenset({"case_viewed", "document_viewed", "bundle_viewed"})   # audit only, not history


@dataclass
class Prepared:
    """A document of a case before it is sent: the case as read, the fixed fields, the start."""

    facts: CaseFacts
    known: dict[str, Any]
    start: dict[str, Any]
    lang: str


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
    languages: tuple[str, ...] = ("kk", "ru")     # a case document is issued in each
    formats: tuple[str, ...] = ("docx", "pdf")     # ... as each of these, all made at issue
    staff: Callable[[DbSession], Staff] = lambda session: NoStaff()   # kept commissions and signatories

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
            query = query.where(DocumentRecord.state.in_(records.IN_FORCE))
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
        """Register an application (p13): number it, issue its document, compute its deadlines."""
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
        data = {**validated.data, "number": number}
        made = self.documents.make("application", data, self._languages(lang), self._formats(), base_url)
        now = datetime.now(timezone.utc)
        case = Case(id=str(uuid.uuid4()), authority=self.authority, year=registered_on.year, sequence=sequence,
                    registration_number=number, registered_on=registered_on, status="new",
                    ground=validated.data["ground"], extended_review=False, outcome=None,
                    iin_digest=self.iin_digest(validated.data["applicant"]["iin"]),
                    deadline_version=self.version, created_at=now, updated_at=now)
        session.add(case)
        session.flush()
        record = self.documents.record(session, made, "application", data, actor, case.id)
        self.index_people(session, case, data)
        facts = CaseFacts(case, {"application": record}, {}, self.documents.registry.regulation, self.staff(session),
                          actor)
        self._set_facts(case, "application", facts)
        self._mark(session, case, "registration", registered_on, facts.done)
        self._log(session, case, actor, "registered", {"document_id": record.id, "number": number})
        self._log(session, case, actor, "consent_recorded", {"document_id": record.id,
                                                             "field": "consent_personal_data"})
        return case

    def _languages(self, lang: str) -> tuple[str, ...]:
        """The languages a case document is issued in, the request's first (the record's own)."""
        return (lang, *(other for other in self.languages if other != lang))

    def _formats(self) -> tuple[str, ...]:
        return tuple(f for f in self.formats if f != "pdf" or self.documents.pdf.available)

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

    def prepare(self, session: DbSession, case: Case, doc_type: str, lang: str, actor: Actor,
                facts: CaseFacts | None = None) -> Prepared:
        """What the case fills in a document of `doc_type`: fixed fields and a start for the rest."""
        doc = self.documents.registry.get(doc_type)
        facts = facts or self.read(session, case, actor)
        flow = self.procedure.flow(doc_type)
        known = prefill.filled(flow.takes, facts, doc.root)
        start = prefill.filled(flow.defaults, facts, doc.root)
        if flow.numbering and "number" in (doc.root.fields or {}):
            start.setdefault("number", flow.numbering.format(case=case.registration_number))
        return Prepared(facts, known, start, lang)

    def add_document(self, session: DbSession, case: Case, doc_type: str, payload: Any, lang: str,
                     actor: Actor, base_url: str, reason: str | None = None) -> Issued:
        """Issue the next document of the procedure, filled from what the case knows: validated
        once, checked against the case, made in every language and format, then recorded."""
        self.documents.registry.get(doc_type)
        facts = self.read(session, case, actor)   # the case, read once for the whole action
        step = self._step_for(session, case, doc_type, facts)
        if not isinstance(payload, dict):
            raise InvalidInput([Problem("", "invalid")])
        prepared = self.prepare(session, case, doc_type, lang, actor, facts)
        validated = self._validated(doc_type, prepared, payload)
        clean = records.plain(validated.data)
        known = prefill.localized(prepared.known, lang)
        problems = [Problem(path, "case_mismatch", {"known": _shown(prefill.pick(known, path))})
                    for path in prefill.contradictions(known, clean, prefill.merge(known, payload)[1])]
        problems += self._procedure_problems(prepared.facts, step, doc_type, validated.data)
        if problems:
            raise InvalidInput(problems)
        variants = self._variants(prepared, payload, validated.data)
        warnings = validated.warnings + self._one_language(doc_type, prepared, payload)
        made = self.documents.make(doc_type, validated.data, self._languages(lang), self._formats(), base_url,
                                   variants)
        # the writes: the case row first, so that a concurrent writer of this case fails here
        self._claim(session, case)
        earlier = facts.documents.get(doc_type)
        if earlier is not None:   # a correction: the earlier document stays on record, replaced
            earlier.state = records.REPLACED
            earlier.replaced_by = made.id
            session.execute(delete(CaseStep).where(CaseStep.case_id == case.id, CaseStep.step == step.name))
            facts.done.pop(step.name, None)
            session.flush()
        with one_writer():   # the database keeps one document in force per type and case
            record = self.documents.record(session, made, doc_type, validated.data, actor, case.id)
        if earlier is not None:
            self._log(session, case, actor, "document_replaced",
                      {"type": doc_type, "document_id": record.id, "replaces": earlier.id},
                      note=reason)
        facts.documents[doc_type] = record
        self._set_facts(case, doc_type, facts)
        self._log(session, case, actor, "document_issued", {"type": doc_type, "document_id": record.id})
        self._complete(session, case, step, facts)
        return Issued(record, warnings)

    def correct_application(self, session: DbSession, case: Case, payload: Any, reason: Any, lang: str,
                            actor: Actor, base_url: str) -> Issued:
        """Correct the registered application (a misspelt name, a wrong IIN) with a reason on record:
        later documents use the corrected data; those issued stay as issued. Its number, date and
        ground stay (a new ground is a new application); too late once the applicant is notified."""
        try:
            why = check_text("" if reason is None else reason, MAX_REASON, multiline=True)
        except Invalid as exc:
            raise InvalidInput([Problem("reason", exc.code, exc.params)]) from None
        if not isinstance(payload, dict):
            raise InvalidInput([Problem("application", "invalid")])
        facts = self.read(session, case, actor)
        if "p23" in facts.done:
            raise Conflict(params={"step": "application", "allowed": self.allowed_next(session, case)})
        current = facts.input("application") or {}
        fixed = {key: current.get(key) for key in ("number", "date", "ground")}
        validated = self.documents.registry.validate("application", prefill.merge(fixed, payload)[0])
        clean = records.plain(validated.data)
        mismatched = prefill.contradictions(fixed, clean, prefill.merge(fixed, payload)[1])
        if mismatched:
            raise InvalidInput([Problem(path, "case_mismatch", {"known": _shown(fixed[path])})
                                for path in mismatched])
        made = self.documents.make("application", validated.data, self._languages(lang), self._formats(), base_url)
        self._claim(session, case)
        earlier = facts.documents["application"]
        earlier.state, earlier.replaced_by = records.REPLACED, made.id
        session.flush()
        record = self.documents.record(session, made, "application", validated.data, actor, case.id)
        case.iin_digest = self.iin_digest(validated.data["applicant"]["iin"])
        facts.documents["application"] = record
        self._set_facts(case, "application", facts)
        self._log(session, case, actor, "application_corrected", {"document_id": record.id, "replaces": earlier.id},
                  note=why)
        self.index_people(session, case, validated.data)
        return Issued(record, validated.warnings)

    def _validated(self, doc_type: str, prepared: Prepared, payload: dict[str, Any]) -> Validated:
        """The document validated once: the case's figures, its defaults, what was sent on top
        (a default the document does not take, such as terms on a refusal, is left out)."""
        registry = self.documents.registry
        start = {k: v for k, v in prepared.start.items() if not (k in payload and payload[k] is None)}  # cleared
        base = prefill.merge(prefill.localized(start, prepared.lang),
                             prefill.localized(prepared.known, prepared.lang))[0]
        merged = prefill.merge(base, payload)[0]
        try:
            return registry.validate(doc_type, merged)
        except InvalidInput as exc:
            start = prefill.localized(prepared.start, prepared.lang)
            unwanted = {p.field for p in exc.problems if p.code == "not_applicable" and p.field in start
                        and _as_offered(payload.get(p.field), start[p.field])}
            if not unwanted:
                raise
        merged = {k: v for k, v in merged.items() if k not in unwanted}
        return registry.validate(doc_type, merged)

    def _variants(self, prepared: Prepared, payload: dict[str, Any],
                  data: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """Each language's own data where the case keeps a text per language (a position) and the
        sender did not type one."""
        texts = {**prepared.start, **prepared.known}
        paths = [p for p in prefill.per_language(texts)   # untouched: sent as offered, or not sent
                 if prefill.pick(payload, p) in (None, prefill.pick(texts, p)[prepared.lang])]
        variants = {}
        for lang in self.languages:
            variant = copy.deepcopy(data)
            for path in paths:
                *parents, last = path.split(".")
                target = prefill.pick(variant, ".".join(parents)) if parents else variant
                if isinstance(target, dict) and last in target:
                    target[last] = prefill.pick(texts, path)[lang]
            variants[lang] = variant
        return variants

    def _one_language(self, doc_type: str, prepared: Prepared, payload: dict[str, Any]) -> list[Problem]:
        """Warnings for free texts typed once that print as typed in every language of the document."""
        if len(self.languages) < 2:
            return []
        kept = prefill.per_language({**prepared.start, **prepared.known})
        return [Problem(path, "printed_as_typed", {"languages": ", ".join(self.languages)}, warning=True)
                for path in self.procedure.flow(doc_type).per_language
                if prefill.pick(payload, path) and (path not in kept or not _as_offered(
                    prefill.pick(payload, path), prefill.pick(prepared.start, path)[prepared.lang]))]

    def _claim(self, session: DbSession, case: Case) -> None:
        """Write the case row first: of two writers of one case, the second fails (409) before writing."""
        case.updated_at = datetime.now(timezone.utc)
        with one_writer():
            session.flush()

    def mark_step(self, session: DbSession, case: Case, step_name: str, payload: Any, actor: Actor) -> None:
        """Record a step that produces no document (p16, p20) as done on a date."""
        step = self.procedure.by_name.get(step_name)
        if step is None or step.documents:
            raise NotFound(f"no step {step_name!r} without a document"
                           f" (those are {', '.join(s.name for s in self.procedure.steps if not s.documents)})")
        done = self.done(session, case)
        self._require_open(case, step, done, session)
        if not isinstance(payload, dict) or set(payload) - {"date"}:
            raise InvalidInput([Problem("", "invalid")])
        today = self.documents.registry.today()
        try:
            day = check_date(payload.get("date", today.isoformat()), today, not_future=True)
        except Invalid as exc:
            raise InvalidInput([Problem("date", exc.code, exc.params)]) from None
        previous = self._previous_done(done, step)
        if previous and day < previous:
            raise InvalidInput([Problem("date", "before_previous_step", {"previous": previous.isoformat()})])
        self._claim(session, case)
        if step.name == "p20":   # p20: the per-capita income computed, and kept with its figures
            facts = self.read(session, case)
            facts.done["p20"] = day
            case.household = household(facts)
        self._mark(session, case, step.name, day, dict(done))
        self._log(session, case, actor, "step_done", {"step": step.name, "date": day.isoformat()})

    def read(self, session: DbSession, case: Case, actor: Actor | None = None) -> CaseFacts:
        """The case as one action reads it: its documents in force and its steps, read once."""
        return CaseFacts(case, {r.doc_type: r for r in self.documents_of(session, case)}, self.done(session, case),
                         self.documents.registry.regulation, self.staff(session), actor)

    def _set_facts(self, case: Case, doc_type: str, facts: CaseFacts) -> None:
        """Set on the case what the issued document (in `facts`) establishes (procedure.yaml `sets:`)."""
        for column, src in self.procedure.flow(doc_type).sets.items():
            setattr(case, column, fact_value(column, facts.resolve(src)))

    # --- files

    def file(self, session: DbSession, case: Case, doc_id: str, lang: str, fmt: str, actor: Actor,
             base_url: str, log: bool = True) -> DocumentFile:
        """A case document in `lang` and `fmt`, exactly as made when it was issued."""
        record = session.get(DocumentRecord, doc_id) if _is_uuid(doc_id) else None
        if record is None or record.case_id != case.id:
            raise NotFound(code="document_not_found")
        stored = records.stored_file(session, doc_id, lang, fmt)
        if stored is None:
            raise NotFound(code="rendition_not_issued", params={"language": lang, "format": fmt})
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

    def _step_for(self, session: DbSession, case: Case, doc_type: str, facts: CaseFacts) -> Step:
        step = self.procedure.step_of(doc_type)
        if step is None or step.name == "registration":
            raise Conflict(params={"step": doc_type, "allowed": self.allowed_next(session, case)})
        done = facts.done
        if not (doc_type in facts.documents and self._correctable(step, done)):   # a correction, else the next step
            self._require_open(case, step, done, session)
        if doc_type not in step.documents_for(case.outcome):
            raise Conflict(params={"step": doc_type, "allowed": self.allowed_next(session, case)})
        return step

    def correctable(self, session: DbSession, case: Case, step: Step) -> bool:
        """A step's documents may be issued again (corrected) until a later step is done."""
        return self._correctable(step, self.done(session, case))

    def _correctable(self, step: Step, done: Mapping[str, date]) -> bool:
        later = self.procedure.steps[self.procedure.steps.index(step) + 1:]
        return step.name != "registration" and not any(s.name in done for s in later)

    def _require_open(self, case: Case, step: Step, done: Mapping[str, date],
                      session: DbSession | None = None) -> None:
        if step not in self.procedure.next_steps(done, case.outcome):
            allowed = self.allowed_next(session, case) if session is not None else "—"
            raise Conflict(params={"step": step.name, "allowed": allowed})

    def allowed_next(self, session: DbSession, case: Case) -> str:
        """What the case may do now: document types, or `steps/NAME` for a step without one."""
        done = self.done(session, case)
        issued = {r.doc_type for r in self.documents_of(session, case)}
        names = []
        for step in self.procedure.next_steps(done, case.outcome):
            names += [t for t in step.documents_for(case.outcome) if t not in issued] or \
                ([] if step.documents else [f"steps/{step.name}"])
        return ", ".join(names) or "—"

    def _previous_done(self, done: Mapping[str, date], step: Step) -> date | None:
        earlier = self.procedure.steps[:self.procedure.steps.index(step)]
        days = [done[s.name] for s in earlier if s.name in done]
        return max(days) if days else None

    def _procedure_problems(self, facts: CaseFacts, step: Step, doc_type: str,
                            data: Mapping[str, Any]) -> list[Problem]:
        found = []
        previous = self._previous_done(facts.done, step)
        if previous and data.get("date") and data["date"] < previous:
            found.append(Problem("date", "before_previous_step", {"previous": previous.isoformat()}))
        for name in self.procedure.flow(doc_type).checks:
            found += [p for p in CHECKS[name](data, facts) if p.field not in {f.field for f in found}]
        return found

    def _complete(self, session: DbSession, case: Case, step: Step, facts: CaseFacts) -> None:
        """Mark `step` done once every document it needs is issued (on the latest one's date)."""
        issued = facts.documents
        needed = step.documents_for(case.outcome)
        if all(t in issued for t in needed):
            day = max(date.fromisoformat(issued[t].input["date"]) for t in needed)
            self._mark(session, case, step.name, day, facts.done)
        else:
            self.refresh(session, case, facts.done)

    def _mark(self, session: DbSession, case: Case, step: str, day: date, done: dict[str, date]) -> None:
        session.add(CaseStep(case_id=case.id, step=step, done_on=day))
        done[step] = day
        self.refresh(session, case, done)

    def refresh(self, session: DbSession, case: Case, done: Mapping[str, date] | None = None) -> None:
        """Recompute the status and the earliest open deadline (after a step, or a calendar change)."""
        done = self.done(session, case) if done is None else done
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


def _as_offered(sent: Any, offered: Any) -> bool:
    """True if `sent` is what the case offered (or nothing): a form posts back what it showed."""
    if sent is None:
        return True
    if isinstance(sent, dict) and isinstance(offered, dict):
        return all(_as_offered(sent.get(k), v) for k, v in offered.items()) and \
            all(v is None for k, v in sent.items() if k not in offered)
    if isinstance(sent, list) and isinstance(offered, list):
        return len(sent) == len(offered) and all(_as_offered(s, o) for s, o in zip(sent, offered))
    return str(sent).strip() == str(offered).strip()


@contextmanager
def one_writer() -> Iterator[None]:
    """A write that lost a race for the case (its row changed, or a second act in force) is a 409."""
    try:
        yield
    except (StaleDataError, IntegrityError):
        raise Conflict(code="case_changed") from None


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
