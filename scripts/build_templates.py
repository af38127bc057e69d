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
        _widths(table, [6.0, 10.5])
        left, right = table.rows[0].cells
        right.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            right.add_paragraph(line)
        self.gap()

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
        right.text = "№ {{ number }}"
        right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self.gap()

    def date_place(self, place: str) -> None:
        """The line under a title: the date left, the place right."""
        table = self.doc.add_table(rows=1, cols=2)
        _widths(table, [8.25, 8.25])
        left, right = table.rows[0].cells
        left.text, right.text = "{{ date }}", place
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

    def commission_signatures(self, caption_kk: str, caption_ru: str) -> None:
        """The chair and each member with a line to sign."""
        self.p((self.t(caption_kk, caption_ru), "b"))
        self.signature(self.t("Комиссия төрағасы", "Председатель комиссии"), "{{ commission.chair }}",
                       self.t("(қолы)", "(подпись)"))
        self.tag("for member in commission.members")
        self.p(self.t("Комиссия мүшесі", "Член комиссии") + " ______________ {{ member }}", align="left")
        self.tag("endfor")
        self.gap()

    def addressee(self, lines: list[str]) -> None:
        """The recipient block at the top right of a letter."""
        self.addressee_block(lines)

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
        _widths(table, [5.0, 3.5, 8.0])
        top, bottom = table.rows
        top.cells[0].text, top.cells[1].text, top.cells[2].text = left, "___________", name
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


AUTHORIZED_BODY = ("«Саран қаласының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі» мемлекеттік мекемесі",
                   "Государственное учреждение «Отдел занятости и социальных программ города Сарани»")
SPECIAL_COMMISSION = ("Саран қаласы әкімдігінің әлеуметтік көмек көрсету жөніндегі арнайы комиссиясы",
                      "Специальная комиссия акимата города Сарани по оказанию социальной помощи")
DISTRICT_COMMISSION = ("Учаскелік комиссия ({{ settlement }})", "Участковая комиссия ({{ settlement }})")
APPEAL = ("Шешімге Қазақстан Республикасының Әкімшілік рәсімдік-процестік кодексінде белгіленген тәртіппен "
          "жоғары тұрған әкімшілік органға (лауазымды адамға) немесе сотқа шағым жасалуы мүмкін.",
          "Решение может быть обжаловано в вышестоящий административный орган (должностному лицу) "
          "или в суд в порядке, установленном Административным процедурно-процессуальным кодексом "
          "Республики Казахстан.")


def _applicant_line(d: Builder) -> None:
    d.p((d.t("Өтініш беруші: ", "Заявитель: "), "b"),
        "{{ applicant|full_name }}, " + d.t("ЖСН", "ИИН") + " {{ applicant.iin }}.", indent=True)


def _application_line(d: Builder) -> None:
    d.p((d.t("Өтініш: ", "Заявление: "), "b"),
        d.t("{{ application.date }} № {{ application.number }}.",
            "от {{ application.date }} № {{ application.number }}."), indent=True)


def _letter_to_applicant(d: Builder) -> None:
    d.addressee([d.t("Өтініш берушіге:", "Заявителю:"), "{{ applicant|full_name }}",
                 "{{ applicant.address|address }}"])


def _notice_opening(d: Builder, title_kk: str, title_ru: str, greeting: bool = True) -> None:
    """The authorized body's letter head, the addressee, the title and the greeting."""
    d.heading(*AUTHORIZED_BODY)
    _letter_to_applicant(d)
    d.title(d.t(title_kk, title_ru))
    if greeting:
        d.p(d.t("Құрметті {{ applicant|full_name }}!", "Уважаемый(ая) {{ applicant|full_name }}!"), align="center",
            space_after=6)


def _authority_signature(d: Builder) -> None:
    d.gap()
    d.signature("{{ signatory.position }}", "{{ signatory.full_name }}", d.t("(қолы)", "(подпись)"))
    d.p(d.t("М.О.", "М.П."), align="left", size=10)


def inspection_act(d: Builder) -> None:
    """Act on the material condition (Model Rules Appendix 2)."""
    t = d.t
    d.tag("if settlement == 'aktas'")
    d.p((t("Ақтас кентінің учаскелік комиссиясы", "Участковая комиссия посёлка Актас"), "b"), align="center")
    d.tag("else")
    d.p((t("Саран қаласының учаскелік комиссиясы", "Участковая комиссия города Сарани"), "b"), align="center")
    d.tag("endif")
    d.gap()
    d.title(t("АДАМНЫҢ (ОТБАСЫНЫҢ) МАТЕРИАЛДЫҚ ЖАҒДАЙЫН ТЕКСЕРУ АКТІСІ",
              "АКТ ОБСЛЕДОВАНИЯ МАТЕРИАЛЬНОГО ПОЛОЖЕНИЯ ЛИЦА (СЕМЬИ)"), "number")
    d.date_place("{{ settlement }}")
    _applicant_line(d)
    d.p((t("Мекенжайы: ", "Адрес: "), "b"), "{{ applicant.address|address }}.", indent=True)
    _application_line(d)
    d.p((t("Өмірлік қиын жағдай: ", "Трудная жизненная ситуация: "), "b"), "{{ situation }}", indent=True,
        space_after=6)
    d.tag("if inspection_refused")
    d.p((t("Өтініш беруші материалдық жағдайды тексеру жүргізуден бас тартты (жалтарды). "
           "Бас тарту {{ refusal_recorded_on }} тіркелді (Қағидалардың 25-тармағының 2) тармақшасы).",
           "Заявитель отказался (уклонился) от проведения обследования материального положения. "
           "Отказ зафиксирован {{ refusal_recorded_on }} (подпункт 2) пункта 25 Правил)."), "b"), indent=True,
        space_after=6)
    d.tag("endif")
    d.p((t("1. Отбасы құрамы", "1. Состав семьи"), "b"))
    d.tag("if family_members")
    d.loop_table(["№", t("Аты-жөні", "Ф. И. О."), t("Туыстық қатынасы", "Родство"),
                  t("Туған күні", "Дата рождения"), t("Жұмыс (оқу) орны", "Место работы (учёбы)"),
                  t("Жұмыс істемеу себебі", "Причина незанятости")],
                 ["{{ loop.index }}", "{{ m|full_name }}", "{{ m.relation }}", "{{ m.birth_date.short }}",
                  "{{ m.occupation or '—' }}", "{{ m.non_employment_reason or '—' }}"],
                 "m in family_members", [0.8, 4.2, 2.4, 2.4, 3.4, 3.3])
    d.tag("else")
    d.p(t("Өтініш беруші жалғыз тұрады.", "Заявитель проживает один."), indent=True)
    d.tag("endif")
    d.gap()
    d.kv_table([
        (t("Еңбекке қабілетті адамдар саны", "Количество трудоспособных"), "{{ able_bodied_count }}"),
        (t("Оның ішінде жұмыссыз ретінде тіркелгендер", "Из них зарегистрированы безработными"),
         "{{ registered_unemployed_count }}"),
        (t("Ақылы негізде оқитын балалар саны", "Детей, обучающихся на платной основе"),
         "{{ children_paid_education_count }}"),
        (t("Жылдық оқу ақысы, теңге", "Стоимость обучения в год, тенге"), "{{ paid_education_cost_year }}"),
    ])
    d.gap()
    d.p((t("2. Әлеуметтік осал санаттағы адамдар: ", "2. Лица социально уязвимых категорий: "), "b"),
        "{% for c in vulnerable_categories %}{{ c }}{% if not loop.last %}; {% endif %}"
        "{% else %}" + t("жоқ", "нет") + "{% endfor %}{% if vulnerable_other %} ({{ vulnerable_other }}){% endif %}.")
    d.p((t("3. Тұрғын үй жағдайы: ", "3. Жилищные условия: "), "b"),
        "{{ housing.kind }}; {{ housing.details }}; "
        + t("күтіп-ұстауға айына {{ housing.monthly_costs }} теңге.", "расходы на содержание {{ housing.monthly_costs }} тенге в месяц."),
        space_after=6)
    d.p((t("4. Отбасы мүшелерінің өткен тоқсандағы табыстары", "4. Доходы членов семьи за предыдущий квартал"), "b"))
    d.tag("if incomes")
    d.loop_table(["№", t("Табыс алушы", "Получатель"), t("Табыс түрі", "Вид дохода"),
                  t("Сомасы, теңге", "Сумма, тенге"), t("Жеке қосалқы шаруашылық", "Личное подсобное хозяйство")],
                 ["{{ loop.index }}", "{{ r.member_name }}", "{{ r.kind }}", "{{ r.amount_quarter }}",
                  "{{ r.household_plot or '—' }}"],
                 "r in incomes", [0.8, 4.7, 3.8, 3.0, 4.2],
                 total=["", t("Барлығы", "Итого"), "", "{{ income_total }}", ""])
    d.tag("else")
    d.p(t("Табыс жоқ.", "Доходов нет."), indent=True)
    d.tag("endif")
    d.gap()
    d.p((t("5. Басқа мәліметтер", "5. Иные сведения"), "b"))
    for label_kk, label_ru, name in (
            ("Көлік құралдары", "Транспортные средства", "vehicles"),
            ("Басқа тұрғын үй", "Иное жильё", "other_housing"),
            ("Бұрын алған көмек", "Ранее полученная помощь", "previous_assistance"),
            ("Басқа табыстар", "Иные доходы", "other_income"),
            ("Балалардың қамтамасыз етілуі", "Обеспеченность детей", "children_provision"),
            ("Санитарлық-эпидемиологиялық жағдай", "Санитарно-эпидемиологическое состояние", "sanitary_conditions"),
            ("Басқа байқаулар", "Иные наблюдения", "other_observations")):
        d.p((t(label_kk, label_ru) + ": ", "i"), "{{ " + name + " or '—' }}")
    d.gap()
    d.commission_signatures("Учаскелік комиссия:", "Участковая комиссия:")
    d.p(t("Актімен таныстым:", "С актом ознакомлен(а):") + " ______________ {{ applicant|full_name }}", align="left")


def district_commission_conclusion(d: Builder) -> None:
    """The district commission's conclusion (Model Rules Appendix 3)."""
    t = d.t
    d.p((t("Учаскелік комиссия", "Участковая комиссия"), "b"), align="center")
    d.gap()
    d.title(t("ҚОРЫТЫНДЫ", "ЗАКЛЮЧЕНИЕ"), "number")
    d.date_place(t("Саран қаласы", "г. Сарань"))
    d.p(t("Учаскелік комиссия {{ applicant|full_name }} (ЖСН {{ applicant.iin }}) "
          "{{ application.date }} № {{ application.number }} өтінішін және адамның (отбасының) "
          "материалдық жағдайын тексеру актісін қарап, Қағидалардың 17-тармағына сәйкес мынадай "
          "қорытынды шығарды:",
          "Участковая комиссия, рассмотрев заявление {{ applicant|full_name }} (ИИН {{ applicant.iin }}) "
          "от {{ application.date }} № {{ application.number }} и акт обследования материального "
          "положения лица (семьи), в соответствии с пунктом 17 Правил вынесла следующее заключение:"),
        indent=True, space_after=6)
    d.p(("{{ conclusion }}.", "b"), align="center", space_after=6)
    d.tag("if reasoning")
    d.p((t("Негіздеме: ", "Обоснование: "), "b"), "{{ reasoning }}", indent=True, space_after=6)
    d.tag("endif")
    d.gap()
    d.commission_signatures("Учаскелік комиссия:", "Участковая комиссия:")
    d.p(t("Қорытынды {{ documents_count }} құжатпен бірге {{ received_on }} қабылданды:",
          "Заключение с приложенными документами ({{ documents_count }}) получено {{ received_on }}:"),
        align="left")
    d.signature("{{ received_by.position }}", "{{ received_by.full_name }}", t("(қолы)", "(подпись)"))


def special_commission_conclusion(d: Builder) -> None:
    """The special commission's conclusion with the amount (p9, p11, p20, p21)."""
    t = d.t
    d.heading(*SPECIAL_COMMISSION)
    d.title(t("ӘЛЕУМЕТТІК КӨМЕК КӨРСЕТУ ҚАЖЕТТІЛІГІ ТУРАЛЫ ҚОРЫТЫНДЫ",
              "ЗАКЛЮЧЕНИЕ О НЕОБХОДИМОСТИ ОКАЗАНИЯ СОЦИАЛЬНОЙ ПОМОЩИ"))
    _applicant_line(d)
    _application_line(d)
    d.p((t("Негізі: ", "Основание: "), "b"), "{{ ground }}.", indent=True, space_after=6)
    d.p((t("Жан басына шаққандағы орташа табысты есептеу (2-тармақтың 6) тармақшасы, 20-тармақ)",
           "Расчёт среднедушевого дохода (подпункт 6) пункта 2, пункт 20)"), "b"), align="center")
    d.kv_table([
        (t("Отбасы мүшелерінің саны", "Количество членов семьи"), "{{ household_size }}"),
        (t("Отбасының тоқсандағы жиынтық табысы, теңге", "Совокупный доход семьи за квартал, тенге"),
         "{{ household_income_quarter }}"),
        (t("Жан басына шаққандағы орташа айлық табыс (тоқсандық табыс / 3 / отбасы мүшелерінің саны), теңге",
           "Среднедушевой доход в месяц (доход за квартал / 3 / количество членов семьи), тенге"),
         "{{ per_capita_income }}"),
        (t("{{ date }} күнгі ең төмен күнкөріс деңгейі, теңге", "Прожиточный минимум на {{ date }}, тенге"),
         "{{ subsistence_minimum }}"),
        (t("{{ date }} күнгі айлық есептік көрсеткіш, теңге", "Месячный расчётный показатель на {{ date }}, тенге"),
         "{{ mci }}"),
        (t("Табыс шегі ({{ p8_factor }} × ең төмен күнкөріс деңгейі, 8-тармақ), теңге",
           "Порог дохода ({{ p8_factor }} × прожиточный минимум, пункт 8), тенге"),
         "{{ income_threshold }}", "income_threshold"),
        (t("Шекті мөлшер ({{ amount_limit_mci }} АЕК, 9-тармақ), теңге",
           "Предельный размер ({{ amount_limit_mci }} МРП, пункт 9), тенге"),
         "{{ amount_limit }}", "amount_limit"),
    ])
    d.gap()
    d.p(t("Арнайы комиссия Қағидалардың 11, 21-тармақтарына сәйкес мынадай қорытынды шығарды: ",
          "Специальная комиссия в соответствии с пунктами 11, 21 Правил вынесла заключение: "),
        ("{{ conclusion }}.", "b"), indent=True)
    d.tag("if conclusion == 'assistance_needed'")
    d.p(t("Әлеуметтік көмектің мөлшері: ", "Размер социальной помощи: "),
        ("{{ amount }} " + t("теңге", "тенге"), "b"), " ({{ amount.words }}); "
        + t("мерзімділігі: {{ periodicity|lower }}; нысаны: {{ form|lower }}.", "периодичность: {{ periodicity|lower }}; форма: {{ form|lower }}."),
        indent=True)
    d.tag("endif")
    d.gap()
    d.commission_signatures("Арнайы комиссия:", "Специальная комиссия:")


def decision(d: Builder) -> None:
    """The authorized body's decision (p22)."""
    t = d.t
    d.heading(*AUTHORIZED_BODY)
    d.title(t("ШЕШІМ", "РЕШЕНИЕ"), "")
    d.p((t("{{ title }}", "{{ title }}"), "b"), align="center", space_after=6)
    d.p(t("Саран қаласы мен Ақтас кентінің мұқтаж азаматтарына әлеуметтік көмек көрсету қағидаларының "
          "22-тармағына сәйкес, {{ applicant|full_name }} (ЖСН {{ applicant.iin }}) "
          "{{ application.date }} № {{ application.number }} өтінішін ({{ application.registered_on }} тіркелген) "
          "және арнайы комиссияның қорытындысын қарап, ШЕШІМ ҚАБЫЛДАНДЫ:",
          "В соответствии с пунктом 22 Правил оказания социальной помощи отдельным категориям нуждающихся "
          "граждан города Сарани и посёлка Актас, рассмотрев заявление {{ applicant|full_name }} "
          "(ИИН {{ applicant.iin }}) от {{ application.date }} № {{ application.number }} (зарегистрировано "
          "{{ application.registered_on }}) и заключение специальной комиссии, РЕШЕНО:"), indent=True,
        space_after=6)
    d.tag("if outcome == 'granted'")
    d.p(t("1. {{ applicant|full_name }} әлеуметтік көмек тағайындалсын: мөлшері ",
          "1. Назначить {{ applicant|full_name }} социальную помощь в размере "),
        ("{{ amount }} " + t("теңге", "тенге"), "b"), " ({{ amount.words }}); "
        + t("мерзімділігі: {{ periodicity|lower }}; нысаны: {{ form|lower }}.", "периодичность: {{ periodicity|lower }}; форма: {{ form|lower }}."),
        indent=True)
    d.tag("else")
    d.p(t("1. {{ applicant|full_name }} әлеуметтік көмек көрсетуден Қағидалардың 25-тармағы бойынша бас тартылсын:",
          "1. Отказать {{ applicant|full_name }} в оказании социальной помощи по пункту 25 Правил:"), indent=True)
    d.tag("for reason in refusal_reasons")
    d.p("– {{ reason }};", indent=True)
    d.tag("endfor")
    d.tag("endif")
    d.p(t("2. Өтініш беруші шешім туралы үш жұмыс күні ішінде жазбаша хабардар етілсін (23-тармақ).",
          "2. Письменно уведомить заявителя о решении в течение трёх рабочих дней (пункт 23)."), indent=True)
    _authority_signature(d)


def refusal_notice(d: Builder) -> None:
    """The notice of refusal with the p25 grounds (p23, p25)."""
    t = d.t
    _notice_opening(d, "ӘЛЕУМЕТТІК КӨМЕК КӨРСЕТУДЕН БАС ТАРТУ ТУРАЛЫ ХАБАРЛАМА",
                    "УВЕДОМЛЕНИЕ ОБ ОТКАЗЕ В ОКАЗАНИИ СОЦИАЛЬНОЙ ПОМОЩИ")
    d.p(t("Сіздің {{ application.date }} № {{ application.number }} өтінішіңіз бойынша уәкілетті органның "
          "{{ decision.date }} № {{ decision.number }} шешімімен әлеуметтік көмек көрсетуден бас тартылғанын "
          "хабарлаймыз. Бас тарту негіздері (Қағидалардың 25-тармағы):",
          "Сообщаем, что по Вашему заявлению от {{ application.date }} № {{ application.number }} решением "
          "уполномоченного органа от {{ decision.date }} № {{ decision.number }} Вам отказано в оказании "
          "социальной помощи. Основания отказа (пункт 25 Правил):"), indent=True, space_after=6)
    d.tag("for reason in reasons")
    d.p(("{{ loop.index }}) {{ reason.code }}.", "b"), indent=True)
    d.p(t("Нақты мән-жайлар: ", "Обстоятельства: "), "{{ reason.details }}", indent=True, space_after=6)
    d.tag("endfor")
    d.p(d.t(*APPEAL), indent=True)
    _authority_signature(d)


def grant_notice(d: Builder) -> None:
    """The notice of granted assistance (p23)."""
    t = d.t
    _notice_opening(d, "ӘЛЕУМЕТТІК КӨМЕК ТАҒАЙЫНДАЛҒАНЫ ТУРАЛЫ ХАБАРЛАМА", "УВЕДОМЛЕНИЕ О НАЗНАЧЕНИИ СОЦИАЛЬНОЙ ПОМОЩИ")
    d.p(t("Сіздің {{ application.date }} № {{ application.number }} өтінішіңіз бойынша уәкілетті органның "
          "{{ decision.date }} № {{ decision.number }} шешімімен Сізге әлеуметтік көмек тағайындалғанын хабарлаймыз.",
          "Сообщаем, что по Вашему заявлению от {{ application.date }} № {{ application.number }} решением "
          "уполномоченного органа от {{ decision.date }} № {{ decision.number }} Вам назначена социальная помощь."),
        indent=True, space_after=6)
    d.kv_table([
        (t("Көмектің мөлшері", "Размер помощи"), "{{ amount }} " + t("теңге", "тенге") + " ({{ amount.words }})"),
        (t("Мерзімділігі", "Периодичность"), "{{ periodicity }}"),
        (t("Нысаны", "Форма"), "{{ form }}"),
        (t("Жеке шот", "Лицевой счёт"), "{{ bank_account.iban }}, {{ bank_account.bank_name }}"),
    ], widths=(5.0, 11.5))
    d.gap()
    d.p(t("Шешімге келіспеген жағдайда: ", "В случае несогласия с решением: ")
        + (d.t(*APPEAL)), indent=True)
    _authority_signature(d)


def termination_notice(d: Builder) -> None:
    """The notice that assistance stops (p27), with the return of overpayments (p28)."""
    t = d.t
    _notice_opening(d, "ӘЛЕУМЕТТІК КӨМЕКТІ ТОҚТАТУ ТУРАЛЫ ХАБАРЛАМА", "УВЕДОМЛЕНИЕ О ПРЕКРАЩЕНИИ СОЦИАЛЬНОЙ ПОМОЩИ",
                    greeting=False)
    d.p(t("Уәкілетті органның {{ decision.date }} № {{ decision.number }} шешімімен тағайындалған әлеуметтік "
          "көмекті төлеу Қағидалардың 27-тармағы бойынша тоқтатылатынын хабарлаймыз.",
          "Сообщаем, что выплата социальной помощи, назначенной решением уполномоченного органа от "
          "{{ decision.date }} № {{ decision.number }}, прекращается по пункту 27 Правил."), indent=True)
    d.p((t("Негізі: ", "Основание: "), "b"), "{{ ground }}.", indent=True)
    d.p((t("Мән-жай туындаған күн: ", "Дата возникновения обстоятельства: "), "b"), "{{ circumstance_date }}.",
        indent=True)
    d.p(t("Әлеуметтік көмекті төлеу мән-жай туындаған айдан бастап, ",
          "Выплата социальной помощи прекращается с месяца возникновения обстоятельства, "),
        (t("{{ payment_stops_from }} бастап тоқтатылады.", "с {{ payment_stops_from }}."), "b"), indent=True)
    d.tag("if overpayment")
    d.p(t("Артық төленген ", "Излишне выплаченная сумма "), ("{{ overpayment }} " + t("теңге", "тенге"), "b"),
        " ({{ overpayment.words }}) "
        + t("Қағидалардың 28-тармағына сәйкес ерікті түрде немесе Қазақстан Республикасының заңнамасында "
            "белгіленген өзге тәртіппен қайтаруға жатады. Соманы уәкілетті органның шотына қайтару үшін "
            "уәкілетті органға хабарласыңыз.",
            "подлежит возврату в соответствии с пунктом 28 Правил добровольно или в ином установленном "
            "законодательством Республики Казахстан порядке. Для возврата суммы обратитесь в уполномоченный орган."),
        indent=True)
    d.tag("endif")
    d.p(d.t(*APPEAL), indent=True)
    _authority_signature(d)


def legal_aid_request(d: Builder) -> None:
    """A request for comprehensive social legal aid (legal aid regulation p8–11)."""
    t = d.t
    d.addressee_block([
        "{% if consultant %}{{ consultant.organisation }}, {{ consultant.full_name }}{% else %}"
        + t("Заң консультанттары палатасына", "В палату юридических консультантов") + "{% endif %}",
        t("өтініш беруші: ", "от ") + "{{ applicant|full_name }}",
        t("ЖСН: ", "ИИН: ") + "{{ applicant.iin }}",
        t("мекенжайы: ", "адрес: ") + "{{ applicant.address|address }}",
        t("телефоны: ", "телефон: ") + "{{ applicant.phone }}",
    ])
    d.title(t("ӨТІНІШ", "ЗАЯВЛЕНИЕ"), "number")
    d.p(t("Маған кешенді әлеуметтік заң көмегін көрсетуіңізді сұраймын.",
          "Прошу оказать мне комплексную социальную юридическую помощь."), indent=True)
    d.p((t("Санаты (8-тармақ): ", "Категория (пункт 8): "), "b"), "{{ category }}.", indent=True)
    d.p((t("Санатты растайтын құжаттар (9-тармақ): ", "Документы, подтверждающие категорию (пункт 9): "), "b"),
        "{{ category_proof }}", indent=True)
    d.p((t("Мәселенің мәні: ", "Суть вопроса: "), "b"), "{{ matter }}", indent=True)
    d.p((t("Іс жүргізу түрі: ", "Вид производства: "), "b"), "{{ proceeding }}; "
        + t("дау кәсіпкерлік қызметке байланысты емес.", "спор не связан с предпринимательской деятельностью."),
        indent=True)
    d.p((t("Сұралатын көмек нысандары (11-тармақ):", "Запрашиваемые формы помощи (пункт 11):"), "b"), indent=True)
    d.tag("for form in aid_forms")
    d.p("– {{ form }};", indent=True)
    d.tag("endfor")
    d.p((t("Жеке басын куәландыратын құжат: ", "Документ, удостоверяющий личность: "), "b"),
        "{{ applicant.identity_document.kind }} № {{ applicant.identity_document.number }}, "
        + t("{{ applicant.identity_document.issued_on.short }} берген {{ applicant.identity_document.issued_by }}.",
            "выдан {{ applicant.identity_document.issued_on.short }} {{ applicant.identity_document.issued_by }}."),
        indent=True)
    d.gap()
    d.signature("{{ date }}", "{{ applicant|full_name }}", t("(қолы)", "(подпись)"))


DOCUMENTS: dict[str, Callable[[Builder], None]] = {
    "application": application,
    "inspection_act": inspection_act,
    "district_commission_conclusion": district_commission_conclusion,
    "special_commission_conclusion": special_commission_conclusion,
    "decision": decision,
    "refusal_notice": refusal_notice,
    "grant_notice": grant_notice,
    "termination_notice": termination_notice,
    "legal_aid_request": legal_aid_request,
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
