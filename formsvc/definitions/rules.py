"""Cross-field rules of the regulation, each a small function registered under a name.

A definition lists the rules it uses by name. A rule reads the loaded input (which may
be partial when field errors were found: every rule tolerates missing parts) and yields
`Problem`s; a problem with `warning=True` is reported but does not reject the input.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from formsvc.core.errors import Problem
from formsvc.core.naming import registrar
from formsvc.definitions.validators import Invalid, iin_birth_date
from formsvc.regulation import Regulation
from formsvc.regulation.deadlines import decision_deadline, notice_deadline, Deadline
from formsvc.regulation.limits import (INCOME_DEPENDENT_GROUNDS, P10_GROUNDS, grant_total, p8_threshold,
                                       p9_bounds_total, p9_limit, per_capita_income)

Data = dict[str, Any]
Rule = Callable[[Data, Regulation], Iterator[Problem]]
RULES: dict[str, Rule] = {}


rule = registrar(RULES)   # @rule("name"): a rule definitions list by name


def _members(data: Data) -> list[tuple[int, Data]]:
    return [(i, m) for i, m in enumerate(data.get("family_members") or []) if isinstance(m, dict)]


def _dig(data: Data, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)  # type: ignore[assignment]
    return data


@rule("unique_iins")
def unique_iins(data: Data, env: Regulation) -> Iterator[Problem]:
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
def birth_date_matches_iin(data: Data, env: Regulation) -> Iterator[Problem]:
    """A family member's birth date, when given, is the one encoded in the IIN."""
    for i, member in _members(data):
        iin, born = member.get("iin"), member.get("birth_date")
        if iin and born:
            try:
                if iin_birth_date(iin) != born:
                    yield Problem(f"family_members.{i}.birth_date", "birth_date_mismatch")
            except Invalid:  # the IIN itself is reported by its field check
                pass


@rule("family_for_family")
def family_for_family(data: Data, env: Regulation) -> Iterator[Problem]:
    """p13: an application on behalf of the family lists at least one family member."""
    if data.get("on_behalf_of") == "family" and "family_members" in data and not data["family_members"]:
        yield Problem("family_members", "family_members_required")


@rule("p10_window")
def p10_window(data: Data, env: Regulation) -> Iterator[Problem]:
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
    try:
        months = env.params.whole("p10_window_months", applied)
    except LookupError:
        yield Problem("date", "parameters_unavailable", {"date": applied.isoformat()})
        return
    last_day = event + relativedelta(months=months)
    if applied > last_day:
        yield Problem("event_date", "p10_window_expired",
                      {"months": months, "last_day": last_day.isoformat()})


@rule("p13_documents")
def p13_documents(data: Data, env: Regulation) -> Iterator[Problem]:
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
def p13_incomes(data: Data, env: Regulation) -> Iterator[Problem]:
    """p13: income-dependent grounds need the incomes, or an explicit `no_income`."""
    incomes, no_income = data.get("incomes"), data.get("no_income")
    if incomes and no_income:
        yield Problem("no_income", "no_income_conflict")
    elif data.get("ground") in INCOME_DEPENDENT_GROUNDS and incomes == [] and not no_income:
        yield Problem("incomes", "required", explain="incomes_required")


@rule("incomes_of_family")
def incomes_of_family(data: Data, env: Regulation) -> Iterator[Problem]:
    """Every income row belongs to the applicant or a listed family member."""
    known = {_dig(data, "applicant", "iin")} | {m.get("iin") for _, m in _members(data)}
    for i, income in enumerate(data.get("incomes") or []):
        iin = income.get("iin") if isinstance(income, dict) else None
        if iin is not None and iin not in known:
            yield Problem(f"incomes.{i}.iin", "income_person_unknown")


@rule("consent")
def consent(data: Data, env: Regulation) -> Iterator[Problem]:
    """Consent to the processing of personal data must be given."""
    if data.get("consent_personal_data") is False:
        yield Problem("consent_personal_data", "consent_required")


def _duplicates(values: list[Any]) -> Iterator[int]:
    seen: set[Any] = set()
    for i, value in enumerate(values):
        if value is not None and value in seen:
            yield i
        seen.add(value)


@rule("parameters_in_force")
def parameters_in_force(data: Data, env: Regulation) -> Iterator[Problem]:
    """The document date must have regulation parameters (MCI, subsistence minimum) in force."""
    day = data.get("date")
    if day is None:
        return
    try:
        env.params.value("mci", day)
        env.params.value("subsistence_minimum", day)
    except LookupError:
        yield Problem("date", "parameters_unavailable", {"date": day.isoformat()})


def _not_later_than_document(data: Data, reference: str) -> Iterator[Problem]:
    referenced, day = _dig(data, reference, "date"), data.get("date")
    if referenced and day and referenced > day:
        yield Problem(f"{reference}.date", "after_document_date")


@rule("after_application")
def after_application(data: Data, env: Regulation) -> Iterator[Problem]:
    """A procedural document cannot predate the application it answers."""
    yield from _not_later_than_document(data, "application")


@rule("after_conclusion")
def after_conclusion(data: Data, env: Regulation) -> Iterator[Problem]:
    """A decision cannot predate the special commission's conclusion it rests on."""
    yield from _not_later_than_document(data, "conclusion")


@rule("inspection_refusal")
def inspection_refusal(data: Data, env: Regulation) -> Iterator[Problem]:
    """p25.2 rests on a recorded refusal: a refused inspection needs its date."""
    if data.get("inspection_refused") is True and "refusal_recorded_on" in data \
            and data["refusal_recorded_on"] is None:
        yield Problem("refusal_recorded_on", "required", explain="refusal_recorded_on_required")


FINDINGS = ("situation", "able_bodied_count", "registered_unemployed_count", "children_paid_education_count",
            "paid_education_cost_year", "housing")
FURTHER_FINDINGS = ("vulnerable_categories", "vulnerable_other", "incomes", "vehicles", "other_housing",
                    "previous_assistance", "other_income", "children_provision", "sanitary_conditions",
                    "other_observations")


@rule("inspection_findings")
def inspection_findings(data: Data, env: Regulation) -> Iterator[Problem]:
    """p17, p25.2: an inspection carried out states its findings; a refused one establishes none."""
    refused = data.get("inspection_refused")
    if refused is None:
        return
    for key in FINDINGS + FURTHER_FINDINGS:
        if key not in data:
            continue   # invalid: already reported by its field check
        if not refused and key in FINDINGS and data[key] is None:
            yield Problem(key, "required", explain="inspection_findings_required")
        elif refused and data[key] not in (None, [], ""):
            yield Problem(key, "not_applicable", explain="no_findings_when_refused")


@rule("vulnerable_other")
def vulnerable_other(data: Data, env: Regulation) -> Iterator[Problem]:
    """The category "other" must be named."""
    if "other" in (data.get("vulnerable_categories") or []) and "vulnerable_other" in data \
            and not data["vulnerable_other"]:
        yield Problem("vulnerable_other", "required")


def _needs_terms(data: Data, needed: bool, keys: tuple[str, ...], explain: str) -> Iterator[Problem]:
    for key in keys:
        if key not in data:
            continue   # invalid: already reported by its field check
        if needed and data[key] in (None, []):
            yield Problem(key, "required", explain=explain)
        elif not needed and data[key] not in (None, []):
            yield Problem(key, "not_applicable")


@rule("conclusion_terms")
def conclusion_terms(data: Data, env: Regulation) -> Iterator[Problem]:
    """p11, p21: a positive conclusion states amount, periodicity and form; a negative one none."""
    if data.get("conclusion") is not None:
        yield from _needs_terms(data, data["conclusion"] == "assistance_needed",
                                ("amount", "periodicity", "form"), "terms_required")


@rule("p9_limit")
def p9_limit_rule(data: Data, env: Regulation) -> Iterator[Problem]:
    """p9: the assistance must not exceed 10 MCI (disease) or 100 MCI (disaster, fire); for a
    periodic grant the total of its payments, where the parameter is read so."""
    amount, day = data.get("amount"), data.get("date")
    if amount is None or day is None:
        return
    try:
        limit = p9_limit(data.get("ground"), day, env.params)
    except LookupError:
        return  # reported by parameters_in_force
    if not limit:
        return
    if amount > limit[1]:
        yield Problem("amount", "p9_limit_exceeded", {"mci": limit[0], "limit": str(limit[1])})
    elif p9_bounds_total(data.get("ground"), env.params) and \
            grant_total(amount, data.get("periodicity"), _dig(data, "period", "payments")) > limit[1]:
        yield Problem("period.payments", "p9_total_exceeded", {"mci": limit[0], "limit": str(limit[1])})


@rule("period_terms")
def period_terms(data: Data, env: Regulation) -> Iterator[Problem]:
    """p5: a periodic grant states its first month and number of payments; a one-time one none."""
    periodicity = data.get("periodicity")
    if periodicity is None or "period" not in data:
        return
    if periodicity != "one_time" and data["period"] is None:
        yield Problem("period", "required", explain="period_required")
    elif periodicity == "one_time" and data["period"] is not None:
        yield Problem("period", "not_applicable")


@rule("household_income")
def household_income(data: Data, env: Regulation) -> Iterator[Problem]:
    """p8, p13, p20: the household and its income are needed only where assistance depends on income."""
    if data.get("ground") not in INCOME_DEPENDENT_GROUNDS:
        return
    for key in ("household_size", "household_income_quarter"):
        if key in data and data[key] is None:
            yield Problem(key, "required", explain="household_income_required")


@rule("within_conclusion")
def within_conclusion(data: Data, env: Regulation) -> Iterator[Problem]:
    """p11, p22: a granted amount does not exceed the amount of the special commission's conclusion."""
    limit, amount = _dig(data, "conclusion", "amount"), data.get("amount")
    if limit is not None and amount is not None and amount > limit:
        yield Problem("amount", "amount_above_conclusion", {"limit": str(limit)})


@rule("p8_threshold")
def p8_threshold_rule(data: Data, env: Regulation) -> Iterator[Problem]:
    """p8: for a socially significant disease, assistance only at or below the threshold."""
    day, size, income = data.get("date"), data.get("household_size"), data.get("household_income_quarter")
    if data.get("conclusion") != "assistance_needed" or day is None or size is None or income is None:
        return
    try:
        threshold = p8_threshold(data.get("ground"), day, env.params)
    except LookupError:
        return
    if threshold is not None and per_capita_income(income, size) > threshold:
        yield Problem("conclusion", "p8_income_above_threshold",
                      {"income": str(per_capita_income(income, size)), "threshold": str(threshold)})


@rule("decision_terms")
def decision_terms(data: Data, env: Regulation) -> Iterator[Problem]:
    """p22, p25: granted states amount, periodicity, form; refused states p25 grounds only."""
    outcome = data.get("outcome")
    if outcome is None:
        return
    yield from _needs_terms(data, outcome == "granted", ("amount", "periodicity", "form"), "terms_required")
    reasons = data.get("refusal_reasons")
    if "refusal_reasons" in data:
        if outcome == "refused" and not reasons:
            yield Problem("refusal_reasons", "p25_reason_required")
        elif outcome == "granted" and reasons:
            yield Problem("refusal_reasons", "not_applicable")
    for i in _duplicates(list(reasons or [])):
        yield Problem(f"refusal_reasons.{i}", "p25_reason_duplicate")


def _deadline(start: date | None, day: date | None, deadline: Callable[[date], Deadline],
              too_early: str, late: str, start_field: str) -> Iterator[Problem]:
    if start is None or day is None:
        return
    if day < start:
        yield Problem("date", too_early)
        return
    try:
        limit = deadline(start)
    except LookupError:   # before the first working-day limit the regulation data knows
        yield Problem(start_field, "parameters_unavailable", {"date": start.isoformat()})
        return
    if limit.late(day):
        yield Problem("date", late, {"days": limit.days, "due": limit.due.isoformat()}, warning=True)


@rule("p22_deadline")
def p22_deadline(data: Data, env: Regulation) -> Iterator[Problem]:
    """p22: decide within 8 working days of registration (20 in the cases of p18–19);
    a later decision is accepted with a warning."""
    yield from _deadline(_dig(data, "application", "registered_on"), data.get("date"),
                         lambda start: decision_deadline(env, start, bool(data.get("extended_review"))),
                         "before_registration", "p22_deadline_passed", "application.registered_on")


@rule("p23_deadline")
def p23_deadline(data: Data, env: Regulation) -> Iterator[Problem]:
    """p23: notify in writing within 3 working days of the decision; later is accepted with a warning."""
    yield from _deadline(_dig(data, "decision", "date"), data.get("date"),
                         lambda start: notice_deadline(env, start), "before_decision", "p23_deadline_passed",
                         "decision.date")


@rule("notice_reasons")
def notice_reasons(data: Data, env: Regulation) -> Iterator[Problem]:
    """p25: each refusal ground cited at most once."""
    codes = [r.get("code") if isinstance(r, dict) else None for r in data.get("reasons") or []]
    for i in _duplicates(codes):
        yield Problem(f"reasons.{i}.code", "p25_reason_duplicate")


@rule("after_decision")
def after_decision(data: Data, env: Regulation) -> Iterator[Problem]:
    """A termination follows the decision that granted the assistance."""
    yield from _not_later_than_document(data, "decision")


@rule("circumstance_after_decision")
def circumstance_after_decision(data: Data, env: Regulation) -> Iterator[Problem]:
    """p27: what ends the assistance cannot precede the decision that granted it."""
    granted, happened = _dig(data, "decision", "date"), data.get("circumstance_date")
    if granted and happened and happened < granted:
        yield Problem("circumstance_date", "circumstance_before_decision", {"date": granted.isoformat()})


@rule("termination_recipient")
def termination_recipient(data: Data, env: Regulation) -> Iterator[Problem]:
    """p27.1: after the recipient's death the notice goes to a family member or representative."""
    ground = data.get("ground")
    if ground is None or "recipient" not in data:
        return
    if ground == "p27_1_death" and data["recipient"] is None:
        yield Problem("recipient", "required", explain="recipient_required")
    elif ground != "p27_1_death" and data["recipient"] is not None:
        yield Problem("recipient", "not_applicable")


@rule("bank_account_for_cash")
def bank_account_for_cash(data: Data, env: Regulation) -> Iterator[Problem]:
    """p15: money is paid to the applicant's account; assistance in kind needs none."""
    if data.get("form") == "cash" and "bank_account" in data and data["bank_account"] is None:
        yield Problem("bank_account", "required", explain="bank_account_required")


def _acts_in_force(data: Data, env: Regulation, names: tuple[str, ...]) -> Iterator[Problem]:
    day = data.get("date")
    if day is None:
        return
    for name in names:
        try:
            env.acts.on(name, day)
        except LookupError:
            yield Problem("date", "act_not_in_force", {"date": day.isoformat()})
            return


@rule("rules_in_force")
def rules_in_force(data: Data, env: Regulation) -> Iterator[Problem]:
    """The documents cite the Saran rules (and the Model Rules' forms) in force on their date."""
    yield from _acts_in_force(data, env, ("saran_rules", "model_rules"))


@rule("legal_aid_rules_in_force")
def legal_aid_rules_in_force(data: Data, env: Regulation) -> Iterator[Problem]:
    """A legal aid request cites the legal aid regulation in force on its date."""
    yield from _acts_in_force(data, env, ("legal_aid_rules",))


@rule("la_p10")
def la_p10(data: Data, env: Regulation) -> Iterator[Problem]:
    """Legal aid p10: no aid in civil proceedings on entrepreneurial disputes."""
    if data.get("proceeding") == "civil" and data.get("entrepreneurial_dispute") is True:
        yield Problem("entrepreneurial_dispute", "la_p10_entrepreneurial")


@rule("aid_forms_unique")
def aid_forms_unique(data: Data, env: Regulation) -> Iterator[Problem]:
    """Legal aid p11: each form of aid asked for once."""
    for i in _duplicates(list(data.get("aid_forms") or [])):
        yield Problem(f"aid_forms.{i}", "duplicate")
