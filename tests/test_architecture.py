"""The shape of the house: domain packages free of Flask, no import cycles, nothing started early."""
import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent / "formsvc"
DOMAIN = ("core", "regulation", "definitions", "documents", "cases", "auth", "staff")
WEB = ("flask", "flask_wtf", "flask_sqlalchemy", "flask_migrate", "werkzeug")


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", DOMAIN)
def test_domain_packages_import_no_flask(package):
    for path in (ROOT / package).rglob("*.py"):
        web = {name for name in imports(path) if name.split(".")[0] in WEB}
        assert not web, f"{path.relative_to(ROOT)} imports {sorted(web)}"


def test_only_api_web_clerk_and_http_touch_the_request():
    allowed = {"api", "web", "clerk", "http"}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in allowed:
            continue
        text = path.read_text(encoding="utf-8")
        assert "from flask import" not in text or "request" not in text.split("from flask import")[1].split("\n")[0], rel


def test_no_import_cycles_between_packages():
    """Lower layers never import upper ones: core < regulation < definitions, auth, staff < documents < cases."""
    order = {"core": 0, "regulation": 1, "definitions": 2, "auth": 2, "staff": 2, "documents": 3, "cases": 4}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        mine = order.get(rel.parts[0]) if len(rel.parts) > 1 else None
        if mine is None:
            continue
        for name in imports(path):
            parts = name.split(".")
            if parts[0] == "formsvc" and len(parts) > 1 and parts[1] in order:
                assert order[parts[1]] <= mine, f"{rel} imports {name}"


def test_domain_runs_without_flask_installed_in_the_process():
    """Validate an application in a process where importing flask fails."""
    code = ("import sys; sys.modules['flask'] = None\n"
            "from formsvc import config\n"
            "from formsvc.definitions.registry import build_registry\n"
            "import json; reg = build_registry({k: getattr(config, k) for k in dir(config) if k.isupper()})\n"
            "data = json.load(open('schemas/examples/application.json'))\n"
            "print(reg.validate('application', data).data['applicant']['iin'])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT.parent, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "871008401427"


def test_the_app_and_cli_commands_start_no_libreoffice(tmp_path):
    from tests.conftest import make_app, pool_of
    app = make_app(tmp_path)
    assert pool_of(app).status()["started"] is False
    result = app.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 0
    assert pool_of(app).status()["started"] is False and not pool_of(app).workers
    env = {**os.environ, "FORMSVC_INSTANCE_PATH": str(tmp_path / "cli")}
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "formsvc", "check"], capture_output=True,
                         text=True, cwd=ROOT.parent, env=env, check=False)
    assert out.returncode == 0, out.stderr[-1000:]
    assert not (tmp_path / "cli" / "libreoffice").exists()
