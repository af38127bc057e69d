"""Build the Word templates in templates_docx/ (Kazakh and Russian) with python-docx.

The templates are the files the service fills; this script is how they are made, so a
change of layout is a reviewable diff here. Run: .venv/bin/python scripts/build_templates.py
Each document function writes both languages: t("Kazakh", "Russian") picks the text.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

OUT = Path(__file__).resolve().parent.parent / "templates_docx"
FONT = "Times New Roman"  # metric-compatible Liberation Serif (fonts-liberation2) on Linux
LANG_TAGS = {"kk": "kk-KZ", "ru": "ru-RU"}


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
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = 1.0
        props = self.doc.core_properties
        props.title, props.language, props.author = "{{ title }}", LANG_TAGS[lang], "formsvc"
        props.subject = "{{ title }}"

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

    def addressee_block(self, lines: list[str]) -> None:
        """The block at the top right: to whom, from whom."""
        table = self.doc.add_table(rows=1, cols=2)
        _widths(table, [7.5, 9.0])
        left, right = table.rows[0].cells
        right.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            right.add_paragraph(line)
        self.gap()

    def title(self, text: str, number: str | None = None) -> None:
        """The centred, bold title, with "№ <number>" under it when `number` is set."""
        self.p((text, "b"), align="center")
        if number:
            self.tag(f"if {number}")
            self.p(f"№ {{{{ {number} }}}}", align="center")
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
        _widths(table, [6.0, 4.5, 6.0])
        top, bottom = table.rows
        top.cells[0].text, top.cells[1].text, top.cells[2].text = left, "______________", name
        top.cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = bottom.cells[1].paragraphs[0].add_run(caption)
        run.italic, run.font.size = True, Pt(10)
        bottom.cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    def save(self, name: str) -> Path:
        """Write templates_docx/<name>.<lang>.docx."""
        path = OUT / f"{name}.{self.lang}.docx"
        self.doc.save(str(path))
        return path


def application(d: Builder) -> None:
    """Өтініш / Заявление (p13; family composition as in Model Rules Appendix 1)."""
    t = d.t
    d.addressee_block([
        "{{ addressee }}",
        t("өтініш беруші: ", "от ") + "{{ applicant|full_name }}",
        t("ЖСН: ", "ИИН: ") + "{{ applicant.iin }}",
        t("мекенжайы: ", "адрес: ") + "{{ applicant.address|address }}",
        "{% if applicant.phone %}" + t("телефоны: ", "телефон: ") + "{{ applicant.phone }}{% endif %}",
        "{% if applicant.email %}" + t("эл. пошта: ", "эл. почта: ") + "{{ applicant.email }}{% endif %}",
    ])
    d.title(t("ӨТІНІШ", "ЗАЯВЛЕНИЕ"), "number")
    d.p(t("{% if on_behalf_of == 'family' %}Маған және отбасыма{% else %}Маған{% endif %} "
          "өмірлік қиын жағдайдың туындауына байланысты әлеуметтік көмек көрсетуіңізді сұраймын.",
          "Прошу оказать {% if on_behalf_of == 'family' %}мне и моей семье{% else %}мне{% endif %} "
          "социальную помощь в связи с наступлением трудной жизненной ситуации."), indent=True)
    d.p((t("Негізі: ", "Основание: "), "b"), "{{ ground }}.", indent=True)
    d.p((t("Жағдайдың сипаттамасы: ", "Описание ситуации: "), "b"), "{{ ground_details }}", indent=True)
    d.tag("if event_date")
    d.p((t("Оқиға болған күн: ", "Дата события: "), "b"), "{{ event_date }}.", indent=True)
    d.tag("endif")
    d.p((t("Жеке басын куәландыратын құжат: ", "Документ, удостоверяющий личность: "), "b"),
        "{{ applicant.identity_document.kind }} № {{ applicant.identity_document.number }}, "
        + t("{{ applicant.identity_document.issued_on.short }} берген {{ applicant.identity_document.issued_by }}.",
            "выдан {{ applicant.identity_document.issued_on.short }} {{ applicant.identity_document.issued_by }}."),
        indent=True, space_after=6)

    d.p((t("Отбасы құрамы", "Состав семьи"), "b"), align="center")
    d.tag("if family_rows")
    d.loop_table([t("№", "№"), t("Тегі, аты, әкесінің аты", "Фамилия, имя, отчество"),
                  t("Туыстық қатынасы", "Родственное отношение"), t("ЖСН", "ИИН"),
                  t("Туған күні", "Дата рождения")],
                 ["{{ loop.index }}", "{{ m.full_name }}", "{{ m.relation }}", "{{ m.iin }}",
                  "{{ m.birth_date.short }}"],
                 "m in family_rows", [1.0, 6.0, 3.5, 3.3, 2.7])
    d.tag("else")
    d.p(t("Өтініш беруші жалғыз тұрады (отбасы мүшелері көрсетілмеген).",
          "Заявитель проживает один (члены семьи не указаны)."), indent=True)
    d.tag("endif")
    d.gap()

    d.p((t("Өткен тоқсандағы табыстар туралы мәліметтер", "Сведения о доходах за предыдущий квартал"), "b"),
        align="center")
    d.tag("if income_rows")
    d.loop_table(["№", t("Табыс алушы", "Получатель дохода"), t("Табыс түрі", "Вид дохода"),
                  t("Сомасы, теңге", "Сумма, тенге")],
                 ["{{ loop.index }}", "{{ r.full_name }}", "{{ r.kind }}", "{{ r.amount_quarter }}"],
                 "r in income_rows", [1.0, 7.0, 5.0, 3.5],
                 total=["", t("Барлығы", "Итого"), "", "{{ income_total }}"])
    d.tag("elif no_income")
    d.p(t("Отбасының өткен тоқсанда табысы болған жоқ.",
          "Доходов у семьи в предыдущем квартале не было."), indent=True)
    d.tag("else")
    d.p(t("Көмек табысқа қарамастан көрсетіледі, табыстар туралы мәліметтер ұсынылмайды (13-тармақ).",
          "Помощь оказывается независимо от дохода, сведения о доходах не представляются (пункт 13)."),
        indent=True)
    d.tag("endif")
    d.gap()

    d.p(t("Әлеуметтік көмекті мына жеке шотқа аударуды сұраймын: ",
          "Социальную помощь прошу перечислить на лицевой счёт: ")
        + "{{ bank_account.iban }}, {{ bank_account.bank_name }}.", indent=True, space_after=6)

    d.p((t("Қоса беріліп отырған құжаттар:", "Прилагаемые документы:"), "b"), indent=True)
    d.tag("if attachments.identity_document")
    d.p("– " + t("жеке басын куәландыратын құжат;", "документ, удостоверяющий личность;"), indent=True)
    d.tag("endif")
    d.tag("if attachments.income_information")
    d.p("– " + t("адамның (отбасы мүшелерінің) табыстары туралы мәліметтер;",
                 "сведения о доходах лица (членов семьи);"), indent=True)
    d.tag("endif")
    d.p("– {{ attachments.situation_proof_description }}.", indent=True, space_after=6)

    d.p(t("Ұсынылған мәліметтердің дұрыстығын растаймын. Дербес деректерімді және отбасы мүшелерімнің "
          "дербес деректерін жинауға және өңдеуге келісемін.",
          "Достоверность представленных сведений подтверждаю. Согласен(на) на сбор и обработку моих "
          "персональных данных и персональных данных членов моей семьи."), indent=True)
    d.gap()
    d.signature("{{ date }}", "{{ applicant|full_name }}", t("(қолы)", "(подпись)"))


DOCUMENTS: dict[str, Callable[[Builder], None]] = {
    "application": application,
}


def main(names: list[str]) -> None:
    """Build the named templates (all if none are named), both languages."""
    OUT.mkdir(exist_ok=True)
    for name in names or list(DOCUMENTS):
        for lang in LANG_TAGS:
            builder = Builder(lang)
            DOCUMENTS[name](builder)
            print(builder.save(name))


if __name__ == "__main__":
    main(sys.argv[1:])
