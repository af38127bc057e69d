"""A case's history in words: what each event was, and who did it, in the person's language."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from formsvc.cases.models import CaseEvent
from formsvc.core.formatting import short_date
from formsvc.core.i18n import message
from formsvc.definitions.loading import DocumentType
from formsvc.regulation.procedure import Procedure


def describe(event: CaseEvent, lang: str, types: Mapping[str, DocumentType], procedure: Procedure) -> str:
    """'Выдан документ: Акт обследования …', 'Шаг п. 16 отмечен: …, 03.11.2026', … for one event."""
    detail = event.detail or {}
    doc = types[detail["type"]].title[lang] if detail.get("type") in types else ""
    if event.action == "registered":
        return message("history_registered", lang, number=detail.get("number", ""))
    if event.action == "document_issued":
        return message("history_document_issued", lang, doc=doc)
    if event.action == "document_replaced":
        text = message("history_document_replaced", lang, doc=doc)
        return text + (" " + message("history_reason", lang, reason=event.note) if event.note else "")
    if event.action == "step_done":
        step = procedure.by_name.get(str(detail.get("step")))
        point = message("point", lang, n=step.point[1:]) if step else str(detail.get("step"))
        title = step.title[lang] if step else ""
        day = short_date(date.fromisoformat(detail["date"])) if detail.get("date") else ""
        return message("history_step_done", lang, point=point, title=title, date=day)
    text = message("event_" + event.action, lang)
    return text[:1].upper() + text[1:]


def who(actor: str, people: Mapping[str, str], lang: str) -> str:
    """The person's name for `user:NAME` (else the name), an application for `token:NAME`."""
    kind, _, name = actor.partition(":")
    if kind == "user":
        return people.get(name, name)
    if kind == "token":
        return message("history_by_application", lang, name=name)
    return name or actor
