from datetime import date

import pytest

from formsvc.core.errors import DefinitionError
from formsvc.regulation.workdays import WorkingCalendar, load_calendar


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar()


def test_nauryz_and_its_transfers(cal):
    # 21–23 March 2025 (Fri–Sun) with the weekend days moved to Mon 24 and Tue 25
    assert cal.add_working_days(date(2025, 3, 19), 8) == date(2025, 4, 3)
    for day in (date(2025, 3, 21), date(2025, 3, 24), date(2025, 3, 25)):
        assert not cal.is_working_day(day)


def test_weekends_and_holidays(cal):
    assert not cal.is_working_day(date(2026, 11, 21))   # Saturday
    assert cal.is_working_day(date(2026, 11, 20))       # Friday
    assert not cal.is_working_day(date(2026, 12, 16))   # Independence Day
    assert cal.add_working_days(date(2026, 12, 15), 1) == date(2026, 12, 17)


def test_government_moved_working_day(cal):
    # Sunday 5 January 2025 was a working day (the day off moved to Friday 3 January)
    assert cal.is_working_day(date(2025, 1, 5))
    assert not cal.is_working_day(date(2025, 1, 3))


def test_override_table(tmp_path):
    path = tmp_path / "calendar.yaml"
    path.write_text("days_off:\n  - {date: 2026-11-23, reason: decree}\n"
                    "working_days:\n  - {date: 2026-11-28, reason: decree}\n", encoding="utf-8")
    cal = load_calendar(path)
    assert not cal.is_working_day(date(2026, 11, 23))
    assert cal.is_working_day(date(2026, 11, 28))
    # Fri 20 -> (Mon 23 off) Tue 24, Wed 25, Thu 26, Fri 27, Sat 28 (working)
    assert cal.add_working_days(date(2026, 11, 20), 5) == date(2026, 11, 28)


@pytest.mark.parametrize("text, key", [
    ("holidays: []\n", "holidays"),
    ("days_off:\n  - {date: not-a-date, reason: x}\n", "days_off.0"),
    ("days_off:\n  - {date: 2026-01-05, reason: a}\nworking_days:\n  - {date: 2026-01-05, reason: b}\n",
     "2026-01-05"),
])
def test_bad_override_table_names_the_key(tmp_path, text, key):
    path = tmp_path / "calendar.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        load_calendar(path)
    assert info.value.key == key and str(path) in str(info.value)


def test_working_days_between(cal):
    assert cal.working_days_between(date(2025, 3, 19), date(2025, 4, 3)) == 8
