"""The layout of long documents: page X of Y, table headers on every page, nothing that must
stay whole broken across lines, amounts right-aligned, signatures kept with their text.

The templates are read as Word files; two long documents (15 family members, 100 incomes)
are made into PDF and read page by page.
"""
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from formsvc import config
from formsvc.definitions.validators import iin_birth_date
from tests.conftest import example, generate, make_iin

TEMPLATES = sorted(Path(config.TEMPLATES_DIR).glob("*.docx"))
MONEY_CELL = re.compile(r"^\{\{ [\w.]*(amount|income|total|minimum|mci|limit|threshold|cost)[\w.]* \}\}$")
KAZAKH = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def cell_text(cell):
    return "".join(t.text or "" for t in cell.iter(qn("w:t")))


def alignment(paragraph):
    jc = paragraph.find(f"{qn('w:pPr')}/{qn('w:jc')}")
    return None if jc is None else jc.get(qn("w:val"))


def keeps_with_next(paragraph):
    return paragraph.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.name for p in TEMPLATES])
def test_every_template_numbers_its_pages_and_keeps_line_breaks_unstretched(path):
    doc = Document(str(path))
    footer = "".join(section.footer._element.xml for section in doc.sections)
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer
    assert ("Страница" if ".ru." in path.name else "беттің") in footer
    compat = doc.settings.element.find(qn("w:compat"))
    assert compat is not None and compat.find(qn("w:doNotExpandShiftReturn")) is not None


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.name for p in TEMPLATES])
def test_every_table_of_rows_repeats_its_header_and_keeps_rows_whole(path):
    body = Document(str(path)).element.body
    for table in body.iter(qn("w:tbl")):
        rows = table.findall(qn("w:tr"))
        if not any("{%tr for" in cell_text(row) for row in rows) or "_____" in cell_text(table):
            continue   # not a table of rows (a signature block repeats its members' lines)
        assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None, cell_text(rows[0])
        assert all(row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for row in rows)
        for cell in table.iter(qn("w:tc")):
            if MONEY_CELL.match(cell_text(cell)):
                assert alignment(cell.find(qn("w:p"))) == "right", cell_text(cell)


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.name for p in TEMPLATES])
def test_signatures_stay_with_the_text_before_them(path):
    body = Document(str(path)).element.body
    children = list(body)
    for i, table in enumerate(children):
        if table.tag != qn("w:tbl") or "_____" not in cell_text(table):
            continue
        assert all(keeps_with_next(p) for p in table.iter(qn("w:p")) if cell_text(p) and "{%" not in cell_text(p))
        before = next(c for c in reversed(children[:i]) if c.tag == qn("w:p") and "{%p" not in cell_text(c))
        assert keeps_with_next(before), cell_text(before)


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.name for p in TEMPLATES])
def test_numbers_and_amounts_are_kept_on_one_line(path):
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    text = re.sub(r"<[^>]+>", "", xml)
    assert not re.search(r"\{\{ [\w.]*number \}\}", text), "a document number without |nobreak"
    assert "№ " not in text and not re.search(r"\}\} (тенге|теңге)", text)   # non-breaking spaces there


def family_and_incomes():
    """15 family members and 100 income rows, the most a long application carries."""
    body = example("application")
    relations = ["spouse", "child", "parent", "sibling", "grandchild", "grandparent", "other"]
    kinds = ["salary", "pension", "allowance", "scholarship", "alimony", "business", "household_plot", "other"]
    members = [{"last_name": "Серікова" if i % 2 else "Сериков", "first_name": f"Әлихан-{i}",
                "middle_name": "Қайратқызы" if i % 2 else "Қайратұлы", "relation": relations[i % 7],
                "iin": make_iin(f"{60 + i:02d}{i % 12 + 1:02d}{i + 1:02d}", "4" if i % 2 else "3")}
               for i in range(15)]
    body["family_members"] = members
    body["incomes"] = [{"iin": members[i % 15]["iin"], "kind": kinds[i % 8], "amount_quarter": f"{(i + 1) * 123457.89:.2f}"}
                       for i in range(100)]
    body["ground_details"] = "Бірінші жол.\n" + "Ұзақ сипаттама, " * 80 + "\nСоңғы жол."
    return body


def pdf_pages(content, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


@pytest.mark.libreoffice
@pytest.mark.usefixtures("pdf_ready")
def test_a_long_application_reads_well_on_every_page(client, tmp_path):
    body = family_and_incomes()
    pages = pdf_pages(generate(client, "application", body, "kk", "pdf", expect=200).data, tmp_path)
    total = len(pages)
    assert total >= 4
    for number, page in enumerate(pages, start=1):
        assert f"{total} беттің {number}-беті" in page
    income_pages = [p for p in pages if re.search(r"^\s*\d+\s+С[еі]р[іи]к", p, re.M) and "Зейнетақы" in p]
    assert len(income_pages) >= 2 and all("Табыс алушы" in p and "Сомасы, теңге" in p for p in income_pages)
    text = "\n".join(pages)
    for i, income in enumerate(body["incomes"], start=1):   # every row number and amount whole on its line
        amount = f"{float(income['amount_quarter']):,.2f}".replace(",", " ").replace(".", ",")
        assert re.search(rf"^\s*{i}\s.*{amount}\s*$", text, re.M), (i, amount)
    for member in body["family_members"]:
        assert iin_birth_date(member["iin"]).strftime("%d.%m.%Y") in text and member["iin"] in text
    assert {ch for ch in json.dumps(body, ensure_ascii=False) if ch in KAZAKH} <= set(text)   # every Kazakh letter
    signature_page = next(p for p in pages if "(қолы)" in p)
    assert "келісемін" in signature_page       # the signature is not left alone on a page


@pytest.mark.libreoffice
@pytest.mark.usefixtures("pdf_ready")
def test_a_long_inspection_act_keeps_its_tables_and_signatures(client, tmp_path):
    application = family_and_incomes()
    body = example("inspection_act")
    body["family_members"] = [{**m, "birth_date": iin_birth_date(m["iin"]).isoformat(), "occupation": "Жұмыссыз",
                               "non_employment_reason": "Бала күтімі"} for m in application["family_members"]]
    body["incomes"] = [{"member_name": f"Сериков Әлихан-{i % 15}", "kind": row["kind"],
                        "amount_quarter": row["amount_quarter"]} for i, row in enumerate(application["incomes"])]
    pages = pdf_pages(generate(client, "inspection_act", body, "ru", "pdf", expect=200).data, tmp_path)
    for number, page in enumerate(pages, start=1):
        assert f"Страница {number} из {len(pages)}" in page
    rows = [p for p in pages if re.search(r"^\s*\d+\s+Сериков Әлихан", p, re.M) and "Пенсия" in p]
    assert len(rows) >= 2 and all("Сумма, тенге" in p for p in rows)
    text = "\n".join(pages)
    assert "родственник" in text and "предпринимательской" in text     # words whole in their narrow columns
    last = pages[-1]
    assert "С актом ознакомлена" in last and "Председатель комиссии" in last
