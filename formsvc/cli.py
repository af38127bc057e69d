"""Command-line tools: `flask --app formsvc check` validates definitions and templates."""
from __future__ import annotations

import click
from flask import Flask

from formsvc.errors import DefinitionError
from formsvc.registry import build_registry


def init_app(app: Flask) -> None:
    """Register the CLI commands."""

    @app.cli.command("check")
    def check() -> None:
        """Check every definition, template placeholder and data file; exit 1 on a mistake."""
        try:
            reg = build_registry(app.config)
        except DefinitionError as exc:
            raise click.ClickException(str(exc)) from None
        for name, doc in reg.types.items():
            click.echo(f"ok  {name}: {len(list(doc.root.walk()))} fields, rules: "
                       f"{', '.join(doc.rules) or '-'}")
