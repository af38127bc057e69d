"""What a lawyer reads in every document before signing it, in both languages: no fact the
person did not state, dates and names in the case the sentence needs, the act behind every
cited point, and agreement with the regulation."""
import re
from io import BytesIO

import pytest
from docx import Document

from formsvc.definitions.rules import FINDINGS as REQUIRED_FINDINGS, FURTHER_FINDINGS
from tests.conftest import DELETE, docx_text, errors_of, example, generate, set_path
from tests.test_documents import TYPES

LANGS = ["kk", "ru"]
POINT = re.compile(r"\d+[-\u2011](тармақ|тармағ)|пункт(а|ом|ами|ы)? \d+")
RECIPIENT = {"last_name": "Сериков", "first_name": "Ержан", "iin": "760212350620",
             "address": {"settlement": "aktas", "street": "Бейбітшілік көшесі", "building": "3"}}


def text_of(client, doc_type, body=None, lang="kk"):
    return docx_text(generate(client, doc_type, example(doc_type) if body is None else body, lang, expect=200).data)


def variants():
    """Every type with its example, and the branches that print something else."""
    for doc_type in TYPES:
        yield doc_type, example(doc_type)
    refused = example("decision")
    refused.update(outcome="refused", refusal_reasons=["p25_1_unreliable_information", "p25_3_income_above_threshold"],
                   conclusion={"number": "АК-19", "date": "2026-11-10"})
    for key in ("amount", "periodicity", "form"):
        del refused[key]
    yield "decision", refused
    inspection = example("inspection_act")
    inspection.update(inspection_refused=True, refusal_recorded_on="2026-11-04")
    for key in FINDINGS:   # a refused inspection establishes nothing
        inspection.pop(key, None)
    yield "inspection_act", inspection
    fire = example("special_commission_conclusion")
    fire.update(ground="fire", amount="400000")
    del fire["household_size"], fire["household_income_quarter"]
    yield "special_commission_conclusion", fire
    death = example("termination_notice")
    death.update(ground="p27_1_death", recipient=RECIPIENT)
    yield "termination_notice", death
    in_kind = example("grant_notice")
    in_kind["form"] = "in_kind"
    yield "grant_notice", in_kind
    alone = example("application")
    alone.update(on_behalf_of="self", family_members=[], incomes=[], no_income=True, addressee="aktas_akim")
    yield "application", alone


FINDINGS = REQUIRED_FINDINGS + FURTHER_FINDINGS
VARIANTS = list(variants())
IDS = [f"{t}-{i}" for i, (t, _) in enumerate(VARIANTS)]


def repeated_after_colon(text):
    """Words that repeat the word before a colon ("несогласия с решением: Решение может …")."""
    found = []
    for before, after in re.findall(r"(\w+):\s+(\w+)", text):
        if len(before) > 3 and before.lower()[:5] == after.lower()[:5]:
            found.append(f"{before}: {after}")
    return found


# --- punctuation and references, in every document of every branch

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc_type, body", VARIANTS, ids=IDS)
def test_punctuation_and_the_act_behind_every_point(client, doc_type, body, lang):
    content = generate(client, doc_type, body, lang, expect=200).data
    text = docx_text(content)
    assert "г.." not in text and ".." not in text.replace("...", "")
    assert not repeated_after_colon(text)
    assert "Уважаемый(ая)" not in text and "ознакомлен(а)" not in text   # the IIN says who it is
    if doc_type == "legal_aid_request":
        act = {"kk": "Алматы облысы заң консультанттары палатасы мүшелерінің жалпы жиналысының 2019 жылғы 26 "
                     "сәуірдегі шешімімен бекітілген",
               "ru": "утвержденного решением общего собрания членов Палаты юридических консультантов Алматинской "
                     "области от 26 апреля 2019 года"}[lang]
    else:
        act = {"kk": "Саран қалалық мәслихатының 2013 жылғы 12 желтоқсандағы № 279 шешімімен бекітілген Әлеуметтік "
                     "көмек көрсетудің, оның мөлшерін белгілеудің және Саран қаласы мен Ақтас кентінің мұқтаж "
                     "азаматтарының жекелеген санаттарының тізбесін айқындаудың қағидалары",
               "ru": "Правил оказания социальной помощи, установления размеров и определения перечня отдельных "
                     "категорий нуждающихся граждан города Сарани и поселка Актас, утвержденных решением Саранского "
                     "городского маслихата от 12 декабря 2013 года № 279"}[lang]
    assert act in text
    # the act is named in the first paragraph that cites a point of it, or before
    paragraphs = [p.text.replace("\u00a0", " ") for p in Document(BytesIO(content)).paragraphs]
    citing = next(i for i, p in enumerate(paragraphs) if POINT.search(p))
    assert any(act in p for p in paragraphs[:citing + 1]), paragraphs[citing]


@pytest.mark.parametrize("doc_type, appendix", [("inspection_act", 2), ("district_commission_conclusion", 3)])
def test_form_marks_of_the_model_rules(client, doc_type, appendix):
    kk, ru = text_of(client, doc_type, lang="kk"), text_of(client, doc_type, lang="ru")
    assert f"{appendix}-қосымша\nНысан" in kk
    assert "Қазақстан Республикасы Үкіметінің 2013 жылғы 21 мамырдағы № 504 қаулысымен бекітілген" in kk
    assert f"Приложение {appendix}\nк Типовым правилам оказания социальной помощи" in ru and "\nФорма" in ru
    assert "постановлением Правительства Республики Казахстан от 21 мая 2013 года № 504" in ru


@pytest.mark.parametrize("lang, wording", [
    ("kk", "адамның (отбасының) жан басына шаққандағы орташа табысы әлеуметтік көмек көрсету үшін жергілікті өкілді "
           "органдар белгілеген шектен артқан жағдайларда"),
    ("ru", "превышение размера среднедушевого дохода лица (семьи) установленного местными представительными "
           "органами порога для оказания социальной помощи"),
])
def test_p25_grounds_in_the_regulations_wording(client, lang, wording):
    assert wording in text_of(client, "refusal_notice", lang=lang)
    refused = dict(VARIANTS[len(TYPES)][1])
    assert wording in text_of(client, "decision", refused, lang)


# --- nothing the person did not say

@pytest.mark.parametrize("proceeding, dispute, kk, ru", [
    ("civil", False, "Дау кәсіпкерлік қызметке байланысты емес", "Спор не связан с предпринимательской деятельностью"),
    ("administrative", True, "Дау кәсіпкерлік қызметке байланысты.", "Спор связан с предпринимательской деятельностью"),
    ("administrative", False, "Дау кәсіпкерлік қызметке байланысты емес", "Спор не связан с предпринимательской"),
    ("criminal", True, None, None),
    ("criminal", False, None, None),
    ("other", False, None, None),
])
def test_legal_aid_states_the_dispute_only_as_told_and_where_it_matters(client, proceeding, dispute, kk, ru):
    body = example("legal_aid_request")
    body.update(proceeding=proceeding, entrepreneurial_dispute=dispute)
    for lang, expected in (("kk", kk), ("ru", ru)):
        text = text_of(client, "legal_aid_request", body, lang)
        if expected is None:
            assert "кәсіпкерлік" not in text and "предпринимательск" not in text
        else:
            assert expected in text
    if dispute:
        assert "не связан" not in text_of(client, "legal_aid_request", body, "ru")


def test_no_family_is_not_living_alone(client):
    body = dict(VARIANTS[-1][1])
    kk, ru = text_of(client, "application", body, "kk"), text_of(client, "application", body, "ru")
    assert "жалғыз" not in kk and "проживает один" not in ru
    assert "Өтініште отбасы мүшелері көрсетілмеген." in kk and "В заявлении члены семьи не указаны." in ru
    assert "отбасы мүшелерімнің" not in kk and "членов моей семьи" not in ru   # consent for the applicant only
    assert "маған өмірлік" in kk.lower() and "оказать мне социальную" in ru


def test_an_inspection_without_incomes_does_not_say_there_are_none(client):
    body = {**example("inspection_act"), "incomes": [], "vulnerable_categories": []}
    kk, ru = text_of(client, "inspection_act", body, "kk"), text_of(client, "inspection_act", body, "ru")
    assert "Табыстар көрсетілмеген." in kk and "Табыс жоқ" not in kk
    assert "Доходы не указаны." in ru and "Доходов нет" not in ru
    assert "категорий: не указаны" in ru and "адамдар: көрсетілмеген" in kk


@pytest.mark.parametrize("lang", LANGS)
def test_in_kind_grant_prints_no_bank_account(client, lang):
    text = text_of(client, "grant_notice", VARIANTS[len(TYPES) + 4][1], lang)
    assert "0100" not in text and "Halyk" not in text and "шот" not in text.lower().replace("шотқа", "")
    assert {"kk": "Заттай", "ru": "В натуральной форме"}[lang] in text


@pytest.mark.parametrize("lang", LANGS)
def test_no_income_figures_where_assistance_is_regardless_of_income(client, lang):
    text = text_of(client, "special_commission_conclusion", VARIANTS[len(TYPES) + 2][1], lang)
    for absent in ({"kk": ["орташа айлық табыс", "ең төмен күнкөріс деңгейі", "Табыс шегі"],
                    "ru": ["Среднедушевой доход в месяц", "Прожиточный минимум", "Порог дохода"]}[lang]):
        assert absent not in text
    assert {"kk": "табысына қарамастан көрсетіледі", "ru": "независимо от дохода"}[lang] in text
    assert "432 500,00" in text and {"kk": "100 АЕК", "ru": "100 МРП"}[lang] in text


# --- grammar of dates and names

def test_kazakh_dates_take_the_case_of_the_sentence(client):
    decision = text_of(client, "decision", VARIANTS[len(TYPES)][1])
    assert "Өтініш: 2026 жылғы 2 қарашадағы № СК-2026/0412, 2026 жылғы 2 қарашада тіркелген." in decision
    assert "Арнайы комиссияның қорытындысы: 2026 жылғы 10 қарашадағы № АК-19." in decision
    assert "2026 жылғы 12 қарашадан кешіктірмей" in decision and "2026 жылғы 17 қарашадан кешіктірмей" in decision
    assert "2026 жылғы 12 қарашадағы № Ш-118 шешімімен" in text_of(client, "refusal_notice")
    assert "яғни 2026 жылғы 1 қарашадан бастап тоқтатылады" in text_of(client, "termination_notice")
    assert "бас тарту 2026 жылғы 4 қарашада тіркелді" in text_of(client, "inspection_act", VARIANTS[len(TYPES) + 1][1])
    assert "2026 жылғы 10 қарашадағы ең төмен күнкөріс деңгейі" in text_of(client, "special_commission_conclusion")


def test_kazakh_names_in_the_case_of_the_sentence(client):
    granted, refused = text_of(client, "decision"), text_of(client, "decision", VARIANTS[len(TYPES)][1])
    assert "1. Серікова Гүлнар Ержанқызына әлеуметтік көмек тағайындалсын" in granted
    assert "1. Серікова Гүлнар Ержанқызына Қағидалардың 25-тармағы бойынша" in refused
    application = text_of(client, "application")
    assert "Серікова Гүлнар Ержанқызынан\nЖСН" in application
    assert "бөлімі» мемлекеттік мекемесінің басшысына" in application   # the addressee in the dative
    assert "Ақтас кентінің әкіміне" in text_of(client, "application", VARIANTS[-1][1])
    assert "заң консультанты Қасымова Ұлжанға" in text_of(client, "legal_aid_request")


def test_russian_names_stand_in_the_nominative(client):
    application = text_of(client, "application", lang="ru")
    assert "Руководителю государственного учреждения «Отдел занятости" in application
    assert "Заявитель: Серікова Гүлнар Ержанқызы" in application and "от Серікова" not in application
    assert "Акиму посёлка Актас" in text_of(client, "application", VARIANTS[-1][1], "ru")
    decision = text_of(client, "decision", lang="ru")
    assert "Заявитель: Серікова Гүлнар Ержанқызы, ИИН 871008401427." in decision
    assert "1. Назначить заявителю социальную помощь" in decision
    assert "заявление Серікова" not in decision and "Назначить Серікова" not in decision
    for doc_type in ("special_commission_conclusion", "district_commission_conclusion", "inspection_act"):
        assert "Заявитель: Серікова Гүлнар Ержанқызы, ИИН 871008401427." in text_of(client, doc_type, lang="ru")


def test_forms_by_the_sex_in_the_iin(client):
    woman = text_of(client, "refusal_notice", lang="ru")
    assert "Уважаемая Гүлнар Ержанқызы!" in woman
    man = example("grant_notice")
    man["applicant"].update(last_name="Сериков", first_name="Ержан", middle_name="Қайратұлы", iin="760212350620")
    assert "Уважаемый Ержан Қайратұлы!" in text_of(client, "grant_notice", man, "ru")
    assert "Құрметті Гүлнар Ержанқызы!" in text_of(client, "refusal_notice")
    assert "С актом ознакомлена:" in text_of(client, "inspection_act", lang="ru")
    assert "Согласна на сбор" in text_of(client, "application", lang="ru")
    assert "Заявитель отказалась (уклонилась)" in text_of(client, "inspection_act", VARIANTS[len(TYPES) + 1][1], "ru")


# --- consistency with the regulation

@pytest.mark.parametrize("lang, line", [("kk", "Тексеруден бас тартты (04.11.2026):"),
                                        ("ru", "От обследования отказалась (04.11.2026):")])
def test_a_refused_inspection_has_a_line_for_the_refusal(client, lang, line):
    assert line in text_of(client, "inspection_act", VARIANTS[len(TYPES) + 1][1], lang)
    assert line.split(" (")[0] not in text_of(client, "inspection_act", lang=lang)


@pytest.mark.parametrize("lang, addressed, deceased", [
    ("kk", "Алушының отбасы мүшесіне (өкіліне):\nСериков Ержан\nАқтас кенті, Бейбітшілік көшесі, 3-үй",
     "Әлеуметтік көмек алушы: Серікова Гүлнар Ержанқызы"),
    ("ru", "Члену семьи (представителю) получателя:\nСериков Ержан\nпосёлок Актас, Бейбітшілік көшесі, д. 3",
     "Получатель социальной помощи: Серікова Гүлнар Ержанқызы"),
])
def test_termination_for_death_is_addressed_to_the_family(client, lang, addressed, deceased):
    text = text_of(client, "termination_notice", VARIANTS[len(TYPES) + 3][1], lang)
    assert addressed in text and deceased in text
    assert "Абай даңғылы" not in text      # not sent to the deceased's address


@pytest.mark.parametrize("lang", LANGS)
def test_decision_names_the_conclusion_and_the_deadlines(client, lang):
    text = text_of(client, "decision", VARIANTS[len(TYPES)][1], lang)
    if lang == "ru":
        assert "Заключение специальной комиссии: от 10 ноября 2026 г. № АК-19." in text
        assert "Срок принятия решения: не позднее 12 ноября 2026 г." in text
        assert "не позднее 17 ноября 2026 года (пункт 23 Правил)" in text
    without = text_of(client, "decision", lang=lang)       # not known: a blank for it, not silence
    assert re.search(r"(Заключение специальной комиссии: от «__»|Арнайы комиссияның қорытындысы: 20__ жылғы)", without)


def test_extended_review_moves_the_printed_deadline(client):
    body = example("decision")
    body["extended_review"] = True
    assert "Срок принятия решения: не позднее 30 ноября 2026 г." in text_of(client, "decision", body, "ru")


RULES = [
    ("termination_notice", {"circumstance_date": "2026-11-11"}, "circumstance_date", "circumstance_before_decision"),
    ("termination_notice", {"ground": "p27_1_death"}, "recipient", "required"),
    ("termination_notice", {"recipient": RECIPIENT}, "recipient", "not_applicable"),
    ("decision", {"conclusion": {"number": "АК-19", "date": "2026-11-10", "amount": "40000"}}, "amount",
     "amount_above_conclusion"),
    ("decision", {"ground": "socially_significant_disease", "amount": "43250.01"}, "amount", "p9_limit_exceeded"),
    ("grant_notice", {"bank_account": DELETE}, "bank_account", "required"),
    ("application", {"family_members": [], "incomes": [], "no_income": True}, "family_members",
     "family_members_required"),
    ("special_commission_conclusion", {"household_income_quarter": DELETE}, "household_income_quarter", "required"),
    ("application", {"ground_details": "Үй өртенді 🔥"}, "ground_details", "emoji_not_allowed"),
    ("legal_aid_request", {"applicant.last_name": "Серікова 🇰🇿"}, "applicant.last_name", "emoji_not_allowed"),
    ("application", {"date": "2013-06-01", "attachments.identity_document": True}, "date", "act_not_in_force"),
]


@pytest.mark.parametrize("doc_type, changes, field, code", RULES, ids=[f"{r[0]}:{r[3]}" for r in RULES])
def test_what_the_regulation_does_not_allow(client, doc_type, changes, field, code):
    body = example(doc_type)
    for path, value in changes.items():
        set_path(body, path, value)
    for lang in LANGS:
        resp = generate(client, doc_type, body, lang)
        assert resp.status_code == 422, resp.get_json()
        assert (field, code) in errors_of(resp)
        message = next(e["message"] for e in resp.get_json()["errors"] if e["field"] == field)
        assert message and code not in message


def test_what_the_regulation_allows(client):
    in_kind = example("grant_notice")
    in_kind["form"] = "in_kind"
    del in_kind["bank_account"]
    assert generate(client, "grant_notice", in_kind).status_code == 200
    decision = example("decision")
    decision.update(ground="fire", amount="400000", conclusion={"number": "АК-19", "date": "2026-11-10",
                                                                 "amount": "400000"})
    assert generate(client, "decision", decision).status_code == 200
    same_day = example("termination_notice")
    same_day["circumstance_date"] = same_day["decision"]["date"]
    assert generate(client, "termination_notice", same_day).status_code == 200
