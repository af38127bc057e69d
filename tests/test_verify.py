"""The public verification page: id and file checks, and no personal data shown."""
from io import BytesIO

from tests.conftest import generate


def make_document(client):
    resp = generate(client, "grant_notice", lang="ru", expect=200)
    return resp.headers["X-Document-Id"], resp.data


def test_known_id_is_confirmed_without_personal_data(client):
    doc_id, content = make_document(client)
    page = client.get(f"/verify/{doc_id}?lang=ru")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "Документ есть в реестре" in html and "Уведомление о назначении социальной помощи" in html
    for private in ("Серікова", "871008401427", "KZ86", "43 250"):
        assert private not in html


def test_unknown_or_malformed_id(client):
    for doc_id in ("00000000-0000-0000-0000-000000000000", "not-an-id", "%27%3Bdrop"):
        html = client.get(f"/verify/{doc_id}?lang=kk").get_data(as_text=True)
        assert "Мұндай кодпен құжат табылмады" in html


def test_uploaded_file_matches_or_not(client):
    doc_id, content = make_document(client)
    same = client.post(f"/verify/{doc_id}?lang=ru", data={"file": (BytesIO(content), "x.docx")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Файл полностью совпадает" in same
    changed = client.post(f"/verify/{doc_id}?lang=ru", data={"file": (BytesIO(content + b" "), "x.docx")},
                          content_type="multipart/form-data").get_data(as_text=True)
    assert "Файл не совпадает" in changed


def test_file_alone_is_found_by_its_fingerprint(client):
    doc_id, content = make_document(client)
    html = client.post("/verify/?lang=kk", data={"file": (BytesIO(content), "x.docx")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert doc_id in html and "толық сәйкес келеді" in html


def test_kazakh_by_default_with_a_switch(client):
    doc_id, _ = make_document(client)
    html = client.get(f"/verify/{doc_id}").get_data(as_text=True)
    assert '<html lang="kk">' in html and "Құжаттың түпнұсқалығын тексеру" in html
    assert f"/verify/{doc_id}?lang=ru" in html
