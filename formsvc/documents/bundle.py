"""The whole file of a case as one PDF: every document in procedure order, a bookmark for
each, and "page X of Y" with the case number on every page.

The parts are the kept PDF/A files themselves (pypdf copies their pages unchanged); the
page numbers are drawn by reportlab with an embedded Liberation Serif, and the PDF/A output
intent and XMP metadata of the first part are carried over.
"""
from __future__ import annotations

import subprocess
from functools import cache
from io import BytesIO

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_NAME = "FormsvcSerif"
_PAGE_TEXT = {"kk": "Іс № {number} · {page}/{pages} бет", "ru": "Дело № {number} · стр. {page} из {pages}"}


@cache
def _font() -> str:
    """Register Liberation Serif (every Kazakh letter) with reportlab once; its name."""
    path = subprocess.run(["fc-match", "-f", "%{file}", "Liberation Serif"], capture_output=True, text=True,
                          check=True).stdout.strip()
    pdfmetrics.registerFont(TTFont(FONT_NAME, path))
    return FONT_NAME


def _stamp(width: float, height: float, text: str) -> PdfReader:
    """A one-page PDF of the page's size with `text` at the top right."""
    out = BytesIO()
    sheet = canvas.Canvas(out, pagesize=(width, height), initialFontName=_font(), initialFontSize=9)
    sheet.setFont(_font(), 9)
    sheet.drawRightString(width - 15 * mm, height - 10 * mm, text)
    sheet.save()
    return PdfReader(BytesIO(out.getvalue()))


def bundle(parts: list[tuple[str, bytes]], case_number: str, title: str, lang: str) -> bytes:
    """One PDF of `parts` (title, PDF bytes) with a bookmark per part and numbered pages."""
    readers = [(name, PdfReader(BytesIO(pdf))) for name, pdf in parts]
    pages = sum(len(reader.pages) for _, reader in readers)
    writer = PdfWriter()
    number = 0
    for name, reader in readers:
        first_page = len(writer.pages)
        for source in reader.pages:
            number += 1
            page = writer.add_page(source)   # stamped in the writer, as pypdf 7 requires
            box = page.mediabox
            page.merge_page(_stamp(float(box.width), float(box.height), _PAGE_TEXT[lang].format(
                number=case_number, page=number, pages=pages)).pages[0])
        writer.add_outline_item(title=name, page_number=first_page)
    if readers:
        _keep_archival_marks(writer, readers[0][1])
    writer.add_metadata({"/Title": title, "/Subject": case_number})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _keep_archival_marks(writer: PdfWriter, first: PdfReader) -> None:
    """The first part's PDF/A output intent, XMP metadata and language."""
    root = first.trailer["/Root"].get_object()
    assert isinstance(root, DictionaryObject)
    for key in ("/OutputIntents", "/Metadata", "/Lang"):
        if key in root:
            writer._root_object[NameObject(key)] = root.raw_get(key).clone(writer)
    writer.page_mode = "/UseOutlines"
