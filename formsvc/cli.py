"""Command-line tools.

  flask --app formsvc check                           every definition, template and data file
  flask --app formsvc template check FILE.docx        one template, as a clerk edited it
  flask --app formsvc template preview TYPE --lang kk the sample data in that template, as PDF
  flask --app formsvc token create --name N --role R  a token for another application (and list, revoke)
  flask --app formsvc user create --username U --role R  a person who signs in (and list, disable, set-password)
  flask --app formsvc commission set --kind K ...     a commission's composition (and list, deactivate)
  flask --app formsvc purge [--yes]                   personal data past RETENTION_DAYS (a dry run first)
  flask --app formsvc rotate-keys                     re-encrypt stored data with the first of DATA_KEYS

These are also Flask CLI plugins (pyproject `flask.commands`): they read the configuration
themselves instead of starting the app, so they still work, and say what is wrong, while a
definition or template is broken (which stops the app itself from starting).
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click
from flask import Flask, current_app, has_app_context
from flask.cli import AppGroup, ScriptInfo, with_appcontext

from formsvc import configured_app
from formsvc.auth import tokens, users
from formsvc.cases import retention
from formsvc.core.errors import DefinitionError, InvalidInput, NotFound
from formsvc.core.i18n import LANGUAGES
from formsvc.definitions.loading import DocumentType
from formsvc.definitions.registry import Registry, build_registry
from formsvc.documents import render
from formsvc.documents.compiled import CompiledDocx
from formsvc.documents.pdf import PdfPool
from formsvc.documents.placeholders import TemplateProblem, template_problems
from formsvc.extensions import db, pool_config, register
from formsvc.regulation.roles import ROLES
from formsvc.staff import service as staff
from formsvc.staff.models import KINDS, SETTLEMENTS

if TYPE_CHECKING:
    from werkzeug.local import LocalProxy


token_cli = AppGroup("token", help="API tokens for other applications (shown once, stored as a hash).")


user_cli = AppGroup("user", help="People who sign in at /clerk/ (passwords hashed with Argon2id).")


cases_cli = AppGroup("cases", help="The case register's maintenance.")


def init_app(app: Flask) -> None:
    """Register the CLI commands on the app too (test runners invoke them through it)."""
    app.cli.add_command(check)
    app.cli.add_command(template_cli)
    app.cli.add_command(token_cli)
    app.cli.add_command(user_cli)
    app.cli.add_command(commission_cli)
    app.cli.add_command(cases_cli)
    app.cli.add_command(purge_command)
    app.cli.add_command(rotate_keys_command)


@click.command("purge")
@click.option("--yes", is_flag=True, help="Delete (without it, only say what would be deleted).")
@with_appcontext
def purge_command(yes: bool) -> None:
    """Remove closed cases and stand-alone document records older than RETENTION_DAYS."""
    days = int(current_app.config["RETENTION_DAYS"])
    before = datetime.now(timezone.utc) - timedelta(days=days)
    found = retention.purge(db.session, before, dry_run=not yes)
    verb = "removed" if yes else "would remove (dry run; --yes to delete)"
    click.echo(f"{verb}: {found.cases} closed case(s) and {found.documents} document record(s) "
               f"older than {days} days (before {before:%Y-%m-%d})")
    if yes:
        db.session.commit()


@click.command("rotate-keys")
@with_appcontext
def rotate_keys_command() -> None:
    """Re-encrypt every stored input and file with the first of DATA_KEYS (see SECURITY.md)."""
    count = retention.rotate_keys(db.session)
    db.session.commit()
    click.echo(f"re-encrypted {count} value(s) with the first data key")


@cases_cli.command("reindex")
def cases_reindex() -> None:
    """Rewrite every case's encrypted applicant name and search terms from its application record."""
    count = register().reindex(db.session)
    db.session.commit()
    click.echo(f"reindexed {count} case(s)")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@user_cli.command("create")
@click.option("--username", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--full-name", default="", help="As it should appear on the pages.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_create(username: str, role: str, full_name: str, password_stdin: bool) -> None:
    """Create an account (the password is prompted for, or read from standard input)."""
    try:
        users.create(db.session, username, role, _password(password_stdin), full_name)
    except users.UserError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"user {username} ({role}) created")


@user_cli.command("list")
def user_list() -> None:
    """Every account: username, role, active, last sign-in."""
    for user in users.listing(db.session):
        last = f"{user.last_login_at:%Y-%m-%d %H:%M}" if user.last_login_at else "-"
        click.echo(f"{user.username}\t{user.role}\t{'active' if user.active else 'disabled'}\t{last}")


@user_cli.command("disable")
@click.argument("username")
def user_disable(username: str) -> None:
    """Disable an account: it cannot sign in, and its open sessions end."""
    try:
        users.set_active(db.session, username, False)
    except users.UserError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"user {username} disabled")


@user_cli.command("set-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_set_password(username: str, password_stdin: bool) -> None:
    """Give an account a new password."""
    try:
        users.set_password(db.session, username, _password(password_stdin))
    except users.UserError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"password of {username} changed")


commission_cli = AppGroup("commission",
                          help="Commission compositions for the acts and conclusions (set, list, deactivate).")


@commission_cli.command("set")
@click.option("--kind", required=True, type=click.Choice(KINDS))
@click.option("--settlement", type=click.Choice(SETTLEMENTS), help="The district commission's settlement.")
@click.option("--chair", required=True, help="The chair's name as printed.")
@click.option("--member", "members", multiple=True, help="A member's name as printed (repeat for each).")
@click.option("--name-kk", required=True, help="The commission's name in Kazakh.")
@click.option("--name-ru", required=True, help="The commission's name in Russian.")
def commission_set(kind: str, settlement: str | None, chair: str, members: tuple[str, ...], name_kk: str,
                   name_ru: str) -> None:
    """Set the active commission of a kind (and settlement): changed if there is one, else created."""
    data = staff.CommissionInput(kind, settlement, name_kk, name_ru, chair, members)
    try:
        found, new = staff.set_commission(db.session, data, "cli")
    except InvalidInput as exc:
        raise click.ClickException("; ".join(f"{p.field}: {p.code} ({p.message('ru')})" for p in exc.problems)) \
            from None
    db.session.commit()
    where = f" {found.settlement}" if found.settlement else ""
    click.echo(f"commission {found.id} ({kind}{where}) {'created' if new else 'changed'}")


@commission_cli.command("list")
def commission_list() -> None:
    """Every commission: id, kind, settlement, active, Russian name, chair, members."""
    for found in staff.commissions(db.session):
        click.echo("\t".join([str(found.id), found.kind, found.settlement or "-",
                              "active" if found.active else "inactive", found.name_ru, found.chair,
                              "; ".join(found.members)]))


@commission_cli.command("deactivate")
@click.argument("commission_id", type=int)
def commission_deactivate(commission_id: int) -> None:
    """Stop filling a commission into documents (it stays on record)."""
    try:
        staff.deactivate_commission(db.session, commission_id, "cli")
    except NotFound:
        raise click.ClickException(f"no commission {commission_id}") from None
    db.session.commit()
    click.echo(f"commission {commission_id} deactivated")


@token_cli.command("create")
@click.option("--name", required=True, help="Which application holds it, e.g. e-sobes-sync.")
@click.option("--role", required=True, type=click.Choice(ROLES))
def token_create(name: str, role: str) -> None:
    """Create a token and print it (the only time it is shown)."""
    try:
        token = tokens.create(db.session, name, role)
    except tokens.TokenError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(token)
    click.echo(f"token {name!r} ({role}) created; it is not stored and cannot be shown again", err=True)


@token_cli.command("list")
def token_list() -> None:
    """Every token: name, role, created, revoked."""
    for found in tokens.listing(db.session):
        revoked = f"revoked {found.revoked_at:%Y-%m-%d %H:%M}" if found.revoked_at else "active"
        click.echo(f"{found.name}\t{found.role}\t{found.created_at:%Y-%m-%d %H:%M}\t{revoked}")


@token_cli.command("revoke")
@click.argument("name")
def token_revoke(name: str) -> None:
    """Revoke a token: it stops working at once."""
    try:
        tokens.revoke(db.session, name)
    except tokens.TokenError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"token {name!r} revoked")


def _app() -> Flask:
    """The app a caller gave (a test runner), else one with the configuration only."""
    if has_app_context():
        proxy = cast("LocalProxy[Flask]", current_app)   # flask types the proxy as the app it stands for
        return proxy._get_current_object()
    info = click.get_current_context().find_object(ScriptInfo)
    if info is not None and info.create_app is not None:
        return info.load_app()
    return configured_app()


def _registry(app: Flask) -> Registry:
    try:
        return build_registry(app.config)
    except DefinitionError as exc:
        raise click.ClickException(str(exc)) from None


def _report(name: str, problems: list[TemplateProblem]) -> bool:
    """Print a template's problems; True if it may be used (warnings only)."""
    errors = [p for p in problems if not p.warning]
    for problem in problems:
        click.echo(f"  - {problem}", err=True)
    if errors:
        click.echo(f"{name}: {len(errors)} problem(s); the service will not use this file until "
                   f"they are mended", err=True)
    return not errors


@click.command("check")
def check() -> None:
    """Check every definition, template placeholder and data file; exit 1 on a mistake."""
    app = _app()
    reg = _registry(app)
    sound = True
    for name, doc in reg.types.items():
        for lang in LANGUAGES:
            path = doc.template_path(Path(app.config["TEMPLATES_DIR"]), lang)
            if not path.is_file():
                raise click.ClickException(f"{path}: {doc.template}: template missing for {doc.type}")
            sound = _report(path.name, template_problems(doc, path.read_bytes(), lang)) and sound
        click.echo(f"ok  {name}: {len(list(doc.root.walk()))} fields, rules: {', '.join(doc.rules) or '-'}")
    if not sound:
        raise SystemExit(1)


@click.group("template")
def template_cli() -> None:
    """Check and preview the Word templates in templates_docx/."""


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
    doc, lang = _type_of(path, _registry(_app()).types)
    if not _report(path.name, template_problems(doc, path.read_bytes(), lang)):
        raise SystemExit(1)
    click.echo(f"ok  {path.name}: every placeholder is a field of {doc.type} ({lang})")


@template_cli.command("preview")
@click.argument("doc_type")
@click.option("--lang", type=click.Choice(LANGUAGES), default="kk", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx"]), default="pdf", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the file (default: preview-TYPE-LANG.pdf here).")
def template_preview(doc_type: str, lang: str, fmt: str, out: Path | None) -> None:
    """Fill the template of DOC_TYPE with its sample data (schemas/examples/) and write the file."""
    app = _app()
    reg = _registry(app)
    if doc_type not in reg.types:
        raise click.ClickException(f"unknown document type {doc_type!r} (known: {', '.join(reg.types)})")
    doc = reg.types[doc_type]
    sample = Path(app.config["EXAMPLES_DIR"]) / f"{doc_type}.json"
    data = reg.validate(doc_type, json.loads(sample.read_text(encoding="utf-8"), parse_float=Decimal)).data
    path = doc.template_path(Path(app.config["TEMPLATES_DIR"]), lang)
    if not _report(path.name, template_problems(doc, path.read_bytes(), lang)):
        raise SystemExit(1)
    ctx = render.context(doc, data, lang, reg.regulation, reg.today(), "PREVIEW", "")
    content = CompiledDocx(path.read_bytes(), lang).render(ctx)
    if fmt == "pdf":
        pool = PdfPool(pool_config(app))
        if not pool.wait_ready(120):
            raise click.ClickException(f"PDF is unavailable: {pool.status()['reason']}")
        try:
            content = pool.convert(content)
        finally:
            pool.stop()
    target = out or Path(f"preview-{doc_type}-{lang}.{fmt}")
    target.write_bytes(content)
    click.echo(f"wrote {target} ({len(content)} bytes) from {path.name} and {sample.name}")
