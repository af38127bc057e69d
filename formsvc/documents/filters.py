"""Template filters for the grammar of names: Kazakh case endings and Russian forms by sex.

`{{ applicant|full_name|case('dat') }}` puts a Kazakh name in the dative (Ержанқызына);
there is no `case` in Russian templates (core/inflection.py says why): there the sentence
is written so the name stands in the nominative. `{{ applicant|by_sex('Уважаемый',
'Уважаемая') }}` chooses by the sex the IIN encodes, and `{{ applicant|given_name }}` is the
name and patronymic of a salutation ("Гүлнар Ержанқызы"). `{{ text|period }}` ends a sentence
on a person's text without doubling its full stop; `{{ number|nobreak }}` keeps a document
number on one line.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from formsvc.core.inflection import iin_sex, kazakh_case


def _case(text: Any, case: str) -> str:
    return kazakh_case(str(text), case)


def by_sex(person: Any, male: str, female: str, unknown: str | None = None) -> str:
    """`male` or `female` by the person's IIN; `unknown` (default "male/female") without one."""
    sex = iin_sex(getattr(person, "iin", None))
    if sex is None:
        return unknown if unknown is not None else f"{male}/{female}"
    return male if sex == "male" else female


def given_name(person: Any) -> str:
    """First name and patronymic, as a letter addresses a person; the full name without a patronymic."""
    first, middle = getattr(person, "first_name", None), getattr(person, "middle_name", None)
    if middle:
        return f"{first} {middle}"
    return " ".join(str(p) for p in (first, getattr(person, "last_name", None)) if p)


def nobreak(text: Any) -> str:
    """A document number kept on one line: non-breaking spaces and hyphens ("СК‑2026/0412")."""
    return str(text).replace(" ", "\u00a0").replace("-", "\u2011")


def period(text: Any) -> str:
    """The text with a full stop at its end, unless it ends with one already (. ! ? …)."""
    value = str(text).rstrip()
    return value if not value or value[-1] in ".!?…" else value + "."


def language_filters(lang: str) -> dict[str, Callable[..., str]]:
    """The filters of a language's templates."""
    filters: dict[str, Callable[..., str]] = {"by_sex": by_sex, "given_name": given_name, "period": period,
                                             "nobreak": nobreak}
    if lang == "kk":
        filters["case"] = _case
    return filters
