"""Field validators: IIN, Kazakh IBAN, phone, e-mail, text, dates, money.

Each takes a raw value and returns the clean one or raises `Invalid` with a stable code.
They know nothing of marshmallow or WTForms, so both paths share them.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException


class Invalid(ValueError):
    """A value breaks a field rule; `code` is the public error code."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


# Published in the JSON Schema as they are used here, so both accept the same strings.
# The patterns are written in the common subset of Python's and ECMA-262's syntax.
IIN_PATTERN = r"^\s*[0-9]{12}\s*$"
IBAN_PATTERN = r"^\s*[Kk]\s*[Zz](\s*[0-9]){2}(\s*[0-9A-Za-z]){16}\s*$"
PHONE_PATTERN = r"^[\s()-]*\+[\s()-]*7([\s()-]*[0-9]){10}[\s()-]*$"
MONEY_PATTERN = r"^\s*[0-9]+(\.[0-9]{1,2})?\s*$"
EMAIL_MAX_LENGTH = 254

_IIN_WEIGHTS = ((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))
_CENTURY = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


def iin_check_digit(first11: str) -> int | None:
    """The IIN control digit for 11 digits, or None when both weight sequences give 10."""
    digits = [int(c) for c in first11]
    for weights in _IIN_WEIGHTS:
        rest = sum(d * w for d, w in zip(digits, weights)) % 11
        if rest != 10:
            return rest
    return None


def iin_birth_date(iin: str) -> date:
    """The birth date encoded in digits 1–7 of an IIN (raises Invalid if there is none)."""
    century = _CENTURY.get(iin[6])
    if century is None:
        raise Invalid("iin_invalid")
    try:
        return date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        raise Invalid("iin_invalid") from None


def check_iin(value: Any, today: date) -> str:
    """A 12-digit individual identification number with a real birth date and check digit."""
    if not isinstance(value, str):
        raise Invalid("invalid")
    if not re.fullmatch(IIN_PATTERN, value):
        raise Invalid("iin_invalid")
    iin = value.strip()
    if iin_birth_date(iin) > today or iin_check_digit(iin[:11]) != int(iin[11]):
        raise Invalid("iin_invalid")
    return iin


def check_iban(value: Any) -> str:
    """A Kazakh IBAN (KZ, 20 characters, mod-97); spaces are allowed and removed."""
    if not isinstance(value, str):
        raise Invalid("invalid")
    if not re.fullmatch(IBAN_PATTERN, value):
        raise Invalid("iban_invalid")
    compact = re.sub(r"\s+", "", value).upper()
    try:
        return str(IBAN(compact).compact)
    except SchwiftyException:
        raise Invalid("iban_invalid") from None


def check_phone(value: Any) -> str:
    """A Kazakh mobile or landline number written as +7 and ten digits.

    Spaces, hyphens and brackets that people type are removed.
    """
    if not isinstance(value, str):
        raise Invalid("invalid")
    if not re.fullmatch(PHONE_PATTERN, value):
        raise Invalid("phone_invalid")
    return re.sub(r"[\s()-]", "", value)


_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")


def check_email(value: Any, max_length: int = EMAIL_MAX_LENGTH) -> str:
    """A plausible e-mail address (one @, a dotted domain, no spaces)."""
    text = check_text(value, max_length)
    if not _EMAIL.fullmatch(text):
        raise Invalid("email_invalid")
    return text


# Characters that change how text around them is shown without being seen: direction
# overrides and isolates (a name could read backwards), zero-width spaces and joiners outside
# emoji, the byte-order mark. Nobody types them into a name or an address.
_INVISIBLE = frozenset("\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff")


def _bad_character(ch: str) -> bool:
    if ch == "\n":
        return False
    category = unicodedata.category(ch)
    # Cc control, Cs lone surrogate, Cn unassigned incl. U+FFFE/U+FFFF: none of them can
    # be written to a Word document's XML, and none is typed by a person.
    return category in ("Cc", "Cs") or ch in ("\ufffe", "\uffff") or ch in _INVISIBLE


def _emoji(ch: str) -> bool:
    # Pictographs, emoticons, regional-indicator flags (U+1F000-1FAFF), subdivision-flag tags and
    # the keycap mark: the documents' font (Times New Roman / Liberation Serif) has none of them,
    # and joined sequences (family, flags) would print as empty boxes or not at all.
    code = ord(ch)
    return 0x1F000 <= code <= 0x1FAFF or 0xE0020 <= code <= 0xE007F or code == 0x20E3


def check_text(value: Any, max_length: int, multiline: bool = False) -> str:
    """Trimmed text of 1..max_length characters without control characters or emoji.

    Windows and browser line ends (CR LF) become LF; a newline is allowed only in
    multi-line fields. An empty result raises `required`. Emoji are refused
    (`emoji_not_allowed`) rather than printed as nothing.
    """
    if not isinstance(value, str):
        raise Invalid("invalid")
    text = value.replace("\r\n", "\n").strip()
    if not text:
        raise Invalid("required")
    if any(_bad_character(ch) for ch in text) or (not multiline and "\n" in text):
        raise Invalid("invalid_characters")
    if any(_emoji(ch) for ch in text):
        raise Invalid("emoji_not_allowed")
    if len(text) > max_length:
        raise Invalid("too_long", max=max_length, length=len(text))
    return text


# No person, event or document of the procedure lies outside these (a year 0001 is a typo).
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2100, 12, 31)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def check_date(value: Any, today: date, not_future: bool = False) -> date:
    """An ISO date YYYY-MM-DD; with `not_future`, not after `today`."""
    if isinstance(value, date):
        parsed = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError:
            raise Invalid("invalid", expected="YYYY-MM-DD") from None
    else:
        raise Invalid("invalid", expected="YYYY-MM-DD")
    if not EARLIEST_DATE <= parsed <= LATEST_DATE:
        raise Invalid("date_out_of_range", min=EARLIEST_DATE.isoformat(), max=LATEST_DATE.isoformat())
    if not_future and parsed > today:
        raise Invalid("date_in_future")
    return parsed


_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def check_month(value: Any) -> str:
    """A month as YYYY-MM (kept as that text), within the years a document may name."""
    if not isinstance(value, str) or not _MONTH.fullmatch(value.strip()):
        raise Invalid("month_invalid")
    text = value.strip()
    if not EARLIEST_DATE.year <= int(text[:4]) <= LATEST_DATE.year:
        raise Invalid("date_out_of_range", min=EARLIEST_DATE.isoformat(), max=LATEST_DATE.isoformat())
    return text


MONEY_MAX = Decimal("1000000000000")


# MONEY_PATTERN, plus what earns a more precise message (a minus, more decimals).
_MONEY_TEXT = re.compile(r"\s*-?[0-9]+(\.[0-9]+)?\s*")


def check_money(value: Any, positive: bool = False) -> Decimal:
    """Tenge as a JSON number or decimal string: ≥ 0 (> 0 if positive), at most 2 decimals."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str, float)):
        raise Invalid("invalid")
    if isinstance(value, str) and not _MONEY_TEXT.fullmatch(value):
        raise Invalid("invalid")   # no exponents, signs, separators: what MONEY_PATTERN admits
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else str(value))
    except InvalidOperation:
        raise Invalid("invalid") from None
    if not amount.is_finite():
        raise Invalid("invalid")
    if amount < 0:
        raise Invalid("too_small", min=0)
    if positive and amount == 0:
        raise Invalid("must_be_positive")
    if amount >= MONEY_MAX:
        raise Invalid("too_large", max=MONEY_MAX)
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise Invalid("too_many_decimals")
    return amount.quantize(Decimal("0.01"))


def check_integer(value: Any, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number (JSON integer or an integral decimal), within the given bounds.

    Text is not a number here: the form turns typed digits into one (IntegerType.from_form).
    """
    if isinstance(value, bool):
        raise Invalid("invalid")
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if not isinstance(value, int):
        raise Invalid("invalid")
    if minimum is not None and value < minimum:
        raise Invalid("too_small", min=minimum)
    if maximum is not None and value > maximum:
        raise Invalid("too_large", max=maximum)
    return value


def check_bool(value: Any) -> bool:
    """A JSON boolean (true/false), nothing else."""
    if not isinstance(value, bool):
        raise Invalid("invalid")
    return value


def check_choice(value: Any, choices: tuple[str, ...]) -> str:
    """One of the listed codes."""
    if not isinstance(value, str) or value not in choices:
        raise Invalid("invalid_choice", choices=", ".join(choices))
    return value
