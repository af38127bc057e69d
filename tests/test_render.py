"""What a person reading the generated DOCX would check."""
import zipfile
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from jinja2 import UndefinedError

from formsvc import config
from formsvc.core.formatting import long_date
from formsvc.documents.render import render_docx
from tests.conftest import docx_text, generate, make_iin

URL = "/api/v1/documents/application"
GROUNDS = {
    "statutory": {},
    "socially_significant_disease": {},
    "natural_disaster": {"event_date": "2026-10-01"},
    "fire": {"event_date": "2026-09-15"},
    "release_from_prison": {"event_date": "2026-08-20"},
}
EXPECTED = {
    "kk": ["ӨТІНІШ", "Серікова Гүлнар Ержанқызы", "871008401427", "Сериков Ержан", "Жұбайы",
           "12.02.1976", "Зейнетақы", "180 000,00", "KZ86125KZT5004100100", "Halyk Bank",
           "Емханадан анықтама", "2026 жылғы 20 қараша", "Саран қаласы, Абай даңғылы, 7-үй, 12-пәтер",
           "Күйеуі амбулаториялық ем алуда.", "+77015550123", "Жеке куәлік № 041234567"],
    "ru": ["ЗАЯВЛЕНИЕ", "Серікова Гүлнар Ержанқызы", "871008401427", "Сериков Ержан", "Супруг(а)",
           "12.02.1976", "Пенсия", "180 000,00", "KZ86125KZT5004100100", "Halyk Bank",
           "Емханадан анықтама", "20 ноября 2026 г.", "город Сарань, Абай даңғылы, д. 7, кв. 12",
           "Удостоверение личности № 041234567"],
}


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("ground", list(GROUNDS))
def test_every_ground_in_both_languages(client, application, ground, lang):
    application.update(ground=ground, **GROUNDS[ground])
    text = docx_text(generate(client, "application", application, lang, expect=200).data).replace("\xa0", " ")
    for expected in EXPECTED[lang]:
        assert expected in text, expected
    ground_label = {"kk": {"fire": "Өрттің салдарынан"}, "ru": {"fire": "вследствие пожара"}}[lang].get(ground)
    if ground_label:
        assert ground_label in text
    if "event_date" in GROUNDS[ground]:
        y, m, d = map(int, GROUNDS[ground]["event_date"].split("-"))
        assert long_date(date(y, m, d), lang) in text


def test_income_free_ground_without_incomes_says_so(client, application):
    application.update(ground="fire", event_date="2026-10-01", incomes=[])
    text = docx_text(generate(client, "application", application, "ru", expect=200).data)
    assert "независимо от дохода" in text
    assert "Пенсия" not in text


def test_no_family_members(client, application):
    application.update(family_members=[], incomes=[], no_income=True, on_behalf_of="self")
    text = docx_text(generate(client, "application", application, "kk", expect=200).data)
    assert "отбасы мүшелері көрсетілмеген" in text
    assert "табысы болған жоқ" in text
    assert "Маған өмірлік" in text


def test_birth_date_printed_from_iin(client, application):
    child = make_iin("150607", "6")
    application["family_members"].append(
        {"last_name": "Серікова", "first_name": "Айя", "iin": child, "relation": "child"})
    text = docx_text(generate(client, "application", application, "ru", expect=200).data)
    assert "07.06.2015" in text and "Ребёнок" in text


HOSTILE = "A & B < C > D \" E ' {{ x }} {% if 1 %}y{% endif %} {_{ z }_} {#c#} ]]> <w:t> © № «»"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_hostile_text_prints_literally(client, application, lang):
    application["ground_details"] = HOSTILE + "\nекінші жол"
    application["applicant"]["last_name"] = "O'Neil & <Sons> {{ }}"
    application["bank_account"]["bank_name"] = "{%p endif %}"
    application["attachments"]["situation_proof_description"] = "ә" * 500
    content = generate(client, "application", application, lang, expect=200).data
    text = docx_text(content)
    for value in (HOSTILE, "екінші жол", "O'Neil & <Sons> {{ }}", "{%p endif %}", "ә" * 500):
        assert value in text
    with zipfile.ZipFile(BytesIO(content)) as z:   # well-formed package Word can open
        assert z.testzip() is None


def test_multiline_text_becomes_line_breaks(client, application):
    application["ground_details"] = "бірінші\r\nекінші"
    doc = Document(BytesIO(generate(client, "application", application, "kk", expect=200).data))
    para = next(p for p in doc.paragraphs if "бірінші" in p._p.xml)
    assert "<w:br/>" in para._p.xml and "бірінші\nекінші" in para.text


def test_missing_variable_is_an_error_not_a_blank():
    template = Path(config.TEMPLATES_DIR) / "application.kk.docx"
    with pytest.raises(UndefinedError):
        render_docx(template.read_bytes(), {"title": "x"}, "kk")


def test_document_properties_carry_the_title(client, application):
    doc = Document(BytesIO(generate(client, "application", application, "ru", expect=200).data))
    assert doc.core_properties.title == "Заявление об оказании социальной помощи"
    assert doc.core_properties.language == "ru-RU"


def test_kazakh_dates():
    assert long_date(date(2026, 11, 21), "kk") == "2026 жылғы 21 қараша"
    assert long_date(date(2026, 11, 21), "ru") == "21 ноября 2026 г."
    assert long_date(date(2025, 4, 3), "kk") == "2025 жылғы 3 сәуір"


def test_page_is_a4_in_times_new_roman_14():
    for lang in ("kk", "ru"):
        doc = Document(str(Path(config.TEMPLATES_DIR) / f"application.{lang}.docx"))
        section = doc.sections[0]
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
        normal = doc.styles["Normal"].font
        assert (normal.name, normal.size.pt) == ("Times New Roman", 14)
