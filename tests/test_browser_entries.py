"""Nothing typed twice: a whole granted case carried through the clerk pages in Chromium by the
clerk and both commissions, counting every value a person types, ticks or chooses. What the case
already holds is on the page already; a whole case takes at most 50 entries."""
import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from formsvc.auth import users
from formsvc.staff import service as staff
from formsvc.web.forms import formdata_from_payload
from tests.conftest import example, make_app
from tests.test_browser import browser, page, server  # noqa: F401 - fixtures
from tests.test_browser_clerk import PASSWORD, SUBMIT, sign_in, sign_out

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice, pytest.mark.usefixtures("pdf_ready")]
MOST_ENTRIES = 50


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("entries"))
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        for name, role in (("clerk", "clerk"), ("district", "district_commission"), ("special", "special_commission")):
            users.create(session, name, role, PASSWORD, full_name=f"Сынақ {name}")
        staff.save_signatory(session, "clerk", "Нұрланов Ғ. Һ.", "Бөлім басшысы", "Руководитель отдела")
        for kind, settlement, chair in (("district", "saran", "Жұмабаев Қ. С."), ("special", None, "Әлиева С. М.")):
            staff.set_commission(session, staff.CommissionInput(kind, settlement, "Комиссия", "Комиссия", chair,
                                                                ["Иванов П. С."]), "test")
        session.commit()
    yield app
    app.extensions["formsvc.documents"].pdf.stop()


class Counter:
    """Types a document's values the way a person would, counting only what had to be typed."""

    def __init__(self, app) -> None:
        self.app, self.entries = app, {}

    def fill(self, page: Page, doc_type: str, payload: dict, spec=None) -> None:
        spec = spec or self.app.extensions["formsvc.documents"].registry.types[doc_type].root
        typed = 0
        for name, value in formdata_from_payload(spec, payload).items(multi=True):
            field = page.locator(f'[name="{name}"]')
            row = re.match(r"^(.*?)-(\d+)(?:-[a-z_]+)?$", name)
            if field.count() == 0 and row:          # a second row: "add a row", as a person would
                page.locator(f'button[value="add:{row.group(1)}"]').click()
                expect(field.first).to_be_attached()
            if field.count() > 1 or field.first.get_attribute("type") == "checkbox":
                target = page.locator(f'[name="{name}"][value="{value}"]') if field.count() > 1 else field
                if not target.is_checked():
                    target.check()
                    typed += 1
            elif field.input_value() != value:
                if field.evaluate("el => el.tagName") == "SELECT":
                    field.select_option(value)
                else:
                    field.fill(value)
                typed += 1
        self.entries[doc_type] = self.entries.get(doc_type, 0) + typed

    @property
    def total(self) -> int:
        return sum(self.entries.values())


def issue(page: Page, counter: Counter, case_url: str, doc_type: str, payload: dict) -> None:
    page.goto(case_url)
    page.locator(f'a[href*="/issue/{doc_type}"]').first.click()
    counter.fill(page, doc_type, payload)
    page.get_by_role("button", name=SUBMIT["ru"]).click()
    expect(page).to_have_url(re.compile(r"/clerk/cases/[0-9a-f-]+\?lang=ru"))


def step(page: Page, case_url: str, name: str) -> None:
    page.goto(case_url)
    page.get_by_role("button", name="Отметить выполнение").click()   # the date offered is today's
    expect(page.locator(".timeline li.done", has_text=f"п. {name[1:]} ")).to_have_count(1)


def test_a_whole_granted_case_in_at_most_50_entries(page, app, server):
    today = app.extensions["formsvc.documents"].registry.today().isoformat()
    counter = Counter(app)
    sign_in(page, server, "clerk")
    page.get_by_role("link", name="Зарегистрировать бумажное заявление").click()
    application = example("application")
    application["date"] = today
    counter.fill(page, "application", application)
    page.get_by_role("button", name=SUBMIT["ru"]).click()
    expect(page).to_have_url(re.compile(r"/clerk/cases/[0-9a-f-]+\?lang=ru"))
    case_url = page.url
    step(page, case_url, "p16")
    sign_out(page)

    sign_in(page, server, "district")   # what the commission establishes; the rest is on the page
    act = example("inspection_act")
    issue(page, counter, case_url, "inspection_act", {
        "able_bodied_count": act["able_bodied_count"], "registered_unemployed_count": 0,
        "children_paid_education_count": 0, "paid_education_cost_year": "0", "housing": act["housing"]})
    conclusion = example("district_commission_conclusion")
    issue(page, counter, case_url, "district_commission_conclusion", {
        "conclusion": "assistance_needed", "documents_count": conclusion["documents_count"],
        "received_by": conclusion["received_by"], "received_on": today})
    sign_out(page)

    sign_in(page, server, "clerk")
    step(page, case_url, "p20")
    sign_out(page)
    sign_in(page, server, "special")
    issue(page, counter, case_url, "special_commission_conclusion", {
        "conclusion": "assistance_needed", "amount": "43250", "periodicity": "one_time", "form": "cash"})
    sign_out(page)

    sign_in(page, server, "clerk")
    issue(page, counter, case_url, "decision", {"outcome": "granted"})
    issue(page, counter, case_url, "grant_notice", {})
    page.goto(case_url)
    expect(page.locator(".timeline li.done")).to_have_count(7)
    print("entries:", counter.entries, "total:", counter.total)
    assert counter.entries["grant_notice"] == 0 and counter.entries["decision"] <= 1
    assert counter.total <= MOST_ENTRIES, counter.entries
    # what the case held was not asked again: the decision carries the conclusion's terms
    with app.app_context():
        from formsvc.cases.models import Case
        case = app.extensions["sqlalchemy"].session.query(Case).one()
        assert (str(case.amount), case.periodicity, case.form) == ("43250.00", "one_time", "cash")
        assert case.decided_on == date.fromisoformat(today)
