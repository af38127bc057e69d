"""PDF benchmark: the warm LibreOffice pool against one `soffice --convert-to` per document.

Both are measured in the same run, on the same 20 filled documents (all nine types, both
languages). Run: .venv/bin/python bench/pdf_benchmark.py [--n 20] [--workers 2]
Prints a Markdown table; add it to bench/RESULTS.md with the date and machine.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import flask_migrate  # noqa: E402

from formsvc import create_app  # noqa: E402

TYPES = ["application", "inspection_act", "district_commission_conclusion", "special_commission_conclusion",
         "decision", "refusal_notice", "grant_notice", "termination_notice", "legal_aid_request"]


def inputs(n: int) -> list[tuple[str, str, dict]]:
    """n (type, lang, body) triples cycling through every type and both languages."""
    out = []
    for i in range(n):
        doc_type = TYPES[i % len(TYPES)]
        body = json.loads((ROOT / "tests" / "data" / f"{doc_type}.json").read_text(encoding="utf-8"))
        out.append((doc_type, "kk" if (i // len(TYPES)) % 2 == 0 else "ru", body))
    return out


def rss_mb(pids: list[int]) -> float:
    """Resident memory of the given processes, in MB."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="formsvc-bench-"))
    app = create_app({"INSTANCE_PATH": str(work / "instance"), "PDF_WORKERS": args.workers,
                      "DATABASE_URL": f"sqlite:///{work}/bench.db"})
    with app.app_context():
        flask_migrate.upgrade()
    pool = app.extensions["formsvc.documents"].pdf
    started = time.perf_counter()
    assert pool.wait_ready(180), pool.status()
    startup = time.perf_counter() - started
    client = app.test_client()
    docs = inputs(args.n)

    # the same filled DOCX files for the cold conversions
    docx_dir = work / "docx"
    docx_dir.mkdir()
    for i, (doc_type, lang, body) in enumerate(docs):
        resp = client.post(f"/api/v1/documents/{doc_type}?lang={lang}", json=body)
        assert resp.status_code == 200
        (docx_dir / f"{i:02d}-{doc_type}.{lang}.docx").write_bytes(resp.data)

    client.post("/api/v1/documents/decision?format=pdf", json=docs[4][2])   # first use of each path

    warm: list[float] = []
    for doc_type, lang, body in docs:
        t = time.perf_counter()
        resp = client.post(f"/api/v1/documents/{doc_type}?lang={lang}&format=pdf", json=body)
        warm.append(time.perf_counter() - t)
        assert resp.status_code == 200, resp.get_data(as_text=True)

    def run_parallel() -> float:
        queue = list(docs)
        lock = threading.Lock()

        def worker() -> None:
            c = app.test_client()
            while True:
                with lock:
                    if not queue:
                        return
                    doc_type, lang, body = queue.pop()
                assert c.post(f"/api/v1/documents/{doc_type}?lang={lang}&format=pdf", json=body).status_code == 200
        t = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(args.workers)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        return time.perf_counter() - t

    parallel = run_parallel()
    office_rss = rss_mb([pid for w in pool.workers for pid in w.pids()])
    pool.stop()

    profile = work / "cold-profile"
    out_dir = work / "cold-pdf"
    cold: list[float] = []
    for path in sorted(docx_dir.iterdir()):
        t = time.perf_counter()
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile.as_uri()}",
                        "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out_dir), str(path)],
                       check=True, capture_output=True, timeout=120)
        cold.append(time.perf_counter() - t)
    assert len(list(out_dir.glob("*.pdf"))) == args.n

    total_warm, total_cold = sum(warm), sum(cold)
    print(f"| measure | warm pool ({args.workers} workers) | soffice per document |")
    print("|---|---|---|")
    print(f"| {args.n} PDFs one after another, total s | {total_warm:.1f} | {total_cold:.1f} |")
    print(f"| per PDF, median s | {statistics.median(warm):.2f} | {statistics.median(cold):.2f} |")
    print(f"| per PDF, max s | {max(warm):.2f} | {max(cold):.2f} |")
    print(f"| {args.n} PDFs from {args.workers} clients at once, total s | {parallel:.1f} | — |")
    print(f"| speed-up, sequential | {total_cold / total_warm:.1f}× | 1× |")
    print(f"| pool start-up until ready, s | {startup:.1f} | — |")
    print(f"| LibreOffice memory (RSS, all workers), MB | {office_rss:.0f} | — |")
    print("\n(warm times include validation, DOCX filling, QR code, conversion and the database record;"
          " cold times are the conversion alone, on a profile that already exists)")


if __name__ == "__main__":
    main()
