"""Command-line tools.

  flask --app formsvc check                           every definition, template and data file
  flask --app formsvc template check FILE.docx        one template, as a clerk edited it
  flask --app formsvc template preview TYPE --lang kk the sample data in that template, as PDF
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from formsvc.core.errors import DefinitionError, ServiceError
from formsvc.core.i18n import LANGUAGES
from formsvc.definitions.loading import DocumentType
from formsvc.definitions.registry import build_registry
from formsvc.documents import render
from formsvc.documents.placeholders import template_problems
from formsvc.documents.templates import TemplateStore
from formsvc.extensions import pdf_pool, registry

template_cli = AppGroup("template", help="Check and preview the Word templates in templates_docx/.")


def init_app(app: Flask) -> None:
    """Register the CLI commands."""

    @app.cli.command("check")
    def check() -> None:
        """Check every definition, template placeholder and data file; exit 1 on a mistake."""
        try:
            reg = build_registry(app.config)
            TemplateStore(Path(app.config["TEMPLATES_DIR"]), reg.types)
        except DefinitionError as exc:
            raise click.ClickException(str(exc)) from None
        for name, doc in reg.types.items():
            click.echo(f"ok  {name}: {len(list(doc.root.walk()))} fields, rules: "
                       f"{', '.join(doc.rules) or '-'}")

    app.cli.add_command(template_cli)


def _type_of(path: Path, types: dict[str, DocumentType]) -> tuple[DocumentType, str]:
    """The document type and language a template file is for, from its name `<template>.<lang>.docx`."""
    match = re.fullmatch(r"(?P<template>.+)\.(?P<lang>[a-z]{2})\.docx", path.name)
    if not match or match["lang"] not in LANGUAGES:
        raise click.ClickException(f"{path.name}: the name must be <template>.<kk|ru>.docx, "
                                   f"e.g. application.kk.docx")
    for doc in types.values():
        if doc.template == match["template"]:
            return doc, match["lang"]
    known = ", ".join(sorted(d.template for d in types.values()))
    raise click.ClickException(f"{path.name}: no document type uses the template "
                               f"{match['template']!r} (known: {known})")


@template_cli.command("check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def template_check(path: Path) -> None:
    """Check one template: every {{ placeholder }} must be a field of its document type."""
    doc, lang = _type_of(path, registry().types)
    problems = template_problems(doc, path.read_bytes(), lang)
    if not problems:
        click.echo(f"ok  {path.name}: every placeholder is a field of {doc.type} ({lang})")
        return
    click.echo(f"{path.name}: {len(problems)} problem(s); the service will not use this file until "
               f"they are mended:", err=True)
    for problem in problems:
        click.echo(f"  - {problem}", err=True)
    raise SystemExit(1)


@template_cli.command("preview")
@click.argument("doc_type")
@click.option("--lang", type=click.Choice(LANGUAGES), default="kk", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx"]), default="pdf", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the file (default: preview-TYPE-LANG.pdf here).")
def template_preview(doc_type: str, lang: str, fmt: str, out: Path | None) -> None:
    """Fill the template of DOC_TYPE with its sample data (schemas/examples/) and write the file."""
    reg = registry()
    try:
        doc = reg.get(doc_type)
    except ServiceError:
        raise click.ClickException(f"unknown document type {doc_type!r} "
                                   f"(known: {', '.join(reg.types)})") from None
    sample = Path(current_app.config["EXAMPLES_DIR"]) / f"{doc_type}.json"
    data = reg.validate(doc_type, json.loads(sample.read_text(encoding="utf-8"), parse_float=Decimal)).data
    path = doc.template_path(Path(current_app.config["TEMPLATES_DIR"]), lang)
    problems = template_problems(doc, path.read_bytes(), lang)
    if problems:
        raise click.ClickException(f"{path.name}: {problems[0]} (run `template check {path}`)")
    ctx = render.context(doc, data, lang, reg.regulation, reg.today(), "PREVIEW", "")
    content = render.render_docx(path.read_bytes(), ctx, lang)
    if fmt == "pdf":
        pool = pdf_pool()
        if not pool.wait_ready(120):
            raise click.ClickException(f"PDF is unavailable: {pool.status()['reason']}")
        try:
            content = pool.convert(content)
        finally:
            pool.stop()
    target = out or Path(f"preview-{doc_type}-{lang}.{fmt}")
    target.write_bytes(content)
    click.echo(f"wrote {target} ({len(content)} bytes) from {path.name} and {sample.name}")
