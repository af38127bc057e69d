from datetime import date
from decimal import Decimal

import pytest

from formsvc.definitions import validators as v
from formsvc.definitions.validators import Invalid

TODAY = date(2026, 11, 21)


def code_of(fn, *args, **kwargs) -> str:
    with pytest.raises(Invalid) as info:
        fn(*args, **kwargs)
    return info.value.code


@pytest.mark.parametrize("iin", ["871008401427", "760212350620"])
def test_valid_iins_from_the_spec(iin):
    assert v.check_iin(iin, TODAY) == iin


def test_iin_birth_date_and_century():
    assert v.iin_birth_date("871008401427") == date(1987, 10, 8)   # 4: 20th century, female
    assert v.iin_birth_date("760212350620") == date(1976, 2, 12)   # 3: 20th century, male


def with_check_digit(first11: str) -> str:
    digit = v.iin_check_digit(first11)
    assert digit is not None
    return first11 + str(digit)


def test_iin_second_weight_sequence_is_used():
    # find an 11-digit prefix whose first weighted sum gives 10, so the second sequence decides
    for serial in range(10000):
        first11 = f"8710084{serial:04d}"
        if sum(int(c) * w for c, w in zip(first11, range(1, 12))) % 11 == 10:
            break
    iin = with_check_digit(first11)
    second = sum(int(c) * w for c, w in zip(first11, (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))) % 11
    assert iin[-1] == str(second)
    assert v.check_iin(iin, TODAY) == iin


@pytest.mark.parametrize("iin, why", [
    ("871008401428", "wrong check digit"),
    ("87100840142", "11 digits"),
    ("8710084014271", "13 digits"),
    ("87100840142a", "a letter"),
    ("871308401427", "month 13"),
    ("870230401420", "30 February"),
    ("871008001427", "century digit 0"),
    ("871008901427", "century digit 9"),
])
def test_invalid_iins(iin, why):
    assert code_of(v.check_iin, iin, TODAY) == "iin_invalid", why


def test_iin_born_in_the_future_is_invalid():
    iin = with_check_digit("2701015" + "0000")   # 2027-01-01, 21st century
    assert code_of(v.check_iin, iin, TODAY) == "iin_invalid"
    assert v.check_iin(iin, date(2027, 1, 1)) == iin


def test_iban():
    assert v.check_iban("kz86 125K ZT50 0410 0100") == "KZ86125KZT5004100100"
    assert code_of(v.check_iban, "KZ87125KZT5004100100") == "iban_invalid"     # checksum
    assert code_of(v.check_iban, "DE89370400440532013000") == "iban_invalid"   # not Kazakh
    assert code_of(v.check_iban, "KZ86125KZT500410010") == "iban_invalid"      # too short


def test_phone_accepts_separators_and_normalises():
    assert v.check_phone("+7 (701) 555-01-23") == "+77015550123"
    assert code_of(v.check_phone, "87015550123") == "phone_invalid"
    assert code_of(v.check_phone, "+7701555012") == "phone_invalid"


def test_text_trims_and_limits():
    assert v.check_text("  Абай  ", 10) == "Абай"
    assert code_of(v.check_text, "   ", 10) == "required"
    with pytest.raises(Invalid) as info:
        v.check_text("ә" * 11, 10)
    assert (info.value.code, info.value.params["max"]) == ("too_long", 10)


@pytest.mark.parametrize("bad", ["a\x00b", "a\x07b", "a\tb", "a\ud800b", "a\uffffb", "a\x1bb"])
def test_text_rejects_control_characters(bad):
    assert code_of(v.check_text, bad, 100, multiline=True) == "invalid_characters"


def test_text_newlines_only_when_multiline():
    assert v.check_text("бір\r\nекі", 100, multiline=True) == "бір\nекі"
    assert code_of(v.check_text, "бір\nекі", 100) == "invalid_characters"


def test_markup_characters_are_plain_text():
    text = "& < > \" ' {{ x }} {% if %} © № ☺"
    assert v.check_text(text, 100) == text


@pytest.mark.parametrize("text", ["Сәлем 😀", "👨\u200d👩\u200d👧", "🇰🇿", "1\ufe0f\u20e3", "🏴\U000e0067\U000e0062\U000e007f"])
def test_emoji_are_refused_not_dropped(text):
    # the documents' font has no emoji: a family or a flag would print as nothing
    assert code_of(v.check_text, text, 100) == "emoji_not_allowed"


def test_dates():
    assert v.check_date("2026-11-21", TODAY, not_future=True) == TODAY
    assert code_of(v.check_date, "2026-11-22", TODAY, not_future=True) == "date_in_future"
    assert code_of(v.check_date, "2026-02-30", TODAY) == "invalid"
    assert code_of(v.check_date, "21.11.2026", TODAY) == "invalid"
    assert code_of(v.check_date, "2026-11-21T10:00:00", TODAY) == "invalid"


@pytest.mark.parametrize("raw, expected", [
    (180000, Decimal("180000.00")), ("180000.5", Decimal("180000.50")),
    (Decimal("0.01"), Decimal("0.01")), ("0", Decimal("0.00")),
])
def test_money_valid(raw, expected):
    assert v.check_money(raw) == expected


@pytest.mark.parametrize("raw, code", [
    ("-1", "too_small"), ("1.234", "too_many_decimals"), ("abc", "invalid"), (True, "invalid"),
    ("NaN", "invalid"), ("Infinity", "invalid"), ("1e15", "invalid"), ("1000000000000", "too_large"), (None, "invalid"),
])
def test_money_invalid(raw, code):
    assert code_of(v.check_money, raw) == code


def test_money_positive():
    assert code_of(v.check_money, 0, positive=True) == "must_be_positive"


def test_integer_is_strict():
    assert v.check_integer(3, minimum=0) == 3
    assert code_of(v.check_integer, True) == "invalid"
    assert code_of(v.check_integer, Decimal("1.5")) == "invalid"
    assert code_of(v.check_integer, -1, minimum=0) == "too_small"
