"""Word-first templates: a template edited on disk is checked and used without a restart;
a broken one is refused naming the placeholder; `template check` and `template preview`."""
import shutil
from io import BytesIO

import pytest
from docx import Document

from formsvc import config
from formsvc.documents.records import DocumentRecord, sha256
from tests.conftest import docx_text, generate, make_app


@pytest.fixture(scope="module")
def templates_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("templates")
    for path in (config.ROOT / "templates_docx").glob("*.docx"):
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def app(tmp_path_factory, templates_dir):
    return make_app(tmp_path_factory.mktemp("instance"), TEMPLATES_DIR=str(templates_dir))


@pytest.fixture
def client(app):
    return app.test_client()


def edit_paragraph(path, old, new):
    """Change one sentence the way a clerk would: in the paragraph's text, keeping its style."""
    doc = Document(str(path))
    for para in doc.paragraphs:
        if old in para.text:
            text = para.text.replace(old, new)
            for run in para.runs[1:]:
                run.text = ""
            para.runs[0].text = text
            doc.save(str(path))
            return
    raise AssertionError(f"{old!r} not found in {path.name}")


def first_body_text(path):
    return next(p.text for p in Document(str(path)).paragraphs if "{{" not in p.text and len(p.text) > 20)


def test_an_edited_sentence_appears_in_the_next_document(client, app, templates_dir):
    path = templates_dir / "decision.ru.docx"
    sentence = first_body_text(path)
    before = generate(client, "decision", lang="ru", expect=200)
    edit_paragraph(path, sentence, sentence + " Редакция юриста.")
    after = generate(client, "decision", lang="ru", expect=200)
    assert "Редакция юриста." in docx_text(after.data)
    assert "Редакция юриста." not in docx_text(before.data)
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        record = session.get(DocumentRecord, after.headers["X-Document-Id"])
        old = session.get(DocumentRecord, before.headers["X-Document-Id"])
    assert record.template_sha256 == sha256(path.read_bytes()) != old.template_sha256


def test_a_misspelled_placeholder_is_refused_until_mended(client, templates_dir):
    path = templates_dir / "grant_notice.kk.docx"
    original = path.read_bytes()
    doc = Document(BytesIO(original))
    para = next(p for p in doc.paragraphs if "{{" not in p.text and p.text.strip())
    para.add_run(" {{ applicant.adress }}")
    doc.save(str(path))
    try:
        resp = generate(client, "grant_notice", lang="kk")
        assert resp.status_code == 503
        body = resp.get_json()
        assert "grant_notice.kk.docx" in body["detail"] and "applicant.adress" in body["detail"]
        assert generate(client, "grant_notice", lang="ru").status_code == 200   # the other language still works
    finally:
        path.write_bytes(original)
    assert generate(client, "grant_notice", lang="kk").status_code == 200


def test_template_check_accepts_a_sound_template(app, templates_dir):
    result = app.test_cli_runner().invoke(args=["template", "check", str(templates_dir / "application.kk.docx")])
    assert result.exit_code == 0, result.output
    assert "ok" in result.output and "application" in result.output


def test_template_check_names_each_mistake_and_where_it_stands(app, tmp_path, templates_dir):
    path = tmp_path / "decision.ru.docx"
    doc = Document(str(templates_dir / "decision.ru.docx"))
    doc.add_paragraph("Адрес заявителя: {{ applicant.adress }}.")
    doc.add_paragraph("ИИН: {{ applicant.iin_ }}")
    doc.add_paragraph("Сумма: {{ amout }}")
    doc.save(str(path))
    result = app.test_cli_runner().invoke(args=["template", "check", str(path)])
    assert result.exit_code == 1
    out = result.output
    assert "3 problem(s)" in out
    assert "did you mean applicant.iin?" in out
    assert "applicant.adress" in out and "not a field of decision.yaml" in out
    assert "«Адрес заявителя: {{ applicant.adress }}.»" in out and "body, paragraph" in out
    assert "amout" in out and "did you mean amount?" in out


def test_template_check_explains_an_unclosed_mark(app, tmp_path, templates_dir):
    path = tmp_path / "decision.kk.docx"
    doc = Document(str(templates_dir / "decision.kk.docx"))
    doc.add_paragraph("Сомасы: {{ amount ")
    doc.save(str(path))
    result = app.test_cli_runner().invoke(args=["template", "check", str(path)])
    assert result.exit_code == 1
    assert "must each be closed" in result.output and "body, paragraph" in result.output


def test_template_check_needs_a_known_file_name(app, tmp_path, templates_dir):
    path = tmp_path / "letter.docx"
    shutil.copy(templates_dir / "decision.kk.docx", path)
    result = app.test_cli_runner().invoke(args=["template", "check", str(path)])
    assert result.exit_code != 0 and "<template>.<kk|ru>.docx" in result.output


def test_template_preview_writes_the_sample_document(app, tmp_path):
    out = tmp_path / "preview.docx"
    result = app.test_cli_runner().invoke(
        args=["template", "preview", "special_commission_conclusion", "--lang", "ru", "--format", "docx",
              "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = docx_text(out.read_bytes())
    assert "АК-19" in text or "АК" in text
    assert "{{" not in text


@pytest.mark.slow
@pytest.mark.libreoffice
def test_template_preview_as_pdf(app, tmp_path):
    out = tmp_path / "preview.pdf"
    result = app.test_cli_runner().invoke(args=["template", "preview", "decision", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def _with(path, tmp_path, change):
    """A copy of a template with `change(doc)` applied, saved under the same name elsewhere."""
    target = tmp_path / path.name
    doc = Document(str(path))
    change(doc)
    doc.save(str(target))
    return target


def test_typographic_quotes_typed_in_writer_are_read_as_plain(app, tmp_path, templates_dir):
    """AutoCorrect turns ' into „ “ and " into « » in Kazakh and Russian text."""
    path = _with(templates_dir / "decision.ru.docx", tmp_path,
                 lambda d: d.add_paragraph("{% if outcome == «granted» %}КАВЫЧКИ-ВЕРНЫ{% endif %}"
                                           "{{ „—“ if not amount else '' }}"))
    result = app.test_cli_runner().invoke(args=["template", "check", str(path)])
    assert result.exit_code == 0, result.output
    shutil.copy(path, templates_dir / path.name)
    assert "КАВЫЧКИ-ВЕРНЫ" in docx_text(generate(app.test_client(), "decision", lang="ru", expect=200).data)


def test_tracked_changes_are_accepted_with_a_warning(app, tmp_path, templates_dir):
    from docx.oxml import parse_xml
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def track(doc):
        para = doc.add_paragraph("Было: ")
        para._p.append(parse_xml(f'<w:del {w} w:id="91" w:author="Клерк"><w:r><w:delText>{{{{ applicant'
                                 f'</w:delText></w:r><w:r><w:delText>.nope }}}}</w:delText></w:r></w:del>'))
        para._p.append(parse_xml(f'<w:ins {w} w:id="92" w:author="Клерк"><w:r><w:t>ПРАВКА-ПРИНЯТА</w:t>'
                                 f'</w:r></w:ins>'))
    path = _with(templates_dir / "grant_notice.ru.docx", tmp_path, track)
    result = app.test_cli_runner().invoke(args=["template", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert "warning: file" in result.output and "Track Changes" in result.output
    original = (templates_dir / path.name).read_bytes()
    shutil.copy(path, templates_dir / path.name)
    try:
        made = generate(app.test_client(), "grant_notice", lang="ru", expect=200).data
    finally:
        (templates_dir / path.name).write_bytes(original)
    assert "Было: ПРАВКА-ПРИНЯТА" in docx_text(made)
    assert b"w:ins " not in made and b"w:del " not in made and b"trackRevisions" not in made


def test_placeholders_in_document_properties_are_checked(app, tmp_path, templates_dir):
    def retitle(doc):
        doc.core_properties.title = "{{ titel }}"
    path = _with(templates_dir / "refusal_notice.kk.docx", tmp_path, retitle)
    result = app.test_cli_runner().invoke(args=["template", "check", str(path)])
    assert result.exit_code == 1
    assert "File > Properties > title" in result.output and "did you mean title?" in result.output


def test_the_commands_work_while_a_template_is_broken(tmp_path, templates_dir):
    """A clerk's broken file stops the service from starting, not the commands that explain it."""
    import os
    import subprocess
    import sys
    broken = tmp_path / "templates"
    shutil.copytree(templates_dir, broken)
    doc = Document(str(broken / "decision.kk.docx"))
    doc.add_paragraph("Сомасы: {{ amout }}")
    doc.save(str(broken / "decision.kk.docx"))
    env = {**os.environ, "FORMSVC_TEMPLATES_DIR": str(broken), "FORMSVC_INSTANCE_PATH": str(tmp_path / "i")}

    def flask(*args):
        return subprocess.run([sys.executable, "-m", "flask", "--app", "formsvc", *args], capture_output=True,
                              text=True, env=env, cwd=config.ROOT, check=False)
    checked = flask("template", "check", str(broken / "decision.kk.docx"))
    assert checked.returncode == 1
    assert "amout is not a field of decision.yaml; did you mean amount?" in checked.stderr
    assert "Traceback" not in checked.stderr
    whole = flask("check")
    assert whole.returncode == 1 and "decision.kk.docx: 1 problem(s)" in whole.stderr
    assert "Traceback" not in whole.stderr
    assert flask("template", "check", str(broken / "decision.ru.docx")).returncode == 0
