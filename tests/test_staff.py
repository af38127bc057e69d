"""Commissions and signatories: the one-active rule in the database (SQLite and PostgreSQL), the
service's shapes and checks, the administrator's and everyone's pages, and the `commission` commands."""
import re
from datetime import datetime, timezone

import flask_migrate
import pytest
from sqlalchemy import delete, func, inspect, select
from sqlalchemy.exc import IntegrityError

from formsvc.auth import users
from formsvc.core.errors import InvalidInput, NotFound
from formsvc.staff import service
from formsvc.staff.models import Commission, SignatoryProfile
from tests.conftest import PASSWORD, PEOPLE, make_app, make_clerk_app, signed_in

SARAN_1 = service.CommissionInput("district", "saran", "Саран қаласының №1 учаскелік комиссиясы",
                                  "Участковая комиссия №1 г. Сарани", "Серіков А. Б.",
                                  ["Ахметова Б. С.", "Иванов И. И."])
SPECIAL = service.CommissionInput("special", None, "Арнаулы комиссия", "Специальная комиссия", "Жұмабаев Қ. Т.",
                                  ["Петрова О. В."])


def row(kind="district", settlement="saran", active=True):
    return Commission(kind=kind, settlement=settlement, name_kk="К", name_ru="К", chair="Т", members=["М"],
                      active=active, updated_at=datetime.now(timezone.utc), updated_by="tests")


def problems_of(exc_info):
    return {(p.field, p.code) for p in exc_info.value.problems}


# --- the database's rule, on SQLite and PostgreSQL

@pytest.fixture
def db(db_app):
    """The session of db_app, on empty tables (the PostgreSQL database lives for the module)."""
    session = db_app.extensions["sqlalchemy"].session
    session.execute(delete(Commission))
    session.commit()
    return session


def test_migration_creates_the_tables(db_app):
    tables = inspect(db_app.extensions["sqlalchemy"].engine).get_table_names()
    assert {"commissions", "signatory_profiles"} <= set(tables)


def test_one_active_commission_per_kind_and_settlement(db):
    session = db
    session.add_all([row(), row(active=False), row(active=False), row(settlement="aktas"), row("special", None)])
    session.commit()
    for second in (row(), row("special", None)):          # the special commission's NULL counts as one value
        session.add(second)
        with pytest.raises(IntegrityError):
            session.commit()
        session.rollback()
    assert session.scalar(select(func.count()).select_from(Commission).where(Commission.active)) == 3


@pytest.mark.parametrize("kind, settlement", [("special", "saran"), ("district", None), ("district", "astana"),
                                              ("regional", None)])
def test_kind_and_settlement_are_checked_by_the_database(db, kind, settlement):
    session = db
    session.add(row(kind, settlement))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_the_service_turns_a_concurrent_second_active_into_a_problem(db):
    session = db
    session.add(row())
    session.flush()                         # as if another administrator's save came first
    found = Commission(kind="district", active=True)
    service._apply(found, SARAN_1, "tests")
    session.add(found)
    with pytest.raises(InvalidInput) as exc:
        service._flushed(session, found)
    assert problems_of(exc) == {("settlement", "commission_active_exists")}
    session.rollback()


def test_downgrade_removes_the_tables_and_upgrade_restores_them(db_app):
    engine = db_app.extensions["sqlalchemy"].engine
    flask_migrate.downgrade(revision="0006_replaced")
    assert "commissions" not in inspect(engine).get_table_names()
    flask_migrate.upgrade()
    assert "signatory_profiles" in inspect(engine).get_table_names()


# --- the service

@pytest.fixture
def session(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        users.create(session, "ahmetova", "clerk", PASSWORD)
        session.commit()
        yield session
        session.remove()


def test_commission_for_gives_the_active_composition(session):
    assert service.commission_for(session, "district", "saran") is None
    made = service.create_commission(session, SARAN_1, "admin")
    service.create_commission(session, SPECIAL, "admin")
    session.commit()
    assert service.commission_for(session, "district", "saran") == {
        "chair": "Серіков А. Б.", "members": ["Ахметова Б. С.", "Иванов И. И."],
        "name": {"kk": "Саран қаласының №1 учаскелік комиссиясы", "ru": "Участковая комиссия №1 г. Сарани"},
        "id": made.id}
    assert service.commission_for(session, "district", "aktas") is None
    assert service.commission_for(session, "district", None)["id"] == made.id   # the only active one
    assert service.commission_for(session, "special", None)["members"] == ["Петрова О. В."]
    assert service.commission_for(session, "special", "saran")["name"]["ru"] == "Специальная комиссия"
    service.create_commission(session, service.CommissionInput("district", "aktas", "А", "А", "Б", ["В"]), "admin")
    assert service.commission_for(session, "district", None) is None            # two: which one is not known
    service.deactivate_commission(session, made.id, "admin")
    session.commit()
    assert service.commission_for(session, "district", "saran") is None
    assert service.commission_for(session, "district", "aktas")["chair"] == "Б"


def test_commission_input_is_trimmed_and_checked(session):
    made = service.create_commission(session, service.CommissionInput(
        "district", "aktas", "  Ақтас  ", "Актас", " Төраға ", [" Бір ", "Екі"]), "admin")
    assert (made.name_kk, made.chair, made.members) == ("Ақтас", "Төраға", ["Бір", "Екі"])
    with pytest.raises(InvalidInput) as exc:
        service.create_commission(session, service.CommissionInput(
            "district", None, "", "x" * 201, "Төраға\x07", ["Бір", "  ", "ok\nline"]), "admin")
    assert problems_of(exc) == {("settlement", "required"), ("name.kk", "required"), ("name.ru", "too_long"),
                                ("chair", "invalid_characters"), ("members.1", "required"),
                                ("members.2", "invalid_characters")}
    for members, code in (([], "too_few_items"), (["М"] * 31, "too_many_items")):
        with pytest.raises(InvalidInput) as exc:
            service.create_commission(session, SARAN_1.__class__(**{**SARAN_1.__dict__, "members": members}), "a")
        assert problems_of(exc) == {("members", code)}
    with pytest.raises(InvalidInput) as exc:
        service.create_commission(session, service.CommissionInput("regional", None, "a", "b", "c", ["d"]), "a")
    assert problems_of(exc) == {("kind", "invalid_choice")}
    assert service.create_commission(session, SARAN_1, "admin").settlement == "saran"
    assert service.create_commission(session, SPECIAL.__class__(**{**SPECIAL.__dict__, "settlement": "saran"}),
                                     "admin").settlement is None   # one special commission for the authority


def test_a_second_active_commission_is_refused_and_an_edit_keeps_the_rule(session):
    saran = service.create_commission(session, SARAN_1, "admin")
    with pytest.raises(InvalidInput) as exc:
        service.create_commission(session, SARAN_1, "admin")
    assert problems_of(exc) == {("settlement", "commission_active_exists")}
    aktas = service.create_commission(session, SARAN_1.__class__(**{**SARAN_1.__dict__, "settlement": "aktas"}), "a")
    with pytest.raises(InvalidInput):
        service.update_commission(session, aktas.id, SARAN_1, "admin")       # moving onto saran's place
    changed = service.update_commission(session, saran.id, SARAN_1.__class__(
        **{**SARAN_1.__dict__, "chair": "Жаңа Т.", "kind": "special"}), "editor")
    assert (changed.kind, changed.chair, changed.updated_by) == ("district", "Жаңа Т.", "editor")
    service.create_commission(session, SPECIAL, "admin")
    with pytest.raises(InvalidInput) as exc:
        service.create_commission(session, SPECIAL, "admin")
    assert problems_of(exc) == {("kind", "commission_active_exists")}
    with pytest.raises(NotFound):
        service.update_commission(session, 9999, SARAN_1, "admin")


def test_set_commission_changes_the_active_one_or_makes_it(session):
    first, new = service.set_commission(session, SARAN_1, "cli")
    again, new_again = service.set_commission(session, SARAN_1.__class__(**{**SARAN_1.__dict__, "chair": "Б"}), "cli")
    special, new_special = service.set_commission(session, SPECIAL, "cli")
    assert (new, new_again, new_special) == (True, False, True)
    assert first.id == again.id and again.chair == "Б" and special.id != first.id


def test_signatory_of(session):
    assert service.signatory_of(session, "ahmetova") is None
    assert service.signatory_of(session, "nobody") is None
    service.save_signatory(session, "ahmetova", " Ахметова Б. С. ", "Бөлім басшысы", "Руководитель отдела")
    session.commit()
    assert service.signatory_of(session, "Ahmetova") == {
        "full_name": "Ахметова Б. С.", "position": {"kk": "Бөлім басшысы", "ru": "Руководитель отдела"}}
    service.save_signatory(session, "ahmetova", "Ахметова Б. С.", "Бас маман", "Главный специалист")
    session.commit()
    assert service.signatory_of(session, "ahmetova")["position"]["ru"] == "Главный специалист"
    assert session.scalar(select(func.count()).select_from(SignatoryProfile)) == 1
    with pytest.raises(InvalidInput) as exc:
        service.save_signatory(session, "ahmetova", "", "a\u202eb", "x" * 201)
    assert problems_of(exc) == {("full_name", "required"), ("position.kk", "invalid_characters"),
                                ("position.ru", "too_long")}
    with pytest.raises(NotFound):
        service.save_signatory(session, "nobody", "a", "b", "c")


# --- the pages

@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_clerk_app(tmp_path_factory.mktemp("staff"))


def count(app, model=Commission):
    with app.app_context():
        return app.extensions["sqlalchemy"].session.scalar(select(func.count()).select_from(model))


def form_of(data: service.CommissionInput):
    return {"kind": data.kind, "settlement": data.settlement or "", "name_kk": data.name_kk,
            "name_ru": data.name_ru, "chair": data.chair, "members": "\r\n".join(data.members) + "\r\n\r\n"}


def test_pages_need_a_sign_in_and_the_admin_role(app):
    anonymous, clerk = app.test_client(), signed_in(app, "clerk")
    for path in ("/clerk/admin/commissions", "/clerk/admin/commissions/1", "/clerk/admin/commissions/1/deactivate",
                 "/clerk/profile"):
        resp = anonymous.get(path)
        assert resp.status_code == 302 and "/clerk/login" in resp.headers["Location"]
    for path in ("/clerk/admin/commissions", "/clerk/admin/commissions/1", "/clerk/admin/commissions/1/deactivate"):
        assert clerk.get(path).status_code == 403
        assert clerk.post(path, data=form_of(SARAN_1)).status_code == 403
    assert count(app) == 0


def test_the_administrator_creates_edits_and_deactivates_a_commission(app):
    admin = signed_in(app, "admin")
    empty = admin.get("/clerk/admin/commissions?lang=ru").get_data(as_text=True)
    assert "Комиссий пока нет." in empty and 'name="members"' in empty
    resp = admin.post("/clerk/admin/commissions?lang=ru", data=form_of(SARAN_1))
    assert resp.status_code == 302 and "done=created" in resp.headers["Location"]
    listing = admin.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Комиссия создана." in listing and "Участковая комиссия №1 г. Сарани" in listing
    assert "Ахметова Б. С., Иванов И. И." in listing and "город Сарань" in listing
    commission_id = int(re.search(r'data-commission="(\d+)"', listing).group(1))
    with app.app_context():
        stored = service.commission_for(app.extensions["sqlalchemy"].session, "district", "saran")
    assert stored["members"] == ["Ахметова Б. С.", "Иванов И. И."]      # blank lines left out
    edit = admin.get(f"/clerk/admin/commissions/{commission_id}?lang=kk").get_data(as_text=True)
    assert "Серіков А. Б." in edit and "Ахметова Б. С.\nИванов И. И." in edit
    changed = {**form_of(SARAN_1), "chair": "Төлеубаев Н. Қ.", "members": "Ахметова Б. С."}
    resp = admin.post(f"/clerk/admin/commissions/{commission_id}?lang=kk", data=changed)
    assert resp.status_code == 302
    assert "Комиссияның өзгерістері сақталды." in admin.get(resp.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        stored = service.commission_for(app.extensions["sqlalchemy"].session, "district", "saran")
    assert (stored["chair"], stored["members"]) == ("Төлеубаев Н. Қ.", ["Ахметова Б. С."])
    confirm = admin.get(f"/clerk/admin/commissions/{commission_id}/deactivate?lang=ru").get_data(as_text=True)
    assert "Прекратить действие комиссии «Участковая комиссия №1 г. Сарани»?" in confirm
    assert count(app) == 1 and "Да, прекратить действие" in confirm
    resp = admin.post(f"/clerk/admin/commissions/{commission_id}/deactivate?lang=ru")
    assert resp.status_code == 302
    listing = admin.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Действие комиссии прекращено." in listing and "не действует" in listing
    with app.app_context():
        assert service.commission_for(app.extensions["sqlalchemy"].session, "district", "saran") is None
    assert admin.get("/clerk/admin/commissions/9999").status_code == 404


def test_bad_commission_input_is_shown_inline_and_nothing_is_written(app):
    admin = signed_in(app, "admin")
    before = count(app)
    bad = {**form_of(SARAN_1), "settlement": "aktas", "name_ru": "", "members": "Бір\nЕкі\x07"}
    resp = admin.post("/clerk/admin/commissions?lang=ru", data=bad)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and count(app) == before
    assert 'data-field="name.ru" data-code="required"' in html and "Это поле обязательно для заполнения." in html
    assert 'id="name_ru-error"' in html and 'aria-invalid="true"' in html
    assert "Строка 2: Текст содержит недопустимые управляющие символы" in html
    assert 'value="Саран қаласының №1 учаскелік комиссиясы"' in html           # what was typed stays
    kk = admin.post("/clerk/admin/commissions?lang=kk", data={**bad, "name_ru": "x" * 201, "members": "М"})
    assert kk.status_code == 422 and "Тым ұзын: ең көбі 200 таңба" in kk.get_data(as_text=True)
    assert admin.post("/clerk/admin/commissions", data={**form_of(SPECIAL)}).status_code == 302
    second = admin.post("/clerk/admin/commissions?lang=ru", data={**form_of(SPECIAL)})
    assert second.status_code == 422 and "Здесь уже действует такая комиссия" in second.get_data(as_text=True)
    assert count(app) == before + 1


def test_every_role_keeps_its_own_signatory_profile(app):
    for who in PEOPLE:
        client = signed_in(app, who)
        page = client.get("/clerk/profile?lang=ru").get_data(as_text=True)
        assert "печатаются под документами, которые вы оформляете" in page and "Пока не заполнено" in page
        resp = client.post("/clerk/profile?lang=ru", data={"full_name": f" Тестов {who} ",
                                                           "position_kk": "Бөлім басшысы",
                                                           "position_ru": "Руководитель отдела"})
        assert resp.status_code == 302
        page = client.get(resp.headers["Location"]).get_data(as_text=True)
        assert "Ваши данные сохранены." in page and f'value="Тестов {who}"' in page
        with app.app_context():
            assert service.signatory_of(app.extensions["sqlalchemy"].session, who) == {
                "full_name": f"Тестов {who}", "position": {"kk": "Бөлім басшысы", "ru": "Руководитель отдела"}}


def test_a_bad_profile_is_refused_inline_and_nothing_is_written(app):
    client = signed_in(app, "district")
    client.post("/clerk/profile", data={"full_name": "Старое Ф. И.", "position_kk": "Мүше", "position_ru": "Член"})
    resp = client.post("/clerk/profile?lang=kk", data={"full_name": "Жаңа Ф. И.", "position_kk": "",
                                                       "position_ru": "Член\x00"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and 'data-field="position.kk" data-code="required"' in html
    assert "Бұл өрісті толтыру міндетті." in html and 'id="position_ru-error"' in html
    with app.app_context():
        assert service.signatory_of(app.extensions["sqlalchemy"].session, "district")["full_name"] == "Старое Ф. И."


def test_the_forms_carry_csrf(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        users.create(session, "admin", "admin", PASSWORD)
        session.commit()
    client = app.test_client()
    login = client.get("/clerk/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
    assert client.post("/clerk/login", data={"username": "admin", "password": PASSWORD,
                                             "csrf_token": token}).status_code == 302
    refused = client.post("/clerk/admin/commissions?lang=ru", data=form_of(SARAN_1))
    assert refused.status_code == 400 and 'data-code="csrf_expired"' in refused.get_data(as_text=True)
    profile = {"full_name": "А", "position_kk": "Б", "position_ru": "В"}
    assert client.post("/clerk/profile", data=profile).status_code == 400
    assert count(app) == 0 and count(app, SignatoryProfile) == 0
    page = client.get("/clerk/admin/commissions").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    made = client.post("/clerk/admin/commissions", data={**form_of(SARAN_1), "csrf_token": token})
    assert made.status_code == 302 and count(app) == 1
    assert client.post("/clerk/admin/commissions/1/deactivate").status_code == 400
    assert client.post("/clerk/admin/commissions/1/deactivate", data={"csrf_token": token}).status_code == 302


# --- the commands

def test_commission_cli(app):
    runner = app.test_cli_runner()
    args = ["commission", "set", "--kind", "district", "--settlement", "aktas", "--chair", "Серіков А. Б.",
            "--member", "Ахметова Б. С.", "--member", "Иванов И. И.",
            "--name-kk", "Ақтас кентінің учаскелік комиссиясы", "--name-ru", "Участковая комиссия п. Актас"]
    made = runner.invoke(args=args)
    assert made.exit_code == 0 and "created" in made.output, made.output
    changed = runner.invoke(args=[*args[:7], "Жаңа Т.", *args[8:]])
    assert changed.exit_code == 0 and "changed" in changed.output, changed.output
    listing = runner.invoke(args=["commission", "list"]).output
    line = next(line for line in listing.splitlines() if "\taktas\t" in line)
    assert line.split("\t")[1:] == ["district", "aktas", "active", "Участковая комиссия п. Актас", "Жаңа Т.",
                                    "Ахметова Б. С.; Иванов И. И."]
    bad = runner.invoke(args=["commission", "set", "--kind", "district", "--chair", "A", "--name-kk", "a",
                              "--name-ru", "b"])
    assert bad.exit_code == 1 and "settlement: required" in bad.output and "members: too_few_items" in bad.output
    commission_id = line.split("\t")[0]
    assert runner.invoke(args=["commission", "deactivate", commission_id]).exit_code == 0
    assert f"{commission_id}\tdistrict\taktas\tinactive" in runner.invoke(args=["commission", "list"]).output
    assert runner.invoke(args=["commission", "deactivate", "9999"]).exit_code == 1
