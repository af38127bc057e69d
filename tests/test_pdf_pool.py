"""The LibreOffice pool under trouble: a killed process, a hung conversion, recycling."""
import os
import queue
import signal
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import auth_for, example, make_app, pool_of, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice]
URL = "/api/v1/documents/decision?format=pdf"


@pytest.fixture(scope="module")
def pool_app(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("pool"), PDF_WORKERS=2, PDF_TIMEOUT=6)
    pool = pool_of(app)
    assert pool.wait_ready(120), pool.status()
    yield app
    pool.stop()


def office_pids(worker) -> list[int]:
    """The soffice.bin processes of one worker (LibreOffice itself, not unoserver)."""
    return [pid for pid in worker.pids() if Path(f"/proc/{pid}/comm").read_text().strip() == "soffice.bin"]


def post_all(client, n):
    return [client.post(URL, json=example("decision"), headers=auth_for(client.application, "decision")).status_code for _ in range(n)]


def wait_ready(pool):
    assert pool.wait_ready(120), pool.status()


def test_killing_libreoffice_mid_request_loses_no_later_request(pool_app, monkeypatch):
    pool, client = pool_of(pool_app), pool_app.test_client()
    wait_ready(pool)
    restarts = pool.restarts
    converting: queue.Queue = queue.Queue()   # each worker as it is handed a document
    for worker in pool.workers:
        def spy(docx, worker=worker, convert=worker.convert):
            converting.put(worker)
            return convert(docx)
        monkeypatch.setattr(worker, "convert", spy)
    results = []
    request = threading.Thread(target=lambda: results.append(
        pool_app.test_client().post(URL, json=example("decision"), headers=auth_for(pool_app, "decision")).status_code))
    request.start()
    victims = office_pids(converting.get(timeout=60))
    assert victims
    for pid in victims:
        os.kill(pid, signal.SIGKILL)
    request.join(60)
    assert results == [200]            # retried on the other worker
    assert post_all(client, 5) == [200] * 5
    assert wait_until(lambda: pool.restarts > restarts, 60), pool.status()
    wait_ready(pool)


def test_hung_conversion_is_killed_and_retried(pool_app):
    pool = pool_of(pool_app)
    wait_ready(pool)
    hung = pool.workers[0]
    stopped = office_pids(hung)
    assert stopped, pool.status()
    for pid in stopped:
        os.kill(pid, signal.SIGSTOP)
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(
        pool_app.test_client().post(URL, json=example("decision"), headers=auth_for(pool_app, "decision")).status_code)) for _ in range(2)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    assert sorted(results) == [200, 200]
    assert time.monotonic() - started < 60
    wait_ready(pool)
    alive = [pid for pid in stopped if Path(f"/proc/{pid}").exists()
             and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"]
    assert alive == [], "the hung LibreOffice was not killed"


def test_workers_are_recycled(pool_app):
    pool, client = pool_of(pool_app), pool_app.test_client()
    wait_ready(pool)
    restarts, pids = pool.restarts, {w.process.pid for w in pool.workers}
    pool.cfg.recycle_after = 1
    try:
        assert post_all(client, 1) == [200]
        wait_ready(pool)
    finally:
        pool.cfg.recycle_after = 200
    assert pool.restarts == restarts + 1
    assert {w.process.pid for w in pool.workers} != pids
