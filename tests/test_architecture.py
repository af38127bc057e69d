"""The shape of the house: every package in its layer, domain packages free of Flask, no import
cycles, nothing started early.

The packages are read from the filesystem, so a new one is checked from the day it appears, and
fails until it is given a layer here.
"""
import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent / "formsvc"
WEB = ("flask", "flask_wtf", "flask_sqlalchemy", "flask_migrate", "flask_login", "flask_limiter", "werkzeug")

# Every package of formsvc/ (and every module at its top) with its layer and its kind. A package
# imports only from its own layer or lower ones. Kinds: "domain" imports no Flask (it runs in a
# worker, a CLI command or a notebook alike); "app" binds the domain to Flask; "http" alone
# touches the request.
LAYERS: dict[str, tuple[int, str]] = {
    "config": (0, "domain"),
    "core": (0, "domain"),
    "regulation": (1, "domain"),
    "definitions": (2, "domain"),
    "auth": (2, "domain"),
    "staff": (3, "domain"),               # commissions and signatories, kept by the administrator
    "documents": (3, "domain"),
    "cases": (4, "domain"),
    "extensions": (5, "app"),             # the unbound extensions and the services they hold
    "http": (6, "http"),                  # what api/, web/ and clerk/ share
    "api": (7, "http"),
    "web": (7, "http"),
    "clerk": (8, "http"),                 # the clerk pages reuse web's form pages
    "__init__": (9, "app"),               # the factory, and the entry points around it
    "cli": (9, "app"),
    "wsgi": (9, "app"),
}


def packages() -> list[str]:
    """Every package under formsvc/ and every module at its top, as the filesystem has them."""
    found = {path.relative_to(ROOT).parts[0] for path in ROOT.glob("*/**/*.py")}
    return sorted(found | {path.stem for path in ROOT.glob("*.py")})


def files_of(package: str) -> list[Path]:
    """The Python files of a package (or the one file of a top-level module)."""
    folder = ROOT / package
    return sorted(folder.rglob("*.py")) if folder.is_dir() else [ROOT / f"{package}.py"]


def kind_of(package: str) -> str:
    """A package's kind; one not yet declared is held to the strictest ("domain")."""
    return LAYERS.get(package, (0, "domain"))[1]


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            if node.module == "formsvc":     # `from formsvc import config`: the module itself
                found.update(f"formsvc.{alias.name}" for alias in node.names
                             if (ROOT / alias.name).is_dir() or (ROOT / f"{alias.name}.py").exists())
    return found


def imported_packages(path: Path) -> set[str]:
    """The formsvc packages (or top-level modules) a file imports; `formsvc` alone is `__init__`."""
    found = set()
    for name in imports(path):
        parts = name.split(".")
        if parts[0] == "formsvc":
            found.add(parts[1] if len(parts) > 1 else "__init__")
    return found


def test_every_package_has_a_layer():
    on_disk = set(packages())
    assert not on_disk - set(LAYERS), f"give these packages a layer in LAYERS: {sorted(on_disk - set(LAYERS))}"
    assert not set(LAYERS) - on_disk, f"LAYERS names packages that are gone: {sorted(set(LAYERS) - on_disk)}"


@pytest.mark.parametrize("package", [p for p in packages() if kind_of(p) == "domain"])
def test_domain_packages_import_no_flask(package):
    for path in files_of(package):
        web = {name for name in imports(path) if name.split(".")[0] in WEB}
        assert not web, f"{path.relative_to(ROOT)} imports {sorted(web)}"


@pytest.mark.parametrize("package", [p for p in packages() if kind_of(p) != "http"])
def test_only_api_web_clerk_and_http_touch_the_request(package):
    for path in files_of(package):
        rel = path.relative_to(ROOT)
        text = path.read_text(encoding="utf-8")
        assert "from flask import" not in text or "request" not in text.split("from flask import")[1].split("\n")[0], rel


@pytest.mark.parametrize("package", packages())
def test_no_import_cycles_between_packages(package):
    """Lower layers never import upper ones: core < regulation < definitions, auth < documents < cases
    < extensions < http < api, web < clerk < the factory."""
    assert package in LAYERS, f"{package} has no declared layer (LAYERS in {Path(__file__).name})"
    mine = LAYERS[package][0]
    for path in files_of(package):
        for other in imported_packages(path) - {package}:
            assert other in LAYERS, f"{path.relative_to(ROOT)} imports {other}, which has no declared layer"
            assert LAYERS[other][0] <= mine, \
                f"{path.relative_to(ROOT)} imports {other} (layer {LAYERS[other][0]}) from layer {mine}"


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


def test_a_test_not_marked_libreoffice_may_not_start_the_pdf_pool(tmp_path):
    """The `libreoffice` marker cannot rot: tests/conftest.py fails an unmarked test that starts
    (or uses) the PDF pool, so `-m "not libreoffice"` really runs without LibreOffice."""
    from formsvc.documents.pdf import PdfPool, PoolConfig
    pool = PdfPool(PoolConfig(workers=0, queue_size=0, timeout=1, start_timeout=1, recycle_after=1,
                              uno_python=sys.executable, soffice="soffice", profiles_dir=tmp_path))
    pool.reason = None    # as if LibreOffice were there (with no workers, nothing could start even so)
    with pytest.raises(pytest.fail.Exception, match="not marked @pytest.mark.libreoffice"):
        pool.start()
    assert pool.started is False
