"""DOCX -> PDF/A-2b through a warm pool of LibreOffice processes (unoserver).

Each worker is one `unoserver` (run by Debian's Python, which has `uno`) with its own
LibreOffice profile and ports, in its own process group. Requests wait in a bounded
queue for an idle worker. A conversion that hangs is killed with its whole process
group, the worker restarts, and the request is retried once on another worker. A worker
is recycled after `recycle_after` conversions. With LibreOffice missing the pool says
why, and PDF requests answer 503 while DOCX keeps working.

The pool starts on first use (or when the server starts it, see `formsvc.wsgi`), never
for a CLI command that makes no PDF.
"""
from __future__ import annotations

import atexit
import fcntl
import functools
import io
import http.client
import logging
import os
import queue
import shutil
import signal
import socket
import subprocess
import threading
import time
import xmlrpc.client
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from formsvc.core.errors import Unavailable

log = logging.getLogger(__name__)

GUARD = Path(__file__).with_name("pdf_guard.py")
# PDF/A-2b with tags; LibreOffice embeds every font for PDF/A.
PDF_FILTER_OPTIONS = ["SelectPdfVersion=2", "UseTaggedPDF=true", "ExportBookmarks=true"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _Transport(xmlrpc.client.Transport):
    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host: Any) -> http.client.HTTPConnection:
        conn = super().make_connection(host)
        conn.timeout = self.timeout
        return conn


@functools.cache
def _probe_docx() -> bytes:
    """A one-line document for the health check's conversion."""
    from docx import Document
    out = io.BytesIO()
    document = Document()
    document.add_paragraph("formsvc: қазақша, русский")
    document.save(out)
    return out.getvalue()


class ConversionFailed(Exception):
    """One worker could not convert (crash, hang, bad answer)."""


@dataclass
class PoolConfig:
    """Settings of the pool (from the app config)."""

    workers: int
    queue_size: int
    timeout: float
    start_timeout: float
    recycle_after: int
    uno_python: str
    soffice: str
    profiles_dir: Path
    probe_every: float = 30.0     # seconds between the health check's real conversions


class Worker:
    """One unoserver with its LibreOffice, in its own process group."""

    def __init__(self, index: int, cfg: PoolConfig) -> None:
        self.index, self.cfg = index, cfg
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.conversions = 0
        # a profile of this service process's own: a pool started after a crash never shares
        # a LibreOffice profile (and its lock) with one that is still shutting down
        self.profile = cfg.profiles_dir / f"worker-{index}-{os.getpid()}"

    def start(self) -> None:
        """Start the server and wait until it answers (raises ConversionFailed if it does not)."""
        self.port, uno_port = free_port(), free_port()
        self.conversions = 0
        self.profile.mkdir(parents=True, exist_ok=True)
        cmd = [self.cfg.uno_python, str(GUARD), self.cfg.uno_python, "-m", "unoserver.server", "--interface", "127.0.0.1",
               "--port", str(self.port), "--uno-port", str(uno_port),
               "--user-installation", str(self.profile.resolve()),
               "--executable", shutil.which(self.cfg.soffice) or self.cfg.soffice]
        with open(self.cfg.profiles_dir / f"worker-{self.index}.log", "ab") as logfile:
            proc = subprocess.Popen(cmd, start_new_session=True, stdin=subprocess.DEVNULL,
                                    stdout=logfile, stderr=logfile)
        self.process = proc
        deadline = time.monotonic() + self.cfg.start_timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None or self.process is not proc:   # died, or stopped meanwhile
                break
            try:
                self._proxy(5).info()
                log.info("pdf worker %d ready on port %d", self.index, self.port)
                return
            except (OSError, xmlrpc.client.Error):
                time.sleep(0.3)
        self.kill()
        raise ConversionFailed(f"worker {self.index} did not start")

    def _proxy(self, timeout: float) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}", transport=_Transport(timeout),
                                         allow_none=True)

    def convert(self, docx: bytes) -> bytes:
        """Convert one document (raises ConversionFailed on any trouble)."""
        try:
            result = self._proxy(self.cfg.timeout).convert(
                None, xmlrpc.client.Binary(docx), None, "pdf", "writer_pdf_Export", PDF_FILTER_OPTIONS)
        except (OSError, xmlrpc.client.Error, http.client.HTTPException) as exc:
            raise ConversionFailed(f"worker {self.index}: {exc}") from exc
        self.conversions += 1
        data = result.data if isinstance(result, xmlrpc.client.Binary) else result
        if not isinstance(data, bytes) or not data.startswith(b"%PDF"):
            raise ConversionFailed(f"worker {self.index}: not a PDF")
        return data

    def pids(self) -> list[int]:
        """Process ids in this worker's process group (unoserver and LibreOffice)."""
        if self.process is None:
            return []
        pgid = self.process.pid
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.getpgid(int(entry.name)) == pgid:
                        found.append(int(entry.name))
                except OSError:
                    continue
        return found

    def kill(self) -> None:
        """Kill the whole process group, LibreOffice included."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL does not wait long
            pass
        self.process = None


class PdfPool:
    """The pool the service converts through."""

    def __init__(self, cfg: PoolConfig) -> None:
        self.cfg = cfg
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.workers: list[Worker] = []
        self.slots = threading.BoundedSemaphore(cfg.workers + cfg.queue_size)
        self.reason = self._missing()
        self.lock = threading.Lock()
        self.restarts = 0
        self.converted = 0
        self.started = False
        self.stopped = False
        self.probed_at = -1e9
        self.probe_error: str | None = None
        self._profiles_lock: IO[str] | None = None

    def _missing(self) -> str | None:
        if self.cfg.workers < 1:
            return "PDF output is switched off (PDF_WORKERS=0)"
        if not shutil.which(self.cfg.soffice):
            return f"LibreOffice ({self.cfg.soffice}) is not installed"
        if not Path(self.cfg.uno_python).exists():
            return f"the unoserver Python ({self.cfg.uno_python}) is missing: run scripts/setup"
        return None

    @property
    def available(self) -> bool:
        """True if PDF can be produced (some worker is up or starting)."""
        return self.reason is None

    def start(self) -> None:
        """Start every worker in the background (once); the caller does not wait for them."""
        with self.lock:
            if self.started or self.stopped:
                return
            self.started = True
        if self.reason:
            log.warning("PDF unavailable: %s", self.reason)
            return
        atexit.register(self.stop)
        claimed = self._claim_profiles()
        self._remove_stale_profiles(claimed)
        cfg = replace(self.cfg, profiles_dir=claimed)
        self.workers = [Worker(i, cfg) for i in range(cfg.workers)]
        for worker in self.workers:
            threading.Thread(target=self._bring_up, args=(worker,), daemon=True).start()

    def _claim_profiles(self) -> Path:
        """A folder of LibreOffice profiles no other process of the server uses (two LibreOffice on
        one profile lose files): the first one free, held by a lock while this process lives."""
        base = self.cfg.profiles_dir
        base.mkdir(parents=True, exist_ok=True)
        slot = 0
        while True:
            handle = open(base / f"slot-{slot}.lock", "w")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                slot += 1
                continue
            self._profiles_lock = handle
            return base if slot == 0 else base / f"slot-{slot}"

    @staticmethod
    def _remove_stale_profiles(folder: Path) -> None:
        """Profiles left by service processes that no longer run (their guards killed LibreOffice)."""
        for profile in folder.glob("worker-*-*"):
            pid = profile.name.rsplit("-", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and not Path(f"/proc/{pid}").exists():
                shutil.rmtree(profile, ignore_errors=True)

    def probe(self) -> dict[str, Any]:
        """The status after a real conversion of a small document (at most every `probe_every`
        seconds): what a PDF request would meet now, not only whether workers were started."""
        self.start()
        if self.reason is None and not self.idle.empty() \
                and time.monotonic() - self.probed_at >= self.cfg.probe_every:
            self.probed_at = time.monotonic()
            try:
                self.convert(_probe_docx())
                self.probe_error = None
            except Unavailable as exc:
                self.probe_error = exc.description
        status = self.status()
        if self.probe_error:
            status.update(available=False, reason=self.probe_error)
        return status

    def _bring_up(self, worker: Worker) -> None:
        for attempt in range(3):
            if self.stopped:
                return
            try:
                worker.start()
                if self.stopped:
                    worker.kill()
                    return
                self.idle.put(worker)
                return
            except ConversionFailed as exc:
                log.error("%s (attempt %d)", exc, attempt + 1)
        with self.lock:
            if all(w.process is None for w in self.workers) and self.idle.empty():
                self.reason = "LibreOffice could not be started"

    def _restart(self, worker: Worker) -> None:
        worker.kill()
        with self.lock:
            self.restarts += 1
        self._bring_up(worker)

    def require(self) -> None:
        """Raise Unavailable (503) if PDF cannot be produced at all (starting the pool if need be)."""
        self.start()
        if self.reason:
            raise Unavailable(self.reason, headers={"Retry-After": "3600"})

    def convert(self, docx: bytes) -> bytes:
        """Convert DOCX to PDF/A; Unavailable (503) when saturated, missing or broken."""
        self.require()
        if not self.slots.acquire(blocking=False):
            raise Unavailable("the PDF renderer is busy", headers={"Retry-After": "5"})
        try:
            for attempt in (1, 2):   # a crashed or hung conversion is retried once
                worker = self._take()
                try:
                    pdf = worker.convert(docx)
                except ConversionFailed as exc:
                    log.error("%s; restarting it", exc)
                    threading.Thread(target=self._restart, args=(worker,), daemon=True).start()
                    if attempt == 2:
                        raise Unavailable("the PDF renderer failed", headers={"Retry-After": "10"}) from exc
                    continue
                self._give_back(worker)
                with self.lock:
                    self.converted += 1
                return pdf
            raise AssertionError("unreachable")  # pragma: no cover
        finally:
            self.slots.release()

    def _take(self) -> Worker:
        try:
            return self.idle.get(timeout=self.cfg.start_timeout + self.cfg.timeout)
        except queue.Empty:
            raise Unavailable("no PDF worker is ready", headers={"Retry-After": "10"}) from None

    def _give_back(self, worker: Worker) -> None:
        if worker.conversions >= self.cfg.recycle_after:
            threading.Thread(target=self._restart, args=(worker,), daemon=True).start()
        else:
            self.idle.put(worker)

    def wait_ready(self, timeout: float) -> bool:
        """Start the pool and block until every worker is idle and ready (benchmarks, tests)."""
        self.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.reason or self.idle.qsize() >= len(self.workers):
                return not self.reason
            time.sleep(0.2)
        return False

    def status(self) -> dict[str, Any]:
        """What the health endpoint reports."""
        return {"available": self.available, "reason": self.reason, "started": self.started,
                "workers": len(self.workers),
                "ready": self.idle.qsize(), "converted": self.converted, "restarts": self.restarts}

    def stop(self) -> None:
        """Kill every worker (also those still starting) and remove their profiles."""
        self.stopped = True
        for worker in self.workers:
            worker.kill()
            shutil.rmtree(worker.profile, ignore_errors=True)
        if self._profiles_lock is not None:
            self._profiles_lock.close()
            self._profiles_lock = None
