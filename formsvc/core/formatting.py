"""How dates, money, chosen values and accounts are written on Kazakh and Russian documents."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal
from num2words import num2words

KK_MONTHS = ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
             "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан")


def long_date(day: date, lang: str) -> str:
    """'2026 жылғы 21 қараша' (kk) or '21 ноября 2026 г.' (ru)."""
    if lang == "kk":
        return f"{day.year} жылғы {day.day} {KK_MONTHS[day.month - 1]}"
    return format_date(day, "d MMMM y 'г.'", locale="ru")


def short_date(day: date) -> str:
    """'21.11.2026', as in tables."""
    return day.strftime("%d.%m.%Y")


def money(amount: Decimal) -> str:
    """'180 000,00': grouped by non-breaking spaces, comma decimals (both languages)."""
    return format_decimal(amount, "#,##0.00", locale="ru")


def money_words(amount: Decimal, lang: str) -> str:
    """'қырық үш мың екі жүз елу теңге, елу тиын' / 'сорок три тысячи ... тенге, ноль тиынов'.

    num2words reads an integer as tiyn, so the amount is always passed as a Decimal.
    """
    return str(num2words(Decimal(amount), lang="kz" if lang == "kk" else "ru",
                         to="currency", currency="KZT"))


def mask_iban(iban: str) -> str:
    """KZ86 **** **** **** 0100: enough to recognise the account, not to use it."""
    return f"{iban[:4]} **** **** **** {iban[-4:]}"


class EnumValue:
    """A chosen code that prints as its label and compares equal to its code."""

    __slots__ = ("code", "label")

    def __init__(self, code: str, label: str) -> None:
        self.code, self.label = code, label

    def __str__(self) -> str:
        return self.label

    def __eq__(self, other: object) -> bool:
        return self.code == (other.code if isinstance(other, EnumValue) else other)

    def __hash__(self) -> int:
        return hash(self.code)


class DateValue:
    """A date that prints in the document's language; `.short` gives 21.11.2026."""

    __slots__ = ("value", "lang")

    def __init__(self, value: date, lang: str) -> None:
        self.value, self.lang = value, lang

    def __str__(self) -> str:
        return long_date(self.value, self.lang)

    @property
    def short(self) -> str:
        """dd.mm.yyyy."""
        return short_date(self.value)


class Money:
    """Tenge that prints as '180 000,00'."""

    __slots__ = ("value", "lang")

    def __init__(self, value: Decimal, lang: str) -> None:
        self.value, self.lang = value, lang

    def __str__(self) -> str:
        return money(self.value)

    @property
    def words(self) -> str:
        """The amount in words, tenge and tiyn, in the document's language."""
        return money_words(self.value, self.lang)
