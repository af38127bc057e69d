"""The clerks' workspace in real headless Chromium: one case from sign-in to the bundle, every
page checked with axe-core, the case page at phone width. Screenshots in tests/artifacts/."""
import re
from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from formsvc.auth import users
from tests.conftest import example, make_app
from tests.test_browser import ARTIFACTS, assert_accessible, browser, fill, page, server  # noqa: F401 - fixtures
from tests.test_cases import fresh

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice, pytest.mark.usefixtures("pdf_ready")]
PASSWORD = "correct horse battery"
SUBMIT = {"kk": "Тексеру және жалғастыру", "ru": "Проверить и продолжить"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("clerk-browser"), CASE_FORMATS=["docx", "pdf"])   # the bundle binds PDFs
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        for name, role in (("clerk", "clerk"), ("district", "district_commission"),
                           ("special", "special_commission"), ("admin", "admin")):
            users.create(session, name, role, PASSWORD, full_name=f"Сынақ {name}")
        session.commit()
    yield app
    app.extensions["formsvc.documents"].pdf.stop()


def sign_in(page: Page, server: str, who: str) -> None:
    page.goto(f"{server}/clerk/login?lang=ru")
    assert_accessible(page)
    page.fill("#username", who)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.locator(".clerk-nav .who")).to_contain_text(f"Сынақ {who}")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Выйти").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Вход сотрудника")


def issue(page: Page, app, server: str, case_url: str, doc_type: str, **changes) -> None:
    """Open the case, follow its next-step link, fill what the case does not know, submit."""
    page.goto(case_url)
    page.locator(f'a[href*="/issue/{doc_type}"]').first.click()
    expect(page.locator("details summary")).to_have_text("Что берётся из дела")
    assert_accessible(page)
    body = fresh(doc_type, **changes)
    fill(page, app, doc_type, body)
    page.get_by_role("button", name=SUBMIT["ru"]).click()
    expect(page).to_have_url(re.compile(r"/clerk/cases/[0-9a-f-]+\?lang=ru$"))


def record_step(page: Page, case_url: str, step: str, day: str) -> None:
    page.goto(case_url)
    page.fill(f"#step-{step}-date", day)
    page.get_by_role("button", name="Отметить выполнение").click()
    expect(page.locator(".timeline li.done", has_text=f"п. {step[1:]} ")).to_have_count(1)


def test_a_case_from_sign_in_to_the_bundle(page, app, server):
    sign_in(page, server, "clerk")
    assert_accessible(page)                                   # the dashboard
    page.get_by_role("link", name="Зарегистрировать бумажное заявление").click()
    application = example("application")
    application["date"] = "2026-11-02"
    page.fill("#registered_on", "2026-11-02")
    fill(page, app, "application", application)
    assert_accessible(page)
    page.get_by_role("button", name=SUBMIT["ru"]).click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Дело №")
    number = re.search(r"\d{4}-\d{6}", heading.inner_text()).group(0)
    case_url = page.url
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / "clerk-case-desktop.png"), full_page=True)
    record_step(page, case_url, "p16", "2026-11-03")
    sign_out(page)

    sign_in(page, server, "district")
    expect(page.locator("#group-overdue, #group-today, #group-later").first).to_be_visible()
    issue(page, app, server, case_url, "inspection_act", date="2026-11-04")
    issue(page, app, server, case_url, "district_commission_conclusion", date="2026-11-05", received_on="2026-11-05")
    sign_out(page)

    sign_in(page, server, "clerk")
    record_step(page, case_url, "p20", "2026-11-06")
    sign_out(page)
    sign_in(page, server, "special")
    issue(page, app, server, case_url, "special_commission_conclusion", date="2026-11-09")
    sign_out(page)

    sign_in(page, server, "clerk")
    issue(page, app, server, case_url, "decision", date="2026-11-10")
    issue(page, app, server, case_url, "grant_notice", date="2026-11-11")
    page.goto(case_url)
    expect(page.locator(".lead")).to_contain_text("Дело завершено")
    expect(page.locator(".later-actions a.button-secondary")).to_contain_text("Уведомление о прекращении")
    expect(page.locator(".timeline li.done")).to_have_count(7)
    with page.expect_download() as got:
        page.get_by_role("link", name="Всё дело (PDF) (ru)").click()
    reader = PdfReader(BytesIO(Path(got.value.path()).read_bytes()))
    assert len(reader.outline) == 6          # one bookmark per document
    assert f"Дело № {number}" in reader.pages[0].extract_text()

    page.get_by_role("link", name="Дела").click()
    page.fill("#q", "871008401427")
    page.get_by_role("button", name="Поиск").click()
    assert "871008401427" not in page.url
    expect(page.get_by_role("link", name=number)).to_be_visible()
    assert_accessible(page)

    page.set_viewport_size({"width": 390, "height": 844})       # a phone
    page.goto(case_url)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(ARTIFACTS / "clerk-case-phone.png"), full_page=True)
    sign_out(page)


def test_a_correction_works_at_the_first_submit_and_keeps_its_reason(page, app, server):
    client = app.test_client()

    def api(path, role, body):
        resp = client.post(f"/api/v1{path}", json=body,
                           headers={"Authorization": f"Bearer {app.config['TEST_TOKENS'][role]}"})
        assert resp.status_code in (200, 201), resp.get_data(as_text=True)[:500]
        return resp.get_json()
    case = api("/cases", "clerk", {**example("application"), "date": "2026-11-02", "registered_on": "2026-11-02"})
    api(f"/cases/{case['id']}/steps/p16", "clerk", {"date": "2026-11-03"})
    api(f"/cases/{case['id']}/documents/inspection_act", "district_commission",
        fresh("inspection_act", date="2026-11-04", number="А-1"))
    sign_in(page, server, "district")
    page.goto(f"{server}/clerk/cases/{case['id']}?lang=ru")
    page.get_by_role("link", name="Исправить").click()
    expect(page.locator("#number")).to_have_value("А-1")            # starts from the act it corrects
    assert_accessible(page)
    page.fill("#number", "А-2")
    page.get_by_label("Причина исправления").fill("Опечатка в номере акта")
    page.get_by_role("button", name=SUBMIT["ru"]).click()            # the first submit goes through
    expect(page).to_have_url(re.compile(rf"/clerk/cases/{case['id']}\?lang=ru$"))
    expect(page.get_by_role("status").first).to_contain_text("Документ исправлен: Акт обследования")
    expect(page.locator("section[aria-labelledby=history-title]")).to_contain_text("Причина: Опечатка в номере акта")
    assert_accessible(page)
    sign_out(page)


def test_the_administrators_page(page, app, server):
    sign_in(page, server, "admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Пользователи")
    assert_accessible(page)
    page.fill("#new-username", "new.member")
    page.fill("#new-full_name", "Жаңа Мүше")
    page.select_option("#new-role", "district_commission")
    page.fill("#new-password", PASSWORD)
    page.get_by_role("button", name="Создать").click()
    expect(page.locator("table")).to_contain_text("new.member")
    expect(page.get_by_role("status")).to_contain_text("Пользователь «new.member» создан.")
    page.screenshot(path=str(ARTIFACTS / "clerk-users.png"), full_page=True)
