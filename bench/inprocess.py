"""In-process figures, each beside its baseline from the same process: validation against
parsing the JSON body; the compiled DOCX path against plain docxtpl on the same template.

Run by bench/run.py in a process of its own (PDF off, a throw-away instance); prints JSON with
every sample in µs. Variants are interleaved in a shuffled order each round (seed fixed), so
a slow moment of the machine falls on all of them alike.
"""
from __future__ import annotations

import copy
import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402

from formsvc import create_app  # noqa: E402
from formsvc.documents import render  # noqa: E402

DOC_ID = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b"


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - start) / 1000


def interleaved(variants: dict[str, Callable[[], Any]], rounds: int, warmup: int) -> dict[str, list[float]]:
    """Each variant `rounds` times (after `warmup` untimed rounds), in a shuffled order each round."""
    for _ in range(warmup):
        for fn in variants.values():
            fn()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    order = list(variants)
    rng = random.Random(14)
    for _ in range(rounds):
        rng.shuffle(order)
        for name in order:
            samples[name].append(timed(variants[name]))
    return samples


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    instance = tempfile.mkdtemp(prefix="formsvc-bench-inprocess-")
    app = create_app({"TESTING": True, "INSTANCE_PATH": instance, "PDF_WORKERS": 0,
                      "DATABASE_URL": f"sqlite:///{instance}/bench.db"})
    service = app.extensions["formsvc.documents"]
    reg = service.registry
    body_text = (ROOT / "schemas" / "examples" / "application.json").read_text(encoding="utf-8")
    payload = json.loads(body_text)
    out: dict[str, Any] = {}

    copies = [copy.deepcopy(payload) for _ in range(rounds * 40)]
    validate = iter(copies)
    parse = iter(range(rounds * 40))
    out["validation_us"] = interleaved({
        "validate": lambda: reg.validate("application", next(validate)),
        "json_parse": lambda: (next(parse), json.loads(body_text)),
    }, rounds * 30, 20)

    doc = reg.get("application")
    data = reg.validate("application", payload).data
    template = service.templates.get("application", "kk")
    compiled = getattr(template, "compiled", None)   # absent before issue 14: the app's path was docxtpl in full

    def app_render(ctx: dict[str, Any]) -> bytes:
        return compiled.render(ctx) if compiled else render.render_docx(template.content, ctx, "kk")
    url = f"http://127.0.0.1:8000/verify/{DOC_ID}"
    ctx_qr = render.context(doc, data, "kk", reg.regulation, reg.today(), DOC_ID, url)
    ctx_plain = render.context(doc, data, "kk", reg.regulation, reg.today(), DOC_ID, "")
    env = render.jinja_env("kk")

    def plain_docxtpl() -> None:
        # docxtpl as its README shows it, with our environment (the template uses our filters)
        tpl = DocxTemplate(template.path)
        tpl.render(ctx_plain, jinja_env=env, autoescape=True)
        tpl.save(BytesIO())

    out["render_us"] = interleaved({
        "compiled_with_qr": lambda: app_render(ctx_qr),
        "compiled_without_qr": lambda: app_render(ctx_plain),
        "plain_docxtpl": plain_docxtpl,
        "docxtpl_in_full_with_qr": lambda: render.render_docx(template.content, ctx_qr, "kk"),
        "qr_code_alone": lambda: render.qr_png(url),
    }, rounds, 5)

    per_type: dict[str, list[float]] = {}
    for name in reg.types:
        example = json.loads((ROOT / "schemas" / "examples" / f"{name}.json").read_text(encoding="utf-8"),
                             parse_float=Decimal)
        typed = reg.validate(name, example).data
        for lang in ("kk", "ru"):
            one = service.templates.get(name, lang)
            ctx = render.context(reg.get(name), typed, lang, reg.regulation, reg.today(), DOC_ID, url)
            fill = (lambda: one.compiled.render(ctx)) if compiled else \
                (lambda: render.render_docx(one.content, ctx, lang))
            per_type[f"{name}.{lang}"] = interleaved({"x": fill}, 20, 3)["x"]
    out["render_per_template_us"] = per_type

    start = time.perf_counter()
    create_app({"TESTING": True, "INSTANCE_PATH": instance, "PDF_WORKERS": 0,
                "DATABASE_URL": f"sqlite:///{instance}/bench.db"})
    out["app_start_s"] = time.perf_counter() - start   # definitions and 18 templates checked
    shutil.rmtree(instance, ignore_errors=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
