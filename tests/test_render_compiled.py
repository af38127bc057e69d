"""The compiled templates (`compiled.CompiledDocx`) make the same documents as docxtpl in full
(`render.render_docx`): every type in both languages, hostile input, and a template as a
clerk's word processor leaves it. Correctness only; speed is measured by `scripts/bench`."""
import json
import zipfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
import zxingcpp
from docx import Document
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.text.paragraph import Paragraph
from jinja2 import UndefinedError
from jinja2.exceptions import SecurityError
from lxml import etree
from PIL import Image

from formsvc import config
from formsvc.core.errors import DefinitionError
from formsvc.definitions.registry import build_registry
from formsvc.documents import compiled, render
from formsvc.documents.templates import TemplateStore
from tests.conftest import DATA
from tests.test_render import HOSTILE

DOC_ID = "0b7c3a52-8f4e-4d8e-9a51-3c2f0f6d9e11"
VERIFY = f"https://formsvc.example.kz/verify/{DOC_ID}"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.fixture(scope="module")
def registry():
    return build_registry({key: getattr(config, key) for key in dir(config) if key.isupper()})


def context(registry, doc_type, lang, data=None, verify_url=VERIFY):
    doc = registry.get(doc_type)
    raw = data or json.loads((DATA / f"{doc_type}.json").read_text(encoding="utf-8"), parse_float=Decimal)
    validated = registry.validate(doc_type, raw).data
    return render.context(doc, validated, lang, registry.regulation, registry.today(), DOC_ID, verify_url)


def template_bytes(registry, doc_type, lang):
    return registry.get(doc_type).template_path(Path(config.TEMPLATES_DIR), lang).read_bytes()


def texts(content):
    """Every paragraph of every part (body and its tables, headers, footers and their tables,
    footnotes) as a reader sees it, with the document properties."""
    doc = Document(BytesIO(content))
    found = {}
    for part in doc.part.package.iter_parts():
        if part.partname.endswith(".xml") and part.partname.startswith("/word/"):
            root = getattr(part, "element", None)
            if root is None:
                root = parse_xml(part.blob)
            found[str(part.partname)] = [Paragraph(p, None).text for p in root.iter(qn("w:p"))]
    props = doc.core_properties
    found["properties"] = [getattr(props, name) for name in (*compiled.PROPERTIES, "keywords")]
    return found


def xml_parts(content):
    """Each XML member of the package in canonical form (same infoset, whatever the serialiser)."""
    with zipfile.ZipFile(BytesIO(content)) as package:
        return {name: etree.tostring(etree.fromstring(package.read(name)), method="c14n")
                for name in package.namelist() if name.endswith((".xml", ".rels"))}


def qr_codes(content):
    """The texts of the QR codes among the package's images."""
    with zipfile.ZipFile(BytesIO(content)) as package:
        images = [package.read(n) for n in package.namelist() if n.startswith("word/media/")]
    return [zxingcpp.read_barcode(Image.open(BytesIO(png))).text for png in images]


def assert_same(old, new):
    assert texts(new) == texts(old)
    assert xml_parts(new) == xml_parts(old)
    with zipfile.ZipFile(BytesIO(new)) as package:
        assert package.testzip() is None


TYPES = sorted(p.stem for p in DATA.glob("*.json"))


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("doc_type", TYPES)
def test_every_type_is_made_as_docxtpl_makes_it(registry, doc_type, lang):
    template = template_bytes(registry, doc_type, lang)
    ctx = context(registry, doc_type, lang)
    new = compiled.CompiledDocx(template, lang).render(ctx)
    assert_same(render.render_docx(template, ctx, lang), new)
    assert qr_codes(new) == [VERIFY]
    doc = Document(BytesIO(new))
    assert doc.core_properties.identifier == doc.core_properties.keywords == DOC_ID
    assert doc.core_properties.title == registry.get(doc_type).title[lang]
    footer = doc.sections[0].footer._element
    assert footer.xpath(".//pic:pic"), "the QR code is not in the footer"


def test_one_compiled_template_serves_many_documents(registry):
    once = compiled.CompiledDocx(template_bytes(registry, "application", "kk"), "kk")
    first = context(registry, "application", "kk")
    other = context(registry, "application", "kk", verify_url=VERIFY.replace("0b7c", "ffff"))
    other["applicant"].last_name = "Басқа"
    made = [once.render(ctx) for ctx in (first, other, first)]
    assert made[0] == made[2]
    assert "Басқа" in "\n".join(sum(texts(made[1]).values(), [])) and qr_codes(made[1]) == [other["verify_url"]]
    assert "Басқа" not in "\n".join(sum(texts(made[0]).values(), []))


def test_hostile_input_is_escaped_the_same_way(registry):
    data = json.loads((DATA / "application.json").read_text(encoding="utf-8"), parse_float=Decimal)
    data["ground_details"] = HOSTILE + "\nекінші жол"
    data["applicant"]["last_name"] = "O'Neil & <Sons> {{ }}"
    data["bank_account"]["bank_name"] = "{%p endif %}"
    ctx = context(registry, "application", "ru", data)
    template = template_bytes(registry, "application", "ru")
    new = compiled.CompiledDocx(template, "ru").render(ctx)
    assert_same(render.render_docx(template, ctx, "ru"), new)
    text = "\n".join(sum(texts(new).values(), []))
    for value in (HOSTILE, "екінші жол", "O'Neil & <Sons> {{ }}", "{%p endif %}"):
        assert value in text


def test_without_a_verification_link_there_is_no_image(registry):
    template = template_bytes(registry, "decision", "kk")
    ctx = context(registry, "decision", "kk", verify_url="")
    new = compiled.CompiledDocx(template, "kk").render(ctx)
    assert_same(render.render_docx(template, ctx, "kk"), new)
    assert qr_codes(new) == [] and b"image/png" not in zipfile.ZipFile(BytesIO(new)).read("[Content_Types].xml")


def test_a_missing_variable_is_still_an_error(registry):
    once = compiled.CompiledDocx(template_bytes(registry, "application", "kk"), "kk")
    with pytest.raises(UndefinedError):
        once.render({"title": "x", "verify_url": ""})


def test_the_sandbox_still_holds(registry, tmp_path):
    def escape_attempt(doc):
        doc.add_paragraph("{{ title.__class__.__mro__ }}")
    content = _edited(template_bytes(registry, "decision", "ru"), escape_attempt)
    with pytest.raises(SecurityError):
        compiled.CompiledDocx(content, "ru").render(context(registry, "decision", "ru"))


def _edited(content, change):
    doc = Document(BytesIO(content))
    change(doc)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_template_as_a_word_processor_leaves_it(registry):
    """Tracked changes, typographic quotes, a header with marks, the QR code in the body too,
    a paragraph shown only sometimes, tabs and a table row per family member."""
    def edit(doc):
        body = doc.add_paragraph("Было: ")
        body._p.append(parse_xml(f'<w:del {W} w:id="91" w:author="Клерк"><w:r><w:delText>{{{{ nope }}}}'
                                 f'</w:delText></w:r></w:del>'))
        body._p.append(parse_xml(f'<w:ins {W} w:id="92" w:author="Клерк"><w:r><w:t>ПРИНЯТО</w:t></w:r></w:ins>'))
        doc.add_paragraph("{% if on_behalf_of == «family» %}СЕМЬЯ{% endif %}\t{{ „—“ }}")
        doc.add_paragraph("{%p if applicant.email %}")
        doc.add_paragraph("Почта: {{ applicant.email }}")
        doc.add_paragraph("{%p endif %}")
        doc.add_paragraph("{{ qr }}")
        header = doc.sections[0].header
        header.is_linked_to_previous = False
        header.paragraphs[0].text = "{{ title }} · {{ document_id }}"
        table = doc.add_table(rows=3, cols=2)
        table.cell(0, 0).text = "{%tr for m in family_members %}"
        table.cell(1, 0).text = "{{ m|full_name }}"
        table.cell(1, 1).text = "{{ m.iin }}"
        table.cell(2, 0).text = "{%tr endfor %}"
        doc.settings.element.append(parse_xml(f"<w:trackRevisions {W}/>"))
    template = _edited(template_bytes(registry, "application", "ru"), edit)
    ctx = context(registry, "application", "ru")
    new = compiled.CompiledDocx(template, "ru").render(ctx)
    assert_same(render.render_docx(template, ctx, "ru"), new)
    text = "\n".join(sum(texts(new).values(), []))
    assert "Было: ПРИНЯТО" in text and "СЕМЬЯ\t—" in text and "Сериков Ержан" in text
    assert ctx["title"] + " · " + DOC_ID in text
    assert qr_codes(new) == [VERIFY]
    assert b"trackRevisions" not in zipfile.ZipFile(BytesIO(new)).read("word/settings.xml")


def test_a_qr_code_in_a_footnote_is_refused(registry, tmp_path):
    with pytest.raises(ValueError, match="footnote"):
        compiled._qr_drawing(render.jinja_env("kk"), "footnotes", None, "<w:p>{{ qr }}</w:p>")


def test_a_touched_but_unchanged_template_keeps_its_compiled_form(registry, tmp_path):
    import os
    import shutil
    for path in Path(config.TEMPLATES_DIR).glob("*.docx"):
        shutil.copy(path, tmp_path / path.name)
    store = TemplateStore(tmp_path, registry.types)
    first = store.get("decision", "kk")
    os.utime(first.path, ns=(first.stamp[1] + 10**9, first.stamp[1] + 10**9))
    again = store.get("decision", "kk")
    assert again.compiled is first.compiled and again.stamp != first.stamp
    first.path.write_bytes(_edited(first.content, lambda d: d.add_paragraph("НОВОЕ")))
    changed = store.get("decision", "kk")
    assert changed.compiled is not first.compiled and changed.sha256 != first.sha256


def test_the_store_names_the_file_of_a_template_it_cannot_compile(registry, tmp_path, monkeypatch):
    import shutil
    for path in Path(config.TEMPLATES_DIR).glob("*.docx"):
        shutil.copy(path, tmp_path / path.name)
    store = TemplateStore(tmp_path, registry.types)

    def refuse(self):
        raise ValueError("the QR code {{ qr }} can stand in the body, a header or a footer, not in a footnote")
    monkeypatch.setattr(compiled.CompiledDocx, "compile", refuse)
    with pytest.raises(DefinitionError, match="footnote"):
        store.warm()
