"""Scaffold the Word templates of a NEW document type (Kazakh and Russian) from its definition.

The templates in templates_docx/ are the source of every document: clerks and lawyers edit
them in Word or LibreOffice (README: "Changing the wording of a document"). This script only
makes a starting point for a type that has no template yet — the official heading, the title,
a row for each field, tables for repeating rows, the signature line and the verification
footer — and refuses to overwrite an existing file.

    .venv/bin/python scripts/scaffold_template.py TYPE        # schemas/TYPE.yaml must exist
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from formsvc import config
from formsvc.definitions import compute
from formsvc.definitions.loading import DocumentType, FieldSpec, load_definitions
from formsvc.definitions.rules import RULES

OUT = Path(config.TEMPLATES_DIR)
FONT = "Times New Roman"  # metric-compatible Liberation Serif (fonts-liberation2) on Linux
LANG_TAGS = {"kk": "kk-KZ", "ru": "ru-RU"}
# "page X of Y" in the footer: the words around the PAGE and NUMPAGES fields
PAGE_OF = {"kk": ("", "NUMPAGES", " беттің ", "PAGE", "-беті"), "ru": ("Страница ", "PAGE", " из ", "NUMPAGES", "")}


def _keep_rows_whole(table: Any, header: bool) -> None:
    """No row split across pages; with `header`, the first row repeated on every page."""
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if header and i == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))


def _widths(table: Any, widths: list[float]) -> None:
    """Fix column widths in the grid and every cell (LibreOffice reads the grid, Word the cells)."""
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)


class Builder:
    """A Word document in one language, with the few paragraph kinds official forms use."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin = section.bottom_margin = Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)
        style = self.doc.styles["Normal"]
        style.font.name, style.font.size = FONT, Pt(14)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        lang_el = OxmlElement("w:lang")
        lang_el.set(qn("w:val"), LANG_TAGS[lang])
        rpr.append(lang_el)
        # LibreOffice takes the PDF's /Lang from the document defaults, not from Normal.
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        default_rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for old in default_rpr.findall(qn("w:lang")):
            default_rpr.remove(old)
        default_lang = OxmlElement("w:lang")
        for attr in ("w:val", "w:eastAsia", "w:bidi"):
            default_lang.set(qn(attr), LANG_TAGS[lang])
        default_rpr.append(default_lang)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = 1.0
        # a justified line ending in a line break is not stretched (Word's compatibility option)
        compat = self.doc.settings.element.find(qn("w:compat"))
        if compat is None:
            compat = OxmlElement("w:compat")
            self.doc.settings.element.append(compat)
        compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))
        self._footer()
        props = self.doc.core_properties
        props.title, props.language, props.author = "{{ title }}", LANG_TAGS[lang], "formsvc"
        props.subject = "{{ title }}"

    def _footer(self) -> None:
        """Every page: the QR code of the verification address, the document id beside it."""
        footer = self.doc.sections[0].footer
        table = footer.add_table(rows=1, cols=2, width=Cm(16.5))
        _widths(table, [2.2, 14.3])
        qr_cell, text_cell = table.rows[0].cells
        qr_cell.paragraphs[0].text = "{{ qr }}"
        lines = [self.t("Құжаттың коды: ", "Код документа: ") + "{{ document_id }}",
                 self.t("Түпнұсқалығын тексеру: ", "Проверка подлинности: ") + "{{ verify_url }}"]
        text_cell.paragraphs[0].text = lines[0]
        text_cell.add_paragraph(lines[1])
        for para in text_cell.paragraphs:
            for run in para.runs:
                run.font.size = Pt(8)
        footer.paragraphs[0].text = ""
        pages = footer.add_paragraph()
        pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for i, part in enumerate(PAGE_OF[self.lang]):
            if i % 2:
                field = OxmlElement("w:fldSimple")
                field.set(qn("w:instr"), f" {part} ")
                pages._p.append(field)
                run = pages.add_run("1")
                field.append(run._r)
            elif part:
                run = pages.add_run(part)
            run.font.size = Pt(9)

    def t(self, kk: str, ru: str) -> str:
        """The text in this builder's language."""
        return kk if self.lang == "kk" else ru

    def p(self, *runs: str | tuple[str, str], align: str = "justify", indent: bool = False,
          size: int | None = None, space_after: int = 0, bold: bool = False) -> None:
        """A paragraph; a run given as (text, "b"/"i"/"u") is bold/italic/underlined."""
        para = self.doc.add_paragraph()
        para.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                          "center": WD_ALIGN_PARAGRAPH.CENTER,
                          "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
        if indent:
            para.paragraph_format.first_line_indent = Cm(1.25)
        para.paragraph_format.space_after = Pt(space_after)
        for item in runs:
            text, fmt = (item, "") if isinstance(item, str) else item
            run = para.add_run(text)
            run.bold = bold or "b" in fmt
            run.italic = "i" in fmt
            run.underline = "u" in fmt
            if size:
                run.font.size = Pt(size)

    def tag(self, statement: str) -> None:
        """A paragraph holding only a docxtpl `{%p ... %}` tag (removed when rendered)."""
        self.doc.add_paragraph(f"{{%p {statement} %}}")

    def gap(self) -> None:
        """An empty line."""
        self.doc.add_paragraph()

    def heading(self, body_kk: str, body_ru: str, place: bool = True) -> None:
        """The issuing body, a rule under it, then the date left and the number right."""
        self.p((self.t(body_kk, body_ru), "b"), align="center", size=13)
        para = self.doc.paragraphs[-1]
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "4"), ("w:color", "000000")):
            bottom.set(qn(key), value)
        borders.append(bottom)
        para._p.get_or_add_pPr().append(borders)
        self.gap()
        table = self.doc.add_table(rows=1, cols=3)
        _widths(table, [6.0, 4.5, 6.0])
        left, middle, right = table.rows[0].cells
        left.text = "{{ date }}"
        if place:
            middle.text = self.t("Саран қаласы", "г. Сарань")
            middle.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        right.text = "№\u00a0{{ number|nobreak }}"
        right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self.gap()

    def kv_table(self, rows: list[tuple[str, str] | tuple[str, str, str]],
                 widths: tuple[float, float] = (10.5, 6.0)) -> None:
        """A two-column bordered table of label and value; a third item is a condition
        that keeps the row only when true (docxtpl `{%tr if %}`)."""
        count = sum(3 if len(r) == 3 else 1 for r in rows)
        table = self.doc.add_table(rows=count, cols=2)
        table.style = "Table Grid"
        i = 0
        for row in rows:
            if len(row) == 3:
                table.rows[i].cells[0].text = f"{{%tr if {row[2]} %}}"
                i += 1
            label, value = row[0], row[1]
            table.rows[i].cells[0].text, table.rows[i].cells[1].text = label, value
            i += 1
            if len(row) == 3:
                table.rows[i].cells[0].text = "{%tr endif %}"
                i += 1
        _widths(table, list(widths))
        for r in table.rows:
            for cell in r.cells:
                for para in cell.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(12)

    def title(self, text: str, number: str | None = None) -> None:
        """The centred, bold title, with "№ <number>" under it when `number` is set."""
        self.p((text, "b"), align="center")
        if number:
            self.tag(f"if {number}")
            self.p(f"№\u00a0{{{{ {number}|nobreak }}}}", align="center")
            self.tag("endif")
        self.gap()

    def loop_table(self, headers: list[str], cells: list[str], loop: str,
                   widths: list[float], total: list[str] | None = None) -> None:
        """A bordered table with a header row and one row repeated by `{%tr for ... %}`."""
        rows = 4 + (1 if total else 0)
        table = self.doc.add_table(rows=rows, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, headers):
            cell.paragraphs[0].add_run(text).bold = True
        table.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
        for cell, text in zip(table.rows[2].cells, cells):
            cell.text = text
        table.rows[3].cells[0].text = "{%tr endfor %}"
        _keep_rows_whole(table, header=True)
        if total:
            for cell, text in zip(table.rows[4].cells, total):
                cell.paragraphs[0].add_run(text).bold = True
        _widths(table, widths)
        for row in table.rows:
            for cell in row.cells:
                for para in cell.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(12)

    def signature(self, left: str, name: str, caption: str) -> None:
        """A borderless line: date or position left, a signature rule, the name right."""
        table = self.doc.add_table(rows=2, cols=3)
        _widths(table, [5.0, 3.5, 8.0])
        top, bottom = table.rows
        top.cells[0].text, top.cells[1].text, top.cells[2].text = left, "__________", name
        top.cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = bottom.cells[1].paragraphs[0].add_run(caption)
        run.italic, run.font.size = True, Pt(10)
        bottom.cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _keep_rows_whole(table, header=False)
        # the signature stays with the text before it: that paragraph and the block keep with the next
        for para in [self.doc.paragraphs[-1], *(p for row in table.rows for c in row.cells for p in c.paragraphs)]:
            para.paragraph_format.keep_with_next = True

    def save(self, name: str) -> Path:
        """Write templates_docx/<name>.<lang>.docx; an existing template is never overwritten."""
        path = OUT / f"{name}.{self.lang}.docx"
        if path.exists():
            raise SystemExit(f"{path} exists: edit it in Word or LibreOffice instead")
        self.doc.save(str(path))
        return path


def _label(spec: FieldSpec, lang: str) -> str:
    return spec.label.get(lang, spec.name) if spec.label else spec.name


def scaffold(d: Builder, doc: DocumentType) -> None:
    """A plain starting layout with every field of `doc` in its place."""
    lang = d.lang
    d.heading("Саран қаласының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі",
              "Отдел занятости и социальных программ города Сарани")
    d.title(doc.title[lang].upper())
    rows: list[tuple[str, str] | tuple[str, str, str]] = []
    for name, spec in (doc.root.fields or {}).items():
        if name in ("date", "number"):
            continue
        if spec.type == "list" and spec.item is not None and spec.item.fields:
            d.kv_table(rows) if rows else None
            rows = []
            d.p((_label(spec, lang), "b"))
            subs = list(spec.item.fields.items())
            d.loop_table([_label(s, lang) for _, s in subs], [f"{{{{ row.{n} }}}}" for n, _ in subs],
                         f"row in {name}", [16.5 / len(subs)] * len(subs))
            d.gap()
        elif spec.fields:
            rows.extend((f"{_label(spec, lang)}: {_label(sub, lang)}", f"{{{{ {name}.{n} }}}}")
                        for n, sub in spec.fields.items() if not sub.fields and sub.item is None)
        elif spec.type == "list":
            rows.append((_label(spec, lang), f"{{{{ {name}|join(', ') }}}}"))
        else:
            rows.append((_label(spec, lang), f"{{{{ {name} }}}}"))
    if rows:
        d.kv_table(rows)
    d.gap()
    d.signature("{{ date }}", "", d.t("(қолы)", "(подпись)"))


def main(names: list[str]) -> None:
    """Scaffold the named types' templates in both languages."""
    if not names:
        raise SystemExit(__doc__)
    types = load_definitions(Path(config.SCHEMAS_DIR), set(RULES), set(compute.COMPUTATIONS))
    for name in names:
        if name not in types:
            raise SystemExit(f"no definition schemas/{name}.yaml")
        for lang in LANG_TAGS:
            builder = Builder(lang)
            scaffold(builder, types[name])
            print(builder.save(types[name].template))


if __name__ == "__main__":
    main(sys.argv[1:])
