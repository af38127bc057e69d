"""Kazakh case endings (names, titles, months) and the sex an IIN encodes."""
import pytest

from formsvc.core.inflection import iin_sex, is_front, kazakh_case
from formsvc.documents.filters import by_sex, given_name, nobreak, period
from types import SimpleNamespace


@pytest.mark.parametrize("phrase, case, expected", [
    # patronymics are possessives: the pronominal н
    ("Серікова Гүлнар Ержанқызы", "dat", "Серікова Гүлнар Ержанқызына"),
    ("Серікова Гүлнар Ержанқызы", "abl", "Серікова Гүлнар Ержанқызынан"),
    ("Серікова Гүлнар Ержанқызы", "gen", "Серікова Гүлнар Ержанқызының"),
    ("Серікова Гүлнар Ержанқызы", "acc", "Серікова Гүлнар Ержанқызын"),
    ("Нұрланов Ғалымжан Һашимұлы", "dat", "Нұрланов Ғалымжан Һашимұлына"),
    ("Жұмабаев Қайрат Серікұлы", "loc", "Жұмабаев Қайрат Серікұлында"),
    # names without a patronymic: vowel harmony and the last sound
    ("Сериков Ержан", "dat", "Сериков Ержанға"),
    ("Сериков Ержан", "gen", "Сериков Ержанның"),
    ("Сериков Ержан", "acc", "Сериков Ержанды"),
    ("Сериков Ержан", "abl", "Сериков Ержаннан"),
    ("Қасымова Ұлжан", "dat", "Қасымова Ұлжанға"),
    ("Омарова Әйгерім", "dat", "Омарова Әйгерімге"),
    ("Иванов Пётр Сергеевич", "dat", "Иванов Пётр Сергеевичке"),
    ("Әли", "dat", "Әлиге"), ("Ғали", "dat", "Ғалиға"), ("Ару", "gen", "Арудың"),
    ("Асқат", "dat", "Асқатқа"), ("Мерует", "abl", "Меруеттен"),
    # instrumental: -мен after vowels and sonorants, -бен after ж з, -пен after voiceless
    ("шешім", "ins", "шешіммен"), ("Әзіз", "ins", "Әзізбен"), ("Асқат", "ins", "Асқатпен"),
])
def test_kazakh_case_endings(phrase, case, expected):
    assert kazakh_case(phrase, case) == expected


@pytest.mark.parametrize("month, loc, abl, dat", [
    ("қаңтар", "қаңтарда", "қаңтардан", "қаңтарға"), ("ақпан", "ақпанда", "ақпаннан", "ақпанға"),
    ("наурыз", "наурызда", "наурыздан", "наурызға"), ("сәуір", "сәуірде", "сәуірден", "сәуірге"),
    ("мамыр", "мамырда", "мамырдан", "мамырға"), ("маусым", "маусымда", "маусымнан", "маусымға"),
    ("шілде", "шілдеде", "шілдеден", "шілдеге"), ("тамыз", "тамызда", "тамыздан", "тамызға"),
    ("қыркүйек", "қыркүйекте", "қыркүйектен", "қыркүйекке"), ("қазан", "қазанда", "қазаннан", "қазанға"),
    ("қараша", "қарашада", "қарашадан", "қарашаға"), ("желтоқсан", "желтоқсанда", "желтоқсаннан", "желтоқсанға"),
])
def test_every_month_in_the_cases_dates_need(month, loc, abl, dat):
    assert (kazakh_case(month, "loc"), kazakh_case(month, "abl"), kazakh_case(month, "dat")) == (loc, abl, dat)


def test_other_possessives_are_said_so():
    assert kazakh_case("Ақтас кентінің әкімі", "dat", possessive=True) == "Ақтас кентінің әкіміне"
    assert kazakh_case("қағидалары", "gen", possessive=True) == "қағидаларының"


def test_closing_quotes_stay_after_the_ending():
    assert kazakh_case("(Ержанқызы)", "dat") == "(Ержанқызына)"


def test_unknown_case_is_a_mistake():
    with pytest.raises(ValueError):
        kazakh_case("Ержан", "vocative")


def test_vowel_harmony():
    assert is_front("Әйгерім") and not is_front("Ержанқызы") and is_front("Сергеевич") and not is_front("Ғали")


@pytest.mark.parametrize("iin, sex", [("871008401427", "female"), ("760212350620", "male"),
                                      ("030303500017", "male"), ("030303600017", "female"), ("", None), (None, None)])
def test_sex_from_the_seventh_digit_of_the_iin(iin, sex):
    assert iin_sex(iin) == sex


def test_filters_for_names():
    woman = SimpleNamespace(first_name="Гүлнар", middle_name="Ержанқызы", last_name="Серікова", iin="871008401427")
    man = SimpleNamespace(first_name="Ержан", middle_name=None, last_name="Сериков", iin="760212350620")
    assert by_sex(woman, "Уважаемый", "Уважаемая") == "Уважаемая"
    assert by_sex(man, "Уважаемый", "Уважаемая") == "Уважаемый"
    assert by_sex(SimpleNamespace(iin=None), "Уважаемый", "Уважаемая", "Уважаемый(ая)") == "Уважаемый(ая)"
    assert given_name(woman) == "Гүлнар Ержанқызы" and given_name(man) == "Ержан Сериков"
    assert period("Емханадан анықтама") == "Емханадан анықтама." and period("ҚР ІІМ.") == "ҚР ІІМ."
    assert nobreak("СК-2026 /1") == "СК\u20112026\u00a0/1"
