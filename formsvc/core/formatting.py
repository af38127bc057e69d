"""How dates, money, chosen values and accounts are written on Kazakh and Russian documents."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal
from num2words import num2words

from formsvc.core.inflection import kazakh_case

KK_MONTHS = ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
             "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан")
NBSP = "\u00a0"
# The forms a sentence asks of a date. Kazakh: the case ending on the month (2026 жылғы
# 1 қарашадан бастап, ... қарашада тіркелді, 2013 жылғы 12 желтоқсандағы № 279). Russian
# dates do not change; `full` spells "года" for the end of a sentence, where "г." would
# meet the full stop.
DATE_FORMS = ("nom", "attr", "loc", "abl", "dat", "gen", "full")


def long_date(day: date, lang: str, form: str = "nom") -> str:
    """'2026 жылғы 21 қараша' (kk) or '21 ноября 2026 г.' (ru), in a form of DATE_FORMS:
    kk 'attr' '... қарашадағы', 'loc' '... қарашада', 'abl' '... қарашадан', 'dat' '... қарашаға',
    'gen' '... қарашаның'; ru 'full' '21 ноября 2026 года', any other the same as 'nom'."""
    if form not in DATE_FORMS:
        raise ValueError(f"unknown date form {form!r}")
    if lang == "kk":
        month = KK_MONTHS[day.month - 1]
        if form == "attr":
            located = kazakh_case(month, "loc")
            month = located + ("ғы" if located.endswith("а") else "гі")
        elif form not in ("nom", "full"):
            month = kazakh_case(month, form)
        return f"{day.year} жылғы {day.day} {month}"
    return format_date(day, "d MMMM y 'года'" if form == "full" else "d MMMM y 'г.'", locale="ru")


class MonthValue:
    """A month ("2027-01") as documents write it: nominative, or as the start or end of a period.

    kk "2027 жылғы қаңтар", `.since` "2027 жылғы қаңтардан бастап", `.until` "2027 жылғы маусымға
    дейін"; ru "январь 2027 г.", `.since` "с января 2027 г.", `.until` "по июнь 2027 г.".
    """

    def __init__(self, value: str, lang: str) -> None:
        year, month = (int(part) for part in value.split("-"))
        self.day, self.lang = date(year, month, 1), lang

    def _kk(self, case: str | None) -> str:
        month = KK_MONTHS[self.day.month - 1]
        return f"{self.day.year} жылғы {kazakh_case(month, case) if case else month}"

    def __str__(self) -> str:
        if self.lang == "kk":
            return self._kk(None)
        return format_date(self.day, "LLLL y 'г.'", locale="ru")

    @property
    def since(self) -> str:
        """The first month of a period."""
        if self.lang == "kk":
            return f"{self._kk('abl')} бастап"
        return "с " + format_date(self.day, "MMMM y 'г.'", locale="ru")

    @property
    def until(self) -> str:
        """The last month of a period."""
        if self.lang == "kk":
            return f"{self._kk('dat')} дейін"
        return "по " + format_date(self.day, "LLLL y 'г.'", locale="ru")


_POINT_HYPHEN = re.compile(r"(?<=\d)-(?=[^\W\d_])")


def keep_points(text: str) -> str:
    """Kazakh point references ("7-тармақтың", "2-қосымша") with a non-breaking hyphen, so the
    number never ends a line apart from its word."""
    return _POINT_HYPHEN.sub("\u2011", text)


def in_zone(moment: datetime, zone: str) -> datetime:
    """A stored moment (UTC; a naive one is taken as UTC) as the local time of `zone`."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)
    return aware.astimezone(ZoneInfo(zone))


def zone_label(local: datetime) -> str:
    """'UTC+5, Asia/Almaty': the offset and the zone's name of a local time."""
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    hours, rest = divmod(abs(minutes), 60)
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{hours}{f':{rest:02d}' if rest else ''}, {local.tzinfo}"


def local_time(moment: datetime, zone: str) -> str:
    """'05.12.2026 13:03 (UTC+5, Asia/Almaty)': a stored moment as local time, the zone named."""
    local = in_zone(moment, zone)
    return f"{local:%d.%m.%Y %H:%M} ({zone_label(local)})"


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
    """KZ86 **** **** **** 0100: enough to recognise the account, not to use it (on one line)."""
    return NBSP.join((iban[:4], "****", "****", "****", iban[-4:]))


class EnumValue:
    """A chosen code that prints as its label and compares equal to its code."""

    __slots__ = ("code", "label")

    def __init__(self, code: str, label: str) -> None:
        self.code, self.label = code, keep_points(label)

    def __str__(self) -> str:
        return self.label

    def __eq__(self, other: object) -> bool:
        return self.code == (other.code if isinstance(other, EnumValue) else other)

    def __hash__(self) -> int:
        return hash(self.code)


class DateValue:
    """A date that prints in the document's language, never broken across lines.

    `.short` gives 21.11.2026; `.attr`, `.loc`, `.abl`, `.dat`, `.gen` the Kazakh case forms
    (the Russian date is the same in each), `.full` the Russian "21 ноября 2026 года".
    """

    __slots__ = ("value", "lang")

    def __init__(self, value: date, lang: str) -> None:
        self.value, self.lang = value, lang

    def __str__(self) -> str:
        return self.form("nom")

    def form(self, name: str) -> str:
        """The date in one of DATE_FORMS, its parts joined by non-breaking spaces."""
        return long_date(self.value, self.lang, name).replace(" ", NBSP)

    @property
    def short(self) -> str:
        """dd.mm.yyyy."""
        return short_date(self.value)

    @property
    def attr(self) -> str:
        """kk '2013 жылғы 12 желтоқсандағы' (of the date: before № 279, шешім)."""
        return self.form("attr")

    @property
    def loc(self) -> str:
        """kk '2026 жылғы 4 қарашада' (on the date: ... тіркелді)."""
        return self.form("loc")

    @property
    def abl(self) -> str:
        """kk '2026 жылғы 1 қарашадан' (from the date: ... бастап)."""
        return self.form("abl")

    @property
    def dat(self) -> str:
        """kk '2026 жылғы 12 қарашаға' (until the date: ... дейін)."""
        return self.form("dat")

    @property
    def gen(self) -> str:
        """kk '2026 жылғы 10 қарашаның' (of the date, as a possessor)."""
        return self.form("gen")

    @property
    def full(self) -> str:
        """ru '21 ноября 2026 года' (where a sentence ends on the date); kk as printed."""
        return self.form("full")


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
