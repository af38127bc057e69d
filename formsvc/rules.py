"""Cross-field rules of the regulation, each a small function registered under a name.

A definition lists the rules it uses by name. A rule reads the loaded input (which may
be partial when field errors were found: every rule tolerates missing parts) and yields
`Problem`s; a problem with `warning=True` is reported but does not reject the input.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from formsvc.errors import Problem
from formsvc.parameters import Parameters
from formsvc.validators import Invalid, iin_birth_date
from formsvc.workdays import WorkingCalendar


@dataclass(frozen=True)
class RuleEnv:
    """What a rule may consult besides the input: dated parameters and the calendar."""

    params: Parameters
    calendar: WorkingCalendar


Data = dict[str, Any]
Rule = Callable[[Data, RuleEnv], Iterator[Problem]]
RULES: dict[str, Rule] = {}

# p8/p13: grounds whose assistance depends on income (income information required).
INCOME_DEPENDENT_GROUNDS = frozenset({"statutory", "socially_significant_disease"})
# p10: grounds with a three-month application window after the event.
P10_GROUNDS = frozenset({"natural_disaster", "fire", "release_from_prison"})


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register a rule under `name`, the name definitions use."""
    def register(fn: Rule) -> Rule:
        RULES[name] = fn
        return fn
    return register


def _members(data: Data) -> list[tuple[int, Data]]:
    return [(i, m) for i, m in enumerate(data.get("family_members") or []) if isinstance(m, dict)]


def _dig(data: Data, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)  # type: ignore[assignment]
    return data


@rule("unique_iins")
def unique_iins(data: Data, env: RuleEnv) -> Iterator[Problem]:
    """No IIN twice in one application, the applicant's included."""
    seen = {_dig(data, "applicant", "iin")} - {None}
    for i, member in _members(data):
        iin = member.get("iin")
        if iin is None:
            continue
        if iin in seen:
            yield Problem(f"family_members.{i}.iin", "iin_duplicate")
        seen.add(iin)


@rule("birth_date_matches_iin")
def birth_date_matches_iin(data: Data, env: RuleEnv) -> Iterator[Problem]:
    """A family member's birth date, when given, is the one encoded in the IIN."""
    for i, member in _members(data):
        iin, born = member.get("iin"), member.get("birth_date")
        if iin and born:
            try:
                if iin_birth_date(iin) != born:
                    yield Problem(f"family_members.{i}.birth_date", "birth_date_mismatch")
            except Invalid:  # the IIN itself is reported by its field check
                pass


@rule("p10_window")
def p10_window(data: Data, env: RuleEnv) -> Iterator[Problem]:
    """p10: for disaster, fire and release, the event date is required and the
    application is made within the window (three calendar months) after it."""
    event, applied = data.get("event_date"), data.get("date")
    if data.get("ground") not in P10_GROUNDS:
        return
    if event is None:
        if "event_date" in data:  # absent, not merely invalid
            yield Problem("event_date", "required", explain="event_date_required")
        return
    if applied is None:
        return
    if event > applied:
        yield Problem("event_date", "event_after_application")
        return
    months = env.params.whole("p10_window_months", applied)
    last_day = event + relativedelta(months=months)
    if applied > last_day:
        yield Problem("event_date", "p10_window_expired",
                      {"months": months, "last_day": last_day.isoformat()})


@rule("p13_documents")
def p13_documents(data: Data, env: RuleEnv) -> Iterator[Problem]:
    """p13: identity document and proof of the situation always; income information
    only for income-dependent grounds."""
    attachments = data.get("attachments")
    if not isinstance(attachments, dict):
        return
    needed = ["identity_document", "situation_proof"]
    if data.get("ground") in INCOME_DEPENDENT_GROUNDS:
        needed.append("income_information")
    for key in needed:
        if key in attachments and attachments[key] is not True:
            yield Problem(f"attachments.{key}", "p13_document_missing")


@rule("p13_incomes")
def p13_incomes(data: Data, env: RuleEnv) -> Iterator[Problem]:
    """p13: income-dependent grounds need the incomes, or an explicit `no_income`."""
    incomes, no_income = data.get("incomes"), data.get("no_income")
    if incomes and no_income:
        yield Problem("no_income", "no_income_conflict")
    elif data.get("ground") in INCOME_DEPENDENT_GROUNDS and incomes == [] and not no_income:
        yield Problem("incomes", "required", explain="incomes_required")


@rule("incomes_of_family")
def incomes_of_family(data: Data, env: RuleEnv) -> Iterator[Problem]:
    """Every income row belongs to the applicant or a listed family member."""
    known = {_dig(data, "applicant", "iin")} | {m.get("iin") for _, m in _members(data)}
    for i, income in enumerate(data.get("incomes") or []):
        iin = income.get("iin") if isinstance(income, dict) else None
        if iin is not None and iin not in known:
            yield Problem(f"incomes.{i}.iin", "income_person_unknown")


@rule("consent")
def consent(data: Data, env: RuleEnv) -> Iterator[Problem]:
    """Consent to the processing of personal data must be given."""
    if data.get("consent_personal_data") is False:
        yield Problem("consent_personal_data", "consent_required")
