"""bench/RESULTS.md from the figures of bench/run.py: the machine, the method, each figure as
median and spread beside its baseline from the same run, the targets of issue 14, and where a
target is missed, the top of the server's profile."""
from __future__ import annotations

import argparse
import statistics
from pathlib import Path
from typing import Any

from run import pct


def _ms(value: float) -> str:
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def _range(values: list[float], fmt: Any = _ms) -> str:
    return f"{fmt(min(values))} – {fmt(max(values))}"


def _us(values: list[float]) -> tuple[float, str]:
    return statistics.median(values), f"{pct(values, 5):.0f} – {pct(values, 95):.0f} µs (p5–p95)"


def rows(r: dict[str, Any]) -> list[tuple[str, str, str, str, str, str, bool | None]]:
    """(figure, median, spread, baseline, ratio, target, met)"""
    out: list[tuple[str, str, str, str, str, str, bool | None]] = []
    v, vs = _us(r["inprocess"]["validation_us"]["validate"])
    j, _ = _us(r["inprocess"]["validation_us"]["json_parse"])
    out.append(("validation of an application", f"{v:.0f} µs", vs, f"parsing its JSON: {j:.0f} µs",
                f"{v / j:.0f}× the parse", "—", None))
    ren = r["inprocess"]["render_us"]
    qr, qrs = _us(ren["compiled_with_qr"])
    bare, bares = _us(ren["compiled_without_qr"])
    plain, plains = _us(ren["plain_docxtpl"])
    full, _ = _us(ren["docxtpl_in_full_with_qr"])
    out.append(("DOCX in process, application (QR code + id)", f"{qr / 1000:.2f} ms", _us_ms(qrs),
                f"docxtpl in full + QR (the old path): {full / 1000:.1f} ms", f"{full / qr:.1f}× faster",
                "p50 ≤ 5 ms", qr / 1000 <= 5))
    out.append(("DOCX in process, same work as plain docxtpl (no QR)", f"{bare / 1000:.2f} ms", _us_ms(bares),
                f"plain docxtpl: {plain / 1000:.1f} ms ({_us_ms(plains)})", f"{plain / bare:.1f}× faster",
                "≥ 5× faster", plain / bare >= 5))
    h = r["http"]
    floor1, floor8 = h["floor c1"], h["floor c8"]
    for c, floor in (("1", floor1), ("8", floor8)):
        d = h[f"docx c{c}"]
        out.append((f"DOCX over HTTP, {c} client{'s' if c == '8' else ''}: p50 / p95",
                    f"{_ms(d['p50'])} / {_ms(d['p95'])}", "p50 " + _range(d["p50_trials"]),
                    f"a JSON answer (document types): {_ms(floor['p50'])}", f"{d['p50'] / floor['p50']:.1f}× its time",
                    "—", None))
        out.append((f"DOCX over HTTP, {c} client{'s' if c == '8' else ''}: requests/s", f"{d['rps']:.0f}/s",
                    _range(d["rps_trials"], lambda x: f"{x:.0f}/s"), f"a JSON answer: {floor['rps']:.0f}/s",
                    f"{d['rps'] / floor['rps']:.2f} of it", "≥ 150/s" if c == "8" else "—",
                    d["rps"] >= 150 if c == "8" else None))
    cold = statistics.median(r["soffice_ms"])
    p1, p8 = h["pdf c1"], h["pdf c8"]
    out.append(("PDF over HTTP, 1 client: p50 / p95", f"{_ms(p1['p50'])} / {_ms(p1['p95'])}",
                "p50 " + _range(p1["p50_trials"]), f"one soffice per document: {_ms(cold)} "
                f"({_range(r['soffice_ms'])})", f"{cold / p1['p50']:.1f}× faster",
                "p50 ≤ 200 ms; ≥ 5× faster", p1["p50"] <= 200 and cold / p1["p50"] >= 5))
    out.append(("PDF over HTTP, 1 client: PDFs/s", f"{p1['rps']:.1f}/s", _range(p1["rps_trials"], lambda x: f"{x:.1f}/s"),
                f"soffice per document: {1000 / cold:.2f}/s", f"{p1['rps'] * cold / 1000:.1f}×", "—", None))
    out.append(("PDF over HTTP, 8 clients: p50 / p95", f"{_ms(p8['p50'])} / {_ms(p8['p95'])}",
                "p50 " + _range(p8["p50_trials"]), "—", "—", "—", None))
    out.append(("PDF over HTTP, 8 clients: PDFs/s", f"{p8['rps']:.1f}/s", _range(p8["rps_trials"], lambda x: f"{x:.1f}/s"),
                f"soffice per document: {1000 / cold:.2f}/s", f"{p8['rps'] * cold / 1000:.1f}×", "≥ 10/s",
                p8["rps"] >= 10))
    cases = r["cases"]
    first, again, stored = cases["bundle_first_ms"], cases["bundle_again_ms"], cases["stored"]
    issued = cases.get("issued_ms") or []
    if issued:   # every file made at issue: DOCX and PDF/A in kk and ru, then recorded
        out.append(("a case document issued (DOCX + PDF/A, kk + ru, 1 client)", _ms(statistics.median(issued)),
                    _range(issued), f"one PDF over HTTP: {_ms(p1['p50'])}",
                    f"{statistics.median(issued) / p1['p50']:.1f}× its time", "—", None))
    out.append(("case bundle (6 documents), first time", _ms(statistics.median(first)), _range(first),
                "—", "—", "≤ 1.5 s", statistics.median(first) <= 1500))
    out.append(("case bundle again", _ms(statistics.median(again)), _range(again),
                f"first time: {_ms(statistics.median(first))}",
                f"{statistics.median(first) / statistics.median(again):.1f}× faster", "—", None))
    out.append(("a kept case document downloaded again (PDF): p50 / p95", f"{_ms(stored['p50'])} / {_ms(stored['p95'])}",
                "p50 " + _range(stored["p50_trials"]), f"making a PDF anew: {_ms(p1['p50'])}",
                f"{p1['p50'] / stored['p50']:.0f}× faster", "p50 ≤ 10 ms", stored["p50"] <= 10))
    mem = r["memory"]
    out.append(("peak memory: service + LibreOffice (RSS)", f"{mem['rss_mb']:.0f} MB",
                f"Python {mem['python_mb']:.0f} MB + LibreOffice {mem['office_mb']:.0f} MB, "
                f"{mem['processes']} processes; PSS {mem['pss_mb']:.0f} MB", "—", "—", "≤ 700 MB",
                mem["rss_mb"] <= 700))
    return out


def _us_ms(spread: str) -> str:
    low, _, rest = spread.partition(" – ")
    high = rest.split(" ")[0]
    return f"{float(low) / 1000:.2f} – {float(high) / 1000:.2f} ms (p5–p95)"


def write(r: dict[str, Any], out: Path, args: argparse.Namespace) -> None:
    m = r["machine"]
    lines = ["# Benchmark results", "",
             "Written by `scripts/bench` (bench/run.py); every baseline is measured in the same run, on the "
             "same machine. The figures before issue 14 are under 'Before and after' below.", "",
             f"## {m['date']} — {m['cpu']}, {m['memory']}", "",
             f"{m['os']}, kernel {m['kernel']}, Python {m['python']}, {m['libreoffice']}, commit {m['commit']}. "
             f"Server as `scripts/serve` starts it: gunicorn, {r['layout']['workers']} worker process(es) × "
             f"{r['layout']['threads']} threads, {r['layout']['pdf']} LibreOffice worker(s) each; SQLite in a "
             f"throw-away instance; started in {r['startup_s']:.1f} s (templates compiled, LibreOffice warm). "
             f"Run took {r['wall_s']:.0f} s{' (--quick)' if args.quick else ''}.", "",
             "| figure | median | spread | baseline (same run) | ratio | target | met |",
             "|---|---|---|---|---|---|---|"]
    missed = []
    for figure, median, spread, base, ratio, target, met in rows(r):
        mark = "—" if met is None else ("yes" if met else "**no**")
        if met is False:
            missed.append(figure)
        lines.append(f"| {figure} | {median} | {spread} | {base} | {ratio} | {target} | {mark} |")
    lines += ["", "CPU of the server per request (both trials' and the warm-up's requests; LibreOffice restarts "
              "count too): " + "; ".join(
                  f"{name} " + " + ".join(f"{part} {ms:.1f} ms" for part, ms in load["cpu_ms_per_request"].items()
                                          if ms >= 0.05)
                  for name, load in r["http"].items() if "cpu_ms_per_request" in load) + "."]
    foreign = r["foreign_cores"]
    busy = [name for name, cores in foreign.items() if cores > 0.3]
    lines += ["", "CPU used by other processes on the machine meanwhile (cores): " +
              ", ".join(f"{name} {cores:.2f}" for name, cores in foreign.items()) +
              (f". **Taken on a busy machine: {', '.join(busy)}** — those figures are lower than the machine "
               "can do." if busy else "."), ""]
    lines += ["### Method", "",
              "- *In process* (bench/inprocess.py, its own process, PDF off): each variant timed on its own, "
              "variants interleaved in a shuffled order each round. Validation: `registry.validate` of "
              "schemas/examples/application.json (a fresh copy each time), beside `json.loads` of the same "
              "body. DOCX: the compiled template of application.kk (`CompiledDocx.render`, what the service "
              "runs) with and without the QR code, beside plain docxtpl on the same file "
              "(`DocxTemplate(path).render(ctx, jinja_env, autoescape=True).save()`; our environment, as "
              "the template uses our filters) and docxtpl in full with the QR code (the path before).",
              "- *Over HTTP*: bench/load.py in a separate process, N client threads each on its own "
              "keep-alive connection to 127.0.0.1, a fixed number of requests per trial, 3 trials after a "
              "warm-up; latency from sending to the last byte; every answer checked (status, type, first "
              "bytes). Every DOCX and PDF is recorded in the database with its hash, as always. The "
              "baseline is the same server answering `GET /api/v1/document-types` (JSON, no database).",
              "- *PDF*: the same application, kk, PDF/A through the warm pool; baseline: `soffice --headless "
              "--convert-to pdf` per document on 8 DOCX files of different types made by the server, on a "
              "LibreOffice profile that already exists.",
              "- *Cases*: three cases carried from registration to the grant notice (6 documents) through "
              "the API with tokens of each role, each document made at issue in kk and ru as DOCX and "
              "PDF/A (each issue timed); the bundle asked for the first time (it joins the stored PDFs), "
              "then 5 times again; then one kept PDF of a case downloaded again and again.",
              "- *Memory*: the RSS of every process of the server (gunicorn, its workers, unoserver, "
              "LibreOffice) summed every 0.25 s; the peak. RSS counts shared pages once per process; PSS "
              "shares them out.", ""]
    if missed:
        lines += ["### Where a target is missed: what the server was doing", "",
                  "py-spy, an extra uncounted round at 8 clients, own time by function (idle threads left out):",
                  ""]
        for name, top in r["profiles"].items():
            lines += [f"*{name}*:", ""] + [f"    {share:5.1f}%  {frame}" for share, frame in top] + [""]
    if r["left_over"]:
        lines += [f"Processes left after the server stopped (killed by id): {r['left_over']}", ""]
    notes = Path(__file__).with_name("NOTES.md")
    if notes.exists():
        lines += [notes.read_text(encoding="utf-8").rstrip(), ""]
    out.write_text("\n".join(lines), encoding="utf-8")
