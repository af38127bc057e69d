"""End to end in real headless Chromium: fill, make a mistake, correct it, download.

Also checks accessibility with axe-core (no serious or critical violations), the keyboard,
a phone screen and 200% zoom. Screenshots go to tests/artifacts/ for a person to look at.
"""
import re
import threading
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect, sync_playwright
from werkzeug.serving import make_server

from formsvc.web.forms import formdata_from_payload
from formsvc.documents.pdf import free_port
from tests.conftest import docx_text, example
from tests.test_web import DOC_ID_LINES

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice, pytest.mark.usefixtures("pdf_ready")]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(app):
    port = free_port()
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: scripts/setup --dev installs it"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], v["help"]) for v in results.response["violations"]
           if v["impact"] in ("serious", "critical")]
    assert bad == [], bad


def fill(page: Page, app, doc_type: str, payload: dict) -> None:
    """Type the payload into the form the way a person would."""
    spec = app.extensions["formsvc.documents"].registry.types[doc_type].root
    for name, value in formdata_from_payload(spec, payload).items(multi=True):
        field = page.locator(f'[name="{name}"]')
        row = re.match(r"^(.*?)-(\d+)(?:-[a-z_]+)?$", name)
        if field.count() == 0 and row:          # a second row: press "add a row" as a person would
            page.locator(f'button[value="add:{row.group(1)}"]').click()
            expect(field.first).to_be_attached()
        if field.count() > 1 or field.first.get_attribute("type") == "checkbox":
            target = page.locator(f'[name="{name}"][value="{value}"]') if field.count() > 1 else field
            target.check()
        elif field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


@pytest.mark.parametrize("lang, other", [("kk", "ru"), ("ru", "kk")])
def test_fill_mistake_correct_download(page, app, server, client, lang, other, tmp_path):
    payload = example("application")
    wrong = example("application")
    wrong["applicant"]["iin"] = "871008401428"
    page.goto(f"{server}/forms/application?lang={other}")
    fill(page, app, "application", wrong)
    # switch language: what was typed stays
    page.get_by_role("button", name={"kk": "Қазақша", "ru": "Русский"}[lang]).click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("#applicant-last_name")).to_have_value("Серікова")
    expect(page.locator("#ground_details")).to_have_value(payload["ground_details"])

    page.get_by_role("button", name={"kk": "Тексеру және жалғастыру", "ru": "Проверить и продолжить"}[lang]).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    link = summary.locator('a[href="#applicant-iin"]')
    expect(link).to_contain_text({"kk": "ЖСН", "ru": "ИИН"}[lang])
    iin = page.locator("#applicant-iin")
    expect(iin).to_have_attribute("aria-invalid", "true")
    expect(iin).to_have_value("871008401428")
    expect(page.locator("#applicant-identity_document-number")).to_have_value("041234567")
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / f"form-error-desktop-{lang}.png"), full_page=True)

    link.click()
    iin.fill(payload["applicant"]["iin"])
    page.get_by_role("button", name={"kk": "Тексеру және жалғастыру", "ru": "Проверить и продолжить"}[lang]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text({"kk": "Құжат дайын", "ru": "Документ готов"}[lang])
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / f"ready-{lang}.png"), full_page=True)
    # switching language on the ready page keeps the data (the page is re-posted)
    page.get_by_role("button", name={"kk": "Русский", "ru": "Қазақша"}[lang]).click()
    expect(page.locator("html")).to_have_attribute("lang", other)
    page.get_by_role("button", name={"kk": "Қазақша", "ru": "Русский"}[lang]).click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_have_text({"kk": "Құжат дайын", "ru": "Документ готов"}[lang])

    with page.expect_download() as got:
        page.get_by_role("button", name=re.compile("DOCX")).click()
    docx = Path(got.value.path()).read_bytes()
    assert got.value.suggested_filename.endswith(".docx")
    api = client.post(f"/api/v1/documents/application?lang={lang}", json=payload)
    assert DOC_ID_LINES.sub("", docx_text(docx)) == DOC_ID_LINES.sub("", docx_text(api.data))

    with page.expect_download() as got:
        page.get_by_role("button", name=re.compile("PDF")).click()
    assert Path(got.value.path()).read_bytes().startswith(b"%PDF")


def test_rows_with_javascript(page, server):
    page.goto(f"{server}/forms/application?lang=ru")
    group = page.locator("#family_members")
    group.get_by_role("button", name="Добавить строку").click()
    expect(page.locator('[name="family_members-1-last_name"]')).to_be_focused()
    expect(group.locator("[data-row]")).to_have_count(2)
    page.locator('[name="family_members-1-last_name"]').fill("Екінші")
    group.locator("[data-row]").first.get_by_role("button", name=re.compile("Удалить строку")).click()
    expect(group.locator("[data-row]")).to_have_count(1)
    expect(page.locator('[name="family_members-1-last_name"]')).to_have_value("Екінші")


def test_keyboard_reaches_the_form(page, server):
    page.goto(f"{server}/forms/legal_aid_request")
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") in ("INPUT", "SELECT", "TEXTAREA"):
            break
    assert page.evaluate("document.activeElement.id") == "number"
    assert_accessible(page)


@pytest.mark.parametrize("width, name", [(390, "phone"), (640, "zoom-200")])
def test_narrow_screens_do_not_scroll_sideways(browser, server, width, name):
    context = browser.new_context(viewport={"width": width, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    for path in ("/", "/forms/application", "/forms/inspection_act?lang=ru"):
        page.goto(server + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    page.goto(server + "/forms/application")
    page.screenshot(path=str(ARTIFACTS / f"form-{name}.png"), full_page=False)
    assert_accessible(page)
    context.close()


def test_index_and_verify_pages_are_accessible(page, server):
    for path in ("/", "/?lang=ru", "/verify/00000000-0000-0000-0000-000000000000"):
        page.goto(server + path)
        assert_accessible(page)
