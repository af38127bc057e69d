"""The commission and profile pages in real headless Chromium, checked with axe-core: a commission
made after a mistake, changed and deactivated; a clerk's own signatory profile."""
import re

import pytest
from playwright.sync_api import Page, expect

from formsvc.auth import users
from tests.conftest import make_app
from tests.test_browser import assert_accessible, browser, page, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.slow
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("staff-browser"))
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        for name, role in (("clerk", "clerk"), ("admin", "admin")):
            users.create(session, name, role, PASSWORD, full_name=f"Сынақ {name}")
        session.commit()
    return app


def sign_in(page: Page, server: str, who: str) -> None:
    page.goto(f"{server}/clerk/login?lang=ru")
    page.fill("#username", who)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.locator(".clerk-nav .who")).to_contain_text(f"Сынақ {who}")


def test_the_administrator_keeps_a_commission(page, server):
    sign_in(page, server, "admin")
    page.goto(f"{server}/clerk/admin/commissions?lang=ru")
    assert_accessible(page)
    page.select_option("#settlement", "saran")
    page.fill("#name_kk", "Саран қаласының №1 учаскелік комиссиясы")
    page.fill("#chair", "Серіков А. Б.")
    page.fill("#members", "Ахметова Б. С.\nИванов И. И.")
    page.get_by_role("button", name="Создать комиссию").click()
    expect(page.locator("#name_ru-error")).to_have_text("Это поле обязательно для заполнения.")
    expect(page.locator("#members")).to_have_value("Ахметова Б. С.\nИванов И. И.")    # kept
    assert_accessible(page)
    page.fill("#name_ru", "Участковая комиссия №1 г. Сарани")
    page.get_by_role("button", name="Создать комиссию").click()
    expect(page.get_by_role("status")).to_have_text("Комиссия создана.")
    page.get_by_role("link", name=re.compile("^Изменить")).click()
    assert_accessible(page)
    page.fill("#chair", "Төлеубаев Н. Қ.")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("status")).to_have_text("Изменения комиссии сохранены.")
    expect(page.locator("td", has_text="Төлеубаев Н. Қ.")).to_have_count(1)
    page.get_by_role("link", name=re.compile("^Прекратить действие")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Участковая комиссия №1 г. Сарани")
    assert_accessible(page)
    page.get_by_role("button", name="Да, прекратить действие").click()
    expect(page.get_by_role("status")).to_have_text("Действие комиссии прекращено.")
    assert_accessible(page)


def test_a_clerk_fills_their_signatory_profile(page, server):
    sign_in(page, server, "clerk")
    page.goto(f"{server}/clerk/profile?lang=kk")
    assert_accessible(page)
    page.fill("#full_name", "Ахметова Б. С.")
    page.fill("#position_kk", "Бөлім басшысы")
    page.get_by_role("button", name="Сақтау").click()
    expect(page.locator("#position_ru-error")).to_be_visible()
    assert_accessible(page)
    page.fill("#position_ru", "Руководитель отдела")
    page.get_by_role("button", name="Сақтау").click()
    expect(page.locator(".notice-ok")).to_have_text("Деректеріңіз сақталды.")
    expect(page.locator("#full_name")).to_have_value("Ахметова Б. С.")
    assert_accessible(page)
