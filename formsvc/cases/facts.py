"""What a case knows, and the named rules that read it.

`procedure.yaml` says, for each document type, which fields it takes from the case, which it
only starts from, which case facts it sets and which rules make it agree with the case. The
names it uses are registered here: fact sources (`@source`), the case's fact columns
(`FACT_COLUMNS`) and cross-document checks (`@check`). Each check yields `Problem`s on the
field at fault, with a stable code.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from formsvc.auth.actor import Actor
from formsvc.cases.models import Case
from formsvc.core.errors import Problem
from formsvc.core.naming import registrar
from formsvc.definitions.validators import Invalid, iin_birth_date
from formsvc.documents.records import DocumentRecord
from formsvc.regulation import Regulation, limits
from formsvc.regulation.limits import INCOME_DEPENDENT_GROUNDS, MONEY_STEP, p8_threshold, per_capita_income
from formsvc.regulation.procedure import Source, Vocabulary

Json = Any
Data = Mapping[str, Any]


class Staff(Protocol):
    """Who acts for the authority: the commissions' compositions and the signatories' names."""

    def commission(self, kind: str, settlement: str | None) -> dict[str, Any] | None:
        """The active commission of `kind` (`district`, `special`) as {"chair", "members"}."""

    def signatory(self, actor: Actor) -> dict[str, Any] | None:
        """A signed-in person's signatory: {"full_name", "position": {"kk", "ru"}}."""


class NoStaff:
    """No compositions or signatories kept: every document asks for them."""

    def commission(self, kind: str, settlement: str | None) -> dict[str, Any] | None:
        """None: nothing kept."""
        return None

    def signatory(self, actor: Actor) -> dict[str, Any] | None:
        """None: nothing kept."""
        return None


@dataclass
class CaseFacts:
    """A case as one action reads it: the case row, its documents in force, who acts."""

    case: Case
    documents: dict[str, DocumentRecord]          # in force, by type
    done: dict[str, date]                         # step -> the day it was done
    regulation: Regulation
    staff: Staff = field(default_factory=NoStaff)
    actor: Actor | None = None

    def input(self, doc_type: str) -> dict[str, Json] | None:
        """The recorded input of the document of `doc_type` in force, if any."""
        record = self.documents.get(doc_type)
        return record.input if record is not None else None

    def resolve(self, source: Source) -> Json:
        """The value a source names (None where the case does not know it yet)."""
        if source.rule is not None:
            return SOURCES[source.rule](self)
        doc = self.input(source.document or "")
        if doc is None:
            return None
        if source.path == "@ref":
            return {"number": doc.get("number"), "date": doc.get("date")}
        return pick(doc, source.path)


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


# --- named sources of facts

SOURCES: dict[str, Callable[[CaseFacts], Json]] = {}


source = registrar(SOURCES)   # @source("name"): a fact source `procedure.yaml` names


@source("registration")
def registration(f: CaseFacts) -> Json:
    """The application's number and date, and the day it was registered."""
    app = f.input("application") or {}
    return {"number": app.get("number"), "date": app.get("date"), "registered_on": f.case.registered_on.isoformat()}


@source("family_members")
def family_members(f: CaseFacts) -> Json:
    """The family as the application lists it, each birth date taken from the IIN where not given."""
    members = []
    for member in (f.input("application") or {}).get("family_members") or []:
        member = dict(member)
        if not member.get("birth_date"):
            try:
                member["birth_date"] = iin_birth_date(member["iin"]).isoformat()
            except (Invalid, KeyError):
                pass
        members.append(member)
    return members


def _full_name(person: Data) -> str:
    return " ".join(p for p in (person.get("last_name"), person.get("first_name"), person.get("middle_name")) if p)


@source("declared_incomes")
def declared_incomes(f: CaseFacts) -> Json:
    """The incomes the application declared, as the inspection act lists them (by name)."""
    app = f.input("application") or {}
    names = {p.get("iin"): _full_name(p) for p in [app.get("applicant") or {}, *(app.get("family_members") or [])]}
    return [{"member_name": names.get(row.get("iin")) or "", "kind": row.get("kind"),
             "amount_quarter": row.get("amount_quarter")} for row in app.get("incomes") or []] or None


@source("household_size")
def household_size(f: CaseFacts) -> Json:
    """p2.6, p20: the household as the case knows it (income-dependent grounds only)."""
    return (f.case.household or {}).get("size") if f.case.ground in INCOME_DEPENDENT_GROUNDS else None


@source("household_income_quarter")
def household_income_quarter(f: CaseFacts) -> Json:
    """p20: the household's income of the quarter as the case knows it (income-dependent grounds only)."""
    return (f.case.household or {}).get("income_quarter") if f.case.ground in INCOME_DEPENDENT_GROUNDS else None


@source("conclusion_ref")
def conclusion_ref(f: CaseFacts) -> Json:
    """The special commission's conclusion a decision rests on: number, date and amount."""
    doc = f.input("special_commission_conclusion")
    if doc is None:
        return None
    return {"number": doc.get("number"), "date": doc.get("date"), "amount": doc.get("amount")}


@source("decided_reasons")
def decided_reasons(f: CaseFacts) -> Json:
    """The decision's p25 grounds, as the rows of a refusal notice (their details still to write)."""
    return [{"code": code} for code in (f.input("decision") or {}).get("refusal_reasons") or []] or None


@source("settlement")
def settlement(f: CaseFacts) -> Json:
    """Where the applicant lives (the district commission of that place inspects)."""
    return f.case.settlement


@source("district_commission")
def district_commission(f: CaseFacts) -> Json:
    """The commission that inspected (as its act names it), else the district commission of the
    applicant's settlement as the administrator keeps it."""
    inspected = pick(f.input("inspection_act") or {}, "commission")
    return inspected or _composition(f.staff.commission("district", f.case.settlement))


@source("special_commission")
def special_commission(f: CaseFacts) -> Json:
    """The special commission, as the administrator keeps it."""
    return _composition(f.staff.commission("special", None))


def _composition(found: dict[str, Any] | None) -> Json:
    return {"chair": found["chair"], "members": list(found["members"])} if found else None


@source("signatory")
def signatory(f: CaseFacts) -> Json:
    """The signed-in person's name and position (the position in each language)."""
    found = f.staff.signatory(f.actor) if f.actor is not None else None
    return {"full_name": found["full_name"], "position": dict(found["position"])} if found else None


# --- the facts a document sets on the case

FACT_COLUMNS = frozenset({
    "settlement", "inspection_outcome", "inspected_on", "inspection_refused_on", "district_conclusion",
    "district_concluded_on", "district_received_on", "special_conclusion", "special_concluded_on", "amount",
    "periodicity", "form", "period_from", "payments", "decided_on", "refusal_reasons", "notified_on",
    "termination_ground", "circumstance_on", "payments_stop_from", "terminated_on", "household", "outcome",
    "extended_review"})


def _household(members: list[Any], incomes: list[Any], source_type: str) -> dict[str, Any]:
    total = sum((Decimal(str(row.get("amount_quarter") or 0)) for row in incomes if isinstance(row, dict)),
                Decimal("0.00"))
    return {"size": 1 + len(members), "income_quarter": str(total.quantize(MONEY_STEP)), "source": source_type}


@source("household")
def household(f: CaseFacts) -> Json:
    """p2.6, p20: the household and its quarter's income as the inspection established them, else as
    the application declares them (the applicant and family, their incomes)."""
    act = f.input("inspection_act") or {}
    if act and not act.get("inspection_refused"):
        found = _household(act.get("family_members") or [], act.get("incomes") or [], "inspection_act")
    else:
        app = f.input("application") or {}
        found = _household(app.get("family_members") or [], app.get("incomes") or [], "application")
    if "p20" in f.done:   # computed at p20: computed again from what is now known
        return {**found, "computed": income_figures(f, f.done["p20"], found)}
    return found


@source("inspection_outcome")
def inspection_outcome(f: CaseFacts) -> Json:
    """Whether the inspection was carried out or refused (p25.2 rests on a refusal)."""
    act = f.input("inspection_act")
    if act is None:
        return None
    return "refused" if act.get("inspection_refused") else "carried_out"


@source("refusal_reasons")
def refusal_reasons(f: CaseFacts) -> Json:
    """The decision's p25 grounds, comma-separated."""
    return ",".join((f.input("decision") or {}).get("refusal_reasons") or []) or None


@source("period_from")
def period_from(f: CaseFacts) -> Json:
    """The first month of a periodic grant (of the decision, else of the special conclusion)."""
    return pick(f.input("decision") or f.input("special_commission_conclusion") or {}, "period.from")


@source("payments")
def payments(f: CaseFacts) -> Json:
    """The number of payments of a grant (one for a one-time grant)."""
    doc = f.input("decision") or f.input("special_commission_conclusion") or {}
    if not doc.get("amount"):
        return None
    return pick(doc, "period.payments") or 1


@source("payments_stop_from")
def payments_stop_from(f: CaseFacts) -> Json:
    """p27: payment stops from the first day of the month the circumstance arose."""
    happened = pick(f.input("termination_notice") or {}, "circumstance_date")
    return date.fromisoformat(happened).replace(day=1).isoformat() if happened else None


def fact_value(column: str, value: Json) -> Any:
    """A JSON value as the case's column keeps it."""
    if column == "extended_review":
        return bool(value)
    if value is None or column == "household":
        return value
    if column.endswith("_on") or column == "payments_stop_from":
        return date.fromisoformat(value) if isinstance(value, str) else value
    if column == "amount":
        return Decimal(str(value))
    return value


# --- cross-document checks

Check = Callable[[Data, CaseFacts], Iterator[Problem]]
CHECKS: dict[str, Check] = {}


check = registrar(CHECKS)     # @check("name"): a cross-document rule `procedure.yaml` names


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    return date.fromisoformat(value) if isinstance(value, str) else None


@check("not_before_registration")
def not_before_registration(data: Data, f: CaseFacts) -> Iterator[Problem]:
    """Nothing in a case is dated before the application was registered."""
    for path in ("date", "received_on", "refusal_recorded_on"):
        day = _day(pick(data, path))
        if day is not None and day < f.case.registered_on:
            yield Problem(path, "before_registration_date", {"date": f.case.registered_on.isoformat()})


@check("after_inspection")
def after_inspection(data: Data, f: CaseFacts) -> Iterator[Problem]:
    """p17: the district commission concludes on the inspection it carried out, not before it."""
    inspected = f.case.inspected_on
    day = _day(data.get("date"))
    if inspected and day and day < inspected:
        yield Problem("date", "before_inspection", {"date": inspected.isoformat()})


@check("received_after_conclusion")
def received_after_conclusion(data: Data, f: CaseFacts) -> Iterator[Problem]:
    """p17: the authorized body receives the conclusion once it is made."""
    made, received = _day(data.get("date")), _day(data.get("received_on"))
    if made and received and received < made:
        yield Problem("received_on", "received_before_conclusion", {"date": made.isoformat()})


@check("refusal_within_inspection")
def refusal_within_inspection(data: Data, f: CaseFacts) -> Iterator[Problem]:
    """p25.2: a refusal of the inspection is recorded no later than the act that records it."""
    recorded, day = _day(data.get("refusal_recorded_on")), _day(data.get("date"))
    if recorded and day and recorded > day:
        yield Problem("refusal_recorded_on", "after_document_date")


@check("refused_inspection_no_need")
def refused_inspection_no_need(data: Data, f: CaseFacts) -> Iterator[Problem]:
    """p17, p25.2: a commission that could not inspect cannot find the need established."""
    if f.case.inspection_outcome == "refused" and data.get("conclusion") == "assistance_needed":
        yield Problem("conclusion", "need_without_inspection")


@check("grant_on_positive_conclusion")
def grant_on_positive_conclusion(data: Data, f: CaseFacts) -> Iterator[Problem]:
    """p21, p22: assistance is granted only on the special commission's positive conclusion,
    within its amount and its total."""
    if data.get("outcome") != "granted":
        return
    if f.case.special_conclusion != "assistance_needed":
        yield Problem("outcome", "grant_without_positive_conclusion")
        return
    concluded = f.input("special_commission_conclusion") or {}
    amount, limit = data.get("amount"), concluded.get("amount")
    if amount is None or limit is None:
        return
    if amount > Decimal(str(limit)):
        yield Problem("amount", "amount_above_conclusion", {"limit": str(limit)})
    elif grant_total(data) > grant_total(concluded):
        yield Problem("period.payments", "total_above_conclusion", {"limit": str(grant_total(concluded))})


def grant_total(data: Data) -> Decimal:
    """The total of a grant: the amount times its payments (one for a one-time grant)."""
    payments = pick(data, "period.payments")
    return limits.grant_total(Decimal(str(data.get("amount") or 0)), data.get("periodicity"),
                              int(payments) if payments else None)


@check("refusal_grounds_founded")
def refusal_grounds_founded(data: Data, f: CaseFacts) -> Iterator[Problem]:
    """p25: p25.2 only on a refused or evaded inspection; p25.3 only where assistance depends on
    income and the per-capita income computed at p20 exceeds the p8 threshold."""
    for i, reason in enumerate(data.get("refusal_reasons") or []):
        if reason == "p25_2_inspection_refused" and f.case.inspection_outcome != "refused":
            yield Problem(f"refusal_reasons.{i}", "p25_2_inspection_not_refused")
        elif reason == "p25_3_income_above_threshold":
            yield from _p25_3(f, f"refusal_reasons.{i}")


def _p25_3(f: CaseFacts, path: str) -> Iterator[Problem]:
    if f.case.ground not in INCOME_DEPENDENT_GROUNDS:
        yield Problem(path, "p25_3_not_income_dependent")
        return
    figures = income_figures(f)
    if figures is None or figures["threshold"] is None:
        yield Problem(path, "p25_3_no_threshold")
    elif Decimal(str(figures["per_capita"])) <= Decimal(figures["threshold"]):
        yield Problem(path, "p25_3_income_not_above_threshold",
                      {"income": figures["per_capita"], "threshold": figures["threshold"]})


def income_figures(f: CaseFacts, day: date | None = None,
                   household: Mapping[str, Any] | None = None) -> dict[str, str | None] | None:
    """p20: the household's per-capita income and the p8 threshold, with what they are computed from."""
    household = household if household is not None else (f.case.household or {})
    if not household.get("size"):
        return None
    income, size = Decimal(household["income_quarter"]), int(household["size"])
    on = day or f.done.get("p20") or f.case.registered_on
    try:
        threshold = p8_threshold(f.case.ground, on, f.regulation.params)
    except LookupError:
        threshold = None
    return {"income_quarter": str(income), "size": str(size), "per_capita": str(per_capita_income(income, size)),
            "threshold": None if threshold is None else str(threshold), "on": on.isoformat()}


@check("notice_reasons_as_decided")
def notice_reasons_as_decided(data: Data, f: CaseFacts) -> Iterator[Problem]:
    """p23, p25: the refusal notice cites exactly the grounds of the decision."""
    wanted = set((f.input("decision") or {}).get("refusal_reasons") or [])
    given = {r.get("code") for r in data.get("reasons") or [] if isinstance(r, dict)}
    if given != wanted:
        yield Problem("reasons", "refusal_reasons_differ", {"known": ", ".join(sorted(wanted))})


@check("circumstance_in_grant")
def circumstance_in_grant(data: Data, f: CaseFacts) -> Iterator[Problem]:
    """p27: what ends the assistance happened by the notice's date and within the grant's period."""
    happened, day = _day(data.get("circumstance_date")), _day(data.get("date"))
    if happened is None:
        return
    if day and happened > day:
        yield Problem("circumstance_date", "circumstance_after_notice", {"date": day.isoformat()})
        return
    last = last_month(f.case.period_from, f.case.periodicity, f.case.payments)
    if last is not None and (happened.year, happened.month) > last:
        yield Problem("circumstance_date", "circumstance_after_period",
                      {"month": f"{last[0]:04d}-{last[1]:02d}"})


def last_month(first: str | None, periodicity: str | None, count: int | None) -> tuple[int, int] | None:
    """The month of a periodic grant's last payment, as (year, month)."""
    if not first or periodicity not in limits.PERIOD_MONTHS or not count:
        return None
    year, month = (int(part) for part in first.split("-"))
    index = year * 12 + month - 1 + limits.PERIOD_MONTHS[periodicity] * (count - 1)
    return index // 12, index % 12 + 1


def vocabulary() -> Vocabulary:
    """The names `procedure.yaml` may use."""
    return Vocabulary(sources=frozenset(SOURCES), checks=frozenset(CHECKS), facts=FACT_COLUMNS)
