"""Every document type of the procedure: text in both languages, computed figures, rules, warnings."""
import pytest

from formsvc.definitions.rules import FINDINGS, FURTHER_FINDINGS
from tests.conftest import DELETE, docx_text, errors_of, example, generate, set_path

TYPES = ["application", "inspection_act", "district_commission_conclusion", "special_commission_conclusion",
         "decision", "refusal_notice", "grant_notice", "termination_notice", "legal_aid_request"]

# What a reader must find in each document, beyond the applicant's name.
EXPECTED = {
    ("inspection_act", "kk"): ["МАТЕРИАЛДЫҚ ЖАҒДАЙЫН ТЕКСЕРУ АКТІСІ", "№ А-77", "2026 жылғы 4 қараша", "Сериков Ержан",
                               "Емделуде", "Жекешелендірілген тұрғын үй", "180 000,00", "Жұмабаев Қайрат Серікұлы",
                               "Актімен таныстым", "Әлеуметтік мәні бар ауруы бар адам", "Қанағаттанарлық"],
    ("inspection_act", "ru"): ["АКТ ОБСЛЕДОВАНИЯ МАТЕРИАЛЬНОГО ПОЛОЖЕНИЯ", "4 ноября 2026 г.", "Приватизированное жильё",
                               "С актом ознакомлена", "Иванов Пётр Сергеевич"],
    ("district_commission_conclusion", "kk"): ["ҚОРЫТЫНДЫ", "№ УК-31", "Әлеуметтік көмек көрсету қажет",
                                               "5 құжатпен бірге 2026 жылғы 6 қарашада қабылданды", "Омарова Әйгерім"],
    ("district_commission_conclusion", "ru"): ["ЗАКЛЮЧЕНИЕ", "Нуждается в оказании социальной помощи",
                                               "документами (5) получено 6 ноября 2026 г."],
    ("special_commission_conclusion", "kk"): ["30 000,00", "50 851,00", "4 325,00", "76 276,50", "43 250,00",
                                              "10 АЕК", "1,5 ×", "қырық үш мың екі жүз елу теңге, нөл тиын",
                                              "мерзімділігі: бір рет; нысаны: ақшалай"],
    ("special_commission_conclusion", "ru"): ["30 000,00", "Прожиточный минимум на 10 ноября 2026 г.", "10 МРП",
                                              "сорок три тысячи двести пятьдесят тенге, ноль тиынов",
                                              "периодичность: единовременно; форма: в денежной форме"],
    ("decision", "kk"): ["ШЕШІМ", "№ Ш-118", "2026 жылғы 2 қарашада тіркелген", "әлеуметтік көмек тағайындалсын",
                         "43 250,00 теңге", "Нұрланов Ғалымжан Һашимұлы"],
    ("decision", "ru"): ["РЕШЕНИЕ", "Назначить заявителю социальную помощь", "43 250,00 тенге",
                         "пунктом 22 Правил"],
    ("refusal_notice", "kk"): ["БАС ТАРТУ ТУРАЛЫ ХАБАРЛАМА", "жан басына шаққандағы орташа табысы әлеуметтік көмек "
                               "көрсету үшін жергілікті өкілді органдар белгілеген шектен артқан жағдайларда", "90 000 теңге", "шағым жасалуы мүмкін",
                               "Абай даңғылы, 7-үй, 12-пәтер"],
    ("refusal_notice", "ru"): ["УВЕДОМЛЕНИЕ ОБ ОТКАЗЕ", "превышение размера среднедушевого дохода",
                               "Административным процедурно-процессуальным кодексом"],
    ("grant_notice", "kk"): ["ТАҒАЙЫНДАЛҒАНЫ ТУРАЛЫ ХАБАРЛАМА", "KZ86 **** **** **** 0100", "43 250,00 теңге",
                             "қырық үш мың екі жүз елу теңге"],
    ("grant_notice", "ru"): ["О НАЗНАЧЕНИИ СОЦИАЛЬНОЙ ПОМОЩИ", "KZ86 **** **** **** 0100", "Единовременно"],
    ("termination_notice", "kk"): ["ТОҚТАТУ ТУРАЛЫ ХАБАРЛАМА", "тұрақты тұруға кетті", "2026 жылғы 16 қараша",
                                   "2026 жылғы 1 қарашадан бастап", "12 500,50 теңге", "28-тармағына"],
    ("termination_notice", "ru"): ["ПРЕКРАЩЕНИИ СОЦИАЛЬНОЙ ПОМОЩИ", "с 1 ноября 2026 г.", "12 500,50 тенге",
                                   "двенадцать тысяч пятьсот тенге, пятьдесят тиынов"],
    ("legal_aid_request", "kk"): ["ӨТІНІШ", "Жасына байланысты зейнеткерлер", "Құқықтық консультация беру",
                                  "«Әділет» заң консультациясы", "Пәтерді жекешелендіру"],
    ("legal_aid_request", "ru"): ["ЗАЯВЛЕНИЕ", "Пенсионеры по возрасту", "Правовое информирование",
                                  "Гражданское дело"],
    ("application", "kk"): ["ӨТІНІШ"], ("application", "ru"): ["ЗАЯВЛЕНИЕ"],
}


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("doc_type", TYPES)
def test_every_type_in_both_languages(client, doc_type, lang):
    resp = generate(client, doc_type, example(doc_type), lang)
    assert resp.status_code == 200, resp.get_json()
    text = docx_text(resp.data).replace("\xa0", " ")
    for expected in ["Серікова Гүлнар Ержанқызы", *EXPECTED[(doc_type, lang)]]:
        assert expected in text, expected


def test_whole_iban_never_printed_on_grant_notice(client):
    text = docx_text(generate(client, "grant_notice", example("grant_notice")).data)
    assert "KZ86125KZT5004100100" not in text


def test_listed_in_document_types(client):
    listed = {t["type"] for t in client.get("/api/v1/document-types").get_json()}
    assert listed == set(TYPES)


# --- computed figures are the service's, never the client's

def test_client_cannot_send_computed_figures(client):
    body = example("special_commission_conclusion")
    body["per_capita_income"] = "1.00"
    resp = generate(client, "special_commission_conclusion", body)
    assert errors_of(resp) == {("per_capita_income", "unknown_field")}


@pytest.mark.parametrize("day, pm, mci", [("2025-06-30", "46 228,00", "3 932,00"), ("2026-01-01", "50 851,00", "4 325,00")])
def test_parameters_in_force_on_the_conclusion_date(client, day, pm, mci):
    body = example("special_commission_conclusion")
    body.update(date=day, amount="1000")
    body["application"]["date"] = day
    text = docx_text(generate(client, "special_commission_conclusion", body).data).replace("\xa0", " ")
    assert pm in text and mci in text


def test_per_capita_income_rounds_half_up(client):
    body = example("special_commission_conclusion")
    body.update(household_size=3, household_income_quarter="100000")   # 100000 / 3 / 3 = 11111.11
    text = docx_text(generate(client, "special_commission_conclusion", body).data).replace("\xa0", " ")
    assert "11 111,11" in text


def test_threshold_only_where_p8_applies(client):
    body = example("special_commission_conclusion")
    body.update(ground="fire", amount="400000")   # 100 MCI = 432 500
    text = docx_text(generate(client, "special_commission_conclusion", body).data).replace("\xa0", " ")
    assert "432 500,00" in text and "100 АЕК" in text
    assert "Табыс шегі" not in text


# --- every rule broken on purpose

RULE_CASES = [
    ("special_commission_conclusion", "amount", "43250.01", "amount", "p9_limit_exceeded"),
    ("special_commission_conclusion", "ground", "natural_disaster", None, None),   # 43 250 < 100 MCI
    ("special_commission_conclusion", "amount", DELETE, "amount", "required"),
    ("special_commission_conclusion", "amount", "0", "amount", "must_be_positive"),
    ("special_commission_conclusion", "household_income_quarter", "460000", "conclusion", "p8_income_above_threshold"),
    ("special_commission_conclusion", "household_size", 0, "household_size", "too_small"),
    ("special_commission_conclusion", "date", "2023-06-01", "date", "parameters_unavailable"),
    ("special_commission_conclusion", "commission.members", [], "commission.members", "too_few_items"),
    ("inspection_act", "inspection_refused", True, "refusal_recorded_on", "required"),
    ("inspection_act", "able_bodied_count", -1, "able_bodied_count", "too_small"),
    ("inspection_act", "able_bodied_count", 1.5, "able_bodied_count", "invalid"),
    ("inspection_act", "vulnerable_categories", ["other"], "vulnerable_other", "required"),
    ("inspection_act", "housing.kind", "castle", "housing.kind", "invalid_choice"),
    ("inspection_act", "application.date", "2026-11-05", "application.date", "after_document_date"),
    ("district_commission_conclusion", "documents_count", 0, "documents_count", "too_small"),
    ("district_commission_conclusion", "conclusion", "maybe", "conclusion", "invalid_choice"),
    ("decision", "outcome", "refused", "refusal_reasons", "p25_reason_required"),
    ("decision", "refusal_reasons", ["p25_4_bad_mood"], "refusal_reasons.0", "p25_reason_unknown"),
    ("decision", "periodicity", DELETE, "periodicity", "required"),
    ("decision", "date", "2026-10-30", "date", "before_registration"),
    ("refusal_notice", "reasons", [], "reasons", "p25_reason_required"),
    ("refusal_notice", "reasons", DELETE, "reasons", "p25_reason_required"),
    ("refusal_notice", "reasons.0.code", "p25_9_other", "reasons.0.code", "p25_reason_unknown"),
    ("refusal_notice", "date", "2026-11-11", "date", "before_decision"),
    ("grant_notice", "bank_account.iban", "KZ86125KZT5004100101", "bank_account.iban", "iban_invalid"),
    ("grant_notice", "amount", "-1", "amount", "too_small"),
    ("termination_notice", "ground", "p27_5_boredom", "ground", "invalid_choice"),
    ("termination_notice", "circumstance_date", "2099-01-01", "circumstance_date", "date_in_future"),
    ("legal_aid_request", "entrepreneurial_dispute", True, "entrepreneurial_dispute", "la_p10_entrepreneurial"),
    ("legal_aid_request", "aid_forms", [], "aid_forms", "too_few_items"),
    ("legal_aid_request", "aid_forms", ["legal_information", "legal_information"], "aid_forms.1", "duplicate"),
    ("legal_aid_request", "category", "millionaire", "category", "invalid_choice"),
    ("legal_aid_request", "applicant.phone", DELETE, "applicant.phone", "required"),
]


@pytest.mark.parametrize("doc_type, path, value, field, code", RULE_CASES,
                         ids=[f"{c[0]}:{c[1]}={str(c[2])[:16]}" for c in RULE_CASES])
def test_rule_broken_on_purpose(client, doc_type, path, value, field, code):
    body = example(doc_type)
    set_path(body, path, value)
    resp = generate(client, doc_type, body)
    if code is None:
        assert resp.status_code == 200, resp.get_json()
        return
    assert resp.status_code == 422, resp.get_json()
    assert (field, code) in errors_of(resp)


def test_entrepreneurial_dispute_outside_civil_proceedings_is_fine(client):
    body = example("legal_aid_request")
    body.update(entrepreneurial_dispute=True, proceeding="administrative")
    assert generate(client, "legal_aid_request", body).status_code == 200


def test_refused_decision_cites_p25(client):
    body = example("decision")
    body.update(outcome="refused", refusal_reasons=["p25_2_inspection_refused"])
    for key in ("amount", "periodicity", "form"):
        del body[key]
    text = docx_text(generate(client, "decision", body, "ru").data)
    assert "Отказать" in text and "уклонение заявителя от проведения обследования" in text


def test_refused_decision_with_amount_is_contradictory(client):
    body = example("decision")
    body.update(outcome="refused", refusal_reasons=["p25_1_unreliable_information"])
    assert ("amount", "not_applicable") in errors_of(generate(client, "decision", body))


def test_duplicate_refusal_ground(client):
    body = example("refusal_notice")
    body["reasons"].append(dict(body["reasons"][0]))
    assert ("reasons.1.code", "p25_reason_duplicate") in errors_of(generate(client, "refusal_notice", body))


def test_inspection_refusal_is_printed(client):
    body = example("inspection_act")
    body.update(inspection_refused=True, refusal_recorded_on="2026-11-04")
    assert ("housing", "not_applicable") in errors_of(generate(client, "inspection_act", body, expect=422))
    for key in FINDINGS + FURTHER_FINDINGS:   # a refused inspection establishes nothing
        body.pop(key, None)
    text = docx_text(generate(client, "inspection_act", body).data)
    assert "тексеру жүргізуден бас тартты" in text and "25-тармағының 2)" in text
    assert "мынаны анықтады" not in text and "Тұрғын үй жағдайы" not in text


def test_no_overpayment_no_return_paragraph(client):
    body = example("termination_notice")
    body["overpaid_amount"] = "0"
    assert "28-тармағына" not in docx_text(generate(client, "termination_notice", body).data)


# --- deadlines: late is accepted, with a warning

def test_late_decision_is_accepted_with_a_warning(client):
    body = example("decision")
    body["date"] = "2026-11-13"   # registered 2026-11-02: 8 working days end 2026-11-12
    resp = generate(client, "decision", body, validate=True)
    assert resp.status_code == 200
    assert [(w["field"], w["code"]) for w in resp.get_json()["warnings"]] == [("date", "p22_deadline_passed")]
    assert "2026-11-12" in resp.get_json()["warnings"][0]["message"]
    generated = generate(client, "decision", body)
    assert generated.status_code == 200 and generated.headers["X-Warnings"] == "date:p22_deadline_passed"


def test_extended_review_allows_twenty_working_days(client):
    body = example("decision")
    body.update(date="2026-11-13", extended_review=True)
    assert generate(client, "decision", body, validate=True).get_json()["warnings"] == []


def test_decision_on_the_last_day_has_no_warning(client):
    body = example("decision")
    body["date"] = "2026-11-12"
    assert generate(client, "decision", body, validate=True).get_json()["warnings"] == []


@pytest.mark.parametrize("doc_type", ["refusal_notice", "grant_notice"])
def test_late_notice_is_accepted_with_a_warning(client, doc_type):
    body = example(doc_type)
    body["date"] = "2026-11-18"   # decision 2026-11-12 (Thu): 3 working days end Tue 2026-11-17
    resp = generate(client, doc_type, body, "ru", validate=True)
    assert resp.status_code == 200
    warning = resp.get_json()["warnings"][0]
    assert (warning["field"], warning["code"]) == ("date", "p23_deadline_passed")
    assert "2026-11-17" in warning["message"]
    body["date"] = "2026-11-17"
    assert generate(client, doc_type, body, validate=True).get_json()["warnings"] == []
