"""PDF output: archival PDF/A-2b with embedded fonts, Kazakh letters, metadata, a stored record."""
import re
import subprocess
from io import BytesIO

import pytest
from pypdf import PdfReader

from formsvc.documents.records import DocumentRecord, sha256
from tests.conftest import example, generate, make_app, pool_of
from tests.test_documents import EXPECTED, TYPES

KAZAKH = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
pytestmark = [pytest.mark.libreoffice, pytest.mark.usefixtures("pdf_ready")]


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def same_words(text: str) -> str:
    """Text compared as read: spacing and line-end hyphens (pdftotext drops them) do not count."""
    return re.sub(r"[\s\xa0-]+", "", text)


def pdf_fonts(content: bytes, tmp_path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("doc_type", TYPES)
def test_every_type_as_archival_pdf(client, app, tmp_path, doc_type, lang):
    resp = generate(client, doc_type, None, lang, "pdf", expect=200)
    text = pdf_text(resp.data, tmp_path)
    for expected in ["Серікова Гүлнар Ержанқызы", *EXPECTED[(doc_type, lang)]]:
        assert same_words(expected) in same_words(text), expected
    used = {ch for ch in "".join(EXPECTED[(doc_type, lang)]) + "Серікова Гүлнар Ержанқызы" if ch in KAZAKH}
    assert used <= set(text)
    fonts = pdf_fonts(resp.data, tmp_path)
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts           # emb column
    assert {row[0].split("+")[-1].split("-")[0] for row in fonts} == {"LiberationSerif"}
    reader = PdfReader(BytesIO(resp.data))
    xmp = reader.xmp_metadata
    assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("2", "B")
    assert reader.metadata.title == app.extensions["formsvc.documents"].registry.types[doc_type].title[lang]
    assert reader.metadata["/Keywords"] == resp.headers["X-Document-Id"]
    assert reader.trailer["/Root"]["/Lang"] == {"kk": "kk-KZ", "ru": "ru-RU"}[lang]


def test_every_kazakh_letter_prints(client, tmp_path):
    body = example("application")
    body["ground_details"] = "Ә ә Ғ ғ Қ қ Ң ң Ө ө Ұ ұ Ү ү Һ һ І і"
    text = pdf_text(generate(client, "application", body, "kk", "pdf", expect=200).data, tmp_path)
    assert KAZAKH <= set(text)


def test_pdf_is_recorded_with_its_fingerprint(client, app):
    resp = generate(client, "grant_notice", None, "ru", "pdf", expect=200)
    with app.app_context():
        record = app.extensions["sqlalchemy"].session.get(DocumentRecord, resp.headers["X-Document-Id"])
        assert (record.doc_type, record.lang, record.format) == ("grant_notice", "ru", "pdf")
        assert record.sha256 == sha256(resp.data)
        assert record.input == {"number": "Х-53", "date": "2026-11-13"}   # outside a case: only what verifying needs
        assert len(record.template_sha256) == 64


def test_the_page_carries_its_id_and_verification_link(client, tmp_path):
    resp = generate(client, "decision", None, "kk", "pdf", expect=200)
    text = pdf_text(resp.data, tmp_path)
    doc_id = resp.headers["X-Document-Id"]
    assert doc_id in text and f"/verify/{doc_id}" in text
    images = [img for page in PdfReader(BytesIO(resp.data)).pages for img in page.images]
    assert images, "the QR code is missing"


def test_docx_is_recorded_too(client, app):
    resp = generate(client, "application")
    with app.app_context():
        record = app.extensions["sqlalchemy"].session.get(DocumentRecord, resp.headers["X-Document-Id"])
        assert (record.format, record.sha256) == ("docx", sha256(resp.data))


def test_invalid_input_records_nothing(client, app):
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        before = session.query(DocumentRecord).count()
        body = example("application")
        body["applicant"]["iin"] = "1"
        assert generate(client, "application", body, fmt="pdf").status_code == 422
        assert session.query(DocumentRecord).count() == before


def test_health_reports_pdf(client):
    health = client.get("/api/v1/health").get_json()
    assert health["status"] == "ok" and health["pdf"]["available"] and health["database"]


def test_full_queue_answers_503_with_retry_after(client, app):
    pool = pool_of(app)
    taken = 0
    while pool.slots.acquire(blocking=False):
        taken += 1
    try:
        resp = generate(client, "application", fmt="pdf")
        assert resp.status_code == 503 and resp.headers["Retry-After"]
        assert resp.mimetype == "application/problem+json"
    finally:
        for _ in range(taken):
            pool.slots.release()


def test_without_libreoffice_docx_still_works(tmp_path):
    app = make_app(tmp_path, SOFFICE="/nonexistent/soffice")
    client = app.test_client()
    health = client.get("/api/v1/health").get_json()
    assert health["status"] == "degraded" and not health["pdf"]["available"]
    assert "not installed" in health["pdf"]["reason"]
    resp = generate(client, "application", fmt="pdf")
    assert resp.status_code == 503 and resp.headers["Retry-After"]
    assert "LibreOffice" in resp.get_json()["detail"]
    assert generate(client, "application").status_code == 200
