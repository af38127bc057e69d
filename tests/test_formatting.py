"""Dates in the form the sentence needs, kept on one line; point references kept whole."""
from datetime import date

import pytest

from formsvc.core.formatting import DateValue, EnumValue, keep_points, long_date

NBSP = "\u00a0"


@pytest.mark.parametrize("form, kk, ru", [
    ("nom", "2013 жылғы 12 желтоқсан", "12 декабря 2013 г."),
    ("attr", "2013 жылғы 12 желтоқсандағы", "12 декабря 2013 г."),
    ("loc", "2013 жылғы 12 желтоқсанда", "12 декабря 2013 г."),
    ("abl", "2013 жылғы 12 желтоқсаннан", "12 декабря 2013 г."),
    ("dat", "2013 жылғы 12 желтоқсанға", "12 декабря 2013 г."),
    ("gen", "2013 жылғы 12 желтоқсанның", "12 декабря 2013 г."),
    ("full", "2013 жылғы 12 желтоқсан", "12 декабря 2013 года"),
])
def test_date_forms(form, kk, ru):
    day = date(2013, 12, 12)
    assert long_date(day, "kk", form) == kk and long_date(day, "ru", form) == ru
    for lang, expected in (("kk", kk), ("ru", ru)):
        printed = DateValue(day, lang)
        assert (str(printed) if form == "nom" else getattr(printed, form)).replace(NBSP, " ") == expected


@pytest.mark.parametrize("day, attr", [(date(2026, 1, 5), "қаңтардағы"), (date(2026, 4, 1), "сәуірдегі"),
                                       (date(2026, 7, 6), "шілдедегі"), (date(2026, 9, 1), "қыркүйектегі"),
                                       (date(2026, 11, 1), "қарашадағы")])
def test_attributive_follows_vowel_harmony(day, attr):
    assert DateValue(day, "kk").attr.endswith(attr)


def test_printed_dates_never_break_across_lines():
    day = DateValue(date(2026, 11, 1), "kk")
    assert str(day) == f"2026{NBSP}жылғы{NBSP}1{NBSP}қараша"
    assert day.abl == f"2026{NBSP}жылғы{NBSP}1{NBSP}қарашадан"
    assert str(DateValue(date(2026, 11, 1), "ru")) == f"1{NBSP}ноября{NBSP}2026{NBSP}г."
    assert DateValue(date(2026, 11, 1), "ru").full == f"1{NBSP}ноября{NBSP}2026{NBSP}года"


def test_unknown_date_form_is_a_mistake():
    with pytest.raises(ValueError):
        long_date(date(2026, 1, 1), "kk", "vocative")


def test_point_references_keep_their_number():
    assert keep_points("(7-тармақтың 2) тармақшасы, 8-тармақ)") == "(7\u2011тармақтың 2) тармақшасы, 8\u2011тармақ)"
    assert keep_points("Ш-118, 2026-11-01") == "Ш-118, 2026-11-01"
    assert str(EnumValue("x", "25-тармақтың 1) тармақшасы")) == "25\u2011тармақтың 1) тармақшасы"


def test_local_time_names_the_zone():
    from datetime import datetime, timezone

    from formsvc.core.formatting import in_zone, local_time, zone_label
    moment = datetime(2026, 12, 31, 20, 30, tzinfo=timezone.utc)
    assert local_time(moment, "Asia/Almaty") == "01.01.2027 01:30 (UTC+5, Asia/Almaty)"
    assert local_time(moment.replace(tzinfo=None), "Asia/Almaty") == "01.01.2027 01:30 (UTC+5, Asia/Almaty)"
    assert zone_label(in_zone(moment, "Asia/Kolkata")) == "UTC+5:30, Asia/Kolkata"
