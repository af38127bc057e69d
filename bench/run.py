"""The benchmark (`scripts/bench`): every figure of issue 14 beside a baseline from the same run,
written to bench/RESULTS.md.

1. In process (bench/inprocess.py, its own process): validation against parsing the body;
   the compiled DOCX against plain docxtpl on the same template.
2. The production server as `scripts/serve` starts it (gunicorn, the same layout), on
   127.0.0.1 and a free port, with a throw-away instance (SQLite, LibreOffice profiles). The
   load comes from bench/load.py, a separate process, with a bounded number of requests:
   DOCX and PDF at 1 and 8 clients, the server's floor (a JSON answer) as the baseline; three
   cases carried through the procedure, their bundle the first time and again, a kept
   document downloaded again. py-spy samples the server during an extra, uncounted round of
   each load at 8 clients (its top entries are printed where a target is missed). The memory
   of the server and its LibreOffice processes is sampled all along.
3. After the server has stopped: one `soffice --convert-to pdf` per document on the same files.

Every phase notes how much CPU other people's processes used meanwhile (the machine may be
shared): figures taken while it was high are flagged. Nothing listens beyond 127.0.0.1, and
every process started here is stopped by its own id.

  scripts/bench [--quick] [--workers N --threads N] [--out bench/RESULTS.md]
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
HOST = "127.0.0.1"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HZ = os.sysconf("SC_CLK_TCK")
TYPES = ["application", "inspection_act", "district_commission_conclusion", "special_commission_conclusion",
         "decision", "refusal_notice", "grant_notice", "termination_notice", "legal_aid_request"]


# ---------------------------------------------------------------- processes and the machine

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def descendants(root: int) -> list[int]:
    """`root` and every process below it (LibreOffice runs in its own session, still below)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            parents[int(entry.name)] = int(fields[1])
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def cpu_jiffies(pids: list[int]) -> int:
    return sum(int(f[11]) + int(f[12]) for pid in pids if (f := _stat(pid)))


def busy_jiffies() -> int:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4]


def memory_kb(pid: int, key: str, path: str = "status") -> int:
    try:
        for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def is_office(pid: int) -> bool:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"soffice" in cmd or b"unoserver" in cmd


def server_cpu(root: int) -> dict[str, int]:
    """CPU jiffies used so far by the server's Python processes and by its LibreOffice."""
    pids = descendants(root)
    office = [pid for pid in pids if is_office(pid)]
    return {"python": cpu_jiffies([pid for pid in pids if pid not in office]), "libreoffice": cpu_jiffies(office)}


class Meter:
    """Samples the server's memory all along; tells the CPU others used during a phase."""

    def __init__(self) -> None:
        self.root = 0
        self.peak = {"rss_mb": 0.0, "python_mb": 0.0, "office_mb": 0.0, "pss_mb": 0.0, "processes": 0}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.phases: dict[str, float] = {}

    def _run(self) -> None:
        tick = 0
        while not self.stop.wait(0.25):
            if not self.root:
                continue
            pids = descendants(self.root)
            rss = {pid: memory_kb(pid, "VmRSS:") for pid in pids}
            total = sum(rss.values()) / 1024
            if total > self.peak["rss_mb"]:
                office = sum(v for pid, v in rss.items() if is_office(pid)) / 1024
                self.peak.update(rss_mb=total, office_mb=office, python_mb=total - office, processes=len(pids))
            tick += 1
            if tick % 4 == 0:
                pss = sum(memory_kb(pid, "Pss:", "smaps_rollup") for pid in pids) / 1024
                self.peak["pss_mb"] = max(self.peak["pss_mb"], pss)

    def ours(self) -> int:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        me = resource.getrusage(resource.RUSAGE_SELF)
        rusage = (children.ru_utime + children.ru_stime + me.ru_utime + me.ru_stime) * HZ
        return int(rusage) + (cpu_jiffies(descendants(self.root)) if self.root else 0)

    def phase(self, name: str) -> "_Phase":
        return _Phase(self, name)


class _Phase:
    def __init__(self, meter: Meter, name: str) -> None:
        self.meter, self.name = meter, name

    def __enter__(self) -> None:
        self.start = (time.monotonic(), busy_jiffies(), self.meter.ours())

    def __exit__(self, *exc: object) -> None:
        t0, busy0, ours0 = self.start
        wall = time.monotonic() - t0
        foreign = (busy_jiffies() - busy0 - (self.meter.ours() - ours0)) / HZ / max(wall, 1e-6)
        self.meter.phases[self.name] = max(0.0, foreign)


def wait_quiet(limit_s: float = 20, threshold: float = 0.3) -> float:
    """Wait (at most `limit_s`) until the machine's busy CPU stays under `threshold` cores for 2 s."""
    start = time.monotonic()
    while time.monotonic() - start < limit_s:
        b0 = busy_jiffies()
        time.sleep(2)
        if (busy_jiffies() - b0) / HZ / 2 < threshold:
            break
    return time.monotonic() - start


# ---------------------------------------------------------------- figures

def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def load(port: int, path: str, clients: int, requests: int, trials: int, warmup: int, expect: str,
         magic: str = "", body: Path | None = None, method: str = "POST",
         headers: dict[str, str] | None = None) -> dict[str, Any]:
    """Run bench/load.py `trials` times; per trial p50/p95/req/s, and all latencies."""
    cmd = [PY, str(ROOT / "bench" / "load.py"), "--port", str(port), "--path", path, "--method", method,
           "--clients", str(clients), "--requests", str(requests), "--expect", expect, "--magic", magic]
    cmd += ["--body", str(body)] if body else []
    for name, value in (headers or {}).items():
        cmd += ["--header", f"{name}: {value}"]
    runs = []
    for trial in range(trials):
        extra = ["--warmup", str(warmup)] if trial == 0 and warmup else []
        done = subprocess.run(cmd + extra, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise SystemExit(f"load failed: {' '.join(cmd)}\n{done.stderr[-2000:]}")
        result = json.loads(done.stdout)
        if result["errors"]:
            raise SystemExit(f"load failed: {path}: {result['errors'][:3]}")
        runs.append(result)
    lat = [x for r in runs for x in r["latencies_ms"]]
    return {"p50": pct(lat, 50), "p95": pct(lat, 95), "n": len(lat),
            "p50_trials": [pct(r["latencies_ms"], 50) for r in runs],
            "p95_trials": [pct(r["latencies_ms"], 95) for r in runs],
            "rps_trials": [len(r["latencies_ms"]) / r["wall_s"] for r in runs],
            "rps": statistics.median(len(r["latencies_ms"]) / r["wall_s"] for r in runs)}


def profile(pids: list[int], seconds: float, during: Any) -> list[tuple[float, str]]:
    """py-spy samples of `pids` while `during()` runs: the top functions by own time."""
    spy = shutil.which("py-spy", path=str(ROOT / ".venv" / "bin")) or shutil.which("py-spy")
    if not spy:
        during()
        return [(0.0, "py-spy is not installed (scripts/setup --dev installs it)")]
    outs = []
    procs = []
    for pid in pids:
        out = Path(tempfile.mkstemp(prefix="formsvc-spy-", suffix=".txt")[1])
        outs.append(out)
        procs.append(subprocess.Popen([spy, "record", "--pid", str(pid), "--duration", str(int(seconds)),
                                       "--rate", "250", "--format", "raw", "--nonblocking", "--output", str(out)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    time.sleep(0.5)
    during()
    for proc in procs:
        proc.wait(timeout=seconds + 30)
    own: Counter[str] = Counter()
    total = 0
    for out in outs:
        for line in out.read_text().splitlines() if out.exists() else []:
            stack, _, count = line.rpartition(" ")
            frames = stack.split(";")
            if "select (selectors.py" in frames[-1] or "wait (threading.py" in frames[-1]:
                continue   # idle threads
            own[frames[-1]] += int(count)
            total += int(count)
        out.unlink(missing_ok=True)
    return [(n / total * 100, frame) for frame, n in own.most_common(12)] if total else []


# ---------------------------------------------------------------- the server

class Server:
    """`scripts/serve` on a free port of 127.0.0.1 with a throw-away instance."""

    def __init__(self, work: Path, workers: str | None, threads: str | None) -> None:
        self.port = free_port()
        # one load generator on one address: the per-client rate limit would measure itself
        self.env = {**os.environ, "FORMSVC_INSTANCE_PATH": str(work / "instance"),
                    "FORMSVC_BIND": f"{HOST}:{self.port}", "FORMSVC_API_RATE_LIMIT": "1000000 per minute",
                    "FORMSVC_VERIFY_RATE_LIMIT": "1000000 per minute",
                    # room in the PDF queue for all 8 clients: the figure is throughput, not refusals
                    # (by default the queue refuses past 2 waiting per worker, at once, with 503)
                    "FORMSVC_PDF_QUEUE": "8"}
        self.env.pop("FORMSVC_DATABASE_URL", None)
        if workers:
            self.env["FORMSVC_WORKERS"] = workers
        if threads:
            self.env["FORMSVC_THREADS"] = threads
        self.log = open(work / "serve.log", "wb")
        self.proc = subprocess.Popen([str(ROOT / "scripts" / "serve")], cwd=ROOT, env=self.env,
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def request(self, method: str, path: str, body: Any = None, token: str = "") -> tuple[int, bytes, float]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=300)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        start = time.perf_counter()
        conn.request(method, path, body=None if body is None else json.dumps(body, ensure_ascii=False).encode(),
                     headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        elapsed = time.perf_counter() - start
        conn.close()
        return resp.status, data, elapsed

    def wait_ready(self, timeout: float = 300) -> dict[str, Any]:
        """Until the health check says every LibreOffice worker is ready, five times running."""
        deadline = time.monotonic() + timeout
        ready = 0
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"scripts/serve stopped: see {self.log.name}")
            try:
                status, data, _ = self.request("GET", "/api/v1/health")
                health = json.loads(data)
                pdf = health["pdf"]
                ready = ready + 1 if status == 200 and pdf["workers"] and pdf["ready"] >= pdf["workers"] else 0
                if ready >= 5:
                    return dict(health)
            except (OSError, ValueError, KeyError):
                ready = 0
            time.sleep(0.3)
        raise SystemExit(f"the server did not get ready: see {self.log.name}")

    def workers(self) -> list[int]:
        """The gunicorn worker processes (children of the master, which is exec'd by scripts/serve)."""
        return [pid for pid in descendants(self.proc.pid)[1:] if (f := _stat(pid)) and int(f[1]) == self.proc.pid]

    def token(self, role: str) -> str:
        done = subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "formsvc", "token", "create",
                               "--name", f"bench-{role}", "--role", role], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, check=True)
        return done.stdout.strip().splitlines()[-1]

    def stop(self) -> list[str]:
        """SIGTERM to the master (it stops its workers and their LibreOffice); then whatever is left
        of this server's processes is killed by id. Returns what was left."""
        pids = descendants(self.proc.pid)
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        time.sleep(1)
        left = [pid for pid in pids if (f := _stat(pid)) is not None and f[0] != "Z"]   # not zombies
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.log.close()
        return [Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace") for pid in left
                if Path(f"/proc/{pid}/cmdline").exists()]


# ---------------------------------------------------------------- a case carried through the procedure

KNOWN = {"inspection_act": ("application", "applicant", "settlement", "family_members"),
         "district_commission_conclusion": ("application", "applicant"),
         "special_commission_conclusion": ("application", "applicant", "ground", "household_size",
                                           "household_income_quarter"),
         "decision": ("application", "applicant"),
         "grant_notice": ("application", "decision", "applicant", "amount", "periodicity", "form", "bank_account")}


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "schemas" / "examples" / f"{name}.json").read_text(encoding="utf-8"))
    return data


def carry_case(server: Server, tokens: dict[str, str], issued_ms: list[float]) -> tuple[str, list[str]]:
    """Register an application and issue every document up to the grant notice; the case id and
    its document ids (and, into `issued_ms`, how long each document took to issue)."""
    def call(method: str, path: str, role: str, body: Any) -> Any:
        status, data, took = server.request(method, f"/api/v1{path}", body, tokens[role])
        if status not in (200, 201):
            raise SystemExit(f"{method} {path}: {status} {data[:500]!r}")
        if method == "POST" and "/documents/" in path:
            issued_ms.append(took * 1000)
        return json.loads(data)

    def issue(doc_type: str, role: str, **changes: Any) -> None:
        body = {k: v for k, v in example(doc_type).items() if k not in KNOWN.get(doc_type, ())}
        call("POST", f"/cases/{case}/documents/{doc_type}", role, {**body, **changes})

    case = call("POST", "/cases", "clerk", {**example("application"), "date": "2026-11-02",
                                             "registered_on": "2026-11-02"})["id"]
    call("POST", f"/cases/{case}/steps/p16", "clerk", {"date": "2026-11-03"})
    issue("inspection_act", "district_commission", date="2026-11-04", number="А-1")
    issue("district_commission_conclusion", "district_commission", date="2026-11-05", received_on="2026-11-05")
    call("POST", f"/cases/{case}/steps/p20", "clerk", {"date": "2026-11-06"})
    issue("special_commission_conclusion", "special_commission", date="2026-11-09", amount="43250")
    issue("decision", "clerk", date="2026-11-10")
    issue("grant_notice", "clerk", date="2026-11-11")
    detail = call("GET", f"/cases/{case}", "clerk", None)
    return case, [d["id"] for d in detail["documents"]]


# ---------------------------------------------------------------- the run

def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = int(Path("/proc/meminfo").read_text().split()[1])   # MemTotal, kB
    office = subprocess.run(["soffice", "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    osname = next((line.split("=", 1)[1].strip('"') for line in Path("/etc/os-release").read_text().splitlines()
                   if line.startswith("PRETTY_NAME=")), platform.platform())
    return {"cpu": f"{os.cpu_count()} × {cpu}", "memory": f"{mem / 1024 / 1024:.0f} GiB", "os": osname,
            "kernel": platform.release(), "python": platform.python_version(), "libreoffice": office,
            "commit": commit, "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M")}


def main() -> None:
    parser = argparse.ArgumentParser(description="formsvc benchmark: writes bench/RESULTS.md")
    parser.add_argument("--quick", action="store_true", help="fewer requests (a smoke run, about a minute)")
    parser.add_argument("--workers", help="gunicorn worker processes (default: as scripts/serve)")
    parser.add_argument("--threads", help="threads per gunicorn worker (default: as scripts/serve)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--label", help="what was measured, if not this checkout's commit")
    args = parser.parse_args()
    q = 0.25 if args.quick else 1.0
    n = lambda count: max(4, int(count * q))  # noqa: E731
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="formsvc-bench-"))
    meter = Meter()
    meter.thread.start()
    results: dict[str, Any] = {"machine": machine()}
    if args.label:
        results["machine"]["commit"] = args.label
    print("bench: in process ...", flush=True)
    wait_quiet()
    with meter.phase("in process"):
        done = subprocess.run([PY, str(ROOT / "bench" / "inprocess.py"), str(n(60))], capture_output=True,
                              text=True, timeout=900)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    results["inprocess"] = json.loads(done.stdout)

    print("bench: starting the server (scripts/serve) ...", flush=True)
    server = Server(work, args.workers, args.threads)
    try:
        t0 = time.monotonic()
        results["health"] = server.wait_ready()
        results["startup_s"] = time.monotonic() - t0
        meter.root = server.proc.pid
        results["layout"] = {"workers": len(server.workers()), "threads": server.env.get("FORMSVC_THREADS", "8"),
                             "pdf": results["health"]["pdf"]["workers"]}
        bodies = {}
        for name in TYPES:
            path = work / f"{name}.json"
            path.write_text(json.dumps(example(name), ensure_ascii=False), encoding="utf-8")
            bodies[name] = path
        port = server.port
        docs = "/api/v1/documents/application"
        http_results: dict[str, Any] = {}
        plan = [("floor c1", "/api/v1/document-types", 1, 300, 3, 20, "application/json", "", None, "GET"),
                ("floor c8", "/api/v1/document-types", 8, 1200, 3, 40, "application/json", "", None, "GET"),
                ("docx c1", docs, 1, 200, 3, 20, DOCX, "PK", bodies["application"], "POST"),
                ("docx c8", docs, 8, 800, 3, 40, DOCX, "PK", bodies["application"], "POST"),
                ("pdf c1", docs + "?format=pdf", 1, 15, 3, 3, "application/pdf", "%PDF", bodies["application"],
                 "POST"),
                ("pdf c8", docs + "?format=pdf", 8, 48, 3, 8, "application/pdf", "%PDF", bodies["application"],
                 "POST")]
        for name, path, clients, count, trials, warmup, expect, magic, body, method in plan:
            print(f"bench: {name} ...", flush=True)
            wait_quiet()
            with meter.phase(name):
                before = server_cpu(server.proc.pid)
                http_results[name] = load(port, path, clients, n(count), trials, warmup, expect, magic, body, method)
                after = server_cpu(server.proc.pid)
            done_requests = http_results[name]["n"] + warmup
            http_results[name]["cpu_ms_per_request"] = {
                part: (after[part] - before[part]) / HZ * 1000 / done_requests for part in after}
        results["http"] = http_results

        print("bench: profiles at 8 clients (uncounted) ...", flush=True)
        results["profiles"] = {
            "docx c8": profile(server.workers(), 6, lambda: load(port, docs, 8, n(800), 1, 0, DOCX, "PK",
                                                                 bodies["application"])),
            "pdf c8": profile(server.workers(), 8, lambda: load(port, docs + "?format=pdf", 8, n(48), 1, 0,
                                                                "application/pdf", "%PDF", bodies["application"]))}

        print("bench: cases ...", flush=True)
        tokens = {role: server.token(role) for role in ("clerk", "district_commission", "special_commission")}
        firsts, agains, issued = [], [], []
        kept: tuple[str, str] = ("", "")
        wait_quiet()
        with meter.phase("cases"):
            for _ in range(3):
                case, doc_ids = carry_case(server, tokens, issued)
                status, data, first = server.request("GET", f"/api/v1/cases/{case}/bundle.pdf?lang=ru",
                                                     token=tokens["clerk"])
                assert status == 200 and data.startswith(b"%PDF"), (status, data[:300])
                firsts.append(first * 1000)
                for _ in range(5):
                    status, data, again = server.request("GET", f"/api/v1/cases/{case}/bundle.pdf?lang=ru",
                                                         token=tokens["clerk"])
                    assert status == 200
                    agains.append(again * 1000)
                kept = (case, doc_ids[-1])
            case, doc_id = kept
            stored = load(port, f"/api/v1/cases/{case}/documents/{doc_id}.pdf?lang=ru", 1, n(200), 3, 10,
                          "application/pdf", "%PDF", method="GET", headers={"Authorization": f"Bearer {tokens['clerk']}"})
        results["cases"] = {"bundle_first_ms": firsts, "bundle_again_ms": agains, "stored": stored, "issued_ms": issued}

        cold_dir = work / "cold"
        cold_dir.mkdir()
        issuer = {"inspection_act": "district_commission", "district_commission_conclusion": "district_commission",
                  "special_commission_conclusion": "special_commission"}   # the rest: anyone, or the clerk
        for i, name in enumerate(TYPES[:8]):
            token = "" if name in ("application", "legal_aid_request") else tokens[issuer.get(name, "clerk")]
            status, data, _ = server.request("POST", f"/api/v1/documents/{name}?lang={'kk' if i % 2 else 'ru'}",
                                             example(name), token)
            assert status == 200, (name, status, data[:300])
            (cold_dir / f"{i}-{name}.docx").write_bytes(data)
    finally:
        results["left_over"] = server.stop()
        meter.root = 0
    results["memory"] = dict(meter.peak)

    print("bench: one soffice per document ...", flush=True)
    profile_dir = work / "soffice-profile"
    soffice = ["soffice", "--headless", f"-env:UserInstallation={profile_dir.as_uri()}", "--convert-to",
               "pdf:writer_pdf_Export", "--outdir", str(work / "cold-pdf")]
    files = sorted(cold_dir.iterdir())
    subprocess.run(soffice + [str(files[0])], capture_output=True, timeout=300, check=True)   # makes the profile
    cold = []
    wait_quiet()
    with meter.phase("soffice per document"):
        for path in files:
            start = time.perf_counter()
            subprocess.run(soffice + [str(path)], capture_output=True, timeout=300, check=True)
            cold.append((time.perf_counter() - start) * 1000)
    results["soffice_ms"] = cold
    results["foreign_cores"] = meter.phases
    results["wall_s"] = time.monotonic() - started
    meter.stop.set()
    (work / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))
    from report import write   # bench/report.py
    write(results, args.out, args)
    shutil.rmtree(work, ignore_errors=True)
    print(f"bench: wrote {args.out} in {results['wall_s']:.0f} s", flush=True)


if __name__ == "__main__":
    main()
